#!/usr/bin/env python3
"""Generate the court and case_type lookup tables, their synonyms and jieba dictionary entries.

Writes (and overwrites) these generated files; edit the tables below or court/data/courts.csv,
never the outputs:

  data/nlu/lookups/court.yml      lookup `court` (full names + short forms) and synonyms
                                  short form -> full court name
  data/nlu/lookups/case_type.yml  lookup `case_type` (canonical 案由 + colloquial forms) and
                                  synonyms colloquial form -> canonical 案由
  data/dict/courts.txt            jieba user dictionary: every court name / short form as one word
  data/dict/case_types.txt        jieba user dictionary: every 案由 and colloquial form as one word

Courts come from court/data/courts.csv (a `name` column, optional `aliases`/`short_names`
column separated by | or ;) when that file exists, otherwise from SEED_COURTS below.
Short forms are derived (北京市朝阳区人民法院 -> 朝阳区人民法院, 朝阳区法院, 朝阳法院, 北京朝阳法院 ...).
A short form that would point at several courts is kept in the lookup (so it is still
extracted) but gets no synonym, unless PREFERRED names the court it means.

RegexEntityExtractor joins lookup elements into one alternation in file order, so elements
are written longest first: 北京市朝阳区人民法院 must win over 朝阳区人民法院, 离婚后财产纠纷 over 离婚.

Run:  python scripts/gen_lookups.py
"""
from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List

ROOT = Path(__file__).resolve().parent.parent
COURTS_CSV = ROOT / "court" / "data" / "courts.csv"
OUT_COURT_YML = ROOT / "data" / "nlu" / "lookups" / "court.yml"
OUT_CASE_TYPE_YML = ROOT / "data" / "nlu" / "lookups" / "case_type.yml"
OUT_COURT_DICT = ROOT / "data" / "dict" / "courts.txt"
OUT_CASE_TYPE_DICT = ROOT / "data" / "dict" / "case_types.txt"

# ---------------------------------------------------------------------------------------------
# 案由 (《民事案件案由规定》 names) -> colloquial forms people type. The colloquial forms are in the
# lookup too: EntitySynonymMapper can only map a value that an extractor found first.
CASE_TYPES: Dict[str, List[str]] = {
    "民间借贷纠纷": ["借钱不还", "欠钱不还", "借款不还", "欠款不还", "借了钱不还", "借款纠纷",
                 "借贷纠纷", "欠款纠纷", "民间借贷", "民间借款", "欠钱", "借钱", "讨债", "要债", "追债"],
    "买卖合同纠纷": ["买卖合同", "买卖纠纷", "货款纠纷", "欠货款", "拖欠货款", "货款"],
    "离婚纠纷": ["离婚官司", "离婚案件", "离婚案", "离婚"],
    "离婚后财产纠纷": ["离婚后分财产", "离婚后财产"],
    "劳动争议": ["劳动争议纠纷", "劳动合同纠纷", "劳动纠纷", "违法辞退", "违法解除劳动合同", "工伤赔偿", "工伤"],
    "追索劳动报酬纠纷": ["拖欠工资", "欠工资", "拖欠薪水", "不发工资", "没发工资", "工资不给", "讨薪", "欠薪", "劳动报酬"],
    "机动车交通事故责任纠纷": ["交通事故责任纠纷", "交通事故纠纷", "交通事故", "车祸", "撞车", "被车撞", "追尾", "剐蹭"],
    "房屋租赁合同纠纷": ["房屋租赁纠纷", "租房纠纷", "房屋租赁", "押金不退", "不退押金", "租房子", "租房", "房租"],
    "物业服务合同纠纷": ["物业服务纠纷", "物业纠纷", "物业费"],
    "信用卡纠纷": ["信用卡欠款", "信用卡逾期", "信用卡"],
    "金融借款合同纠纷": ["金融借款纠纷", "银行贷款纠纷", "银行贷款", "贷款纠纷", "金融借款"],
    "服务合同纠纷": ["服务合同"],
    "网络购物合同纠纷": ["网络购物纠纷", "网购纠纷", "网络购物", "网购"],
    "名誉权纠纷": ["名誉侵权", "名誉权", "造谣", "诽谤"],
    "侵权责任纠纷": ["侵权纠纷", "侵权"],
    "建设工程施工合同纠纷": ["建设工程纠纷", "工程款纠纷", "拖欠工程款", "工程款"],
    "房屋买卖合同纠纷": ["房屋买卖纠纷", "买房纠纷", "房屋买卖", "二手房纠纷"],
    "抚养费纠纷": ["抚养费"],
    "赡养费纠纷": ["赡养纠纷", "赡养费"],
    "法定继承纠纷": ["继承纠纷", "遗产纠纷", "分遗产", "遗产继承", "继承遗产"],
    "生命权、身体权、健康权纠纷": ["人身损害赔偿", "人身损害", "健康权", "身体权", "被打伤"],
    "劳务合同纠纷": ["劳务纠纷", "劳务合同", "劳务费"],
    "提供劳务者受害责任纠纷": ["干活受伤", "雇工受伤"],
    "财产损害赔偿纠纷": ["财产损害", "财产损失"],
    "侵害著作权纠纷": ["著作权纠纷", "著作权侵权", "著作权", "版权纠纷", "版权", "盗版"],
    "侵害商标权纠纷": ["商标侵权", "商标权"],
    "医疗损害责任纠纷": ["医疗损害", "医疗纠纷", "医疗事故"],
    "婚约财产纠纷": ["退彩礼", "返还彩礼", "彩礼纠纷", "婚约财产"],
    "合伙合同纠纷": ["合伙纠纷", "合伙合同"],
    "装饰装修合同纠纷": ["装修合同纠纷", "装修纠纷", "装修合同"],
    "教育培训合同纠纷": ["培训合同纠纷", "教育培训", "退培训费", "培训费"],
    "保险纠纷": ["保险合同纠纷", "保险理赔", "保险公司不理赔"],
    "不当得利纠纷": ["不当得利", "转错账", "转错钱"],
    "饲养动物损害责任纠纷": ["被狗咬", "狗咬人"],
}

# ---------------------------------------------------------------------------------------------
# Used only when court/data/courts.csv does not exist.
SEED_COURTS: List[str] = [
    "最高人民法院",
    "北京市高级人民法院", "北京市第一中级人民法院", "北京市第二中级人民法院",
    "北京市第三中级人民法院", "北京市第四中级人民法院",
    "北京市东城区人民法院", "北京市西城区人民法院", "北京市朝阳区人民法院", "北京市海淀区人民法院",
    "北京市丰台区人民法院", "北京市石景山区人民法院", "北京市门头沟区人民法院", "北京市房山区人民法院",
    "北京市通州区人民法院", "北京市顺义区人民法院", "北京市昌平区人民法院", "北京市大兴区人民法院",
    "北京市怀柔区人民法院", "北京市平谷区人民法院", "北京市密云区人民法院", "北京市延庆区人民法院",
    "北京互联网法院", "北京知识产权法院", "北京金融法院",
    "上海市高级人民法院", "上海市第一中级人民法院", "上海市第二中级人民法院",
    "上海市黄浦区人民法院", "上海市徐汇区人民法院", "上海市长宁区人民法院", "上海市静安区人民法院",
    "上海市普陀区人民法院", "上海市虹口区人民法院", "上海市杨浦区人民法院", "上海市闵行区人民法院",
    "上海市宝山区人民法院", "上海市嘉定区人民法院", "上海市浦东新区人民法院", "上海市松江区人民法院",
    "上海市青浦区人民法院", "上海市奉贤区人民法院", "上海市金山区人民法院", "上海市崇明区人民法院",
    "上海金融法院", "上海知识产权法院", "上海海事法院",
    "天津市高级人民法院", "天津市和平区人民法院", "天津市南开区人民法院", "天津市滨海新区人民法院",
    "重庆市高级人民法院", "重庆市渝中区人民法院", "重庆市江北区人民法院", "重庆市渝北区人民法院",
    "浙江省高级人民法院", "杭州市中级人民法院", "杭州互联网法院",
    "杭州市上城区人民法院", "杭州市拱墅区人民法院", "杭州市西湖区人民法院", "杭州市滨江区人民法院",
    "杭州市萧山区人民法院", "杭州市余杭区人民法院", "杭州市临平区人民法院", "宁波市中级人民法院",
    "广东省高级人民法院", "广州市中级人民法院", "广州互联网法院", "广州知识产权法院",
    "广州市天河区人民法院", "广州市越秀区人民法院", "广州市海珠区人民法院", "广州市白云区人民法院",
    "广州市番禺区人民法院", "深圳市中级人民法院", "深圳市福田区人民法院", "深圳市罗湖区人民法院",
    "深圳市南山区人民法院", "深圳市宝安区人民法院", "深圳市龙岗区人民法院", "深圳市龙华区人民法院",
    "江门市蓬江区人民法院",
    "江苏省高级人民法院", "南京市中级人民法院", "南京市玄武区人民法院", "南京市鼓楼区人民法院",
    "南京市秦淮区人民法院", "苏州市中级人民法院", "苏州工业园区人民法院",
    "四川省高级人民法院", "成都市中级人民法院", "成都市武侯区人民法院", "成都市锦江区人民法院",
    "成都市青羊区人民法院", "成都市金牛区人民法院", "成都市成华区人民法院", "成都市高新技术产业开发区人民法院",
    "湖北省高级人民法院", "武汉市中级人民法院", "武汉市江汉区人民法院", "武汉市武昌区人民法院",
    "武汉市洪山区人民法院", "武汉市江岸区人民法院",
    "河南省高级人民法院", "郑州市中级人民法院", "郑州市金水区人民法院", "郑州市二七区人民法院",
    "陕西省高级人民法院", "西安市中级人民法院", "西安市雁塔区人民法院", "西安市碑林区人民法院",
]

# Short forms shared by several courts that still mean one court to most users.
PREFERRED: Dict[str, str] = {
    "朝阳法院": "北京市朝阳区人民法院",
    "朝阳区法院": "北京市朝阳区人民法院",
    "朝阳区人民法院": "北京市朝阳区人民法院",
    "海淀法院": "北京市海淀区人民法院",
    "海淀区法院": "北京市海淀区人民法院",
    "海淀区人民法院": "北京市海淀区人民法院",
    "浦东法院": "上海市浦东新区人民法院",
}

PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")
CITY_SUFFIXES = ("自治州", "地区", "盟", "市")
DISTRICT_SUFFIXES = ("新区", "自治县", "区", "县", "市", "旗")
CN_ORDINALS = "一二三四五六七八九十"


def _strip_suffix(name: str, suffixes: Iterable[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def short_forms(full: str) -> List[str]:
    """Colloquial names for a court, derived from its full name."""
    forms = set()
    if full == "最高人民法院":
        return ["最高法院", "最高法", "最高院"]

    # 北京互联网法院 / 上海金融法院 / 广州知识产权法院: special courts keep their name, plus 法院-less forms
    m = re.fullmatch(r"(?P<city>.+?)(?P<kind>互联网|金融|知识产权|海事)法院", full)
    if m:
        city = _strip_suffix(m.group("city"), PROVINCE_SUFFIXES)
        if m.group("kind") == "知识产权":
            forms.add(f"{city}知产法院")
        return sorted(forms)

    # 北京市高级人民法院 -> 北京高院, 北京市高院, 北京高级法院
    m = re.fullmatch(r"(?P<prov>.+?)高级人民法院", full)
    if m:
        prov = m.group("prov")
        base = _strip_suffix(prov, PROVINCE_SUFFIXES)
        forms |= {f"{base}高院", f"{prov}高院", f"{base}高级法院", f"{base}高级人民法院", f"{prov}高级法院"}
        forms.discard(full)
        return sorted(forms)

    # 北京市第四中级人民法院 -> 北京四中院; 杭州市中级人民法院 -> 杭州中院
    m = re.fullmatch(r"(?:.+?省)?(?P<city>.+?)(?:第(?P<n>[一二三四五六七八九十]+))?中级人民法院", full)
    if m:
        city = m.group("city")
        base = _strip_suffix(city, CITY_SUFFIXES)
        n = m.group("n") or ""
        forms |= {f"{base}{n}中院", f"{city}{n}中院", f"{base}第{n}中级人民法院" if n else f"{base}中级人民法院",
                  f"{base}第{n}中级法院" if n else f"{base}中级法院"}
        forms.discard(full)
        return sorted(forms)

    # 北京市朝阳区人民法院 -> 朝阳区人民法院, 朝阳区法院, 朝阳法院, 北京朝阳法院, 北京市朝阳区法院 ...
    m = re.fullmatch(r"(?P<city>.+?市)?(?P<dist>.+?)人民法院", full)
    if m:
        city = m.group("city") or ""
        cbase = _strip_suffix(city, CITY_SUFFIXES) if city else ""
        dist = m.group("dist")
        if re.fullmatch(r"第[一二三四五六七八九十]+", dist):  # 东莞市第一人民法院
            return sorted({f"{cbase}{dist}人民法院", f"{cbase}{dist}法院", f"{city}{dist}法院"} - {full})
        dbase = _strip_suffix(dist, DISTRICT_SUFFIXES)
        if dist.endswith("高新技术产业开发区"):
            dbase = "高新"
            forms |= {"高新区法院", f"{cbase}高新区法院", f"{cbase}高新法院"}
        forms |= {f"{dist}人民法院", f"{dist}法院", f"{dbase}法院"}
        if cbase:
            forms |= {f"{cbase}{dbase}法院", f"{cbase}{dist}法院", f"{city}{dist}法院",
                      f"{cbase}{dist}人民法院"}
        forms.discard(full)
        # a bare 1-character place name (e.g. 青法院) is no name anyone types
        return sorted(f for f in forms if len(f) >= 4)
    return []


def read_courts() -> Dict[str, List[str]]:
    """Full court name -> extra aliases from the data file (or the seed list)."""
    courts: Dict[str, List[str]] = {}
    if COURTS_CSV.exists():
        with COURTS_CSV.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            fields = reader.fieldnames or []
            name_col = next((c for c in ("name", "court_name", "full_name", "名称") if c in fields), None)
            alias_col = next((c for c in ("aliases", "short_names", "alias", "short_name") if c in fields), None)
            if name_col is None:
                sys.exit(f"{COURTS_CSV}: no name column in {fields}")
            for row in reader:
                name = (row.get(name_col) or "").strip()
                if not name:
                    continue
                aliases = re.split(r"[|;；、]", row.get(alias_col) or "") if alias_col else []
                courts[name] = [a.strip() for a in aliases if a.strip()]
        print(f"courts: {len(courts)} from {COURTS_CSV.relative_to(ROOT)}")
    else:
        courts = {name: [] for name in SEED_COURTS}
        print(f"courts: {len(courts)} from SEED_COURTS ({COURTS_CSV.relative_to(ROOT)} not found)")
    return courts


def yaml_block(lines: Iterable[str]) -> str:
    return "".join(f"      - {line}\n" for line in lines)


def longest_first(items: Iterable[str]) -> List[str]:
    return sorted(set(items), key=lambda s: (-len(s), s))


def write_court_files() -> None:
    courts = read_courts()
    owners: Dict[str, set] = defaultdict(set)
    for full, aliases in courts.items():
        for form in set(short_forms(full)) | set(aliases):
            if form != full:
                owners[form].add(full)
    full_names = set(courts)
    synonyms: Dict[str, List[str]] = defaultdict(list)
    ambiguous = []
    for form, fulls in owners.items():
        if form in full_names:
            continue  # another court's full name: never a synonym
        if len(fulls) == 1:
            synonyms[next(iter(fulls))].append(form)
        elif PREFERRED.get(form) in fulls:
            synonyms[PREFERRED[form]].append(form)
        else:
            ambiguous.append(form)
    elements = longest_first(full_names | set(owners))

    out = ['version: "3.1"', "# GENERATED by scripts/gen_lookups.py from "
           + (str(COURTS_CSV.relative_to(ROOT)) if COURTS_CSV.exists() else "its SEED_COURTS list")
           + ": do not edit by hand.",
           "# Longest first: RegexEntityExtractor tries the alternatives in this order.", "nlu:",
           "  - lookup: court", "    examples: |"]
    body = "\n".join(out) + "\n" + yaml_block(elements)
    for full in sorted(synonyms):
        body += f"  - synonym: {full}\n    examples: |\n" + yaml_block(longest_first(synonyms[full]))
    OUT_COURT_YML.parent.mkdir(parents=True, exist_ok=True)
    OUT_COURT_YML.write_text(body, encoding="utf-8")
    OUT_COURT_DICT.write_text("".join(f"{e} 3000 nt\n" for e in elements), encoding="utf-8")
    print(f"court lookup: {len(elements)} elements, {sum(map(len, synonyms.values()))} synonyms, "
          f"{len(ambiguous)} ambiguous short forms left unmapped: {' '.join(sorted(ambiguous))}")


def write_case_type_files() -> None:
    seen: Dict[str, str] = {}
    for canonical, forms in CASE_TYPES.items():
        for form in [canonical, *forms]:
            if form in seen and seen[form] != canonical:
                sys.exit(f"case type form {form!r} maps to both {seen[form]} and {canonical}")
            seen[form] = canonical
    elements = longest_first(seen)
    body = ('version: "3.1"\n# GENERATED by scripts/gen_lookups.py (CASE_TYPES): do not edit by hand.\n'
            "# Colloquial forms are in the lookup so that EntitySynonymMapper can map what the regex found.\n"
            "# Longest first: RegexEntityExtractor tries the alternatives in this order.\n"
            "nlu:\n  - lookup: case_type\n    examples: |\n" + yaml_block(elements))
    for canonical, forms in CASE_TYPES.items():
        if forms:
            body += f"  - synonym: {canonical}\n    examples: |\n" + yaml_block(longest_first(forms))
    OUT_CASE_TYPE_YML.write_text(body, encoding="utf-8")
    OUT_CASE_TYPE_DICT.write_text("".join(f"{e} 3000 n\n" for e in elements), encoding="utf-8")
    print(f"case_type lookup: {len(elements)} elements, {len(CASE_TYPES)} canonical 案由")


if __name__ == "__main__":
    write_court_files()
    write_case_type_files()
