"""Finding 3 (issue 9): a litigant could point a ticket, a filing or a draft at someone else's
conversation id; staff answers and court notices about their matters then went there."""
from __future__ import annotations

import re

from authflow import ALICE, BOB, bearer, filing_body, last_code, verify_litigant

from court.infra.app_keys import SETTINGS

ALICE_CONV, BOB_CONV = "wx:oAlice000000000000000000000", "wx:oBob00000000000000000000000"


async def test_a_ticket_filing_or_draft_stays_in_the_litigants_own_conversation(client, db_rows):
    await verify_litigant(client, db_rows, ALICE, conversation=ALICE_CONV, channel="wechat")
    bob = await verify_litigant(client, db_rows, BOB, conversation=BOB_CONV, channel="wechat")
    aim = {"conversation_id": ALICE_CONV, "channel": "wechat"}

    resp = await client.post("/api/v1/tickets", json={**aim, "question": "请问开庭时间？"}, headers=bearer(bob))
    assert resp.status == 201
    resp = await client.post("/api/v1/filings", json=filing_body(**aim), headers=bearer(bob))
    assert resp.status == 201
    resp = await client.put("/api/v1/drafts/current", json={"data": {"facts": "x"}, **aim}, headers=bearer(bob))
    assert resp.status == 200

    for table in ("tickets", "filings", "filing_drafts"):
        assert await db_rows(f"SELECT conversation_id FROM {table}") == [(BOB_CONV,)], table


async def test_only_the_action_server_names_the_conversation_at_confirm(client, db_rows):
    client.app[SETTINGS].extra["bot_key"] = "bot-key-for-tests"
    resp = await client.post("/api/v1/identity/verify", json=BOB)
    challenge = (await resp.json())["challenge_id"]
    code = await last_code(db_rows, BOB["phone"])
    claim = {"challenge_id": challenge, "code": code, "conversation_id": ALICE_CONV}
    for headers in ({}, {"X-Court-Bot-Key": "guess"}):
        resp = await client.post("/api/v1/identity/confirm", json=claim, headers=headers)
        assert resp.status == 403
        assert (await resp.json())["error"] == "conversation_not_allowed"
    assert await db_rows("SELECT count(*) FROM tokens") == [(0,)]
    resp = await client.post("/api/v1/identity/confirm", json=claim, headers={"X-Court-Bot-Key": "bot-key-for-tests"})
    assert resp.status == 200 and (await resp.json())["conversation_id"] == ALICE_CONV


async def test_the_litigant_rest_channel_learns_the_conversation_from_the_token(client, db_rows):
    direct = await verify_litigant(client, db_rows)  # no conversation named: the backend makes one
    resp = await client.get("/api/v1/conversations/self", headers=bearer(direct))
    assert resp.status == 200
    own = (await resp.json())["conversation_id"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", own)
    assert await db_rows("SELECT conversation_id FROM tokens") == [(f"rest:{own}",)]
    wechat = await verify_litigant(client, db_rows, BOB, conversation=BOB_CONV, channel="wechat")
    assert (await client.get("/api/v1/conversations/self", headers=bearer(wechat))).status == 404
    assert (await client.get("/api/v1/conversations/self")).status == 401
