"""The filing decision clock (民诉法第一百二十六条; 登记立案若干问题的规定第七条、第八条): a pending filing
carries the day the court decides by, counted again from a correction; the staff queue puts the
filing due first at the top."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from authflow import bearer, review, set_clock, staff_token, submit, verify_litigant

BEIJING = timezone(timedelta(hours=8))


async def test_decision_due_runs_from_receipt_and_restarts_from_the_correction_past_guoqing(client, db_rows):
    set_clock(client, datetime(2026, 9, 23, 13, 0, tzinfo=BEIJING))
    litigant = await verify_litigant(client, db_rows)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    first = await submit(client, litigant)
    assert first["decision_due"] == "2026-09-30T16:00:00+00:00"  # 09-24 … 09-30, 24:00 Beijing
    set_clock(client, datetime(2026, 9, 23, 14, 0, tzinfo=BEIJING))
    second = await submit(client, litigant)
    corrected = await review(client, clerk, first["id"], decision="correct", items=["补充借条照片"])
    assert (await corrected.json())["filing"]["decision_due"] is None  # not pending: the court waits on the litigant

    set_clock(client, datetime(2026, 9, 24, 0, 30, tzinfo=BEIJING))  # the correction arrives after midnight
    resub = await client.post(f"/api/v1/filings/{first['id']}/resubmit", json={"note": "已补充"}, headers=bearer(litigant))
    assert resub.status == 200, await resub.text()
    # counted again from 09-25; the 7th day 10-01 is 国庆 → the first working day 10-08, 24:00 Beijing
    assert (await resub.json())["decision_due"] == "2026-10-08T16:00:00+00:00"

    queue = await client.get("/api/v1/staff/filings?status=pending_review", headers=bearer(clerk))
    assert queue.status == 200
    assert [f["id"] for f in (await queue.json())["filings"]] == [second["id"], first["id"]]  # due first
