"""Service of the fee notice (送达) and the deadline it starts (《诉讼费用交纳办法》第二十二条第一款).

Why: the 7 days run from the day after the litigant *receives* the notice, not from docketing.
Electronic service counts only with the litigant's consent given in the filing (民诉法第九十条第一款;
an unanswered consent is not consent) and is effective when the notice reaches the litigant's
system — here, the moment Rasa accepted it into the conversation (第二款). Without consent, no
deadline runs until staff record another way of service (邮寄送达 signed-for date, 直接送达, …).
When the holiday calendar does not reach the deadline, ``due_at`` stays empty: never guessed.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import Case, Event, FeeNotice, Filing
from court.rules.errors import RuleError
from court.rules.periods import electronic_service_date, fee_payment_deadline
from court.services import case_file
from court.services.errors import Conflict, InvalidField, NotFound, reject_unknown_fields

ELECTRONIC = "electronic"
METHODS = {  # 民诉法第八十七条至第九十五条
    ELECTRONIC: "电子送达", "direct": "直接送达", "mail": "邮寄送达", "lodged": "留置送达",
    "entrusted": "委托送达", "public": "公告送达",
}
SERVICE_FIELDS = {"method", "served_at"}
AWAITING_SERVICE = "待送达：送达后自次日起算七日交费期限"
DUE_UNKNOWN = "期限待定（节假日安排未公布）"


def due_label(notice: FeeNotice) -> Optional[str]:
    """Why a notice has no ``due_at`` (for the staff queue and the case view); None when it has one."""
    if notice.due_at is not None:
        return None
    return AWAITING_SERVICE if notice.served_at is None else DUE_UNKNOWN


def serve(notice: FeeNotice, served_at: datetime, method: str) -> dict[str, Any]:
    """Record the service and compute ``due_at`` from it; the event detail. A calendar that does not
    reach the deadline leaves ``due_at`` empty (DUE_UNKNOWN) instead of failing the caller."""
    notice.served_at, notice.service_method = served_at, method
    detail: dict[str, Any] = {"fee_notice": notice.public_id, "method": method,
                              "method_label": METHODS.get(method, method), "served_at": served_at.isoformat()}
    if notice.status == "relief":  # 缓交/免交 granted (court/services/fee_relief.py): no 7-day deadline runs
        notice.due_at = None
        detail.update(due_at=None, note="已获司法救助（缓交或免交），不适用七日交费期限")
        return detail
    try:
        deadline = fee_payment_deadline(served_at)
    except RuleError as err:  # CalendarRangeError: the State Council's notice is not out yet
        notice.due_at = None
        detail.update(due_at=None, note=DUE_UNKNOWN, reason=err.message_zh)
        return detail
    notice.due_at = deadline.due_at
    detail.update(due_at=deadline.due_at.isoformat(), last_day=deadline.last_day.isoformat(),
                  explanation=deadline.explanation)
    return detail


async def serve_electronically(session: AsyncSession, filing: Filing, public_id: str, reached_at: datetime) -> bool:
    """The notice reached the conversation at ``reached_at``: served only with consent (True). The
    caller commits; False when consent is missing or the notice was served already."""
    notice = (await session.execute(select(FeeNotice).where(FeeNotice.public_id == public_id))).scalar_one_or_none()
    if notice is None or notice.served_at is not None:
        return False
    try:
        electronic_service_date(reached_at, filing.e_service_consent)
    except RuleError:
        return False
    detail = serve(notice, reached_at, ELECTRONIC)
    session.add(Event(filing_id=filing.id, at=reached_at, actor="system:delivery", action="fee_notice_served",
                      before=None, after=None, detail=detail))
    await case_file.sync(session, filing.id)
    return True


def parse_service(body: dict[str, Any]) -> tuple[str, datetime]:
    """{"method": "mail"|…, "served_at": ISO time with zone}; 400/422 in Chinese."""
    reject_unknown_fields(body, SERVICE_FIELDS)
    method = body.get("method")
    if not isinstance(method, str) or method not in METHODS:
        raise InvalidField("invalid_method", "送达方式应为：" + "、".join(f"{k}（{v}）" for k, v in METHODS.items()) + "。",
                           "method")
    raw = body.get("served_at")
    try:
        served_at = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        served_at = None
    if served_at is None or served_at.tzinfo is None:
        raise InvalidField("invalid_served_at", "请填写送达时间（含时区，例如 2026-09-30T23:59:00+08:00；邮寄送达为签收时间）。",
                           "served_at")
    return method, served_at


async def record_service(session: AsyncSession, filing: Filing, case: Case, public_id: str, method: str,
                         served_at: datetime, *, actor: str, now: datetime) -> FeeNotice:
    """A staff-recorded service of a fee notice of this case; committed. 409 once served, or for
    electronic service without the litigant's consent; 422 for a time in the future."""
    notice = (await session.execute(select(FeeNotice).where(
        FeeNotice.public_id == public_id.strip().upper(), FeeNotice.case_id == case.id))).scalar_one_or_none()
    if notice is None:
        raise NotFound("not_found", "本案没有该交费通知，请核对。")
    if notice.served_at is not None:
        raise Conflict("already_served", "该交费通知已记录送达，交费期限已开始计算。")
    if served_at > now:
        raise InvalidField("served_in_future", "送达时间不能晚于现在。", "served_at")
    if served_at < notice.issued_at:
        raise InvalidField("served_before_issue", "送达时间不能早于交费通知的发出时间。", "served_at")
    if method == ELECTRONIC:
        try:
            electronic_service_date(served_at, filing.e_service_consent)
        except RuleError as err:
            raise Conflict(err.code, err.message_zh, "method") from None
    detail = serve(notice, served_at, method)
    session.add(Event(filing_id=filing.id, at=now, actor=actor, action="fee_notice_served",
                      before=None, after=None, detail=detail))
    await case_file.sync(session, filing.id)
    await session.commit()
    return notice
