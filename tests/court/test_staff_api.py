"""Staff: login, the review queue with its filters and court scope, the full view, and `create-staff`."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from authflow import (
    ALICE, BOB, PASSWORD, add_staff, bearer, counts, has_chinese, set_clock, staff_token, submit, verify_litigant,
)
from court.app import create_app
from court.infra.config import Settings

ROOT = Path(__file__).resolve().parents[2]


async def test_login_answers_a_12_hour_token(client, db_rows):
    clock = set_clock(client, datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))
    await add_staff(client, "clerk1", "clerk", "京0105")
    resp = await client.post("/api/v1/staff/session", json={"username": "clerk1", "password": PASSWORD})
    assert resp.status == 200
    body = await resp.json()
    assert body["staff"] == {"username": "clerk1", "name": "clerk1姓名", "role": "clerk", "court_code": "京0105"}
    assert datetime.fromisoformat(body["expires_at"]) == datetime(2026, 3, 1, 14, 0, tzinfo=timezone.utc)
    assert clock() < datetime.fromisoformat(body["expires_at"])
    rows = await db_rows("SELECT token_hash, litigant_id FROM tokens")
    assert rows == [(hashlib.sha256(body["token"].encode()).hexdigest(), None)]


@pytest.mark.parametrize("body, status", [
    ({"username": "clerk1", "password": "wrong password"}, 401),
    ({"username": "nobody", "password": PASSWORD}, 401),
    ({"username": "clerk1"}, 400),
    ({"username": "", "password": PASSWORD}, 400),
    ({"username": "clerk1", "password": 12345678}, 400),
    ({"username": "clerk1", "password": PASSWORD, "remember_me": True}, 400),  # otp is a field now (TOTP)
])
async def test_failed_logins_write_nothing(client, db_rows, body, status):
    await add_staff(client, "clerk1", "clerk", "京0105")
    resp = await client.post("/api/v1/staff/session", json=body)
    assert resp.status == status
    answer = await resp.json()
    assert has_chinese(answer["message"])
    if status == 401:
        assert answer == {"error": "invalid_credentials", "message": "用户名或密码不正确。", "field": None}
    assert await counts(db_rows, "tokens") == {"tokens": 0}


@pytest.fixture
async def queue(client, db_rows):
    """Three filings by two litigants: two at 京0105 (on 3 and 5 March), one at 京0108."""
    clock = set_clock(client, datetime(2026, 3, 3, 2, 0, tzinfo=timezone.utc))
    alice = await verify_litigant(client, db_rows)
    bob = await verify_litigant(client, db_rows, BOB)
    first = await submit(client, alice)
    elsewhere = await submit(client, bob, court_code="京0108")
    clock.advance(days=2)
    bob = await verify_litigant(client, db_rows, BOB)  # the first token has expired by now
    second = await submit(client, bob)
    return {"first": first["id"], "second": second["id"], "elsewhere": elsewhere["id"]}


async def _list(client, token, query: str = ""):
    resp = await client.get(f"/api/v1/staff/filings{query}", headers=bearer(token))
    return resp.status, await resp.json()


async def test_a_clerk_sees_their_court_oldest_first_masked(client, queue):
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    status, body = await _list(client, clerk)
    assert status == 200 and body["total"] == 2
    assert [f["id"] for f in body["filings"]] == [queue["first"], queue["second"]]
    plaintiff = body["filings"][0]["parties"][0]
    assert plaintiff["id_number_masked"] == "110***********002X" and plaintiff["phone_masked"] == "138****8000"
    assert ALICE["id_number"] not in str(body) and ALICE["phone"] not in str(body)
    assert body["filings"][0]["claims"] == [{"text": "判令被告归还借款5万元", "amount": "50000.00"}]

    status, body = await _list(client, clerk, "?court=京0108")
    assert status == 403 and has_chinese(body["message"])
    status, body = await _list(client, clerk, "?court=京0105")
    assert status == 200 and body["total"] == 2


async def test_admin_and_unassigned_staff_see_every_court(client, queue):
    admin = await staff_token(client, "admin1", "admin", "京0105")  # an admin's court does not limit them
    assert (await _list(client, admin))[1]["total"] == 3
    roaming = await staff_token(client, "judge0", "judge")
    assert (await _list(client, roaming))[1]["total"] == 3
    status, body = await _list(client, admin, "?court=京0108")
    assert [f["id"] for f in body["filings"]] == [queue["elsewhere"]]


async def test_filters(client, queue):
    admin = await staff_token(client, "admin1", "admin")
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    assert (await client.post(f"/api/v1/staff/filings/{queue['first']}/review", json={"decision": "reject", "reason": "不属于本院管辖"},
                              headers=bearer(clerk))).status == 200
    assert [f["id"] for f in (await _list(client, admin, "?status=rejected"))[1]["filings"]] == [queue["first"]]
    assert (await _list(client, admin, "?status=pending_review"))[1]["total"] == 2
    on_5th = (await _list(client, admin, "?date_from=2026-03-05"))[1]
    assert [f["id"] for f in on_5th["filings"]] == [queue["second"]]
    to_4th = (await _list(client, admin, "?date_to=2026-03-04"))[1]
    assert {f["id"] for f in to_4th["filings"]} == {queue["first"], queue["elsewhere"]}
    assert (await _list(client, admin, "?date_from=2026-03-03&date_to=2026-03-03"))[1]["total"] == 2
    page = (await _list(client, admin, "?limit=1&offset=1"))[1]
    assert page["total"] == 3 and [f["id"] for f in page["filings"]] == [queue["elsewhere"]]


@pytest.mark.parametrize("query, field", [
    ("?status=approved", "status"),
    ("?court=火星", "court"),
    ("?date_from=2026-13-01", "date_from"),
    ("?date_from=yesterday", "date_from"),
    ("?date_from=2026-03-05&date_to=2026-03-01", "date_from"),
    ("?limit=0", "limit"),
    ("?limit=1000", "limit"),
    ("?offset=-1", "offset"),
])
async def test_bad_filters_are_400(client, queue, query, field):
    admin = await staff_token(client, "admin1", "admin")
    status, body = await _list(client, admin, query)
    assert status == 400 and body["field"] == field and has_chinese(body["message"])


async def test_the_full_view_is_unmasked(client, queue):
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    resp = await client.get(f"/api/v1/staff/filings/{queue['first'].lower()}", headers=bearer(clerk))
    assert resp.status == 200
    view = await resp.json()
    assert view["filing"]["parties"][0]["id_number"] == ALICE["id_number"]
    assert view["filer"]["phone"] == ALICE["phone"] and view["case"] is None
    assert [e["action"] for e in view["events"]] == ["submitted"]
    assert (await client.get(f"/api/v1/staff/filings/{queue['elsewhere']}", headers=bearer(clerk))).status == 404
    assert (await client.get("/api/v1/staff/filings/LA20260101999999", headers=bearer(clerk))).status == 404


async def test_the_queue_needs_a_staff_token(client, queue, db_rows):
    assert (await client.get("/api/v1/staff/filings")).status == 401
    alice = await verify_litigant(client, db_rows)
    assert (await client.get("/api/v1/staff/filings", headers=bearer(alice))).status == 401
    assert (await client.get(f"/api/v1/staff/filings/{queue['first']}", headers=bearer(alice))).status == 401


# --- python -m court create-staff -----------------------------------------------------------------


def run_cli(db: Path, *args: str, password: str = PASSWORD, dev_mode: str = "1") -> subprocess.CompletedProcess:
    env = {**os.environ, "COURT_DATABASE_URL": f"sqlite+aiosqlite:///{db}", "PYTHONPATH": str(ROOT),
           "COURT_DEV_MODE": dev_mode}
    return subprocess.run(
        [sys.executable, "-m", "court", "create-staff", *args, "--password-stdin"],
        input=password + "\n", capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One temporary database for the CLI tests, holding `clerk1` (created through the CLI)."""
    db = tmp_path_factory.mktemp("cli") / "court.db"
    done = run_cli(db, "--username", "clerk1", "--name", "王书记员", "--role", "clerk", "--court", "京0105")
    assert done.returncode == 0, done.stderr
    assert "clerk1" in done.stdout and "已创建" in done.stdout
    return db


def _staff_rows(db: Path) -> list:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT username, display_name, role, court_code, password_hash FROM staff ORDER BY id").fetchall()


def test_cli_creates_an_argon2_account(cli_db):
    ((username, name, role, court, password_hash),) = _staff_rows(cli_db)
    assert (username, name, role, court) == ("clerk1", "王书记员", "clerk", "京0105")
    assert password_hash.startswith("$argon2id$") and PASSWORD not in password_hash


@pytest.mark.parametrize("args, password, message", [
    (["--username", "clerk1", "--name", "又一个", "--role", "clerk"], PASSWORD, "已存在"),
    (["--username", "weak", "--name", "弱密码", "--role", "judge"], "short", "过短"),
    (["--username", "digits", "--name", "数字", "--role", "judge"], "12345678", "过于简单"),
    (["--username", "mars", "--name", "火星", "--role", "clerk", "--court", "火星001"], PASSWORD, "未找到法院"),
    (["--username", "x", "--name", "短名", "--role", "clerk"], PASSWORD, "用户名"),
    (["--username", "noname", "--name", " ", "--role", "clerk"], PASSWORD, "姓名"),
])
def test_cli_refusals(cli_db, args, password, message):
    done = run_cli(cli_db, *args, password=password)
    assert done.returncode == 1
    assert message in done.stderr and "Not created" in done.stderr
    assert [r[0] for r in _staff_rows(cli_db)] == ["clerk1"]


def test_cli_refuses_an_unknown_role(cli_db):
    done = run_cli(cli_db, "--username", "boss", "--name", "老板", "--role", "president")
    assert done.returncode == 2 and "invalid choice" in done.stderr
    assert [r[0] for r in _staff_rows(cli_db)] == ["clerk1"]


async def test_a_cli_account_can_log_in(cli_db, aiohttp_client):
    client = await aiohttp_client(create_app(Settings(dev_mode=True, database_url=f"sqlite+aiosqlite:///{cli_db}")))
    resp = await client.post("/api/v1/staff/session", json={"username": "clerk1", "password": PASSWORD})
    assert resp.status == 200
    assert (await resp.json())["staff"]["court_code"] == "京0105"
    resp = await client.post("/api/v1/staff/session", json={"username": "clerk1", "password": PASSWORD + "x"})
    assert resp.status == 401
