"""`make bench-dashboard`: the staff dashboard's queries (court/services/dashboard.py) and the NLU
inbox on a generated year on PostgreSQL, timed one by one.

The database ``court_bench_dashboard`` on 127.0.0.1:5432 is dropped and made anew by the
migrations (``COURT_BENCH_PG_ADMIN`` and ``COURT_BENCH_DASHBOARD_DB`` change where); nothing else is
touched. The year (``--per-day`` filings a day, default 20: about 7,300 filings, their decisions,
cases and fee notices, three conversations per filing with their turns, and handoff tickets) is
written with bulk inserts; then each query runs ``--repeat`` times over the whole year, for an
administrator (every court) and for a clerk bound to one court, and the median is printed.

:func:`generate` is also what the browser tests seed the stack's database with (a few days, small).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Awaitable, Callable

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from court.infra.models import (
    Case, Event, FeeNotice, Filing, Staff, Ticket, TranscriptConversation, TranscriptTurn,
)

PG_ADMIN_URL = os.environ.get("COURT_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DATABASE = os.environ.get("COURT_BENCH_DASHBOARD_DB", "court_bench_dashboard")
COURTS = {"京0105": "北京市朝阳区人民法院", "京0108": "北京市海淀区人民法院", "京0101": "北京市东城区人民法院"}
CASE_TYPES = ("民间借贷纠纷", "买卖合同纠纷", "机动车交通事故责任纠纷", "离婚纠纷", "物业服务合同纠纷", "追索劳动报酬纠纷")
CORRECTION_ITEMS = ("身份证明", "证据清单", "被告住所", "诉讼请求不明确", "起诉状副本")
REJECTION_REASONS = ("不属于本院管辖", "超过诉讼时效且无中止中断事由", "不属于人民法院受理民事诉讼的范围", "重复起诉")
LEFT_AT = ("identity_phone", "sms_code", "identity_id_number", "defendant_address", "facts", "claims", "evidence", None)
WORDS = ("我想问一下那个钱的事", "怎么立案", "对方不还钱怎么办", "诉讼费多少", "我要找人工", "进度查询", "你好",
         "那个执行款什么时候到账", "我的案子怎么样了", "能不能网上交费", "天气怎么样", "我不会填这个")
SLOTS_VERIFIED = {"litigant_token": "（已隐去）"}
BATCH = 5000


def _china_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) - timedelta(hours=8)


async def _insert(engine: AsyncEngine, table: Any, rows: list[dict[str, Any]], returning: Any = None) -> list[int]:
    ids: list[int] = []
    async with engine.begin() as conn:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start:start + BATCH]
            if returning is not None:
                result = await conn.execute(insert(table).returning(returning, sort_by_parameter_order=True), chunk)
                ids += [r[0] for r in result]
            else:
                await conn.execute(insert(table), chunk)
    return ids


async def generate(engine: AsyncEngine, last_day: date, days: int, per_day: int, seed: int = 12) -> dict[str, int]:
    """``days`` China days up to ``last_day`` of made-up but plausible activity; returns the row counts."""
    rng = random.Random(seed)
    tag = f"{seed}-{last_day.isoformat()}"
    filings, conversations, tickets = [], [], []
    for d in range(days):
        midnight = _china_midnight(last_day - timedelta(days=days - 1 - d))
        for _ in range(max(0, int(rng.gauss(per_day, per_day / 4)))):
            created = midnight + timedelta(seconds=rng.uniform(8 * 3600, 20 * 3600))
            filings.append({"created": created})
        for i in range(max(0, int(rng.gauss(per_day * 3, per_day / 2)))):
            started = midnight + timedelta(seconds=rng.uniform(0, 86400))
            conversations.append({"conversation_id": f"bench-{tag}-{d}-{i}", "channel": "socketio", "started_at": started,
                                  "last_at": started + timedelta(minutes=rng.uniform(1, 30)),
                                  "turn_count": 0, "phones": " ", "filing_numbers": " ",
                                  "requested_slot": rng.choice(LEFT_AT),
                                  "verified_at": started + timedelta(minutes=2) if rng.random() < 0.6 else None})
        for _ in range(max(0, int(rng.gauss(per_day / 4, 1)))):
            created = midnight + timedelta(seconds=rng.uniform(8 * 3600, 22 * 3600))
            answered = created + timedelta(hours=rng.uniform(0.2, 48)) if rng.random() < 0.85 else None
            tickets.append({"created_at": created, "answered_at": answered})
    verified = [c for c in conversations if c["verified_at"] is not None]
    rng.shuffle(verified)

    filing_rows, plans = [], []
    for n, f in enumerate(filings):
        conv = verified[n]["conversation_id"] if n < len(verified) and rng.random() < 0.8 else None
        court, case_type, created = rng.choice(list(COURTS)), rng.choice(CASE_TYPES), f["created"]
        roll = rng.random()
        plan = ("docketed" if roll < 0.7 else "corrected" if roll < 0.85 else "rejected" if roll < 0.93 else "pending")
        resubmitted = created + timedelta(days=rng.uniform(2, 6)) if plan == "corrected" else None
        status = {"docketed": "docketed", "corrected": "docketed", "rejected": "rejected", "pending": "pending_review"}[plan]
        filing_rows.append({"number": f"LA{tag}-{n}"[:32], "status": status, "case_type": case_type, "court_code": court,
                            "court_name": COURTS[court], "amount": Decimal(rng.randrange(1000, 500000)), "facts": "事实与理由",
                            "channel": "socketio", "conversation_id": conv, "created_at": created, "updated_at": created,
                            "decision_due": (resubmitted or created) + timedelta(days=7)})
        plans.append((plan, created, resubmitted))
    filing_ids = await _insert(engine, Filing, filing_rows, Filing.id)

    events, cases = [], []
    for fid, row, (plan, created, resubmitted) in zip(filing_ids, filing_rows, plans):
        events.append({"filing_id": fid, "at": created, "actor": "litigant", "action": "submitted", "before": None,
                       "after": "pending_review", "detail": None})
        if plan == "corrected":
            events.append({"filing_id": fid, "at": created + timedelta(days=rng.uniform(0.5, 1.5)), "actor": "staff:bench",
                           "action": "correction_requested", "before": "pending_review", "after": "needs_correction",
                           "detail": {"items": rng.sample(CORRECTION_ITEMS, rng.randint(1, 2)), "reason": None}})
            events.append({"filing_id": fid, "at": resubmitted, "actor": "litigant", "action": "resubmitted",
                           "before": "needs_correction", "after": "pending_review", "detail": None})
        if plan != "pending":
            decided = (resubmitted or created) + timedelta(days=rng.uniform(0.2, 9))
            action = "rejected" if plan == "rejected" else "docketed"
            events.append({"filing_id": fid, "at": decided, "actor": "staff:bench", "action": action,
                           "before": "pending_review", "after": action,
                           "detail": {"reason": rng.choice(REJECTION_REASONS)} if action == "rejected" else None})
            if action == "docketed":
                cases.append({"case_number": f"（{decided.year}）{row['court_code']}民初{fid}号·{tag}", "filing_id": fid,
                              "court_code": row["court_code"], "type_code": "民初", "year": decided.year,
                              "seq": 100000 + fid, "status": "docketed", "docketed_at": decided})
    await _insert(engine, Event, events)
    case_ids = await _insert(engine, Case, cases, Case.id)

    notices = []
    for cid, case in zip(case_ids, cases):
        issued = case["docketed_at"]
        roll = rng.random()
        status = "paid" if roll < 0.75 else "overdue" if roll < 0.85 else "relief" if roll < 0.9 else "unpaid"
        notices.append({"public_id": f"FN{tag}-{cid}"[:32], "case_id": cid, "amount": Decimal(rng.randrange(50, 20000)),
                        "basis": "按财产案件受理费标准", "issued_at": issued, "due_at": issued + timedelta(days=8),
                        "served_at": issued, "service_method": "electronic", "status": status})
    await _insert(engine, FeeNotice, notices)

    turns = []
    for conv in conversations:
        n = rng.randint(3, 15)
        conv["turn_count"] = n
        for seq in range(1, n + 1):
            unsure = rng.random() < 0.12
            turns.append({"conversation_id": conv["conversation_id"], "seq": seq,
                          "at": conv["started_at"] + timedelta(seconds=20 * seq), "kind": "user", "channel": "socketio",
                          "user_text": rng.choice(WORDS) + ("" if rng.random() < 0.5 else rng.choice("啊呢吧？。")),
                          "intent": "nlu_fallback" if unsure else rng.choice(("ask_fee", "file_case", "inform")),
                          "confidence": rng.uniform(0.2, 0.59) if unsure else rng.uniform(0.7, 1.0),
                          "entities": None, "bot": [{"text": "好的"}], "actions": [],
                          "slots": SLOTS_VERIFIED if seq == 2 and conv["verified_at"] else {}})
    await _insert(engine, TranscriptConversation, conversations)
    await _insert(engine, TranscriptTurn, turns)
    await _insert(engine, Ticket, [
        {"public_id": f"TK{tag}-{i}"[:32], "litigant_id": None, "conversation_id": f"bench-ticket-{i}", "channel": "socketio",
         "question": "请问立案需要什么材料", "status": "answered" if t["answered_at"] else "open",
         "answer": "您好，请见立案须知。" if t["answered_at"] else None, **t} for i, t in enumerate(tickets)])
    return {"filings": len(filing_rows), "events": len(events), "cases": len(cases), "fee_notices": len(notices),
            "conversations": len(conversations), "turns": len(turns), "tickets": len(tickets)}


async def _fresh_database() -> str:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    finally:
        await conn.close()
    host = PG_ADMIN_URL.split("://", 1)[1].rsplit("/", 1)[0]
    return f"postgresql+asyncpg://{host}/{PG_DATABASE}"


async def _median_ms(run: Callable[[], Awaitable[Any]], repeat: int) -> float:
    await run()  # warm: plans and caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        await run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def bench(per_day: int, repeat: int) -> None:
    from court.infra.db import make_engine, make_sessionmaker
    from court.infra.migrate import upgrade
    from court.services import dashboard as d
    from court.services.nlu_inbox import inbox
    from court.services.period import Period

    url = await _fresh_database()
    await asyncio.to_thread(upgrade, url)
    engine = make_engine(url)
    today = datetime.now(timezone.utc).date()
    started = time.perf_counter()
    counts = await generate(engine, today, 365, per_day)
    print(f"generated a year in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    async with engine.begin() as conn:
        await conn.exec_driver_sql("ANALYZE")
    year = d.DashboardQuery(Period(today - timedelta(days=364), today))
    at = datetime.now(timezone.utc)
    sessions = make_sessionmaker(engine)
    print(f"\n{'query (a whole year)':<34}{'admin ms':>10}{'clerk ms':>10}")
    for name, query in [
        ("filings per day", lambda s, c: d._filings_per_day(s, "postgresql", year, c)),
        ("decision time (seven-day rule)", lambda s, c: d._decision_time(s, "postgresql", year, c, at)),
        ("补正 / rejection reasons", lambda s, c: d._review(s, year, c)),
        ("fees", lambda s, c: d._fees(s, year, c, at)),
        ("conversation funnel", lambda s, c: d._funnel(s, year, c)),
        ("handoffs", lambda s, c: d._tickets(s, "postgresql", year, c)),
        ("whole dashboard", lambda s, c: d.dashboard(s, Staff(role="clerk" if c else "admin", court_code=c), year, at)),
        ("NLU inbox (500 newest, grouped)", lambda s, c: inbox(s, Staff(role="clerk" if c else "admin", court_code=c))),
    ]:
        figures = []
        for court in (None, "京0105"):
            async with sessions() as session:
                figures.append(await _median_ms(lambda: query(session, court), repeat))
        print(f"{name:<34}{figures[0]:>10.1f}{figures[1]:>10.1f}")
    await engine.dispose()


async def seed(url: str, days: int, per_day: int) -> None:
    """Only write ``days`` days up to today into an existing, migrated database (the browser tests)."""
    from court.infra.db import make_engine

    engine = make_engine(url)
    try:
        print(await generate(engine, datetime.now(timezone.utc).date(), days, per_day))
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=20, help="filings a day (conversations: three times that)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed-into", metavar="DATABASE_URL", help="only generate --days days into this database")
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    if args.seed_into:
        asyncio.run(seed(args.seed_into, args.days, args.per_day))
    else:
        asyncio.run(bench(args.per_day, args.repeat))


if __name__ == "__main__":
    main()
