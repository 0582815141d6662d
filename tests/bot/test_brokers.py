"""bot/brokers.py: the embedded profile's event broker queues on the turn's path and writes from a
thread — every event of a conversation reaches the table, in order, once, by the time Rasa closes it."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.brokers import QueuedSQLEventBroker


def rows(db: Path) -> list[tuple[str, dict]]:
    with sqlite3.connect(db) as conn:
        return [(sender, json.loads(data)) for sender, data in conn.execute("SELECT sender_id, data FROM events ORDER BY id")]


async def test_every_event_of_a_conversation_is_written_in_order_by_close(tmp_path: Path):
    db = tmp_path / "rasa_events.db"
    # As Rasa builds it from endpoints.yml (`type: bot.brokers.QueuedSQLEventBroker`).
    broker = await EventBroker.create(EndpointConfig(type="bot.brokers.QueuedSQLEventBroker", dialect="sqlite",
                                                     db=str(db)))
    assert isinstance(broker, QueuedSQLEventBroker)
    store = InMemoryTrackerStore(Domain.empty(), event_broker=broker)
    tracker = DialogueStateTracker("litigant-1", slots=[])
    turns = 40
    for i in range(turns):  # what a conversation's turns hand to the broker, turn after turn
        for event in (UserUttered(f"第{i}句"), SlotSet("requested_slot", f"slot{i}"), BotUttered(f"答{i}"),
                      ActionExecuted("action_listen")):
            tracker.update(event)
        await store.save(tracker)
    await broker.close()  # Rasa's shutdown: the rest written before it returns

    written = rows(db)
    expected = [e.as_dict() for e in tracker.events]
    assert [sender for sender, _ in written] == ["litigant-1"] * len(expected)
    assert [(e["event"], e.get("text"), e.get("value")) for _, e in written] == \
        [(e["event"], e.get("text"), e.get("value")) for e in expected]  # 0 lost, 0 doubled, in order
    assert [e["text"] for _, e in written if e["event"] == "user"] == [f"第{i}句" for i in range(turns)]


async def test_publish_only_queues_and_a_refusing_database_loses_nothing(tmp_path: Path):
    db = tmp_path / "rasa_events.db"
    broker = QueuedSQLEventBroker(db=str(db))
    lock = sqlite3.connect(db, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # the file is locked: the writer cannot commit for now
    for i in range(5):
        broker.publish({"sender_id": "s", "event": "user", "text": str(i)})  # returns at once, nothing refused
    lock.execute("COMMIT")
    lock.close()
    await broker.close()
    assert [e["text"] for _, e in rows(db)] == ["0", "1", "2", "3", "4"]


async def test_the_pika_broker_retries_each_event_until_confirmed_and_keeps_the_order(monkeypatch):
    """RabbitMQ away for the first attempts (as during an outage): every event published once
    confirmed, in Rasa's order — Rasa's own broker re-sends what failed only at the reconnect."""
    import asyncio

    import bot.brokers
    from bot.brokers import OrderedPikaEventBroker

    monkeypatch.setattr(bot.brokers, "MAX_RETRY_DELAY_S", 0.01)

    class Exchange:
        """Away for its first three rounds of publishing: an outage fails every publish in flight."""

        def __init__(self) -> None:
            self.attempts, self.confirmed, self.in_flight, self.most_in_flight = 0, [], 0, 0

        async def publish(self, message, routing_key: str) -> None:
            self.attempts += 1
            away = self.attempts <= 3 * 6
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            await asyncio.sleep(0)  # the confirm comes back later: every publish of a round is in flight
            self.in_flight -= 1
            if away:
                raise ConnectionError("RabbitMQ is away")
            self.confirmed.append(json.loads(message.body)["text"])

    broker = OrderedPikaEventBroker("localhost", "guest", "guest", event_loop=asyncio.get_running_loop())
    broker._exchange = exchange = Exchange()
    for i in range(6):
        broker.publish({"sender_id": "s", "event": "user", "text": str(i)})  # returns at once
    await broker.close()  # publishes what is queued first
    assert exchange.confirmed == ["0", "1", "2", "3", "4", "5"]  # 0 lost, 0 doubled, in order
    assert exchange.attempts == 3 * 6 + 6  # three rounds of six refused, then six at once
    assert exchange.most_in_flight == 6  # confirms awaited together, not one event per round trip
