"""Where Rasa's own CPU goes during the benchmark's turns: py-spy samples, grouped by Rasa component.

The relays time the action server and the backend from outside; what is left of a turn is inside
Rasa. py-spy (optional, `--py-spy PATH`: the `py-spy` wheel's binary) samples that process without
touching it; each sample is put in the first group one of its frames belongs to.
"""
from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path
from typing import Optional

RATE = 200  # samples per second
# (group, substrings of a frame's file or function) — first match wins, most specific first.
GROUPS = [
    ("event loop waiting (idle)", ()),  # the leaf is the loop itself: see group_of
    ("event broker (SQL, sync commits)", ("brokers/sql.py",)),
    ("event broker's writer thread (bot/brokers.py: mostly waiting for the disk, off the turn's path)",
     ("bot/brokers.py",)),
    ("tracker store (serialise/retrieve)", ("tracker_store.py",)),
    ("action-answer schema check (jsonschema)", ("validate_action_result",)),
    ("TED policy", ("ted_policy.py",)),
    ("rule policy", ("rule_policy.py",)),
    ("memoization policy", ("memoization.py",)),
    ("trackers: past states, applied events, featurisation", ("featurizers/", "trackers.py", "past_states", "applied_events")),
    ("NLU pipeline", ("rasa/nlu/", "jieba", "bot/nlu")),
    ("TensorFlow (other)", ("tensorflow/",)),
    ("action-server call (aiohttp)", ("rasa/core/actions/action.py", "rasa/utils/endpoints.py",
                                      "request (deploy/rasa_main.py")),
    ("forms / loops", ("rasa/core/actions/forms.py", "rasa/core/actions/loops.py")),
    ("events / domain (other Rasa core)", ("rasa/shared/core/", "rasa/core/processor.py")),
    ("HTTP server (sanic) and event loop", ("sanic/", "asyncio/", "uvloop")),
]


class RasaProfile:
    def __init__(self, py_spy: Optional[str], pid: int, out: Path) -> None:
        self.py_spy, self.pid, self.out = py_spy, pid, out
        self.proc: Optional[subprocess.Popen] = None

    def __enter__(self) -> "RasaProfile":
        if self.py_spy:
            self.proc = subprocess.Popen([self.py_spy, "record", "--pid", str(self.pid), "--rate", str(RATE),
                                          "--format", "raw", "--output", str(self.out), "--nonblocking"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.send_signal(2)  # SIGINT: py-spy writes its output and exits
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def table(self, turns: int) -> str:
        if not self.py_spy or not self.out.exists():
            return ""
        groups: Counter[str] = Counter()
        for line in self.out.read_text(encoding="utf-8", errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            groups[group_of(stack)] += int(count)
        total = sum(groups.values()) or 1
        rows = [f"\nRasa's CPU during those turns (py-spy, {RATE} samples/s, {total / RATE:.1f} CPU-s over {turns} turns)\n",
                "| where | share | CPU ms per turn |", "|---|---|---|"]
        for name, n in groups.most_common():
            rows.append(f"| {name} | {100 * n / total:.0f} % | {1000 * n / RATE / max(1, turns):.0f} |")
        return "\n".join(rows)


def group_of(stack: str) -> str:
    if stack.rsplit(";", 1)[-1].startswith("serve (") and "runners.py" in stack.rsplit(";", 1)[-1]:
        return GROUPS[0][0]
    for name, needles in GROUPS:
        if any(n in stack for n in needles):
            return name
    return "other"
