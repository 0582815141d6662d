"""court.api.auth: bearer tokens for litigants and staff — missing, malformed, unknown, expired, wrong kind, roles."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text, update

from authflow import add_staff, bearer, has_chinese, set_clock, staff_token, verify_litigant
from court.api.auth import hash_token, issue_token
from court.infra.app_keys import SESSIONMAKER
from court.infra.models import Litigant, Staff


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": ""},
    {"Authorization": "Bearer"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": "Bearer not-a-token"},
    {"Authorization": "Bearer " + "x" * 5000},
])
async def test_litigant_endpoints_need_a_valid_token(client, headers):
    resp = await client.get("/api/v1/filings", headers=headers)
    assert resp.status == 401
    body = await resp.json()
    assert body["error"] in {"unauthorized", "invalid_token"} and has_chinese(body["message"])


async def test_the_scheme_is_case_insensitive(client, db_rows):
    token = await verify_litigant(client, db_rows)
    resp = await client.get("/api/v1/filings", headers={"Authorization": f"bearer  {token}"})
    assert resp.status == 200


async def test_litigant_token_expires_after_24_hours(client, db_rows):
    clock = set_clock(client, datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))
    token = await verify_litigant(client, db_rows)
    clock.advance(hours=23, minutes=59)
    assert (await client.get("/api/v1/filings", headers=bearer(token))).status == 200
    clock.advance(minutes=1)
    resp = await client.get("/api/v1/filings", headers=bearer(token))
    assert resp.status == 401
    assert "过期" in (await resp.json())["message"]


async def test_staff_token_expires_after_12_hours(client):
    clock = set_clock(client, datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))
    token = await staff_token(client, "clerk1", "clerk", "京0105")
    assert (await client.get("/api/v1/staff/filings", headers=bearer(token))).status == 200
    clock.advance(hours=12)
    assert (await client.get("/api/v1/staff/filings", headers=bearer(token))).status == 401


async def test_a_staff_token_is_not_a_litigant_token(client):
    token = await staff_token(client, "admin1", "admin")
    assert (await client.get("/api/v1/filings", headers=bearer(token))).status == 401
    assert (await client.get("/api/v1/cases", headers=bearer(token))).status == 401


async def test_a_litigant_token_is_not_a_staff_token(client, db_rows):
    token = await verify_litigant(client, db_rows)
    resp = await client.get("/api/v1/staff/filings", headers=bearer(token))
    assert resp.status == 401


async def test_deactivated_staff_are_refused(client, db_rows):
    token = await staff_token(client, "judge1", "judge", "京0105")
    async with client.app[SESSIONMAKER]() as session:
        await session.execute(update(Staff).values(active=False))
        await session.commit()
    assert (await client.get("/api/v1/staff/filings", headers=bearer(token))).status == 401
    login = await client.post("/api/v1/staff/session", json={"username": "judge1", "password": "correct horse battery"})
    assert login.status == 401


async def test_admin_may_read_but_not_decide(client, db_rows):
    token = await staff_token(client, "admin1", "admin")
    resp = await client.post("/api/v1/staff/filings/LA20260101000001/review", json={"decision": "accept"},
                             headers=bearer(token))
    assert resp.status == 403
    assert has_chinese((await resp.json())["message"])


async def test_issue_token_stores_only_the_hash(client):
    at = datetime(2026, 3, 1, tzinfo=timezone.utc)
    async with client.app[SESSIONMAKER]() as session:
        litigant = Litigant(name="张三", id_number="11010519491231002X", phone="13800138000", created_at=at)
        session.add(litigant)
        await session.flush()
        token, expires_at = await issue_token(session, at=at, litigant=litigant, ttl=timedelta(minutes=5))
        await session.commit()
        with pytest.raises(ValueError):
            await issue_token(session, at=at)
    assert expires_at == at + timedelta(minutes=5)
    async with client.app[SESSIONMAKER]() as session:
        rows = (await session.execute(text("SELECT token_hash FROM tokens"))).all()
    assert rows == [(hash_token(token),)] and token not in rows[0][0]


async def test_unknown_staff_username_and_wrong_password_answer_alike(client):
    await add_staff(client, "clerk1", "clerk", "京0105")
    wrong = await client.post("/api/v1/staff/session", json={"username": "clerk1", "password": "wrong password"})
    unknown = await client.post("/api/v1/staff/session", json={"username": "nobody", "password": "wrong password"})
    assert wrong.status == unknown.status == 401
    assert await wrong.json() == await unknown.json()
