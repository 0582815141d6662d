"""Refusing replayed WeChat callbacks: a timestamp window and a store of what was already seen.

WeChat signs each callback with sha1(token, timestamp, nonce) (and, in safe mode, the ciphertext
too), but the signature never expires: a request captured once — from a proxy log, a packet
capture — would otherwise be accepted again years later. So every signed request must be fresh
(its timestamp within ``WINDOW`` seconds of our clock, either way), and each (timestamp, nonce)
pair and each MsgId is accepted once. The store is shared by every Rasa replica, because
WeChat's retries and an attacker's replays may reach any of them, and it outlives a restart:

* production profile: Redis — the same server as the ``RedisLockStore`` (``REDIS_HOST``,
  ``REDIS_PORT``, ``REDIS_DB`` from endpoints.production.yml), ``SET key NX EX``;
* embedded profile: one SQLite file under ``var/`` (Rasa's tracker store is in memory there, and
  the event broker's file is read by the backend, so the channel keeps its own small table).

Entries live ``TTL`` seconds: a pair is acceptable while its timestamp is within the window,
i.e. at most ``2 * WINDOW`` after we first saw it; the extra minutes cover clock skew between
replicas. ``WECHAT_REPLAY_STORE`` (``redis://…`` or ``sqlite:///path``) overrides the choice.
"""
from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from pathlib import Path
from typing import Mapping, Optional, Protocol

logger = logging.getLogger(__name__)

WINDOW = 300  # seconds either side of our clock that a signed timestamp may be
TTL = 2 * WINDOW + 300  # how long a seen nonce or MsgId is remembered
DEFAULT_SQLITE = "sqlite:///var/wechat_replay.db"  # relative to Rasa's working directory (the repository)


def fresh(timestamp: Optional[str], now: Optional[float] = None, window: int = WINDOW) -> bool:
    """True if `timestamp` (WeChat's seconds since the epoch, as text) is within the window."""
    try:
        sent = int(str(timestamp))
    except (TypeError, ValueError):
        return False
    return abs((time.time() if now is None else now) - sent) <= window


class ReplayStore(Protocol):
    """Set-if-absent with expiry: the one operation replay protection needs."""

    async def claim(self, key: str, ttl: float = TTL) -> bool:
        """True the first time `key` is claimed within `ttl` seconds, False for every repeat."""

    async def close(self) -> None: ...


class RedisReplayStore:
    """Keys under `prefix` on a Redis server shared by all replicas (atomic ``SET NX EX``)."""

    def __init__(self, url: str, prefix: str = "wechat:replay:") -> None:
        import redis.asyncio  # imported here: the embedded profile does not need Redis

        self.url, self.prefix = url, prefix
        self._redis = redis.asyncio.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)

    async def claim(self, key: str, ttl: float = TTL) -> bool:
        return bool(await self._redis.set(self.prefix + key, b"1", nx=True, ex=max(1, int(ttl))))

    async def close(self) -> None:
        await self._redis.close()


class SQLiteReplayStore:
    """One table in a SQLite file; a new connection per call (calls run in a worker thread)."""

    SCHEMA = "CREATE TABLE IF NOT EXISTS wechat_replay (key TEXT PRIMARY KEY, expires REAL NOT NULL)"

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute(self.SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    def _claim(self, key: str, ttl: float) -> bool:
        now = time.time()
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM wechat_replay WHERE expires <= ?", (now,))
            cur = conn.execute("INSERT INTO wechat_replay (key, expires) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
                               (key, now + ttl))
            conn.execute("COMMIT")
            return cur.rowcount == 1
        finally:
            conn.close()

    async def claim(self, key: str, ttl: float = TTL) -> bool:
        return await asyncio.to_thread(self._claim, key, ttl)

    async def close(self) -> None:
        return None


def redis_url_from_env(environ: Mapping[str, str]) -> str:
    """The lock store's Redis, as endpoints.production.yml reads it (bot/profiles.py sets these)."""
    host, port, db = (environ.get("REDIS_HOST", "127.0.0.1"), environ.get("REDIS_PORT", "6379"),
                      environ.get("REDIS_DB", "1"))
    return f"redis://{host}:{port}/{db}"


def store_url(environ: Mapping[str, str], production: bool) -> str:
    """`WECHAT_REPLAY_STORE` if set; otherwise Redis in production, the SQLite file in the embedded profile."""
    return environ.get("WECHAT_REPLAY_STORE") or (redis_url_from_env(environ) if production else DEFAULT_SQLITE)


def open_store(url: str) -> ReplayStore:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisReplayStore(url)
    if url.startswith("sqlite:///"):
        return SQLiteReplayStore(Path(url[len("sqlite:///"):]))
    raise ValueError(f"WECHAT_REPLAY_STORE must be redis://… or sqlite:///…, not {url.split(':')[0]!r}")
