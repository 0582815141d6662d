"""Finding 6 (audit): nothing recorded which staff member opened a party's unmasked ID number or
a transcript. Now every full view of a filing or case, and every transcript read, is a row of the
audit trail, which an administrator (only) can list."""
from __future__ import annotations

from authflow import ALICE, bearer, staff_token, submit, verify_litigant


async def test_opening_an_id_number_or_a_transcript_is_recorded(client, db_rows) -> None:
    alice = await verify_litigant(client, db_rows, ALICE)
    filing = await submit(client, alice)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    admin = await staff_token(client, "admin1", "admin")
    resp = await client.get(f"/api/v1/staff/filings/{filing['id']}", headers=bearer(clerk))
    assert resp.status == 200 and ALICE["id_number"] in await resp.text()
    # a refused read (not found, not theirs) is not an access: nothing is recorded for it
    assert (await client.get("/api/v1/staff/transcripts/c-unknown", headers=bearer(clerk))).status == 404

    assert (await client.get("/api/v1/staff/audit", headers=bearer(clerk))).status == 403
    resp = await client.get("/api/v1/staff/audit", headers=bearer(admin))
    assert resp.status == 200
    body = await resp.json()
    assert body["total"] == 1
    (entry,) = body["entries"]
    assert entry["staff"]["username"] == "clerk1" and entry["action"] == "filing" and entry["subject"] == filing["id"]
    assert await db_rows("SELECT action FROM staff_audit") == [("filing",)]
