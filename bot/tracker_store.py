"""The embedded profile's tracker store: Rasa's in-memory store without its second load per turn.

Rasa's InMemoryTrackerStore, when an event broker is configured, finds the events to publish on
every save by loading the stored conversation again (JSON, every event deserialised, the whole
conversation replayed) and skipping as many events as it holds — at the end of a filing (≈ 270
events) that load is about a third of the tracker store's time per turn (bench/TURNS.md). This
store remembers that count when it saves, so a save publishes the same events without the load.
Everything else — what is stored, what retrieve() returns — is Rasa's own.

endpoints.yml (and deploy/stack.py) name it as ``type: bot.tracker_store.CountingInMemoryTrackerStore``.
"""
from __future__ import annotations

import itertools
from typing import Any, Optional

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker


def _one_session(tracker: DialogueStateTracker) -> bool:
    """True if Rasa's split into sessions gives one part: no session start after the first event."""
    return not any(isinstance(e, ActionExecuted) and e.action_name == ACTION_SESSION_START_NAME
                   for e in itertools.islice(tracker.events, 1, None))


class CountingInMemoryTrackerStore(InMemoryTrackerStore):
    """InMemoryTrackerStore that knows how many events its retrieve() would return, without loading."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._retrieved_length: dict[str, int] = {}

    def _stored_length(self, tracker: DialogueStateTracker) -> Optional[int]:
        """How many events retrieve() will give back for what is being stored, when that is certain:
        one conversation session and no event-history cap (retrieve returns all of it, as stored);
        otherwise None and the next save loads it as Rasa does."""
        if self.max_event_history is None and tracker._max_event_history is None and _one_session(tracker):
            return len(tracker.events)
        return None

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Rasa's stream_events: the events after those the stored conversation holds."""
        if self.event_broker is None:
            return None
        offset = self._retrieved_length.get(tracker.sender_id) if tracker.sender_id in self.store else 0
        if offset is None:
            old = await self.retrieve(tracker.sender_id)
            offset = len(old.events) if old else 0
        new_events = list(itertools.islice(tracker.events, offset, len(tracker.events)))
        await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        self._retrieved_length[tracker.sender_id] = self._stored_length(tracker)
