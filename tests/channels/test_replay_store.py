"""The replay stores: a key is claimed once until it expires, in SQLite (embedded) and Redis (production)."""
from __future__ import annotations

import asyncio
import uuid

import pytest

from bot.channels.replay import TTL, WINDOW, SQLiteReplayStore, fresh, open_store, store_url


def test_the_window_is_300_seconds_either_way():
    now = 1_800_000_000.0
    assert fresh(str(int(now) - WINDOW), now) and fresh(str(int(now) + WINDOW), now)
    assert not fresh(str(int(now) - WINDOW - 1), now) and not fresh(str(int(now) + WINDOW + 1), now)
    assert not fresh(None, now) and not fresh("yesterday", now)


async def test_sqlite_claims_once_and_again_after_expiry(tmp_path):
    store = SQLiteReplayStore(tmp_path / "replay.db")
    # A long lifetime for "once": on a loaded machine half a second can pass between two calls.
    assert await store.claim("nonce:1:a", ttl=60) is True
    assert await store.claim("nonce:1:a", ttl=60) is False
    assert await SQLiteReplayStore(tmp_path / "replay.db").claim("nonce:1:a") is False  # another process
    assert await store.claim("nonce:1:b", ttl=0.5) is True
    await asyncio.sleep(0.6)
    assert await store.claim("nonce:1:b") is True  # expired: claimable again


async def test_sqlite_concurrent_claims_of_one_key_succeed_once(tmp_path):
    store = SQLiteReplayStore(tmp_path / "replay.db")
    results = await asyncio.gather(*[store.claim("msg:42") for _ in range(8)])
    assert sorted(results) == [False] * 7 + [True]


async def test_redis_claims_once_with_an_expiry(redis_url):
    store = open_store(redis_url)
    key = f"test:{uuid.uuid4().hex}"
    try:
        assert await store.claim(key) is True and await store.claim(key) is False
        ttl = await store._redis.ttl(store.prefix + key)
        assert 2 * WINDOW < ttl <= TTL
    finally:
        await store._redis.delete(store.prefix + key)
        await store.close()


def test_which_store_each_profile_uses():
    assert store_url({}, production=False) == "sqlite:///var/wechat_replay.db"
    assert store_url({"REDIS_HOST": "10.0.0.5", "REDIS_PORT": "6380", "REDIS_DB": "2"}, production=True) == \
        "redis://10.0.0.5:6380/2"
    assert store_url({"WECHAT_REPLAY_STORE": "redis://r:6379/0"}, production=False) == "redis://r:6379/0"
    with pytest.raises(ValueError):
        open_store("memory://")

