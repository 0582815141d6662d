"""The fee deadline job (court/jobs/deadlines.py) on SQLite and PostgreSQL, with an injected clock."""
from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest

from authflow import add_fee_notice
from court.api.auth import issue_token
from court.app import create_app
from court.infra.app_keys import SESSIONMAKER
from court.infra.config import Settings
from court.infra.models import Litigant, utcnow
from court.jobs import deadlines
from court.jobs.deadlines import mark_overdue
from court.services.payments.dev import DevProvider

DUE = datetime(2026, 3, 8, 16, 0, tzinfo=timezone.utc)  # 24:00 Beijing time: the period has run out (periods.py)
_seq = iter(range(1, 100_000))


async def add_notice(app, status: str = "unpaid", due_at: datetime = DUE, litigant_id: int | None = None) -> str:
    return await add_fee_notice(app, litigant_id, status=status, due_at=due_at, issued_at=DUE - timedelta(days=7))


async def run(app, now: datetime) -> int:
    async with app[SESSIONMAKER]() as session:
        return await mark_overdue(session, now)


async def statuses(db_rows) -> dict[str, str]:
    return dict(await db_rows("SELECT public_id, status FROM fee_notices"))


async def test_marks_only_unpaid_notices_past_due(client, db_rows):
    app = client.app
    late = await add_notice(app)
    not_yet = await add_notice(app, due_at=DUE + timedelta(days=2))
    relief = await add_notice(app, status="relief")
    paid = await add_notice(app, status="paid")
    assert await run(app, DUE + timedelta(seconds=1)) == 1
    assert await statuses(db_rows) == {late: "overdue", not_yet: "unpaid", relief: "relief", paid: "paid"}

    events = await db_rows("SELECT e.filing_id, e.actor, e.action, e.before, e.after, e.detail, c.filing_id "
                           "FROM events e JOIN cases c ON c.filing_id = e.filing_id")
    assert len(events) == 1
    filing_id, actor, action, before, after, detail, case_filing = events[0]
    assert (actor, action, before, after) == ("system:deadlines", "fee_overdue", "unpaid", "overdue")
    assert filing_id == case_filing
    detail = detail if isinstance(detail, dict) else json.loads(detail)
    assert detail["message"] == "逾期未交纳诉讼费，按撤诉处理，待法官确认"
    assert "诉讼费用交纳办法" in detail["basis"] and "第二十二条" in detail["basis"]
    assert detail["fee_notice"] == late and detail["needs_judge"] is True

    # The case and the filing keep their status: a judge rules on 按撤诉处理.
    assert set(await db_rows("SELECT status FROM cases")) == {("docketed",)}
    assert set(await db_rows("SELECT status FROM filings")) == {("docketed",)}


async def test_a_second_pass_changes_nothing(client, db_rows):
    await add_notice(client.app)
    assert await run(client.app, DUE + timedelta(hours=1)) == 1
    assert await run(client.app, DUE + timedelta(hours=2)) == 0
    assert await db_rows("SELECT count(*) FROM events") == [(1,)]


async def test_the_last_moment_before_24_00_is_still_in_time(client, db_rows):
    notice = await add_notice(client.app)
    assert await run(client.app, DUE - timedelta(microseconds=1)) == 0
    assert await run(client.app, DUE - timedelta(days=3)) == 0
    assert (await statuses(db_rows))[notice] == "unpaid"
    assert await run(client.app, DUE) == 1


async def test_relief_is_never_overdue(client, db_rows):
    notice = await add_notice(client.app, status="relief", due_at=DUE - timedelta(days=365))
    assert await run(client.app, DUE + timedelta(days=365)) == 0
    assert (await statuses(db_rows))[notice] == "relief"


async def test_many_notices_in_batches(client, db_rows, monkeypatch):
    monkeypatch.setattr(deadlines, "BATCH", 2)
    ids = [await add_notice(client.app) for _ in range(5)]
    assert await run(client.app, DUE + timedelta(days=1)) == 5
    assert set((await statuses(db_rows)).values()) == {"overdue"} and len(ids) == 5
    assert await db_rows("SELECT count(*) FROM events WHERE action = 'fee_overdue'") == [(5,)]


async def test_concurrent_passes_mark_each_notice_once(client, db_rows):
    for _ in range(4):
        await add_notice(client.app)
    counts = await asyncio.gather(*[run(client.app, DUE + timedelta(days=1)) for _ in range(3)])
    assert sum(counts) == 4
    assert await db_rows("SELECT count(*) FROM events WHERE action = 'fee_overdue'") == [(4,)]


async def test_the_background_job_runs_with_the_app_clock(aiohttp_client, client, db_rows, db_url, tmp_path):
    notice = await add_notice(client.app)
    clock = {"now": DUE - timedelta(days=1)}
    app = create_app(Settings(dev_mode=True, database_url=db_url, upload_dir=tmp_path / "u", deadline_job=True,
                              deadline_interval_s=0.02, extra={"clock": lambda: clock["now"]}))
    job_client = await aiohttp_client(app)
    await asyncio.sleep(0.1)
    assert (await statuses(db_rows))[notice] == "unpaid"  # not yet due by the app's clock
    clock["now"] = DUE + timedelta(minutes=1)
    for _ in range(100):
        if (await statuses(db_rows))[notice] == "overdue":
            break
        await asyncio.sleep(0.02)
    assert (await statuses(db_rows))[notice] == "overdue"
    assert any(t.get_name() == "fee-deadlines" for t in asyncio.all_tasks())
    await job_client.close()  # cleanup_ctx cancels the task
    assert not any(t.get_name() == "fee-deadlines" and not t.done() for t in asyncio.all_tasks())


async def test_the_job_is_off_unless_asked(client):
    assert Settings().deadline_job is False
    assert not any(t.get_name() == "fee-deadlines" for t in asyncio.all_tasks())


def test_from_env_turns_the_job_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COURT_DEADLINE_JOB", raising=False)
    assert Settings.from_env().deadline_job is True
    monkeypatch.setenv("COURT_DEADLINE_JOB", "0")
    monkeypatch.setenv("COURT_DEADLINE_INTERVAL_S", "5")
    settings = Settings.from_env()
    assert settings.deadline_job is False and settings.deadline_interval_s == 5.0


async def test_late_payment_is_accepted_and_flagged(client, db_rows):
    """An order opened in time but paid after the job marked the notice overdue: recorded, flagged late."""
    app = client.app
    async with app[SESSIONMAKER]() as session:
        litigant = Litigant(name="张三", id_number="11010519491231002X", phone="13800138000", created_at=utcnow())
        session.add(litigant)
        await session.flush()
        token, _ = await issue_token(session, at=utcnow(), litigant=litigant)
        await session.commit()
    notice = await add_notice(app, due_at=utcnow() + timedelta(days=1), litigant_id=litigant.id)
    order = await (await client.post("/api/v1/payments", json={"fee_notice_id": notice},
                                     headers={"Authorization": f"Bearer {token}"})).json()
    assert await run(app, utcnow() + timedelta(days=2)) == 1
    headers, body = DevProvider(Settings().payment_dev_secret).build_notification(
        order_no=order["order_no"], amount_fen=230000, transaction_id="4200000000202603089999", now=utcnow())
    resp = await client.post("/api/v1/payments/notify", data=body, headers={**headers, "Content-Type": "application/json"})
    assert resp.status == 200
    assert (await statuses(db_rows))[notice] == "paid"
    (detail,) = (await db_rows("SELECT detail FROM events WHERE action = 'fee_paid'"))[0]
    detail = detail if isinstance(detail, dict) else json.loads(detail)
    assert detail["late"] is True
    assert await db_rows("SELECT before, after FROM events WHERE action = 'fee_paid'") == [("overdue", "paid")]


async def test_overdue_through_the_real_endpoints(client, db_rows):
    """立案 issues the notice; service starts the 7 days (ending on Sunday 03-08, so moved to Monday
    03-09, 民诉法第八十五条); a pass after 24:00 of that day marks it overdue."""
    from urllib.parse import quote

    from authflow import bearer, review, set_clock, staff_token, submit, verify_litigant

    t0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)  # 2026-03-01 10:00 Beijing
    set_clock(client, t0)
    litigant = await verify_litigant(client, db_rows)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    filing = await submit(client, litigant)
    case = (await (await review(client, clerk, filing["id"], decision="accept")).json())["case"]
    assert await run(client.app, datetime(2026, 4, 1, tzinfo=timezone.utc)) == 0  # not served: no clock runs
    served = await client.post(
        f"/api/v1/staff/cases/{quote(case['case_number'])}/fee-notices/{case['fee_notices'][0]['id']}/service",
        json={"method": "direct", "served_at": "2026-03-01T10:00:00+08:00"}, headers=bearer(clerk))
    assert served.status == 200, await served.text()
    assert await run(client.app, datetime(2026, 3, 8, 16, 0, 0, tzinfo=timezone.utc)) == 0  # Sunday: moved on
    assert await run(client.app, datetime(2026, 3, 9, 15, 59, 59, tzinfo=timezone.utc)) == 0  # the last second
    assert await run(client.app, datetime(2026, 3, 9, 16, 0, 0, tzinfo=timezone.utc)) == 1  # 03-10 00:00 Beijing

    view = await (await client.get(f"/api/v1/cases/{quote(case['case_number'])}", headers=bearer(litigant))).json()
    assert view["status"] == "docketed"  # unchanged: a judge rules on 按撤诉处理
    assert view["fee_notices"][0]["status"] == "overdue"
    assert view["timeline"][-1]["action"] == "fee_overdue" and view["timeline"][-1]["actor"] == "系统"
    pay = await client.post("/api/v1/payments", json={"fee_notice_id": case["fee_notices"][0]["id"]},
                            headers=bearer(litigant))
    assert pay.status == 409 and (await pay.json())["error"] == "fee_overdue"
