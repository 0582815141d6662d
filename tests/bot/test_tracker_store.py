"""bot/tracker_store.py: the counting in-memory store publishes exactly the events Rasa's own publishes,
and stores and returns the same conversations — across turns, a new session and a capped history."""
from __future__ import annotations

import json
from typing import Any

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore, TrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, BotUttered, Restarted, SessionStarted, SlotSet,
                                     UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.tracker_store import CountingInMemoryTrackerStore


class Recorder:
    """An event broker that keeps what it is given."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    def publish(self, event: dict[str, Any]) -> None:
        self.published.append(event)


def timeless(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events without their timestamps (the store's first action_listen is stamped when created)."""
    return [{k: v for k, v in e.items() if k != "timestamp"} for e in events]


def stored(store: InMemoryTrackerStore) -> dict[str, list[dict[str, Any]]]:
    return {sender: timeless(json.loads(text)["events"]) for sender, text in store.store.items()}


def turn(i: int) -> list:
    return [UserUttered(f"第{i}句", timestamp=i), SlotSet("requested_slot", f"slot{i}", timestamp=i),
            BotUttered(f"答{i}", timestamp=i), ActionExecuted("action_listen", timestamp=i)]


def new_session(i: int) -> list:
    return [ActionExecuted(ACTION_SESSION_START_NAME, timestamp=i), SessionStarted(timestamp=i),
            ActionExecuted("action_listen", timestamp=i)]


async def converse(store: InMemoryTrackerStore, script: list[list]) -> list[DialogueStateTracker]:
    """Each turn as Rasa's processor does it: load (or create), add the turn's events, save."""
    seen = []
    for events in script:
        tracker = await store.get_or_create_tracker("litigant-1")
        for event in events:
            tracker.update(event)
        await store.save(tracker)
        seen.append(await store.retrieve("litigant-1"))
    return seen


@pytest.mark.parametrize("script", [
    [turn(i) for i in range(12)],
    [*(turn(i) for i in range(4)), new_session(4), *(turn(i) for i in range(5, 9))],  # a second session
    [*(turn(i) for i in range(3)), [Restarted(timestamp=3), *turn(3)], turn(4)],
], ids=["one session", "two sessions", "restarted"])
async def test_it_publishes_and_stores_what_rasas_store_does(script: list[list]) -> None:
    ours_broker, rasas_broker = Recorder(), Recorder()
    ours = CountingInMemoryTrackerStore(Domain.empty(), event_broker=ours_broker)
    rasas = InMemoryTrackerStore(Domain.empty(), event_broker=rasas_broker)
    mine, theirs = await converse(ours, script), await converse(rasas, script)
    assert timeless(ours_broker.published) == timeless(rasas_broker.published)
    assert len(ours_broker.published) == sum(map(len, script)) + 1  # + the first action_listen
    assert [list(t.events) for t in mine] == [list(t.events) for t in theirs]
    assert stored(ours) == stored(rasas)


async def test_a_capped_history_falls_back_to_rasas_count() -> None:
    ours_broker, rasas_broker = Recorder(), Recorder()
    ours = CountingInMemoryTrackerStore(Domain.empty(), event_broker=ours_broker)
    rasas = InMemoryTrackerStore(Domain.empty(), event_broker=rasas_broker)
    for store in (ours, rasas):
        for i in range(6):
            tracker = await store.get_or_create_tracker("litigant-1", max_event_history=10)
            for event in turn(i):
                tracker.update(event)
            await store.save(tracker)
    assert timeless(ours_broker.published) == timeless(rasas_broker.published)


async def test_it_does_not_load_the_conversation_to_publish(monkeypatch: pytest.MonkeyPatch) -> None:
    store = CountingInMemoryTrackerStore(Domain.empty(), event_broker=Recorder())
    await converse(store, [turn(0)])
    loads = []
    original = store.retrieve

    async def counting(sender_id: str):
        loads.append(sender_id)
        return await original(sender_id)

    monkeypatch.setattr(store, "retrieve", counting)
    tracker = await store.get_or_create_tracker("litigant-1")
    for event in turn(1):
        tracker.update(event)
    await store.save(tracker)
    assert loads == ["litigant-1"]  # the turn's own load; Rasa's store loads it a second time in save()


async def test_rasa_builds_it_from_endpoints_yml() -> None:
    store = TrackerStore.create(EndpointConfig(type="bot.tracker_store.CountingInMemoryTrackerStore"),
                                Domain.empty())
    assert isinstance(getattr(store, "_tracker_store", store), CountingInMemoryTrackerStore)
