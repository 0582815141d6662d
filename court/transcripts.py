"""Conversations for the staff console: Rasa's event stream ingested into turns, and the court's
messages (staff replies, review decisions) delivered back into the conversation they belong to.

Why ingest rather than read Rasa's table on every request: Rasa's SQL event broker writes one JSON
blob per event into its own database (``events`` there; the court database has an ``events`` table
of its own, so the two never share a file). The console searches across all conversations by
filing number, mobile number and date, on SQLite and PostgreSQL alike; that needs columns, not
blobs. A job reads the new broker rows every ``COURT_TRANSCRIPT_INTERVAL_S`` (1 s by default), so
a turn is in the console within seconds of being said.

What is never stored: bearer tokens and identity challenges (slots ``litigant_token``,
``identity_challenge``, any ``*token*`` key of a custom payload) and the SMS code a litigant types
(the user message answering ``requested_slot == sms_code``). ID and mobile numbers are stored as
said and masked when shown, by role (:func:`can_see_numbers`).

Delivery (电子送达 of a decision, a fee notice, a payment received, the answer to a handoff ticket):
a row in ``conversation_deliveries`` (unique per event / ticket, so nothing is sent twice), then
``POST {rasa}/conversations/{id}/tracker/events?output_channel=latest&execute_side_effects=true``
with a ``bot`` event. Rasa appends it to the tracker and sends it through the output channel the
litigant last wrote from (socket.io pushes it into the open widget; a channel without push, such as
REST, keeps it in the conversation only). No intent, action or retraining is needed.

Configuration (environment, or ``Settings.extra`` in tests):
``COURT_RASA_EVENTS_URL`` — SQLAlchemy URL of the broker's database (ingestion runs only when set);
``COURT_RASA_URL`` — Rasa's HTTP API (delivery retries and review notices run only when set;
default for one-off sends http://127.0.0.1:5005); ``COURT_RASA_PUBLIC_URL`` — what browsers use
(default: ``COURT_RASA_URL``); ``COURT_RASA_TOKEN`` — Rasa's ``--auth-token``, if it has one.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import re
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, AsyncIterator, Iterable, Optional
from urllib.parse import quote

import aiohttp
from aiohttp import web
from sqlalchemy import (
    JSON, BigInteger, Float, ForeignKey, Integer, String, Text, UniqueConstraint, column, select, table,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import Mapped, mapped_column

from court.app_keys import SESSIONMAKER, SETTINGS
from court.models import Base, Case, Event, FeeNotice, Filing, Payment, UTCDateTime, utcnow
from court.payments.notices import fee_notice_text, payment_text
from court.rules.privacy import mask_pii

log = logging.getLogger(__name__)

DEFAULT_RASA_URL = "http://127.0.0.1:5005"
SECRET_SLOTS = {"litigant_token", "identity_challenge", "sms_code"}
SECRET_TEXT_SLOTS = {"sms_code"}  # what the litigant types while this slot is asked is a secret
HIDDEN_SLOTS = {"requested_slot"}  # bookkeeping: kept on the conversation, not shown per turn
SILENT_ACTIONS = {"action_listen", "action_session_start"}
REDACTED = "（已隐去）"
SMS_CODE_HIDDEN = "（验证码已隐去）"
UNMASKED_ROLES = {"clerk", "judge"}  # 立案审查 checks identities; an administrator needs no numbers

_FILING_NUMBER = re.compile(r"LA\d{14}")
# A mainland mobile, also as typed with spaces or dashes: 138 0013 8000, 138-0013-8000.
_PHONE_LOOSE = re.compile(r"(?<![0-9])(1[3-9][0-9])[ \-]?([0-9]{4})[ \-]?([0-9]{4})(?![0-9])")


# --- tables -----------------------------------------------------------------------------------


class TranscriptConversation(Base):
    """One Rasa conversation (sender id): what the console lists and searches."""

    __tablename__ = "transcript_conversations"

    conversation_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    turn_count: Mapped[int] = mapped_column(Integer, default=0)
    # " 13800138000 13900139000 ": every mobile said or set, space-delimited for LIKE '% n %'.
    phones: Mapped[str] = mapped_column(Text, default=" ")
    filing_numbers: Mapped[str] = mapped_column(Text, default=" ")
    requested_slot: Mapped[Optional[str]] = mapped_column(String(64))  # to hide the SMS code


class TranscriptTurn(Base):
    """One turn: the litigant's message and what the assistant did with it (or a message it sent unasked)."""

    __tablename__ = "transcript_turns"
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("transcript_conversations.conversation_id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # user | bot (unprompted) | notice (from the court)
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    user_text: Mapped[Optional[str]] = mapped_column(Text)
    intent: Mapped[Optional[str]] = mapped_column(String(128))
    confidence: Mapped[Optional[float]] = mapped_column(Float)
    entities: Mapped[Optional[list]] = mapped_column(JSON)
    bot: Mapped[list] = mapped_column(JSON, default=list)
    slots: Mapped[dict] = mapped_column(JSON, default=dict)
    actions: Mapped[list] = mapped_column(JSON, default=list)


class TranscriptCursor(Base):
    """How far a stream has been read: ``rasa_events`` (broker row id), ``court_events`` (events.id)."""

    __tablename__ = "transcript_cursors"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)


class Delivery(Base):
    """A message from the court into a conversation: sent once, retried while Rasa is unreachable."""

    __tablename__ = "conversation_deliveries"
    __table_args__ = (UniqueConstraint("kind", "ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    # staff_reply | docketed | correction_requested | rejected | fee_notice_issued | fee_paid
    kind: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(64))  # ticket public id, or "event:<id>"
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[Optional[str]] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


DELIVERY_LABELS = {"pending": "待送达", "sending": "送达中", "sent": "已送达", "failed": "送达失败"}
MAX_ATTEMPTS = 8


# --- configuration ----------------------------------------------------------------------------


def _config(app: web.Application, key: str, env: str) -> Optional[str]:
    value = app[SETTINGS].extra.get(key) if SETTINGS in app else None
    if value is None:
        value = os.environ.get(env)
    return value.strip().rstrip("/") if isinstance(value, str) and value.strip() else None


def rasa_url(app: web.Application) -> str:
    return _config(app, "rasa_url", "COURT_RASA_URL") or DEFAULT_RASA_URL


def rasa_public_url(app: web.Application) -> str:
    """Where a litigant's browser reaches Rasa's socket.io (the page is told, and its CSP allows it)."""
    return _config(app, "rasa_public_url", "COURT_RASA_PUBLIC_URL") or rasa_url(app)


def events_url(app: web.Application) -> Optional[str]:
    return _config(app, "rasa_events_url", "COURT_RASA_EVENTS_URL")


def delivery_configured(app: web.Application) -> bool:
    return _config(app, "rasa_url", "COURT_RASA_URL") is not None


def can_see_numbers(role: str) -> bool:
    return role in UNMASKED_ROLES


# --- pure helpers -----------------------------------------------------------------------------


def mask_text(text: Optional[str]) -> Optional[str]:
    """ID and mobile numbers masked, also a mobile typed with spaces (138 0013 8000 → 138****8000)."""
    if text is None:
        return None
    return mask_pii(_PHONE_LOOSE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text))


def mask_value(value: Any) -> Any:
    """mask_text through lists and dicts (slot values, entities, custom payloads)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    return value


def phones_in(text: str) -> list[str]:
    return ["".join(m.groups()) for m in _PHONE_LOOSE.finditer(text)]


def normalise_phone(raw: str) -> Optional[str]:
    digits = re.sub(r"[\s\-]", "", raw or "")
    return digits if re.fullmatch(r"1[3-9][0-9]{9}", digits) else None


def redact_secrets(value: Any) -> Any:
    """A custom payload without its tokens: any key naming a token is replaced by REDACTED."""
    if isinstance(value, dict):
        return {k: (REDACTED if "token" in str(k).lower() else redact_secrets(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_secrets(v) for v in value]
    return value


def _add_word(words: str, word: str) -> str:
    return words if f" {word} " in words else f"{words}{word} "


def _timestamp(event: dict[str, Any]) -> datetime:
    ts = event.get("timestamp")
    if isinstance(ts, (int, float)):
        return datetime.fromtimestamp(ts, timezone.utc)
    return utcnow()


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


# --- ingestion --------------------------------------------------------------------------------

RASA_EVENTS = table("events", column("id"), column("sender_id"), column("data"))


def open_source(url: str) -> Optional[AsyncEngine]:
    """An engine on the broker's database, or None while a SQLite file does not exist yet."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not Path(path).exists():
            return None
        # Only reads, and no pragmas: the file is Rasa's. Wait out its short write locks.
        return create_async_engine(url, connect_args={"timeout": 10})
    return create_async_engine(url, pool_size=2, max_overflow=0, pool_pre_ping=True)


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
    turn = await batch.latest_turn(sender_id)
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


async def _cursor(session: AsyncSession, name: str, initial: int = 0) -> TranscriptCursor:
    """The stream's cursor row, locked for this transaction (PostgreSQL; SQLite transactions are serial)."""
    query = select(TranscriptCursor).where(TranscriptCursor.name == name).with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        row = TranscriptCursor(name=name, position=initial)
        session.add(row)
        await session.flush()
    return row


async def ingest_once(app: web.Application, source: AsyncEngine, limit: int = 500) -> int:
    """Read up to `limit` new broker rows into turns, in one transaction with the cursor; the count read."""
    async with app[SESSIONMAKER]() as session:
        cursor = await _cursor(session, "rasa_events")
        async with source.connect() as conn:
            rows = (await conn.execute(
                select(RASA_EVENTS.c.id, RASA_EVENTS.c.sender_id, RASA_EVENTS.c.data)
                .where(RASA_EVENTS.c.id > cursor.position).order_by(RASA_EVENTS.c.id).limit(limit)
            )).all()
        if not rows:
            await session.rollback()
            return 0
        batch = _Batch(session)
        for row_id, sender_id, data in rows:
            try:
                event = json.loads(data) if isinstance(data, str) else dict(data or {})
            except ValueError:
                log.warning("broker row %s is not JSON: skipped", row_id)
                continue
            sender = sender_id or event.get("sender_id")
            if sender:
                await _apply(batch, str(sender)[:255], event)
        cursor.position = rows[-1][0]
        await session.commit()
        return len(rows)


async def ingest_events(session: AsyncSession, events: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Fold (sender id, event) pairs into turns in the caller's transaction; the caller commits.

    The same folding as ingest_once, for a broker that pushes events (RabbitMQ,
    court/transcript_broker.py): that consumer keeps its own dedup record in the same transaction.
    """
    batch = _Batch(session)
    for sender, event in events:
        await _apply(batch, str(sender)[:255], event)


# --- delivery ---------------------------------------------------------------------------------


def staff_reply_text(question: str, answer: str) -> str:
    short = question if len(question) <= 40 else question[:40] + "…"
    return f"【法院工作人员回复】关于您的问题“{short}”：\n{answer}"


def decision_text(filing: Filing, event: Event, case_number: Optional[str], notice: Optional[FeeNotice]) -> str:
    """The notice a litigant receives when the court decides on their filing.

    On docketing the fee notice is served as a delivery of its own (``fee_notice_issued``): here
    it is only announced, so that the amount and the deadline are said once.
    """
    number = filing.number
    if event.action == "docketed":
        text = (f"【立案通知】您提交的立案申请{number}已经{filing.court_name}审查，决定立案，"
                f"案号为{case_number}。")
        if notice is not None:
            text += "交纳诉讼费用通知随后送达，请您留意。"
        return text + "您可以随时说“查询进度”查看案件情况。"
    if event.action == "correction_requested":
        items = (event.detail or {}).get("items") or filing.review_items or []
        listed = "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
        return (f"【补正通知】您提交的立案申请{number}需要补正。请您一次性补充以下材料或内容：\n{listed}\n"
                "补正后法院将继续审查。")
    reason = (event.detail or {}).get("reason") or filing.review_reason or ""
    return (f"【不予立案通知】您提交的立案申请{number}经{filing.court_name}审查，决定不予立案。理由：{reason}\n"
            "法院将依法出具裁定书；如您不服，可以自裁定书送达之日起十日内向上一级人民法院提起上诉。")


DECISION_ACTIONS = ("docketed", "correction_requested", "rejected")
FEE_ACTIONS = ("fee_notice_issued", "fee_paid")  # 交纳诉讼费用通知 served; a payment received
SERVED_ACTIONS = DECISION_ACTIONS + FEE_ACTIONS


async def fee_event_text(session: AsyncSession, filing: Filing, event: Event) -> Optional[str]:
    """The fee notice or the payment confirmation for a fee event; None when its rows are gone."""
    detail = event.detail or {}
    if event.action == "fee_notice_issued":
        row = (await session.execute(
            select(FeeNotice, Case).join(Case, Case.id == FeeNotice.case_id)
            .where(FeeNotice.public_id == str(detail.get("fee_notice", "")))
        )).first()
        if row is None:
            return None
        notice, case = row
        return fee_notice_text(case_number=case.case_number, court_name=filing.court_name,
                               amount=notice.amount, due_at=notice.due_at)
    row = (await session.execute(
        select(Payment, Case).join(FeeNotice, FeeNotice.id == Payment.fee_notice_id)
        .join(Case, Case.id == FeeNotice.case_id)
        .where(Payment.order_no == str(detail.get("order_no", "")))
    )).first()
    if row is None:
        return None
    payment, case = row
    return payment_text(amount=payment.amount, order_no=payment.order_no, case_number=case.case_number,
                        late=bool(detail.get("late")))


async def queue_delivery(session: AsyncSession, *, conversation_id: str, channel: Optional[str], kind: str,
                         ref: str, text: str, at: datetime) -> Delivery:
    """Add the delivery unless this (kind, ref) exists already; the caller commits."""
    existing = (await session.execute(
        select(Delivery).where(Delivery.kind == kind, Delivery.ref == ref))).scalar_one_or_none()
    if existing is not None:
        return existing
    row = Delivery(conversation_id=conversation_id, channel=channel, kind=kind, ref=ref, text=text,
                   status="pending", attempts=0, created_at=at, next_attempt_at=at)
    session.add(row)
    await session.flush()
    return row


async def scan_review_events(app: web.Application, limit: int = 200) -> int:
    """Queue a notice for every new review decision, fee notice and payment received on a filing
    that came from a conversation (and whose litigant did not refuse electronic service).

    The first run starts at the newest event: decisions taken before delivery was set up are not
    sent after the fact. Events are read in order, so the 立案通知 goes before its fee notice.
    """
    async with app[SESSIONMAKER]() as session:
        newest = (await session.execute(select(Event.id).order_by(Event.id.desc()).limit(1))).scalar_one_or_none()
        cursor = await _cursor(session, "court_events", initial=newest or 0)
        rows = list((await session.execute(
            select(Event).where(Event.id > cursor.position).order_by(Event.id).limit(limit))).scalars())
        queued = 0
        for event in rows:
            if event.action not in SERVED_ACTIONS or event.filing_id is None:
                continue
            filing = await session.get(Filing, event.filing_id)
            if filing is None or not filing.conversation_id or filing.e_service_consent is False:
                continue
            if event.action in FEE_ACTIONS:
                text = await fee_event_text(session, filing, event)
                if text is not None:
                    await queue_delivery(session, conversation_id=filing.conversation_id, channel=filing.channel,
                                         kind=event.action, ref=f"event:{event.id}", text=text, at=utcnow())
                    queued += 1
                continue
            case = (await session.execute(select(Case).where(Case.filing_id == filing.id))).scalar_one_or_none()
            notice = None
            if case is not None:
                notice = (await session.execute(select(FeeNotice).where(FeeNotice.case_id == case.id)
                                                .order_by(FeeNotice.id).limit(1))).scalar_one_or_none()
            await queue_delivery(session, conversation_id=filing.conversation_id, channel=filing.channel,
                                 kind=event.action, ref=f"event:{event.id}",
                                 text=decision_text(filing, event, case.case_number if case else None, notice),
                                 at=utcnow())
            queued += 1
        if rows:
            cursor.position = rows[-1].id
        await session.commit()
        return queued


async def post_to_rasa(app: web.Application, http: aiohttp.ClientSession, delivery: Delivery) -> None:
    """Append the message as a bot event and have Rasa send it through the litigant's latest channel."""
    url = f"{rasa_url(app)}/conversations/{quote(delivery.conversation_id, safe='')}/tracker/events"
    params = {"output_channel": "latest", "execute_side_effects": "true"}
    token = _config(app, "rasa_token", "COURT_RASA_TOKEN")
    if token:
        params["token"] = token
    body = [{"event": "bot", "text": delivery.text, "timestamp": utcnow().timestamp(),
             "metadata": {"court_delivery": f"{delivery.kind}:{delivery.ref}"}}]
    async with http.post(url, params=params, json=body, timeout=aiohttp.ClientTimeout(total=10)) as resp:
        if resp.status != 200:
            raise RuntimeError(f"Rasa answered {resp.status}")


async def send_delivery(app: web.Application, delivery_id: int,
                        http: Optional[aiohttp.ClientSession] = None) -> str:
    """Try one delivery now (claimed first, so that two processes never send it twice); its new status."""
    sessionmaker = app[SESSIONMAKER]
    async with sessionmaker() as session:
        row = (await session.execute(select(Delivery).where(Delivery.id == delivery_id).with_for_update())).scalar_one()
        if row.status not in ("pending",):
            return row.status
        row.status, row.attempts = "sending", row.attempts + 1
        await session.commit()
    error: Optional[str] = None
    own = http is None
    client = http or aiohttp.ClientSession()
    try:
        await post_to_rasa(app, client, row)
    except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError, OSError) as err:
        error = (str(err) or type(err).__name__)[:250]
    finally:
        if own:
            await client.close()
    async with sessionmaker() as session:
        row = await session.get(Delivery, delivery_id)
        at = utcnow()
        if error is None:
            row.status, row.sent_at, row.last_error = "sent", at, None
        else:
            log.warning("delivery %s to the conversation failed (attempt %s): %s", row.id, row.attempts, error)
            row.last_error = error
            row.status = "failed" if row.attempts >= MAX_ATTEMPTS else "pending"
            row.next_attempt_at = at + timedelta(seconds=min(300, 2 ** row.attempts))
        await session.commit()
        return row.status


async def send_pending(app: web.Application, http: Optional[aiohttp.ClientSession] = None, limit: int = 20) -> int:
    """Send the deliveries that are due; the number sent."""
    async with app[SESSIONMAKER]() as session:
        ids = list((await session.execute(
            select(Delivery.id).where(Delivery.status == "pending", Delivery.next_attempt_at <= utcnow())
            .order_by(Delivery.id).limit(limit))).scalars())
    sent = 0
    for delivery_id in ids:
        if await send_delivery(app, delivery_id, http) == "sent":
            sent += 1
    return sent


def delivery_json(row: Optional[Delivery]) -> Optional[dict[str, Any]]:
    if row is None:
        return None
    return {"status": row.status, "status_label": DELIVERY_LABELS.get(row.status, row.status),
            "attempts": row.attempts, "error": row.last_error,
            "sent_at": row.sent_at.isoformat() if row.sent_at else None}


# --- the job ----------------------------------------------------------------------------------


async def _loop(app: web.Application, interval_s: float) -> None:
    url = events_url(app)
    source: Optional[AsyncEngine] = None
    deliver = delivery_configured(app)
    async with aiohttp.ClientSession() as http:
        try:
            while True:
                try:
                    if url is not None:
                        source = source or open_source(url)
                        while source is not None and await ingest_once(app, source) >= 500:
                            pass
                    if deliver:
                        await scan_review_events(app)
                        await send_pending(app, http)
                except asyncio.CancelledError:
                    raise
                except Exception:  # a locked or missing database now and then: try again next tick
                    log.exception("transcript/delivery pass failed")
                await asyncio.sleep(interval_s)
        finally:
            if source is not None:
                await source.dispose()


async def transcript_job(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: ingestion (when COURT_RASA_EVENTS_URL is set) and delivery (when COURT_RASA_URL is set)."""
    interval = float(os.environ.get("COURT_TRANSCRIPT_INTERVAL_S", "1"))
    task: Optional[asyncio.Task] = None
    if events_url(app) is not None or delivery_configured(app):
        if app[SETTINGS].extra.get("transcript_job", True):
            task = asyncio.create_task(_loop(app, interval), name="transcripts")
    yield
    if task is not None:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


def words(column_value: str) -> list[str]:
    return column_value.split()


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
