"""Which court? Territorial jurisdiction (地域管辖) of first-instance civil cases, with its legal basis.

Why this module exists: after the chatbot knows the cause of action (案由) and where the parties,
the contract, the tort or the property are, it offers the competent court(s) as buttons, each with
the rule that makes it competent. Every rule below cites its article; the texts shown to the
litigant say the same.

Sources (2023 numbering of the Civil Procedure Law, in force 2024-01-01; chapter 2 kept the 2021
numbering):
* 《中华人民共和国民事诉讼法》 第十八条 (basic courts hear first-instance civil cases), 第二十二条
  (一般地域管辖: 被告住所地; 经常居住地 if different; an organisation's 住所地; several defendants →
  each of their courts), 第二十三条 (原告住所地 in listed cases), 第二十四条 (合同: 被告住所地或者合同
  履行地), 第二十九条 (侵权: 侵权行为地或者被告住所地), 第三十条 (交通事故: 事故发生地、车辆最先到达地
  或者被告住所地), 第三十四条 (专属管辖: (一) 不动产所在地, (三) 被继承人死亡时住所地或者主要遗产
  所在地), 第三十五条 (协议管辖, a note only), 第三十六条 (several competent courts: the plaintiff
  chooses; the first to register the case keeps it).
* 《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》 (2022) 第九条 (maintenance against
  several defendants → 原告住所地), 第十二条 (divorce, spouse away > 1 year), 第十八条 (合同履行地:
  agreed place; else 给付货币 → 接收货币一方所在地, 交付不动产 → 不动产所在地), 第二十条 (信息网络
  买卖: 买受人住所地 / 收货地), 第二十四条 (侵权行为地 = 实施地 + 结果发生地), 第二十五条 (信息网络
  侵权: 被侵权人住所地), 第二十六条 (产品责任), 第二十八条 (不动产纠纷, incl. 房屋租赁合同纠纷、建设
  工程施工合同纠纷、政策性房屋买卖合同纠纷 and 相邻关系).
* 《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》 第三条 (借贷: 接受货币一方为合同履行地).
* 《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》 第三条 (用人单位所在地或者劳动合同
  履行地的基层人民法院).
* 《最高人民法院关于互联网法院审理案件若干问题的规定》 第二条 (北京、广州、杭州互联网法院集中管辖).
* 《最高人民法院关于审理侵害信息网络传播权民事纠纷案件适用法律若干问题的规定》 第十五条;
  《最高人民法院关于审理商标民事纠纷案件适用法律若干问题的解释》 第六条.
* 《最高人民法院关于调整中级人民法院管辖第一审民事案件标准的通知》 (法发〔2021〕27号) 第一、二、五条:
  only a note when the amount reaches 1亿元 — the test (where the parties live relative to the
  court's province) is left to the litigant.

Pure: places are resolved by ``court.rules.places.resolve_place`` (cached court data), which a
caller may replace.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Optional

from court.rules.courts import Court, all_courts
from court.rules.places import AMBIGUOUS, RESOLVED, UNQUALIFIED, PlaceResolution, resolve_place

__all__ = [
    "CASE_RULES",
    "FAMILIES",
    "Basis",
    "CourtSuggestion",
    "JurisdictionAdvice",
    "Places",
    "ROLES",
    "UnresolvedPlace",
    "internet_court_for",
    "suggest_courts",
]

CPL = "《中华人民共和国民事诉讼法》"
INTERP = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
LOAN_RULES = "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》"
LABOUR_INTERP = "《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》"
INTERNET_RULES = "《最高人民法院关于互联网法院审理案件若干问题的规定》"
NET_COPYRIGHT_RULES = "《最高人民法院关于审理侵害信息网络传播权民事纠纷案件适用法律若干问题的规定》"
TRADEMARK_RULES = "《最高人民法院关于审理商标民事纠纷案件适用法律若干问题的解释》"
IP_LEVEL_RULES = "《最高人民法院关于第一审知识产权民事、行政案件管辖的若干规定》"
LEVEL_NOTICE = "《最高人民法院关于调整中级人民法院管辖第一审民事案件标准的通知》（法发〔2021〕27号）"

# The places a litigant can give; the names are the API's query parameters.
DEFENDANT = "defendant_place"
PLAINTIFF = "plaintiff_place"
PERFORMANCE = "performance_place"
TORT = "tort_place"
PROPERTY = "property_place"
ARRIVAL = "arrival_place"
DECEDENT = "decedent_place"
ROLES: dict[str, str] = {
    DEFENDANT: "被告住所地",
    PLAINTIFF: "原告住所地",
    PERFORMANCE: "合同履行地",
    TORT: "侵权行为地",
    PROPERTY: "不动产所在地",
    ARRIVAL: "车辆最先到达地",
    DECEDENT: "被继承人死亡时住所地",
}

LARGE_AMOUNT = Decimal("100000000")  # 1亿元: 法发〔2021〕27号 第二条 (and 5亿元, 第一条)
MAX_SUGGESTIONS = 6


# --- rules as data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BasisRule:
    """One way a place makes a court competent. ``explanation`` has a ``{place}`` slot for the
    division understood («北京市朝阳区»)."""

    role: str
    basis: str
    article: str
    explanation: str
    condition: Optional[str] = None  # a fact the litigant must check, e.g. 「您是出借人」
    unless: Optional[str] = None  # not used when this role is given (an agreed 履行地 displaces the statutory one)
    split_defendants: bool = False  # only when the defendants live in different court districts


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    exclusive: bool
    principle: str
    bases: tuple[BasisRule, ...]
    agreement_note: bool = False  # 第三十五条 协议管辖 applies (contract and other property disputes)


def _a(*parts: str) -> str:
    return "；".join(parts)


_DEF_GENERAL = BasisRule(
    DEFENDANT, "被告住所地", f"{CPL}第二十二条",
    "对公民提起的民事诉讼，由被告住所地人民法院管辖，被告住所地与经常居住地不一致的，由经常居住地"
    "人民法院管辖；对法人或者其他组织提起的，由其住所地人民法院管辖。您填写的被告住所地位于{place}。",
)
_DEF_CONTRACT = BasisRule(
    DEFENDANT, "被告住所地", f"{CPL}第二十四条",
    "因合同纠纷提起的诉讼，由被告住所地或者合同履行地人民法院管辖。您填写的被告住所地位于{place}"
    "（被告住所地与经常居住地不一致的，以经常居住地为准）。",
)
_PERF_CONTRACT = BasisRule(
    PERFORMANCE, "合同履行地", _a(f"{CPL}第二十四条", f"{INTERP}第十八条"),
    "因合同纠纷提起的诉讼，合同履行地人民法院也有管辖权；合同约定了履行地点的，以约定的地点为合同"
    "履行地。您填写的合同履行地位于{place}。",
)
_PAYEE_PRIVATE_LOAN = BasisRule(
    PLAINTIFF, "合同履行地（接收货币一方所在地）",
    _a(f"{CPL}第二十四条", f"{INTERP}第十八条第二款", f"{LOAN_RULES}第三条"),
    "借贷双方对合同履行地没有约定或者约定不明确的，以接受货币一方所在地为合同履行地。出借人请求借款人"
    "还款时，出借人是接收货币的一方，其住所地即合同履行地。您填写的原告住所地位于{place}。",
    condition="您是出借人、请求对方还款，且借款合同没有约定履行地点",
    unless=PERFORMANCE,
)
_PAYEE_LOAN = BasisRule(
    PLAINTIFF, "合同履行地（接收货币一方所在地）", _a(f"{CPL}第二十四条", f"{INTERP}第十八条第二款"),
    "合同对履行地点没有约定或者约定不明确，争议标的为给付货币的，接收货币一方所在地为合同履行地。"
    "贷款人请求借款人还款时，贷款人是接收货币的一方。您填写的原告住所地位于{place}。",
    condition="您是贷款人、请求对方还款，且合同没有约定履行地点",
    unless=PERFORMANCE,
)
_PAYEE_GENERAL = BasisRule(
    PLAINTIFF, "合同履行地（接收货币一方所在地）", _a(f"{CPL}第二十四条", f"{INTERP}第十八条第二款"),
    "合同对履行地点没有约定或者约定不明确，争议标的为给付货币的，接收货币一方所在地为合同履行地。"
    "您请求对方支付合同约定的款项时，您是接收货币的一方。您填写的原告住所地位于{place}。",
    condition="您请求对方支付合同约定的款项（如借款、报酬、保证债务），且合同没有约定履行地点",
    unless=PERFORMANCE,
)
_PERF_ONLINE = BasisRule(
    PERFORMANCE, "合同履行地（收货地）", _a(f"{CPL}第二十四条", f"{INTERP}第二十条"),
    "以信息网络方式订立的买卖合同，通过快递等其他方式交付标的的，收货地为合同履行地；合同对履行地有"
    "约定的，从其约定。您填写的合同履行地（收货地）位于{place}。",
)
_BUYER_ONLINE = BasisRule(
    PLAINTIFF, "合同履行地（买受人住所地）", _a(f"{CPL}第二十四条", f"{INTERP}第二十条"),
    "以信息网络方式订立的买卖合同，通过信息网络交付标的的（如虚拟商品、数字内容），以买受人住所地为"
    "合同履行地。您填写的原告住所地位于{place}。",
    condition="您是买受人，所购标的通过信息网络交付，且合同没有约定履行地",
    unless=PERFORMANCE,
)
_HOUSE_DELIVERY = BasisRule(
    PROPERTY, "合同履行地（不动产所在地）", _a(f"{CPL}第二十四条", f"{INTERP}第十八条第二款"),
    "合同对履行地点没有约定或者约定不明确，争议标的为交付不动产的，不动产所在地为合同履行地。"
    "您填写的房屋位于{place}。",
    condition="争议标的是交付房屋（如要求交房、办理过户），且合同没有约定履行地点",
    unless=PERFORMANCE,
)
_PROPERTY_EXCLUSIVE = BasisRule(
    PROPERTY, "不动产所在地", _a(f"{CPL}第三十四条第（一）项", f"{INTERP}第二十八条"),
    "因不动产纠纷提起的诉讼，由不动产所在地人民法院专属管辖；因不动产的权利确认、分割、相邻关系等"
    "引起的物权纠纷，以及房屋租赁合同纠纷、建设工程施工合同纠纷、政策性房屋买卖合同纠纷，按照不动产"
    "纠纷确定管辖。不动产已登记的，以不动产登记簿记载的所在地为准。您填写的不动产位于{place}。",
)
_DECEDENT = BasisRule(
    DECEDENT, "被继承人死亡时住所地", f"{CPL}第三十四条第（三）项",
    "因继承遗产纠纷提起的诉讼，由被继承人死亡时住所地或者主要遗产所在地人民法院专属管辖。"
    "您填写的被继承人死亡时住所地位于{place}。",
)
_ESTATE = BasisRule(
    PROPERTY, "主要遗产所在地", f"{CPL}第三十四条第（三）项",
    "因继承遗产纠纷提起的诉讼，由被继承人死亡时住所地或者主要遗产所在地人民法院专属管辖。"
    "您填写的主要遗产所在地位于{place}。",
)
_PLAINTIFF_ART23 = BasisRule(
    PLAINTIFF, "原告住所地（被告不在境内、下落不明等情形）", f"{CPL}第二十三条",
    "对不在中华人民共和国领域内居住的人、下落不明或者被宣告失踪的人提起的有关身份关系的诉讼，以及对"
    "被采取强制性教育措施的人、被监禁的人提起的诉讼，由原告住所地人民法院管辖；原告住所地与经常居住地"
    "不一致的，由原告经常居住地人民法院管辖。您填写的原告住所地位于{place}。",
    condition="被告不在中国境内居住、下落不明或者被宣告失踪，或者被告被监禁、被采取强制性教育措施",
)
_PLAINTIFF_DIVORCE = BasisRule(
    PLAINTIFF, "原告住所地（对方离开住所地超过一年）", f"{INTERP}第十二条",
    "夫妻一方离开住所地超过一年，另一方起诉离婚的案件，可以由原告住所地人民法院管辖。"
    "您填写的原告住所地位于{place}。",
    condition="对方离开住所地已超过一年，而您没有离开",
)
_PLAINTIFF_MAINTENANCE = BasisRule(
    PLAINTIFF, "原告住所地", f"{INTERP}第九条",
    "追索赡养费、抚养费、扶养费案件的几个被告住所地不在同一辖区的，可以由原告住所地人民法院管辖。"
    "您填写的原告住所地位于{place}。",
    split_defendants=True,
)
_PERF_LABOUR = BasisRule(
    PERFORMANCE, "劳动合同履行地", f"{LABOUR_INTERP}第三条",
    "劳动争议案件由用人单位所在地或者劳动合同履行地的基层人民法院管辖；劳动合同履行地不明确的，由用人"
    "单位所在地的基层人民法院管辖。您填写的劳动合同履行地（实际工作地点）位于{place}。",
)
_EMPLOYER_DEFENDANT = BasisRule(
    DEFENDANT, "用人单位所在地", _a(f"{LABOUR_INTERP}第三条", f"{CPL}第二十二条"),
    "劳动争议案件由用人单位所在地或者劳动合同履行地的基层人民法院管辖。被告是用人单位的，其住所地即"
    "用人单位所在地，位于{place}。",
    condition="被告是用人单位",
)
_EMPLOYER_PLAINTIFF = BasisRule(
    PLAINTIFF, "用人单位所在地", f"{LABOUR_INTERP}第三条",
    "劳动争议案件由用人单位所在地或者劳动合同履行地的基层人民法院管辖。原告是用人单位的，其所在地位于"
    "{place}。",
    condition="您（原告）是用人单位",
)
_TORT_PLACE = BasisRule(
    TORT, "侵权行为地", _a(f"{CPL}第二十九条", f"{INTERP}第二十四条"),
    "因侵权行为提起的诉讼，由侵权行为地或者被告住所地人民法院管辖；侵权行为地包括侵权行为实施地和侵权"
    "结果发生地。您填写的侵权行为地位于{place}。",
)
_DEF_TORT = BasisRule(
    DEFENDANT, "被告住所地", f"{CPL}第二十九条",
    "因侵权行为提起的诉讼，由侵权行为地或者被告住所地人民法院管辖。您填写的被告住所地位于{place}"
    "（被告住所地与经常居住地不一致的，以经常居住地为准）。",
)
_PRODUCT_PLACE = BasisRule(
    TORT, "侵权行为地", _a(f"{CPL}第二十九条", f"{INTERP}第二十六条"),
    "因产品、服务质量不合格造成他人财产、人身损害提起的诉讼，产品制造地、产品销售地、服务提供地、侵权"
    "行为地和被告住所地人民法院都有管辖权。您填写的侵权行为地位于{place}。",
)
_NET_VICTIM = BasisRule(
    PLAINTIFF, "侵权结果发生地（被侵权人住所地）", _a(f"{CPL}第二十九条", f"{INTERP}第二十五条"),
    "信息网络侵权行为的侵权结果发生地，包括被侵权人住所地。您填写的原告住所地位于{place}。",
    condition="侵权行为是通过信息网络（如网站、社交媒体）实施的",
)
_ACCIDENT_PLACE = BasisRule(
    TORT, "事故发生地", f"{CPL}第三十条",
    "因铁路、公路、水上和航空事故请求损害赔偿提起的诉讼，由事故发生地或者车辆、船舶最先到达地、航空器"
    "最先降落地或者被告住所地人民法院管辖。您填写的事故发生地位于{place}。",
)
_ARRIVAL_PLACE = BasisRule(
    ARRIVAL, "车辆最先到达地", f"{CPL}第三十条",
    "因交通事故请求损害赔偿提起的诉讼，车辆最先到达地人民法院也有管辖权。您填写的车辆最先到达地位于"
    "{place}。",
)
_DEF_TRAFFIC = BasisRule(
    DEFENDANT, "被告住所地", f"{CPL}第三十条",
    "因交通事故请求损害赔偿提起的诉讼，被告住所地人民法院也有管辖权。您填写的被告住所地位于{place}。",
)
_NET_COPYRIGHT_PLACE = BasisRule(
    TORT, "侵权行为地", _a(f"{CPL}第二十九条", f"{NET_COPYRIGHT_RULES}第十五条"),
    "侵害信息网络传播权民事纠纷案件由侵权行为地或者被告住所地人民法院管辖；侵权行为地包括实施被诉侵权"
    "行为的网络服务器、计算机终端等设备所在地；侵权行为地和被告住所地均难以确定或者在境外的，原告发现"
    "侵权内容的计算机终端等设备所在地可以视为侵权行为地。您填写的侵权行为地位于{place}。",
)
_DEF_NET_COPYRIGHT = BasisRule(
    DEFENDANT, "被告住所地", _a(f"{CPL}第二十九条", f"{NET_COPYRIGHT_RULES}第十五条"),
    "侵害信息网络传播权民事纠纷案件由侵权行为地或者被告住所地人民法院管辖。您填写的被告住所地位于{place}。",
)
_TRADEMARK_PLACE = BasisRule(
    TORT, "侵权行为地", f"{TRADEMARK_RULES}第六条",
    "因侵犯注册商标专用权行为提起的民事诉讼，由侵权行为的实施地、侵权商品的储藏地或者查封扣押地、被告"
    "住所地人民法院管辖。您填写的侵权行为地位于{place}。",
)
_DEF_TRADEMARK = BasisRule(
    DEFENDANT, "被告住所地", f"{TRADEMARK_RULES}第六条",
    "因侵犯注册商标专用权行为提起的民事诉讼，被告住所地人民法院有管辖权。您填写的被告住所地位于{place}。",
)

_CONTRACT_PRINCIPLE = f"合同纠纷由被告住所地或者合同履行地人民法院管辖（{CPL}第二十四条）。"
_TORT_PRINCIPLE = f"侵权纠纷由侵权行为地或者被告住所地人民法院管辖（{CPL}第二十九条）。"

FAMILIES: dict[str, Family] = {
    f.key: f
    for f in (
        Family("general", "一般地域管辖", False,
               f"本案适用一般地域管辖，由被告住所地人民法院管辖（{CPL}第二十二条）。", (_DEF_GENERAL,)),
        Family("divorce", "一般地域管辖（离婚）", False,
               f"离婚案件一般由被告住所地人民法院管辖（{CPL}第二十二条），特殊情形下可以由原告住所地人民法院"
               f"管辖（{CPL}第二十三条，{INTERP}第十二条）。",
               (_DEF_GENERAL, _PLAINTIFF_ART23, _PLAINTIFF_DIVORCE)),
        Family("maintenance", "一般地域管辖（抚养费）", False,
               f"本案一般由被告住所地人民法院管辖（{CPL}第二十二条）；几个被告住所地不在同一辖区的，也可以由"
               f"原告住所地人民法院管辖（{INTERP}第九条）。",
               (_DEF_GENERAL, _PLAINTIFF_MAINTENANCE)),
        Family("contract", "合同纠纷", False, _CONTRACT_PRINCIPLE, (_DEF_CONTRACT, _PERF_CONTRACT), True),
        Family("private_loan", "合同纠纷（民间借贷）", False, _CONTRACT_PRINCIPLE,
               (_DEF_CONTRACT, _PERF_CONTRACT, _PAYEE_PRIVATE_LOAN), True),
        Family("loan", "合同纠纷（借款）", False, _CONTRACT_PRINCIPLE,
               (_DEF_CONTRACT, _PERF_CONTRACT, _PAYEE_LOAN), True),
        Family("payment", "合同纠纷（给付货币）", False, _CONTRACT_PRINCIPLE,
               (_DEF_CONTRACT, _PERF_CONTRACT, _PAYEE_GENERAL), True),
        Family("online_sale", "合同纠纷（信息网络买卖）", False, _CONTRACT_PRINCIPLE,
               (_DEF_CONTRACT, _PERF_ONLINE, _BUYER_ONLINE), True),
        Family("house_sale", "合同纠纷（房屋买卖）", False, _CONTRACT_PRINCIPLE,
               (_DEF_CONTRACT, _PERF_CONTRACT, _HOUSE_DELIVERY), True),
        Family("real_estate", "不动产纠纷（专属管辖）", True,
               f"本案按不动产纠纷由不动产所在地人民法院专属管辖（{CPL}第三十四条第（一）项，{INTERP}第二十八条）："
               "被告住所地等其他地点的法院没有管辖权，当事人也不能约定变更，因此只列出不动产所在地的法院。",
               (_PROPERTY_EXCLUSIVE,)),
        Family("succession", "继承遗产纠纷（专属管辖）", True,
               f"继承遗产纠纷由被继承人死亡时住所地或者主要遗产所在地人民法院专属管辖（{CPL}第三十四条第（三）项）："
               "其他地点的法院没有管辖权，因此只列出这两类地点的法院。",
               (_DECEDENT, _ESTATE)),
        Family("labour", "劳动争议", False,
               f"劳动争议案件由用人单位所在地或者劳动合同履行地的基层人民法院管辖（{LABOUR_INTERP}第三条）。",
               (_PERF_LABOUR, _EMPLOYER_DEFENDANT, _EMPLOYER_PLAINTIFF)),
        Family("tort", "侵权纠纷", False, _TORT_PRINCIPLE, (_TORT_PLACE, _DEF_TORT)),
        Family("product", "侵权纠纷（产品责任）", False,
               f"产品责任纠纷由产品制造地、产品销售地、服务提供地、侵权行为地或者被告住所地人民法院管辖"
               f"（{CPL}第二十九条，{INTERP}第二十六条）。",
               (_PRODUCT_PLACE, _DEF_TORT)),
        Family("personality", "侵权纠纷（人格权）", False, _TORT_PRINCIPLE,
               (_TORT_PLACE, _DEF_TORT, _NET_VICTIM)),
        Family("traffic", "交通事故", False,
               f"交通事故损害赔偿纠纷由事故发生地、车辆最先到达地或者被告住所地人民法院管辖（{CPL}第三十条）。",
               (_ACCIDENT_PLACE, _ARRIVAL_PLACE, _DEF_TRAFFIC)),
        Family("network_copyright", "知识产权（信息网络传播权）", False,
               f"侵害信息网络传播权纠纷由侵权行为地或者被告住所地人民法院管辖（{NET_COPYRIGHT_RULES}第十五条）。",
               (_NET_COPYRIGHT_PLACE, _DEF_NET_COPYRIGHT)),
        Family("trademark", "知识产权（商标权）", False,
               f"侵害商标权纠纷由侵权行为的实施地、侵权商品的储藏地或者查封扣押地、被告住所地人民法院管辖"
               f"（{TRADEMARK_RULES}第六条）。",
               (_TRADEMARK_PLACE, _DEF_TRADEMARK)),
    )
}

# 互联网法院集中管辖 (《规定》第二条): the item that may cover each cause, and its condition.
_INTERNET_ITEMS: dict[str, tuple[str, str]] = {
    "信息网络买卖合同纠纷": ("第二条第（一）项", "通过电子商务平台签订或者履行网络购物合同"),
    "网络服务合同纠纷": ("第二条第（二）项", "合同的签订、履行行为均在互联网上完成"),
    "金融借款合同纠纷": ("第二条第（三）项", "借款合同的签订、履行行为均在互联网上完成"),
    "侵害作品信息网络传播权纠纷": ("第二条第（五）项", "在互联网上侵害在线发表或者传播的作品的著作权"),
    "名誉权纠纷": ("第二条第（七）项", "侵权行为发生在互联网上"),
    "肖像权纠纷": ("第二条第（七）项", "侵权行为发生在互联网上"),
    "隐私权、个人信息保护纠纷": ("第二条第（七）项", "侵权行为发生在互联网上"),
    "产品责任纠纷": ("第二条第（八）项", "产品是通过电子商务平台购买的"),
}


@dataclass(frozen=True)
class CaseRule:
    family: str
    notes: tuple[str, ...] = ()
    ip: bool = False


_ARBITRATION_NOTE = "劳动争议须先向劳动争议仲裁委员会申请仲裁，对仲裁裁决不服的，才可以向人民法院起诉（《中华人民共和国劳动争议调解仲裁法》第五条）。"

# Every cause in court/data/case_types.json, mapped to its rule family (tests check the coverage).
CASE_RULES: dict[str, CaseRule] = {
    "民间借贷纠纷": CaseRule("private_loan", (
        f"如果争议是出借人是否已经出借款项（例如借款人起诉要求放款），接收货币的一方是借款人，应以借款人所在地"
        f"为合同履行地（{INTERP}第十八条第二款）。",)),
    "金融借款合同纠纷": CaseRule("loan", ("金融借款合同通常约定了管辖法院，请先查看合同中的争议解决条款。",)),
    "信用卡纠纷": CaseRule("payment", ("信用卡领用合约通常约定了管辖法院，请先查看合约中的争议解决条款。",)),
    "买卖合同纠纷": CaseRule("contract", (
        f"合同没有约定履行地点的：争议标的为给付货币的（如请求支付货款），接收货币一方所在地为合同履行地；"
        f"其他标的，履行义务一方所在地为合同履行地（{INTERP}第十八条第二款）。",)),
    "信息网络买卖合同纠纷": CaseRule("online_sale"),
    "房屋买卖合同纠纷": CaseRule("house_sale", (
        f"政策性房屋（如经济适用住房）买卖合同纠纷按照不动产纠纷，由房屋所在地人民法院专属管辖"
        f"（{INTERP}第二十八条）。",)),
    "服务合同纠纷": CaseRule("contract"),
    "网络服务合同纠纷": CaseRule("contract"),
    "房屋租赁合同纠纷": CaseRule("real_estate"),
    "物业服务合同纠纷": CaseRule("contract", (
        "物业服务合同纠纷按合同纠纷确定管辖；实践中多由物业所在地人民法院审理，起诉前可向物业所在地法院确认。",)),
    "建设工程施工合同纠纷": CaseRule("real_estate"),
    "装饰装修合同纠纷": CaseRule("contract", (
        f"装饰装修合同纠纷是否按“建设工程施工合同纠纷”由不动产所在地法院专属管辖（{INTERP}第二十八条），"
        "各地法院认识不一；涉及房屋主体或者工程施工内容的，建议向房屋所在地法院起诉或者先行咨询。",)),
    "劳务合同纠纷": CaseRule("payment", ("劳务合同纠纷与劳动争议不同，不需要先经劳动仲裁。",)),
    "保证合同纠纷": CaseRule("payment", ("保证合同纠纷通常与主合同纠纷一并起诉，一般按主合同确定管辖。",)),
    "不当得利纠纷": CaseRule("general"),
    "离婚纠纷": CaseRule("divorce"),
    "离婚后财产纠纷": CaseRule("general"),
    "抚养费纠纷": CaseRule("maintenance"),
    "法定继承纠纷": CaseRule("succession"),
    "劳动争议": CaseRule("labour", (_ARBITRATION_NOTE,)),
    "确认劳动关系纠纷": CaseRule("labour", (_ARBITRATION_NOTE,)),
    "追索劳动报酬纠纷": CaseRule("labour", (_ARBITRATION_NOTE,)),
    "经济补偿金纠纷": CaseRule("labour", (_ARBITRATION_NOTE,)),
    "机动车交通事故责任纠纷": CaseRule("traffic"),
    "医疗损害责任纠纷": CaseRule("tort", ("医疗机构的住所地和诊疗行为地通常一致，可以填写医院所在地。",)),
    "产品责任纠纷": CaseRule("product", (
        f"产品制造地、产品销售地、服务提供地的人民法院也有管辖权（{INTERP}第二十六条），可以将其作为侵权行为地填写查询。",)),
    "侵权责任纠纷": CaseRule("tort"),
    "生命权、身体权、健康权纠纷": CaseRule("tort"),
    "名誉权纠纷": CaseRule("personality"),
    "肖像权纠纷": CaseRule("personality"),
    "隐私权、个人信息保护纠纷": CaseRule("personality"),
    "侵害作品信息网络传播权纠纷": CaseRule("network_copyright", ip=True),
    "侵害商标权纠纷": CaseRule("trademark", ip=True),
    "相邻关系纠纷": CaseRule("real_estate"),
}

_IP_NOTE = (
    f"知识产权民事案件只能由具有相应知识产权案件管辖权的人民法院审理（{IP_LEVEL_RULES}）；所列基层人民法院如果"
    "没有这类案件的管辖权，请向当地指定的法院起诉。"
)
_IP_CAUTION = "知识产权案件须由具有知识产权案件管辖权的法院审理，请先确认该院是否受理此类案件。"


# --- input and output ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """The places the litigant gave (any may be missing); several defendants (or plaintiffs) may live apart."""

    defendant: tuple[str, ...] = ()
    plaintiff: tuple[str, ...] = ()
    performance: Optional[str] = None
    tort: Optional[str] = None
    property: Optional[str] = None
    arrival: Optional[str] = None
    decedent: Optional[str] = None

    def by_role(self) -> dict[str, tuple[str, ...]]:
        """Role → the texts given for it, only the roles that were given."""
        single = {
            PERFORMANCE: self.performance, TORT: self.tort,
            PROPERTY: self.property, ARRIVAL: self.arrival, DECEDENT: self.decedent,
        }
        out: dict[str, tuple[str, ...]] = {}
        for role, texts in ((DEFENDANT, self.defendant), (PLAINTIFF, self.plaintiff)):
            if any(t.strip() for t in texts):
                out[role] = tuple(t for t in texts if t.strip())
        for role, text in single.items():
            if text and text.strip():
                out[role] = (text,)
        return out


@dataclass(frozen=True)
class Basis:
    basis: str
    article: str
    explanation: str
    place: str  # the division understood, e.g. 「北京市朝阳区」
    condition: Optional[str] = None


@dataclass(frozen=True)
class CourtSuggestion:
    court: Court
    bases: tuple[Basis, ...]
    certainty: str  # resolved / unqualified / ambiguous (of the best place that led here)
    caution: Optional[str] = None

    @property
    def conditional(self) -> bool:
        """Every basis depends on a fact the litigant must confirm."""
        return all(b.condition for b in self.bases)

    @property
    def basis(self) -> str:
        return "；".join(b.basis for b in self.bases)

    @property
    def article(self) -> str:
        seen: list[str] = []
        for b in self.bases:
            for part in b.article.split("；"):
                if part not in seen:
                    seen.append(part)
        return "；".join(seen)

    @property
    def explanation(self) -> str:
        return "".join(
            (f"（适用条件：{b.condition}）" if b.condition else "") + b.explanation for b in self.bases
        )


@dataclass(frozen=True)
class UnresolvedPlace:
    field: str
    place: str
    reason: str


@dataclass(frozen=True)
class JurisdictionAdvice:
    case_type: str
    rule: str
    rule_label: str
    exclusive: bool
    suggestions: tuple[CourtSuggestion, ...]
    unresolved: tuple[UnresolvedPlace, ...]
    notes: tuple[str, ...]
    omitted: int = 0

    @property
    def note(self) -> str:
        return "".join(self.notes)


# --- the computation -----------------------------------------------------------------------------

_CERTAINTY_ORDER = {RESOLVED: 0, UNQUALIFIED: 1, AMBIGUOUS: 2}


@dataclass
class _Hit:
    court: Court
    bases: list[Basis] = field(default_factory=list)
    certainty: str = AMBIGUOUS
    rank: int = 99
    order: int = 0
    cautions: list[str] = field(default_factory=list)


def internet_court_for(court: Court) -> Optional[Court]:
    """The internet court whose city holds this basic court (北京、广州、杭州), if any."""
    for candidate in all_courts():
        if candidate.kind == "internet" and court.region.startswith(candidate.region) and court.province == candidate.province:
            return candidate
    return None


def suggest_courts(
    case_type: str,
    places: Places,
    amount: Optional[Decimal] = None,
    resolve: Callable[[str], PlaceResolution] = resolve_place,
    limit: int = MAX_SUGGESTIONS,
) -> JurisdictionAdvice:
    """The competent first-instance court(s) for ``case_type`` given ``places``, best first.

    ``case_type`` is a cause's canonical name; a cause this module does not know falls back to the
    general rule (第二十二条) and says so. Ranking: facts the litigant need not confirm first, then
    a place named with its province/city before a guessed one, then more bases, then the order of
    the rules in the statute.
    """
    notes: list[str] = []
    case_rule = CASE_RULES.get(case_type)
    if case_rule is None:
        case_rule = CaseRule("general")
        notes.append("该案由暂未配置专门的管辖规则，以下按一般地域管辖提示，请您以法律规定和法院意见为准。")
    family = FAMILIES[case_rule.family]
    given = places.by_role()
    resolutions: dict[str, PlaceResolution] = {}

    def resolved(text: str) -> PlaceResolution:
        if text not in resolutions:
            resolutions[text] = resolve(text)
        return resolutions[text]

    defendant_courts = {
        c.code for t in given.get(DEFENDANT, ()) for c in resolved(t).courts
    }
    hits: dict[str, _Hit] = {}
    unresolved: list[UnresolvedPlace] = []
    used_roles: set[str] = set()
    order = 0
    for rank, rule in enumerate(family.bases):
        texts = given.get(rule.role, ())
        if not texts or (rule.unless and rule.unless in given):
            continue
        if rule.split_defendants and len(defendant_courts) < 2:
            continue
        used_roles.add(rule.role)
        for text in texts:
            res = resolved(text)
            if not res.courts:
                entry = UnresolvedPlace(rule.role, text, res.message or "未能确定该地点所在的法院。")
                if entry not in unresolved:
                    unresolved.append(entry)
                continue
            for court, label in zip(res.courts, res.labels):
                hit = hits.get(court.code)
                if hit is None:
                    hit = hits[court.code] = _Hit(court, order=order)
                    order += 1
                basis = Basis(rule.basis, rule.article, rule.explanation.format(place=label), label, rule.condition)
                if all((b.basis, b.article) != (basis.basis, basis.article) for b in hit.bases):
                    hit.bases.append(basis)
                hit.rank = min(hit.rank, rank)
                if _CERTAINTY_ORDER[res.status] < _CERTAINTY_ORDER[hit.certainty]:
                    hit.certainty = res.status
                if res.message and res.message not in hit.cautions:
                    hit.cautions.append(res.message)
                if case_rule.ip and _IP_CAUTION not in hit.cautions:
                    hit.cautions.append(_IP_CAUTION)

    internet = _INTERNET_ITEMS.get(case_type)
    internet_added = False
    if internet:
        item, condition = internet
        for hit in list(hits.values()):
            net = internet_court_for(hit.court)
            if net is None:
                continue
            city = net.region.removeprefix(net.province) or net.province
            basis = Basis(
                "互联网法院集中管辖", f"{INTERNET_RULES}{item}",
                f"{net.name}集中管辖{city}辖区内应当由基层人民法院受理的这类第一审案件；案件符合条件时，"
                f"应向{net.name}起诉，而不是向{hit.court.name}起诉。",
                hit.bases[0].place, condition,
            )
            net_hit = hits.get(net.code)
            if net_hit is None:
                net_hit = hits[net.code] = _Hit(net, order=order, rank=len(family.bases))
                order += 1
            if basis not in net_hit.bases and all(b.basis != basis.basis for b in net_hit.bases):
                net_hit.bases.append(basis)
            if _CERTAINTY_ORDER[hit.certainty] < _CERTAINTY_ORDER[net_hit.certainty]:
                net_hit.certainty = hit.certainty
            for caution in hit.cautions:
                if caution not in net_hit.cautions and caution != _IP_CAUTION:
                    net_hit.cautions.append(caution)
            internet_added = True

    ranked = sorted(
        hits.values(),
        key=lambda h: (
            all(b.condition for b in h.bases),
            _CERTAINTY_ORDER[h.certainty],
            -len(h.bases),
            h.rank,
            h.order,
        ),
    )
    suggestions = tuple(
        CourtSuggestion(h.court, tuple(h.bases), h.certainty, "".join(h.cautions) or None)
        for h in ranked[:limit]
    )
    omitted = max(0, len(ranked) - limit)

    # The note: the rule first, then what the litigant should check.
    notes.insert(0, family.principle)
    if not suggestions:
        missing = [r.basis for r in family.bases if r.role not in given and not r.split_defendants and not r.condition]
        if missing:
            notes.append(f"请补充{'或'.join(dict.fromkeys(missing))}，以便确定管辖法院。")
    if any(r.split_defendants and r.role in given and r.role not in used_roles for r in family.bases):
        notes.append(
            f"原告住所地只在几个被告住所地不在同一辖区时才可以作为管辖依据（{INTERP}第九条），本次未作参考。"
        )
    ignored = [ROLES[r] for r in given if r not in used_roles and not any(b.role == r for b in family.bases)]
    if ignored:
        what = "专属管辖" if family.exclusive else "管辖"
        notes.append(f"本案的{what}不以{'、'.join(ignored)}确定，您填写的{'、'.join(ignored)}未作参考。")
    displaced = [r for r in family.bases if r.unless and r.unless in given and r.role in given]
    if displaced:
        notes.append("您已填写合同履行地，已按该履行地确定，不再依据法律推定的履行地。")
    if unresolved:
        notes.append("您填写的部分地点未能对应到具体法院，请根据提示补充或修改。")
    if suggestions:
        notes.append(f"第一审民事案件一般由基层人民法院管辖（{CPL}第十八条），以上建议均为基层人民法院。")
    if family.agreement_note:
        notes.append(
            "如果您与对方曾书面约定管辖法院（例如合同中的争议解决条款），应按约定起诉：合同或者其他财产权益"
            "纠纷的当事人可以书面协议选择与争议有实际联系的地点的人民法院管辖，但不得违反级别管辖和专属管辖"
            f"的规定（{CPL}第三十五条）。"
        )
    if len(suggestions) > 1:
        notes.append(
            f"几个法院都有管辖权的，您可以选择其中一个法院起诉；向两个以上有管辖权的法院起诉的，由最先立案的"
            f"法院管辖（{CPL}第三十六条）。"
        )
    if internet_added:
        notes.append(
            f"北京、广州、杭州互联网法院集中管辖所在市辖区内的部分互联网案件（{INTERNET_RULES}第二条），"
            "请按所列条件判断是否应向互联网法院起诉。"
        )
    notes.extend(case_rule.notes)
    if case_rule.ip:
        notes.append(_IP_NOTE)
    elif amount is not None and amount >= LARGE_AMOUNT:
        notes.append(
            f"您的诉讼标的额较大：当事人一方住所地不在受理法院所在省份的，诉讼标的额1亿元以上的第一审民事"
            f"案件由中级人民法院管辖；当事人住所地均在或者均不在该省份的，5亿元以上的由中级人民法院管辖"
            f"（{LEVEL_NOTICE}第一条、第二条）。请据此确认是否应向中级人民法院起诉。"
        )
    if omitted:
        notes.append(f"另有{omitted}个法院也可能有管辖权，未全部列出。")

    return JurisdictionAdvice(
        case_type=case_type,
        rule=family.key,
        rule_label=family.label,
        exclusive=family.exclusive,
        suggestions=suggestions,
        unresolved=tuple(unresolved),
        notes=tuple(notes),
        omitted=omitted,
    )
