"""Filings belong to their filer: listing, reading, CancelFiling and resubmission, and what others get (404)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from authflow import BOB, bearer, counts, filing_body, has_chinese, review, set_clock, staff_token, submit, verify_litigant


@pytest.fixture
async def two(client, db_rows):
    set_clock(client, datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))
    return await verify_litigant(client, db_rows), await verify_litigant(client, db_rows, BOB)


async def test_each_litigant_lists_only_their_filings_newest_first(client, two):
    alice, bob = two
    a1 = await submit(client, alice)
    b1 = await submit(client, bob)
    a2 = await submit(client, alice, case_type="买卖合同纠纷")
    resp = await client.get("/api/v1/filings", headers=bearer(alice))
    assert resp.status == 200
    listed = (await resp.json())["filings"]
    assert [f["id"] for f in listed] == [a2["id"], a1["id"]]
    assert listed[0]["status_label"] == "待审核" and listed[0]["case_type"] == "买卖合同纠纷"
    assert [f["id"] for f in (await (await client.get("/api/v1/filings", headers=bearer(bob))).json())["filings"]] == [b1["id"]]


async def test_another_litigants_filing_is_404_like_a_missing_one(client, db_rows, two):
    alice, bob = two
    filing = await submit(client, alice)
    theirs = await client.get(f"/api/v1/filings/{filing['id']}", headers=bearer(bob))
    missing = await client.get("/api/v1/filings/LA20260301999999", headers=bearer(bob))
    assert theirs.status == missing.status == 404
    assert await theirs.json() == await missing.json()

    for action, body in (("cancel", None), ("resubmit", {"note": "试图修改"})):
        resp = await client.post(f"/api/v1/filings/{filing['id']}/{action}", json=body, headers=bearer(bob))
        assert resp.status == 404
    assert await db_rows("SELECT status FROM filings") == [("pending_review",)]
    assert await counts(db_rows, "events") == {"events": 1}


async def test_cancel_while_pending_then_never_again(client, db_rows, two):
    alice, _bob = two
    filing = await submit(client, alice)
    resp = await client.post(f"/api/v1/filings/{filing['id']}/cancel", json={"reason": "已与被告和解"}, headers=bearer(alice))
    assert resp.status == 200
    body = await resp.json()
    assert body["status"] == "withdrawn" and body["status_label"] == "已撤回"
    litigant_id = (await db_rows("SELECT id FROM litigants WHERE phone = '13800138000'"))[0][0]
    events = await db_rows("SELECT action, before, after, actor FROM events ORDER BY id")
    assert events[-1] == ("withdrawn", "pending_review", "withdrawn", f"litigant:{litigant_id}")

    again = await client.post(f"/api/v1/filings/{filing['id']}/cancel", headers=bearer(alice))
    assert again.status == 409
    answer = await again.json()
    assert answer["error"] == "invalid_transition" and "已撤回" in answer["message"]
    assert await counts(db_rows, "events") == {"events": 2}


async def test_cancel_while_needs_correction(client, db_rows, two):
    alice, _bob = two
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    filing = await submit(client, alice)
    assert (await review(client, clerk, filing["id"], decision="correct", items=["补充证据"])).status == 200
    resp = await client.post(f"/api/v1/filings/{filing['id']}/cancel", headers=bearer(alice))
    assert resp.status == 200 and (await resp.json())["status"] == "withdrawn"


async def test_a_docketed_filing_cannot_be_cancelled(client, db_rows, two):
    alice, _bob = two
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    filing = await submit(client, alice)
    assert (await review(client, clerk, filing["id"], decision="accept")).status == 200
    resp = await client.post(f"/api/v1/filings/{filing['id']}/cancel", headers=bearer(alice))
    assert resp.status == 409 and "已立案" in (await resp.json())["message"]
    assert await db_rows("SELECT status FROM filings") == [("docketed",)]


@pytest.mark.parametrize("body, status", [({"why": "x"}, 400), ({"reason": 5}, 422), ({"reason": "x" * 501}, 422)])
async def test_bad_cancel_bodies_change_nothing(client, db_rows, two, body, status):
    alice, _bob = two
    filing = await submit(client, alice)
    resp = await client.post(f"/api/v1/filings/{filing['id']}/cancel", json=body, headers=bearer(alice))
    assert resp.status == status and has_chinese((await resp.json())["message"])
    assert await db_rows("SELECT status FROM filings") == [("pending_review",)]
    assert await counts(db_rows, "events") == {"events": 1}


async def test_resubmit_replaces_claims_and_recomputes_the_amount(client, db_rows, two):
    alice, _bob = two
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    filing = await submit(client, alice)
    assert (await review(client, clerk, filing["id"], decision="correct", items=["请明确利息的计算方式"])).status == 200
    claims = [{"text": "判令被告归还借款5万元", "amount": "50000"}, {"text": "判令被告支付利息", "amount": "3000.50"}]
    resp = await client.post(f"/api/v1/filings/{filing['id']}/resubmit", json={"note": "已明确利息", "claims": claims},
                             headers=bearer(alice))
    assert resp.status == 200
    body = await resp.json()
    assert body["amount"] == "53000.50" and [c["amount"] for c in body["claims"]] == ["50000.00", "3000.50"]
    assert body["status"] == "pending_review" and body["review"] is None
    detail = await client.get(f"/api/v1/staff/filings/{filing['id']}", headers=bearer(clerk))
    last = (await detail.json())["events"][-1]
    assert last["action"] == "resubmitted" and last["detail"]["requested_items"] == ["请明确利息的计算方式"]
    assert await db_rows("SELECT count(*) FROM claims") == [(2,)]


@pytest.mark.parametrize("body, status, field", [
    ({}, 422, "note"),
    ({"note": "x", "claims": []}, 422, "claims"),
    ({"note": "x", "claims": [{"text": "y", "amount": 1.5}]}, 422, "claims[0].amount"),
    ({"note": "x", "amount": "1"}, 400, "amount"),
    # parties: the same rules and messages as on creation (民事诉讼法 art. 122, 124)
    ({"note": "x", "parties": []}, 422, "parties"),
    ({"note": "x", "parties": [{"role": "plaintiff", "name": "张三", "id_number": "11010519491231002X",
                                "phone": "13800138000"}]}, 422, "parties"),
    # valid claims beside invalid parties: nothing at all is written
    ({"note": "x", "claims": [{"text": "判令被告归还借款", "amount": "1"}],
      "parties": [{"role": "plaintiff", "name": "张三", "id_number": "110105194912310021", "phone": "13800138000"},
                  {"role": "defendant", "name": "李四"}]}, 422, "parties[0].id_number"),
    ({"note": "x", "evidence": [{"name": "借条", "page": 1}]}, 400, "evidence[0].page"),
    ({"note": "x", "evidence": [{"name": ""}]}, 422, "evidence[0].name"),
    ({"note": "x", "evidence": "借条"}, 400, "evidence"),
])
async def test_bad_resubmissions_change_nothing(client, db_rows, two, body, status, field):
    alice, _bob = two
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    filing = await submit(client, alice)
    assert (await review(client, clerk, filing["id"], decision="correct", items=["补充证据"])).status == 200
    before = await counts(db_rows, "documents")
    resp = await client.post(f"/api/v1/filings/{filing['id']}/resubmit", json=body, headers=bearer(alice))
    answer = await resp.json()
    assert resp.status == status and answer["field"] == field and has_chinese(answer["message"])
    assert await db_rows("SELECT status FROM filings") == [("needs_correction",)]
    assert await counts(db_rows, "events", "claims", "parties") == {"events": 2, "claims": 1, "parties": 2}
    assert await counts(db_rows, "documents") == before
    assert await db_rows("SELECT name FROM parties ORDER BY position") == [("张三",), ("北京某某科技有限公司",)]


async def test_only_a_filing_awaiting_correction_can_be_resubmitted(client, db_rows, two):
    alice, _bob = two
    filing = await submit(client, alice)
    resp = await client.post(f"/api/v1/filings/{filing['id']}/resubmit", json={"note": "x"}, headers=bearer(alice))
    assert resp.status == 409 and has_chinese((await resp.json())["message"])
    assert await counts(db_rows, "events") == {"events": 1}


async def test_idempotency_keys_are_per_litigant(client, db_rows, two):
    alice, bob = two
    first = await client.post("/api/v1/filings", json=filing_body(), headers={"Idempotency-Key": "k", **bearer(alice)})
    second = await client.post("/api/v1/filings", json=filing_body(), headers={"Idempotency-Key": "k", **bearer(bob)})
    assert first.status == second.status == 201
    assert (await first.json())["id"] != (await second.json())["id"]
    assert await counts(db_rows, "filings") == {"filings": 2}


async def test_an_agent_may_file_and_is_recorded_as_such(client, db_rows, two):
    _alice, bob = two  # Bob is not among the parties of the standard body
    filing = await submit(client, bob)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    view = await (await client.get(f"/api/v1/staff/filings/{filing['id']}", headers=bearer(clerk))).json()
    assert view["events"][0]["detail"] == {"filer": "agent", "filer_role": None}
    assert "代理人" in view["events"][0]["description"]
    assert view["filer"]["name"] == BOB["name"]


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/filings"),
    ("GET", "/api/v1/filings/LA20260301000001"),
    ("POST", "/api/v1/filings/LA20260301000001/cancel"),
    ("POST", "/api/v1/filings/LA20260301000001/resubmit"),
])
async def test_every_filing_endpoint_needs_a_token(client, method, path):
    resp = await client.request(method, path, json={"note": "x"} if method == "POST" else None)
    assert resp.status == 401 and has_chinese((await resp.json())["message"])
