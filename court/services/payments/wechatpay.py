"""The production payment provider: 微信支付 APIv3, Native payment (扫码支付).

Why Native: the litigant pays from the court's page or chat, on a computer or a phone, without the
court holding a WeChat OpenID of theirs (JSAPI needs one); the order's ``code_url`` is shown as a QR
code or opened in WeChat. The protocol, as WeChat Pay documents it:

* every request the merchant sends carries ``Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,
  nonce_str=…,signature=…,timestamp=…,serial_no=…`` — SHA256withRSA (PKCS#1 v1.5) with the merchant
  private key over ``METHOD\\nPATH?QUERY\\ntimestamp\\nnonce\\nbody\\n`` (`serial_no`: the merchant
  certificate's serial);
* every answer and every notification is signed by WeChat Pay with the platform key: headers
  ``Wechatpay-Timestamp/Nonce/Signature/Serial`` over ``timestamp\\nnonce\\nbody\\n``; the serial
  names the key (微信支付公钥 ID, ``PUB_KEY_ID_…``), and a serial we do not know is refused;
* a notification's ``resource`` is AEAD_AES_256_GCM ciphertext under the 32-byte APIv3 key, with
  its ``nonce`` and ``associated_data``.

Money travels as whole fen (``amount.total``), converted exactly from the notice's Decimal yuan
(court/services/payments/service.py: fen). Settings from the environment: court/infra/wechatpay_config.py.
"""
from __future__ import annotations

import asyncio
import base64
import json
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Mapping, Optional
from urllib.parse import quote, urlsplit

import aiohttp
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from court.infra.wechatpay_config import NAME, WeChatPayConfig
from court.services.payments.provider import (
    NONCE, SERIAL, SIGNATURE, TIMESTAMP, MAX_SKEW_S, OrderRequest, PaymentProvider, PaymentUnavailable,
    Transaction, header, parse_transaction, rfc3339, signing_message,
)

SCHEMA = "WECHATPAY2-SHA256-RSA2048"
ALGORITHM = "AEAD_AES_256_GCM"
NATIVE = "/v3/pay/transactions/native"
# WeChat Pay keeps a Native code_url for two hours; the order expires with it (time_expire).
CODE_URL_TTL = timedelta(hours=2)


def load_private_key(path: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
        raise ValueError(f"{path}: not an RSA private key of at least 2048 bits")
    return key


def load_public_key(path: str) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(Path(path).read_bytes())
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < 2048:
        raise ValueError(f"{path}: not an RSA public key of at least 2048 bits")
    return key


def rsa_sign(key: rsa.RSAPrivateKey, message: bytes) -> str:
    """SHA256withRSA (PKCS#1 v1.5), base64: the signature of APIv3 in both directions."""
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def rsa_verify(key: rsa.RSAPublicKey, message: bytes, signature: str) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def request_message(method: str, path: str, timestamp: str, nonce: str, body: str) -> bytes:
    """What the merchant signs: method, the URL's path and query, timestamp, nonce, body — each line-ended."""
    return f"{method}\n{path}\n{timestamp}\n{nonce}\n{body}\n".encode("utf-8")


def authorization(mchid: str, serial: str, key: rsa.RSAPrivateKey, method: str, path: str, body: str,
                  timestamp: Optional[str] = None, nonce: Optional[str] = None) -> str:
    """The Authorization header of one merchant request."""
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or secrets.token_hex(16).upper()
    signature = rsa_sign(key, request_message(method, path, timestamp, nonce, body))
    return (f'{SCHEMA} mchid="{mchid}",nonce_str="{nonce}",signature="{signature}",'
            f'timestamp="{timestamp}",serial_no="{serial}"')


def parse_authorization(value: str) -> Optional[dict[str, str]]:
    """The five parameters of an APIv3 Authorization header, or None when it is not one."""
    scheme, _, rest = value.partition(" ")
    if scheme != SCHEMA:
        return None
    params: dict[str, str] = {}
    for part in rest.split(","):
        name, sep, quoted = part.strip().partition("=")
        if not sep or len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
            return None
        params[name] = quoted[1:-1]
    wanted = {"mchid", "nonce_str", "signature", "timestamp", "serial_no"}
    return params if wanted <= params.keys() else None


def encrypt_resource(apiv3_key: str, plaintext: bytes, associated_data: str = "transaction") -> dict[str, str]:
    """A notification's resource as WeChat Pay builds it (used by tests/fakes/wechatpay.py)."""
    nonce = secrets.token_hex(6)  # 12 ASCII characters, as WeChat sends
    sealed = AESGCM(apiv3_key.encode("ascii")).encrypt(nonce.encode(), plaintext, associated_data.encode())
    return {"original_type": "transaction", "algorithm": ALGORITHM, "ciphertext": base64.b64encode(sealed).decode(),
            "associated_data": associated_data, "nonce": nonce}


def decrypt_resource(apiv3_key: str, resource: Mapping[str, Any]) -> bytes:
    """AEAD_AES_256_GCM: ciphertext (base64, the 16-byte tag at its end), nonce, associated_data."""
    fields = [resource.get(name) for name in ("ciphertext", "nonce", "associated_data")]
    if resource.get("algorithm") != ALGORITHM or not all(isinstance(f, str) for f in fields):
        raise ValueError("not an AEAD_AES_256_GCM resource")
    ciphertext, nonce, associated = fields
    try:
        return AESGCM(apiv3_key.encode("ascii")).decrypt(
            nonce.encode("utf-8"), base64.b64decode(ciphertext, validate=True), associated.encode("utf-8"))
    except (InvalidTag, ValueError) as err:  # a tampered ciphertext, nonce or associated data; bad base64
        raise ValueError("the resource does not decrypt under the APIv3 key") from err


class WeChatPayProvider(PaymentProvider):
    """微信支付 APIv3 for one merchant: orders out, signed answers and notifications in."""

    name = NAME
    order_ttl = CODE_URL_TTL

    def __init__(self, config: WeChatPayConfig, private_key: rsa.RSAPrivateKey,
                 platform_key: rsa.RSAPublicKey, timeout_s: float = 10.0) -> None:
        if len(config.apiv3_key.encode("utf-8")) != 32 or not config.apiv3_key.isascii():
            raise ValueError("the APIv3 key (COURT_WECHATPAY_APIV3_KEY) must be 32 ASCII characters")
        self.config, self._key, self._platform_key, self.timeout_s = config, private_key, platform_key, timeout_s

    @classmethod
    def load(cls, config: WeChatPayConfig) -> "WeChatPayProvider":
        """The provider with its keys read from the configured PEM files; ValueError/OSError when unusable."""
        return cls(config, load_private_key(config.private_key_path), load_public_key(config.platform_key_path))

    # --- what WeChat Pay sends us ---------------------------------------------------------------

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        if header(headers, SERIAL) != self.config.platform_key_id:
            return False  # a key we do not know (WeChat: 以 Wechatpay-Serial 选择验签的公钥)
        message = signing_message(header(headers, TIMESTAMP), header(headers, NONCE), body)
        return rsa_verify(self._platform_key, message, header(headers, SIGNATURE))

    def decrypt(self, resource: Mapping[str, Any]) -> bytes:
        plain = decrypt_resource(self.config.apiv3_key, resource)
        data = json.loads(plain.decode("utf-8"))
        if not isinstance(data, dict) or data.get("mchid") != self.config.mchid or data.get("appid") != self.config.appid:
            raise ValueError("the transaction is not this merchant's")
        return plain

    def pay_url(self, order_no: str, base_url: str) -> str:
        return ""  # only the code_url WeChat Pay answered (kept with the order) is a way to pay

    # --- what we ask WeChat Pay ------------------------------------------------------------------

    async def prepare(self, order: OrderRequest) -> str:
        """下单 (Native): the order's code_url. Same out_trade_no and fields again → the same order."""
        body = {"appid": self.config.appid, "mchid": self.config.mchid, "description": order.description[:127],
                "out_trade_no": order.order_no, "time_expire": rfc3339(order.created_at + CODE_URL_TTL),
                "notify_url": self.config.notify_url, "amount": {"total": order.amount_fen, "currency": "CNY"}}
        status, answer = await self._call("POST", NATIVE, body)
        code_url = answer.get("code_url") if status == 200 else None
        if not isinstance(code_url, str) or not code_url:
            raise PaymentUnavailable(f"native order refused: {status} {answer.get('code')}")
        return code_url

    async def query(self, order_no: str) -> Optional[Transaction]:
        """查询订单 by out_trade_no (for reconciliation); None when WeChat Pay has no such order."""
        path = f"/v3/pay/transactions/out-trade-no/{quote(order_no, safe='')}?mchid={quote(self.config.mchid)}"
        status, answer = await self._call("GET", path, None)
        if status == 404:
            return None
        if status != 200:
            raise PaymentUnavailable(f"order query refused: {status} {answer.get('code')}")
        if answer.get("mchid") != self.config.mchid:
            raise PaymentUnavailable("order query answered for another merchant")
        if answer.get("trade_state") == "SUCCESS":
            return parse_transaction(answer)
        amount = answer.get("amount") if isinstance(answer.get("amount"), dict) else {}
        return Transaction(order_no=order_no, transaction_id="", trade_state=str(answer.get("trade_state", "")),
                           amount_fen=int(amount.get("total", 0)), currency=str(amount.get("currency", "CNY")),
                           success_time=None)  # not paid (NOTPAY, CLOSED…): no transaction id yet

    async def _call(self, method: str, path: str, payload: Optional[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        """One signed request; the answer only when WeChat Pay's signature on it holds."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")) if payload is not None else ""
        auth = authorization(self.config.mchid, self.config.merchant_serial, self._key, method, path, body)
        headers = {"Authorization": auth, "Accept": "application/json", "User-Agent": "court-backend/1"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout_s)) as http:
                async with http.request(method, self.config.api_base + path, data=body.encode("utf-8") or None,
                                        headers=headers) as resp:
                    raw, status, answer_headers = await resp.read(), resp.status, resp.headers
        except (aiohttp.ClientError, asyncio.TimeoutError) as err:
            raise PaymentUnavailable(f"WeChat Pay unreachable: {type(err).__name__}") from err
        if not self._answer_is_genuine(answer_headers, raw):
            raise PaymentUnavailable(f"WeChat Pay's answer to {method} {urlsplit(path).path} is not signed by it")
        try:
            answer = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            raise PaymentUnavailable("WeChat Pay answered something that is not JSON") from None
        return status, answer if isinstance(answer, dict) else {}

    def _answer_is_genuine(self, headers: Mapping[str, str], raw: bytes) -> bool:
        """验证应答签名: the platform key's signature, a known serial, a timestamp within 5 minutes."""
        stamp = header(headers, TIMESTAMP)
        if not (stamp.isascii() and stamp.isdigit()) or abs(int(stamp) - time.time()) > MAX_SKEW_S:
            return False
        return self.verify(headers, raw)
