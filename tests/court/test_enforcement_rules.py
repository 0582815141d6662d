"""court/rules/enforcement.py: the two-year period, the 执行申请费, 执 numbers, the competent court."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from court.rules.case_numbers import parse_case_number
from court.rules.enforcement import (
    EnforcementError, application_period, check_court, enforcement_case_number, enforcement_fee,
    is_enforcement_number,
)


def test_two_years_from_the_last_day_of_performance():
    period = application_period(date(2024, 3, 15))
    # 2026-03-15 is a Sunday: 民诉法第八十五条第三款 moves it to Monday the 16th.
    assert period.last_day == date(2026, 3, 16) and period.moved_from == date(2026, 3, 15)
    assert not period.expired(date(2026, 3, 16)) and period.expired(date(2026, 3, 17))
    assert "第二百五十条" in period.explanation and "顺延" in period.explanation


def test_a_last_day_in_the_national_day_holiday_moves_past_it():
    period = application_period(date(2024, 10, 3))
    assert period.last_day == date(2026, 10, 8) and period.holiday_checked


def test_interruption_restarts_the_period_in_full():
    period = application_period(date(2023, 1, 10), interrupted_on=date(2024, 6, 3), today=date(2026, 5, 1))
    assert period.last_day == date(2026, 6, 3)
    assert not period.expired(date(2026, 5, 1))
    assert "第一百九十五条" in period.basis and "中断" in period.explanation
    assert application_period(date(2023, 1, 10)).expired(date(2026, 5, 1))


def test_interruption_before_the_period_began_is_refused():
    with pytest.raises(EnforcementError) as err:
        application_period(date(2024, 6, 1), interrupted_on=date(2024, 5, 1))
    assert err.value.code == "interruption_before_start"


def test_suspension_in_the_last_six_months_ends_six_months_after_the_obstacle():
    period = application_period(date(2023, 1, 10), obstacle_ended_on=date(2024, 12, 20))
    assert period.last_day == date(2025, 6, 20) and "第一百九十四条" in period.basis
    early = application_period(date(2023, 1, 10), obstacle_ended_on=date(2023, 6, 1))
    assert early.last_day == date(2025, 1, 10)


def test_beyond_the_holiday_calendar_the_nominal_day_is_kept_and_said():
    period = application_period(date(2026, 5, 20))
    assert period.last_day == date(2028, 5, 20) and not period.holiday_checked
    assert "如届满日为法定休假日" in period.explanation


@pytest.mark.parametrize("amount, fee", [
    ("5000", "50.00"), ("10000", "50.00"), ("100000", "1400.00"), ("500000", "7400.00"),
    ("1000000", "12400.00"), ("6000000", "57400.00"), ("20000000", "87400.00"), ("12345.67", "85.19"),
])
def test_the_fee_by_cumulative_bands(amount, fee):
    result = enforcement_fee(Decimal(amount))
    assert result.amount == Decimal(fee)
    assert "执行后交纳" in result.explanation and "第十四条" in result.explanation


def test_no_amount_is_fifty_to_five_hundred():
    result = enforcement_fee(None)
    assert result.amount is None and (result.low, result.high) == (Decimal(50), Decimal(500))
    assert "50至500元" in result.explanation


@pytest.mark.parametrize("bad", [Decimal(0), Decimal(-5), Decimal("NaN")])
def test_a_bad_amount_is_refused(bad):
    with pytest.raises(EnforcementError):
        enforcement_fee(bad)


def test_enforcement_case_numbers():
    assert enforcement_case_number(2026, "京0105", 123) == "（2026）京0105执123号"
    assert enforcement_case_number(2026, "京0105", 4, "resumed") == "（2026）京0105执恢4号"
    assert enforcement_case_number(2026, "京0105", 5, "objection") == "（2026）京0105执异5号"
    assert is_enforcement_number(parse_case_number("(2026)京0105执123号"))
    assert not is_enforcement_number(parse_case_number("(2026)京0105民初1号"))
    with pytest.raises(EnforcementError):
        enforcement_case_number(2026, "京0105", 1, "whatever")


def test_the_first_instance_court_is_competent():
    check = check_court("京0105", "judgment", "（2025）京0105民初8号")
    assert check.ok and not check.needs_confirmation and "第二百三十五条" in check.basis


def test_another_court_only_where_the_property_is_and_at_the_same_level():
    assert not check_court("京0108", "judgment", "（2025）京0105民初8号").ok
    assert check_court("京0108", "judgment", "（2025）京0105民初8号", property_there=True).ok
    higher = check_court("京03", "judgment", "（2025）京0105民初8号", property_there=True)
    assert not higher.ok and "北京市朝阳区人民法院" in higher.message


def test_an_arbitral_award_goes_to_an_intermediate_court():
    basic = check_court("京0105", "arbitration", property_there=True)
    assert not basic.ok and "中级人民法院" in basic.message and "法释〔2018〕5号" in basic.basis
    assert check_court("京03", "arbitration", respondent_lives_there=True).ok
    assert not check_court("京03", "arbitration").ok
