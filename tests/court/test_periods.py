"""Procedural periods (court/rules/periods.py): CPL art. 85, 办法 art. 22, CPL arts. 90 and 126."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from court.rules.calendar import CalendarRangeError
from court.rules.periods import (
    CHINA_TZ,
    CORRECTION_MISSED,
    PeriodError,
    correction_due,
    electronic_service_date,
    fee_payment_deadline,
    fee_payment_due,
    filing_decision_deadline,
    filing_decision_due,
    period_deadline,
)


def at(day: str, clock: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=CHINA_TZ)


def midnight_after(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=CHINA_TZ) + timedelta(days=1)


def test_ordinary_week_seven_days_from_the_next_day_ending_at_24h() -> None:
    deadline = fee_payment_deadline(at("2026-11-04"))  # a Wednesday
    assert deadline.start_day == date(2026, 11, 5)
    assert deadline.last_day == date(2026, 11, 11)
    assert deadline.due_at == midnight_after("2026-11-11")
    assert deadline.moved_from is None
    assert "第二十二条" in deadline.basis and "第八十五条" in deadline.basis


def test_ends_on_the_eve_of_national_day_not_moved() -> None:
    assert fee_payment_deadline(at("2026-09-23")).last_day == date(2026, 9, 30)


def test_ends_inside_national_day_moved_to_the_first_working_day_after() -> None:
    deadline = fee_payment_deadline(at("2026-09-24"))
    assert deadline.moved_from == date(2026, 10, 1)
    assert deadline.last_day == date(2026, 10, 8)
    assert fee_payment_due(at("2026-09-24")) == midnight_after("2026-10-08")
    assert "国庆节" in deadline.explanation and "2026年10月8日24时" in deadline.explanation


def test_ends_on_a_working_tiaoxiu_saturday_not_moved() -> None:
    assert fee_payment_deadline(at("2026-10-03")).last_day == date(2026, 10, 10)  # 调休上班
    assert fee_payment_deadline(at("2026-02-21")).last_day == date(2026, 2, 28)


def test_ends_on_an_ordinary_sunday_moved_to_monday() -> None:
    deadline = fee_payment_deadline(at("2026-11-08"))
    assert deadline.moved_from == date(2026, 11, 15)
    assert deadline.last_day == date(2026, 11, 16)
    assert "休息日" in deadline.explanation


def test_across_new_year_ends_on_the_worked_sunday() -> None:
    deadline = fee_payment_deadline(at("2025-12-25"))
    assert deadline.moved_from == date(2026, 1, 1)
    assert deadline.last_day == date(2026, 1, 4)  # Sunday, a working day by the 2026 notice


def test_across_spring_festival() -> None:
    assert fee_payment_deadline(at("2026-02-10")).last_day == date(2026, 2, 24)
    assert filing_decision_due(at("2026-02-12")) == midnight_after("2026-02-24")


def test_served_at_2359_counts_that_day_0001_the_next() -> None:
    late = fee_payment_deadline(at("2026-11-02", "23:59"))
    early = fee_payment_deadline(at("2026-11-03", "00:01"))
    assert late.start_day == date(2026, 11, 3) and late.last_day == date(2026, 11, 9)
    assert early.start_day == date(2026, 11, 4) and early.last_day == date(2026, 11, 10)


def test_china_day_not_server_day() -> None:
    """23:59 in Beijing is 15:59 UTC: the same China day whatever zone the moment is in."""
    utc = datetime(2026, 11, 2, 15, 59, tzinfo=timezone.utc)
    assert fee_payment_due(utc) == fee_payment_due(at("2026-11-02", "23:59"))
    assert fee_payment_deadline(datetime(2026, 11, 2, 16, 1, tzinfo=timezone.utc)).last_day == date(2026, 11, 10)


def test_naive_moment_refused() -> None:
    with pytest.raises(PeriodError) as caught:
        fee_payment_due(datetime(2026, 11, 2, 10, 0))
    assert caught.value.code == "naive_moment"


def test_past_the_calendar_refused() -> None:
    assert fee_payment_deadline(at("2026-12-20")).last_day == date(2026, 12, 28)  # Sunday 27 → 28
    with pytest.raises(CalendarRangeError):
        fee_payment_due(at("2026-12-28"))  # would end 2027-01-04: the 2027 notice is not in the data
    with pytest.raises(CalendarRangeError):
        fee_payment_due(at("2026-12-31", "23:59"))


def test_electronic_service_needs_consent_and_counts_the_reaching_day() -> None:
    assert electronic_service_date(at("2026-11-02", "23:59"), consented=True) == date(2026, 11, 2)
    for answer in (None, False):
        with pytest.raises(PeriodError) as caught:
            electronic_service_date(at("2026-11-02"), consented=answer)
        assert caught.value.code == "no_electronic_consent"
        assert "第九十条" in caught.value.message


def test_filing_decision_restarts_from_the_correction() -> None:
    first = filing_decision_deadline(at("2026-11-02"))
    assert first.last_day == date(2026, 11, 9)
    again = filing_decision_deadline(at("2026-11-02"), correction_received_at=at("2026-11-20"))
    assert again.start_day == date(2026, 11, 21)
    assert again.last_day == date(2026, 11, 27)
    assert "第七条" in again.basis and "解释》第一百二十六条" in again.basis
    with pytest.raises(PeriodError):
        filing_decision_due(at("2026-11-02"), correction_received_at=at("2026-11-01"))


def test_correction_period_and_missed_path() -> None:
    deadline = correction_due(at("2026-09-16"), 15)
    assert deadline.moved_from == date(2026, 10, 1)
    assert deadline.last_day == date(2026, 10, 8)
    for bad in (0, -1, 91, True, 1.5):
        with pytest.raises(PeriodError):
            correction_due(at("2026-09-16"), bad)  # type: ignore[arg-type]
    assert "不予受理" in CORRECTION_MISSED and "第七条" in CORRECTION_MISSED


def test_periods_in_months_end_on_the_corresponding_day_or_month_end() -> None:
    assert period_deadline(at("2026-03-16"), months=1).last_day == date(2026, 4, 16)
    # 2026-01-31 + 1 month: no 31 February → 28 February, a working Saturday (调休)
    assert period_deadline(at("2026-01-31"), months=1).last_day == date(2026, 2, 28)
    # 2025-08-31 + 1 month → 30 September (Tuesday) — then 国庆 does not matter
    assert period_deadline(at("2025-08-31"), months=1).last_day == date(2025, 9, 30)
    # a year: 2025-10-01 → 2026-10-01 (国庆) → 2026-10-08
    assert period_deadline(at("2025-10-01"), years=1).last_day == date(2026, 10, 8)
    with pytest.raises(ValueError):
        period_deadline(at("2025-10-01"), days=3, months=1)
