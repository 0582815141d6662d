"""Rasa event brokers that keep the broker off a turn's path and lose no event.

Rasa hands each event of a turn to its event broker on the event loop that serves the turn.

* Rasa's SQL broker (the embedded profile) commits each event synchronously there: ~30 ms a turn
  (issue 11). :class:`QueuedSQLEventBroker` writes the same rows to the same table, but from a
  thread: publish() only queues the event; the thread writes what has queued up in one transaction
  (in order, retried while the database refuses) and ``close()`` — Rasa calls it on shutdown —
  writes the rest first. The backend ingests the table as before (court/jobs/transcript_ingest.py).
* Rasa's pika broker (the production profile) publishes each event as a task of its own and, after
  a lost connection, sets aside what failed and re-sends it from the reconnect callback — once; an
  event that fails again then waits for the next reconnect, and the staff transcript misses its
  turn (seen in tests/production/test_faults.py). :class:`OrderedPikaEventBroker` publishes from one
  task, in Rasa's order, retrying each event until RabbitMQ confirms it. A retry may deliver an
  event twice; the court's consumer drops the copy (court/jobs/transcript_broker.py).

endpoints.yml and endpoints.production.yml name them as ``type: bot.brokers.<Class>``.
"""
from __future__ import annotations

import asyncio
import json
import logging
import queue
import threading
from typing import Any, Optional

from rasa.core.brokers.pika import PikaEventBroker
from rasa.core.brokers.sql import SQLEventBroker

log = logging.getLogger(__name__)

BATCH = 500  # events written in one transaction at most
CLOSE_TIMEOUT_S = 30.0
MAX_RETRY_DELAY_S = 5.0
IN_FLIGHT = 64  # events published before waiting for their confirms
PUBLISH_TIMEOUT_S = 10.0  # a confirm not back by then: the connection is gone, publish again


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


class OrderedPikaEventBroker(PikaEventBroker):
    """Rasa's pika broker publishing in Rasa's order, up to IN_FLIGHT events awaiting their confirms at
    once, each sent again until it is confirmed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: "asyncio.Queue[tuple[dict[str, Any], Optional[dict[str, str]]]]" = asyncio.Queue()
        self._sender: Optional[asyncio.Task] = None

    def publish(self, event: dict[str, Any], headers: Optional[dict[str, str]] = None) -> None:
        self._pending.put_nowait((event, headers))
        if self._sender is None or self._sender.done():
            self._sender = self._loop.create_task(self._send_all())

    def _publish_unpublished_messages(self, *_: Any, **__: Any) -> None:
        """Nothing is set aside here to re-send: the head of the queue is retried instead."""

    async def _send_all(self) -> None:
        while True:
            batch = [await self._pending.get()]
            while len(batch) < IN_FLIGHT and not self._pending.empty():
                batch.append(self._pending.get_nowait())
            await self._publish_confirmed(batch)
            for _ in batch:
                self._pending.task_done()

    async def _publish_confirmed(self, batch: list[tuple[dict[str, Any], Optional[dict[str, str]]]]) -> None:
        """Publish a batch with all its confirms in flight at once (one at a time, a replica under load
        queued tens of thousands of events and lost them at shutdown), sent in Rasa's order. From the
        first event not confirmed on, the rest is sent again until confirmed: an outage fails every
        publish in flight, so order holds; an event RabbitMQ did take and is sent again is recognised by
        the court's consumer by its key (transcript_inbox) and adds nothing."""
        delay = 0.2
        while batch:
            try:
                if self._exchange is None:
                    raise ConnectionError("no RabbitMQ exchange yet")
                exchange = self._exchange
                results = await asyncio.wait_for(asyncio.gather(
                    *(exchange.publish(self._message(event, headers), "") for event, headers in batch),
                    return_exceptions=True), PUBLISH_TIMEOUT_S)
            except asyncio.CancelledError:
                raise
            except Exception as err:  # noqa: BLE001 - a timeout, or no exchange yet
                results = [err] * len(batch)
            failed = next((i for i, result in enumerate(results) if isinstance(result, BaseException)), None)
            if failed is None:
                return
            log.warning("publishing an event failed (%s): retrying in %.1f s, %d waiting",
                        type(results[failed]).__name__, delay, self._pending.qsize() + len(batch) - failed)
            batch = batch[failed:]
            await asyncio.sleep(delay)  # RabbitMQ away: the robust connection comes back
            delay = min(delay * 2, MAX_RETRY_DELAY_S)

    async def close(self) -> None:
        """Publish what is still queued (for a while at most), then close the connection."""
        try:
            await asyncio.wait_for(self._pending.join(), CLOSE_TIMEOUT_S)
        except asyncio.TimeoutError:
            log.error("%d events not published before shutdown", self._pending.qsize())
        if self._sender is not None:
            self._sender.cancel()
        await super().close()
