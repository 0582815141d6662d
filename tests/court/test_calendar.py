"""The holiday calendar (court/rules/holidays_cn.json via court/rules/calendar.py) at its edges."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from court.rules import calendar
from court.rules.calendar import (
    CalendarRangeError,
    covered_range,
    first_working_day_on_or_after,
    holiday_name,
    is_rest_day,
    is_statutory_holiday,
    is_working_day,
    notice_for,
)
from court.rules.errors import RuleError


def test_covers_2020_to_2026_and_every_year_names_its_notice() -> None:
    assert covered_range() == (date(2020, 1, 1), date(2026, 12, 31))
    data = json.loads(calendar.CALENDAR_PATH.read_text(encoding="utf-8"))
    years = [entry["year"] for entry in data["years"]]
    assert years == list(range(2020, 2027))
    for entry in data["years"]:
        assert entry["title"] == f"国务院办公厅关于{entry['year']}年部分节假日安排的通知"
        assert entry["number"].startswith("国办发明电〔")
        assert entry["url"].startswith("https://www.gov.cn/")


@pytest.mark.parametrize("year", range(2020, 2027))
def test_festival_days_off_per_year(year: int) -> None:
    """元旦 is a day off every year; 2025 onwards 春节 is 4 statutory days incl. 除夕, so its
    notice's range includes 除夕 (2025-01-28, 2026-02-16)."""
    assert is_statutory_holiday(date(year, 1, 1))
    assert is_statutory_holiday(date(year, 10, 1))
    assert is_statutory_holiday(date(year, 5, 1))


def test_chuxi_is_a_holiday_since_2025() -> None:
    assert holiday_name(date(2025, 1, 28)) == "春节"  # 除夕 2025
    assert holiday_name(date(2026, 2, 16)) == "春节"  # 除夕 2026
    # before the 2024 revision (国务院令第795号) 除夕 was no holiday: 春节 2024 ran 2月10日至17日
    assert not is_statutory_holiday(date(2024, 2, 9))
    assert is_working_day(date(2024, 2, 9))


def test_tiaoxiu_saturday_is_a_working_day_and_its_counterpart_a_day_off() -> None:
    assert date(2026, 10, 10).weekday() == 5
    assert is_working_day(date(2026, 10, 10))
    assert not is_statutory_holiday(date(2026, 10, 10))
    assert is_working_day(date(2026, 1, 4))  # a Sunday worked after 元旦 2026
    assert not is_working_day(date(2026, 10, 7))  # a Wednesday off (国庆 调休)


def test_ordinary_weekend_is_a_rest_day_but_not_a_statutory_holiday() -> None:
    sunday = date(2026, 11, 15)
    assert sunday.weekday() == 6
    assert is_rest_day(sunday)
    assert not is_working_day(sunday)
    assert not is_statutory_holiday(sunday)
    assert holiday_name(sunday) is None
    assert is_working_day(date(2026, 11, 16))


def test_2020_extension_made_the_working_saturday_a_day_off() -> None:
    """国办发明电〔2020〕1号 extended 春节 to 2 February and cancelled the working 1 February."""
    assert not is_working_day(date(2020, 2, 1))
    assert holiday_name(date(2020, 1, 31)) == "春节（延长假期）"
    assert is_working_day(date(2020, 2, 3))
    assert [n.number for n in notice_for(date(2020, 2, 1))] == ["国办发明电〔2019〕16号", "国办发明电〔2020〕1号"]


def test_late_december_day_comes_from_next_years_notice() -> None:
    assert holiday_name(date(2022, 12, 31)) == "元旦"
    assert notice_for(date(2022, 12, 31))[0].year == 2023
    assert notice_for(date(2022, 11, 1))[0].number == "国办发明电〔2021〕11号"
    assert "国办发明电〔2022〕16号" in notice_for(date(2022, 12, 31))[0].citation


def test_first_working_day_moves_across_new_year_and_spring_festival() -> None:
    assert first_working_day_on_or_after(date(2026, 1, 1)) == date(2026, 1, 4)  # a worked Sunday
    assert first_working_day_on_or_after(date(2026, 2, 15)) == date(2026, 2, 24)
    assert first_working_day_on_or_after(date(2026, 2, 24)) == date(2026, 2, 24)


@pytest.mark.parametrize("day", [date(2027, 1, 1), date(2019, 12, 31), date(2030, 6, 1)])
def test_outside_the_calendar_is_refused_not_guessed(day: date) -> None:
    for check in (is_working_day, is_statutory_holiday, is_rest_day):
        with pytest.raises(CalendarRangeError) as caught:
            check(day)
        assert isinstance(caught.value, RuleError)
        assert caught.value.code == "calendar_out_of_range"
        assert "2026年12月31日" in caught.value.message
        assert "您" in caught.value.message


def test_search_past_the_end_is_refused() -> None:
    assert is_working_day(date(2026, 12, 31))
    with pytest.raises(CalendarRangeError):
        first_working_day_on_or_after(date(2026, 12, 31) + timedelta(days=1))


def test_data_has_no_day_both_off_and_working() -> None:
    data = calendar._calendar()
    assert not data.working_days & data.holidays.keys()
    # every 调休 working day is a weekend day (a weekday needs no arrangement)
    assert all(day.weekday() >= 5 for day in data.working_days)
    assert len(data.working_days) == 46  # 2020-2026, equal to holidays 0.109 and chinese-calendar 1.11.0
