"""POST /api/v1/staff/filings/{number}/review: 补正 (一次性告知), 不予立案, 立案 with case number and fee notice."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from authflow import (
    ALICE, bearer, counts, filing_body, has_chinese, review, set_clock, staff_token, submit, verify_litigant,
)
from court.services.review import fee_for

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)  # 2026-03-01 10:00 in Beijing
WRITES = ("cases", "fee_notices", "case_sequences", "events")


@pytest.fixture
async def parties(client, db_rows):
    """(litigant token, clerk token of 京0105) with the clock at T0."""
    set_clock(client, T0)
    return await verify_litigant(client, db_rows), await staff_token(client, "clerk1", "clerk", "京0105")


async def test_accept_dockets_with_a_case_number_and_a_fee_notice(client, db_rows, parties):
    litigant, clerk = parties
    filing = await submit(client, litigant)
    resp = await review(client, clerk, filing["id"], decision="accept")
    assert resp.status == 200
    view = await resp.json()
    assert view["filing"]["status"] == "docketed" and view["filing"]["status_label"] == "已立案"
    assert view["filing"]["case_number"] == "（2026）京0105民初1号"
    case = view["case"]
    assert case["case_number"] == "（2026）京0105民初1号" and case["status_label"] == "已立案"
    (notice,) = case["fee_notices"]
    assert notice["amount"] == "1050.00"  # 50 + (50000 − 10000) × 2.5 %
    assert notice["status"] == "unpaid" and notice["status_label"] == "待交费"
    assert "第十三条" in notice["basis"]
    # The 7 days run from service, not docketing (办法第二十二条): no deadline until served.
    assert notice["due_at"] is None and notice["served_at"] is None
    assert notice["due_note"] == "待送达：送达后自次日起算七日交费期限"
    assert [e["action"] for e in view["events"]] == ["submitted", "docketed", "fee_notice_issued"]
    assert view["events"][1]["actor"] == "staff:clerk1"
    assert view["events"][1]["before"] == "pending_review" and view["events"][1]["after"] == "docketed"

    assert await db_rows("SELECT court_code, type_code, year, last_seq FROM case_sequences") == [("京0105", "民初", 2026, 1)]
    assert await db_rows("SELECT case_number, seq, status FROM cases") == [("（2026）京0105民初1号", 1, "docketed")]
    assert await db_rows("SELECT amount, status FROM fee_notices") == [(105000, "unpaid")]

    mine = await client.get(f"/api/v1/filings/{filing['id']}", headers=bearer(litigant))
    assert (await mine.json())["case_number"] == "（2026）京0105民初1号"


async def test_correct_needs_every_item_at_once(client, db_rows, parties):
    litigant, clerk = parties
    filing = await submit(client, litigant)
    for body, field in (({}, "items"), ({"items": []}, "items"), ({"items": ["  "]}, "items[0]"),
                        ({"items": "补充证据"}, "items")):
        resp = await review(client, clerk, filing["id"], decision="correct", **body)
        assert resp.status == 422
        answer = await resp.json()
        assert answer["field"] == field and has_chinese(answer["message"])
    assert await counts(db_rows, *WRITES) == {"cases": 0, "fee_notices": 0, "case_sequences": 0, "events": 1}

    items = ["补充借条原件照片", "补充被告的统一社会信用代码", "补充借条原件照片"]
    resp = await review(client, clerk, filing["id"], decision="correct", items=items, reason="材料不齐")
    assert resp.status == 200
    assert (await resp.json())["filing"]["review"] == {"items": items[:2], "reason": "材料不齐"}
    mine = await (await client.get(f"/api/v1/filings/{filing['id']}", headers=bearer(litigant))).json()
    assert mine["status"] == "needs_correction" and mine["status_label"] == "需补正"
    assert mine["review"]["items"] == items[:2]
    events = await db_rows("SELECT action, before, after, actor FROM events ORDER BY id")
    assert events[-1] == ("correction_requested", "pending_review", "needs_correction", "staff:clerk1")

    # A filing waiting for its correction cannot be decided again until it is resubmitted.
    again = await review(client, clerk, filing["id"], decision="accept")
    assert again.status == 409 and has_chinese((await again.json())["message"])
    resub = await client.post(f"/api/v1/filings/{filing['id']}/resubmit",
                              json={"note": "已补充借条照片和信用代码", "facts": "补充后的事实。"}, headers=bearer(litigant))
    assert resub.status == 200
    body = await resub.json()
    assert body["status"] == "pending_review" and body["facts"] == "补充后的事实。" and body["review"] is None
    assert (await review(client, clerk, filing["id"], decision="accept")).status == 200


async def test_reject_needs_a_reason_and_is_final(client, db_rows, parties):
    litigant, clerk = parties
    filing = await submit(client, litigant)
    resp = await review(client, clerk, filing["id"], decision="reject")
    assert resp.status == 422 and (await resp.json())["error"] == "reason_required"
    resp = await review(client, clerk, filing["id"], decision="reject", reason="   ")
    assert resp.status == 422
    assert await db_rows("SELECT status FROM filings") == [("pending_review",)]

    resp = await review(client, clerk, filing["id"], decision="reject", reason="本院对该案没有管辖权")
    assert resp.status == 200
    assert (await resp.json())["filing"]["review"] == {"items": [], "reason": "本院对该案没有管辖权"}
    for decision in ({"decision": "accept"}, {"decision": "correct", "items": ["x"]},
                     {"decision": "reject", "reason": "再次"}):
        resp = await review(client, clerk, filing["id"], **decision)
        assert resp.status == 409
        assert "不予立案" in (await resp.json())["message"]
    assert await counts(db_rows, "cases", "case_sequences", "events") == {"cases": 0, "case_sequences": 0, "events": 2}


@pytest.mark.parametrize("body, status, field", [
    ({"decision": "approve"}, 422, "decision"),
    ({}, 422, "decision"),
    ({"decision": "accept", "items": ["x"]}, 422, "items"),
    ({"decision": "accept", "note": "x"}, 400, "note"),
    ({"decision": "reject", "reason": 5}, 422, "reason"),
])
async def test_bad_decisions_write_nothing(client, db_rows, parties, body, status, field):
    litigant, clerk = parties
    filing = await submit(client, litigant)
    resp = await review(client, clerk, filing["id"], **body)
    assert resp.status == status and (await resp.json())["field"] == field
    assert await counts(db_rows, *WRITES) == {"cases": 0, "fee_notices": 0, "case_sequences": 0, "events": 1}
    assert await db_rows("SELECT status FROM filings") == [("pending_review",)]


async def test_property_case_without_amount_cannot_be_docketed(client, db_rows, parties):
    litigant, clerk = parties
    filing = await submit(client, litigant, claims=[{"text": "判令被告归还借款"}])
    resp = await review(client, clerk, filing["id"], decision="accept")
    assert resp.status == 422
    answer = await resp.json()
    assert answer["error"] == "fee_not_computable" and "补正" in answer["message"]
    assert await counts(db_rows, *WRITES) == {"cases": 0, "fee_notices": 0, "case_sequences": 0, "events": 1}
    assert await db_rows("SELECT status FROM filings") == [("pending_review",)]


async def test_wage_claims_prepay_nothing(client, db_rows, parties):
    litigant, clerk = parties
    filing = await submit(client, litigant, case_type="追索劳动报酬纠纷", claims=[{"text": "支付拖欠工资", "amount": "8000"}])
    resp = await review(client, clerk, filing["id"], decision="accept")
    assert resp.status == 200
    view = await resp.json()
    assert view["case"]["fee_notices"] == []
    assert [e["action"] for e in view["events"]][-1] == "fee_exempt"
    assert "第二十条" in view["events"][-1]["description"]
    assert await counts(db_rows, "fee_notices", "cases") == {"fee_notices": 0, "cases": 1}


async def test_a_range_uses_its_minimum_and_says_so(client, db_rows, parties):
    litigant, clerk = parties
    filing = await submit(client, litigant, case_type="名誉权纠纷", claims=[{"text": "赔礼道歉"}])
    resp = await review(client, clerk, filing["id"], decision="accept")
    assert resp.status == 200
    (notice,) = (await resp.json())["case"]["fee_notices"]
    assert notice["amount"] == "100.00"
    assert "最低额" in notice["basis"] and "100.00元至500.00元" in notice["basis"]


def test_fee_for_uses_a_configured_provincial_figure():
    from court.rules import fees

    fees.PROVINCIAL_FIGURES["测试省"] = {"personality_rights": "300"}  # type: ignore[index]
    try:
        decision = fee_for("名誉权纠纷", None, "测试省")
    finally:
        del fees.PROVINCIAL_FIGURES["测试省"]  # type: ignore[attr-defined]
    assert decision.amount == Decimal("300.00") and "最低额" not in decision.basis


def test_fee_for_an_unlisted_cause_falls_back_and_says_so():
    decision = fee_for("某种新型纠纷", Decimal("100000"), None)
    assert decision.amount == Decimal("2300.00") and "不在案由目录中" in decision.basis


async def test_staff_see_only_their_court(client, db_rows, parties):
    litigant, clerk = parties
    other_court = await submit(client, litigant, court_code="京0108")
    resp = await review(client, clerk, other_court["id"], decision="accept")
    assert resp.status == 404
    assert (await client.get(f"/api/v1/staff/filings/{other_court['id']}", headers=bearer(clerk))).status == 404
    judge = await staff_token(client, "judge8", "judge", "京0108")
    assert (await review(client, judge, other_court["id"], decision="accept")).status == 200
    assert await db_rows("SELECT case_number FROM cases") == [("（2026）京0108民初1号",)]


async def test_litigants_and_admins_cannot_decide(client, db_rows, parties):
    litigant, _clerk = parties
    filing = await submit(client, litigant)
    assert (await review(client, litigant, filing["id"], decision="accept")).status == 401
    admin = await staff_token(client, "admin1", "admin")
    assert (await review(client, admin, filing["id"], decision="accept")).status == 403
    assert await counts(db_rows, *WRITES) == {"cases": 0, "fee_notices": 0, "case_sequences": 0, "events": 1}


async def test_unknown_filing_is_404(client, parties):
    _litigant, clerk = parties
    resp = await review(client, clerk, "LA20260101999999", decision="accept")
    assert resp.status == 404 and has_chinese((await resp.json())["message"])


async def test_sequences_run_per_court_type_and_year(client, db_rows, parties):
    litigant, clerk = parties
    judge = await staff_token(client, "judge8", "judge", "京0108")
    first = await submit(client, litigant)
    second = await submit(client, litigant)
    elsewhere = await submit(client, litigant, court_code="京0108")
    assert (await review(client, clerk, first["id"], decision="accept")).status == 200
    assert (await review(client, clerk, second["id"], decision="accept")).status == 200
    assert (await review(client, judge, elsewhere["id"], decision="accept")).status == 200
    set_clock(client, datetime(2027, 1, 1, 0, 0, tzinfo=timezone.utc))  # 08:00 on 1 January in Beijing
    token = await verify_litigant(client, db_rows)
    clerk27 = await staff_token(client, "clerk27", "clerk", "京0105")
    next_year = await submit(client, token)
    assert (await review(client, clerk27, next_year["id"], decision="accept")).status == 200
    rows = await db_rows("SELECT case_number FROM cases ORDER BY id")
    assert [r[0] for r in rows] == ["（2026）京0105民初1号", "（2026）京0105民初2号", "（2026）京0108民初1号",
                                    "（2027）京0105民初1号"]


async def test_twenty_concurrent_accepts_get_twenty_consecutive_numbers(client, db_rows, parties):
    litigant, clerk = parties
    filings = [await submit(client, litigant) for _ in range(20)]
    responses = await asyncio.gather(*[review(client, clerk, f["id"], decision="accept") for f in filings])
    assert [r.status for r in responses] == [200] * 20
    seqs = sorted(s for (s,) in await db_rows("SELECT seq FROM cases"))
    assert seqs == list(range(1, 21))
    numbers = {(await r.json())["case"]["case_number"] for r in responses}
    assert numbers == {f"（2026）京0105民初{i}号" for i in range(1, 21)}
    assert await db_rows("SELECT last_seq FROM case_sequences") == [(20,)]
    assert await counts(db_rows, "fee_notices") == {"fee_notices": 20}


async def test_concurrent_accepts_of_one_filing_docket_it_once(client, db_rows, parties):
    litigant, clerk = parties
    filing = await submit(client, litigant)
    responses = await asyncio.gather(*[review(client, clerk, filing["id"], decision="accept") for _ in range(5)])
    assert sorted(r.status for r in responses) == [200] + [409] * 4
    assert await counts(db_rows, "cases", "fee_notices") == {"cases": 1, "fee_notices": 1}
    assert await db_rows("SELECT last_seq FROM case_sequences") == [(1,)]


async def test_withdrawn_filings_cannot_be_reviewed(client, db_rows, parties):
    litigant, clerk = parties
    filing = await submit(client, litigant)
    assert (await client.post(f"/api/v1/filings/{filing['id']}/cancel", headers=bearer(litigant))).status == 200
    resp = await review(client, clerk, filing["id"], decision="accept")
    assert resp.status == 409 and "已撤回" in (await resp.json())["message"]
    assert await counts(db_rows, "cases", "case_sequences") == {"cases": 0, "case_sequences": 0}


async def test_alice_is_the_filer(client, db_rows, parties):
    """The submission event records whether the filer is a party (here the plaintiff)."""
    litigant, clerk = parties
    filing = await submit(client, litigant)
    view = await (await client.get(f"/api/v1/staff/filings/{filing['id']}", headers=bearer(clerk))).json()
    assert view["filer"] == {"name": ALICE["name"], "id_number": ALICE["id_number"], "phone": ALICE["phone"]}
    assert view["events"][0]["detail"] == {"filer": "party", "filer_role": "plaintiff"}
    assert filing_body()["parties"][0]["id_number"] == ALICE["id_number"]
