"""An event broker that keeps the embedded profile's turns off the database's path, losing nothing.

Rasa hands each event of a turn to its event broker on the event loop that serves the turn, and
Rasa's SQL broker commits each event synchronously there: ~30 ms a turn (issue 11).
:class:`QueuedSQLEventBroker` writes the same rows to the same table, but from a thread: publish()
only queues the event; the thread writes what has queued up in one transaction (in order, retried
while the database refuses) and ``close()`` — Rasa calls it on shutdown — writes the rest first.
The backend ingests the table into transcripts as before (court/jobs/transcript_ingest.py).

The production profile publishes to RabbitMQ with Rasa's pika broker, which does not block a turn.
"""
from __future__ import annotations

import asyncio
import json
import logging
import queue
import threading
from typing import Any, Optional

from rasa.core.brokers.sql import SQLEventBroker

log = logging.getLogger(__name__)

BATCH = 500  # events written in one transaction at most
CLOSE_TIMEOUT_S = 30.0
MAX_RETRY_DELAY_S = 5.0


class QueuedSQLEventBroker(SQLEventBroker):
    """Rasa's SQL event broker (same table, same rows) written from a thread of its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue: "queue.Queue[Optional[dict[str, Any]]]" = queue.Queue()
        self._writer = threading.Thread(target=self._write_all, name="sql-event-broker", daemon=True)
        self._writer.start()

    def publish(self, event: dict[str, Any]) -> None:
        self._queue.put(event)

    def _write_all(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < BATCH and not self._queue.empty():
                batch.append(self._queue.get())
            events = [e for e in batch if e is not None]
            if events:
                self._write(events)
            if None in batch:  # close(): everything before it is written
                return

    def _write(self, events: list[dict[str, Any]]) -> None:
        """One transaction for what queued up; retried while the database refuses (never dropped)."""
        delay = 0.1
        while True:
            try:
                with self.session_scope() as session:
                    session.add_all([self.SQLBrokerEvent(sender_id=e.get("sender_id"), data=json.dumps(e))
                                     for e in events])
                    session.commit()
                return
            except Exception:  # noqa: BLE001 - a locked or unreachable database: wait, then again
                log.exception("writing %d events failed: retrying in %.1f s", len(events), delay)
                threading.Event().wait(delay)
                delay = min(delay * 2, MAX_RETRY_DELAY_S)

    def flush(self, timeout: float = CLOSE_TIMEOUT_S) -> bool:
        """Write everything queued and stop the writer; True if it finished within `timeout`."""
        if self._writer.is_alive():
            self._queue.put(None)
            self._writer.join(timeout)
        return not self._writer.is_alive()

    async def close(self) -> None:
        if not await asyncio.get_running_loop().run_in_executor(None, self.flush):
            log.error("the event broker could not write its last events within %.0f s", CLOSE_TIMEOUT_S)
