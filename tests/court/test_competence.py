"""Level and specialised competence (court/rules/competence.py): CPL arts. 18-21, 法发〔2021〕27号,
法发〔2019〕14号, internet, IP, financial and other specialised courts."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from court.rules.competence import CompetenceError, check_competence, required_level
from court.rules.courts import court_by_code
from court.rules.errors import RuleError

LOAN = "民间借贷纠纷"


def court(code: str):
    found = court_by_code(code)
    assert found is not None, code
    return found


def test_ordinary_loan_at_the_supreme_court_is_refused() -> None:
    decision = check_competence(court("最高法"), LOAN, D("50000"), ["浙江省", "浙江省"])
    assert not decision.accepted
    assert decision.code == "supreme_court"
    assert "第二十一条" in decision.reason and "基层人民法院" in decision.reason
    assert decision.competent_level == "基层人民法院"
    assert any("第二十一条" in b for b in decision.basis)


def test_ordinary_loan_at_a_high_court_is_refused() -> None:
    decision = check_competence(court("浙"), LOAN, D("50000"), ["浙江省"])
    assert (decision.accepted, decision.code) == (False, "level_too_high")
    assert "浙江省高级人民法院是高级人民法院" in decision.reason
    assert decision.competent_level == "基层人民法院"
    assert any("第三十九条" in n for n in decision.notes)


def test_ordinary_loan_at_an_ip_court_is_refused() -> None:
    decision = check_competence(court("京73"), LOAN, D("50000"), ["北京市"])
    assert (decision.accepted, decision.code) == (False, "not_ip_matter")
    assert "知识产权" in decision.reason
    assert any("设立知识产权法院的决定" in b for b in decision.basis)


def test_ordinary_loan_at_a_basic_court_is_accepted() -> None:
    decision = check_competence(court("浙0106"), LOAN, D("50000"), ["浙江省", "江苏省"])
    assert decision.accepted and decision.code is None
    assert decision.competent_level == "基层人民法院"


@pytest.mark.parametrize(
    "amount, provinces, level",
    [
        ("99999999.99", ["浙江省", "江苏省"], "basic"),
        ("100000000", ["浙江省", "江苏省"], "intermediate"),  # 1亿元以上 includes 1亿 (第二条)
        ("100000000", ["浙江省", "浙江"], "basic"),  # all inside: 5亿 (第一条)
        ("100000000", ["江苏省", "上海市"], "basic"),  # all outside: 5亿 (第一条)
        ("499999999.99", ["浙江省"], "basic"),
        ("500000000", ["浙江省"], "intermediate"),
        ("4999999999.99", ["浙江省"], "intermediate"),
        ("5000000000", ["浙江省"], "high"),  # 法发〔2019〕14号第二条
    ],
)
def test_level_thresholds_at_their_edges(amount: str, provinces: list[str], level: str) -> None:
    assert required_level(D(amount), "浙江省", provinces)[0] == level


def test_basic_court_refuses_a_cross_province_1_yi_case_and_the_intermediate_accepts() -> None:
    basic = check_competence(court("浙0106"), LOAN, D("100000000"), ["浙江省", "江苏省"])
    assert (basic.accepted, basic.code, basic.competent_level) == (False, "level_too_low", "中级人民法院")
    assert any("第二条" in b for b in basic.basis)
    assert check_competence(court("浙01"), LOAN, D("100000000"), ["浙江省", "江苏省"]).accepted
    high = check_competence(court("浙"), LOAN, D("5000000000"), ["浙江省"])
    assert high.accepted and any("法发〔2019〕14号）第二条" in b for b in high.basis)


def test_provinces_needed_between_1_and_5_yi() -> None:
    with pytest.raises(CompetenceError) as caught:
        check_competence(court("浙0106"), LOAN, D("200000000"))
    assert caught.value.code == "party_provinces_needed"
    assert isinstance(caught.value, RuleError)
    with pytest.raises(CompetenceError):
        check_competence(court("浙0106"), LOAN, D("200000000"), ["火星"])
    # below 1亿 the provinces change nothing
    assert check_competence(court("浙0106"), LOAN, D("99999999.99")).accepted


def test_unknown_case_type_and_bad_amount_refused() -> None:
    with pytest.raises(CompetenceError):
        check_competence(court("浙0106"), "外星纠纷", D("1"))
    with pytest.raises(CompetenceError):
        check_competence(court("浙0106"), LOAN, D("-1"))


def test_internet_court_hears_only_its_listed_matters() -> None:
    refused = check_competence(court("浙0192"), LOAN, D("50000"), ["浙江省"])
    assert (refused.accepted, refused.code) == (False, "not_internet_matter")
    assert "法释〔2018〕16号" in refused.reason
    accepted = check_competence(court("浙0192"), "信息网络买卖合同纠纷", D("50000"), ["浙江省"])
    assert accepted.accepted and any("电子商务平台" in n for n in accepted.notes)
    assert any("第二条第（一）项" in b for b in accepted.basis)
    offline = check_competence(court("浙0192"), "信息网络买卖合同纠纷", D("50000"), ["浙江省"], online=False)
    assert not offline.accepted
    big = check_competence(court("浙0192"), "信息网络买卖合同纠纷", D("600000000"), ["浙江省"])
    assert (big.accepted, big.code) == (False, "level_too_low")


def test_basic_court_of_an_internet_city_sends_online_cases_to_the_internet_court() -> None:
    noted = check_competence(court("浙0106"), "信息网络买卖合同纠纷", D("50000"), ["浙江省"])
    assert noted.accepted and any("杭州互联网法院" in n for n in noted.notes)
    online = check_competence(court("浙0106"), "信息网络买卖合同纠纷", D("50000"), ["浙江省"], online=True)
    assert (online.accepted, online.code) == (False, "internet_court")
    assert online.competent_court is not None and online.competent_court.code == "浙0192"


def test_financial_court_takes_intermediate_level_financial_cases_of_its_city() -> None:
    amount, parties = D("600000000"), ["上海市"]
    general = check_competence(court("沪01"), "金融借款合同纠纷", amount, parties)
    assert (general.accepted, general.code) == (False, "financial_court")
    assert general.competent_court is not None and general.competent_court.code == "沪74"
    assert check_competence(court("沪74"), "金融借款合同纠纷", amount, parties).accepted
    small = check_competence(court("沪74"), "金融借款合同纠纷", D("10000"), parties)
    assert (small.accepted, small.code, small.competent_level) == (False, "level_too_high", "基层人民法院")
    assert not check_competence(court("京74"), LOAN, amount, ["北京市"]).accepted
    # outside Beijing and Shanghai the intermediate court hears it
    assert check_competence(court("浙01"), "金融借款合同纠纷", amount, ["浙江省"]).accepted


def test_ip_cases_ignore_the_amount_thresholds_and_go_to_the_ip_court_in_beijing() -> None:
    copyright_case = "侵害作品信息网络传播权纠纷"
    basic = check_competence(court("浙0106"), copyright_case, D("200000000"), ["浙江省", "江苏省"])
    assert basic.accepted and any("知识产权案件管辖权" in n for n in basic.notes)
    beijing = check_competence(court("京01"), "侵害商标权纠纷", D("1000000"), ["北京市"])
    assert (beijing.accepted, beijing.code) == (False, "ip_court")
    assert beijing.competent_court is not None and beijing.competent_court.code == "京73"
    assert check_competence(court("京73"), "侵害商标权纠纷", D("1000000"), ["北京市"]).accepted
    assert not check_competence(court("浙"), "侵害商标权纠纷", D("1000000"), ["浙江省"]).accepted


@pytest.mark.parametrize("code, kind", [("沪72", "maritime"), ("沪7101", "railway"), ("军", "military")])
def test_other_specialised_courts_refuse_an_ordinary_loan(code: str, kind: str) -> None:
    decision = check_competence(court(code), LOAN, D("50000"), ["上海市"])
    assert (decision.accepted, decision.code) == (False, f"not_{kind}_matter")
    assert "基层人民法院" in decision.reason
