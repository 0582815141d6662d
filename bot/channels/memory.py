"""A small in-process TTL map: which options each WeChat user was last shown.

Per process only: with several Rasa replicas behind a load balancer the options shown by one
replica are unknown to the next, so such a deployment needs a shared store (Redis, e.g. the one
behind `RedisLockStore`) with the same operations. Seen messages and nonces, which must be shared
for replay protection, are kept in `replay.py`'s store instead.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable, Generic, Hashable, Optional, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TTLMap(Generic[K, V]):
    """Entries live `ttl` seconds after they were last written; at most `max_size` are kept."""

    def __init__(self, ttl: float, max_size: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_size, self._clock = ttl, max_size, clock
        self._data: "OrderedDict[K, tuple[float, V]]" = OrderedDict()

    def _purge(self, now: float) -> None:
        # Written entries move to the end, and every entry has the same lifetime: the oldest
        # expire first, so purging stops at the first live one.
        while self._data:
            key, (expires, _) = next(iter(self._data.items()))
            if expires > now and len(self._data) <= self.max_size:
                break
            del self._data[key]

    def get(self, key: K) -> Optional[V]:
        now = self._clock()
        item = self._data.get(key)
        if item is None or item[0] <= now:
            return None
        return item[1]

    def set(self, key: K, value: V) -> None:
        now = self._clock()
        self._data[key] = (now + self.ttl, value)
        self._data.move_to_end(key)
        self._purge(now)

    def pop(self, key: K) -> None:
        self._data.pop(key, None)

    def add(self, key: K, value: V) -> bool:
        """Set only if absent (or expired): True the first time, False for a repeat."""
        item = self._data.get(key)
        if item is not None and item[0] > self._clock():
            return False
        self.set(key, value)
        return True

    def __len__(self) -> int:
        self._purge(self._clock())
        return len(self._data)
