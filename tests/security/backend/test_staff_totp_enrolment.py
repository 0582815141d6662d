"""TOTP enrolment through the staff CLI: in production mode every new account gets a second
factor and the CLI prints its otpauth:// URI once; the password alone then no longer logs in."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pyotp

from authflow import PASSWORD
from court.app import create_app
from court.infra.config import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "court"))
from test_staff_api import run_cli  # noqa: E402


async def test_production_cli_enrols_totp_and_login_needs_it(tmp_path, aiohttp_client) -> None:
    db = tmp_path / "court.db"
    done = run_cli(db, "--username", "clerk9", "--name", "赵书记员", "--role", "clerk", "--court", "京0105",
                   dev_mode="0")
    assert done.returncode == 0, done.stderr
    uri = re.search(r"otpauth://totp/\S+", done.stdout).group(0)
    secret = pyotp.parse_uri(uri).secret
    client = await aiohttp_client(create_app(Settings(dev_mode=True, database_url=f"sqlite+aiosqlite:///{db}")))
    resp = await client.post("/api/v1/staff/session", json={"username": "clerk9", "password": PASSWORD})
    assert resp.status == 401 and (await resp.json())["error"] == "invalid_otp"
    resp = await client.post("/api/v1/staff/session",
                             json={"username": "clerk9", "password": PASSWORD, "otp": pyotp.TOTP(secret).now()})
    assert resp.status == 200
