"""需补正 carries its 指定期限 (登记立案规定第七条): computed with the holiday calendar, shown to the litigant,
flagged in the staff queue, and a missed one returns the filing with a notice (court/jobs/deadlines.py)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from authflow import bearer, has_chinese, review, set_clock, staff_token, submit, verify_litigant
from court.infra.app_keys import SESSIONMAKER
from court.jobs.deadlines import mark_correction_missed

T0 = datetime(2026, 9, 15, 2, 0, tzinfo=timezone.utc)  # 2026-09-15 10:00 in Beijing


@pytest.fixture
async def parties(client, db_rows):
    clock = set_clock(client, T0)
    return await verify_litigant(client, db_rows), await staff_token(client, "clerk1", "clerk", "京0105"), clock


async def test_default_fifteen_days_shown_to_both_sides(client, parties):
    litigant, clerk, _clock = parties
    filing = await submit(client, litigant)
    view = await (await review(client, clerk, filing["id"], decision="correct", items=["补充借条原件照片"])).json()
    # from 9月16日, 15 days end on 9月30日 — a working day: due at 24:00 of 9月30日
    assert view["filing"]["correction_due"] == "2026-09-30T16:00:00+00:00"
    mine = await (await client.get(f"/api/v1/filings/{filing['id']}", headers=bearer(litigant))).json()
    assert mine["correction_due"] == view["filing"]["correction_due"]
    assert "2026年9月30日24时前补正" in view["events"][-1]["description"]


async def test_an_entered_period_ending_in_the_holiday_moves_to_the_first_working_day(client, parties):
    litigant, clerk, _clock = parties
    filing = await submit(client, litigant)
    view = await (await review(client, clerk, filing["id"], decision="correct", items=["补充证据"],
                               correction_days=20)).json()
    # 9月16日 + 20 days = 10月5日, inside 国庆 (10月1日–7日): the period ends 10月8日 (民诉法第八十五条)
    assert view["filing"]["correction_due"] == "2026-10-08T16:00:00+00:00"


@pytest.mark.parametrize("body", [{"correction_days": 0}, {"correction_days": 91}, {"correction_days": "15"},
                                  {"correction_days": True}])
async def test_a_bad_period_is_refused_and_nothing_changes(client, parties, body):
    litigant, clerk, _clock = parties
    filing = await submit(client, litigant)
    resp = await review(client, clerk, filing["id"], decision="correct", items=["补充证据"], **body)
    answer = await resp.json()
    assert resp.status == 422 and answer["field"] == "correction_days" and has_chinese(answer["message"])
    mine = await (await client.get(f"/api/v1/filings/{filing['id']}", headers=bearer(litigant))).json()
    assert mine["status"] == "pending_review" and mine["correction_due"] is None


async def test_the_queue_flags_due_today_and_overdue_and_a_missed_period_returns_the_filing(client, db_rows, parties):
    litigant, clerk, clock = parties
    filing = await submit(client, litigant)
    await review(client, clerk, filing["id"], decision="correct", items=["补充证据"], correction_days=1)  # 9月16日

    logins = iter(range(2, 9))

    async def flag() -> str | None:  # a fresh login each time: the clock jumps past a session's 12 hours
        token = await staff_token(client, f"clerk{next(logins)}", "clerk", "京0105")
        queue = await (await client.get("/api/v1/staff/filings?status=needs_correction", headers=bearer(token))).json()
        return queue["filings"][0]["deadline_flag"]

    assert await flag() is None
    clock.current = datetime(2026, 9, 16, 15, 59, tzinfo=timezone.utc)  # 23:59 of the last day
    assert await flag() == "due_today"
    async with client.app[SESSIONMAKER]() as session:
        assert await mark_correction_missed(session, clock.current) == 0  # in time until 24:00
    clock.current = datetime(2026, 9, 16, 16, 0, tzinfo=timezone.utc)  # 24:00
    assert await flag() == "overdue"
    async with client.app[SESSIONMAKER]() as session:
        assert await mark_correction_missed(session, clock.current) == 1
        assert await mark_correction_missed(session, clock.current) == 0  # once
    token = await staff_token(client, "clerk9", "clerk", "京0105")
    mine = (await (await client.get(f"/api/v1/staff/filings/{filing['id']}", headers=bearer(token))).json())["filing"]
    assert mine["status"] == "rejected" and "登记立案若干问题的规定》第七条" in mine["review"]["reason"]
    assert "2026年9月16日24时前" in mine["review"]["reason"]
    assert await db_rows("SELECT action, actor FROM events ORDER BY id DESC LIMIT 1") == [("rejected", "system:deadlines")]


async def test_a_correction_in_time_clears_the_period(client, parties):
    litigant, clerk, _clock = parties
    filing = await submit(client, litigant)
    await review(client, clerk, filing["id"], decision="correct", items=["补充证据"])
    resp = await client.post(f"/api/v1/filings/{filing['id']}/resubmit", json={"note": "已补充"}, headers=bearer(litigant))
    assert resp.status == 200
    assert (await resp.json())["correction_due"] is None
