"""Procedural periods (期间) to the day: when a period starts, when it ends, and the moment it runs out.

Why this module exists: a deadline one day too early makes the court treat a case as withdrawn
(按撤诉处理) while the litigant still has time. Every deadline the backend stores (the fee notice's
``due_at``, the filing decision's due date, a 补正 period) comes from here, computed from the real
moment of the event (service, receipt), with the official calendar of ``calendar.py``.

Rules (the article next to the code that applies it):
* 《中华人民共和国民事诉讼法》（2023年修正，下称民诉法）第八十五条: periods are counted in hours,
  days, months and years; the day of the event is not counted (第二款; 《最高人民法院关于适用〈中华
  人民共和国民事诉讼法〉的解释》第一百二十五条: 以日、月、年计算的期间从次日起算); a period whose
  last day is a 法定休假日 ends on the first day after the holiday (第三款) — read with
  ``calendar.py``: weekends count as 休假日, a 调休 working Saturday does not.
* 《中华人民共和国民法典》第二百零二条: a period in months or years ends on the corresponding day of
  the last month, or the month's last day where there is none; 第二百零三条第二款: the last day ends
  at 24:00. Times are China time (Asia/Shanghai), the courts' time.
* 民诉法第九十条: electronic service needs the recipient's consent and is effective on the day the
  message reaches the recipient's specific system — a notice reaching it at 23:59 is served that
  day, so a period runs from the next day.
* 《诉讼费用交纳办法》第二十二条第一款: the acceptance fee is paid within 7 days from the day after
  the plaintiff receives the court's fee notice.
* 民诉法第一百二十六条 and 《最高人民法院关于人民法院登记立案若干问题的规定》（法释〔2015〕8号）
  第八条: the court decides within 7 days of receiving the complaint whether to file it, and files it
  first (先行立案) when it cannot decide in time; 第七条: missing materials are notified once, in
  writing, with a 指定期限; when corrected in time, the 7 days run from receipt of the correction;
  when not corrected in time, the complaint is returned and recorded, and a plaintiff who insists
  gets a ruling not to accept it (裁定不予受理). 《最高人民法院关于适用〈中华人民共和国民事诉讼法〉
  的解释》第一百二十六条 says the same for the filing period: 从补正后交人民法院的次日起算.

Standard-library only.
"""
from __future__ import annotations

import calendar as _months
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

from court.rules.calendar import first_working_day_on_or_after, holiday_name, is_working_day
from court.rules.errors import RuleError

__all__ = [
    "CHINA_TZ",
    "CORRECTION_MISSED",
    "Deadline",
    "FEE_PAYMENT_DAYS",
    "FILING_DECISION_DAYS",
    "PeriodError",
    "correction_due",
    "electronic_service_date",
    "fee_payment_deadline",
    "fee_payment_due",
    "filing_decision_deadline",
    "filing_decision_due",
    "period_deadline",
]

CHINA_TZ = ZoneInfo("Asia/Shanghai")
CPL = "《中华人民共和国民事诉讼法》"
ART_85 = f"{CPL}第八十五条"
FEE_REGULATION = "《诉讼费用交纳办法》"
FILING_RULES = "《最高人民法院关于人民法院登记立案若干问题的规定》"
CPL_INTERP = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"

FEE_PAYMENT_DAYS = 7  # 《诉讼费用交纳办法》第二十二条第一款
FILING_DECISION_DAYS = 7  # 民诉法第一百二十六条；登记立案若干问题的规定第八条第一项
MAX_CORRECTION_DAYS = 90  # a sanity bound on a 指定期限, not a legal one

CORRECTION_MISSED = (
    f"当事人在指定期限内没有补正的，退回诉状并记录在册；坚持起诉的，人民法院应当作出不予受理的裁定"
    f"（{FILING_RULES}第七条第二款、第三款）。"
)


class PeriodError(RuleError):
    """A period that cannot be computed from the given input."""


@dataclass(frozen=True)
class Deadline:
    """A period's end. ``last_day`` is the last day to act (China date); ``due_at`` is the moment
    the period has run out, 24:00 of that day in China time — anything before it is in time.
    ``moved_from`` is the nominal last day when art. 85(3) moved it past days off."""

    start_day: date
    last_day: date
    due_at: datetime
    moved_from: Optional[date]
    basis: str

    @property
    def explanation(self) -> str:
        """The sentence shown to a litigant or clerk."""
        text = f"期限自{_cn(self.start_day)}起算，至{_cn(self.last_day)}24时届满"
        if self.moved_from is not None:
            why = holiday_name(self.moved_from) or "休息日"
            text += f"（原届满日{_cn(self.moved_from)}为{why}，顺延至其后的第一个工作日）"
        return text + f"。依据：{self.basis}。"


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def china_day(moment: datetime) -> date:
    """The China date of an aware moment; a naive one is refused (its zone is unknown)."""
    if not isinstance(moment, datetime):
        raise PeriodError("invalid_moment", "时间格式不正确，请您提供包含日期和时间的时间点。")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise PeriodError("naive_moment", "时间缺少时区信息，无法确定是北京时间的哪一天。")
    return moment.astimezone(CHINA_TZ).date()


def _add_months(day: date, months: int) -> date:
    """民法典第二百零二条: the corresponding day, or the last day of a month without one."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _months.monthrange(year, month)[1]))


def period_deadline(
    event: datetime, *, days: int = 0, months: int = 0, years: int = 0, basis: str = ART_85
) -> Deadline:
    """The end of a period of ``days``, ``months`` or ``years`` after an event (service,
    receipt, a ruling): the event's day is not counted (民诉法第八十五条第二款); the last day moves
    to the first working day after days off (第三款); the period runs out at 24:00 of that day."""
    if sum(1 for n in (days, months, years) if n) != 1 or min(days, months, years) < 0:
        raise ValueError("exactly one of days, months, years, and positive")
    event_day = china_day(event)
    start = event_day + timedelta(days=1)  # 期间开始的日不计算在期间内
    if days:
        nominal = event_day + timedelta(days=days)
    else:  # 民法典第二百零二条: 到期月的对应日 of the event's day
        nominal = _add_months(event_day, months + 12 * years)
    is_working_day(start)  # the start must be inside the calendar too
    last = first_working_day_on_or_after(nominal)  # 民诉法第八十五条第三款
    due_at = datetime.combine(last + timedelta(days=1), time(0), tzinfo=CHINA_TZ)  # 24:00
    return Deadline(start, last, due_at, nominal if last != nominal else None, basis)


def electronic_service_date(reached_at: datetime, consented: Optional[bool]) -> date:
    """The day an electronic service is effective (民诉法第九十条第二款: 以送达信息到达受送达人
    特定系统的日期为送达日期). Only with the recipient's consent (第一款): ``None`` (never answered)
    is not consent, and the court must serve another way."""
    if consented is not True:
        raise PeriodError(
            "no_electronic_consent",
            f"受送达人未同意电子送达，不能以电子方式送达，请改用其他方式送达（{CPL}第九十条第一款）。"
            "在有效送达前，期限不开始计算。",
        )
    return china_day(reached_at)


def fee_payment_deadline(served_at: datetime) -> Deadline:
    """The fee deadline with its explanation (办法第二十二条第一款; 民诉法第八十五条)."""
    return period_deadline(
        served_at, days=FEE_PAYMENT_DAYS,
        basis=f"{FEE_REGULATION}第二十二条第一款、{ART_85}",
    )


def fee_payment_due(served_at: datetime) -> datetime:
    """``due_at`` of the fee notice: 24:00 China time of the 7th day after the plaintiff received
    the notice, moved past days off. ``served_at`` is the moment of service (for electronic
    service, when the notice reached the recipient's system)."""
    return fee_payment_deadline(served_at).due_at


def filing_decision_deadline(
    received_at: datetime, correction_received_at: Optional[datetime] = None
) -> Deadline:
    """The day by which the court decides whether to file a complaint (民诉法第一百二十六条;
    登记立案若干问题的规定第八条), counted again from the receipt of a correction (第七条)."""
    start = received_at if correction_received_at is None else correction_received_at
    if correction_received_at is not None and china_day(correction_received_at) < china_day(received_at):
        raise PeriodError("correction_before_receipt", "补正材料的收到时间不能早于起诉状的收到时间。")
    basis = f"{CPL}第一百二十六条、{FILING_RULES}第八条、{ART_85}"
    if correction_received_at is not None:
        basis = f"{FILING_RULES}第七条、{CPL_INTERP}第一百二十六条（自补正材料交到法院的次日起算）、" + basis
    return period_deadline(start, days=FILING_DECISION_DAYS, basis=basis)


def filing_decision_due(
    received_at: datetime, correction_received_at: Optional[datetime] = None
) -> datetime:
    """``due_at`` of a pending filing: past it, the court should have filed the case first (先行立案)."""
    return filing_decision_deadline(received_at, correction_received_at).due_at


def correction_due(notified_at: datetime, days: int) -> Deadline:
    """The 指定期限 of a 补正 notice (登记立案若干问题的规定第七条第一款), counted like any period."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_CORRECTION_DAYS:
        raise PeriodError(
            "invalid_correction_days", f"补正期限应为1至{MAX_CORRECTION_DAYS}日之间的整数天数。"
        )
    return period_deadline(
        notified_at, days=days, basis=f"{FILING_RULES}第七条第一款、{ART_85}"
    )
