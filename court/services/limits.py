"""Counting limits over sliding windows (issue 9, finding 7): SMS codes per phone, ID number and
client address; filings per litigant per day.

A limit is "at most N in any span": the (N)th most recent event leaving the span is when the
next one is allowed, which is what the 429 says (``retry_after`` seconds, and the Beijing time)
so that the litigant, or the bot for them, knows when to come back. The limits are costs and
abuse bounds of this service, not legal rules.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from court.services.errors import TooManyAttempts
from court.services.period import CHINA_TZ

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Window:
    limit: int
    span: timedelta
    unit: str = "次"

    def label(self) -> str:
        return f"{'每小时' if self.span == HOUR else '每天'}最多{self.limit}{self.unit}"


# 实名认证 codes: a phone, an ID number, and one client address (many people may share one: a
# court's kiosk, a company's NAT, so it allows more). The action server, which speaks for every
# chat litigant, is not counted by address (court/api/identity.py).
def sms_windows(per_hour: int, per_day: int) -> tuple[Window, ...]:
    """Codes per hour and per day for one phone, ID number or client address (Settings.sms_per_*:
    5/10 for a phone or an ID number, 20/60 for an address; the embedded stack raises them, whose
    test litigants share numbers and all come from 127.0.0.1)."""
    return (Window(per_hour, HOUR), Window(per_day, DAY))


SMS_PER_PHONE = sms_windows(5, 10)
SMS_PER_ID_NUMBER = sms_windows(5, 10)


def filings_per_day(limit: int) -> tuple[Window, ...]:
    """New filings of one litigant (Settings.filings_per_day): each renders a PDF and reaches a clerk."""
    return (Window(limit, DAY, "份"),)


def seconds_until_allowed(times: Iterable[datetime], windows: Sequence[Window], at: datetime) -> Optional[int]:
    """Seconds until one more event fits every window; None when it fits now."""
    ordered = sorted(times, reverse=True)
    waits = []
    for window in windows:
        recent = [t for t in ordered if t > at - window.span]
        if len(recent) >= window.limit:
            waits.append((recent[window.limit - 1] + window.span - at).total_seconds())
    return max(1, math.ceil(max(waits))) if waits else None


def wait_text(seconds: int, at: datetime) -> str:
    """'约25分钟后（北京时间14:05以后）' — relative and wall-clock, as a person would say it."""
    when = (at + timedelta(seconds=seconds)).astimezone(CHINA_TZ)
    if seconds < 3600:
        relative = f"约{max(1, math.ceil(seconds / 60))}分钟后"
    else:
        relative = f"约{math.ceil(seconds / 3600)}小时后"
    day = "" if when.date() == at.astimezone(CHINA_TZ).date() else f"{when.month}月{when.day}日"
    return f"{relative}（北京时间{day}{when:%H:%M}以后）"


async def check(session: AsyncSession, column: Any, where: Any, windows: Sequence[Window], at: datetime, *,
                code: str, subject: str, field: Optional[str]) -> None:
    """Raise 429 when one more event (rows of `column` matching `where`) would break a window.

    `subject` begins the message: '该手机号码获取验证码过于频繁'.
    """
    longest = max(w.span for w in windows)
    times = (await session.execute(
        select(column).where(where, column > at - longest).order_by(column.desc()).limit(max(w.limit for w in windows))
    )).scalars().all()
    wait = seconds_until_allowed(times, windows, at)
    if wait is not None:
        rules = "、".join(w.label() for w in windows)
        raise TooManyAttempts(code, f"{subject}（{rules}），请您{wait_text(wait, at)}再试。", field, retry_after=wait)
