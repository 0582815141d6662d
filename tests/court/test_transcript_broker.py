"""Transcripts from RabbitMQ (court/jobs/transcript_broker.py): Rasa's pika broker messages folded into
turns, acknowledged only after the commit, and a redelivered message never a second turn.

Messages are shaped as Rasa 3.6's PikaEventBroker publishes them (the event's dict plus
``sender_id``). The consumer tests use the real RabbitMQ on 127.0.0.1:5672 with a private queue per
test; the batch tests use small fake messages that record how they were settled.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import uuid
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator, Callable

import aio_pika
import pytest
from sqlalchemy import func, select, update

from authflow import bearer, staff_token
from court.app import create_app
from court.infra.app_keys import SESSIONMAKER
from court.infra.config import Settings
from court.infra.models import TranscriptTurn
from court.jobs import transcript_broker
from court.jobs.transcript_broker import (
    TranscriptInbox, consume, event_key, handle_messages, parse_body, prune_inbox,
)

AMQP_URL = os.environ.get("COURT_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
T0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc).timestamp()
CONV = "b7e1c2d3a4f5469788a9b0c1d2e3f405"


class Events:
    """Rasa events of one conversation as the pika broker publishes them, one second apart."""

    def __init__(self, sender: str = CONV) -> None:
        self.sender, self.ts = sender, T0

    def _body(self, event: dict[str, Any]) -> bytes:
        self.ts += 1
        return json.dumps({"sender_id": self.sender, "timestamp": self.ts, **event}, ensure_ascii=False).encode()

    def user(self, text: str, intent: str = "inform") -> bytes:
        return self._body({"event": "user", "text": text, "input_channel": "rest", "message_id": uuid.uuid4().hex,
                           "metadata": {}, "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.9},
                                                          "entities": [], "intent_ranking": []}})

    def bot(self, text: str) -> bytes:
        return self._body({"event": "bot", "text": text, "metadata": {}, "data": {"buttons": None, "custom": None}})

    def slot(self, name: str, value: Any) -> bytes:
        return self._body({"event": "slot", "name": name, "value": value})

    def action(self, name: str) -> bytes:
        return self._body({"event": "action", "name": name, "policy": None, "confidence": 1.0})

    def turn(self, text: str, reply: str, **slots: Any) -> list[bytes]:
        return [self.user(text), self.action("filing_form"),
                *(self.slot(k, v) for k, v in slots.items()), self.bot(reply), self.action("action_listen")]


@dataclass
class FakeMessage:
    """Records how the consumer settled it: ack, nack (requeued) or reject."""

    body: bytes
    settled: list[str] = field(default_factory=list)

    async def ack(self, multiple: bool = False) -> None:
        self.settled.append("ack")

    async def nack(self, multiple: bool = False, requeue: bool = True) -> None:
        self.settled.append("requeue" if requeue else "nack")

    async def reject(self, requeue: bool = False) -> None:
        self.settled.append("requeue" if requeue else "reject")


def fakes(bodies: list[bytes]) -> list[FakeMessage]:
    return [FakeMessage(b) for b in bodies]


async def count(client, model) -> int:
    async with client.app[SESSIONMAKER]() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def user_texts(client, conversation_id: str = CONV) -> list[str]:
    async with client.app[SESSIONMAKER]() as session:
        return list((await session.execute(
            select(TranscriptTurn.user_text).where(TranscriptTurn.conversation_id == conversation_id)
            .order_by(TranscriptTurn.seq))).scalars())


async def bot_texts(client, conversation_id: str = CONV) -> list[list[str]]:
    async with client.app[SESSIONMAKER]() as session:
        bots = (await session.execute(
            select(TranscriptTurn.bot).where(TranscriptTurn.conversation_id == conversation_id)
            .order_by(TranscriptTurn.seq))).scalars()
        return [[m["text"] for m in bot] for bot in bots]


async def eventually(check: Callable[[], Any], what: str, timeout: float = 30.0) -> None:
    """Poll until `check()` is truthy: the consumer runs in the background (not a timing assertion)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}")
        await asyncio.sleep(0.05)


# --- the key and the message format (pure) ---------------------------------------------------------


def test_the_key_is_the_same_for_the_same_event_however_its_json_is_ordered():
    event = {"event": "user", "timestamp": 1.5, "text": "我要立案", "sender_id": "a"}
    reordered = dict(reversed(list(event.items())))
    assert event_key("a", event) == event_key("a", reordered)
    assert len(event_key("a", event)) == 64


@pytest.mark.parametrize("change", [
    {"sender": "b"}, {"timestamp": 1.500001}, {"event": "bot"}, {"text": "我要起诉"},
])
def test_the_key_tells_apart_events_differing_in_sender_time_type_or_content(change):
    event = {"event": "user", "timestamp": 1.5, "text": "我要立案"}
    other = {**event, **{k: v for k, v in change.items() if k != "sender"}}
    assert event_key("a", event) != event_key(change.get("sender", "a"), other)


def test_two_slot_events_stamped_in_the_same_instant_are_two_events():
    a = {"event": "slot", "timestamp": 7.0, "name": "plaintiff_name", "value": "张三"}
    b = {"event": "slot", "timestamp": 7.0, "name": "court", "value": "京0105"}
    assert event_key("s", a) != event_key("s", b)


@pytest.mark.parametrize("body", [
    b"not json", b"\xff\xfe", b"[1, 2]", b'"text"', b'{"event": "user"}', b'{"sender_id": "", "event": "user"}',
    b'{"sender_id": "s"}', b'{"sender_id": 5, "event": "user"}',
])
def test_a_message_that_is_not_a_rasa_event_is_not_parsed(body):
    assert parse_body(body) is None


def test_a_rasa_message_is_parsed_with_its_key():
    body = Events().user("你好")
    parsed = parse_body(body)
    assert parsed is not None and parsed.sender_id == CONV and parsed.event["text"] == "你好"
    assert parsed.key == event_key(CONV, json.loads(body))


def test_the_consumer_is_configured_from_the_environment(monkeypatch):
    monkeypatch.delenv("COURT_RASA_EVENTS_AMQP_URL", raising=False)
    monkeypatch.delenv("COURT_RASA_EVENTS_QUEUE", raising=False)
    off = Settings.from_env()
    assert off.rasa_events_amqp_url is None and off.rasa_events_queue == "rasa_events"
    monkeypatch.setenv("COURT_RASA_EVENTS_AMQP_URL", " amqp://guest:guest@127.0.0.1:5672/ ")
    monkeypatch.setenv("COURT_RASA_EVENTS_QUEUE", "court_events")
    on = Settings.from_env()
    assert on.rasa_events_amqp_url == "amqp://guest:guest@127.0.0.1:5672/" and on.rasa_events_queue == "court_events"


# --- a batch: fold, commit, then acknowledge ---------------------------------------------------------


async def test_a_batch_becomes_a_turn_shown_to_staff_and_is_acknowledged(client):
    messages = fakes(Events().turn("张三", "请提供原告的身份证号码。", plaintiff_name="张三"))
    assert await handle_messages(client.app, messages) == len(messages)
    assert all(m.settled == ["ack"] for m in messages)
    token = await staff_token(client, "clerk1", "clerk")
    resp = await client.get(f"/api/v1/staff/transcripts/{CONV}", headers=bearer(token))
    assert resp.status == 200
    [turn] = (await resp.json())["turns"]
    assert turn["user_text"] == "张三" and turn["slots"] == {"plaintiff_name": "张三"}
    assert turn["bot"] == [{"text": "请提供原告的身份证号码。"}] and turn["actions"] == ["filing_form"]


async def test_a_redelivered_batch_adds_no_turn_and_is_acknowledged_again(client):
    conversation = Events()
    first = conversation.turn("我要立案", "请问案由是什么？")
    second = conversation.turn("民间借贷纠纷", "请问向哪个法院起诉？", case_type="民间借贷纠纷")
    await handle_messages(client.app, fakes(first + second))
    again = fakes(second + first)  # redelivered, even out of order
    assert await handle_messages(client.app, again) == 0
    assert all(m.settled == ["ack"] for m in again)
    assert await user_texts(client) == ["我要立案", "民间借贷纠纷"]
    assert await count(client, TranscriptInbox) == len(first) + len(second)


async def test_a_copy_inside_one_batch_counts_once(client):
    user = Events().user("你好")
    messages = fakes([user, user])
    assert await handle_messages(client.app, messages) == 1
    assert [m.settled for m in messages] == [["ack"], ["ack"]]
    assert await user_texts(client) == ["你好"]


async def test_a_message_that_is_not_a_rasa_event_is_rejected_and_the_rest_stored(client):
    good = fakes([Events().user("你好")])
    bad = fakes([b"garbage", b'{"event": "user"}'])
    await handle_messages(client.app, [bad[0], good[0], bad[1]])
    assert [m.settled for m in bad] == [["reject"], ["reject"]]  # not requeued for ever
    assert good[0].settled == ["ack"]
    assert await user_texts(client) == ["你好"]


async def test_nothing_is_acknowledged_when_the_commit_fails(client, monkeypatch):
    async def broken(session, events):
        raise RuntimeError("database went away")

    monkeypatch.setattr(transcript_broker, "ingest_events", broken)
    messages = fakes(Events().turn("你好", "您好！"))
    with pytest.raises(RuntimeError):
        await handle_messages(client.app, messages)
    assert all(m.settled == ["requeue"] for m in messages)  # back to the queue, to be delivered again
    assert await count(client, TranscriptInbox) == 0  # the keys were rolled back with the turn
    monkeypatch.undo()
    await handle_messages(client.app, messages)
    assert await user_texts(client) == ["你好"]


async def test_old_keys_are_pruned_and_recent_ones_kept(client):
    await handle_messages(client.app, fakes([Events().user("你好"), Events("other").user("在吗")]))
    async with client.app[SESSIONMAKER]() as session:
        oldest = (await session.execute(select(TranscriptInbox.event_key).limit(1))).scalar_one()
        await session.execute(update(TranscriptInbox).where(TranscriptInbox.event_key == oldest)
                              .values(received_at=datetime.now(timezone.utc) - timedelta(days=8)))
        await session.commit()
    assert await prune_inbox(client.app) == 1
    assert await count(client, TranscriptInbox) == 1


# --- the real RabbitMQ -------------------------------------------------------------------------------


async def _connect() -> aio_pika.abc.AbstractRobustConnection:
    """RabbitMQ, started if it does not answer (as on a fresh development machine); a clear failure otherwise."""
    try:
        return await aio_pika.connect_robust(AMQP_URL, timeout=5)
    except Exception as first:  # noqa: BLE001 - any connection error means "not running"
        if shutil.which("rabbitmq-server"):
            subprocess.run(["rabbitmq-server", "-detached"], check=False, capture_output=True)
            for _ in range(60):
                await asyncio.sleep(1)
                try:
                    return await aio_pika.connect_robust(AMQP_URL, timeout=5)
                except Exception:  # noqa: BLE001
                    pass
        pytest.fail(f"RabbitMQ does not answer on {AMQP_URL.split('@')[-1]} ({type(first).__name__}): "
                    "start it with `rabbitmq-server -detached`", pytrace=False)


@dataclass
class Rabbit:
    channel: aio_pika.abc.AbstractChannel
    queue: str
    consumers: list[asyncio.Task] = field(default_factory=list)  # cancelled at teardown if a test failed early

    async def publish(self, bodies: list[bytes]) -> None:
        for body in bodies:  # as Rasa does: persistent messages through a durable queue
            await self.channel.default_exchange.publish(
                aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=self.queue)


@pytest.fixture
async def rabbit() -> AsyncIterator[Rabbit]:
    connection = await _connect()
    channel = await connection.channel()
    name = f"court_test_transcripts_{uuid.uuid4().hex[:12]}"
    queue = await channel.declare_queue(name, durable=True)
    rabbit = Rabbit(channel, name)
    yield rabbit
    for task in rabbit.consumers:  # a consumer left running would declare the queue again
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
    await queue.delete(if_unused=False, if_empty=False)
    await connection.close()


async def _run_consumer(client, rabbit: Rabbit) -> asyncio.Task:
    task = asyncio.create_task(consume(client.app, AMQP_URL, rabbit.queue))
    rabbit.consumers.append(task)
    return task


async def _stop(task: asyncio.Task) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_the_app_consumes_the_queue_when_configured(aiohttp_client, client, rabbit, settings):
    """The whole wiring: COURT_RASA_EVENTS_* → the cleanup-context job → turns in the staff API."""
    configured = replace(settings, rasa_events_amqp_url=AMQP_URL, rasa_events_queue=rabbit.queue)
    app_client = await aiohttp_client(create_app(configured))
    assert [t for t in asyncio.all_tasks() if t.get_name() == "transcript-broker"]
    await rabbit.publish(Events().turn("我要立案", "请问案由是什么？"))
    await eventually(lambda: user_texts(client), "the turn in the transcript tables")
    token = await staff_token(app_client, "admin1", "admin")
    resp = await app_client.get(f"/api/v1/staff/transcripts/{CONV}", headers=bearer(token))
    assert resp.status == 200
    assert [t["user_text"] for t in (await resp.json())["turns"]] == ["我要立案"]


async def test_the_app_has_no_consumer_unless_configured(aiohttp_client, settings):
    await aiohttp_client(create_app(settings))
    assert settings.rasa_events_amqp_url is None
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "transcript-broker"]


async def test_a_message_redelivered_after_a_crash_between_commit_and_ack_adds_no_turn(client, rabbit, monkeypatch):
    """RabbitMQ redelivers what was never acknowledged: the consumer stops after its commit but
    before its ack, a new one gets the same messages again (redelivered) and skips them."""
    real_settle = transcript_broker._settle
    seen: list[tuple[str, bool]] = []

    async def crash_before_ack(message, how):
        if how != "ack":
            await real_settle(message, how)

    async def recording(message, how):
        seen.append((json.loads(message.body)["event"], message.redelivered))
        await real_settle(message, how)

    async def all_four_committed() -> bool:
        return await count(client, TranscriptInbox) == 4

    conversation = Events()
    monkeypatch.setattr(transcript_broker, "_settle", crash_before_ack)
    consumer = await _run_consumer(client, rabbit)
    await rabbit.publish(conversation.turn("我要立案", "请问案由是什么？"))
    await eventually(all_four_committed, "the first turn's four events committed")
    await _stop(consumer)  # its channel closes: RabbitMQ requeues the unacknowledged messages

    monkeypatch.setattr(transcript_broker, "_settle", recording)
    consumer = await _run_consumer(client, rabbit)
    await rabbit.publish(conversation.turn("民间借贷纠纷", "请问向哪个法院起诉？"))  # after the redelivered ones

    async def second_turn() -> bool:
        return len(await user_texts(client)) >= 2

    await eventually(second_turn, "the second turn")
    await _stop(consumer)
    assert await user_texts(client) == ["我要立案", "民间借贷纠纷"]
    assert await bot_texts(client) == [["请问案由是什么？"], ["请问向哪个法院起诉？"]]
    redelivered = [kind for kind, again in seen if again]
    assert redelivered == ["user", "action", "bot", "action"]  # the first turn's messages, came again
    assert len(seen) == 8


async def test_a_copy_published_twice_adds_no_turn(client, rabbit):
    """Rasa re-publishes events it could not confirm after a reconnect: the same body again."""
    conversation = Events()
    turn = conversation.turn("我要立案", "请问案由是什么？")
    consumer = await _run_consumer(client, rabbit)
    await rabbit.publish(turn)
    await rabbit.publish(turn)
    await rabbit.publish([conversation.user("民间借贷纠纷")])  # behind the copies in the queue

    async def sentinel() -> bool:
        return "民间借贷纠纷" in await user_texts(client)

    await eventually(sentinel, "the message published after the copies")
    await _stop(consumer)
    assert await user_texts(client) == ["我要立案", "民间借贷纠纷"]


async def test_a_reply_that_reaches_the_queue_late_stays_in_the_turn_it_was_said_in(client) -> None:
    """Two replicas publish to one queue: the first replica's reply can arrive after the user's next
    message (taken by the other replica). Folded by its own time, it stays in its turn."""
    from court.infra.app_keys import SESSIONMAKER
    from court.infra.models import TranscriptTurn
    from court.services.turns import ingest_events
    from sqlalchemy import select

    ts = 1_790_000_000.0
    user = lambda text, at: ("late", {"event": "user", "text": text, "timestamp": at,  # noqa: E731
                                      "parse_data": {"intent": {"name": "inform", "confidence": 0.9}}})
    events = [user("我要立案", ts), ("late", {"event": "bot", "text": "好的", "timestamp": ts + 0.1}),
              user("民间借贷纠纷", ts + 2),
              ("late", {"event": "bot", "text": "请问您的纠纷属于哪一类（案由）？", "timestamp": ts + 0.5}),
              ("late", {"event": "slot", "name": "case_type", "value": "民间借贷纠纷", "timestamp": ts + 2.1}),
              ("late", {"event": "bot", "text": "请问您的姓名是？", "timestamp": ts + 2.2})]
    async with client.app[SESSIONMAKER]() as session:
        await ingest_events(session, events)
        await session.commit()
        turns = (await session.execute(select(TranscriptTurn).where(TranscriptTurn.conversation_id == "late")
                                       .order_by(TranscriptTurn.seq))).scalars().all()
    assert [t.user_text for t in turns] == ["我要立案", "民间借贷纠纷"]
    assert [m["text"] for m in turns[0].bot] == ["好的", "请问您的纠纷属于哪一类（案由）？"]
    assert [m["text"] for m in turns[1].bot] == ["请问您的姓名是？"] and turns[1].slots == {"case_type": "民间借贷纠纷"}
