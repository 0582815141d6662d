"""The staff console's view of conversations: search, one conversation's turns, and who sees ID
and mobile numbers whole (masking reaches into what litigants typed: slot values, entities,
custom payloads).

Masking (court/services/staff.py's policy): the list masks ID and mobile numbers for every role; one
conversation shows them whole to clerks and judges (立案审查 checks identities) and masked to
administrators. Scope: a clerk or judge bound to a court sees the conversations whose filings are
at that court, and conversations that produced no filing (enquiries and handoffs belong to no
court yet); another court's conversation is not found.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import Filing, Staff, TranscriptConversation, TranscriptTurn
from court.rules.phone import PhoneError, normalize_phone
from court.rules.privacy import mask_pii
from court.services import statuses
from court.services.errors import InvalidRequest, NotFound
from court.services.period import Period
from court.services.staff import court_scope

NOT_FOUND = "未找到该对话记录。"
PREVIEW_CHARS = 60

UNMASKED_ROLES = {"clerk", "judge"}  # 立案审查 checks identities; an administrator needs no numbers


def can_see_numbers(role: str) -> bool:
    return role in UNMASKED_ROLES


def mask_text(text: Optional[str]) -> Optional[str]:
    """ID and mobile numbers masked, also a mobile typed with spaces (138 0013 8000 → 138****8000)."""
    return None if text is None else mask_pii(text)


def mask_value(value: Any) -> Any:
    """mask_text through lists and dicts (slot values, entities, custom payloads)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    return value


def words(column_value: str) -> list[str]:
    """The numbers kept space-delimited in a conversation's ``phones`` / ``filing_numbers``."""
    return column_value.split()


@dataclass(frozen=True)
class TranscriptSearch:
    filing: str = ""  # a filing number (LA…), as typed
    phone: str = ""  # a mobile number, as typed
    period: Period = Period()
    limit: int = 50
    offset: int = 0


def _scoped(query: Select, staff: Staff) -> Select:
    """Only conversations without a filing, or with one at the staff member's court."""
    return scoped_to_court(query, court_scope(staff))


def scoped_to_court(query: Select, scope: Optional[str]) -> Select:
    """Only conversations without a filing, or with one at this court (None: every court)."""
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


def conversation_json(conv: TranscriptConversation, filings: list[Filing], preview: Optional[str]) -> dict[str, Any]:
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


def turn_json(turn: TranscriptTurn, unmasked: bool) -> dict[str, Any]:
    show = (lambda v: v) if unmasked else mask_value
    return {
        "seq": turn.seq, "at": turn.at.isoformat(), "kind": turn.kind, "channel": turn.channel,
        "user_text": show(turn.user_text), "intent": turn.intent, "confidence": turn.confidence,
        "entities": show(turn.entities or []), "bot": show(turn.bot or []), "slots": show(turn.slots or {}),
        "actions": list(turn.actions or []),
    }


def _conditions(search: TranscriptSearch) -> list[Any]:
    conditions = []
    filing = search.filing.strip().upper()
    if filing:
        if len(filing) > 32:
            raise InvalidRequest("invalid_query", "立案申请号过长，请核对。", "filing")
        by_filing = select(Filing.conversation_id).where(Filing.number == filing)
        conditions.append(or_(TranscriptConversation.conversation_id.in_(by_filing),
                              TranscriptConversation.filing_numbers.contains(f" {filing} ")))
    if search.phone:
        try:
            phone = normalize_phone(search.phone)
        except PhoneError:
            raise InvalidRequest("invalid_query", "请输入11位手机号码，例如 13800138000。", "phone") from None
        conditions.append(TranscriptConversation.phones.contains(f" {phone} "))
    return conditions + search.period.conditions(TranscriptConversation.last_at, TranscriptConversation.started_at)


async def _previews(session: AsyncSession, ids: list[str]) -> dict[str, str]:
    """The first thing the litigant said in each conversation, shortened."""
    previews: dict[str, str] = {}
    if ids:
        first = (select(TranscriptTurn.conversation_id, func.min(TranscriptTurn.seq).label("seq"))
                 .where(TranscriptTurn.conversation_id.in_(ids), TranscriptTurn.user_text.is_not(None))
                 .group_by(TranscriptTurn.conversation_id).subquery())
        for cid, text in await session.execute(
            select(TranscriptTurn.conversation_id, TranscriptTurn.user_text).join(
                first, (first.c.conversation_id == TranscriptTurn.conversation_id) & (first.c.seq == TranscriptTurn.seq))
        ):
            previews[cid] = text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "…"
    return previews


async def search_conversations(session: AsyncSession, staff: Staff, search: TranscriptSearch) -> dict[str, Any]:
    """``{"total", "conversations"}``: the most recent first, within the staff member's scope."""
    query = _scoped(select(TranscriptConversation).where(*_conditions(search)), staff)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = list((await session.execute(
        query.order_by(TranscriptConversation.last_at.desc(), TranscriptConversation.conversation_id)
        .limit(search.limit).offset(search.offset))).scalars())
    ids = [c.conversation_id for c in rows]
    filings = await _filings_of(session, ids)
    previews = await _previews(session, ids)
    return {"total": total,
            "conversations": [conversation_json(c, filings[c.conversation_id], previews.get(c.conversation_id))
                              for c in rows]}


async def conversation_view(session: AsyncSession, staff: Staff, conversation_id: str) -> dict[str, Any]:
    """One conversation with every turn, numbers whole or masked by the staff member's role."""
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
    return {"conversation": conversation_json(conv, filings, None), "masked": not unmasked,
            "turns": [turn_json(t, unmasked) for t in turns]}
