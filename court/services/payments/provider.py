"""The payment provider interface, shaped like WeChat Pay API v3 payment notifications (支付结果通知).

A notification is an HTTP POST with the headers `Wechatpay-Timestamp`, `Wechatpay-Nonce`,
`Wechatpay-Signature` and `Wechatpay-Serial`, signed over ``timestamp\\nnonce\\nbody\\n``, and a JSON
body ``{id, create_time, event_type: "TRANSACTION.SUCCESS", resource_type, summary, resource: {...}}``
whose `resource` holds the transaction (WeChat: AES-256-GCM ciphertext; see `decrypt`).

A provider says whether the signature is genuine (`verify`), what the resource says (`decrypt`),
and where the litigant pays (`prepare` when the order is made, else `pay_url`). Everything else —
the timestamp window, replays, amounts, the database — is the provider-independent service (court/services/payments/service.py). The
production provider (wechatpay.py) verifies with WeChat Pay's platform public key (SHA256withRSA)
and decrypts with the APIv3 key; the dev provider (dev.py) signs with HMAC-SHA256 and does not encrypt.
"""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Optional

TIMESTAMP = "Wechatpay-Timestamp"
NONCE = "Wechatpay-Nonce"
SIGNATURE = "Wechatpay-Signature"
SERIAL = "Wechatpay-Serial"
HEADERS = (TIMESTAMP, NONCE, SIGNATURE, SERIAL)

TRANSACTION_SUCCESS = "TRANSACTION.SUCCESS"
# WeChat: "请在5分钟内处理" — a notification signed more than 5 minutes away from now is refused.
MAX_SKEW_S = 300

SUCCESS = {"code": "SUCCESS", "message": "成功"}


def fail(message: str) -> dict[str, str]:
    """The body WeChat Pay expects beside a 4xx/5xx answer (it then retries)."""
    return {"code": "FAIL", "message": message}


class NotificationError(ValueError):
    """A notification that cannot be accepted: HTTP status, machine code, Chinese message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Transaction:
    """The decrypted resource of a payment notification (the fields the court uses)."""

    order_no: str  # out_trade_no: ours
    transaction_id: str  # the provider's
    trade_state: str
    amount_fen: int
    currency: str
    success_time: Optional[str]


class PaymentUnavailable(Exception):
    """The provider could not be reached, refused, or answered unsigned: the litigant may try later (503)."""


@dataclass(frozen=True)
class OrderRequest:
    """What a provider is told about a new order (the amount in whole fen, converted exactly)."""

    order_no: str
    amount_fen: int
    description: str
    created_at: datetime


@dataclass(frozen=True)
class Notification:
    id: str
    event_type: str
    transaction: Optional[Transaction]  # None for events that are not about a transaction


def signing_message(timestamp: str, nonce: str, body: bytes) -> bytes:
    """What WeChat Pay v3 signs (and so the dev provider too): timestamp, nonce, body, each line-ended."""
    return f"{timestamp}\n{nonce}\n".encode() + body + b"\n"


def header(headers: Mapping[str, str], name: str) -> str:
    """A header value, case-insensitively from any mapping (aiohttp's CIMultiDict or a plain dict)."""
    if name in headers:
        return headers[name]
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return ""


def check_headers(headers: Mapping[str, str], now: datetime, max_skew_s: int = MAX_SKEW_S) -> None:
    """All four headers present, nonce sane, timestamp within ±5 minutes of now; else NotificationError(401)."""
    missing = [h for h in HEADERS if not header(headers, h)]
    if missing:
        raise NotificationError(401, "missing_signature", f"缺少签名信息（{missing[0]}）。")
    nonce = header(headers, NONCE)
    if len(nonce) > 64 or not nonce.isascii() or not nonce.isprintable():
        raise NotificationError(400, "invalid_nonce", "随机串格式不正确。")
    raw = header(headers, TIMESTAMP)
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
        raise NotificationError(400, "invalid_timestamp", "时间戳格式不正确。")
    skew = int(raw) - int(now.timestamp())
    if skew < -max_skew_s:
        raise NotificationError(401, "timestamp_expired", "通知已过期（时间戳早于5分钟前）。")
    if skew > max_skew_s:
        raise NotificationError(401, "timestamp_in_future", "通知时间戳超前于服务器时间5分钟以上。")


class PaymentProvider(ABC):
    """One payment channel. Implementations must not touch the database."""

    name: str
    # How long the provider keeps an order payable (WeChat Native: 2 hours); None: until paid.
    order_ttl: Optional[timedelta] = None

    @abstractmethod
    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        """True only when the signature headers prove that the provider sent exactly this body."""

    @abstractmethod
    def decrypt(self, resource: Mapping[str, Any]) -> bytes:
        """The plaintext JSON of a notification's `resource`; ValueError when it cannot be read."""

    @abstractmethod
    def pay_url(self, order_no: str, base_url: str) -> str:
        """Where the litigant pays an order the provider was not asked about ("" when there is none)."""

    async def prepare(self, order: OrderRequest) -> Optional[str]:
        """Tell the provider about a new order; its payment link (WeChat: code_url), or None when
        `pay_url` derives it. Raise :class:`PaymentUnavailable` when the provider cannot take it."""
        return None

    async def query(self, order_no: str) -> Optional[Transaction]:
        """The provider's record of an order (reconciliation); None when it has none."""
        return None

    def parse(self, body: bytes) -> Notification:
        """The notification in a verified body; NotificationError(400) when its shape is wrong."""
        try:
            data = json.loads(body.decode("utf-8"))
        except (ValueError, RecursionError):
            raise NotificationError(400, "malformed_json", "通知内容不是有效的 JSON。") from None
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(
            data.get("event_type"), str
        ):
            raise NotificationError(400, "malformed_notification", "通知缺少 id 或 event_type。")
        if data["event_type"] != TRANSACTION_SUCCESS:
            return Notification(data["id"], data["event_type"], None)
        resource = data.get("resource")
        if not isinstance(resource, dict):
            raise NotificationError(400, "malformed_notification", "通知缺少 resource。")
        try:
            plain = json.loads(self.decrypt(resource).decode("utf-8"))
        except (ValueError, RecursionError):
            raise NotificationError(400, "malformed_resource", "无法解读通知中的交易信息。") from None
        return Notification(data["id"], data["event_type"], parse_transaction(plain))


def parse_transaction(plain: Any) -> Transaction:
    """WeChat's transaction object: out_trade_no, transaction_id, trade_state, amount.total (fen), currency."""
    if not isinstance(plain, dict):
        raise NotificationError(400, "malformed_resource", "交易信息格式不正确。")
    amount = plain.get("amount")
    total = amount.get("total") if isinstance(amount, dict) else None
    currency = amount.get("currency", "CNY") if isinstance(amount, dict) else None
    fields = (plain.get("out_trade_no"), plain.get("transaction_id"), plain.get("trade_state"))
    if (not all(isinstance(f, str) and 0 < len(f) <= 64 for f in fields)
            or not isinstance(total, int) or isinstance(total, bool) or total < 0 or not isinstance(currency, str)):
        raise NotificationError(400, "malformed_resource", "交易信息缺少订单号、交易号或金额。")
    success_time = plain.get("success_time")
    return Transaction(
        order_no=fields[0], transaction_id=fields[1], trade_state=fields[2], amount_fen=total,
        currency=currency, success_time=success_time if isinstance(success_time, str) else None,
    )


def rfc3339(moment: datetime) -> str:
    """WeChat's time format, e.g. 2026-03-01T16:00:00+08:00 (here in UTC)."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()
