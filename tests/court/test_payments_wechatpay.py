"""WeChat Pay APIv3 on SQLite and PostgreSQL: the production backend (COURT_DEV_MODE=0, configured
from COURT_WECHATPAY_* as in production) against tests/fakes/wechatpay.py on loopback — a server
with keys of its own that checks the merchant's request signatures and posts signed, AES-256-GCM
encrypted notifications to the backend's notify URL.

A paid order lands once; a forged signature, an unknown serial, a stale timestamp, a tampered
ciphertext or body are refused in WeChat's format (4xx ``{"code": "FAIL", …}``) and change nothing;
a replay changes nothing; an amount other than the order's is refused.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import text

from profiles import production_settings
from test_payments_api import add_litigant, add_notice, auth
from court.app import create_app
from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.models import Base
from court.infra.wechatpay_config import ENV, WeChatPayConfig
from court.services.payments.provider import (
    NONCE, SIGNATURE, TIMESTAMP, OrderRequest, PaymentUnavailable, signing_message,
)
from court.services.payments.service import fen, make_provider, yuan
from court.services.payments.wechatpay import (
    WeChatPayProvider, decrypt_resource, encrypt_resource, rsa_sign,
)
from deploy.stack import free_port
from tests.fakes.wechatpay import FakeWeChatPay, new_key, private_pem, public_pem

MCHID, APPID, MERCHANT_SERIAL = "1900000109", "wxd678efh567hg6787", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
APIV3_KEY = "a7cde1ZJB1kG2e7VMS3hx9x6G0LSpiwz"  # 32 characters, as WeChat Pay's merchant platform sets it


@pytest.fixture(scope="module")
def keys():
    return new_key(), new_key()  # (merchant, platform): generated once, RSA 2048


@dataclass
class Shop:
    client: object
    fake: FakeWeChatPay
    fake_url: str

    async def rows(self, sql: str) -> list:
        async with self.client.app[SESSIONMAKER]() as session:
            return list((await session.execute(text(sql))).all())

    async def state(self) -> tuple:
        """Everything a notification may change."""
        return (await self.rows("SELECT order_no, status, provider_txn FROM payments ORDER BY id"),
                await self.rows("SELECT status FROM fee_notices ORDER BY id"),
                await self.rows("SELECT action FROM events ORDER BY id"),
                await self.rows("SELECT count(*) FROM payment_notifications"))

    async def order(self) -> dict:
        litigant_id, token = await add_litigant(self.client.app)
        notice = await add_notice(self.client.app, litigant_id, amount=Decimal("1050.10"))
        resp = await self.client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(token))
        assert resp.status == 201, await resp.text()
        return {**await resp.json(), "token": token}

    async def notify(self, headers: dict, body: bytes):
        resp = await self.client.post("/api/v1/payments/notify", data=body, headers=headers)
        return resp.status, await resp.json()


@pytest.fixture
async def shop(aiohttp_client, aiohttp_server, db_url, tmp_path: Path, keys, monkeypatch) -> Shop:
    merchant, platform = keys
    fake = FakeWeChatPay(MCHID, APPID, MERCHANT_SERIAL, merchant.public_key(), APIV3_KEY, platform)
    server = await aiohttp_server(fake.app())
    (tmp_path / "apiclient_key.pem").write_bytes(private_pem(merchant))
    (tmp_path / "pub_key.pem").write_bytes(public_pem(platform))
    port = free_port()  # the notify URL names the backend's port before it listens
    env = {"mchid": MCHID, "appid": APPID, "merchant_serial": MERCHANT_SERIAL,
           "private_key_path": str(tmp_path / "apiclient_key.pem"), "platform_key_path": str(tmp_path / "pub_key.pem"),
           "platform_key_id": fake.platform_key_id, "apiv3_key": APIV3_KEY,
           "notify_url": f"http://127.0.0.1:{port}/api/v1/payments/notify"}
    for name, value in env.items():
        monkeypatch.setenv(ENV[name], value)
    monkeypatch.setenv("COURT_WECHATPAY_API_BASE", str(server.make_url("")).rstrip("/"))
    settings = production_settings(db_url, tmp_path / "u", payment_provider="wechatpay",
                                   extra={"payment_provider": None})  # from the environment, as in production
    client = await aiohttp_client(create_app(settings), server_kwargs={"port": port})
    async with client.app[SESSIONMAKER]() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(text(f"DELETE FROM {table.name}"))
        await session.commit()
    return Shop(client, fake, str(server.make_url("")).rstrip("/"))


async def test_a_paid_order_lands_once(shop: Shop) -> None:
    order = await shop.order()
    assert order["provider"] == "wechatpay" and order["pay_url"].startswith("weixin://wxpay/bizpayurl?pr=")
    placed = shop.fake.orders[order["order_no"]].request  # what the merchant's signed request said
    assert placed["amount"] == {"total": 105010, "currency": "CNY"} and placed["mchid"] == MCHID
    assert placed["notify_url"] == f"{shop.client.make_url('/api/v1/payments/notify')}"

    async with shop.client.session.post(f"{shop.fake_url}/_pay/{order['order_no']}") as resp:
        answered = await resp.json()
    assert answered == {"status": 200, "body": {"code": "SUCCESS", "message": "成功"}}
    txn = shop.fake.orders[order["order_no"]].transaction_id
    assert await shop.state() == ([(order["order_no"], "paid", txn)], [("paid",)],
                                  [("payment_created",), ("fee_paid",)], [(1,)])
    view = await shop.client.get(f"/api/v1/payments/{order['order_no']}", headers=auth(order["token"]))
    assert (await view.json())["status"] == "paid"

    before = await shop.state()
    sent = shop.fake.notifications[-1]
    # The same notification again (WeChat retries until it reads SUCCESS): acknowledged, nothing changes.
    assert await shop.notify(sent["headers"], sent["sent"].encode()) == (200, {"code": "SUCCESS", "message": "已处理"})
    # The same payment notified anew (a fresh nonce): still one payment.
    headers, body = shop.fake.notification(shop.fake.orders[order["order_no"]])
    assert (await shop.notify(headers, body))[0] == 200
    assert await shop.state() == (before[0], before[1], before[2], [(2,)])

    # WeChat Pay's own record, asked for by out_trade_no (reconciliation), agrees.
    provider = make_provider(shop.client.app[SETTINGS])
    record = await provider.query(order["order_no"])
    assert (record.trade_state, record.amount_fen, record.transaction_id) == ("SUCCESS", 105010, txn)
    assert await provider.query("PAY00000000000000NOSUCH") is None


def _forged(fake: FakeWeChatPay, headers: dict, body: bytes) -> tuple[dict, bytes]:
    """Signed with a key that is not WeChat Pay's."""
    other = new_key()
    return {**headers, SIGNATURE: rsa_sign(other, signing_message(headers[TIMESTAMP], headers[NONCE], body))}, body


def _wrong_serial(fake: FakeWeChatPay, headers: dict, body: bytes) -> tuple[dict, bytes]:
    return fake.signed_headers(body, serial="PUB_KEY_ID_0114232134912410000000000000NOPE"), body


def _stale(fake: FakeWeChatPay, headers: dict, body: bytes) -> tuple[dict, bytes]:
    return fake.signed_headers(body, timestamp=str(int(headers[TIMESTAMP]) - 6 * 60)), body


def _tampered_ciphertext(fake: FakeWeChatPay, headers: dict, body: bytes) -> tuple[dict, bytes]:
    """One byte of the ciphertext flipped, the body then signed with the platform key itself:
    only the AES-GCM tag can tell."""
    data = json.loads(body)
    sealed = bytearray(base64.b64decode(data["resource"]["ciphertext"]))
    sealed[5] ^= 0x01
    data["resource"]["ciphertext"] = base64.b64encode(bytes(sealed)).decode()
    tampered = json.dumps(data, ensure_ascii=False).encode()
    return fake.signed_headers(tampered), tampered


def _tampered_body(fake: FakeWeChatPay, headers: dict, body: bytes) -> tuple[dict, bytes]:
    return headers, body.replace(b'"summary": "', b'"summary": "x')


def _foreign_merchant(fake: FakeWeChatPay, headers: dict, body: bytes) -> tuple[dict, bytes]:
    """A genuine notification for another merchant's transaction (same APIv3 key by mistake)."""
    data = json.loads(body)
    plain = json.loads(decrypt_resource(APIV3_KEY, data["resource"]))
    data["resource"] = encrypt_resource(APIV3_KEY, json.dumps({**plain, "mchid": "1900009999"}).encode())
    other = json.dumps(data).encode()
    return fake.signed_headers(other), other


@pytest.mark.parametrize("attack, status", [
    (_forged, 401), (_wrong_serial, 401), (_stale, 401), (_tampered_body, 401),
    (_tampered_ciphertext, 400), (_foreign_merchant, 400),
])
async def test_a_notification_not_from_wechat_pay_changes_nothing(shop: Shop, attack, status) -> None:
    order = await shop.order()
    genuine = shop.fake.notification(shop.fake.mark_paid(order["order_no"]))
    before = await shop.state()
    got_status, answer = await shop.notify(*attack(shop.fake, *genuine))
    assert got_status == status and answer["code"] == "FAIL" and any("\u4e00" <= c <= "\u9fff" for c in answer["message"])
    assert await shop.state() == before
    # ...and the genuine notification, after all that, still lands.
    assert (await shop.notify(*genuine))[0] == 200
    assert (await shop.state())[1] == [("paid",)]


async def test_an_amount_other_than_the_orders_is_refused(shop: Shop) -> None:
    order = await shop.order()
    headers, body = shop.fake.notification(shop.fake.mark_paid(order["order_no"]), amount_fen=105000)
    status, answer = await shop.notify(headers, body)
    assert status == 400 and answer == {"code": "FAIL", "message": "支付金额与订单金额不一致。"}
    payments, notices, events, _ = await shop.state()
    assert payments == [(order["order_no"], "created", None)] and notices == [("unpaid",)]
    assert events == [("payment_created",), ("payment_amount_mismatch",)]


async def test_an_order_past_wechats_two_hours_is_replaced_by_a_fresh_one(shop: Shop) -> None:
    """A Native code_url lives two hours (time_expire); the litigant asking again later gets a new
    order rather than a QR code WeChat would refuse. Within the two hours, the same order."""
    from authflow import set_clock

    clock = set_clock(shop.client)
    first = await shop.order()
    notice = first["fee_notice_id"]
    placed = shop.fake.orders[first["order_no"]].request
    assert placed["time_expire"] == (clock.current + timedelta(hours=2)).replace(microsecond=0).isoformat()
    again = await shop.client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(first["token"]))
    assert again.status == 200 and (await again.json())["order_no"] == first["order_no"]
    clock.advance(hours=2)
    fresh = await shop.client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(first["token"]))
    body = await fresh.json()
    assert fresh.status == 201 and body["order_no"] != first["order_no"] and body["pay_url"] != first["pay_url"]
    assert (await shop.state())[0] == [(first["order_no"], "closed", None), (body["order_no"], "created", None)]
    assert set(shop.fake.orders) == {first["order_no"], body["order_no"]}


async def test_when_wechat_pay_does_not_take_the_order_nothing_is_created(shop: Shop) -> None:
    shop.fake.fail_with = (500, "SYSTEM_ERROR")
    litigant_id, token = await add_litigant(shop.client.app)
    notice = await add_notice(shop.client.app, litigant_id)
    resp = await shop.client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(token))
    body = await resp.json()
    assert resp.status == 503 and body["error"] == "payment_unavailable" and "稍后" in body["message"]
    assert await shop.state() == ([], [("unpaid",)], [], [(0,)])
    # An answer not signed by WeChat Pay's key (someone else on the line) is not believed either.
    shop.fake.fail_with, real = None, shop.fake.platform_key
    shop.fake.platform_key = new_key()
    resp = await shop.client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(token))
    assert resp.status == 503 and (await shop.state())[0] == []
    shop.fake.platform_key = real
    resp = await shop.client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(token))
    assert resp.status == 201


async def test_the_fake_checks_the_merchants_signature(shop: Shop, tmp_path: Path) -> None:
    """An order signed with a key that is not the merchant's is refused by the fake (SIGN_ERROR):
    the fake would catch a wrong Authorization in the client."""
    config = WeChatPayConfig.from_env()
    impostor = WeChatPayProvider(config, new_key(), shop.fake.platform_key.public_key())
    with pytest.raises(PaymentUnavailable, match="401 SIGN_ERROR"):
        await impostor.prepare(OrderRequest("PAY20260101000000ABCDEF", 100, "诉讼费", datetime.now(timezone.utc)))
    assert shop.fake.orders == {}


@given(st.integers(min_value=0, max_value=10 ** 12))
def test_fen_and_yuan_are_exact_inverses(amount_fen: int) -> None:
    assert fen(yuan(amount_fen)) == amount_fen
    assert yuan(amount_fen) == Decimal(amount_fen) / 100


def test_fen_refuses_a_fraction_of_a_fen() -> None:
    assert fen(Decimal("1050.10")) == 105010 and fen(Decimal("0.01")) == 1  # float would give 105009.99…
    with pytest.raises(ValueError):
        fen(Decimal("0.005"))
