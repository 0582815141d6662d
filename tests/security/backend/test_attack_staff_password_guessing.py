"""Finding 6: staff passwords could be guessed without limit (40 wrong, then right → 200), and a
staff token could not be revoked. Now: 5 failures lock the account for 15 minutes (429 +
Retry-After, the right password refused too) until the time passes or an admin unlocks it; 20
failures from one address throttle it; DELETE /api/v1/staff/session revokes the token."""
from __future__ import annotations

from authflow import PASSWORD, add_staff, bearer, has_chinese, set_clock, staff_token

WRONG = "not the password"


async def _login(client, username: str, password: str):
    return await client.post("/api/v1/staff/session", json={"username": username, "password": password})


async def test_forty_guesses_then_the_right_password_is_refused(client) -> None:
    await add_staff(client, "clerk1", "clerk", "京0105")
    statuses = [(await _login(client, "clerk1", WRONG)).status for _ in range(40)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    resp = await _login(client, "clerk1", PASSWORD)
    assert resp.status == 429
    body = await resp.json()
    assert body["error"] == "account_locked" and has_chinese(body["message"]) and "锁定" in body["message"]
    assert 0 < int(resp.headers["Retry-After"]) <= 15 * 60


async def test_lockout_ends_with_time(client, db_rows) -> None:
    clock = set_clock(client)
    await add_staff(client, "clerk1", "clerk", "京0105")
    for _ in range(5):
        assert (await _login(client, "clerk1", WRONG)).status == 401
    assert (await _login(client, "clerk1", PASSWORD)).status == 429
    clock.advance(minutes=14)
    assert (await _login(client, "clerk1", PASSWORD)).status == 429
    clock.advance(minutes=1, seconds=1)
    assert (await _login(client, "clerk1", PASSWORD)).status == 200
    assert await db_rows("SELECT count(*) FROM staff_login_failures") == [(0,)]  # success forgets them


async def test_an_admin_unlocks(client) -> None:
    admin = await staff_token(client, "admin1", "admin")
    clerk = await staff_token(client, "clerk2", "clerk", "京0105")
    await add_staff(client, "clerk1", "clerk", "京0105")
    for _ in range(5):
        await _login(client, "clerk1", WRONG)
    assert (await _login(client, "clerk1", PASSWORD)).status == 429
    assert (await client.delete("/api/v1/staff/accounts/clerk1/lockout", headers=bearer(clerk))).status == 403
    assert (await client.delete("/api/v1/staff/accounts/clerk1/lockout")).status == 401
    assert (await _login(client, "clerk1", PASSWORD)).status == 429
    assert (await client.delete("/api/v1/staff/accounts/clerk1/lockout", headers=bearer(admin))).status == 204
    assert (await _login(client, "clerk1", PASSWORD)).status == 200


async def test_one_address_guessing_many_accounts_is_throttled(client) -> None:
    await add_staff(client, "clerk1", "clerk", "京0105")
    statuses = [(await _login(client, f"user{i}", WRONG)).status for i in range(20)]
    assert set(statuses) == {401}  # four failures per name: no account is locked
    resp = await _login(client, "clerk1", PASSWORD)
    assert resp.status == 429 and (await resp.json())["error"] == "too_many_logins"
    assert int(resp.headers["Retry-After"]) > 0


async def test_logout_revokes_the_token(client) -> None:
    token = await staff_token(client, "clerk1", "clerk", "京0105")
    assert (await client.get("/api/v1/staff/filings", headers=bearer(token))).status == 200
    assert (await client.delete("/api/v1/staff/session", headers=bearer(token))).status == 204
    resp = await client.get("/api/v1/staff/filings", headers=bearer(token))
    assert resp.status == 401 and has_chinese((await resp.json())["message"])
    assert (await client.delete("/api/v1/staff/session", headers=bearer(token))).status == 401


async def _enrol(client, username: str) -> str:
    import pyotp
    from sqlalchemy import update

    from court.infra.app_keys import SESSIONMAKER
    from court.infra.models import Staff

    secret = pyotp.random_base32()
    async with client.app[SESSIONMAKER]() as session:
        await session.execute(update(Staff).where(Staff.username == username).values(totp_secret=secret))
        await session.commit()
    return secret


async def test_an_enrolled_account_needs_its_totp_code(client) -> None:
    import pyotp

    await add_staff(client, "clerk1", "clerk", "京0105")
    secret = await _enrol(client, "clerk1")
    resp = await _login(client, "clerk1", PASSWORD)  # the password alone is not enough
    assert resp.status == 401 and (await resp.json())["error"] == "invalid_otp"
    resp = await client.post("/api/v1/staff/session", json={"username": "clerk1", "password": PASSWORD, "otp": "000000"})
    assert resp.status == 401
    resp = await client.post("/api/v1/staff/session",
                             json={"username": "clerk1", "password": PASSWORD, "otp": pyotp.TOTP(secret).now()})
    assert resp.status == 200


async def test_production_refuses_staff_without_a_second_factor(aiohttp_client, sqlite_url, tmp_path,
                                                                monkeypatch) -> None:
    from profiles import production_settings

    from court.app import create_app
    from court.infra.app_keys import SESSIONMAKER
    from court.infra.models import Base
    from sqlalchemy import text

    monkeypatch.delenv("COURT_SECRET_KEY", raising=False)
    prod = await aiohttp_client(create_app(production_settings(sqlite_url, tmp_path / "u")))
    async with prod.app[SESSIONMAKER]() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(text(f"DELETE FROM {table.name}"))
        await session.commit()
    await add_staff(prod, "clerk1", "clerk", "京0105")
    resp = await _login(prod, "clerk1", PASSWORD)
    assert resp.status == 401 and (await resp.json())["error"] == "otp_not_enrolled"
    assert has_chinese((await resp.json())["message"])
