"""A fake 微信支付 APIv3 server on loopback for tests and the production profile, speaking the real
protocol with keys of its own (court/services/payments/wechatpay.py is the client):

* it checks every merchant request's ``Authorization: WECHATPAY2-SHA256-RSA2048 …`` — the
  merchant certificate's serial, a timestamp within 5 minutes, a nonce not seen before, and the
  SHA256withRSA signature with the merchant's public key — and refuses as WeChat Pay does
  (401 ``SIGN_ERROR``, 400 ``PARAM_ERROR``);
* ``POST /v3/pay/transactions/native`` creates an order (the same out_trade_no with the same fields
  again answers the same code_url; with other fields ``ORDER_NO_USED``) and answers its code_url;
* ``GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=`` answers the order's state;
* every answer is signed with the platform private key (``Wechatpay-*`` headers, serial = the
  platform public key id);
* ``POST /_pay/{out_trade_no}`` (the fake's own control, standing in for the payer scanning the
  code): marks the order paid, then POSTs a TRANSACTION.SUCCESS notification — the transaction
  AES-256-GCM-encrypted under the APIv3 key, the body signed with the platform key — to the order's
  notify_url and answers what the merchant's server said. ``GET /_notifications`` lists them.

    python -m tests.fakes.wechatpay --port N --keys DIR --mchid ID --appid ID --merchant-serial S --apiv3-key K

With ``--keys DIR``, missing keys are generated there first (merchant_private.pem — which the
court's backend signs with, standing in for apiclient_key.pem — and platform_public.pem, which it
verifies with); the fake keeps the merchant's public key and the platform's private key.
"""
from __future__ import annotations

import argparse
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import aiohttp
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from court.services.payments.provider import NONCE, SERIAL, SIGNATURE, TIMESTAMP, rfc3339, signing_message
from court.services.payments.wechatpay import (
    encrypt_resource, parse_authorization, request_message, rsa_sign, rsa_verify,
)

PLATFORM_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000FAKE"
MAX_SKEW_S = 300


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@dataclass
class FakeOrder:
    request: dict[str, Any]
    code_url: str
    trade_state: str = "NOTPAY"
    transaction_id: Optional[str] = None
    success_time: Optional[str] = None


@dataclass
class FakeWeChatPay:
    mchid: str
    appid: str
    merchant_serial: str
    merchant_public_key: rsa.RSAPublicKey
    apiv3_key: str
    platform_key: rsa.RSAPrivateKey = field(default_factory=new_key)
    platform_key_id: str = PLATFORM_KEY_ID
    orders: dict[str, FakeOrder] = field(default_factory=dict)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    nonces: set[str] = field(default_factory=set)
    fail_with: Optional[tuple[int, str]] = None  # e.g. (500, "SYSTEM_ERROR") for the next orders

    # --- signing what the fake says ----------------------------------------------------------------

    def signed_headers(self, body: bytes, *, timestamp: Optional[str] = None, nonce: Optional[str] = None,
                       serial: Optional[str] = None) -> dict[str, str]:
        timestamp = timestamp or str(int(time.time()))
        nonce = nonce or secrets.token_hex(16)
        return {TIMESTAMP: timestamp, NONCE: nonce, SERIAL: serial or self.platform_key_id,
                SIGNATURE: rsa_sign(self.platform_key, signing_message(timestamp, nonce, body))}

    def answer(self, data: Optional[dict[str, Any]], status: int = 200) -> web.Response:
        body = json.dumps(data, ensure_ascii=False).encode() if data is not None else b""
        return web.Response(body=body, status=status, content_type="application/json",
                            headers={**self.signed_headers(body), "Request-ID": uuid.uuid4().hex})

    def error(self, status: int, code: str, message: str) -> web.Response:
        return self.answer({"code": code, "message": message}, status)

    # --- checking what the merchant says -----------------------------------------------------------

    def refusal(self, request: web.Request, body: str) -> Optional[web.Response]:
        auth = parse_authorization(request.headers.get("Authorization", ""))
        if auth is None:
            return self.error(401, "SIGN_ERROR", "Authorization 缺失或格式错误")
        if auth["mchid"] != self.mchid:
            return self.error(401, "SIGN_ERROR", "商户号与签名不符")
        if auth["serial_no"] != self.merchant_serial:
            return self.error(401, "SIGN_ERROR", "商户证书序列号有误")
        if not auth["timestamp"].isdigit() or abs(int(auth["timestamp"]) - time.time()) > MAX_SKEW_S:
            return self.error(401, "SIGN_ERROR", "时间戳超出允许范围")
        if auth["nonce_str"] in self.nonces:
            return self.error(401, "SIGN_ERROR", "随机串重复")
        message = request_message(request.method, request.raw_path, auth["timestamp"], auth["nonce_str"], body)
        if not rsa_verify(self.merchant_public_key, message, auth["signature"]):
            return self.error(401, "SIGN_ERROR", "签名错误")
        self.nonces.add(auth["nonce_str"])
        return None

    async def native(self, request: web.Request) -> web.Response:
        body = await request.text()
        refusal = self.refusal(request, body)
        if refusal is not None:
            return refusal
        if self.fail_with:
            return self.error(self.fail_with[0], self.fail_with[1], "系统繁忙，请稍后重试")
        try:
            order = json.loads(body)
            total, currency = order["amount"]["total"], order["amount"].get("currency", "CNY")
            ok = (order["appid"] == self.appid and order["mchid"] == self.mchid and isinstance(total, int)
                  and total > 0 and currency == "CNY" and order["notify_url"].startswith(("https://", "http://"))
                  and 6 <= len(order["out_trade_no"]) <= 32 and 0 < len(order["description"]) <= 127)
        except (ValueError, KeyError, TypeError, AttributeError):
            ok = False
        if not ok:
            return self.error(400, "PARAM_ERROR", "参数错误")
        known = self.orders.get(order["out_trade_no"])
        if known is not None:
            if known.request != order:
                return self.error(400, "ORDER_NO_USED", "商户订单号重复")
            return self.answer({"code_url": known.code_url})
        code_url = f"weixin://wxpay/bizpayurl?pr={secrets.token_urlsafe(8)}"
        self.orders[order["out_trade_no"]] = FakeOrder(order, code_url)
        return self.answer({"code_url": code_url})

    async def query(self, request: web.Request) -> web.Response:
        refusal = self.refusal(request, "")
        if refusal is not None:
            return refusal
        if request.query.get("mchid") != self.mchid:
            return self.error(400, "PARAM_ERROR", "商户号有误")
        order = self.orders.get(request.match_info["out_trade_no"])
        if order is None:
            return self.error(404, "ORDER_NOT_EXIST", "订单不存在")
        return self.answer(self.transaction(order))

    # --- paying ----------------------------------------------------------------------------------

    def transaction(self, order: FakeOrder, amount_fen: Optional[int] = None) -> dict[str, Any]:
        total = order.request["amount"]["total"] if amount_fen is None else amount_fen
        data: dict[str, Any] = {
            "appid": self.appid, "mchid": self.mchid, "out_trade_no": order.request["out_trade_no"],
            "trade_type": "NATIVE", "trade_state": order.trade_state,
            "trade_state_desc": "支付成功" if order.trade_state == "SUCCESS" else "订单未支付",
            "amount": {"total": total, "currency": "CNY"}, "payer": {"openid": "oFAKE" + "x" * 23}}
        if order.transaction_id:
            data.update(transaction_id=order.transaction_id, bank_type="OTHERS", success_time=order.success_time,
                        amount={"total": total, "payer_total": total, "currency": "CNY", "payer_currency": "CNY"})
        return data  # before payment WeChat Pay leaves transaction_id out

    def mark_paid(self, out_trade_no: str) -> FakeOrder:
        order = self.orders[out_trade_no]
        if order.trade_state != "SUCCESS":
            order.trade_state = "SUCCESS"
            order.transaction_id = f"4200{int(time.time())}{secrets.randbelow(10 ** 14):014d}"[:32]
            order.success_time = rfc3339(datetime.now(timezone.utc))
        return order

    def notification(self, order: FakeOrder, *, amount_fen: Optional[int] = None,
                     timestamp: Optional[str] = None, nonce: Optional[str] = None,
                     serial: Optional[str] = None) -> tuple[dict[str, str], bytes]:
        """A TRANSACTION.SUCCESS notification for a paid order: (headers, body), exactly as WeChat Pay POSTs it."""
        plain = json.dumps(self.transaction(order, amount_fen), ensure_ascii=False).encode()
        now = datetime.now(timezone.utc)
        body = json.dumps({
            "id": str(uuid.uuid4()), "create_time": rfc3339(now), "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
            "resource": encrypt_resource(self.apiv3_key, plain)}, ensure_ascii=False).encode()
        return {**self.signed_headers(body, timestamp=timestamp, nonce=nonce, serial=serial),
                "Content-Type": "application/json"}, body

    async def deliver(self, url: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
        """POST a notification to the merchant; what it answered."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
            async with http.post(url, data=body, headers=headers) as resp:
                answered = {"status": resp.status, "body": await resp.json(content_type=None)}
        self.notifications.append({"headers": headers, "sent": body.decode(), "answer": answered})
        return answered

    async def pay(self, request: web.Request) -> web.Response:
        """POST /_pay/{out_trade_no}: the payer paid; the notification goes out; its answer comes back."""
        out_trade_no = request.match_info["out_trade_no"]
        if out_trade_no not in self.orders:
            return web.json_response({"code": "ORDER_NOT_EXIST"}, status=404)
        order = self.mark_paid(out_trade_no)
        headers, body = self.notification(order)
        return web.json_response(await self.deliver(order.request["notify_url"], headers, body))

    async def listing(self, _request: web.Request) -> web.Response:
        return web.json_response(self.notifications)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/pay/transactions/native", self.native)
        app.router.add_get("/v3/pay/transactions/out-trade-no/{out_trade_no}", self.query)
        app.router.add_post("/_pay/{out_trade_no}", self.pay)
        app.router.add_get("/_notifications", self.listing)
        return app


def keys_in(directory: Path) -> tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey]:
    """(merchant key, platform key) from `directory`, generated there first when missing."""
    directory.mkdir(parents=True, exist_ok=True)
    keys = []
    for name in ("merchant", "platform"):
        path = directory / f"{name}_private.pem"
        if not path.exists():
            path.touch(mode=0o600)
            path.write_bytes(private_pem(new_key()))
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        (directory / f"{name}_public.pem").write_bytes(public_pem(key))
        keys.append(key)
    return keys[0], keys[1]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakes.wechatpay")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--keys", type=Path, required=True, help="directory of the merchant's and platform's keys")
    parser.add_argument("--mchid", required=True)
    parser.add_argument("--appid", required=True)
    parser.add_argument("--merchant-serial", required=True)
    parser.add_argument("--apiv3-key", required=True)
    parser.add_argument("--platform-key-id", default=PLATFORM_KEY_ID)
    args = parser.parse_args()
    merchant, platform = keys_in(args.keys)
    fake = FakeWeChatPay(args.mchid, args.appid, args.merchant_serial, merchant.public_key(), args.apiv3_key,
                         platform, args.platform_key_id)
    web.run_app(fake.app(), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
