"""Rasa's SQL event broker read into the staff console's turns (the embedded profile).

Rasa's SQL broker writes one JSON blob per event into its own database (``events`` there; the
court database has an ``events`` table of its own, so the two never share a file). This reader
takes the rows after its cursor every ``COURT_TRANSCRIPT_INTERVAL_S`` (1 s by default), so a turn
is in the console within seconds of being said. The production profile's RabbitMQ broker is read
by court/jobs/transcript_broker.py instead; both fold with court/services/turns.py.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Optional

from sqlalchemy import column, select, table
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from court.services.turns import ingest_events, stream_cursor

log = logging.getLogger(__name__)

RASA_EVENTS = table("events", column("id"), column("sender_id"), column("data"))
BATCH = 500


def open_source(url: str) -> Optional[AsyncEngine]:
    """An engine on the broker's database, or None while a SQLite file does not exist yet."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not Path(path).exists():
            return None
        # Only reads, and no pragmas: the file is Rasa's. Wait out its short write locks.
        return create_async_engine(url, connect_args={"timeout": 10})
    return create_async_engine(url, pool_size=2, max_overflow=0, pool_pre_ping=True)


async def ingest_once(sessionmaker: async_sessionmaker[AsyncSession], source: AsyncEngine, limit: int = BATCH) -> int:
    """Read up to `limit` new broker rows into turns, in one transaction with the cursor; the count read."""
    async with sessionmaker() as session:
        cursor = await stream_cursor(session, "rasa_events")
        async with source.connect() as conn:
            rows = (await conn.execute(
                select(RASA_EVENTS.c.id, RASA_EVENTS.c.sender_id, RASA_EVENTS.c.data)
                .where(RASA_EVENTS.c.id > cursor.position).order_by(RASA_EVENTS.c.id).limit(limit)
            )).all()
        if not rows:
            await session.rollback()
            return 0
        events = []
        for row_id, sender_id, data in rows:
            try:
                event = json.loads(data) if isinstance(data, str) else dict(data or {})
            except ValueError:
                log.warning("broker row %s is not JSON: skipped", row_id)
                continue
            sender = sender_id or event.get("sender_id")
            if sender:
                events.append((sender, event))
        await ingest_events(session, events)
        cursor.position = rows[-1][0]
        await session.commit()
        return len(rows)
