"""Court data and lookup: court/data/courts.csv, court/rules/courts.py; and court/data/case_types.json."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from court.rules import courts as C
from court.rules.case_numbers import COURT_PROVINCE_CODES, parse_case_number
from court.rules.idcard import PROVINCE_CODES

DATA = Path(C.__file__).resolve().parent.parent / "data"

# 法院代字 (one character) ↔ GB/T 2260 province code, to check basic-court codes against divisions.
CHAR_TO_DIVISION = {
    char: code
    for char, province in COURT_PROVINCE_CODES.items()
    for code, name in PROVINCE_CODES.items()
    if name == province
}


def test_data_file_is_where_the_module_looks() -> None:
    assert C.DATA_FILE == DATA / "courts.csv"
    assert C.DATA_FILE.exists()


def test_enough_courts_and_unique_codes_and_names() -> None:
    courts = C.all_courts()
    assert len(courts) >= 150
    assert len({c.code for c in courts}) == len(courts)
    assert len({c.name for c in courts}) == len(courts)


def test_columns_and_levels() -> None:
    with C.DATA_FILE.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:3] == ["code", "name", "level"]
    for c in C.all_courts():
        assert c.level in C.LEVELS
        assert c.tier in ("supreme", "high", "intermediate", "basic")
        assert c.kind in ("general", "internet", "ip", "maritime", "financial", "railway", "military")
        assert (c.level == "special") == (c.kind != "general"), c
        assert c.name.endswith("法院") or c.name.endswith("分院"), c


def test_every_parent_exists_and_is_higher() -> None:
    order = {"supreme": 0, "high": 1, "intermediate": 2, "basic": 3}
    for c in C.all_courts():
        if c.code == "最高法":
            assert c.parent_code is None
            continue
        parent = C.court_by_code(c.parent_code or "")
        assert parent is not None, c
        assert order[parent.tier] < order[c.tier], (c, parent)


def test_codes_have_the_shape_of_article_5() -> None:
    """法〔2015〕137号 art. 4–5: 最高法 / province char / +2 digits / +4 digits; tier follows the shape."""
    for c in C.all_courts():
        if c.code == "最高法":
            continue
        head, digits = c.code[0], c.code[1:]
        assert head in COURT_PROVINCE_CODES, c
        assert {0: "high", 2: "intermediate", 4: "basic"}[len(digits)] == c.tier, c
        if c.tier != "high":
            assert c.code.startswith(c.parent_code[0] if c.parent_code else ""), c


def test_general_courts_follow_their_division_codes() -> None:
    """Basic courts: the 4 digits are the last 4 of the county-level division code (art. 5);
    prefecture intermediate courts: the 2 digits are the city part of the division code."""
    checked = 0
    for c in C.all_courts():
        if not c.division_code or c.tier == "high":
            continue
        assert c.division_code[:2] == CHAR_TO_DIVISION[c.code[0]], c
        if c.tier == "basic":
            assert c.code[1:] == c.division_code[2:], c
        else:
            assert c.code[1:] == c.division_code[2:4] and c.division_code.endswith("00"), c
        checked += 1
    assert checked > 150


@pytest.mark.parametrize(
    "code,name",
    [
        ("最高法", "最高人民法院"),
        ("京", "北京市高级人民法院"),
        ("新", "新疆维吾尔自治区高级人民法院"),
        ("内", "内蒙古自治区高级人民法院"),
        ("兵", "新疆维吾尔自治区高级人民法院生产建设兵团分院"),
        ("京01", "北京市第一中级人民法院"),
        ("京02", "北京市第二中级人民法院"),
        ("京03", "北京市第三中级人民法院"),
        ("京04", "北京市第四中级人民法院"),
        ("京73", "北京知识产权法院"),
        ("京0491", "北京互联网法院"),
        ("京0101", "北京市东城区人民法院"),
        ("京0102", "北京市西城区人民法院"),
        ("京0105", "北京市朝阳区人民法院"),
        ("京0108", "北京市海淀区人民法院"),
        ("沪01", "上海市第一中级人民法院"),
        ("沪02", "上海市第二中级人民法院"),
        ("沪03", "上海市第三中级人民法院"),
        ("沪0115", "上海市浦东新区人民法院"),
        ("沪74", "上海金融法院"),
        ("沪7101", "上海铁路运输法院"),
        ("粤01", "广东省广州市中级人民法院"),
        ("粤03", "广东省深圳市中级人民法院"),
        ("粤0192", "广州互联网法院"),
        ("粤0703", "江门市蓬江区人民法院"),
        ("粤0391", "深圳前海合作区人民法院"),
        ("粤1971", "东莞市第一人民法院"),
        ("浙01", "浙江省杭州市中级人民法院"),
        ("浙0192", "杭州互联网法院"),
        ("浙0106", "杭州市西湖区人民法院"),
        ("浙0113", "杭州市临平区人民法院"),
        ("浙0114", "杭州市钱塘区人民法院"),
        ("浙8601", "杭州铁路运输法院"),
    ],
)
def test_known_codes(code: str, name: str) -> None:
    court = C.court_by_code(code)
    assert court is not None and court.name == name


def test_internet_courts_and_their_parents() -> None:
    for code, parent in [("京0491", "京04"), ("粤0192", "粤01"), ("浙0192", "浙01")]:
        court = C.court_by_code(code)
        assert court is not None
        assert court.kind == "internet" and court.tier == "basic" and court.parent_code == parent


def test_all_high_courts_present() -> None:
    high = {c.code for c in C.all_courts() if c.tier == "high"}
    assert set(COURT_PROVINCE_CODES) <= high


def test_provinces_covered() -> None:
    for province, at_least in [("北京市", 20), ("上海市", 20), ("广东省", 60), ("浙江省", 80)]:
        assert sum(1 for c in C.all_courts() if c.province == province) >= at_least, province


def test_court_by_code_tolerates_spaces_and_full_width() -> None:
    assert C.court_by_code(" 京０１０５ ").name == "北京市朝阳区人民法院"  # type: ignore[union-attr]
    assert C.court_by_code("京9999") is None
    assert C.court_by_code("") is None


@pytest.mark.parametrize(
    "fragment,code",
    [
        ("朝阳", "京0105"),
        ("朝阳法院", "京0105"),
        ("朝阳区人民法院", "京0105"),
        ("北京朝阳", "京0105"),
        ("北京市朝阳区人民法院", "京0105"),
        ("海淀", "京0108"),
        ("海淀法院", "京0108"),
        ("海淀区法院", "京0108"),
        ("杭州互联网", "浙0192"),
        ("杭州互联网法院", "浙0192"),
        ("北京互联网法院", "京0491"),
        ("广州互联网", "粤0192"),
        ("北京四中院", "京04"),
        ("北京一中院", "京01"),
        ("上海一中院", "沪01"),
        ("广州中院", "粤01"),
        ("深圳中院", "粤03"),
        ("杭州中院", "浙01"),
        ("杭州", "浙01"),
        ("浦东", "沪0115"),
        ("浦东新区法院", "沪0115"),
        ("天河", "粤0106"),
        ("深圳南山法院", "粤0305"),
        ("蓬江", "粤0703"),
        ("西湖区法院", "浙0106"),
        ("余杭", "浙0110"),
        ("义乌", "浙0782"),
        ("东莞一院", "粤1971"),
        ("前海", "粤0391"),
        ("横琴", "粤0491"),
        ("北京高院", "京"),
        ("广东省高级人民法院", "粤"),
        ("最高院", "最高法"),
        ("北京知产", "京73"),
        ("上海金融", "沪74"),
        ("宁波海事", "浙72"),
        ("粤0192", "粤0192"),
        ("京 0105", "京0105"),
    ],
)
def test_search_finds_the_right_court_first(fragment: str, code: str) -> None:
    found = C.search_courts(fragment)
    assert found, fragment
    assert found[0].code == code, [c.name for c in found]


def test_search_offers_every_court_with_the_name() -> None:
    assert {c.code for c in C.search_courts("普陀")} == {"沪0107", "浙0903"}
    assert {c.code for c in C.search_courts("互联网法院")} == {"京0491", "粤0192", "浙0192"}
    assert {c.code for c in C.search_courts("上海普陀")} == {"沪0107"}


def test_search_respects_the_province_named() -> None:
    assert [c.code for c in C.search_courts("上海金融")] == ["沪74"]
    assert [c.code for c in C.search_courts("北京知产")] == ["京73"]


def test_search_limit_and_nothing() -> None:
    assert len(C.search_courts("人民法院", limit=5)) == 5
    assert C.search_courts("") == []
    assert C.search_courts("纽约") == []


@pytest.mark.parametrize(
    "name,code",
    [
        ("北京市朝阳区人民法院", "京0105"),
        ("朝阳法院", "京0105"),
        ("北京朝阳区法院", "京0105"),
        ("广东省广州市天河区人民法院", "粤0106"),
        ("广州市天河区法院", "粤0106"),
        ("杭州市中级人民法院", "浙01"),
        ("浙江省杭州市中级人民法院", "浙01"),
        ("上海市普陀区人民法院", "沪0107"),
        ("舟山市普陀区人民法院", "浙0903"),
        ("北京铁路运输中级法院", "京04"),
    ],
)
def test_court_by_name(name: str, code: str) -> None:
    court = C.court_by_name(name)
    assert court is not None and court.code == code


def test_court_by_name_unknown_or_ambiguous() -> None:
    assert C.court_by_name("普陀区人民法院") is None  # 上海 or 舟山?
    assert C.court_by_name("纽约法院") is None
    assert C.court_by_name("") is None


def test_court_for_case_number() -> None:
    assert C.court_for_case_number("（2023）京0491民初12142号").name == "北京互联网法院"  # type: ignore[union-attr]
    assert C.court_for_case_number(parse_case_number("(2017)京04民终367号")).code == "京04"  # type: ignore[union-attr]
    assert C.court_for_case_number("not a case number") is None


def test_child_courts() -> None:
    assert {c.code for c in C.child_courts("京04")} == {"京0491"}
    assert {c.code for c in C.child_courts("京03")} == {"京0105", "京0112", "京0113", "京0116", "京0117", "京0118"}


# --- case_types.json (民事案件案由规定, 法〔2020〕347号) -------------------------------------------

FEE_CATEGORIES = {"property", "divorce", "personality_rights", "labor", "other_non_property", "ip"}


def load_case_types() -> list[dict]:
    return json.loads((DATA / "case_types.json").read_text(encoding="utf-8"))["case_types"]


def test_case_types_shape() -> None:
    types = load_case_types()
    assert len(types) >= 25
    assert len({t["name"] for t in types}) == len(types)
    for t in types:
        assert t["fee_category"] in FEE_CATEGORIES, t
        assert isinstance(t["is_property"], bool)
        assert t["amount"] in ("required", "optional", "unused")
        assert t["is_property"] == (t["fee_category"] == "property"), t
        if t["is_property"]:
            assert t["amount"] == "required", t
        assert t["name"].endswith(("纠纷", "争议")), t


def test_case_types_fee_categories_exist_in_the_fee_schedule() -> None:
    from court.rules.fees import CATEGORIES

    assert {t["fee_category"] for t in load_case_types()} <= set(CATEGORIES)


@pytest.mark.parametrize(
    "name,fee_category",
    [
        ("民间借贷纠纷", "property"),
        ("买卖合同纠纷", "property"),
        ("离婚纠纷", "divorce"),
        ("劳动争议", "labor"),
        ("追索劳动报酬纠纷", "labor"),
        ("机动车交通事故责任纠纷", "property"),
        ("房屋租赁合同纠纷", "property"),
        ("物业服务合同纠纷", "property"),
        ("信用卡纠纷", "property"),
        ("金融借款合同纠纷", "property"),
        ("服务合同纠纷", "property"),
        ("网络购物合同纠纷", "property"),  # 2011 name, an alias of 信息网络买卖合同纠纷
        ("名誉权纠纷", "personality_rights"),
        ("侵权责任纠纷", "property"),
        ("劳务合同纠纷", "property"),  # a contract, not a labour dispute
    ],
)
def test_case_types_from_the_brief(name: str, fee_category: str) -> None:
    matches = [t for t in load_case_types() if t["name"] == name or name in t.get("aliases", [])]
    assert len(matches) == 1, name
    assert matches[0]["fee_category"] == fee_category
