"""Jurisdiction rules (court/rules/jurisdiction.py) and place resolution (court/rules/places.py): pure."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from court.data import case_types
from court.rules import jurisdiction as J
from court.rules.jurisdiction import CASE_RULES, FAMILIES, Places, suggest_courts
from court.rules.places import (
    AMBIGUOUS,
    NEED_DISTRICT,
    RESOLVED,
    UNKNOWN,
    UNQUALIFIED,
    covered_provinces,
    resolve_place,
)

CASE_TYPES = case_types()
ARTICLE = re.compile(r"《[^》]+》(第[一二三四五六七八九十百]+条)")


def codes(advice: J.JurisdictionAdvice) -> list[str]:
    return [s.court.code for s in advice.suggestions]


# --- rules as data -------------------------------------------------------------------------------


def test_every_case_type_has_a_rule_family() -> None:
    names = [c["name"] for c in CASE_TYPES]
    assert sorted(set(names) - set(CASE_RULES)) == []
    assert sorted(set(CASE_RULES) - set(names)) == []  # no rule for a cause the form does not offer
    assert {rule.family for rule in CASE_RULES.values()} <= set(FAMILIES)


@pytest.mark.parametrize("name, family", [
    ("民间借贷纠纷", "private_loan"), ("房屋租赁合同纠纷", "real_estate"), ("建设工程施工合同纠纷", "real_estate"),
    ("相邻关系纠纷", "real_estate"), ("法定继承纠纷", "succession"), ("机动车交通事故责任纠纷", "traffic"),
    ("买卖合同纠纷", "contract"), ("房屋买卖合同纠纷", "house_sale"), ("不当得利纠纷", "general"),
    ("追索劳动报酬纠纷", "labour"), ("名誉权纠纷", "personality"), ("侵害商标权纠纷", "trademark"),
])
def test_families_of_key_causes(name: str, family: str) -> None:
    assert CASE_RULES[name].family == family


def test_every_basis_cites_an_article() -> None:
    for family in FAMILIES.values():
        assert ARTICLE.search(family.principle), family.key
        for rule in family.bases:
            for part in rule.article.split("；"):
                assert ARTICLE.fullmatch(re.sub(r"第（[一二三四五六七八九十]+）项|第[一二三]款", "", part)), (family.key, part)
            assert "{place}" in rule.explanation and rule.role in J.ROLES


def test_only_the_exclusive_families_are_exclusive() -> None:
    assert {k for k, f in FAMILIES.items() if f.exclusive} == {"real_estate", "succession"}
    for key in ("real_estate", "succession"):
        assert "第三十四条" in FAMILIES[key].principle
        assert not FAMILIES[key].agreement_note  # 协议管辖 cannot displace 专属管辖


# --- places ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, status, code", [
    ("北京市朝阳区xx路1号", RESOLVED, "京0105"),
    ("杭州市西湖区", RESOLVED, "浙0106"),
    ("广州天河", RESOLVED, "粤0106"),
    ("广东省广州市天河区体育西路", RESOLVED, "粤0106"),
    ("北京朝阳", RESOLVED, "京0105"),
    ("上海浦东", RESOLVED, "沪0115"),
    ("上海普陀", RESOLVED, "沪0107"),
    ("舟山普陀", RESOLVED, "浙0903"),
    ("浙江义乌", RESOLVED, "浙0782"),
    ("中国北京市海淀区", RESOLVED, "京0108"),
    ("朝阳区", UNQUALIFIED, "京0105"),
    ("天河", UNQUALIFIED, "粤0106"),
    ("乳源", UNQUALIFIED, "粤0232"),
])
def test_places_resolve_to_their_basic_court(text: str, status: str, code: str) -> None:
    res = resolve_place(text)
    assert res.status == status
    assert [c.code for c in res.courts] == [code]
    assert res.courts[0].tier == "basic" and res.courts[0].kind == "general"
    assert (res.message is None) == (status == RESOLVED)


def test_a_bare_district_name_is_flagged_not_silently_taken() -> None:
    res = resolve_place("朝阳区")
    assert "北京市朝阳区" in res.message and "省、市" in res.message


def test_a_name_shared_by_two_districts_gives_both() -> None:
    res = resolve_place("普陀区")
    assert res.status == AMBIGUOUS
    assert sorted(c.code for c in res.courts) == ["沪0107", "浙0903"]
    assert "上海市普陀区" in res.message and "浙江省舟山市普陀区" in res.message


@pytest.mark.parametrize("text", [
    "长春市朝阳区",  # another 朝阳区, of a city outside the data: never 北京朝阳
    "吉林省长春市朝阳区",
    "朝阳市",  # 辽宁朝阳市, not 朝阳(区)
    "江北新区",  # 南京, not 宁波江北(区)
    "杭州市临安区",  # a district the data leaves out (its code is unverified)
    "广东省湛江市霞山区",
    "xx路1号",
    "",
])
def test_places_outside_the_data_resolve_to_nothing(text: str) -> None:
    res = resolve_place(text)
    assert res.status == UNKNOWN and res.courts == ()
    assert res.message


def test_an_uncovered_province_says_what_is_covered() -> None:
    res = resolve_place("四川省成都市武侯区")
    assert "四川省" in res.message and "北京" in res.message
    assert "四川省" not in covered_provinces() and "北京市" in covered_provinces()


@pytest.mark.parametrize("text", ["北京市", "广州", "杭州市"])
def test_a_city_without_its_district_asks_for_it(text: str) -> None:
    res = resolve_place(text)
    assert res.status == NEED_DISTRICT and not res.courts and "区、县" in res.message


def test_a_city_without_districts_lists_its_courts() -> None:
    res = resolve_place("东莞市虎门镇")
    assert res.status == AMBIGUOUS
    assert [c.code for c in res.courts] == ["粤1971", "粤1972", "粤1973"]
    assert "镇街" in res.message


# --- suggestions -----------------------------------------------------------------------------------


def test_loan_defendant_place_and_lenders_place() -> None:
    advice = suggest_courts("民间借贷纠纷", Places(defendant=("北京市朝阳区xx路1号",), plaintiff=("杭州市西湖区",)))
    assert codes(advice) == ["京0105", "浙0106"]
    defendant, lender = advice.suggestions
    assert defendant.basis == "被告住所地" and "第二十四条" in defendant.article and not defendant.conditional
    assert lender.basis == "合同履行地（接收货币一方所在地）"
    assert "第十八条第二款" in lender.article and "民间借贷案件适用法律若干问题的规定》第三条" in lender.article
    assert lender.conditional and "出借人" in lender.bases[0].condition
    assert "浙江省杭州市西湖区" in lender.explanation
    assert advice.rule == "private_loan" and not advice.exclusive
    assert "第三十五条" in advice.note and "第三十六条" in advice.note  # 协议管辖, several courts


def test_an_agreed_performance_place_displaces_the_lenders_place() -> None:
    advice = suggest_courts(
        "民间借贷纠纷", Places(defendant=("北京市朝阳区",), plaintiff=("杭州市西湖区",), performance="上海市黄浦区"),
    )
    assert codes(advice) == ["京0105", "沪0101"]
    assert advice.suggestions[1].basis == "合同履行地"
    assert "已按该履行地确定" in advice.note


def test_a_court_reached_twice_lists_both_bases_once() -> None:
    advice = suggest_courts("民间借贷纠纷", Places(defendant=("北京朝阳",), plaintiff=("北京市朝阳区",)))
    assert codes(advice) == ["京0105"]
    assert [b.basis for b in advice.suggestions[0].bases] == ["被告住所地", "合同履行地（接收货币一方所在地）"]
    assert advice.suggestions[0].basis == "被告住所地；合同履行地（接收货币一方所在地）"
    assert not advice.suggestions[0].conditional  # one basis needs no confirmation


def test_house_lease_goes_only_to_the_property_place() -> None:
    advice = suggest_courts(
        "房屋租赁合同纠纷",
        Places(defendant=("北京市朝阳区",), plaintiff=("北京市海淀区",), property="广州市天河区"),
    )
    assert advice.exclusive and advice.rule == "real_estate"
    assert codes(advice) == ["粤0106"]
    (only,) = advice.suggestions
    assert only.basis == "不动产所在地"
    assert "第三十四条第（一）项" in only.article and "第二十八条" in only.article
    assert "专属管辖" in advice.note and "被告住所地" in advice.note and "未作参考" in advice.note


def test_house_lease_without_the_property_place_suggests_nothing() -> None:
    advice = suggest_courts("房屋租赁合同纠纷", Places(defendant=("北京市朝阳区",)))
    assert advice.suggestions == () and advice.exclusive
    assert "请补充不动产所在地" in advice.note


@pytest.mark.parametrize("case_type", ["建设工程施工合同纠纷", "相邻关系纠纷"])
def test_other_real_estate_disputes_are_exclusive(case_type: str) -> None:
    advice = suggest_courts(case_type, Places(defendant=("北京市朝阳区",), property="上海市徐汇区"))
    assert codes(advice) == ["沪0104"] and advice.exclusive


def test_succession_goes_to_the_decedents_place_or_the_estate() -> None:
    advice = suggest_courts(
        "法定继承纠纷", Places(defendant=("北京市朝阳区",), decedent="杭州市上城区", property="杭州市滨江区"),
    )
    assert advice.exclusive and codes(advice) == ["浙0102", "浙0108"]
    assert [s.basis for s in advice.suggestions] == ["被继承人死亡时住所地", "主要遗产所在地"]
    assert all("第三十四条第（三）项" in s.article for s in advice.suggestions)


def test_traffic_accident_place_first_arrival_then_defendant() -> None:
    advice = suggest_courts(
        "机动车交通事故责任纠纷",
        Places(defendant=("上海浦东",), tort="上海市闵行区", arrival="上海徐汇"),
    )
    assert codes(advice) == ["沪0112", "沪0104", "沪0115"]
    assert [s.basis for s in advice.suggestions] == ["事故发生地", "车辆最先到达地", "被告住所地"]
    assert all(s.article == "《中华人民共和国民事诉讼法》第三十条" for s in advice.suggestions)


def test_traffic_accident_where_the_defendant_lives_ranks_first() -> None:
    advice = suggest_courts("机动车交通事故责任纠纷", Places(defendant=("上海浦东",), tort="上海市闵行区", arrival="上海市浦东新区"))
    assert codes(advice) == ["沪0115", "沪0112"]  # two bases beat one
    assert advice.suggestions[0].basis == "车辆最先到达地；被告住所地"


def test_two_defendants_in_two_districts_give_two_courts() -> None:
    advice = suggest_courts("买卖合同纠纷", Places(defendant=("北京市朝阳区", "北京市海淀区")))
    assert codes(advice) == ["京0105", "京0108"]
    assert all(s.basis == "被告住所地" for s in advice.suggestions)


def test_two_defendants_in_one_district_give_one_court_one_basis() -> None:
    advice = suggest_courts("不当得利纠纷", Places(defendant=("北京市朝阳区a路", "北京朝阳b路")))
    assert codes(advice) == ["京0105"] and len(advice.suggestions[0].bases) == 1
    assert "第二十二条" in advice.suggestions[0].article


def test_a_place_matching_no_court_gives_nothing_and_says_why() -> None:
    advice = suggest_courts("买卖合同纠纷", Places(defendant=("长春市朝阳区",)))
    assert advice.suggestions == ()
    (entry,) = advice.unresolved
    assert entry.field == "defendant_place" and entry.place == "长春市朝阳区" and entry.reason
    assert "未能对应到具体法院" in advice.note
    assert "以上建议" not in advice.note


def test_ambiguous_and_unqualified_places_are_flagged_and_ranked_last() -> None:
    advice = suggest_courts("买卖合同纠纷", Places(defendant=("普陀区", "朝阳区", "杭州市西湖区")))
    assert codes(advice) == ["浙0106", "京0105", "沪0107", "浙0903"]
    certainty = [s.certainty for s in advice.suggestions]
    assert certainty == [RESOLVED, UNQUALIFIED, AMBIGUOUS, AMBIGUOUS]
    assert advice.suggestions[0].caution is None
    assert all(s.caution for s in advice.suggestions[1:])


def test_at_most_six_suggestions() -> None:
    districts = ["东城", "西城", "朝阳", "丰台", "石景山", "海淀", "门头沟", "房山", "通州"]
    advice = suggest_courts("不当得利纠纷", Places(defendant=tuple(f"北京市{d}区" for d in districts)))
    assert len(advice.suggestions) == J.MAX_SUGGESTIONS == 6
    assert advice.omitted == 3 and "另有3个法院" in advice.note
    assert len(set(codes(advice))) == 6


def test_an_irrelevant_place_is_ignored_and_said_so() -> None:
    advice = suggest_courts("买卖合同纠纷", Places(defendant=("北京市朝阳区",), tort="上海市徐汇区"))
    assert codes(advice) == ["京0105"]
    assert "侵权行为地未作参考" in advice.note


def test_online_purchase_adds_the_internet_court_of_that_city() -> None:
    advice = suggest_courts("信息网络买卖合同纠纷", Places(defendant=("杭州市余杭区",), performance="北京市海淀区"))
    assert codes(advice)[:2] == ["浙0110", "京0108"]
    assert set(codes(advice)[2:]) == {"浙0192", "京0491"}
    internet = next(s for s in advice.suggestions if s.court.code == "浙0192")
    assert internet.conditional and "第二条第（一）项" in internet.article
    assert "电子商务平台" in internet.bases[0].condition
    assert advice.suggestions[1].basis == "合同履行地（收货地）" and "第二十条" in advice.suggestions[1].article


def test_an_offline_sale_gets_no_internet_court() -> None:
    advice = suggest_courts("买卖合同纠纷", Places(defendant=("杭州市余杭区",)))
    assert codes(advice) == ["浙0110"]


def test_online_buyer_place_only_without_an_agreed_place() -> None:
    advice = suggest_courts("信息网络买卖合同纠纷", Places(defendant=("深圳南山",), plaintiff=("上海市长宁区",)))
    assert codes(advice) == ["粤0305", "沪0105"]
    assert advice.suggestions[1].basis == "合同履行地（买受人住所地）" and advice.suggestions[1].conditional


def test_labour_dispute_work_place_first_and_arbitration_first() -> None:
    advice = suggest_courts("追索劳动报酬纠纷", Places(defendant=("上海市黄浦区",), performance="北京市通州区"))
    assert codes(advice) == ["京0112", "沪0101"]
    assert advice.suggestions[0].basis == "劳动合同履行地" and not advice.suggestions[0].conditional
    assert advice.suggestions[1].basis == "用人单位所在地" and advice.suggestions[1].bases[0].condition == "被告是用人单位"
    assert "劳动争议仲裁" in advice.note and "第三条" in advice.suggestions[0].article


def test_maintenance_plaintiff_place_only_when_defendants_live_apart() -> None:
    apart = suggest_courts("抚养费纠纷", Places(defendant=("北京市朝阳区", "上海市徐汇区"), plaintiff=("杭州市西湖区",)))
    assert codes(apart) == ["京0105", "沪0104", "浙0106"]
    assert "第九条" in apart.suggestions[2].article
    together = suggest_courts("抚养费纠纷", Places(defendant=("北京市朝阳区",), plaintiff=("杭州市西湖区",)))
    assert codes(together) == ["京0105"] and "第九条" in together.note


def test_divorce_plaintiff_place_only_under_conditions() -> None:
    advice = suggest_courts("离婚纠纷", Places(defendant=("北京市朝阳区",), plaintiff=("杭州市西湖区",)))
    assert codes(advice) == ["京0105", "浙0106"]
    plaintiff = advice.suggestions[1]
    assert plaintiff.conditional and "第二十三条" in plaintiff.article and "第十二条" in plaintiff.article


def test_network_personality_tort_adds_victims_place_conditionally() -> None:
    advice = suggest_courts("名誉权纠纷", Places(defendant=("北京市海淀区",), plaintiff=("上海市静安区",)))
    assert codes(advice)[:2] == ["京0108", "沪0106"]
    assert "第二十五条" in advice.suggestions[1].article and "信息网络" in advice.suggestions[1].bases[0].condition
    assert "京0491" in codes(advice)  # 北京互联网法院, 第二条第（七）项


def test_ip_cases_carry_the_ip_caution_and_no_amount_note() -> None:
    advice = suggest_courts("侵害商标权纠纷", Places(defendant=("深圳南山",)), amount=Decimal("200000000"))
    assert "知识产权" in advice.suggestions[0].caution
    assert "第一审知识产权民事、行政案件管辖的若干规定" in advice.note
    assert "法发〔2021〕27号" not in advice.note  # its item 五: not for IP cases


@pytest.mark.parametrize("amount, noted", [(Decimal("99999999.99"), False), (Decimal("100000000"), True), (None, False)])
def test_a_very_large_amount_adds_the_level_note(amount, noted: bool) -> None:
    advice = suggest_courts("买卖合同纠纷", Places(defendant=("北京市朝阳区",)), amount=amount)
    assert ("法发〔2021〕27号" in advice.note) is noted
    assert "第十八条" in advice.note  # basic courts hear first instance


def test_an_unmapped_cause_falls_back_to_the_general_rule_and_says_so() -> None:
    advice = suggest_courts("某某新案由", Places(defendant=("北京市朝阳区",), tort="上海市徐汇区"))
    assert advice.rule == "general" and codes(advice) == ["京0105"]
    assert "暂未配置" in advice.note


def test_resolver_can_be_replaced() -> None:
    calls: list[str] = []

    def resolver(text: str):
        calls.append(text)
        return resolve_place("北京市朝阳区")

    advice = suggest_courts("不当得利纠纷", Places(defendant=("甲", "甲")), resolve=resolver)
    assert codes(advice) == ["京0105"] and calls == ["甲"]  # each text resolved once
