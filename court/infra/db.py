"""Database engine and sessions (SQLAlchemy 2.0 async): SQLite (WAL) by default, PostgreSQL in production."""
from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

# aiosqlite logs every statement with its parameters at DEBUG: SMS codes, ID and phone numbers
# among them (issue 9). The driver's chatter never goes below INFO, whatever the root level.
logging.getLogger("aiosqlite").setLevel(logging.INFO)


def make_engine(url: str) -> AsyncEngine:
    """An engine; SQLite gets WAL, a busy timeout and foreign keys so that it behaves like a server."""
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:
            # Take transactions into our own hands (see _begin_immediate).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _begin_immediate(conn) -> None:
            # A deferred transaction that later writes can deadlock with another writer and fail
            # at once with "database is locked"; IMMEDIATE waits for the busy timeout instead.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # pool_pre_ping: after a PostgreSQL restart a pooled connection is dead; checked (one round trip on
    # loopback) and replaced before use, the first requests after the restart do not fail on it.
    return create_async_engine(url, pool_size=50, max_overflow=10, pool_pre_ping=True, pool_recycle=3600)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
