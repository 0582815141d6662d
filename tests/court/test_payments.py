"""Payment pieces without a database: signatures, the timestamp window, notification parsing, 大写金额."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from court.infra.config import Settings
from court.services.payments.dev import DEV_SERIAL, DevProvider
from court.services.payments.provider import (
    NONCE, SERIAL, SIGNATURE, TIMESTAMP, NotificationError, check_headers, signing_message,
)
from court.services.payments.rmb import rmb_upper
from court.services.payments.service import fen, make_provider, new_order_no

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
SECRET = "unit-test-secret"


def notification(provider: DevProvider, **kw):
    args = dict(order_no="PAY20260301080000ABCDEF01", amount_fen=230000, transaction_id="4200000001", now=NOW)
    args.update(kw)
    return provider.build_notification(**args)


def test_signing_message_is_wechat_pay_v3s() -> None:
    assert signing_message("1700000000", "abc", b'{"a":1}') == b'1700000000\nabc\n{"a":1}\n'


def test_dev_signature_is_base64_hmac_sha256_of_the_message() -> None:
    provider = DevProvider(SECRET)
    headers, body = notification(provider)
    expected = base64.b64encode(hmac.new(
        SECRET.encode(), f"{headers[TIMESTAMP]}\n{headers[NONCE]}\n".encode() + body + b"\n", hashlib.sha256
    ).digest()).decode()
    assert headers[SIGNATURE] == expected and headers[SERIAL] == DEV_SERIAL
    assert provider.verify(headers, body)
    assert provider.verify({k.lower(): v for k, v in headers.items()}, body)  # header names are case-insensitive


def test_verify_refuses_anything_changed() -> None:
    provider = DevProvider(SECRET)
    headers, body = notification(provider)
    assert not provider.verify(headers, body.replace(b"230000", b"000001"))
    assert not provider.verify({**headers, NONCE: "other"}, body)
    assert not provider.verify({**headers, TIMESTAMP: str(int(headers[TIMESTAMP]) + 1)}, body)
    assert not provider.verify({**headers, SERIAL: "SOME-OTHER-CERT"}, body)
    assert not provider.verify({**headers, SIGNATURE: ""}, body)
    assert not DevProvider("another-secret").verify(headers, body)
    assert not provider.verify({}, body)


@pytest.mark.parametrize("offset, code", [
    (0, None), (-300, None), (300, None), (-301, "timestamp_expired"), (301, "timestamp_in_future"),
])
def test_timestamp_window_is_five_minutes(offset: int, code) -> None:
    headers, _ = notification(DevProvider(SECRET), now=NOW + timedelta(seconds=offset))
    if code is None:
        check_headers(headers, NOW)
    else:
        with pytest.raises(NotificationError) as err:
            check_headers(headers, NOW)
        assert (err.value.status, err.value.code) == (401, code)


@pytest.mark.parametrize("change, status", [
    ({TIMESTAMP: ""}, 401), ({SIGNATURE: ""}, 401), ({TIMESTAMP: "yesterday"}, 400), ({NONCE: "x" * 65}, 400),
])
def test_malformed_headers(change: dict, status: int) -> None:
    headers, _ = notification(DevProvider(SECRET))
    with pytest.raises(NotificationError) as err:
        check_headers({**headers, **change}, NOW)
    assert err.value.status == status


def test_parse_reads_the_transaction() -> None:
    provider = DevProvider(SECRET)
    _, body = notification(provider)
    parsed = provider.parse(body)
    assert parsed.event_type == "TRANSACTION.SUCCESS"
    txn = parsed.transaction
    assert (txn.order_no, txn.transaction_id, txn.trade_state, txn.amount_fen, txn.currency) == (
        "PAY20260301080000ABCDEF01", "4200000001", "SUCCESS", 230000, "CNY")


def test_parse_other_events_and_bad_shapes() -> None:
    provider = DevProvider(SECRET)
    _, body = notification(provider, event_type="REFUND.SUCCESS")
    assert provider.parse(body).transaction is None
    for bad in (b"not json", b"[]", b'{"id": "x"}', b'{"id": "x", "event_type": "TRANSACTION.SUCCESS"}'):
        with pytest.raises(NotificationError) as err:
            provider.parse(bad)
        assert err.value.status == 400
    data = json.loads(notification(provider)[1])
    inner = json.loads(data["resource"]["ciphertext"])
    inner["amount"]["total"] = 2300.0  # a float amount
    data["resource"]["ciphertext"] = json.dumps(inner)
    with pytest.raises(NotificationError):
        provider.parse(json.dumps(data).encode())
    data["resource"]["algorithm"] = "AEAD_AES_256_GCM"  # the dev provider does not decrypt
    with pytest.raises(NotificationError):
        provider.parse(json.dumps(data).encode())


def test_provider_configuration() -> None:
    assert isinstance(make_provider(Settings(dev_mode=True)), DevProvider)
    with pytest.raises(RuntimeError, match="COURT_DEV_MODE=1"):
        make_provider(Settings(dev_mode=False))  # the dev provider is for development only...
    with pytest.raises(RuntimeError, match="COURT_DEV_MODE=1"):
        make_provider(Settings(dev_mode=False, payment_dev_secret="s3cret"))  # ...whatever its secret
    with pytest.raises(RuntimeError):
        make_provider(replace(Settings(), payment_provider="alipay"))


def test_money_helpers() -> None:
    assert fen(Decimal("2300.00")) == 230000 and fen(Decimal("0.01")) == 1
    no = new_order_no(NOW)
    assert no.startswith("PAY20260301080000") and len(no) == 25 and no.isalnum()


@pytest.mark.parametrize("amount, words", [
    ("0", "零元整"), ("0.50", "伍角"), ("0.05", "伍分"), ("1.05", "壹元零伍分"), ("10", "壹拾元整"),
    ("50", "伍拾元整"), ("2300", "贰仟叁佰元整"), ("13800", "壹万叁仟捌佰元整"), ("191800", "壹拾玖万壹仟捌佰元整"),
    ("1001", "壹仟零壹元整"), ("1010.10", "壹仟零壹拾元壹角"), ("20000001", "贰仟万零壹元整"),
    ("100010000", "壹亿零壹万元整"), ("12345678.91", "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角壹分"),
])
def test_rmb_upper(amount: str, words: str) -> None:
    assert rmb_upper(Decimal(amount)) == words
