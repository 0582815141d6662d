"""Handoff to a person (转人工): tickets the action server opens, staff answer in the console.

POST /api/v1/tickets                         litigant token; {conversation_id, channel, question}
GET  /api/v1/tickets                         litigant token; the litigant's own tickets with answers
GET  /api/v1/staff/tickets                   ?status=open|answered&limit=&offset= (every staff role)
POST /api/v1/staff/tickets/{id}/answer       {answer}; clerk or judge

An answer reaches the litigant in the channel they asked from: it is queued as a delivery into
the conversation (court/services/deliveries.py) and sent at once when Rasa is configured, retried by the
job otherwise. The ticket view says whether it was delivered.

The list shows a question with ID and mobile numbers masked to administrators, whole to clerks
and judges (who must be able to call back); the litigant's own mobile is masked for every role in
the list, like the filing queue.
"""
from __future__ import annotations

import secrets
from typing import Any, Optional

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from court.app_keys import SESSIONMAKER, SETTINGS
from court.auth import current_litigant, current_staff, now
from court.errors import read_json
from court.models import Litigant, Staff, Ticket
from court.rules.phone import mask_phone
from court.services.errors import Conflict, InvalidField, InvalidRequest, NotFound, reject_unknown_fields
from court.staff import REVIEWERS, ROLES
from court.jobs.conversations import deliver_now
from court.models import Delivery
from court.services.court_notices import staff_reply_text
from court.services.deliveries import delivery_json, queue_delivery
from court.services.transcripts import can_see_numbers, mask_text

routes = web.RouteTableDef()
STATUS_LABELS = {"open": "待答复", "answered": "已答复", "closed": "已关闭"}
QUESTION_MAX = 2000
ANSWER_MAX = 2000
MAX_LIMIT = 200


def _text(body: dict[str, Any], name: str, label: str, max_len: int, *, required: bool) -> Optional[str]:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidField("missing_field", f"请填写{label}。", name)
        return None
    if not isinstance(value, str):
        raise InvalidField("wrong_type", f"{label}应为文字。", name)
    value = value.strip()
    if len(value) > max_len:
        raise InvalidField("too_long", f"{label}过长，请控制在{max_len}字以内。", name)
    return value


def _check_fields(body: dict[str, Any], allowed: set[str]) -> None:
    reject_unknown_fields(body, allowed)


async def _deliveries(session: AsyncSession, tickets: list[Ticket]) -> dict[str, Delivery]:
    ids = [t.public_id for t in tickets]
    if not ids:
        return {}
    rows = (await session.execute(
        select(Delivery).where(Delivery.kind == "staff_reply", Delivery.ref.in_(ids)))).scalars()
    return {row.ref: row for row in rows}


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


@routes.post("/api/v1/tickets")
async def create_ticket(request: web.Request) -> web.Response:
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        _check_fields(body, {"conversation_id", "channel", "question"})
        conversation_id = _text(body, "conversation_id", "对话编号", 128, required=True)
        channel = _text(body, "channel", "渠道", 32, required=False)
        question = _text(body, "question", "您的问题", QUESTION_MAX, required=True)
        at = now(request.app)
        ticket = Ticket(public_id=f"RG{secrets.token_hex(8).upper()}", litigant_id=litigant.id,
                        conversation_id=conversation_id, channel=channel, question=question, status="open",
                        created_at=at)
        session.add(ticket)
        await session.commit()
        return web.json_response(litigant_ticket_json(ticket), status=201)


@routes.get("/api/v1/tickets")
async def my_tickets(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        query = select(Ticket).where(Ticket.litigant_id == litigant.id)
        if request.query.get("conversation_id"):
            query = query.where(Ticket.conversation_id == request.query["conversation_id"])
        rows = list((await session.execute(query.order_by(Ticket.id.desc()).limit(MAX_LIMIT))).scalars())
    return web.json_response({"tickets": [litigant_ticket_json(t) for t in rows]})


def _limit(request: web.Request, name: str, default: int, high: int) -> int:
    raw = request.query.get(name)
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) > high or (name == "limit" and int(raw) < 1):
        low = 1 if name == "limit" else 0
        raise InvalidRequest("invalid_query", f"参数 {name} 应为 {low} 至 {high} 之间的整数。", name)
    return int(raw)


async def _staff_view(session: AsyncSession, tickets: list[Ticket], viewer: Staff) -> list[dict[str, Any]]:
    deliveries = await _deliveries(session, tickets)
    out = []
    for t in tickets:
        litigant = await session.get(Litigant, t.litigant_id) if t.litigant_id else None
        answered_by = await session.get(Staff, t.answered_by) if t.answered_by else None
        out.append(staff_ticket_json(t, litigant, answered_by, deliveries.get(t.public_id), viewer))
    return out


@routes.get("/api/v1/staff/tickets")
async def list_tickets(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, set(ROLES))
        status = request.query.get("status") or None
        if status is not None and status not in STATUS_LABELS:
            raise InvalidRequest("invalid_query", "状态应为 open（待答复）、answered（已答复）或 closed（已关闭）。", "status")
        limit, offset = _limit(request, "limit", 50, MAX_LIMIT), _limit(request, "offset", 0, 10 ** 9)
        conditions = [Ticket.status == status] if status else []
        total = (await session.execute(select(func.count()).select_from(Ticket).where(*conditions))).scalar_one()
        rows = list((await session.execute(  # the oldest open question first: 先到先答
            select(Ticket).where(*conditions).order_by(Ticket.created_at, Ticket.id).limit(limit).offset(offset)
        )).scalars())
        tickets = await _staff_view(session, rows, staff)
    return web.json_response({"total": total, "tickets": tickets})


@routes.post("/api/v1/staff/tickets/{ticket_id}/answer")
async def answer_ticket(request: web.Request) -> web.Response:
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, REVIEWERS)
        _check_fields(body, {"answer"})
        answer = _text(body, "answer", "答复内容", ANSWER_MAX, required=True)
        ticket = (await session.execute(
            select(Ticket).where(Ticket.public_id == request.match_info["ticket_id"]).with_for_update()
        )).scalar_one_or_none()
        if ticket is None:
            raise NotFound("not_found", "未找到该人工服务请求。")
        if ticket.status != "open":
            raise Conflict("already_answered", "该请求已经答复或已关闭，无需再次答复。")
        at = now(request.app)
        ticket.status, ticket.answer, ticket.answered_by, ticket.answered_at = "answered", answer, staff.id, at
        delivery = await queue_delivery(session, conversation_id=ticket.conversation_id, channel=ticket.channel,
                                        kind="staff_reply", ref=ticket.public_id,
                                        text=staff_reply_text(ticket.question, answer), at=at)
        delivery_id = delivery.id
        await session.commit()
    if request.app[SETTINGS].delivery_configured():
        await deliver_now(request.app, delivery_id)
    async with request.app[SESSIONMAKER]() as session:
        ticket = await session.get(Ticket, ticket.id)
        (view,) = await _staff_view(session, [ticket], staff)
    return web.json_response(view)
