"""`make bench-load`: whole simulated conversations under load, embedded vs production (1 and 2 replicas).

Each level runs that many litigants at once, each going through the filing, fee and status journeys
(bench/turns.py's driver and journeys, over REST) until done or the level's time is up: p50/p95/p99
per turn, turns/s and errors (a wrong answer or an HTTP error; a journey cut by the time limit is
not one). ``--soak S`` then runs S seconds at the highest level with the Rasa processes' resident
memory sampled. Figures only: nothing here is a test. Stops every process it started.

    make bench-load BENCH_ARGS="--levels 1,10 --duration 30 --profiles embedded,production:1,production:2"
"""
from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Optional

from bench.turns import OURS, Chat, Run, drive, pct
from deploy.stack import ROOT, Ports, Stack, start_stack

SAMPLE_EVERY_S = 5.0


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


def rasa_pids(stack: Stack) -> list[int]:
    return [p.pid for name, p in stack.processes.items() if name.startswith("rasa")]


class PgChat(Chat):
    """The driver's chat reading SMS codes from the production backend's PostgreSQL database."""

    services = None  # set per run

    def db(self, sql: str, *args) -> list[tuple]:
        import psycopg2

        s = self.services
        with psycopg2.connect(host=s.db_host, port=int(s.db_port), user=s.db_user, dbname=s.court_db) as conn, \
                conn.cursor() as cur:
            cur.execute(sql.replace("?", "%s"), args)
            return cur.fetchall()


def start(profile: str, var: Path) -> tuple[Stack, Optional[Path], type]:
    if profile == "embedded":
        stack = start_stack(Ports.free(), var / "embedded")
        return stack, stack.var_dir / "court.db", Chat
    from deploy.profiles import Services, consecutive_free_ports, start_production

    replicas = int(profile.split(":")[1])
    run = uuid.uuid4().hex[:8]
    services = Services.from_env(rasa_db=f"rasa_bench_{run}", court_db=f"court_bench_{run}",
                                 lock_prefix=f"bench{run}", exchange=f"rasa_exchange_bench_{run}",
                                 events_queue=f"rasa_events_bench_{run}")
    stack = start_production(Ports.free(), var / profile.replace(":", "-"), replicas=replicas,
                             replica_ports=consecutive_free_ports(replicas), services=services)
    chat_cls = type("PgChatRun", (PgChat,), {"services": services})
    return stack, None, chat_cls


def line(label: str, run: Run) -> str:
    ms = [t.seconds * 1000 for t in run.turns]
    tps = len(ms) / run.seconds if run.seconds else 0.0
    return (f"| {label} | {len(ms)} | {len(run.errors)} | {pct(ms, 0.5):.0f} | {pct(ms, 0.95):.0f} | "
            f"{pct(ms, 0.99):.0f} | {tps:.1f} |")


def soak(url: str, db: Optional[Path], chat_cls: type, concurrency: int, seconds: float,
         pids: list[int]) -> tuple[Run, list[float]]:
    samples: list[float] = [rss_mb(pids)]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_EVERY_S):
            samples.append(rss_mb(pids))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        run = drive(url, list(OURS.items()), db, concurrency=concurrency, rounds=10**6, duration=seconds,
                    chat_cls=chat_cls)
    finally:
        done.set()
        sampler.join()
    samples.append(rss_mb(pids))
    return run, samples


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="embedded,production:1,production:2",
                        help="embedded and/or production:N (N Rasa replicas)")
    parser.add_argument("--levels", default="1,10,50", help="concurrent conversations (e.g. 1,10,50,200)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds at most per level")
    parser.add_argument("--soak", type=float, default=0.0, help="then this many seconds at the highest level")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    levels = [int(n) for n in args.levels.split(",")]
    var = Path(tempfile.mkdtemp(prefix="bench-load-", dir=ROOT / "var"))
    out = ["| profile · concurrent | turns | errors | p50 ms | p95 ms | p99 ms | turns/s |",
           "|---|---|---|---|---|---|---|"]
    soaks, errors = [], []
    for profile in args.profiles.split(","):
        print(f"starting {profile} …", flush=True)
        stack, db, chat_cls = start(profile, var)
        try:
            drive(stack.rasa_url, list(OURS.items()), db, rounds=1, chat_cls=chat_cls)  # warm-up
            for level in levels:
                run = drive(stack.rasa_url, list(OURS.items()), db, concurrency=level, rounds=1,
                            duration=args.duration, chat_cls=chat_cls)
                out.append(line(f"{profile} · {level}", run))
                errors += run.errors
                print(out[-1], flush=True)
            if args.soak:
                run, samples = soak(stack.rasa_url, db, chat_cls, max(levels), args.soak, rasa_pids(stack))
                errors += run.errors
                soaks.append(f"- {profile}, {max(levels)} concurrent for {args.soak:.0f} s: {line('soak', run)} "
                             f"Rasa RSS MB start {samples[0]:.0f} · max {max(samples):.0f} · end {samples[-1]:.0f}")
        finally:
            stack.stop()
            if getattr(stack, "services", None) is not None:
                from deploy.profiles import drop_databases

                drop_databases(stack.services)
    print("\n" + "\n".join(out))
    if soaks:
        print("\n" + "\n".join(soaks))
    if errors:
        print(f"\n{len(errors)} journeys failed; first ones:\n" + "\n".join(errors[:5]))
    print(f"\nlogs: {var}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
