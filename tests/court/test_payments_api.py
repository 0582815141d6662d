"""Payments on SQLite and PostgreSQL: orders for fee notices, the signed notify callback, the dev pay page.

Cases and fee notices are made directly through the models (as docketing would), so these tests do
not depend on the review endpoints.
"""
from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

import pytest
from yarl import URL

from authflow import add_fee_notice
from profiles import production_settings
from court.api.auth import issue_token
from court.app import create_app
from court.infra.app_keys import SESSIONMAKER
from court.infra.config import Settings
from court.infra.models import Litigant, Staff, utcnow
from court.services.payments.dev import DevProvider
from court.services.payments.provider import NONCE

FEE = Decimal("2300.00")
_seq = iter(range(1, 100_000))


# --- helpers ------------------------------------------------------------------------------------


async def add_litigant(app, id_number: str = "11010519491231002X") -> tuple[int, str]:
    async with app[SESSIONMAKER]() as session:
        litigant = Litigant(name="张三", id_number=id_number, phone="13800138000", created_at=utcnow())
        session.add(litigant)
        await session.flush()
        token, _ = await issue_token(session, at=utcnow(), litigant=litigant)
        await session.commit()
        return litigant.id, token


async def add_staff_token(app, court_code: str | None) -> str:
    async with app[SESSIONMAKER]() as session:
        staff = Staff(username=f"clerk{next(_seq)}", display_name="李法官", password_hash="-", role="judge",
                      court_code=court_code, active=True, created_at=utcnow())
        session.add(staff)
        await session.flush()
        token, _ = await issue_token(session, at=utcnow(), staff=staff)
        await session.commit()
        return token


async def add_notice(app, litigant_id: int, *, amount: Decimal = FEE, status: str = "unpaid",
                     due_in: timedelta = timedelta(days=7)) -> str:
    """A docketed filing with its case and fee notice (what review._docket makes); returns the notice id."""
    return await add_fee_notice(app, litigant_id, amount=amount, status=status, due_at=utcnow() + due_in)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def order(client):
    """(order json, litigant token, notice id) for a fresh unpaid 2300.00 notice."""
    litigant_id, token = await add_litigant(client.app)
    notice = await add_notice(client.app, litigant_id)
    resp = await client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(token))
    assert resp.status == 201, await resp.text()
    return await resp.json(), token, notice


def provider(settings: Settings) -> DevProvider:
    return DevProvider(settings.payment_dev_secret)


async def notify(client, headers: dict, body: bytes):
    return await client.post("/api/v1/payments/notify", data=body,
                             headers={**headers, "Content-Type": "application/json"})


def signed(settings: Settings, order_no: str, *, amount_fen: int = 230000, txn: str = "4200000000202603010001",
           now=None, **kw):
    return provider(settings).build_notification(order_no=order_no, amount_fen=amount_fen, transaction_id=txn,
                                                 now=now or utcnow(), **kw)


async def state(db_rows) -> tuple:
    """Everything a notification may change: payments, notices, events, seen nonces."""
    return (
        await db_rows("SELECT order_no, status, provider_txn, paid_at IS NOT NULL FROM payments ORDER BY id"),
        await db_rows("SELECT public_id, status FROM fee_notices ORDER BY id"),
        await db_rows("SELECT action, before, after FROM events ORDER BY id"),
        await db_rows("SELECT count(*) FROM payment_notifications"),
    )


# --- orders -------------------------------------------------------------------------------------


async def test_create_order_takes_the_amount_from_the_notice(client, db_rows, order):
    body, _token, notice = order
    assert body["amount"] == "2300.00" and body["amount_in_words"] == "贰仟叁佰元整"
    assert body["status"] == "created" and body["status_label"] == "待支付" and body["provider"] == "dev"
    assert body["fee_notice_id"] == notice and body["paid_at"] is None and body["currency"] == "CNY"
    assert body["pay_url"].endswith(f"/dev/pay/{body['order_no']}") and body["pay_url"].startswith("http")
    assert await db_rows("SELECT order_no, amount, status, provider FROM payments") == [
        (body["order_no"], 230000, "created", "dev")]
    assert await db_rows("SELECT action FROM events") == [("payment_created",)]


async def test_second_create_returns_the_open_order(client, db_rows, order):
    body, token, notice = order
    again = await client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(token))
    assert again.status == 200
    assert (await again.json())["order_no"] == body["order_no"]
    assert await db_rows("SELECT count(*) FROM payments") == [(1,)]


async def test_concurrent_creates_make_one_order(client, db_rows):
    litigant_id, token = await add_litigant(client.app)
    notice = await add_notice(client.app, litigant_id)
    responses = await asyncio.gather(*[
        client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(token)) for _ in range(5)
    ])
    assert sorted(r.status for r in responses) == [200, 200, 200, 200, 201]
    assert len({(await r.json())["order_no"] for r in responses}) == 1
    assert await db_rows("SELECT count(*) FROM payments") == [(1,)]


async def test_client_cannot_send_an_amount(client, db_rows):
    litigant_id, token = await add_litigant(client.app)
    notice = await add_notice(client.app, litigant_id)
    resp = await client.post("/api/v1/payments", json={"fee_notice_id": notice, "amount": "0.01"}, headers=auth(token))
    assert resp.status == 400
    assert (await resp.json())["error"] == "unknown_field" and (await resp.json())["field"] == "amount"
    resp = await client.post("/api/v1/payments", json={}, headers=auth(token))
    assert resp.status == 400 and (await resp.json())["error"] == "missing_field"
    assert await db_rows("SELECT count(*) FROM payments") == [(0,)]


async def test_only_the_litigant_of_the_case(client, db_rows):
    litigant_id, _token = await add_litigant(client.app)
    notice = await add_notice(client.app, litigant_id)
    _other, other_token = await add_litigant(client.app, "440524188001010014")
    resp = await client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(other_token))
    assert resp.status == 404
    assert (await client.post("/api/v1/payments", json={"fee_notice_id": notice})).status == 401
    resp = await client.post("/api/v1/payments", json={"fee_notice_id": "JF0000000000000000"}, headers=auth(other_token))
    assert resp.status == 404
    assert await db_rows("SELECT count(*) FROM payments") == [(0,)]


@pytest.mark.parametrize("status, due_in, code", [
    ("paid", timedelta(days=3), "fee_already_paid"),
    ("relief", timedelta(days=3), "fee_relief"),
    ("overdue", timedelta(days=-1), "fee_overdue"),
    ("unpaid", timedelta(minutes=-1), "fee_overdue"),  # past due, the job has not run yet
])
async def test_only_unpaid_notices_within_the_deadline(client, db_rows, status, due_in, code):
    litigant_id, token = await add_litigant(client.app)
    notice = await add_notice(client.app, litigant_id, status=status, due_in=due_in)
    resp = await client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(token))
    assert resp.status == 409 and (await resp.json())["error"] == code
    assert await db_rows("SELECT count(*) FROM payments") == [(0,)]


async def test_get_order_owner_and_staff_only(client, order):
    body, token, _notice = order
    got = await client.get(f"/api/v1/payments/{body['order_no']}", headers=auth(token))
    assert got.status == 200 and await got.json() == body
    _other, other_token = await add_litigant(client.app, "440524188001010014")
    assert (await client.get(f"/api/v1/payments/{body['order_no']}", headers=auth(other_token))).status == 404
    assert (await client.get(f"/api/v1/payments/{body['order_no']}")).status == 401
    judge = await add_staff_token(client.app, "京0105")
    assert (await client.get(f"/api/v1/payments/{body['order_no']}", headers=auth(judge))).status == 200
    elsewhere = await add_staff_token(client.app, "沪0101")
    assert (await client.get(f"/api/v1/payments/{body['order_no']}", headers=auth(elsewhere))).status == 404
    assert (await client.get("/api/v1/payments/PAY000", headers=auth(token))).status == 404


# --- notifications ------------------------------------------------------------------------------


async def test_happy_path_pays_order_and_notice_in_one_go(client, db_rows, settings, order):
    body, token, notice = order
    headers, raw = signed(settings, body["order_no"])
    resp = await notify(client, headers, raw)
    assert resp.status == 200 and await resp.json() == {"code": "SUCCESS", "message": "成功"}
    payments, notices, events, nonces = await state(db_rows)
    assert payments == [(body["order_no"], "paid", "4200000000202603010001", True)]
    assert notices == [(notice, "paid")]
    assert events[-1] == ("fee_paid", "unpaid", "paid") and nonces == [(1,)]
    got = await (await client.get(f"/api/v1/payments/{body['order_no']}", headers=auth(token))).json()
    assert got["status"] == "paid" and got["status_label"] == "已支付" and got["paid_at"]
    again = await client.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(token))
    assert again.status == 409 and (await again.json())["error"] == "fee_already_paid"


async def test_forged_signature_changes_nothing(client, db_rows, settings, order):
    body, _token, _notice = order
    before = await state(db_rows)
    forged_headers, raw = DevProvider("not-the-secret").build_notification(
        order_no=body["order_no"], amount_fen=230000, transaction_id="4200000000202603010001", now=utcnow())
    resp = await notify(client, forged_headers, raw)
    assert resp.status == 401 and (await resp.json())["code"] == "FAIL"
    headers, raw = signed(settings, body["order_no"])
    tampered = raw.replace(b'\\"total\\": 230000', b'\\"total\\": 1')
    assert tampered != raw
    assert (await notify(client, headers, tampered)).status == 401
    unsigned = {k: v for k, v in headers.items() if not k.endswith("Signature")}
    assert (await notify(client, unsigned, raw)).status == 401
    assert await state(db_rows) == before


@pytest.mark.parametrize("offset", [timedelta(minutes=-6), timedelta(minutes=6)])
async def test_stale_or_future_timestamp_is_refused(client, db_rows, settings, order, offset):
    body, _token, _notice = order
    before = await state(db_rows)
    headers, raw = signed(settings, body["order_no"], now=utcnow() + offset)  # correctly signed, wrong time
    resp = await notify(client, headers, raw)
    assert resp.status == 401 and (await resp.json())["code"] == "FAIL"
    assert await state(db_rows) == before


async def test_replayed_nonce_changes_nothing(client, db_rows, settings, order):
    body, token, _notice = order
    headers, raw = signed(settings, body["order_no"])
    assert (await notify(client, headers, raw)).status == 200
    after_first = await state(db_rows)
    replay = await notify(client, headers, raw)
    assert replay.status == 200 and await replay.json() == {"code": "SUCCESS", "message": "已处理"}
    assert await state(db_rows) == after_first

    # The same nonce on a different (correctly signed) notification is a replay too.
    litigant_id = (await db_rows("SELECT litigant_id FROM filings"))[0][0]
    other_notice = await add_notice(client.app, litigant_id)
    other = await (await client.post("/api/v1/payments", json={"fee_notice_id": other_notice},
                                     headers=auth(token))).json()
    before = await state(db_rows)
    headers2, raw2 = signed(settings, other["order_no"], txn="4200000000202603010002", nonce=headers[NONCE])
    resp = await notify(client, headers2, raw2)
    assert resp.status == 200 and (await resp.json())["message"] == "已处理"
    assert await state(db_rows) == before


async def test_same_transaction_twice_is_idempotent(client, db_rows, settings, order):
    body, _token, _notice = order
    assert (await notify(client, *signed(settings, body["order_no"]))).status == 200
    payments, notices, events, _ = await state(db_rows)
    second = await notify(client, *signed(settings, body["order_no"]))  # a new nonce, the same transaction
    assert second.status == 200 and (await second.json())["code"] == "SUCCESS"
    payments2, notices2, events2, nonces2 = await state(db_rows)
    assert (payments2, notices2, events2) == (payments, notices, events)
    assert [a for a, *_ in events2].count("fee_paid") == 1


async def test_concurrent_notifications_pay_once(client, db_rows, settings, order):
    body, _token, _notice = order
    results = await asyncio.gather(*[notify(client, *signed(settings, body["order_no"])) for _ in range(4)])
    assert [r.status for r in results] == [200] * 4
    _payments, notices, events, _ = await state(db_rows)
    assert [a for a, *_ in events].count("fee_paid") == 1 and notices[0][1] == "paid"


async def test_amount_mismatch_is_recorded_but_not_paid(client, db_rows, settings, order):
    body, _token, notice = order
    resp = await notify(client, *signed(settings, body["order_no"], amount_fen=1))
    assert resp.status == 400 and (await resp.json())["code"] == "FAIL"
    payments, notices, events, _ = await state(db_rows)
    assert payments == [(body["order_no"], "created", None, False)] and notices == [(notice, "unpaid")]
    assert events[-1] == ("payment_amount_mismatch", "unpaid", "unpaid")
    detail = (await db_rows("SELECT detail FROM events ORDER BY id DESC LIMIT 1"))[0][0]
    assert "230000" in str(detail) and "'amount_fen': 1" in str(detail).replace('"', "'")


async def test_unknown_order_is_refused_and_recorded(client, db_rows, settings, order):
    resp = await notify(client, *signed(settings, "PAY20990101000000DEADBEEF"))
    assert resp.status == 400 and (await resp.json())["code"] == "FAIL"
    assert await db_rows("SELECT action, filing_id FROM events WHERE action = 'payment_rejected'") == [
        ("payment_rejected", None)]
    assert (await db_rows("SELECT status FROM payments")) == [("created",)]


async def test_other_events_are_acknowledged_and_ignored(client, db_rows, settings, order):
    body, _token, _notice = order
    before = await state(db_rows)
    resp = await notify(client, *signed(settings, body["order_no"], event_type="REFUND.SUCCESS"))
    assert resp.status == 200
    after = await state(db_rows)
    assert after[:3] == before[:3]


async def test_malformed_notification_body(client, db_rows, settings):
    p = provider(settings)
    raw = b"{not json"
    ts = str(int(utcnow().timestamp()))
    headers = {"Wechatpay-Timestamp": ts, "Wechatpay-Nonce": "n1", "Wechatpay-Serial": p.serial,
               "Wechatpay-Signature": p.sign(ts, "n1", raw)}
    resp = await notify(client, headers, raw)
    assert resp.status == 400 and (await resp.json())["code"] == "FAIL"
    assert await db_rows("SELECT count(*) FROM payment_notifications") == [(0,)]


# --- the dev pay page ---------------------------------------------------------------------------


async def test_dev_page_shows_the_amount_and_pays(client, db_rows, order):
    body, _token, notice = order
    page = await client.get(f"/dev/pay/{body['order_no']}")
    assert page.status == 200 and page.content_type == "text/html"
    text = await page.text()
    assert "¥2,300.00" in text and "贰仟叁佰元整" in text and "确认支付" in text and "待支付" in text
    assert "（2026）京0105民初" in text

    paid = await client.post(f"/dev/pay/{body['order_no']}")
    assert paid.status == 200
    assert "支付成功" in await paid.text()
    payments, notices, events, nonces = await state(db_rows)
    assert payments[0][1] == "paid" and payments[0][2] == f"DEV{body['order_no']}"
    assert notices == [(notice, "paid")] and events[-1] == ("fee_paid", "unpaid", "paid") and nonces == [(1,)]

    again = await client.post(f"/dev/pay/{body['order_no']}")
    assert again.status == 200 and "已支付" in await again.text()
    assert await state(db_rows) == (payments, notices, events, nonces)
    assert (await client.get("/dev/pay/PAY000")).status == 404


async def test_dev_page_is_off_outside_dev_mode(aiohttp_client, db_url, tmp_path, db_rows, client, order):
    body, _token, _notice = order
    app = create_app(production_settings(db_url, tmp_path / "u"))
    prod = await aiohttp_client(app)
    assert (await prod.get(f"/dev/pay/{body['order_no']}")).status == 404
    assert (await prod.post(f"/dev/pay/{body['order_no']}")).status == 404
    # ...and a notification signed with the development secret is refused there.
    resp = await notify(prod, *signed(Settings(), body["order_no"]))
    assert resp.status == 401
    assert (await db_rows("SELECT status FROM payments")) == [("created",)]


async def test_pay_url_uses_the_configured_public_base(aiohttp_client, db_url, tmp_path, client):
    litigant_id, token = await add_litigant(client.app)
    notice = await add_notice(client.app, litigant_id)
    app = create_app(Settings(dev_mode=True, database_url=db_url, upload_dir=tmp_path / "u", public_base_url="https://court.example"))
    other = await aiohttp_client(app)
    body = await (await other.post("/api/v1/payments", json={"fee_notice_id": notice}, headers=auth(token))).json()
    assert body["pay_url"] == f"https://court.example/dev/pay/{body['order_no']}"


# --- end to end, through the identity, filing, review and case endpoints --------------------------


async def test_from_filing_to_paid_through_the_real_endpoints(client, db_rows):
    """实名认证 → 立案申请 → 上传起诉状 → 立案 (fee notice) → 下单 → dev page 「确认支付」 → the case shows it paid."""
    from datetime import datetime, timezone
    from urllib.parse import quote

    from authflow import bearer, review, set_clock, staff_token, submit, verify_litigant
    from court.jobs.deadlines import mark_overdue
    from test_uploads import PDF_BYTES

    set_clock(client, datetime.now(timezone.utc))
    litigant = await verify_litigant(client, db_rows)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    filing = await submit(client, litigant)

    boundary = "b0undary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nlead\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="起诉状.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n").encode() + PDF_BYTES + f"\r\n--{boundary}--\r\n".encode()
    up = await client.post(f"/api/v1/filings/{filing['id']}/documents", data=body,
                           headers={**bearer(litigant), "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert up.status == 201, await up.text()

    accepted = await review(client, clerk, filing["id"], decision="accept")
    assert accepted.status == 200, await accepted.text()
    case = (await accepted.json())["case"]
    (notice,) = case["fee_notices"]

    order = await client.post("/api/v1/payments", json={"fee_notice_id": notice["id"]}, headers=bearer(litigant))
    assert order.status == 201
    order = await order.json()
    assert order["amount"] == notice["amount"] == "1050.00" and order["amount_in_words"] == "壹仟零伍拾元整"
    assert order["due_at"] == notice["due_at"]

    page = await client.get(URL(order["pay_url"]).path)
    assert page.status == 200 and "¥1,050.00" in await page.text()
    paid = await client.post(f"/dev/pay/{order['order_no']}")
    assert paid.status == 200 and "支付成功" in await paid.text()

    view = await client.get(f"/api/v1/cases/{quote(case['case_number'])}", headers=bearer(litigant))
    assert view.status == 200, await view.text()
    view = await view.json()
    assert view["fee_notices"][0]["status"] == "paid"
    actions = [e["action"] for e in view["timeline"]]
    assert actions == ["submitted", "document_uploaded", "docketed", "fee_notice_issued", "payment_created", "fee_paid"]

    # Paid notices are never marked overdue.
    async with client.app[SESSIONMAKER]() as session:
        assert await mark_overdue(session, datetime.now(timezone.utc) + timedelta(days=30)) == 0


async def test_app_refuses_to_start_with_the_dev_provider_outside_dev_mode(aiohttp_client, db_url, tmp_path):
    for secret in (Settings.payment_dev_secret, "a-production-payment-callback-secret-0123"):
        app = create_app(production_settings(db_url, tmp_path / "u", payment_dev_secret=secret,
                                             extra={"payment_provider": None}))
        with pytest.raises(RuntimeError, match="COURT_PAYMENT_PROVIDER=wechatpay"):
            await aiohttp_client(app)


async def test_notification_split_across_packets_is_read_whole(client, db_rows, settings, order):
    """The signature covers every byte: a body that arrives in pieces must be read to its end."""
    body, _token, _notice = order
    headers, raw = signed(settings, body["order_no"])

    async def pieces():
        for i in range(0, len(raw), 50):
            yield raw[i:i + 50]
            await asyncio.sleep(0)

    resp = await client.post("/api/v1/payments/notify", data=pieces(),
                             headers={**headers, "Content-Type": "application/json"})
    assert resp.status == 200 and (await resp.json())["code"] == "SUCCESS"
    assert (await db_rows("SELECT status FROM payments")) == [("paid",)]
