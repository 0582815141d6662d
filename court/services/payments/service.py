"""Payment orders for fee notices, and what a provider's notification may change — the database side.

Invariants:
* the amount of an order is the fee notice's, never the client's;
* one open order per notice (a second create returns it);
* a notification changes something only when its signature is genuine, its timestamp is within
  5 minutes, its nonce is new, its order is known and its amount equals the order's; then the
  payment, the fee notice and the Event change in one transaction;
* a replayed nonce, or the same transaction notified twice, changes nothing and is answered SUCCESS.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime
from decimal import Decimal
from typing import Any, Mapping, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.config import Settings
from court.infra.wechatpay_config import NAME as WECHATPAY, WeChatPayConfig, missing_env
from court.infra.models import Case, Event, FeeNotice, Filing, Litigant, Payment, PaymentNotification, Staff
from court.services import case_file
from court.services.errors import Conflict, NotFound, Unavailable
from court.services.payments.dev import DevProvider
from court.services.payments.provider import (
    NONCE, SUCCESS, TRANSACTION_SUCCESS, Notification, NotificationError, OrderRequest, PaymentProvider,
    PaymentUnavailable, check_headers, fail, header,
)
from court.services.payments.wechatpay import WeChatPayProvider
from court.services.payments.rmb import rmb_upper
from court.services.staff import court_scope

log = logging.getLogger(__name__)

CREATED, PAID, CLOSED = "created", "paid", "closed"
STATUS_LABELS = {CREATED: "待支付", PAID: "已支付", CLOSED: "已关闭"}
NOTICE_UNPAID, NOTICE_PAID, NOTICE_OVERDUE, NOTICE_RELIEF = "unpaid", "paid", "overdue", "relief"
ACTOR_PREFIX = "payment:"

def make_provider(settings: Settings) -> PaymentProvider:
    """The configured provider: a test's object (``extra["payment_provider"]``), WeChat Pay
    (COURT_PAYMENT_PROVIDER=wechatpay), or the dev provider — only in dev mode."""
    hooked = settings.extra.get("payment_provider")
    if hooked is not None:
        return hooked
    if settings.payment_provider == WECHATPAY:
        config = WeChatPayConfig.from_env()
        if config is None:
            raise RuntimeError("COURT_PAYMENT_PROVIDER=wechatpay needs " + ", ".join(missing_env()))
        return _wechatpay(config)
    if settings.payment_provider != "dev":
        raise RuntimeError(f"unknown payment provider {settings.payment_provider!r} (dev, wechatpay)")
    if not settings.dev_mode:
        raise RuntimeError("the dev payment provider only runs with COURT_DEV_MODE=1: "
                           "set COURT_PAYMENT_PROVIDER=wechatpay (and COURT_WECHATPAY_*)")
    return DevProvider(settings.payment_dev_secret)


@lru_cache(maxsize=4)
def _wechatpay(config: WeChatPayConfig) -> WeChatPayProvider:
    """Keys are read once per configuration (they change only with a restart)."""
    return WeChatPayProvider.load(config)


def fen(amount: Decimal) -> int:
    """Yuan (exact Decimal) to whole fen, as providers count money; a fraction of a fen is refused."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} yuan is not a whole number of fen")
    return int(cents)


def yuan(amount_fen: int) -> Decimal:
    """Whole fen back to exact yuan (fen(yuan(n)) == n)."""
    return Decimal(amount_fen).scaleb(-2)


def new_order_no(now: datetime) -> str:
    """PAY + UTC timestamp + 8 random hex digits: unique, sortable, within WeChat's 6–32 [A-Za-z0-9]."""
    return f"PAY{now.strftime('%Y%m%d%H%M%S')}{secrets.token_hex(4).upper()}"


# --- orders -----------------------------------------------------------------------------------


@dataclass
class Order:
    payment: Payment
    notice: FeeNotice
    case: Case
    filing: Filing


async def _notice_of_litigant(session: AsyncSession, public_id: str, litigant: Litigant) -> tuple[FeeNotice, Case]:
    row = (await session.execute(
        select(FeeNotice, Case)
        .join(Case, Case.id == FeeNotice.case_id)
        .join(Filing, Filing.id == Case.filing_id)
        .where(FeeNotice.public_id == public_id, Filing.litigant_id == litigant.id)
        .with_for_update(of=FeeNotice)
    )).first()
    if row is None:
        raise NotFound("not_found", "未找到该交费通知，请核对后再试。", "fee_notice_id")
    return row[0], row[1]


def _check_payable(notice: FeeNotice, now: datetime) -> None:
    if notice.status == NOTICE_PAID:
        raise Conflict("fee_already_paid", "该笔诉讼费已交纳，无需重复交费。", "fee_notice_id")
    if notice.status == NOTICE_RELIEF:
        raise Conflict("fee_relief", "该笔诉讼费已获准司法救助（缓交、减交或免交），请按法院通知办理。", "fee_notice_id")
    if notice.status == NOTICE_OVERDUE or (notice.due_at is not None and notice.due_at <= now):
        raise Conflict("fee_overdue", "该交费通知的交费期限已过，请您尽快联系法院。", "fee_notice_id")
    if notice.status != NOTICE_UNPAID:
        raise Conflict("fee_not_payable", "该交费通知当前无法在线交费，请联系法院。", "fee_notice_id")


async def create_order(
    session: AsyncSession, litigant: Litigant, fee_notice_id: str, provider: PaymentProvider, now: datetime
) -> tuple[Payment, FeeNotice, bool]:
    """(payment, notice, created): a new order for an unpaid notice, or the open one (idempotent)."""
    notice, case = await _notice_of_litigant(session, fee_notice_id, litigant)
    _check_payable(notice, now)
    open_orders = (await session.execute(
        select(Payment).where(Payment.fee_notice_id == notice.id, Payment.status == CREATED).order_by(Payment.id)
    )).scalars().all()
    for order in open_orders:
        expired = provider.order_ttl is not None and order.created_at + provider.order_ttl <= now
        if order.amount == notice.amount and order.provider == provider.name and not expired:
            await session.commit()
            return order, notice, False
        # The notice's amount (or the provider) changed since, or the provider no longer takes it:
        # a fresh order. Should the old one be paid after all, its notification still settles it.
        order.status = CLOSED
    payment = Payment(order_no=new_order_no(now), fee_notice_id=notice.id, amount=notice.amount,
                      provider=provider.name, status=CREATED, created_at=now)
    try:  # while the notice's row is locked: one order reaches the provider, not two
        payment.pay_url = await provider.prepare(OrderRequest(
            order_no=payment.order_no, amount_fen=fen(notice.amount), created_at=now,
            description=f"诉讼费 {case.case_number}"))
    except PaymentUnavailable as err:
        log.warning("payment order for %s not taken by %s: %s", notice.public_id, provider.name, err)
        await session.rollback()
        raise Unavailable("payment_unavailable", "支付服务暂时无法下单，请您稍后再试。", "fee_notice_id") from None
    session.add(payment)
    session.add(Event(filing_id=case.filing_id, at=now, actor=f"litigant:{litigant.id}", action="payment_created",
                      before=None, after=None,
                      detail={"order_no": payment.order_no, "fee_notice": notice.public_id,
                              "amount": f"{notice.amount:.2f}", "provider": provider.name}))
    await session.commit()
    return payment, notice, True


async def find_order(session: AsyncSession, order_no: str) -> Optional[Order]:
    row = (await session.execute(
        select(Payment, FeeNotice, Case, Filing)
        .join(FeeNotice, FeeNotice.id == Payment.fee_notice_id)
        .join(Case, Case.id == FeeNotice.case_id)
        .join(Filing, Filing.id == Case.filing_id)
        .where(Payment.order_no == order_no)
        .execution_options(populate_existing=True)
    )).first()
    return None if row is None else Order(*row)


def may_see_order(order: Order, litigant: Optional[Litigant], staff: Optional[Staff]) -> bool:
    if litigant is not None:
        return order.filing.litigant_id == litigant.id
    if staff is not None:
        scope = court_scope(staff)
        return scope is None or scope == order.filing.court_code
    return False


def payment_json(payment: Payment, notice: FeeNotice, pay_url: str) -> dict[str, Any]:
    return {
        "order_no": payment.order_no,
        "fee_notice_id": notice.public_id,
        "amount": f"{payment.amount:.2f}",
        "amount_in_words": rmb_upper(payment.amount),
        "currency": "CNY",
        "status": payment.status,
        "status_label": STATUS_LABELS.get(payment.status, payment.status),
        "provider": payment.provider,
        "pay_url": payment.pay_url or pay_url,
        "due_at": notice.due_at.isoformat() if notice.due_at else None,
        "created_at": payment.created_at.isoformat(),
        "paid_at": payment.paid_at.isoformat() if payment.paid_at else None,
    }


# --- notifications ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NotifyAnswer:
    """The HTTP status and body to answer the provider with."""

    status: int
    body: dict[str, str]
    outcome: str  # paid | already_processed | ignored | refused: for logs and the dev page


def _refused(err: NotificationError) -> NotifyAnswer:
    return NotifyAnswer(err.status, fail(err.message), "refused")


async def handle_notification(
    session: AsyncSession, provider: PaymentProvider, headers: Mapping[str, str], body: bytes, now: datetime
) -> NotifyAnswer:
    """Authenticate a provider notification, then apply it once. Never raises for a bad notification."""
    try:
        check_headers(headers, now)
        if not provider.verify(headers, body):
            raise NotificationError(401, "bad_signature", "签名验证失败。")
        notification = provider.parse(body)
    except NotificationError as err:
        log.warning("payment notification refused: %s", err.code)
        return _refused(err)
    nonce = header(headers, NONCE)
    actor = f"{ACTOR_PREFIX}{provider.name}"
    try:
        if (await session.execute(
            select(PaymentNotification.id).where(PaymentNotification.nonce == nonce)
        )).first() is not None:
            await session.rollback()
            return NotifyAnswer(200, {"code": "SUCCESS", "message": "已处理"}, "already_processed")
        session.add(PaymentNotification(nonce=nonce, received_at=now))
        await session.flush()
        answer = await _apply(session, notification, provider, actor, now)
        await session.commit()
        return answer
    except IntegrityError:
        # The same nonce (or transaction) raced in on another connection and won: nothing to do twice.
        await session.rollback()
        return NotifyAnswer(200, {"code": "SUCCESS", "message": "已处理"}, "already_processed")


async def _apply(
    session: AsyncSession, notification: Notification, provider: PaymentProvider, actor: str, now: datetime
) -> NotifyAnswer:
    """The effect of an authentic, new notification, inside the caller's transaction (which commits)."""
    txn = notification.transaction
    if notification.event_type != TRANSACTION_SUCCESS or txn is None or txn.trade_state != "SUCCESS":
        return NotifyAnswer(200, SUCCESS, "ignored")  # acknowledged; only successful payments change anything
    row = (await session.execute(
        select(Payment, FeeNotice, Case)
        .join(FeeNotice, FeeNotice.id == Payment.fee_notice_id)
        .join(Case, Case.id == FeeNotice.case_id)
        .where(Payment.order_no == txn.order_no, Payment.provider == provider.name)
        .with_for_update(of=[Payment, FeeNotice])
    )).first()
    detail = {"order_no": txn.order_no, "transaction_id": txn.transaction_id, "notification": notification.id,
              "amount_fen": txn.amount_fen, "currency": txn.currency}
    if row is None:
        session.add(Event(filing_id=None, at=now, actor=actor, action="payment_rejected", before=None, after=None,
                          detail={**detail, "reason": "unknown_order"}))
        return NotifyAnswer(400, fail("订单不存在。"), "refused")
    payment, notice, case = row
    if txn.currency != "CNY" or txn.amount_fen != fen(payment.amount):
        session.add(Event(filing_id=case.filing_id, at=now, actor=actor, action="payment_amount_mismatch",
                          before=notice.status, after=notice.status,
                          detail={**detail, "expected_fen": fen(payment.amount)}))
        log.warning("payment %s: notified amount differs from the order", payment.order_no)
        return NotifyAnswer(400, fail("支付金额与订单金额不一致。"), "refused")
    if payment.status == PAID:
        if payment.provider_txn == txn.transaction_id:
            return NotifyAnswer(200, SUCCESS, "already_processed")  # the same transaction again: idempotent
        session.add(Event(filing_id=case.filing_id, at=now, actor=actor, action="payment_duplicate",
                          before=notice.status, after=notice.status,
                          detail={**detail, "first_transaction_id": payment.provider_txn, "needs_refund": True}))
        return NotifyAnswer(200, SUCCESS, "ignored")
    other = (await session.execute(
        select(Payment.order_no).where(Payment.provider_txn == txn.transaction_id)
    )).first()
    if other is not None:
        session.add(Event(filing_id=case.filing_id, at=now, actor=actor, action="payment_rejected",
                          before=None, after=None, detail={**detail, "reason": "transaction_reused"}))
        return NotifyAnswer(400, fail("该交易号已用于其他订单。"), "refused")
    before = notice.status
    payment.status, payment.provider_txn, payment.paid_at = PAID, txn.transaction_id, now
    if before == NOTICE_PAID:
        # The notice was already settled by another order: keep the money on record for a refund.
        session.add(Event(filing_id=case.filing_id, at=now, actor=actor, action="payment_duplicate",
                          before=before, after=before, detail={**detail, "needs_refund": True}))
        return NotifyAnswer(200, SUCCESS, "paid")
    notice.status = NOTICE_PAID
    session.add(Event(
        filing_id=case.filing_id, at=now, actor=actor, action="fee_paid", before=before, after=NOTICE_PAID,
        detail={**detail, "fee_notice": notice.public_id, "amount": f"{payment.amount:.2f}",
                "case_number": case.case_number, "late": before == NOTICE_OVERDUE},
    ))
    await case_file.sync(session, case.filing_id)  # the payment confirmation enters the e-file
    return NotifyAnswer(200, SUCCESS, "paid")
