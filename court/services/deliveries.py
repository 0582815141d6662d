"""Court messages into conversations (电子送达 of a decision, a fee notice, a payment received, the
answer to a handoff ticket): a queue of deliveries, each sent once and retried while Rasa is down.

A delivery is a row in ``conversation_deliveries``, unique per (kind, ref) — a ticket, or
``event:<id>`` for a court event — so nothing is sent twice; it is claimed before it is sent, so
two processes never send it together. Sending goes through court/infra/rasa_client.py.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from court.infra.models import Case, Delivery, Event, FeeNotice, Filing, utcnow
from court.infra.rasa_client import RasaClient, RasaUnreachable
from court.services.court_notices import decision_text, fee_event_text
from court.services.fee_service import serve_electronically
from court.services.turns import stream_cursor

log = logging.getLogger(__name__)

DELIVERY_LABELS = {"pending": "待送达", "sending": "送达中", "sent": "已送达", "failed": "送达失败"}
MAX_ATTEMPTS = 8
DECISION_ACTIONS = ("docketed", "correction_requested", "rejected")
FEE_ACTIONS = ("fee_notice_issued", "fee_paid")  # 交纳诉讼费用通知 served; a payment received
SERVED_ACTIONS = DECISION_ACTIONS + FEE_ACTIONS


async def queue_delivery(session: AsyncSession, *, conversation_id: str, channel: Optional[str], kind: str,
                         ref: str, text: str, at: datetime) -> Delivery:
    """Add the delivery unless this (kind, ref) exists already; the caller commits."""
    existing = (await session.execute(
        select(Delivery).where(Delivery.kind == kind, Delivery.ref == ref))).scalar_one_or_none()
    if existing is not None:
        return existing
    row = Delivery(conversation_id=conversation_id, channel=channel, kind=kind, ref=ref, text=text,
                   status="pending", attempts=0, created_at=at, next_attempt_at=at)
    session.add(row)
    await session.flush()
    return row


async def scan_review_events(sessionmaker: async_sessionmaker[AsyncSession], limit: int = 200) -> int:
    """Queue a notice for every new review decision, fee notice and payment received on a filing
    that came from a conversation (and whose litigant did not refuse electronic service).

    The first run starts at the newest event: decisions taken before delivery was set up are not
    sent after the fact. Events are read in order, so the 立案通知 goes before its fee notice.
    """
    async with sessionmaker() as session:
        newest = (await session.execute(select(Event.id).order_by(Event.id.desc()).limit(1))).scalar_one_or_none()
        cursor = await stream_cursor(session, "court_events", initial=newest or 0)
        rows = list((await session.execute(
            select(Event).where(Event.id > cursor.position).order_by(Event.id).limit(limit))).scalars())
        queued = 0
        for event in rows:
            if event.action not in SERVED_ACTIONS or event.filing_id is None:
                continue
            filing = await session.get(Filing, event.filing_id)
            if filing is None or not filing.conversation_id or filing.e_service_consent is False:
                continue
            text = await _event_text(session, filing, event)
            if text is not None:
                await queue_delivery(session, conversation_id=filing.conversation_id, channel=filing.channel,
                                     kind=event.action, ref=f"event:{event.id}", text=text, at=utcnow())
                queued += 1
        if rows:
            cursor.position = rows[-1].id
        await session.commit()
        return queued


async def _event_text(session: AsyncSession, filing: Filing, event: Event) -> Optional[str]:
    if event.action in FEE_ACTIONS:
        return await fee_event_text(session, filing, event)
    case = (await session.execute(select(Case).where(Case.filing_id == filing.id))).scalar_one_or_none()
    notice = None
    if case is not None:
        notice = (await session.execute(select(FeeNotice).where(FeeNotice.case_id == case.id)
                                        .order_by(FeeNotice.id).limit(1))).scalar_one_or_none()
    return decision_text(filing, event, case.case_number if case else None, notice)


async def send_delivery(sessionmaker: async_sessionmaker[AsyncSession], rasa: RasaClient, delivery_id: int) -> str:
    """Try one delivery now (claimed first, so that two processes never send it twice); its new status."""
    async with sessionmaker() as session:
        row = (await session.execute(select(Delivery).where(Delivery.id == delivery_id).with_for_update())).scalar_one()
        if row.status not in ("pending",):
            return row.status
        row.status, row.attempts = "sending", row.attempts + 1
        await session.commit()
    error: Optional[str] = None
    try:
        await rasa.send_bot_message(row.conversation_id, row.text, f"{row.kind}:{row.ref}")
    except RasaUnreachable as err:
        error = (str(err) or type(err).__name__)[:250]
    async with sessionmaker() as session:
        row = await session.get(Delivery, delivery_id)
        at = utcnow()
        if error is None:
            row.status, row.sent_at, row.last_error = "sent", at, None
            await _served(session, row, at)
        else:
            log.warning("delivery %s to the conversation failed (attempt %s): %s", row.id, row.attempts, error)
            row.last_error = error
            row.status = "failed" if row.attempts >= MAX_ATTEMPTS else "pending"
            row.next_attempt_at = at + timedelta(seconds=min(300, 2 ** row.attempts))
        await session.commit()
        return row.status


async def send_pending(sessionmaker: async_sessionmaker[AsyncSession], rasa: RasaClient, limit: int = 20) -> int:
    """Send the deliveries that are due; the number sent."""
    async with sessionmaker() as session:
        ids = list((await session.execute(
            select(Delivery.id).where(Delivery.status == "pending", Delivery.next_attempt_at <= utcnow())
            .order_by(Delivery.id).limit(limit))).scalars())
    sent = 0
    for delivery_id in ids:
        if await send_delivery(sessionmaker, rasa, delivery_id) == "sent":
            sent += 1
    return sent


async def _served(session: AsyncSession, row: Delivery, reached_at: datetime) -> None:
    """A fee notice accepted by Rasa has reached the litigant's system: 电子送达 (with consent only)."""
    if row.kind != "fee_notice_issued" or not row.ref.startswith("event:"):
        return
    event = await session.get(Event, int(row.ref.removeprefix("event:")))
    filing = await session.get(Filing, event.filing_id) if event is not None and event.filing_id else None
    if filing is not None:
        await serve_electronically(session, filing, str((event.detail or {}).get("fee_notice", "")), reached_at)


def delivery_json(row: Optional[Delivery]) -> Optional[dict[str, Any]]:
    if row is None:
        return None
    return {"status": row.status, "status_label": DELIVERY_LABELS.get(row.status, row.status),
            "attempts": row.attempts, "error": row.last_error,
            "sent_at": row.sent_at.isoformat() if row.sent_at else None}
