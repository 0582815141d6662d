"""/api/v1/staff/transcripts — the conversations behind filings, for court staff only.

GET /api/v1/staff/transcripts                     ?filing=&phone=&date_from=&date_to=&limit=&offset=
GET /api/v1/staff/transcripts/{conversation_id}   every turn: user text, bot text, intent, slots set

Masking (court/staff.py's policy, applied to what litigants typed): the list masks ID and mobile
numbers for every role; one conversation shows them whole to clerks and judges (立案审查 checks
identities) and masked to administrators. Scope: a clerk or judge bound to a court sees the
conversations whose filings are at that court, and conversations that produced no filing
(enquiries and handoffs belong to no court yet); another court's conversation is a 404.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Optional

from aiohttp import web
from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from court import statuses
from court.app_keys import SESSIONMAKER
from court.auth import CHINA_TZ, current_staff
from court.models import Filing, Staff
from court.services.errors import InvalidRequest, NotFound
from court.staff import ROLES, court_scope
from court.models import TranscriptConversation, TranscriptTurn
from court.rules.phone import PhoneError, normalize_phone
from court.services.transcripts import can_see_numbers, mask_text, mask_value, words

routes = web.RouteTableDef()
READERS = set(ROLES)
MAX_LIMIT = 200
NOT_FOUND = "未找到该对话记录。"


def _query_date(request: web.Request, name: str) -> Optional[date]:
    raw = request.query.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest("invalid_query", "日期格式应为 YYYY-MM-DD，例如 2026-03-01。", name) from None


def _query_int(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidRequest("invalid_query", f"参数 {name} 应为 {low} 至 {high} 之间的整数。", name)
    return int(raw)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=CHINA_TZ)


def _scoped(query: Select, staff: Staff) -> Select:
    """Only conversations without a filing, or with one at the staff member's court."""
    scope = court_scope(staff)
    if scope is None:
        return query
    filed = select(Filing.conversation_id).where(Filing.conversation_id.is_not(None))
    ours = filed.where(Filing.court_code == scope)
    return query.where(or_(TranscriptConversation.conversation_id.not_in(filed),
                           TranscriptConversation.conversation_id.in_(ours)))


async def _filings_of(session: AsyncSession, conversation_ids: list[str]) -> dict[str, list[Filing]]:
    found: dict[str, list[Filing]] = {cid: [] for cid in conversation_ids}
    if conversation_ids:
        for filing in (await session.execute(
            select(Filing).where(Filing.conversation_id.in_(conversation_ids)).order_by(Filing.id)
        )).scalars():
            found[filing.conversation_id].append(filing)
    return found


def _filing_ref(f: Filing) -> dict[str, Any]:
    return {"id": f.number, "status": f.status, "status_label": statuses.LABELS[f.status],
            "court": {"code": f.court_code, "name": f.court_name}}


def _conversation_json(conv: TranscriptConversation, filings: list[Filing], preview: Optional[str]) -> dict[str, Any]:
    numbers = list(dict.fromkeys([f.number for f in filings if f.number] + words(conv.filing_numbers)))
    return {
        "conversation_id": conv.conversation_id,
        "channel": conv.channel,
        "started_at": conv.started_at.isoformat(),
        "last_at": conv.last_at.isoformat(),
        "turn_count": conv.turn_count,
        "filing_numbers": numbers,
        "filings": [_filing_ref(f) for f in filings],
        "phones_masked": [mask_text(p) for p in words(conv.phones)],
        "preview": mask_text(preview),
    }


@routes.get("/api/v1/staff/transcripts")
async def search(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        query = select(TranscriptConversation)
        conditions = []
        filing = (request.query.get("filing") or "").strip().upper()
        if filing:
            if len(filing) > 32:
                raise InvalidRequest("invalid_query", "立案申请号过长，请核对。", "filing")
            by_filing = select(Filing.conversation_id).where(Filing.number == filing)
            conditions.append(or_(TranscriptConversation.conversation_id.in_(by_filing),
                                  TranscriptConversation.filing_numbers.contains(f" {filing} ")))
        raw_phone = request.query.get("phone")
        if raw_phone:
            try:
                phone = normalize_phone(raw_phone)
            except PhoneError:
                raise InvalidRequest("invalid_query", "请输入11位手机号码，例如 13800138000。", "phone") from None
            conditions.append(TranscriptConversation.phones.contains(f" {phone} "))
        date_from, date_to = _query_date(request, "date_from"), _query_date(request, "date_to")
        if date_from and date_to and date_from > date_to:
            raise InvalidRequest("invalid_query", "开始日期不能晚于结束日期。", "date_from")
        if date_from is not None:
            conditions.append(TranscriptConversation.last_at >= _day_start(date_from))
        if date_to is not None:
            conditions.append(TranscriptConversation.started_at < _day_start(date_to + timedelta(days=1)))
        limit = _query_int(request, "limit", 50, 1, MAX_LIMIT)
        offset = _query_int(request, "offset", 0, 0, 10 ** 9)
        query = _scoped(query.where(*conditions), staff)
        total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = list((await session.execute(
            query.order_by(TranscriptConversation.last_at.desc(), TranscriptConversation.conversation_id)
            .limit(limit).offset(offset))).scalars())
        ids = [c.conversation_id for c in rows]
        filings = await _filings_of(session, ids)
        previews: dict[str, str] = {}
        if ids:
            first = (select(TranscriptTurn.conversation_id, func.min(TranscriptTurn.seq).label("seq"))
                     .where(TranscriptTurn.conversation_id.in_(ids), TranscriptTurn.user_text.is_not(None))
                     .group_by(TranscriptTurn.conversation_id).subquery())
            for cid, text in await session.execute(
                select(TranscriptTurn.conversation_id, TranscriptTurn.user_text).join(
                    first, (first.c.conversation_id == TranscriptTurn.conversation_id) & (first.c.seq == TranscriptTurn.seq))
            ):
                previews[cid] = text if len(text) <= 60 else text[:60] + "…"
    return web.json_response({
        "total": total,
        "conversations": [_conversation_json(c, filings[c.conversation_id], previews.get(c.conversation_id))
                          for c in rows],
    })


def turn_json(turn: TranscriptTurn, unmasked: bool) -> dict[str, Any]:
    show = (lambda v: v) if unmasked else mask_value
    return {
        "seq": turn.seq, "at": turn.at.isoformat(), "kind": turn.kind, "channel": turn.channel,
        "user_text": show(turn.user_text), "intent": turn.intent, "confidence": turn.confidence,
        "entities": show(turn.entities or []), "bot": show(turn.bot or []), "slots": show(turn.slots or {}),
        "actions": list(turn.actions or []),
    }


@routes.get("/api/v1/staff/transcripts/{conversation_id}")
async def get_transcript(request: web.Request) -> web.Response:
    conversation_id = request.match_info["conversation_id"]
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        query = _scoped(select(TranscriptConversation).where(
            TranscriptConversation.conversation_id == conversation_id), staff)
        conv = (await session.execute(query)).scalar_one_or_none()
        if conv is None:
            raise NotFound("not_found", NOT_FOUND, "conversation_id")
        turns = list((await session.execute(
            select(TranscriptTurn).where(TranscriptTurn.conversation_id == conversation_id)
            .order_by(TranscriptTurn.seq))).scalars())
        filings = (await _filings_of(session, [conversation_id]))[conversation_id]
        unmasked = can_see_numbers(staff.role)
    return web.json_response({
        "conversation": _conversation_json(conv, filings, None),
        "masked": not unmasked,
        "turns": [turn_json(t, unmasked) for t in turns],
    })
