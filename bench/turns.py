"""`make bench-turns`: our assistant's turns against the stock `rasa init` bot's, in the same run.

Both are driven over the REST channel (`/webhooks/rest/webhook`) on loopback: one conversation at a
time, then 20 at once; p50/p95/max per turn and turns/s for each, and the ratios ours/stock. Then
where a turn's time goes (NLU parse, action-server calls, backend calls behind them, the rest inside
Rasa) and each quick-win variant of our stack measured in the same command. Bounded in turns and
seconds; stops every process it started.
"""
from __future__ import annotations

import argparse
import itertools
import os
import re
import signal
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import requests

from bench.rasa_profile import RasaProfile
from bench.stock_bot import STOCK_JOURNEY, start_stock
from bench.timing_proxy import TimingProxy
from deploy.stack import ROOT, Ports, Stack
from tests.e2e.journeys import Filing, file_case, verify

CONCURRENCY = 20


@dataclass
class Turn:
    journey: str
    text: str
    start: float
    seconds: float


class Chat:
    """One conversation over REST, timing each turn (the interface tests/e2e/journeys.py drives)."""

    def __init__(self, url: str, journey: str, turns: list[Turn], db: Optional[Path] = None) -> None:
        self.url, self.journey, self.turns, self._db = url, journey, turns, db
        self.sender = f"bench-{uuid.uuid4().hex[:12]}"
        self.http = requests.Session()
        self.deadline = float("inf")

    def say(self, text: str) -> list[dict]:
        if time.monotonic() > self.deadline:
            raise TimeoutError("the run's time is up")
        start = time.monotonic()
        resp = self.http.post(f"{self.url}/webhooks/rest/webhook", json={"sender": self.sender, "message": text},
                              timeout=120)
        seconds = time.monotonic() - start
        resp.raise_for_status()
        self.turns.append(Turn(self.journey, text, start, seconds))
        return resp.json()

    @staticmethod
    def text(replies: list[dict]) -> str:
        return "\n".join(r.get("text", "") for r in replies)

    def db(self, sql: str, *args) -> list[tuple]:
        with sqlite3.connect(self._db) as conn:
            return conn.execute(sql, args).fetchall()


# --- journeys ------------------------------------------------------------------------------

_people = itertools.count(1)


def identity() -> tuple[str, str]:
    """A fresh valid ID number (GB 11643 check digit) and phone: the SMS limit is 5 codes per phone an hour."""
    n = next(_people)
    body = f"11010519900101{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check, f"139{(int(time.time()) % 10000):04d}{n:04d}"


def stock(chat: Chat) -> None:
    for text in STOCK_JOURNEY:
        chat.say(text)


def fee(chat: Chat) -> None:
    for text in ("你好", "打官司要交多少诉讼费", "借款、合同、赔偿等财产纠纷", "5万", "标的10万要交多少诉讼费",
                 "离婚官司诉讼费咋算"):
        answer = chat.text(chat.say(text))
    assert "50.00元至300.00元" in answer, answer


def status(chat: Chat) -> None:
    id_number, phone = identity()
    chat.say("查一下立案进度")
    verify(chat, "王小明", id_number, phone)
    answer = chat.text(chat.say("查询进度 LA20200101999999"))
    assert "没有查到" in answer, answer


def filing(chat: Chat) -> None:
    id_number, phone = identity()
    number = file_case(chat, Filing(name="张三", id_number=id_number, phone=phone))
    assert re.fullmatch(r"LA\d{14}", number)


OURS: dict[str, Callable[[Chat], None]] = {"filing": filing, "fee": fee, "status": status}


# --- running -------------------------------------------------------------------------------

@dataclass
class Run:
    turns: list[Turn] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def drive(url: str, journeys: list[tuple[str, Callable[[Chat], None]]], db: Optional[Path], *,
          concurrency: int = 1, duration: float = 60.0, rounds: int = 1, chat_cls: type = Chat) -> Run:
    """`concurrency` workers, each running the journeys in turn (worker i starts at journey i) until
    `rounds` rounds are done or `duration` seconds pass; a journey cut by the deadline keeps its turns."""
    run = Run()
    deadline = time.monotonic() + duration

    def worker(i: int) -> None:
        for r in range(rounds):
            for j in range(len(journeys)):
                name, journey = journeys[(i + j) % len(journeys)]
                chat = chat_cls(url, name, run.turns, db)
                chat.deadline = deadline
                try:
                    journey(chat)
                except TimeoutError:
                    return
                except Exception as exc:  # counted and shown: a benchmark of wrong answers is no benchmark
                    run.errors.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    run.seconds = time.monotonic() - start
    return run


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def row(label: str, turns: list[Turn], seconds: Optional[float], errors: int) -> dict:
    ms = [t.seconds * 1000 for t in turns]
    return {"label": label, "turns": len(ms), "errors": errors, "p50": pct(ms, 0.5), "p95": pct(ms, 0.95),
            "max": max(ms) if ms else float("nan"), "tps": len(ms) / seconds if seconds else None}


def print_rows(title: str, rows: list[dict]) -> None:
    print(f"\n{title}\n")
    print("| run | turns | errors | p50 ms | p95 ms | max ms | turns/s |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        tps = f"{r['tps']:.1f}" if r["tps"] else "–"
        print(f"| {r['label']} | {r['turns']} | {r['errors']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['max']:.0f} | {tps} |")


def wait_ready(url: str, proc, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited early")
        try:
            if requests.get(url + "/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")


# --- our stack with timing relays ----------------------------------------------------------

VARIANTS = {
    "now": "what deploy/stack.py starts",
    "rasa-unpatched": "Rasa's own code: no deploy/rasa_main.py (action-answer check, event types, model load, "
                      "pooled action calls) and Rasa's InMemoryTrackerStore",
    "no-broker": "now without the event broker (no transcripts: only to show what the broker costs)",
}


class BenchStack(Stack):
    """The stack of deploy/stack.py as `variant`, with (relays=True) timing relays in front of the
    action server and the backend. The relays cost a hop and CPU in this process: the headline figures
    are taken without them, the breakdown with them."""

    def __init__(self, *args, variant: str, relays: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.variant, self.relays = variant, relays
        if variant == "rasa-unpatched":
            self.rasa_speedups, self.tracker_store = False, None
        if relays:
            self.action_proxy = TimingProxy(f"http://127.0.0.1:{self.ports.actions}", label_actions=True)
            self.backend_proxy = TimingProxy(f"http://127.0.0.1:{self.ports.backend}")
            self.actions_backend_url = self.backend_proxy.url

    def endpoints_file(self) -> Path:
        path = super().endpoints_file()
        text = path.read_text(encoding="utf-8")
        if self.relays:
            text = text.replace(f"127.0.0.1:{self.ports.actions}/", f"127.0.0.1:{self.action_proxy.port}/")
        if self.variant == "no-broker":
            text = text.split("event_broker:")[0]
        path.write_text(text, encoding="utf-8")
        return path

    def start(self, to_log: bool = True, *, rasa: bool = True) -> None:
        if self.relays:
            self.action_proxy.start()
            self.backend_proxy.start()
        super().start(to_log, rasa=rasa)


def nlu_ms(url: str, token: str, texts: list[str]) -> dict[str, float]:
    """Each distinct text through `/model/parse` alone (the NLU pipeline, nothing else)."""
    out = {}
    http = requests.Session()
    for text in texts:
        if text in out:
            continue
        start = time.monotonic()
        http.post(f"{url}/model/parse", params={"token": token}, json={"text": text}, timeout=60).raise_for_status()
        out[text] = (time.monotonic() - start) * 1000
    return out


def breakdown(stack: BenchStack, run: Run, nlu: dict[str, float]) -> None:
    print(f"\nWhere a turn's time goes (variant {stack.variant}, one conversation at a time, through the relays; "
          "ms per turn, mean)\n")
    print("| journey | turns | turn | NLU parse | action calls (n/turn) | of which backend (n/turn) | rest of Rasa "
          "| backend off the path (n/turn) |")
    print("|---|---|---|---|---|---|---|---|")
    by = defaultdict(list)
    for t in run.turns:
        by[t.journey].append(t)
    actions_by_name: dict[str, list[float]] = defaultdict(list)
    backend_by_path: dict[str, list[float]] = defaultdict(list)
    for journey, turns in by.items():
        n = len(turns)
        total = sum(t.seconds for t in turns) * 1000
        parse = sum(nlu.get(t.text, 0.0) for t in turns)
        acts, back, off = [], [], []
        for t in turns:
            a = stack.action_proxy.between(t.start, t.start + t.seconds)
            acts += a
            for c in a:
                actions_by_name[c.label].append(c.seconds * 1000)
                # a backend call started inside an action call is on the turn's path; others (a draft saved
                # while the answer goes out) are not
                for b in stack.backend_proxy.between(c.start, c.start + c.seconds):
                    back.append(b)
                    backend_by_path[b.label].append(b.seconds * 1000)
            on_path = {id(b) for b in back}
            off += [b for b in stack.backend_proxy.between(t.start, t.start + t.seconds) if id(b) not in on_path]
        act_ms = sum(c.seconds for c in acts) * 1000
        back_ms = sum(c.seconds for c in back) * 1000
        off_ms = sum(c.seconds for c in off) * 1000
        for b in off:
            backend_by_path[f"{b.label} (off the turn's path)"].append(b.seconds * 1000)
        print(f"| {journey} | {n} | {total / n:.0f} | {parse / n:.0f} | {act_ms / n:.0f} ({len(acts) / n:.1f}) | "
              f"{back_ms / n:.0f} ({len(back) / n:.1f}) | {(total - parse - act_ms) / n:.0f} | "
              f"{off_ms / n:.0f} ({len(off) / n:.1f}) |")
    print("\nslowest turns (through the relays)\n")
    print("| journey | text | ms | action calls |")
    print("|---|---|---|---|")
    for t in sorted(run.turns, key=lambda t: -t.seconds)[:6]:
        calls = ", ".join(f"{c.label} {c.seconds * 1000:.0f}" for c in stack.action_proxy.between(t.start, t.start + t.seconds))
        print(f"| {t.journey} | {t.text[:20]} | {t.seconds * 1000:.0f} | {calls} |")
    for title, table in (("action-server calls", actions_by_name), ("backend calls", backend_by_path)):
        print(f"\n{title} (one conversation at a time)\n")
        print("| call | n | mean ms | max ms |")
        print("|---|---|---|---|")
        for label, ms in sorted(table.items(), key=lambda kv: -sum(kv[1])):
            print(f"| {label} | {len(ms)} | {statistics.mean(ms):.1f} | {max(ms):.0f} |")


def load() -> str:
    return "load average %.1f" % os.getloadavg()[0]


def started(variant: str, var: Path, *, relays: bool) -> BenchStack:
    stack = BenchStack(Ports.free(), var, variant=variant, relays=relays)
    stack.var_dir.mkdir(parents=True, exist_ok=True)
    print(f"starting our stack ({variant}{', with relays' if relays else ''}) …", flush=True)
    begun = time.monotonic()
    stack.start()
    print(f"  ready in {time.monotonic() - begun:.0f} s ({load()})", flush=True)
    return stack


def bench_ours(variant: str, args, var: Path, *, breakdown: bool) -> tuple[Run, Run, Optional[tuple]]:
    """The headline figures without relays; then (breakdown) one more start with the relays and py-spy."""
    journeys = list(OURS.items())
    stack = started(variant, var / variant, relays=False)
    try:
        db = stack.var_dir / "court.db"
        drive(stack.rasa_url, journeys, db, rounds=1)  # warm-up: first turns load lazily
        print(f"  one at a time ({load()})", flush=True)
        single = drive(stack.rasa_url, journeys, db, rounds=args.rounds, duration=args.duration)
        print(f"  {CONCURRENCY} at once ({load()})", flush=True)
        many = drive(stack.rasa_url, journeys, db, concurrency=CONCURRENCY, rounds=1, duration=args.duration)
    finally:
        stack.stop()
    if not breakdown:
        return single, many, None
    stack = started(variant, var / f"{variant}-relays", relays=True)
    try:
        db = stack.var_dir / "court.db"
        drive(stack.rasa_url, journeys, db, rounds=1)
        print(f"  breakdown ({load()})", flush=True)
        with RasaProfile(args.py_spy, stack.processes["rasa"].pid, stack.var_dir / "rasa.py-spy.txt") as profile:
            timed = drive(stack.rasa_url, journeys, db, rounds=1, duration=args.duration)
        nlu = nlu_ms(stack.rasa_url, stack.api_token, [t.text for t in timed.turns])
        return single, many, (stack, timed, nlu, profile.table(len(timed.turns)))
    finally:
        stack.stop()


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="journeys per kind one conversation at a time")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds at most per measured phase")
    parser.add_argument("--variants", default="now,rasa-unpatched",
                        help="our stack as: " + "; ".join(f"{k} ({v})" for k, v in VARIANTS.items())
                             + ". The first also gets the breakdown (relays, py-spy)")
    parser.add_argument("--breakdown", action=argparse.BooleanOptionalAction, default=True,
                        help="the first variant also started with the relays (and py-spy): where a turn goes")
    parser.add_argument("--py-spy", default=None, help="path to a py-spy binary: also profile Rasa's CPU per turn")
    args = parser.parse_args(argv)
    # `timeout`, `kill`: leave through the `finally` blocks, which stop every server this run started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    var = Path(tempfile.mkdtemp(prefix="bench-turns-", dir=ROOT / "var"))
    rows_single, rows_many, notes = [], [], []

    proc, url = start_stock(var / "stock.log")
    try:
        print(f"starting the stock bot ({load()}) …", flush=True)
        begun = time.monotonic()
        wait_ready(url, proc)
        print(f"  ready in {time.monotonic() - begun:.0f} s ({load()})", flush=True)
        drive(url, [("stock", stock)], None, rounds=1)
        print(f"  one at a time ({load()})", flush=True)
        with RasaProfile(args.py_spy, proc.pid, var / "stock.py-spy.txt") as stock_profile:
            s1 = drive(url, [("stock", stock)], None, rounds=10, duration=args.duration)
        print(f"  {CONCURRENCY} at once ({load()})", flush=True)
        s20 = drive(url, [("stock", stock)], None, concurrency=CONCURRENCY, rounds=10, duration=args.duration / 2)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    stock1 = row("stock `rasa init` (5 turns)", s1.turns, None, len(s1.errors))
    stock20 = row("stock `rasa init`", s20.turns, s20.seconds, len(s20.errors))
    rows_single.append(stock1)
    rows_many.append(stock20)
    notes += s1.errors + s20.errors

    breakdowns = []
    for i, variant in enumerate(args.variants.split(",")):
        if variant not in VARIANTS:
            parser.error(f"unknown variant {variant}")
        single, many, detail = bench_ours(variant, args, var, breakdown=args.breakdown and i == 0)
        if detail:
            breakdowns.append(detail)
        for journey in OURS:
            turns = [t for t in single.turns if t.journey == journey]
            rows_single.append(row(f"ours {variant}: {journey} ({len(turns) // max(1, args.rounds)} turns)", turns,
                                   None, sum(e.startswith(journey) for e in single.errors)))
        rows_single.append(row(f"ours {variant}: all journeys", single.turns, None, len(single.errors)))
        rows_many.append(row(f"ours {variant}: all journeys mixed", many.turns, many.seconds, len(many.errors)))
        notes += single.errors + many.errors
        if detail:
            notes += detail[1].errors

    print_rows("One conversation at a time (REST, loopback)", rows_single)
    print_rows(f"{CONCURRENCY} conversations at once", rows_many)
    print("\nRatios ours/stock (goal: p95 ≤ 1.5×, turns/s ≥ 0.8×)\n")
    for r1, r20 in zip([r for r in rows_single if r["label"].endswith("all journeys")], rows_many[1:]):
        print(f"- {r1['label']}: p95 single {r1['p95'] / stock1['p95']:.1f}× · p95 at {CONCURRENCY} "
              f"{r20['p95'] / stock20['p95']:.1f}× · turns/s at {CONCURRENCY} {r20['tps'] / stock20['tps']:.2f}×")
    for stack, timed, nlu, profile in breakdowns:
        breakdown(stack, timed, nlu)
        print(profile)
    print(stock_profile.table(len(s1.turns)).replace("Rasa's CPU", "The stock bot's Rasa CPU"))
    if notes:
        print(f"\n{len(notes)} journeys failed; first ones:\n" + "\n".join(notes[:5]))
    print(f"\nlogs: {var}")
    return 1 if notes else 0


if __name__ == "__main__":
    sys.exit(main())
