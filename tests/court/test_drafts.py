"""Drafts (待提交) on SQLite and PostgreSQL: one per litigant, offered back for 30 days, gone once filed."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from authflow import BOB, bearer, filing_body, has_chinese, set_clock, submit, verify_litigant
from court.infra.app_keys import SESSIONMAKER
from court.infra.errors import status_of
from court.services import drafts
from court.services.errors import DomainError

URL = "/api/v1/drafts/current"
START = datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing
SLOTS = {"case_type": "民间借贷纠纷", "defendant_name": "李四", "amount": "50000", "requested_slot": "facts"}


@pytest.fixture
async def two(client, db_rows):
    clock = set_clock(client, START)
    return (await verify_litigant(client, db_rows, conversation="c-1", channel="socketio"),
            await verify_litigant(client, db_rows, BOB), clock)


async def set_updated_at(client, when: datetime) -> None:
    async with client.app[SESSIONMAKER]() as session:
        await session.execute(text("UPDATE filing_drafts SET updated_at = :at"), {"at": when})
        await session.commit()


# --- pure ---------------------------------------------------------------------------------------


def test_summary_says_what_is_known_and_when_it_was_saved():
    assert drafts.summary(SLOTS, START) == "民间借贷纠纷，被告李四，标的额50,000.00元，2026年11月28日保存"
    late = datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc)  # already the 29th in Beijing
    assert drafts.summary({}, late) == "立案信息草稿，2026年11月29日保存"
    shaped = {"case_type": "买卖合同纠纷", "parties": [
        {"role": "plaintiff", "name": "张三"}, {"role": "defendant", "name": "甲公司"},
        {"role": "defendant", "name": "乙公司"}, {"role": "defendant", "name": "丙公司"}]}
    assert drafts.summary(shaped, START) == "买卖合同纠纷，被告甲公司、乙公司等，2026年11月28日保存"
    odd = {"case_type": 5, "defendant_name": ["x"], "amount": "五万", "parties": "none"}
    assert drafts.summary(odd, START) == "立案信息草稿，2026年11月28日保存"


@pytest.mark.parametrize("body, status, field", [
    ({}, 422, "data"),
    ({"data": None}, 422, "data"),
    ({"data": ["a"]}, 422, "data"),
    ({"data": "text"}, 422, "data"),
    ({"data": {}, "extra": 1}, 400, "extra"),
    ({"data": {}, "conversation_id": 5}, 422, "conversation_id"),
    ({"data": {}, "channel": "x" * 33}, 422, "channel"),
    ({"data": {"facts": "字" * 30_000}}, 413, "data"),  # 90 KB of UTF-8: over 64 KiB
])
def test_bad_drafts_are_refused_in_chinese(body, status, field):
    with pytest.raises(DomainError) as err:
        drafts.parse_draft(body)
    assert (status_of(err.value), err.value.field) == (status, field) and has_chinese(err.value.message)


def test_a_draft_just_under_the_limit_fits():
    data = {"facts": "x" * (drafts.MAX_DATA_BYTES - len('{"facts":""}'))}
    assert drafts.parse_draft({"data": data}).data == data
    with pytest.raises(DomainError):
        drafts.parse_draft({"data": {"facts": data["facts"] + "x"}})


# --- API ----------------------------------------------------------------------------------------


async def test_save_read_replace_and_delete(client, db_rows, two):
    alice, _bob, clock = two
    resp = await client.put(URL, json={"data": SLOTS, "conversation_id": "c-1", "channel": "socketio"},
                            headers=bearer(alice))
    assert resp.status == 200
    saved = await resp.json()
    assert saved == {"data": SLOTS, "conversation_id": "c-1", "channel": "socketio",
                     "updated_at": START.isoformat(), "summary": "民间借贷纠纷，被告李四，标的额50,000.00元，2026年11月28日保存"}
    got = await client.get(URL, headers=bearer(alice))
    assert got.status == 200 and await got.json() == saved

    clock.advance(hours=1)
    changed = dict(SLOTS, defendant_name="王五")
    resp = await client.put(URL, json={"data": changed}, headers=bearer(alice))
    assert resp.status == 200
    got = await (await client.get(URL, headers=bearer(alice))).json()
    # The conversation is the token's whatever the body says (issue 9).
    assert got["data"] == changed and got["conversation_id"] == "c-1" and "被告王五" in got["summary"]
    assert got["updated_at"] == (START + timedelta(hours=1)).isoformat()
    assert await db_rows("SELECT count(*) FROM filing_drafts") == [(1,)]

    assert (await client.delete(URL, headers=bearer(alice))).status == 204
    assert (await client.delete(URL, headers=bearer(alice))).status == 204  # idempotent
    missing = await client.get(URL, headers=bearer(alice))
    body = await missing.json()
    assert missing.status == 404 and body["error"] == "not_found" and has_chinese(body["message"])


async def test_each_litigant_has_their_own_draft(client, two):
    alice, bob, _clock = two
    await client.put(URL, json={"data": SLOTS}, headers=bearer(alice))
    assert (await client.get(URL, headers=bearer(bob))).status == 404
    assert (await client.delete(URL, headers=bearer(bob))).status == 204
    assert (await client.get(URL, headers=bearer(alice))).status == 200


async def test_drafts_need_a_litigant_token(client):
    for method in ("get", "put", "delete"):
        resp = await getattr(client, method)(URL, json={"data": {}} if method == "put" else None)
        assert resp.status == 401 and has_chinese((await resp.json())["message"])


async def test_bad_bodies_store_nothing(client, db_rows, two):
    alice, _bob, _clock = two
    cases = [
        (b"{not json", "application/json", 400),
        (b"[1]", "application/json", 400),
        (b"data=x", "application/x-www-form-urlencoded", 415),
        (json.dumps({"data": {"facts": "字" * 30_000}}, ensure_ascii=False).encode(), "application/json", 413),
        (json.dumps({"data": [1, 2]}).encode(), "application/json", 422),
        (json.dumps({"data": {}, "litigant_id": 2}).encode(), "application/json", 400),
    ]
    for data, content_type, status in cases:
        resp = await client.put(URL, data=data, headers={"Content-Type": content_type, **bearer(alice)})
        assert resp.status == status and has_chinese((await resp.json())["message"]), data[:40]
    assert await db_rows("SELECT count(*) FROM filing_drafts") == [(0,)]


async def test_a_draft_older_than_30_days_is_not_offered(client, db_rows, two):
    alice, _bob, _clock = two
    await client.put(URL, json={"data": SLOTS}, headers=bearer(alice))
    await set_updated_at(client, START - timedelta(days=29, hours=23))
    assert (await client.get(URL, headers=bearer(alice))).status == 200
    await set_updated_at(client, START - timedelta(days=30, minutes=1))
    assert (await client.get(URL, headers=bearer(alice))).status == 404
    assert await db_rows("SELECT count(*) FROM filing_drafts") == [(0,)]  # deleted when seen


async def test_purge_removes_only_stale_drafts(client, db_rows, two):
    alice, bob, _clock = two
    await client.put(URL, json={"data": SLOTS}, headers=bearer(alice))
    await set_updated_at(client, START - timedelta(days=31))
    await client.put(URL, json={"data": {"case_type": "离婚纠纷"}}, headers=bearer(bob))
    async with client.app[SESSIONMAKER]() as session:
        assert await drafts.purge(session, START) == 1
    rows = await db_rows("SELECT data FROM filing_drafts")
    assert len(rows) == 1
    data = rows[0][0]
    assert (json.loads(data) if isinstance(data, str) else data) == {"case_type": "离婚纠纷"}


async def test_filing_deletes_the_filers_draft_and_only_theirs(client, db_rows, two):
    alice, bob, _clock = two
    await client.put(URL, json={"data": SLOTS}, headers=bearer(alice))
    await client.put(URL, json={"data": SLOTS}, headers=bearer(bob))
    refused = await client.post("/api/v1/filings", json=filing_body(claims=[]), headers=bearer(alice))
    assert refused.status == 422
    assert (await client.get(URL, headers=bearer(alice))).status == 200  # a refused filing keeps the draft
    await submit(client, alice)
    assert (await client.get(URL, headers=bearer(alice))).status == 404
    assert (await client.get(URL, headers=bearer(bob))).status == 200
    assert await db_rows("SELECT count(*) FROM filing_drafts") == [(1,)]
