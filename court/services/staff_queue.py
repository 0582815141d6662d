"""The court's review queue and the full view of one filing, as staff see them.

Masking policy (court/services/staff.py): the queue masks ID and mobile numbers for every role; the full
view shows them whole. Scope: a clerk or judge bound to a court sees that court only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import Case, Filing, Litigant, Staff
from court.rules.courts import court_by_code
from court.services import statuses
from court.services.cases import case_head_json, events_of, fee_notice_json, notices_of, staff_events_json
from court.services.errors import Forbidden, InvalidRequest
from court.services.filings import MASKED, case_numbers_of, filing_json
from court.services.period import Period, china_date
from court.services.staff import court_scope


@dataclass(frozen=True)
class QueueFilter:
    status: Optional[str] = None
    court: Optional[str] = None  # a court code (queue_court)
    period: Period = Period()
    limit: int = 50
    offset: int = 0


def queue_status(status: Optional[str]) -> Optional[str]:
    if status is not None and status not in statuses.LABELS:
        raise InvalidRequest("invalid_query", "状态应为 pending_review、needs_correction、rejected、docketed 或 withdrawn。", "status")
    return status


def queue_court(court: Optional[str]) -> Optional[str]:
    """The court code as the catalogue spells it, or 400 for an unknown one."""
    if not court:
        return None
    found = court_by_code(court)
    if found is None:
        raise InvalidRequest("invalid_query", "未找到该法院代字，请核对。", "court")
    return found.code


def deadline_flag(filing: Filing, now: Optional[datetime]) -> Optional[str]:
    """"overdue" once the pending decision's (民诉法第一百二十六条) or the correction's (登记立案规定第七条)
    due moment has come, "due_today" on its last day (China time), else None."""
    due = (filing.decision_due if filing.status == statuses.PENDING else
           filing.correction_due if filing.status == statuses.NEEDS_CORRECTION else None)
    if due is None or now is None:
        return None
    if due <= now:
        return "overdue"
    return "due_today" if china_date(due - timedelta(microseconds=1)) == china_date(now) else None


async def review_queue(session: AsyncSession, staff: Staff, f: QueueFilter,
                       now: Optional[datetime] = None) -> dict[str, Any]:
    """``{"total", "filings"}``: the filing whose decision is due first (民诉法第一百二十六条), then the
    oldest (先到先审), within the staff member's court."""
    scope = court_scope(staff)
    if scope is not None and f.court is not None and f.court != scope:
        raise Forbidden("forbidden", "您只能查看本院的立案申请。", "court")
    conditions = f.period.conditions(Filing.created_at, Filing.created_at)
    if scope is not None or f.court is not None:
        conditions.append(Filing.court_code == (scope or f.court))
    if f.status is not None:
        conditions.append(Filing.status == f.status)
    total = (await session.execute(select(func.count()).select_from(Filing).where(*conditions))).scalar_one()
    rows = list((await session.execute(
        select(Filing).where(*conditions)
        .order_by(Filing.decision_due.is_(None), Filing.decision_due, Filing.created_at, Filing.id)  # due first
        .limit(f.limit).offset(f.offset)
    )).scalars())
    numbers = await case_numbers_of(session, [row.id for row in rows])
    return {"total": total, "filings": [{**filing_json(row, numbers.get(row.id), view=MASKED),
                                         "deadline_flag": deadline_flag(row, now)} for row in rows]}


async def full_view(session: AsyncSession, filing: Filing) -> dict[str, Any]:
    """The filing as filed, its filer, its audit trail, and the case with its fee notices once docketed."""
    case = (await session.execute(select(Case).where(Case.filing_id == filing.id))).scalar_one_or_none()
    filer = await session.get(Litigant, filing.litigant_id) if filing.litigant_id is not None else None
    return {
        "filing": filing_json(filing, case.case_number if case else None),
        "filer": None if filer is None else {"name": filer.name, "id_number": filer.id_number, "phone": filer.phone},
        "case": None if case is None else {
            **case_head_json(case, filing),
            "fee_notices": [fee_notice_json(n) for n in await notices_of(session, case)],
        },
        "events": staff_events_json(await events_of(session, filing)),
    }
