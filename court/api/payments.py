"""/api/v1/payments (create an order, read it, the provider's notify callback) and the dev pay page.

The provider is WeChat Pay APIv3 in production (court/services/payments/wechatpay.py: the order
is placed with WeChat Pay when it is created, and `pay_url` is its Native code_url) and the dev
provider in development mode.

The notify callback is authenticated by the provider's signature, not by a token, and answers in
the provider's format (`{"code": "SUCCESS"}` / 4xx `{"code": "FAIL", "message": ...}`), not in
the API's Error shape. The dev page (`/dev/pay/{order_no}`, only when `Settings.dev_mode`) plays
the provider: its 「确认支付」 builds a correctly signed notification and hands it to the very same
notify logic, so that the dev path exercises signature checks, replay protection and amounts too.
"""
from __future__ import annotations

import html
import logging
from pathlib import Path
from string import Template
from typing import Any

from aiohttp import web

from court.api.auth import current_litigant
from court.api.documents import current_viewer
from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.clock import now
from court.infra.errors import read_json
from court.services.errors import InvalidRequest, NotFound, reject_unknown_fields
from court.services.payments.dev import DevProvider
from court.services.payments.provider import PaymentProvider
from court.services.payments.rmb import rmb_upper
from court.services.payments.service import (
    PAID, STATUS_LABELS, create_order, fen, find_order, handle_notification, make_provider, may_see_order,
    payment_json,
)
from court.services.period import CHINA_TZ

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

CREATE_FIELDS = {"fee_notice_id"}
NOTIFY_MAX_BYTES = 64 * 1024
DEV_PAGE = Path(__file__).resolve().parent.parent / "static" / "dev-pay.html"


def provider_of(request: web.Request) -> PaymentProvider:
    return make_provider(request.app[SETTINGS])


def base_url(request: web.Request) -> str:
    """Settings.public_base_url, else this request's own origin."""
    return request.app[SETTINGS].public_base_url or str(request.url.origin())


def _fee_notice_id(body: dict[str, Any]) -> str:
    reject_unknown_fields(body, CREATE_FIELDS, message="不支持的字段“{name}”，请删除后重试（金额以交费通知为准）。")
    value = body.get("fee_notice_id")
    if value is None:
        raise InvalidRequest("missing_field", "请提供交费通知编号（fee_notice_id）。", "fee_notice_id")
    if not isinstance(value, str) or not value.strip() or len(value) > 32:
        raise InvalidRequest("invalid_type", "交费通知编号（fee_notice_id）应为不超过32个字符的字符串。", "fee_notice_id")
    return value.strip()


async def read_body(request: web.Request, limit: int) -> bytes | None:
    """The whole body (the signature covers every byte), or None past `limit`.

    `StreamReader.read(n)` returns as soon as *some* data is buffered, so it is read to the end here.
    """
    if request.content_length is not None and request.content_length > limit:
        return None
    chunks, total = [], 0
    async for chunk in request.content.iter_any():
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def check_provider(app: web.Application) -> None:
    """on_startup: refuse to start with a payment configuration that cannot be used safely."""
    make_provider(app[SETTINGS])


@routes.post("/api/v1/payments")
async def post_payment(request: web.Request) -> web.Response:
    body = await read_json(request)
    fee_notice_id = _fee_notice_id(body)
    provider = provider_of(request)
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        payment, notice, created = await create_order(session, litigant, fee_notice_id, provider, now(request.app))
    pay_url = provider.pay_url(payment.order_no, base_url(request))
    return web.json_response(payment_json(payment, notice, pay_url), status=201 if created else 200)


@routes.post("/api/v1/payments/notify")
async def notify(request: web.Request) -> web.Response:
    """The provider's payment result notification (支付结果通知)."""
    raw = await read_body(request, NOTIFY_MAX_BYTES)
    if raw is None:
        return web.json_response({"code": "FAIL", "message": "通知内容过大。"}, status=413)
    async with request.app[SESSIONMAKER]() as session:
        answer = await handle_notification(session, provider_of(request), request.headers, raw, now(request.app))
    return web.json_response(answer.body, status=answer.status)


@routes.get("/api/v1/payments/{order_no}")
async def get_payment(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant, staff = await current_viewer(request, session)
        order = await find_order(session, request.match_info["order_no"])
    if order is None or not may_see_order(order, litigant, staff):
        raise NotFound("not_found", "未找到该支付订单。")
    pay_url = provider_of(request).pay_url(order.payment.order_no, base_url(request))
    return web.json_response(payment_json(order.payment, order.notice, pay_url))


# --- the dev pay page -------------------------------------------------------------------------


def _dev_provider(request: web.Request) -> DevProvider:
    """The dev provider, or 404 when dev mode is off (the page does not exist in production)."""
    provider = provider_of(request) if request.app[SETTINGS].dev_mode else None
    if not isinstance(provider, DevProvider):
        raise web.HTTPNotFound()
    return provider


def render_dev_page(order: Any, message: str = "", error: bool = False) -> str:
    payment, notice = order.payment, order.notice
    due = notice.due_at.astimezone(CHINA_TZ) if notice.due_at else None  # None: not served yet
    esc = html.escape
    return Template(DEV_PAGE.read_text(encoding="utf-8")).substitute(
        message=f'<p class="message{" error" if error else ""}">{esc(message)}</p>' if message else "",
        case_number=esc(order.case.case_number),
        order_no=esc(payment.order_no),
        amount=f"{payment.amount:,.2f}",
        amount_in_words=esc(rmb_upper(payment.amount)),
        due_at=f"{due.year}年{due.month}月{due.day}日 {due:%H:%M}（北京时间）" if due else "收到通知次日起七日内",
        status_label=esc(STATUS_LABELS.get(payment.status, payment.status)),
        disabled="disabled" if payment.status == PAID else "",
    )


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8",
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"})


@routes.get("/dev/pay/{order_no}")
async def dev_pay_page(request: web.Request) -> web.Response:
    _dev_provider(request)
    async with request.app[SESSIONMAKER]() as session:
        order = await find_order(session, request.match_info["order_no"])
    if order is None:
        raise web.HTTPNotFound()
    return _html(render_dev_page(order))


@routes.post("/dev/pay/{order_no}")
async def dev_pay_confirm(request: web.Request) -> web.Response:
    """「确认支付」: sign a TRANSACTION.SUCCESS notification as the provider would and process it."""
    provider = _dev_provider(request)
    app_now = now(request.app)
    async with request.app[SESSIONMAKER]() as session:
        order = await find_order(session, request.match_info["order_no"])
        await session.commit()  # end the read (rollback would expire what was just read)
        if order is None:
            raise web.HTTPNotFound()
        if order.payment.status == PAID:
            return _html(render_dev_page(order, "该订单已支付，无需重复支付。"))
        headers, body = provider.build_notification(
            order_no=order.payment.order_no, amount_fen=fen(order.payment.amount),
            # One transaction per order: a double click is the same payment, not a second one.
            transaction_id=f"DEV{order.payment.order_no}", now=app_now,
        )
        answer = await handle_notification(session, provider, headers, body, app_now)
        order = await find_order(session, order.payment.order_no)
    assert order is not None
    if answer.status == 200:
        return _html(render_dev_page(order, "支付成功，法院已收到您的诉讼费。"))
    log.warning("dev payment for %s refused: %s", order.payment.order_no, answer.body)
    return _html(render_dev_page(order, f"支付未成功：{answer.body.get('message', '')}", error=True), status=400)
