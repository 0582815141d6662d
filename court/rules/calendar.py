"""Which days are days off in China: the State Council's holiday notices plus the weekend, as data.

Why this module exists: a procedural period whose last day is a 法定休假日 ends on the first
working day after it (《中华人民共和国民事诉讼法》（2023年修正）第八十五条第三款), so every deadline
the court gives depends on the official calendar. The calendar is kept in ``holidays_cn.json``
beside this file, one entry per year with its notice (《国务院办公厅关于YYYY年部分节假日安排的
通知》, number, date, gov.cn address); this module only reads it. A date the file does not cover
raises :class:`CalendarRangeError`: the next year's notice must be added, never guessed.

What counts as a day off (休假日) for art. 85:
* every day inside a notice's 放假 range (the festivals of 《全国年节及纪念日放假办法》第二条 and
  the days made free by 调休);
* Saturdays and Sundays, the weekly rest days of state organs, courts included (《国务院关于职工
  工作时间的规定》第七条: 国家机关、事业单位实行统一的工作时间，星期六和星期日为周休息日) — the
  courts treat them as 休假日 under art. 85, as the SPC long wrote it (原《最高人民法院关于贯彻执行
  〈中华人民共和国民法通则〉若干问题的意见（试行）》第198条: 期间的最后一天是星期日或者其他法定
  休假日，而星期日或者其他法定休假日有变通的，以实际休假日的次日为期间的最后一天);
* except a weekend day the notice makes a working day (调休上班): "有变通的，以实际休假日" — a
  working Saturday is not a day off, so a period ending on it is not moved.

Standard-library only (the Rasa action server imports the rules too).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from court.rules.errors import RuleError

__all__ = [
    "CALENDAR_PATH",
    "CalendarRangeError",
    "Notice",
    "covered_range",
    "first_working_day_on_or_after",
    "holiday_name",
    "is_rest_day",
    "is_statutory_holiday",
    "is_working_day",
    "notice_for",
]

CALENDAR_PATH = Path(__file__).with_name("holidays_cn.json")


class CalendarRangeError(RuleError):
    """A date outside the years whose holiday notice is in ``holidays_cn.json``."""

    def __init__(self, day: date, first: date, last: date) -> None:
        super().__init__(
            "calendar_out_of_range",
            f"抱歉，系统中的法定节假日安排目前只覆盖{first:%Y年%m月%d日}至{last:%Y年%m月%d日}，"
            f"无法确定{day:%Y年%m月%d日}是否为工作日，暂不能为您计算该期限。请以人民法院的通知为准。",
        )
        self.day = day


@dataclass(frozen=True)
class Notice:
    """The source of one year's days off and working days."""

    year: int
    title: str
    number: str
    issued: date
    url: str

    @property
    def citation(self) -> str:
        """``《国务院办公厅关于2026年部分节假日安排的通知》（国办发明电〔2025〕7号）``."""
        return f"《{self.title}》（{self.number}）"


@dataclass(frozen=True)
class _Calendar:
    first: date
    last: date
    holidays: dict[date, str]  # day off → festival name
    working_days: frozenset[date]  # 调休上班的周末
    sources: dict[date, int]  # an arranged day → the year of the notice arranging it
    notices: dict[int, tuple[Notice, ...]]


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _days(start: str, end: str) -> list[date]:
    first, last = _day(start), _day(end)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _notice(year: int, entry: dict[str, Any]) -> Notice:
    return Notice(year, entry["title"], entry["number"], _day(entry["issued"]), entry["url"])


@lru_cache(maxsize=1)
def _calendar() -> _Calendar:
    data = json.loads(CALENDAR_PATH.read_text(encoding="utf-8"))
    holidays: dict[date, str] = {}
    working: set[date] = set()
    sources: dict[date, int] = {}
    notices: dict[int, tuple[Notice, ...]] = {}
    for year in data["years"]:
        own = [_notice(year["year"], year)]
        for entry in (year, *year.get("amendments", ())):
            for span in entry["holidays"]:
                for day in _days(span["from"], span["to"]):
                    holidays[day] = span["name"]
                    sources[day] = year["year"]
            for text in entry.get("working_days", ()):
                working.add(_day(text))
                sources[_day(text)] = year["year"]
            working -= {_day(text) for text in entry.get("cancel_working_days", ())}
            if entry is not year:
                own.append(_notice(year["year"], entry))
        notices[year["year"]] = tuple(own)
    overlap = working & holidays.keys()
    if overlap:  # a data error: a day cannot be both
        raise ValueError(f"holidays_cn.json: both holiday and working day: {sorted(overlap)}")
    return _Calendar(
        first=_day(data["covered"]["from"]),
        last=_day(data["covered"]["to"]),
        holidays=holidays,
        working_days=frozenset(working),
        sources=sources,
        notices=notices,
    )


def covered_range() -> tuple[date, date]:
    """The first and last day the calendar answers for."""
    calendar = _calendar()
    return calendar.first, calendar.last


def _checked(day: date) -> _Calendar:
    calendar = _calendar()
    if not isinstance(day, date):
        raise TypeError("a datetime.date is needed")
    if not calendar.first <= day <= calendar.last:
        raise CalendarRangeError(day, calendar.first, calendar.last)
    return calendar


def is_statutory_holiday(day: date) -> bool:
    """A day off under the State Council notice (法定节假日 and the days made free by 调休)."""
    return day in _checked(day).holidays


def holiday_name(day: date) -> Optional[str]:
    """The festival a notice's day off belongs to («国庆节»), or None."""
    return _checked(day).holidays.get(day)


def is_working_day(day: date) -> bool:
    """A day the courts work: not a notice's day off, and not a weekend unless made a working day
    by 调休 (art. 85 CPL and the weekend rule in the module doc)."""
    calendar = _checked(day)
    if day in calendar.holidays:
        return False
    if day in calendar.working_days:
        return True
    return day.weekday() < 5


def is_rest_day(day: date) -> bool:
    """A 休假日 in the sense of CPL art. 85: the opposite of :func:`is_working_day`."""
    return not is_working_day(day)


def first_working_day_on_or_after(day: date) -> date:
    """``day`` itself when the courts work then, else the first working day after it
    (CPL art. 85(3): 以法定休假日后的第一日为期间届满的日期). Raises CalendarRangeError when the
    search runs past the calendar."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def notice_for(day: date) -> tuple[Notice, ...]:
    """The notice(s) a day's status comes from: the one that arranged it (2022-12-31 is in the
    2023 notice), else the notice of the day's own year."""
    calendar = _checked(day)
    year = calendar.sources.get(day, day.year)
    return calendar.notices.get(year, ())
