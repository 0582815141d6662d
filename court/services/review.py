"""The clerk's decision on a filing (NotifyFilingReviewComplete) and docketing (RecordDocketing).

Decisions (立案登记制, 民事诉讼法 arts. 122–126; 《最高人民法院关于人民法院登记立案若干问题的规定》):

* ``correct`` — 需补正: every missing item in one notice (一次性告知), never one by one.
* ``reject``  — 不予立案: a ruling (裁定) that states its reason and can be appealed.
* ``accept``  — 立案: the case gets its number 「（年度）法院代字 民初 序号 号」 (《关于人民法院案件案号的
  若干规定》), and a fee notice (交费通知) is issued at once.

Case-number sequences never repeat: the next number comes from one atomic
``INSERT … ON CONFLICT DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq`` on
``case_sequences`` (PostgreSQL holds the row lock until commit; SQLite transactions are
serialised by BEGIN IMMEDIATE). The increment is in the docketing transaction, so a failed
docketing leaves no gap.

Fees: the category comes from court/data/case_types.json (``fee_category``), the figure from
court.rules.fees.calculate_fee with the filing's amount. Where the regulation gives only a
range, the court's province's configured figure is used, else ``Settings.fee_province``'s,
else the *minimum* of the range — and the notice's ``basis`` says so. Claims for unpaid wages
(追索劳动报酬纠纷) prepay nothing (《诉讼费用交纳办法》 art. 20): no notice. The notice has no deadline
yet: the 7 days of art. 22 run from the day after it is *served* (court/services/fee_service.py).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from court.data import case_type_index
from court.infra.models import Case, CaseSequence, Event, FeeNotice, Filing, Staff
from court.rules.case_numbers import format_case_number
from court.rules.courts import court_by_code
from court.rules.fees import PROVINCIAL_FIGURES, FeeInputError, calculate_fee
from court.rules.errors import RuleError
from court.rules.periods import FEE_PAYMENT_DAYS, MAX_CORRECTION_DAYS, correction_due
from court.services import case_file, statuses
from court.services.errors import InvalidField, NotFound, reject_unknown_fields
from court.services.fee_relief import ensure_decided, outcome_for
from court.services.filings import move
from court.services.period import china_date
from court.services.staff import court_scope

CIVIL_FIRST_INSTANCE = "民初"
WAGE_CLAIM = "追索劳动报酬纠纷"
PAYMENT_DAYS = FEE_PAYMENT_DAYS  # 《诉讼费用交纳办法》第二十二条
DECISIONS = ("accept", "correct", "reject")
REVIEW_FIELDS = {"decision", "items", "reason", "correction_days"}
DEFAULT_CORRECTION_DAYS = 15  # the usual 指定期限 (登记立案规定第七条 leaves it to the court)
MAX_ITEMS = 50


CASE_TYPES = case_type_index()


# --- pure: the decision -----------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    decision: str
    items: tuple[str, ...] = ()
    reason: Optional[str] = None
    correction_days: int = DEFAULT_CORRECTION_DAYS


def parse_review(body: dict[str, Any]) -> Review:
    """{"decision": "accept"|"correct"|"reject", "items": [...], "reason": "..."}; 400/422 in Chinese."""
    reject_unknown_fields(body, REVIEW_FIELDS)
    decision = body.get("decision")
    if not isinstance(decision, str) or decision not in DECISIONS:
        raise InvalidField("invalid_decision", "审核结论应为 accept（立案）、correct（补正）或 reject（不予立案）。", "decision")
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise InvalidField("wrong_type", "理由应为文字。", "reason")
    reason = reason.strip() if reason else None
    if reason is not None and len(reason) > 2000:
        raise InvalidField("too_long", "理由过长，请控制在2000字以内。", "reason")
    raw_items = body.get("items")
    items: list[str] = []
    if raw_items is not None:
        if not isinstance(raw_items, list) or len(raw_items) > MAX_ITEMS:
            raise InvalidField("wrong_type", f"补正事项应为列表（不超过{MAX_ITEMS}项）。", "items")
        for i, item in enumerate(raw_items):
            if not isinstance(item, str) or not item.strip():
                raise InvalidField("invalid_item", "每一项补正事项都应写明需要补充的材料或内容。", f"items[{i}]")
            if len(item.strip()) > 500:
                raise InvalidField("too_long", "补正事项过长，请控制在500字以内。", f"items[{i}]")
            if item.strip() not in items:
                items.append(item.strip())
    if decision == "correct" and not items:
        raise InvalidField("items_required",
                       "要求补正时，请一次性列明全部需要补正的材料或事项（一次性告知）。", "items")
    if decision == "reject" and not reason:
        raise InvalidField("reason_required", "不予立案须写明理由（该裁定可以上诉）。", "reason")
    if decision != "correct" and items:
        raise InvalidField("items_not_allowed", "只有要求补正时才需要列明补正事项。", "items")
    days = body.get("correction_days", DEFAULT_CORRECTION_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_CORRECTION_DAYS:
        raise InvalidField("invalid_correction_days", f"补正期限应为1至{MAX_CORRECTION_DAYS}日之间的整数天数。",
                           "correction_days")
    if decision != "correct" and "correction_days" in body:
        raise InvalidField("items_not_allowed", "只有要求补正时才需要指定补正期限。", "correction_days")
    return Review(decision, tuple(items), reason, days)


# --- pure: fees and deadlines -------------------------------------------------------------------


@dataclass(frozen=True)
class FeeDecision:
    """What the fee notice says: the amount, or None when no prepayment is due (``basis`` says why)."""

    amount: Optional[Decimal]
    basis: str


def fee_for(case_type: str, amount: Optional[Decimal], province: Optional[str]) -> FeeDecision:
    """The acceptance fee to prepay for a first-instance civil case; 422 when it cannot be computed."""
    entry = CASE_TYPES.get(case_type)
    if entry is not None and entry["name"] == WAGE_CLAIM:
        return FeeDecision(None, "《诉讼费用交纳办法》第二十条：追索劳动报酬的案件，原告可以不预交案件受理费。")
    notes: list[str] = []
    if entry is None:
        category = "property" if amount is not None else "other_non_property"
        notes.append(f"案由“{case_type}”不在案由目录中，按{'财产案件' if amount is not None else '其他非财产案件'}计算")
        uses_amount = True
    else:
        category = entry["fee_category"]
        uses_amount = entry["amount"] != "unused"
    try:
        result = calculate_fee(category, amount if uses_amount else None, province=province)
    except FeeInputError as err:
        raise InvalidField("fee_not_computable",
                       f"无法计算诉讼费：{err.message_zh}请先要求当事人补正后再立案。", "amount") from None
    fee = result.fee
    if fee is None:  # only a range, and no provincial figure configured
        fee = result.fee_min
        notes.append(f"本类案件每件交纳{result.fee_min}元至{result.fee_max}元，"
                     f"{province or '本省'}的具体标准未配置，暂按幅度最低额{result.fee_min}元预交")
    basis = result.basis + "。计算：" + "；".join(result.steps)
    if notes:
        basis += "。说明：" + "；".join(notes)
    return FeeDecision(fee, basis + "。")


def fee_province(court_code: str, configured: Optional[str]) -> Optional[str]:
    """The court's own province when figures are configured for it, else the server-wide one."""
    court = court_by_code(court_code)
    if court is not None and court.province in PROVINCIAL_FIGURES:
        return court.province
    return configured


# --- database ---------------------------------------------------------------------------------


async def next_sequence(session: AsyncSession, court_code: str, type_code: str, year: int) -> int:
    """The next case-number sequence, atomically (see the module docstring)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(CaseSequence).values(court_code=court_code, type_code=type_code, year=year, last_seq=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[CaseSequence.court_code, CaseSequence.type_code, CaseSequence.year],
        set_={"last_seq": CaseSequence.last_seq + 1},
    ).returning(CaseSequence.last_seq)
    return (await session.execute(stmt)).scalar_one()


def correction_deadline(at: datetime, days: int) -> tuple[Optional[datetime], str]:
    """The 指定期限's end (登记立案规定第七条, 民诉法第八十五条) and its explanation; (None, why) beyond
    the holiday calendar (期限待定, never guessed)."""
    try:
        deadline = correction_due(at, days)
    except RuleError as err:
        return None, f"补正期限{days}日，具体届满日期待定：{err.message_zh}"
    return deadline.due_at.astimezone(timezone.utc), deadline.explanation


def staff_actor(staff: Staff) -> str:
    return f"staff:{staff.username}"


async def apply_review(session: AsyncSession, filing: Filing, staff: Staff, review: Review, *, at: datetime,
                       configured_province: Optional[str]) -> None:
    """Record the decision with its events (and on accept the case and the fee notice); committed."""
    actor = staff_actor(staff)
    if review.decision == "correct":
        due, explanation = correction_deadline(at, review.correction_days)
        event = move(filing, statuses.NEEDS_CORRECTION, actor=actor, action="correction_requested", at=at,
                     detail={"items": list(review.items), "reason": review.reason, "days": review.correction_days,
                             "correction_due": due.isoformat() if due else None, "explanation": explanation})
        filing.review_items, filing.review_reason = list(review.items), review.reason
        filing.correction_due = due
        session.add(event)
    elif review.decision == "reject":
        event = move(filing, statuses.REJECTED, actor=actor, action="rejected", at=at,
                     detail={"reason": review.reason})
        filing.review_items, filing.review_reason = None, review.reason
        session.add(event)
    else:
        await _docket(session, filing, actor, at, configured_province)
    await case_file.sync(session, filing.id)  # the notice and the review record enter the e-file
    await session.commit()


async def _docket(session: AsyncSession, filing: Filing, actor: str, at: datetime,
                  configured_province: Optional[str]) -> None:
    ensure_decided(filing)  # 司法救助 decided first (《诉讼费用交纳办法》第四十九条)
    event = move(filing, statuses.DOCKETED, actor=actor, action="docketed", at=at)  # 409 first: nothing numbered
    fee = fee_for(filing.case_type, filing.amount, fee_province(filing.court_code, configured_province))
    received = china_date(at)
    seq = await next_sequence(session, filing.court_code, CIVIL_FIRST_INSTANCE, received.year)
    number = format_case_number(received.year, filing.court_code, CIVIL_FIRST_INSTANCE, seq, today=received)
    case = Case(case_number=number, filing_id=filing.id, court_code=filing.court_code,
                type_code=CIVIL_FIRST_INSTANCE, year=received.year, seq=seq, status="docketed", docketed_at=at)
    session.add(case)
    await session.flush()
    filing.review_items, filing.review_reason = None, None
    event.detail = {"case_number": number}
    session.add(event)
    if fee.amount is None:
        session.add(Event(filing_id=filing.id, at=at, actor=actor, action="fee_exempt", before=None, after=None,
                          detail={"basis": fee.basis}))
        return
    amount, basis, status = fee.amount, fee.basis, "unpaid"
    relief = outcome_for(filing, fee.amount)  # the fee notice follows the 司法救助 decision
    if relief is not None:
        basis += relief.explanation
        if relief.payable_now == 0:  # 缓交 or 免交: nothing to pay within the 7 days, never 按撤诉处理
            status = "relief"
        else:
            amount = relief.payable_now  # 减交 (or refused: the full fee)
    notice = FeeNotice(public_id=f"JF{secrets.token_hex(8).upper()}", case_id=case.id, amount=amount,
                       basis=basis, issued_at=at, due_at=None, status=status)  # due_at: set by service
    session.add(notice)
    session.add(Event(filing_id=filing.id, at=at, actor=actor, action="fee_notice_issued", before=None, after=None,
                      detail={"fee_notice": notice.public_id, "amount": f"{amount:.2f}",
                              "due_at": None, "status": status}))


async def staff_filing(session: AsyncSession, number: str, staff: Staff, *, lock: bool = False) -> Filing:
    """A filing this staff member may see (their court, or all); 404 otherwise, like an unknown number."""
    query = select(Filing).where(Filing.number == number.strip().upper())
    scope = court_scope(staff)
    if scope is not None:
        query = query.where(Filing.court_code == scope)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    filing = (await session.execute(query)).scalar_one_or_none()
    if filing is None:
        raise NotFound("not_found", "未找到该立案申请，请核对立案申请号。")
    return filing
