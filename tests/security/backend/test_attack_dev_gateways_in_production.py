"""Finding 5: development gateways in production. On the old code COURT_DEV_MODE defaulted to on,
production started with the SMS outbox (codes written to the log at INFO, nothing sent), a missing
COURT_SECRET_KEY and the repository's payment secret, and `POST /dev/pay/{order_no}` paid anyone's
order without a token. Production now takes payments only through WeChat Pay (COURT_PAYMENT_PROVIDER=
wechatpay): the development provider is refused whatever its secret."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from authflow import ALICE, last_code
from profiles import PAYMENT_SECRET, RecordingSmsGateway, production_settings
from court.app import create_app
from court.infra.config import Settings
from court.infra.profile import UnsafeProduction

ROOT = Path(__file__).resolve().parents[3]


def test_dev_mode_is_off_unless_asked_for(monkeypatch) -> None:
    monkeypatch.delenv("COURT_DEV_MODE", raising=False)
    assert Settings().dev_mode is False and Settings.from_env().dev_mode is False
    monkeypatch.setenv("COURT_DEV_MODE", "1")
    assert Settings.from_env().dev_mode is True


@pytest.mark.parametrize("missing, name", [
    ({"extra": {"sms_gateway": None}}, "SMS gateway"),
    ({"extra": {"secret_key": ""}}, "COURT_SECRET_KEY"),
    ({"extra": {"secret_key": "short"}}, "COURT_SECRET_KEY"),
    ({"extra": {"payment_provider": None}}, "COURT_PAYMENT_PROVIDER=wechatpay"),
    ({"extra": {"payment_provider": None}, "payment_dev_secret": PAYMENT_SECRET}, "the development provider"),
    ({"extra": {"payment_provider": None}, "payment_provider": "wechatpay"}, "COURT_WECHATPAY_APIV3_KEY"),
    ({"extra": {"identity_provider": None}}, "identity provider"),
    ({"extra": {"bot_key": ""}}, "COURT_BOT_KEY"),
])
async def test_production_refuses_to_start_naming_what_is_missing(aiohttp_client, sqlite_url, tmp_path,
                                                                  monkeypatch, missing, name) -> None:
    monkeypatch.delenv("COURT_SECRET_KEY", raising=False)
    monkeypatch.delenv("COURT_BOT_KEY", raising=False)
    monkeypatch.delenv("COURT_WECHATPAY_APIV3_KEY", raising=False)
    app = create_app(production_settings(sqlite_url, tmp_path / "u", **missing))
    with pytest.raises(UnsafeProduction, match=name):
        await aiohttp_client(app)


async def test_production_with_every_piece_starts(aiohttp_client, sqlite_url, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("COURT_SECRET_KEY", raising=False)
    client = await aiohttp_client(create_app(production_settings(sqlite_url, tmp_path / "u")))
    assert (await client.get("/health")).status == 200


def test_serve_command_exits_non_zero_with_the_names(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURT_")}
    env.update({"COURT_DEV_MODE": "0", "COURT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'c.db'}",
                "PYTHONPATH": str(ROOT)})
    done = subprocess.run([sys.executable, "-m", "court", "serve", "--port", "1"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "COURT_SECRET_KEY" in done.stderr and "SMS gateway" in done.stderr
    assert "COURT_PAYMENT_PROVIDER=wechatpay" in done.stderr
    assert "identity provider" in done.stderr and "COURT_BOT_KEY" in done.stderr


async def test_dev_mode_warns_on_every_start(aiohttp_client, sqlite_url, tmp_path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="court.infra.profile")
    await aiohttp_client(create_app(Settings(database_url=sqlite_url, upload_dir=tmp_path / "u", dev_mode=True)))
    assert any("DEVELOPMENT MODE" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


async def test_dev_pay_is_404_outside_dev_mode(aiohttp_client, client, sqlite_url, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("COURT_SECRET_KEY", raising=False)
    prod = await aiohttp_client(create_app(production_settings(sqlite_url, tmp_path / "u")))
    assert (await prod.post("/dev/pay/PAY20260101000000ABCDEF01")).status == 404
    assert (await prod.get("/dev/pay/PAY20260101000000ABCDEF01")).status == 404
    assert PAYMENT_SECRET != Settings.payment_dev_secret


async def test_sms_codes_never_reach_the_log(client, db_rows, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    resp = await client.post("/api/v1/identity/verify", json=ALICE)
    assert resp.status == 202
    code = await last_code(db_rows, ALICE["phone"])
    assert len(code) == 6
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "dev SMS" in logged  # the gateway did log that it wrote the outbox...
    assert code not in logged and ALICE["phone"] not in logged  # ...but never the code, nor the number


async def test_production_sends_through_the_real_gateway_not_the_outbox(aiohttp_client, sqlite_url, tmp_path,
                                                                          monkeypatch) -> None:
    monkeypatch.delenv("COURT_SECRET_KEY", raising=False)
    settings = production_settings(sqlite_url, tmp_path / "u")
    prod = await aiohttp_client(create_app(settings))
    resp = await prod.post("/api/v1/identity/verify", json=ALICE)
    assert resp.status == 202
    gateway: RecordingSmsGateway = settings.extra["sms_gateway"]
    assert [phone for phone, _ in gateway.sent] == [ALICE["phone"]]
