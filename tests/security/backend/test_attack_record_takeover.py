"""Finding 1 (issue 9): someone else's ID number, any name and one's own phone used to yield a
token for that person's record: their filings with full numbers, and the power to withdraw them."""
from __future__ import annotations

from authflow import ALICE, bearer, has_chinese, submit, verify_litigant

MALLORY_PHONE = "13911112222"


async def _sms_to(db_rows, phone: str) -> int:
    return (await db_rows(f"SELECT count(*) FROM sms_outbox WHERE phone = '{phone}'"))[0][0]


async def _take_over(client, db_rows, claim: dict) -> int:
    """The attacker's whole attempt: the code from their own phone, then a token. Its status code."""
    resp = await client.post("/api/v1/identity/verify", json=claim)
    if resp.status != 202 or not await _sms_to(db_rows, MALLORY_PHONE):
        return resp.status
    challenge = (await resp.json())["challenge_id"]
    code = (await db_rows(f"SELECT text FROM sms_outbox WHERE phone = '{MALLORY_PHONE}' ORDER BY id DESC"))[0][0]
    code = code.split("验证码为")[1][:6]
    resp = await client.post("/api/v1/identity/confirm", json={"challenge_id": challenge, "code": code})
    token = (await resp.json())["token"]
    filings = await (await client.get("/api/v1/filings", headers=bearer(token))).json()
    for filing in filings["filings"]:
        await client.post(f"/api/v1/filings/{filing['id']}/cancel", json={}, headers=bearer(token))
    return 200


async def test_another_persons_id_number_gives_no_access_to_their_record(client, db_rows):
    alice = await verify_litigant(client, db_rows)
    filing = await submit(client, alice)

    # Any name with Alice's ID number: refused, and nothing is sent anywhere.
    resp = await client.post("/api/v1/identity/verify", json={**ALICE, "name": "王麻子", "phone": MALLORY_PHONE})
    assert resp.status == 403, await resp.text()
    body = await resp.json()
    assert body["error"] == "identity_mismatch" and has_chinese(body["message"])

    # Her right name (names are not secret) with the attacker's phone: the code goes to HER phone.
    resp = await client.post("/api/v1/identity/verify", json={**ALICE, "phone": MALLORY_PHONE})
    assert resp.status == 202
    answer = await resp.json()
    assert answer["sent_to_record"] is True and answer["phone_masked"] == "138****8000"
    assert answer["message"].startswith("验证码已发送至您登记的手机138****8000")
    assert await _sms_to(db_rows, MALLORY_PHONE) == 0

    for claim in ({**ALICE, "name": "王麻子", "phone": MALLORY_PHONE}, {**ALICE, "phone": MALLORY_PHONE}):
        assert await _take_over(client, db_rows, claim) != 200
    assert await db_rows("SELECT name, phone FROM litigants") == [(ALICE["name"], ALICE["phone"])]
    mine = await client.get(f"/api/v1/filings/{filing['id']}", headers=bearer(alice))
    assert mine.status == 200 and (await mine.json())["status"] == "pending_review"


async def test_a_record_moves_to_a_new_phone_only_with_the_providers_confirmation(client, db_rows):
    old = await verify_litigant(client, db_rows)
    # court/data/identity_registry.json: the carrier knows 张三 with this ID number on 13600136000.
    new = await verify_litigant(client, db_rows, {**ALICE, "phone": "13600136000"})
    assert await db_rows("SELECT phone FROM litigants") == [("13600136000",)]
    assert (await client.get("/api/v1/filings", headers=bearer(new))).status == 200
    assert (await client.get("/api/v1/filings", headers=bearer(old))).status == 401
