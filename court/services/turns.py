"""Rasa's events folded into the staff console's turns (one row per litigant message).

Why turns and not Rasa's own rows: Rasa's event brokers hand out one JSON blob per event. The
console searches across all conversations by filing number, mobile number and date, on SQLite and
PostgreSQL alike; that needs columns, not blobs. Both brokers (the SQL broker read by
court/jobs/transcript_ingest.py, RabbitMQ read by court/jobs/transcript_broker.py) call
:func:`ingest_events`, so the console sees the same turns either way.

What is never stored: bearer tokens and identity challenges (slots ``litigant_token``,
``identity_challenge``, any ``*token*`` key of a custom payload) and the SMS code a litigant types
(the user message answering ``requested_slot == sms_code``). ID and mobile numbers are stored as
said and masked when shown, by role (court/services/transcripts.py).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import TranscriptConversation, TranscriptCursor, TranscriptTurn, utcnow
from court.rules.privacy import phones_in

SECRET_SLOTS = {"litigant_token", "identity_challenge", "sms_code"}
VERIFIED_SLOT = "litigant_token"  # set once 实名认证 succeeds
SECRET_TEXT_SLOTS = {"sms_code"}  # what the litigant types while this slot is asked is a secret
HIDDEN_SLOTS = {"requested_slot"}  # bookkeeping: kept on the conversation, not shown per turn
SILENT_ACTIONS = {"action_listen", "action_session_start"}
REDACTED = "（已隐去）"
SMS_CODE_HIDDEN = "（验证码已隐去）"

_FILING_NUMBER = re.compile(r"LA\d{14}")


def redact_secrets(value: Any) -> Any:
    """A custom payload without its tokens: any key naming a token is replaced by REDACTED."""
    if isinstance(value, dict):
        return {k: (REDACTED if "token" in str(k).lower() else redact_secrets(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_secrets(v) for v in value]
    return value


def bot_message(event: dict[str, Any]) -> dict[str, Any]:
    """What the assistant said, as the console shows it: text, buttons, a custom payload without secrets."""
    data = event.get("data") or {}
    buttons = data.get("buttons") or data.get("quick_replies") or []
    message: dict[str, Any] = {"text": event.get("text")}
    if buttons:
        message["buttons"] = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                              for b in buttons if isinstance(b, dict)]
    if data.get("custom") is not None:
        message["custom"] = redact_secrets(data["custom"])
    if data.get("image"):
        message["image"] = str(data["image"])
    return message


def _add_word(words: str, word: str) -> str:
    return words if f" {word} " in words else f"{words}{word} "


def _timestamp(event: dict[str, Any]) -> datetime:
    ts = event.get("timestamp")
    if isinstance(ts, (int, float)):
        return datetime.fromtimestamp(ts, timezone.utc)
    return utcnow()


@dataclass
class _Batch:
    """Rows of the court database touched by one batch, so that each is read once."""

    session: AsyncSession
    conversations: dict[str, TranscriptConversation] = field(default_factory=dict)
    latest: dict[str, Optional[TranscriptTurn]] = field(default_factory=dict)

    async def conversation(self, conversation_id: str, at: datetime) -> TranscriptConversation:
        conv = self.conversations.get(conversation_id)
        if conv is None:
            conv = await self.session.get(TranscriptConversation, conversation_id)
            if conv is None:
                conv = TranscriptConversation(conversation_id=conversation_id, started_at=at, last_at=at,
                                              turn_count=0, phones=" ", filing_numbers=" ")
                self.session.add(conv)
            self.conversations[conversation_id] = conv
        return conv

    async def latest_turn(self, conversation_id: str) -> Optional[TranscriptTurn]:
        if conversation_id not in self.latest:
            self.latest[conversation_id] = (await self.session.execute(
                select(TranscriptTurn).where(TranscriptTurn.conversation_id == conversation_id)
                .order_by(TranscriptTurn.seq.desc()).limit(1)
            )).scalar_one_or_none()
        return self.latest[conversation_id]

    async def turn_at(self, conversation_id: str, at: datetime) -> Optional[TranscriptTurn]:
        """The turn an event of time `at` belongs to: the latest, unless the event is older than it. With
        several Rasa replicas publishing to one queue, a reply can reach the queue after the next user
        message (handled by the other replica): it belongs to the turn it was said in, not the next."""
        latest = await self.latest_turn(conversation_id)
        if latest is None or latest.at <= at:  # UTCDateTime: aware on every database
            return latest
        earlier = (await self.session.execute(
            select(TranscriptTurn).where(TranscriptTurn.conversation_id == conversation_id, TranscriptTurn.at <= at)
            .order_by(TranscriptTurn.seq.desc()).limit(1)
        )).scalar_one_or_none()
        return earlier or latest

    def new_turn(self, conv: TranscriptConversation, at: datetime, kind: str, **values: Any) -> TranscriptTurn:
        conv.turn_count += 1
        turn = TranscriptTurn(conversation_id=conv.conversation_id, seq=conv.turn_count, at=at, kind=kind,
                              bot=[], slots={}, actions=[], **values)
        self.session.add(turn)
        self.latest[conv.conversation_id] = turn
        return turn


def _note_numbers(conv: TranscriptConversation, text: Optional[str]) -> None:
    if not text:
        return
    for phone in phones_in(text):
        conv.phones = _add_word(conv.phones, phone)
    for number in _FILING_NUMBER.findall(text):
        conv.filing_numbers = _add_word(conv.filing_numbers, number)


async def _apply(batch: _Batch, sender_id: str, event: dict[str, Any]) -> None:
    """Fold one broker event into the conversation's turns."""
    kind = event.get("event")
    if kind not in ("user", "bot", "slot", "action"):
        return  # session_started, user_featurization, active_loop, … carry nothing the console shows
    at = _timestamp(event)
    conv = await batch.conversation(sender_id, at)
    conv.last_at = max(conv.last_at, at)
    if kind == "user":
        text = event.get("text")
        if conv.requested_slot in SECRET_TEXT_SLOTS and text:
            text = SMS_CODE_HIDDEN
        parse = event.get("parse_data") or {}
        intent = parse.get("intent") or {}
        entities = [{"entity": e.get("entity"), "value": e.get("value")}
                    for e in parse.get("entities") or [] if isinstance(e, dict)]
        channel = event.get("input_channel")
        conv.channel = channel or conv.channel
        batch.new_turn(conv, at, "user", channel=channel, user_text=text, intent=intent.get("name"),
                       confidence=intent.get("confidence"), entities=entities or None)
        _note_numbers(conv, text)
        return
    turn = await batch.turn_at(sender_id, at)
    if kind == "bot":
        message = bot_message(event)
        delivery = (event.get("metadata") or {}).get("court_delivery")
        if delivery is not None or turn is None:
            turn = batch.new_turn(conv, at, "notice" if delivery is not None else "bot", channel=conv.channel)
            if delivery is not None:
                message["delivery"] = str(delivery)
        turn.bot = [*turn.bot, message]
        _note_numbers(conv, message.get("text"))
        if "custom" in message:
            _note_numbers(conv, json.dumps(message["custom"], ensure_ascii=False))
        return
    if kind == "slot":
        name, value = event.get("name"), event.get("value")
        if name in HIDDEN_SLOTS:
            conv.requested_slot = value if isinstance(value, str) else None
            return
        if name == VERIFIED_SLOT and value is not None and conv.verified_at is None:
            conv.verified_at = at  # the dashboard's funnel: 实名认证 passed
        if name in SECRET_SLOTS and value is not None:
            value = REDACTED
        elif isinstance(value, str):
            _note_numbers(conv, value)
        if turn is not None:
            turn.slots = {**turn.slots, str(name): value}
        return
    name = event.get("name")
    if turn is not None and name and name not in SILENT_ACTIONS:
        turn.actions = [*turn.actions, name]


async def ingest_events(session: AsyncSession, events: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Fold (sender id, event) pairs into turns in the caller's transaction; the caller commits.

    Each broker's reader keeps its own record of what it has read (a cursor, or the RabbitMQ
    consumer's inbox) in the same transaction.
    """
    batch = _Batch(session)
    for sender, event in events:
        await _apply(batch, str(sender)[:255], event)


async def stream_cursor(session: AsyncSession, name: str, initial: int = 0) -> TranscriptCursor:
    """How far a stream has been read (``rasa_events``, ``court_events``), locked for this
    transaction (PostgreSQL; SQLite transactions are serial)."""
    query = select(TranscriptCursor).where(TranscriptCursor.name == name).with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        row = TranscriptCursor(name=name, position=initial)
        session.add(row)
        await session.flush()
    return row
