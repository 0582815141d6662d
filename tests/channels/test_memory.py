"""The in-process TTL map behind MsgId deduplication and remembered options."""
from __future__ import annotations

from bot.channels.memory import TTLMap


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_add_is_true_once_until_the_entry_expires():
    clock = Clock()
    seen: TTLMap[str, bool] = TTLMap(ttl=60, clock=clock)
    assert seen.add("msg:1", True)
    assert not seen.add("msg:1", True)
    clock.now += 59
    assert not seen.add("msg:1", True)
    clock.now += 2
    assert seen.add("msg:1", True)


def test_get_set_pop_and_expiry():
    clock = Clock()
    options: TTLMap[str, list[str]] = TTLMap(ttl=10, clock=clock)
    options.set("o1", ["a"])
    assert options.get("o1") == ["a"] and options.get("o2") is None
    clock.now += 11
    assert options.get("o1") is None and len(options) == 0
    options.set("o1", ["b"])
    options.pop("o1")
    options.pop("never-there")
    assert options.get("o1") is None


def test_size_is_bounded_oldest_first():
    clock = Clock()
    m: TTLMap[int, int] = TTLMap(ttl=100, max_size=3, clock=clock)
    for i in range(5):
        m.set(i, i)
    assert len(m) == 3 and m.get(0) is None and m.get(1) is None and m.get(4) == 4
    m.set(2, 20)  # written again: now the newest
    m.set(5, 5)
    assert m.get(2) == 20 and m.get(3) is None
