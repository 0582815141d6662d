"""The development payment provider: WeChat Pay v3 notifications, signed with HMAC-SHA256, not encrypted.

Where WeChat signs with RSA (SHA256withRSA, platform certificate `Wechatpay-Serial`), this one
signs the same message with HMAC-SHA256 under `Settings.payment_dev_secret` (base64). Where
WeChat encrypts the resource (AEAD_AES_256_GCM), this one puts the transaction JSON as it is into
`resource.ciphertext` with `algorithm: "NONE"`. It also *builds* notifications, for the dev pay
page and for tests.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime
from typing import Any, Mapping

from court.services.payments.provider import (
    NONCE, SERIAL, SIGNATURE, TIMESTAMP, TRANSACTION_SUCCESS, PaymentProvider, header, rfc3339, signing_message,
)

DEV_SERIAL = "DEV-HMAC-SHA256-1"


class DevProvider(PaymentProvider):
    name = "dev"

    def __init__(self, secret: str, serial: str = DEV_SERIAL) -> None:
        if not secret:
            raise ValueError("the dev payment provider needs a secret")
        self._key = secret.encode("utf-8")
        self.serial = serial

    def sign(self, timestamp: str, nonce: str, body: bytes) -> str:
        digest = hmac.new(self._key, signing_message(timestamp, nonce, body), hashlib.sha256).digest()
        return base64.b64encode(digest).decode("ascii")

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        if header(headers, SERIAL) != self.serial:
            return False  # WeChat: a certificate we do not know
        expected = self.sign(header(headers, TIMESTAMP), header(headers, NONCE), body)
        return hmac.compare_digest(expected.encode(), header(headers, SIGNATURE).encode())

    def decrypt(self, resource: Mapping[str, Any]) -> bytes:
        if resource.get("algorithm") != "NONE" or not isinstance(resource.get("ciphertext"), str):
            raise ValueError("the dev provider expects an unencrypted resource")
        return resource["ciphertext"].encode("utf-8")

    def pay_url(self, order_no: str, base_url: str) -> str:
        return f"{base_url}/dev/pay/{order_no}"

    def build_notification(
        self, *, order_no: str, amount_fen: int, transaction_id: str, now: datetime,
        nonce: str | None = None, event_type: str = TRANSACTION_SUCCESS, trade_state: str = "SUCCESS",
    ) -> tuple[dict[str, str], bytes]:
        """A signed notification (headers, body), exactly as the provider would POST it."""
        transaction = {
            "mchid": "dev-merchant", "appid": "dev-app", "out_trade_no": order_no,
            "transaction_id": transaction_id, "trade_type": "NATIVE", "trade_state": trade_state,
            "trade_state_desc": "支付成功" if trade_state == "SUCCESS" else trade_state,
            "bank_type": "OTHERS", "success_time": rfc3339(now),
            "amount": {"total": amount_fen, "payer_total": amount_fen, "currency": "CNY", "payer_currency": "CNY"},
        }
        body = json.dumps({
            "id": f"EV-{secrets.token_hex(12)}", "create_time": rfc3339(now), "resource_type": "encrypt-resource",
            "event_type": event_type, "summary": "支付成功",
            "resource": {"original_type": "transaction", "algorithm": "NONE", "associated_data": "transaction",
                         "nonce": "", "ciphertext": json.dumps(transaction, ensure_ascii=False)},
        }, ensure_ascii=False).encode("utf-8")
        timestamp = str(int(now.timestamp()))
        nonce = nonce or secrets.token_hex(16)
        headers = {TIMESTAMP: timestamp, NONCE: nonce, SERIAL: self.serial,
                   SIGNATURE: self.sign(timestamp, nonce, body)}
        return headers, body
