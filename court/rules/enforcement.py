"""申请执行 (enforcement) rules: the application period, the 执行申请费, 执 case numbers, the competent court.

Why this module exists: a creditor whose judgment is not obeyed must apply in time, to the right
court, and should know what it will cost. The bot checks these before it sends an application and the
backend checks them again before it accepts one; both import this module (standard library only).

Rules (the article next to the code that applies it):
* 《中华人民共和国民事诉讼法》（2023年修正）第二百五十条: 申请执行的期间为二年; its 中止、中断 follow the
  rules of 诉讼时效; the period runs from the last day of the performance period set by the 法律文书
  (for instalments, from the last instalment's last day; without a period, from the day it took effect).
  Counted like every period (民诉法第八十五条, court/rules/periods.py): the starting day is not counted,
  a last day on a 法定休假日 moves to the next working day.
* 《中华人民共和国民法典》第一百九十五条: 中断 — the creditor demanded performance, the debtor agreed to
  perform, or an equivalent step; the period runs again in full from that day. We never assume it:
  the applicant says whether and when.
* 民法典第一百九十四条: 中止 — an obstacle (不可抗力 etc.) in the last six months; the period ends six
  months after the obstacle ended.
* 《诉讼费用交纳办法》第十四条第（一）项: the 执行申请费 (table below, cumulative bands like art. 13);
  第二十条第二款: 执行申请费执行后交纳 — shown, never prepaid.
* 民诉法第二百三十五条第一款: judgments and rulings are enforced by the first-instance court or a court of
  the same level where the property is; 第二款: other 法律文书 (an arbitral award) by the court where the
  person subject to enforcement lives or the property is. 《最高人民法院关于人民法院办理仲裁裁决执行
  案件若干问题的规定》（法释〔2018〕5号）第二条第一款: arbitral awards go to that place's 中级人民法院.
* Case numbers: 《人民法院案件类型及其代字标准》 — 执 (首次执行), 执恢, 执保, 执异, 执复 (court/rules/case_numbers.py).
"""
from __future__ import annotations

import calendar as _months
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from court.rules.calendar import CalendarRangeError, first_working_day_on_or_after, holiday_name
from court.rules.case_numbers import CaseNumber, CaseNumberError, format_case_number, parse_case_number
from court.rules.courts import Court, court_by_code
from court.rules.errors import RuleError

__all__ = [
    "APPLICATION_YEARS", "BASIS_KINDS", "ENFORCEMENT_TYPE_CODES", "EnforcementError", "EnforcementFee",
    "ApplicationPeriod", "CourtCheck", "application_period", "check_court", "enforcement_case_number",
    "enforcement_fee", "is_enforcement_number",
]

CPL = "《中华人民共和国民事诉讼法》"
CIVIL_CODE = "《中华人民共和国民法典》"
ART_250 = f"{CPL}第二百五十条"
ART_235 = f"{CPL}第二百三十五条"
FEE_ART_14 = "《诉讼费用交纳办法》第十四条第（一）项"
FEE_ART_20 = "《诉讼费用交纳办法》第二十条第二款"
ARBITRATION_RULES = "《最高人民法院关于人民法院办理仲裁裁决执行案件若干问题的规定》（法释〔2018〕5号）第二条"

APPLICATION_YEARS = 2  # 民诉法第二百五十条第一款
SUSPENSION_MONTHS = 6  # 民法典第一百九十四条第二款
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 13

#: 执行依据 kinds: a judgment or ruling (民诉法第二百三十五条第一款), a mediation statement (same court
#: as a judgment), an arbitral award (第二款 and 法释〔2018〕5号第二条).
BASIS_KINDS = {"judgment": "判决书", "ruling": "裁定书", "mediation": "调解书", "arbitration": "仲裁裁决书"}

#: 《人民法院案件类型及其代字标准》: the enforcement type codes the court assigns.
ENFORCEMENT_TYPE_CODES = {"first": "执", "resumed": "执恢", "preservation": "执保", "objection": "执异",
                          "review": "执复"}

#: 办法第十四条第（一）项: (upper bound of the band, rate) after the first 10,000 yuan at 50 yuan a case.
_FEE_BANDS = ((Decimal(500_000), Decimal("0.015")), (Decimal(5_000_000), Decimal("0.01")),
              (Decimal(10_000_000), Decimal("0.005")), (None, Decimal("0.001")))
_FEE_FLOOR_AMOUNT, _FEE_FLOOR = Decimal(10_000), Decimal(50)
NO_AMOUNT_RANGE = (Decimal(50), Decimal(500))


class EnforcementError(RuleError):
    """An application a rule cannot accept; ``message`` says why, in Chinese."""


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _yuan(value: Decimal) -> str:
    return f"{value.quantize(CENT)}元"


# --- the application period ----------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    """民法典第二百零二条: the corresponding day, or the month's last day where there is none."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _months.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ApplicationPeriod:
    """The two years of 民诉法第二百五十条. ``last_day`` is the last day to apply; ``holiday_checked``
    is False when the holiday calendar does not reach that year yet (the day may still move later,
    never earlier)."""

    counted_from: date
    last_day: date
    moved_from: Optional[date]
    holiday_checked: bool
    interrupted_on: Optional[date]
    basis: str

    def expired(self, today: date) -> bool:
        return today > self.last_day

    @property
    def explanation(self) -> str:
        """The sentence shown to the applicant."""
        start = (f"自时效中断之日（{_cn(self.interrupted_on)}）重新计算" if self.interrupted_on
                 else f"自履行期间最后一日（{_cn(self.counted_from)}）起计算")
        text = f"申请执行期间为二年，{start}，至{_cn(self.last_day)}届满"
        if self.moved_from is not None:
            text += f"（原届满日{_cn(self.moved_from)}为{holiday_name(self.moved_from) or '休息日'}，顺延至其后第一个工作日）"
        elif not self.holiday_checked:
            text += "（如届满日为法定休假日，顺延至其后第一个工作日）"
        return f"{text}。依据：{self.basis}。"


def application_period(performance_last_day: date, *, interrupted_on: Optional[date] = None,
                       obstacle_ended_on: Optional[date] = None, today: Optional[date] = None) -> ApplicationPeriod:
    """The period to apply for enforcement (民诉法第二百五十条), from the last day of performance, or
    again in full from the day it was interrupted (民法典第一百九十五条), extended by a suspension in its
    last six months (民法典第一百九十四条: ends six months after the obstacle ended)."""
    if not isinstance(performance_last_day, date):
        raise EnforcementError("performance_day_invalid", "请您提供法律文书规定的履行期限最后一日。")
    if today is not None and performance_last_day > today + timedelta(days=3650):
        raise EnforcementError("performance_day_invalid", "履行期限的日期不合理，请您核对。")
    basis = ART_250 + f"、{CPL}第八十五条"
    start = performance_last_day
    if interrupted_on is not None:
        if interrupted_on < performance_last_day:
            raise EnforcementError(
                "interruption_before_start",
                f"时效中断的日期早于履行期限届满日{_cn(performance_last_day)}，这时申请执行期间尚未开始，请您核对。")
        if today is not None and interrupted_on > today:
            raise EnforcementError("interruption_in_future", "时效中断的日期不能晚于今天，请您核对。")
        start = interrupted_on
        basis += f"、{CIVIL_CODE}第一百九十五条"
    nominal = _add_months(start, 12 * APPLICATION_YEARS)
    if obstacle_ended_on is not None and obstacle_ended_on >= _add_months(nominal, -SUSPENSION_MONTHS):
        nominal = max(nominal, _add_months(obstacle_ended_on, SUSPENSION_MONTHS))
        basis += f"、{CIVIL_CODE}第一百九十四条"
    try:
        last = first_working_day_on_or_after(nominal)  # 民诉法第八十五条第三款
        checked = True
    except CalendarRangeError:
        last, checked = nominal, False
    return ApplicationPeriod(performance_last_day, last, nominal if last != nominal else None, checked,
                             interrupted_on, basis)


# --- the fee ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnforcementFee:
    """The 执行申请费: ``amount`` for a sum of money, else the range ``low``–``high`` (no amount)."""

    amount: Optional[Decimal]
    low: Decimal
    high: Decimal
    basis: str

    @property
    def explanation(self) -> str:
        figure = _yuan(self.amount) if self.amount is not None else f"每件{self.low}至{self.high}元"
        return f"执行申请费{figure}（{FEE_ART_14}），执行后交纳，申请时无需预交（{FEE_ART_20}）。"


def enforcement_fee(amount: Optional[Decimal]) -> EnforcementFee:
    """办法第十四条第（一）项: none → 50–500 a case; ≤ 1万 → 50; then 1.5 % / 1 % / 0.5 % / 0.1 % by band."""
    if amount is None:
        low, high = NO_AMOUNT_RANGE
        return EnforcementFee(None, low, high, FEE_ART_14)
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT:
        raise EnforcementError("amount_invalid", "申请执行的金额应为大于零的数字，请您核对。")
    fee, lower = _FEE_FLOOR, _FEE_FLOOR_AMOUNT
    for upper, rate in _FEE_BANDS:
        if amount <= lower:
            break
        part = (amount if upper is None else min(amount, upper)) - lower
        fee += part * rate
        lower = upper if upper is not None else amount
    fee = fee.quantize(CENT, rounding=ROUND_HALF_UP)
    return EnforcementFee(fee, fee, fee, FEE_ART_14)


# --- case numbers -----------------------------------------------------------------------------


def enforcement_case_number(year: int, court_code: str, seq: int, kind: str = "first", *,
                            today: Optional[date] = None) -> str:
    """``enforcement_case_number(2026, "京0105", 123)`` → ``"（2026）京0105执123号"``."""
    if kind not in ENFORCEMENT_TYPE_CODES:
        raise EnforcementError("kind_unknown", f"无法识别执行案件类型“{kind}”。")
    return format_case_number(year, court_code, ENFORCEMENT_TYPE_CODES[kind], seq, today=today)


def is_enforcement_number(number: CaseNumber) -> bool:
    """Whether a parsed case number is an enforcement case (大类 执行)."""
    return number.type_category == "执行"


# --- the competent court ----------------------------------------------------------------------


@dataclass(frozen=True)
class CourtCheck:
    """Whether the chosen court may enforce; ``needs_confirmation`` when only staff can tell
    (the first-instance court is not in the basis's number, or the property's place is only stated)."""

    ok: bool
    needs_confirmation: bool
    message: str
    basis: str


def _first_instance(number: Optional[CaseNumber]) -> Optional[Court]:
    """The first-instance court of a basis whose number is a first-instance number (…初, 民特, 民督)."""
    if number is None or not (number.type_code.endswith("初") or number.type_code in ("民特", "民督")):
        return None
    return court_by_code(number.court_code)


def check_court(court_code: str, basis_kind: str, basis_number: Optional[str] = None, *,
                property_there: bool = False, respondent_lives_there: bool = False) -> CourtCheck:
    """Whether ``court_code`` may enforce this basis (民诉法第二百三十五条; 法释〔2018〕5号第二条)."""
    court = court_by_code(court_code)
    if court is None:
        raise EnforcementError("court_unknown", "未找到该法院，请您提供法院全称。")
    if basis_kind not in BASIS_KINDS:
        raise EnforcementError("basis_kind_unknown", "执行依据应为判决书、裁定书、调解书或仲裁裁决书。")
    if basis_kind == "arbitration":
        if court.tier != "intermediate":
            return CourtCheck(False, False, f"仲裁裁决由被执行人住所地或者被执行的财产所在地的中级人民法院执行，"
                              f"{court.name}不是中级人民法院，请您选择相应的中级人民法院。", ARBITRATION_RULES)
        if property_there or respondent_lives_there:
            return CourtCheck(True, True, f"{court.name}为被执行人住所地或财产所在地的中级人民法院（由法院核实）。",
                              f"{ART_235}第二款、{ARBITRATION_RULES}")
        return CourtCheck(False, False, f"仲裁裁决只能向被执行人住所地或者被执行的财产所在地的中级人民法院申请执行，"
                          f"请您确认{court.name}是否为其中之一。", f"{ART_235}第二款、{ARBITRATION_RULES}")
    basis = f"{ART_235}第一款"
    parsed = None
    if basis_number:
        try:
            parsed = parse_case_number(basis_number)
        except CaseNumberError:
            parsed = None
    first = _first_instance(parsed)
    if first is not None and first.code == court.code:
        return CourtCheck(True, False, f"{court.name}是第一审人民法院。", basis)
    if property_there and (first is None or first.tier == court.tier):
        return CourtCheck(True, True, f"{court.name}为被执行的财产所在地法院（由法院核实财产所在地及法院级别）。", basis)
    if first is None:
        return CourtCheck(True, True, f"请法院核实{court.name}是否为第一审人民法院。", basis)
    return CourtCheck(False, False, f"判决、裁定和调解书由第一审人民法院（{first.name}）或者与其同级的被执行的财产"
                      f"所在地人民法院执行，{court.name}不属于上述法院。", basis)
