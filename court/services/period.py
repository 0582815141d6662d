"""A span of China calendar days, as list filters ask for it ("from 3 March to 5 March")."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Optional
from zoneinfo import ZoneInfo

CHINA_TZ = ZoneInfo("Asia/Shanghai")


def china_date(moment: datetime) -> date:
    """The calendar date in China (Asia/Shanghai) of an instant."""
    return moment.astimezone(CHINA_TZ).date()


def day_start(day: date) -> datetime:
    """Midnight in Beijing: where a China calendar day starts."""
    return datetime.combine(day, time(0, 0), tzinfo=CHINA_TZ)


@dataclass(frozen=True)
class Period:
    date_from: Optional[date] = None
    date_to: Optional[date] = None  # inclusive

    def conditions(self, ends: Any, starts: Any) -> list[Any]:
        """SQL conditions: `ends` (a column) on or after the first day, `starts` before the day after the last."""
        out = []
        # The calendar's first and last day bound nothing (and would leave Python's datetime range
        # once moved to UTC: 0001-01-01 00:00 in Beijing is in year 0 — found by `make fuzz`).
        if self.date_from is not None and self.date_from > date.min:
            out.append(ends >= day_start(self.date_from))
        if self.date_to is not None and self.date_to < date.max:
            out.append(starts < day_start(self.date_to + timedelta(days=1)))
        return out
