"""Finding 1 (issue 9), second half: after a re-verification the earlier token kept working, and a
litigant had no way to end a token (no logout)."""
from __future__ import annotations

from authflow import bearer, verify_litigant


async def test_a_re_verification_ends_the_earlier_tokens(client, db_rows):
    first = await verify_litigant(client, db_rows)
    second = await verify_litigant(client, db_rows)
    resp = await client.get("/api/v1/filings", headers=bearer(first))
    assert resp.status == 401, await resp.text()
    assert (await client.get("/api/v1/filings", headers=bearer(second))).status == 200


async def test_logout_ends_the_token(client, db_rows):
    token = await verify_litigant(client, db_rows)
    resp = await client.delete("/api/v1/identity/session", headers=bearer(token))
    assert resp.status == 204
    assert (await client.get("/api/v1/filings", headers=bearer(token))).status == 401
    again = await client.delete("/api/v1/identity/session", headers=bearer(token))
    assert again.status == 401 and "实名认证" in (await again.json())["message"]
