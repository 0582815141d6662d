"""Rasa's events from RabbitMQ into the staff console's transcripts (the production profile).

In the production profile several Rasa replicas publish every event of every conversation through
Rasa's ``pika`` event broker into one durable queue (endpoints.production.yml). This consumer reads
that queue and folds the events into turns with the same code as the SQL broker's ingestion
(:func:`court.services.turns.ingest_events`), so the console sees the same turns either way.

Delivery is at-least-once: a message is acknowledged only after the transaction holding its turn
has committed. A crash, a lost connection or a failed commit between the two makes RabbitMQ hand
the message out again; Rasa itself may publish an event twice (it re-sends the events it could not
confirm after a reconnect). Folding must therefore be idempotent, and a user event folded twice
would add a second turn. So each event gets a key, recorded in ``transcript_inbox`` in the same
transaction as its turn; an event whose key is there already is acknowledged and skipped.

The key (:func:`event_key`) is the SHA-256 of: the sender id, the event type, Rasa's timestamp for
the event and a digest of the whole event as canonical JSON. Sender, type and timestamp say which
event it is; the timestamp alone is not unique (the slot events an action returns are stamped
within the same microsecond now and then, and two conversations can act at one instant), and the
content digest keeps two different events with the same stamp apart. A redelivered or re-published
message has the same body, hence the same key. Neither RabbitMQ's delivery tag (per channel) nor
its message id (Rasa sets none) survives a redelivery, which is why the key comes from the event.
Keys are kept for ``INBOX_RETENTION``: redeliveries come within minutes, not weeks.

One consumer at a time keeps a conversation's events in order (turns are built from the sequence);
a second backend process consuming the same queue would still never duplicate a turn (the inbox
key and the turn's unique (conversation, seq) make one of two racing commits fail and retry).

Configuration: ``COURT_RASA_EVENTS_AMQP_URL`` (e.g. amqp://guest:guest@127.0.0.1:5672/) and
``COURT_RASA_EVENTS_QUEUE`` (default ``rasa_events``), read by court/infra/config.py.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, AsyncIterator, Optional, Protocol, Sequence

import aio_pika
from aiohttp import web
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.models import TranscriptInbox, utcnow
from court.services.turns import ingest_events

log = logging.getLogger(__name__)

BATCH_SIZE = 100  # messages folded in one transaction (also the channel's prefetch)
INBOX_RETENTION = timedelta(days=7)
PRUNE_EVERY_S = 3600.0
RETRY_DELAY_S = 2.0  # after a batch could not be committed (its messages go back to the queue)
MAX_RECONNECT_DELAY_S = 60.0


class BrokerMessage(Protocol):
    """What the consumer needs of a message (aio-pika's IncomingMessage; a fake in unit tests)."""

    body: bytes

    async def ack(self, multiple: bool = False) -> None: ...

    async def nack(self, multiple: bool = False, requeue: bool = True) -> None: ...

    async def reject(self, requeue: bool = False) -> None: ...


@dataclass(frozen=True)
class BrokerEvent:
    key: str
    sender_id: str
    event: dict[str, Any]


# --- pure ---------------------------------------------------------------------------------------


def event_key(sender_id: str, event: dict[str, Any]) -> str:
    """The event's identity across redeliveries: sender, type, Rasa's timestamp, content digest."""
    canonical = json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    content = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    identity = "\x1f".join([sender_id, str(event.get("event")), repr(event.get("timestamp")), content])
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def parse_body(body: bytes) -> Optional[BrokerEvent]:
    """A message of Rasa's pika broker (the event as JSON plus ``sender_id``), or None if it is not one."""
    try:
        event = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(event, dict):
        return None
    sender, kind = event.get("sender_id"), event.get("event")
    if not isinstance(sender, str) or not sender or not isinstance(kind, str):
        return None
    return BrokerEvent(event_key(sender, event), sender, event)


# --- the database ---------------------------------------------------------------------------------


async def _claim(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """The keys not folded before, recorded now (in the caller's transaction)."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return set()
    seen = set((await session.execute(
        select(TranscriptInbox.event_key).where(TranscriptInbox.event_key.in_(wanted)))).scalars())
    fresh = [key for key in wanted if key not in seen]
    at = utcnow()
    session.add_all(TranscriptInbox(event_key=key, received_at=at) for key in fresh)
    return set(fresh)


async def fold(app: web.Application, events: Sequence[BrokerEvent]) -> int:
    """Fold the events not seen before into turns, in one committed transaction; how many were new."""
    async with app[SESSIONMAKER]() as session:
        fresh = await _claim(session, [e.key for e in events])
        new: list[BrokerEvent] = []
        for event in events:  # in order; a copy inside the same batch counts once
            if event.key in fresh:
                fresh.discard(event.key)
                new.append(event)
        await ingest_events(session, [(e.sender_id, e.event) for e in new])
        await session.commit()
        return len(new)


async def prune_inbox(app: web.Application, older_than: timedelta = INBOX_RETENTION) -> int:
    """Forget keys older than the retention: a message is not redelivered weeks later."""
    async with app[SESSIONMAKER]() as session:
        result = await session.execute(delete(TranscriptInbox).where(TranscriptInbox.received_at < utcnow() - older_than))
        await session.commit()
        return result.rowcount or 0


# --- messages -----------------------------------------------------------------------------------


async def _settle(message: BrokerMessage, how: str) -> None:
    """ack / reject / requeue one message; on a channel that has gone meanwhile this is a no-op
    (RabbitMQ hands the message out again, and the inbox makes that harmless)."""
    try:
        if how == "ack":
            await message.ack()
        elif how == "reject":
            await message.reject(requeue=False)
        else:
            await message.nack(requeue=True)
    except Exception as err:  # aio-pika raises several types for a closed channel
        log.debug("could not %s a message (%s): it will be redelivered", how, type(err).__name__)


async def handle_messages(app: web.Application, messages: Sequence[BrokerMessage]) -> int:
    """Fold a batch, then acknowledge it (after the commit); the number of new events.

    A message that is not a Rasa event is rejected (dead-lettered if the queue has a dead-letter
    exchange, dropped otherwise) rather than requeued for ever. If the commit fails, every message
    goes back to the queue and the error propagates (the caller waits before the next batch).
    """
    parsed: list[BrokerEvent] = []
    good: list[BrokerMessage] = []
    for message in messages:
        event = parse_body(message.body)
        if event is None:
            log.warning("a message on the transcript queue is not a Rasa event: rejected")
            await _settle(message, "reject")
            continue
        parsed.append(event)
        good.append(message)
    try:
        new = await fold(app, parsed)
    except BaseException:
        for message in good:
            await _settle(message, "nack")
        raise
    for message in good:
        await _settle(message, "ack")
    return new


# --- the consumer -------------------------------------------------------------------------------


async def _consume_on(app: web.Application, connection: aio_pika.abc.AbstractRobustConnection, queue_name: str,
                      batch_size: int) -> None:
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=batch_size)
    # The same declaration as Rasa's pika broker (durable, no arguments): whichever starts first creates it.
    queue = await channel.declare_queue(queue_name, durable=True)
    inbox: asyncio.Queue[BrokerMessage] = asyncio.Queue()
    await queue.consume(inbox.put)
    log.info("consuming Rasa events from RabbitMQ queue %s", queue_name)
    last_prune = time.monotonic() - PRUNE_EVERY_S
    while True:
        batch = [await inbox.get()]
        while len(batch) < batch_size and not inbox.empty():
            batch.append(inbox.get_nowait())
        try:
            await handle_messages(app, batch)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("a batch of Rasa events could not be stored: requeued, retrying")
            await asyncio.sleep(RETRY_DELAY_S)
        if time.monotonic() - last_prune >= PRUNE_EVERY_S:
            last_prune = time.monotonic()
            with suppress(Exception):
                await prune_inbox(app)


async def consume(app: web.Application, url: str, queue_name: str, batch_size: int = BATCH_SIZE) -> None:
    """Consume until cancelled. aio-pika's robust connection re-subscribes after a lost connection;
    the first connection is retried here with a growing delay (RabbitMQ may start after the backend)."""
    delay = 1.0
    while True:
        try:
            connection = await aio_pika.connect_robust(url, timeout=10)
        except asyncio.CancelledError:
            raise
        except Exception as err:  # the URL's password is never logged
            log.warning("RabbitMQ is not reachable (%s): retrying in %.0f s", type(err).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RECONNECT_DELAY_S)
            continue
        delay = 1.0
        try:
            async with connection:
                await _consume_on(app, connection, queue_name, batch_size)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the transcript consumer stopped: reconnecting")
            await asyncio.sleep(RETRY_DELAY_S)


async def transcript_broker_job(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: the RabbitMQ consumer, only when COURT_RASA_EVENTS_AMQP_URL is set."""
    settings = app[SETTINGS]
    task: Optional[asyncio.Task] = None
    if settings.rasa_events_amqp_url and settings.extra.get("transcript_broker_job", True):
        task = asyncio.create_task(consume(app, settings.rasa_events_amqp_url, settings.rasa_events_queue),
                                   name="transcript-broker")
    yield
    if task is not None:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
