"""实名认证: POST /api/v1/identity/verify and /confirm — codes, expiry, attempts, limits, nothing leaked."""
from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import datetime, timedelta, timezone

import pytest

from authflow import ALICE, BOB, bearer, counts, has_chinese, last_code, set_clock, verify_litigant
from court.infra.app_keys import SETTINGS
from court.infra.sms import SmsError

TABLES = ("identity_challenges", "sms_outbox", "litigants", "tokens")


async def start(client, person=ALICE) -> dict:
    resp = await client.post("/api/v1/identity/verify", json=person)
    assert resp.status == 202, await resp.text()
    return await resp.json()


async def confirm(client, challenge_id: str, code: str):
    return await client.post("/api/v1/identity/confirm", json={"challenge_id": challenge_id, "code": code})


async def test_verify_sends_a_code_and_stores_only_its_hash(client, db_rows, caplog):
    caplog.set_level(logging.INFO)
    body = await start(client, {**ALICE, "phone": "+86 138-0013-8000", "id_number": "11010519491231002x"})
    assert body["expires_in"] == 300 and body["phone_masked"] == "138****8000"
    assert len(body["challenge_id"]) >= 20

    rows = await db_rows("SELECT name, id_number, phone, code_hash, attempts, used FROM identity_challenges")
    assert len(rows) == 1
    name, id_number, phone, code_hash, attempts, used = rows[0]
    assert (name, id_number, phone, attempts, bool(used)) == ("张三", "11010519491231002X", "13800138000", 0, False)
    code = await last_code(db_rows, "13800138000")
    assert len(code) == 6 and code not in code_hash and len(code_hash) == 64
    assert "5分钟" in (await db_rows("SELECT text FROM sms_outbox"))[0][0]
    # The log names the phone masked only, never the number or the ID number.
    assert "138****8000" in caplog.text
    assert "13800138000" not in caplog.text and "11010519491231002X" not in caplog.text


async def test_confirm_creates_the_litigant_and_a_24h_token(client, db_rows):
    clock = set_clock(client, datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))
    challenge = (await start(client))["challenge_id"]
    code = await last_code(db_rows, ALICE["phone"])
    resp = await confirm(client, challenge, code)
    assert resp.status == 200
    body = await resp.json()
    assert body["litigant"] == {"name": "张三", "id_number_masked": "110***********002X", "phone_masked": "138****8000"}
    assert datetime.fromisoformat(body["expires_at"]) == clock() + timedelta(hours=24)
    assert len(body["token"]) >= 43

    assert await db_rows("SELECT name, id_number, phone FROM litigants") == [("张三", "11010519491231002X", "13800138000")]
    hashes = await db_rows("SELECT token_hash, staff_id FROM tokens")
    assert hashes == [(hashlib.sha256(body["token"].encode()).hexdigest(), None)]
    assert [bool(u) for (u,) in await db_rows("SELECT used FROM identity_challenges")] == [True]

    again = await confirm(client, challenge, code)
    assert again.status == 410 and (await again.json())["error"] == "challenge_used"
    assert (await counts(db_rows, "tokens"))["tokens"] == 1

    ok = await client.get("/api/v1/filings", headers=bearer(body["token"]))
    assert ok.status == 200


async def test_concurrent_confirms_of_one_code_give_one_token(client, db_rows):
    challenge = (await start(client))["challenge_id"]
    code = await last_code(db_rows, ALICE["phone"])
    responses = await asyncio.gather(*[confirm(client, challenge, code) for _ in range(4)])
    assert sorted(r.status for r in responses) == [200, 410, 410, 410]
    assert await counts(db_rows, "litigants", "tokens") == {"litigants": 1, "tokens": 1}


async def test_a_provider_confirmed_verification_moves_the_phone_and_ends_old_tokens(client, db_rows):
    await verify_litigant(client, db_rows)
    # court/data/identity_registry.json: the carrier knows 张三 with this ID number on 136 0013 6000.
    await verify_litigant(client, db_rows, {**ALICE, "phone": "13600136000"})
    assert await db_rows("SELECT name, phone FROM litigants") == [("张三", "13600136000")]
    assert (await counts(db_rows, "tokens"))["tokens"] == 1


@pytest.mark.parametrize("change, status, field", [
    ({"id_number": "110105194912310021"}, 422, "id_number"),
    ({"id_number": "110105199902300012"}, 422, "id_number"),
    ({"phone": "12345678901"}, 422, "phone"),
    ({"phone": "1380013800"}, 422, "phone"),
    ({"name": ""}, 422, "name"),
    ({"name": "张3"}, 422, "name"),
    ({"name": 7}, 422, "name"),
    ({"extra": 1}, 400, "extra"),
])
async def test_bad_verify_requests_are_refused_and_nothing_stored(client, db_rows, change, status, field):
    resp = await client.post("/api/v1/identity/verify", json={**ALICE, **change})
    assert resp.status == status
    body = await resp.json()
    assert body["field"] == field and has_chinese(body["message"])
    assert await counts(db_rows, *TABLES) == dict.fromkeys(TABLES, 0)


async def test_verify_needs_json(client, db_rows):
    resp = await client.post("/api/v1/identity/verify", data=b"name=x", headers={"Content-Type": "text/plain"})
    assert resp.status == 415
    assert await counts(db_rows, *TABLES) == dict.fromkeys(TABLES, 0)


async def test_five_codes_per_phone_per_hour(client, db_rows):
    clock = set_clock(client, datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))
    for _ in range(5):
        await start(client)
        clock.advance(minutes=5)
    resp = await client.post("/api/v1/identity/verify", json=ALICE)
    assert resp.status == 429
    body = await resp.json()
    assert body["error"] == "too_many_requests" and "每小时" in body["message"]
    assert resp.headers["Retry-After"] == str(35 * 60)  # the 02:00 code leaves the hour at 03:00
    assert await counts(db_rows, "identity_challenges", "sms_outbox") == {"identity_challenges": 5, "sms_outbox": 5}
    other = await client.post("/api/v1/identity/verify", json=BOB)  # another phone is not affected
    assert other.status == 202
    clock.advance(minutes=36)  # the first code is now more than an hour old
    assert (await client.post("/api/v1/identity/verify", json=ALICE)).status == 202


async def test_concurrent_verifies_cannot_beat_the_limit(client, db_rows):
    responses = await asyncio.gather(*[client.post("/api/v1/identity/verify", json=ALICE) for _ in range(9)])
    assert sorted(r.status for r in responses) == [202] * 5 + [429] * 4
    assert await counts(db_rows, "identity_challenges", "sms_outbox") == {"identity_challenges": 5, "sms_outbox": 5}


async def test_wrong_codes_count_and_the_fifth_kills_the_challenge(client, db_rows):
    challenge = (await start(client))["challenge_id"]
    code = await last_code(db_rows, ALICE["phone"])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        resp = await confirm(client, challenge, wrong)
        assert resp.status == 422
        body = await resp.json()
        assert body["error"] == "code_mismatch" and f"再试{left}次" in body["message"]
    resp = await confirm(client, challenge, wrong)
    assert resp.status == 429 and (await resp.json())["error"] == "too_many_attempts"
    resp = await confirm(client, challenge, code)  # even the right code: the challenge is dead
    assert resp.status == 429
    assert await db_rows("SELECT attempts FROM identity_challenges") == [(5,)]
    assert await counts(db_rows, "litigants", "tokens") == {"litigants": 0, "tokens": 0}


async def test_an_expired_code_is_refused(client, db_rows):
    clock = set_clock(client, datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))
    challenge = (await start(client))["challenge_id"]
    code = await last_code(db_rows, ALICE["phone"])
    clock.advance(minutes=5)
    resp = await confirm(client, challenge, code)
    assert resp.status == 410
    body = await resp.json()
    assert body["error"] == "challenge_expired" and "过期" in body["message"]
    assert await db_rows("SELECT attempts, used FROM identity_challenges") in ([(0, False)], [(0, 0)])
    assert await counts(db_rows, "litigants", "tokens") == {"litigants": 0, "tokens": 0}


async def test_a_code_just_before_expiry_is_accepted(client, db_rows):
    clock = set_clock(client, datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))
    challenge = (await start(client))["challenge_id"]
    clock.advance(minutes=4, seconds=59)
    assert (await confirm(client, challenge, await last_code(db_rows, ALICE["phone"]))).status == 200


@pytest.mark.parametrize("body, status, error", [
    ({"challenge_id": "nope", "code": "123456"}, 404, "challenge_not_found"),
    ({"challenge_id": "x" * 100, "code": "123456"}, 404, "challenge_not_found"),
    ({"code": "123456"}, 422, "missing_field"),
    ({"challenge_id": "nope"}, 422, "missing_field"),
    ({"challenge_id": "nope", "code": "12345"}, 422, "invalid_code"),
    ({"challenge_id": "nope", "code": 123456}, 422, "wrong_type"),
    ({"challenge_id": "nope", "code": "123456", "name": "x"}, 400, "unknown_field"),
])
async def test_bad_confirm_requests(client, db_rows, body, status, error):
    await start(client)
    resp = await client.post("/api/v1/identity/confirm", json=body)
    assert resp.status == status
    answer = await resp.json()
    assert answer["error"] == error and has_chinese(answer["message"])
    assert await db_rows("SELECT attempts FROM identity_challenges") == [(0,)]
    assert await counts(db_rows, "litigants", "tokens") == {"litigants": 0, "tokens": 0}


async def test_malformed_code_does_not_count_an_attempt(client, db_rows):
    challenge = (await start(client))["challenge_id"]
    resp = await confirm(client, challenge, "abcdef")
    assert resp.status == 422
    assert await db_rows("SELECT attempts FROM identity_challenges") == [(0,)]


async def test_full_width_code_is_accepted(client, db_rows):
    challenge = (await start(client))["challenge_id"]
    code = await last_code(db_rows, ALICE["phone"])
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in code)
    assert (await confirm(client, challenge, full_width)).status == 200


class BrokenGateway:
    async def send(self, session, phone: str, text: str) -> None:
        raise SmsError("down")


async def test_gateway_failure_is_a_503_in_chinese(client):
    client.app[SETTINGS].extra["sms_gateway"] = BrokenGateway()
    resp = await client.post("/api/v1/identity/verify", json=ALICE)
    assert resp.status == 503
    assert has_chinese((await resp.json())["message"])


class RecordingGateway:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, session, phone: str, text: str) -> None:
        self.sent.append((phone, text))


async def test_a_configured_gateway_replaces_the_outbox(client, db_rows):
    gateway = RecordingGateway()
    client.app[SETTINGS].extra["sms_gateway"] = gateway
    await start(client)
    assert [phone for phone, _ in gateway.sent] == ["13800138000"]
    assert await counts(db_rows, "sms_outbox") == {"sms_outbox": 0}


async def test_codes_are_hashed_with_the_server_secret(client, db_rows):
    client.app[SETTINGS].extra["secret_key"] = "secret-one"
    challenge = (await start(client))["challenge_id"]
    code = await last_code(db_rows, ALICE["phone"])
    client.app[SETTINGS].extra["secret_key"] = "secret-two"  # a different secret: the hash no longer matches
    assert (await confirm(client, challenge, code)).status == 422
    client.app[SETTINGS].extra["secret_key"] = "secret-one"
    assert (await confirm(client, challenge, code)).status == 200
