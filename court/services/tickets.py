"""Handoff to a person (转人工): tickets opened from a conversation, answered by staff.

An answer reaches the litigant in the channel they asked from: it is queued as a delivery into
the conversation (court/services/deliveries.py). The list shows a question with ID and mobile
numbers masked to administrators, whole to clerks and judges (who must be able to call back); the
litigant's own mobile is masked for every role in the list, like the filing queue.
"""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import Delivery, Filing, Litigant, Staff, Ticket
from court.rules.phone import mask_phone
from court.services.court_notices import staff_reply_text
from court.services.deliveries import delivery_json, queue_delivery
from court.services.errors import Conflict, InvalidRequest, NotFound, reject_unknown_fields
from court.services.filing_input import text_field
from court.services.staff import court_scope
from court.services.transcripts import can_see_numbers, mask_text

STATUS_LABELS = {"open": "待答复", "answered": "已答复", "closed": "已关闭"}
QUESTION_MAX = 2000
ANSWER_MAX = 2000
MAX_OWN = 200  # a litigant's own list


def parse_new_ticket(body: dict[str, Any]) -> str:
    """The question of ``POST /api/v1/tickets``; 400/422 in Chinese.

    ``conversation_id`` and ``channel`` are still accepted (older action servers send them) and
    ignored: the answer goes to the conversation the litigant's token is bound to (issue 9).
    """
    reject_unknown_fields(body, {"conversation_id", "channel", "question"})
    text_field(body, "conversation_id", "对话编号", required=False, max_len=128)  # still checked: no 500 on junk
    text_field(body, "channel", "渠道", required=False, max_len=32)
    return text_field(body, "question", "您的问题", max_len=QUESTION_MAX)  # type: ignore[return-value]


def parse_answer(body: dict[str, Any]) -> str:
    reject_unknown_fields(body, {"answer"})
    return text_field(body, "answer", "答复内容", max_len=ANSWER_MAX)  # type: ignore[return-value]


def check_status(status: Optional[str]) -> Optional[str]:
    if status is not None and status not in STATUS_LABELS:
        raise InvalidRequest("invalid_query", "状态应为 open（待答复）、answered（已答复）或 closed（已关闭）。", "status")
    return status


def litigant_ticket_json(t: Ticket) -> dict[str, Any]:
    return {
        "id": t.public_id, "status": t.status, "status_label": STATUS_LABELS.get(t.status, t.status),
        "conversation_id": t.conversation_id, "channel": t.channel, "question": t.question,
        "answer": t.answer, "created_at": t.created_at.isoformat(),
        "answered_at": t.answered_at.isoformat() if t.answered_at else None,
    }


def staff_ticket_json(t: Ticket, litigant: Optional[Litigant], answered_by: Optional[Staff],
                      delivery: Optional[Delivery], viewer: Staff) -> dict[str, Any]:
    show = (lambda v: v) if can_see_numbers(viewer.role) else mask_text
    return {
        **litigant_ticket_json(t),
        "question": show(t.question),
        "litigant": None if litigant is None else {"name": litigant.name, "phone_masked": mask_phone(litigant.phone)},
        "answered_by": None if answered_by is None else {"username": answered_by.username,
                                                         "name": answered_by.display_name},
        "delivery": delivery_json(delivery),
    }


async def open_ticket(session: AsyncSession, litigant: Litigant, conversation_id: str, channel: Optional[str],
                      question: str, at: datetime) -> dict[str, Any]:
    ticket = Ticket(public_id=f"RG{secrets.token_hex(8).upper()}", litigant_id=litigant.id,
                    conversation_id=conversation_id, channel=channel, question=question, status="open",
                    created_at=at)
    session.add(ticket)
    await session.commit()
    return litigant_ticket_json(ticket)


async def own_tickets(session: AsyncSession, litigant: Litigant, conversation_id: Optional[str]) -> list[dict[str, Any]]:
    """The litigant's tickets, newest first (those of one conversation when it is given)."""
    query = select(Ticket).where(Ticket.litigant_id == litigant.id)
    if conversation_id:
        query = query.where(Ticket.conversation_id == conversation_id)
    rows = (await session.execute(query.order_by(Ticket.id.desc()).limit(MAX_OWN))).scalars()
    return [litigant_ticket_json(t) for t in rows]


async def _staff_view(session: AsyncSession, tickets: list[Ticket], viewer: Staff) -> list[dict[str, Any]]:
    ids = [t.public_id for t in tickets]
    deliveries: dict[str, Delivery] = {}
    if ids:
        rows = (await session.execute(
            select(Delivery).where(Delivery.kind == "staff_reply", Delivery.ref.in_(ids)))).scalars()
        deliveries = {row.ref: row for row in rows}
    out = []
    for t in tickets:
        litigant = await session.get(Litigant, t.litigant_id) if t.litigant_id else None
        answered_by = await session.get(Staff, t.answered_by) if t.answered_by else None
        out.append(staff_ticket_json(t, litigant, answered_by, deliveries.get(t.public_id), viewer))
    return out


def _in_scope(viewer: Staff) -> list[ColumnElement[bool]]:
    """A clerk or judge bound to a court sees the tickets of litigants with no filing yet, or with
    one at that court (by the litigant's own filings, never by a conversation id); others: 404."""
    return tickets_at_court(court_scope(viewer))


def tickets_at_court(scope: Optional[str]) -> list[ColumnElement[bool]]:
    """Tickets of litigants with no filing, or with one at this court (None: every court)."""
    if scope is None:
        return []
    filed = select(Filing.litigant_id).where(Filing.litigant_id.is_not(None))
    ours = filed.where(Filing.court_code == scope)
    return [or_(Ticket.litigant_id.is_(None), Ticket.litigant_id.not_in(filed), Ticket.litigant_id.in_(ours))]


async def staff_tickets(session: AsyncSession, viewer: Staff, status: Optional[str], limit: int,
                        offset: int) -> dict[str, Any]:
    """``{"total", "tickets"}``: the oldest open question first (先到先答)."""
    conditions = ([Ticket.status == status] if status else []) + _in_scope(viewer)
    total = (await session.execute(select(func.count()).select_from(Ticket).where(*conditions))).scalar_one()
    rows = list((await session.execute(
        select(Ticket).where(*conditions).order_by(Ticket.created_at, Ticket.id).limit(limit).offset(offset)
    )).scalars())
    return {"total": total, "tickets": await _staff_view(session, rows, viewer)}


async def answer_ticket(session: AsyncSession, staff: Staff, public_id: str, answer: str, at: datetime) -> tuple[int, int]:
    """Record the answer and queue it into the conversation (committed); (ticket id, delivery id)."""
    ticket = (await session.execute(
        select(Ticket).where(Ticket.public_id == public_id, *_in_scope(staff)).with_for_update()
    )).scalar_one_or_none()
    if ticket is None:
        raise NotFound("not_found", "未找到该人工服务请求。")
    if ticket.status != "open":
        raise Conflict("already_answered", "该请求已经答复或已关闭，无需再次答复。")
    ticket.status, ticket.answer, ticket.answered_by, ticket.answered_at = "answered", answer, staff.id, at
    delivery = await queue_delivery(session, conversation_id=ticket.conversation_id, channel=ticket.channel,
                                    kind="staff_reply", ref=ticket.public_id,
                                    text=staff_reply_text(ticket.question, answer), at=at)
    ids = ticket.id, delivery.id
    await session.commit()
    return ids


async def staff_ticket_view(session: AsyncSession, ticket_id: int, viewer: Staff) -> dict[str, Any]:
    ticket = await session.get(Ticket, ticket_id)
    (view,) = await _staff_view(session, [ticket], viewer)
    return view
