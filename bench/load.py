"""`make bench-load`: whole simulated conversations under load, embedded vs production (1, 2, 3 replicas).

Each level runs that many litigants at once, each going through the filing, fee and status journeys
(bench/turns.py's driver and journeys, over REST) until done or the level's time is up: p50/p95/p99
per turn, turns/s and errors (a wrong answer or an HTTP error; a journey cut by the time limit is
not one). After each level the run's conversations are looked up where they were stored: a turn
that was answered but is missing from the tracker store is a lost turn; a user or bot event of the
tracker store missing from the staff console's transcript is a lost event, one there twice a
doubled one — after waiting for the transcripts to catch up through RabbitMQ (up to
``--transcript-wait`` seconds; how long they took is printed too). ``--soak S`` then runs S seconds
at ``--soak-concurrency`` conversations on ``--soak-profile`` with the resident memory of Rasa,
the backend and the action server sampled, and prints it minute by minute. The 1-minute load
average is printed with every row: the machine is shared, so compare rows of one run, not runs.
Figures only: nothing here is a test. Stops every process it started and drops the databases it created.

    make bench-load BENCH_ARGS="--levels 1,10,50 --profiles production:1,production:2,production:3 \
        --soak 600 --soak-concurrency 100 --soak-profile production:2"
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import requests

from bench import turns
from bench.turns import OURS, Chat, Run, drive, pct
from court.rules.idcard import check_character
from deploy.stack import ROOT, Ports, Stack, start_stack

SAMPLE_EVERY_S = 10.0
TRANSCRIPT_WAIT_S = 300.0


# --- litigants -------------------------------------------------------------------------------------

_people = itertools.count(secrets.randbelow(10**6))


def identity() -> tuple[str, str]:
    """A fresh ID number (valid GB 11643 check digit) and phone for every journey of a long run.

    bench/turns.py's own repeats its ID numbers after 1,000 journeys, and an ID number verified
    again under another name or phone is refused or sent to the phone on record (issue 9) — a
    soak would count that as errors of the stack. Here the birth date moves on every 1,000.
    """
    n = next(_people)
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n // 1000 % 15000)
    body = f"110105{birth:%Y%m%d}{n % 1000:03d}"
    return body + check_character(body), f"139{n % 10**8:08d}"


assert callable(getattr(turns, "identity", None)), "bench/turns.py's journeys take identity() from the module"
turns.identity = identity  # the journeys look it up at call time


# --- where a run's conversations ended up -------------------------------------------------------

def recording(base: type, ledger: list[str], **attrs: object) -> type:
    """`base` (a bench/turns.py Chat) noting the sender of every answered turn in `ledger`."""
    def say(self: Chat, text: str) -> list[dict]:
        replies = base.say(self, text)
        ledger.append(self.sender)  # list.append is atomic: the workers are threads
        return replies
    return type(f"Recorded{base.__name__}", (base,), {"say": say, **attrs})


def count_turns(rows: list[tuple[str, str, object]]) -> dict[str, Counter]:
    """(conversation, kind, bot messages) rows of transcript_turns → per conversation: user turns, bot messages."""
    out: dict[str, Counter] = {}
    for conversation, kind, bot in rows:
        messages = json.loads(bot) if isinstance(bot, str) else (bot or [])
        c = out.setdefault(conversation, Counter())
        c["user"] += kind == "user"
        c["bot"] += len(messages)
    return out


class Stores:
    """The tracker store and the transcripts of one stack, counted per conversation."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack

    def tracker(self, senders: list[str]) -> dict[str, Counter]:
        """User and bot events per conversation, from Rasa's HTTP API (the embedded in-memory store)."""
        out = {}
        for sender in senders:
            resp = requests.get(f"{self.stack.rasa_url}/conversations/{sender}/tracker",
                                params={"token": self.stack.api_token}, timeout=60)
            resp.raise_for_status()
            out[sender] = Counter(e["event"] for e in resp.json()["events"] if e["event"] in ("user", "bot"))
        return out

    def queued(self) -> Optional[int]:
        """Events waiting in the court's queue (the embedded profile has none)."""
        return None

    def transcripts(self, senders: list[str]) -> dict[str, Counter]:
        with sqlite3.connect(self.stack.var_dir / "court.db") as conn:
            marks = ",".join("?" * len(senders))
            return count_turns(conn.execute(f"SELECT conversation_id, kind, bot FROM transcript_turns "
                                            f"WHERE conversation_id IN ({marks})", senders).fetchall())


class PgStores(Stores):
    """The production profile's: Rasa's SQL tracker store and the court database, on PostgreSQL."""

    def query(self, database: str, sql: str, *args: object) -> list[tuple]:
        import psycopg2

        s = self.stack.services
        with psycopg2.connect(host=s.db_host, port=int(s.db_port), user=s.db_user, password=s.db_password or None,
                              dbname=database) as conn, conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall()

    def tracker(self, senders: list[str]) -> dict[str, Counter]:
        out: dict[str, Counter] = {}
        for sender, kind, n in self.query(self.stack.services.rasa_db,
                                          "SELECT sender_id, type_name, count(*) FROM events WHERE sender_id = ANY(%s) "
                                          "AND type_name IN ('user', 'bot') GROUP BY 1, 2", senders):
            out.setdefault(sender, Counter())[kind] = n
        return out

    def queued(self) -> Optional[int]:
        """Events RabbitMQ still holds for the court's consumer: a backlog, not a loss."""
        import asyncio

        import aio_pika

        async def depth() -> int:
            connection = await aio_pika.connect(self.stack.services.amqp_url)
            async with connection:
                channel = await connection.channel()
                queue = await channel.declare_queue(self.stack.services.events_queue, durable=True, passive=True)
                return queue.declaration_result.message_count
        return asyncio.run(depth())

    def transcripts(self, senders: list[str]) -> dict[str, Counter]:
        return count_turns(self.query(self.stack.services.court_db,
                                      "SELECT conversation_id, kind, bot FROM transcript_turns "
                                      "WHERE conversation_id = ANY(%s)", senders))


@dataclass
class Losses:
    lost_turns: int = 0  # answered, but not in the tracker store
    lost_events: int = 0  # in the tracker store, not in the transcript
    doubled_events: int = 0  # in the transcript more often than in the tracker store
    caught_up_s: Optional[float] = None  # when the transcripts agreed with the tracker store (None: never)
    waited_s: float = 0.0
    queued: Optional[int] = None  # events still in RabbitMQ's queue when the wait ran out

    def __str__(self) -> str:
        lag = (f"caught up in {self.caught_up_s:.0f} s" if self.caught_up_s is not None
               else f"not caught up in {self.waited_s:.0f} s"
               + (f", {self.queued} events still queued" if self.queued is not None else ""))
        return f"{self.lost_turns} / {self.lost_events} / {self.doubled_events} ({lag})"


def losses(ledger: list[str], stores: Stores, wait: float = TRANSCRIPT_WAIT_S) -> Losses:
    """Compare what was answered with the tracker store, and the tracker store with the transcripts
    (which follow through the event broker: polled until they agree or `wait` seconds pass)."""
    answered = Counter(ledger)
    senders = sorted(answered)
    if not senders:
        return Losses(caught_up_s=0.0)
    started = time.monotonic()
    while True:
        tracker = stores.tracker(senders)
        transcripts = stores.transcripts(senders)
        found = Losses(lost_turns=sum(max(0, n - tracker.get(s, Counter())["user"]) for s, n in answered.items()))
        for sender in senders:
            stored, shown = tracker.get(sender, Counter()), transcripts.get(sender, Counter())
            for kind in ("user", "bot"):
                found.lost_events += max(0, stored[kind] - shown[kind])
                found.doubled_events += max(0, shown[kind] - stored[kind])
        found.waited_s = time.monotonic() - started
        if found.lost_events == 0 and found.doubled_events == 0:
            found.caught_up_s = found.waited_s
            return found
        if found.waited_s > wait:
            found.queued = stores.queued()
            return found
        time.sleep(2)


# --- memory ----------------------------------------------------------------------------------------

def group_pids(leader: int) -> list[int]:
    """Every live process in the process group `leader` leads (a server and the workers it forked)."""
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
                if int(f.read().rsplit(")", 1)[1].split()[2]) == leader:
                    pids.append(int(pid))
        except (OSError, ValueError, IndexError):
            pass
    return pids


def rss_mb(pids: list[int]) -> float:
    """Resident memory of the processes, from /proc (MB)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def memory(stack: Stack) -> dict[str, float]:
    """RSS per part of the stack: every Rasa replica together, the backend, the action server (MB)."""
    groups = {"rasa": [p.pid for n, p in stack.processes.items() if n.startswith("rasa")],
              "backend": [stack.processes["backend"].pid], "actions": [stack.processes["actions"].pid]}
    return {part: rss_mb([pid for leader in leaders for pid in group_pids(leader)]) for part, leaders in groups.items()}


@dataclass
class Sampler:
    """Memory every SAMPLE_EVERY_S seconds in a thread, while a run goes on."""

    stack: Stack
    samples: list[tuple[float, dict[str, float]]] = field(default_factory=list)
    _done: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> "Sampler":
        self.start = time.monotonic()
        self.samples.append((0.0, memory(self.stack)))
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._done.wait(SAMPLE_EVERY_S):
            self.samples.append((time.monotonic() - self.start, memory(self.stack)))

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()
        self.samples.append((time.monotonic() - self.start, memory(self.stack)))


def slope_mb_per_min(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) in MB per minute."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    return 60 * sum((x - mx) * (y - my) for x, y in points) / var if var else 0.0


def soak_report(label: str, run: Run, sampler: Sampler, lost: Losses) -> list[str]:
    """The soak's row, then minute by minute: turns, p95 and memory; the trend over its second half."""
    out = [f"\nSoak: {label}", HEADER, "|---|---|---|---|---|---|---|---|---|---|", line(label, run, lost),
           "\n| minute | turns | p95 ms | Rasa MB (all replicas) | backend MB | actions MB |", "|---|---|---|---|---|---|"]
    start = min((t.start for t in run.turns), default=0.0)
    minutes = int(max((t.start - start for t in run.turns), default=0.0) // 60) + 1  # minutes with turns begun
    for m in range(minutes):
        ms = [t.seconds * 1000 for t in run.turns if m * 60 <= t.start - start < (m + 1) * 60]
        near = [mem for at, mem in sampler.samples if m * 60 <= at < (m + 1) * 60] or [sampler.samples[-1][1]]
        avg = {part: sum(s[part] for s in near) / len(near) for part in near[0]}
        out.append(f"| {m + 1} | {len(ms)} | {pct(ms, 0.95):.0f} | {avg['rasa']:.0f} | {avg['backend']:.0f} | "
                   f"{avg['actions']:.0f} |")
    half = [(at, mem) for at, mem in sampler.samples if at >= run.seconds / 2]
    first, last = sampler.samples[0][1], sampler.samples[-1][1]
    out.append("\nmemory, MB: " + "; ".join(
        f"{part} {first[part]:.0f} → {max(m[part] for _, m in sampler.samples):.0f} max → {last[part]:.0f} at the end, "
        f"second half {slope_mb_per_min([(at, m[part]) for at, m in half]):+.1f} MB/min" for part in first))
    return out


# --- running ---------------------------------------------------------------------------------------

def start(profile: str, var: Path) -> tuple[Stack, type, Stores, Optional[Path]]:
    """The stack, the chat class (embedded: it reads the SMS outbox), its stores, and its SQLite database (embedded)."""
    # A real deployment sets COURT_BOT_KEY (production refuses to start without it); the backend then
    # knows the action server and does not count every litigant's SMS code against one client address.
    os.environ.setdefault("COURT_BOT_KEY", secrets.token_hex(32))
    if profile == "embedded":
        stack = start_stack(Ports.free(), var / "embedded")
        return stack, Chat, Stores(stack), stack.var_dir / "court.db"
    from deploy.profiles import Services, consecutive_free_ports, start_production

    replicas = int(profile.split(":")[1])
    run = uuid.uuid4().hex[:8]
    services = Services.from_env(rasa_db=f"rasa_bench_{run}", court_db=f"court_bench_{run}",
                                 lock_prefix=f"bench{run}", exchange=f"rasa_exchange_bench_{run}",
                                 events_queue=f"rasa_events_bench_{run}")
    stack = start_production(Ports.free(), var / profile.replace(":", "-"), replicas=replicas,
                             replica_ports=consecutive_free_ports(replicas), services=services)
    stores = PgStores(stack)
    # Production has no SMS outbox: the codes go to the (loopback fake of the) Aliyun SMS service,
    # read from it as a litigant reads their phone, as the production tests do.
    from tests.e2e import journeys
    from tests.production.prodkit import sms_code_reader

    journeys.sms_code = sms_code_reader(stack)
    return stack, Chat, stores, None


HEADER = ("| profile · concurrent | conversations | turns | errors | p50 ms | p95 ms | p99 ms | turns/s "
          "| lost turns / lost events / doubled events | load avg (1 min) |")


def line(label: str, run: Run, lost: Losses) -> str:
    ms = [t.seconds * 1000 for t in run.turns]
    tps = len(ms) / run.seconds if run.seconds else 0.0
    return (f"| {label} | {getattr(run, 'conversations', 0)} | {len(ms)} | {len(run.errors)} | {pct(ms, 0.5):.0f} | {pct(ms, 0.95):.0f} | "
            f"{pct(ms, 0.99):.0f} | {tps:.1f} | {lost} | {os.getloadavg()[0]:.1f} |")


def measured(stack: Stack, chat_cls: type, stores: Stores, db: Optional[Path], *, concurrency: int,
             duration: float, rounds: int, wait: float = TRANSCRIPT_WAIT_S) -> tuple[Run, Losses]:
    ledger: list[str] = []
    run = drive(stack.rasa_url, list(OURS.items()), db, concurrency=concurrency, rounds=rounds,
                duration=duration, chat_cls=recording(chat_cls, ledger))
    run.conversations = len(set(ledger))  # type: ignore[attr-defined]
    return run, losses(ledger, stores, wait)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="embedded,production:1,production:2,production:3",
                        help="embedded and/or production:N (N Rasa replicas)")
    parser.add_argument("--levels", default="1,10,50", help="concurrent conversations (e.g. 1,10,50,200)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds at most per level")
    parser.add_argument("--soak", type=float, default=0.0, help="then this many seconds of a soak")
    parser.add_argument("--soak-concurrency", type=int, default=100, help="conversations at once in the soak")
    parser.add_argument("--soak-profile", default="production:2", help="the profile the soak runs on")
    parser.add_argument("--transcript-wait", type=float, default=TRANSCRIPT_WAIT_S,
                        help="seconds at most for the transcripts to catch up after a level")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    levels = [int(n) for n in args.levels.split(",")]
    profiles = args.profiles.split(",")
    if args.soak and args.soak_profile not in profiles:
        profiles.append(args.soak_profile)
    (ROOT / "var").mkdir(exist_ok=True)
    var = Path(tempfile.mkdtemp(prefix="bench-load-", dir=ROOT / "var"))
    out = [f"start: {uptime()}", HEADER, "|---|---|---|---|---|---|---|---|---|---|"]
    soaks, errors = [], []
    for profile in profiles:
        print(f"starting {profile} … ({uptime()})", flush=True)
        stack, chat_cls, stores, db = start(profile, var)
        try:
            drive(stack.rasa_url, list(OURS.items()), db, rounds=1, chat_cls=chat_cls)  # warm-up
            for level in levels if profile in args.profiles.split(",") else []:
                run, lost = measured(stack, chat_cls, stores, db, concurrency=level, duration=args.duration, rounds=1,
                                     wait=args.transcript_wait)
                out.append(line(f"{profile} · {level}", run, lost))
                errors += run.errors
                print(out[-1], flush=True)
            if args.soak and profile == args.soak_profile:
                print(f"soak: {args.soak_concurrency} conversations for {args.soak:.0f} s …", flush=True)
                with Sampler(stack) as sampler:
                    run, lost = measured(stack, chat_cls, stores, db, concurrency=args.soak_concurrency,
                                         duration=args.soak, rounds=10**6, wait=args.transcript_wait)
                errors += run.errors
                soaks += soak_report(f"{profile} · {args.soak_concurrency} for {args.soak:.0f} s", run, sampler, lost)
                print(soaks[3], flush=True)
        finally:
            stack.stop()
            if getattr(stack, "services", None) is not None:
                from deploy.profiles import drop_databases

                drop_databases(stack.services)
    out.append(f"end: {uptime()}")
    print("\n" + "\n".join(out))
    if soaks:
        print("\n".join(soaks))
    if errors:
        print(f"\n{len(errors)} journeys failed; first ones:\n" + "\n".join(errors[:5]))
    print(f"\nlogs: {var}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
