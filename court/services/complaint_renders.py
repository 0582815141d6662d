"""The generated 起诉状 rendered after the filing is answered: the queue of renders and storing the result.

Why: rendering costs tens of milliseconds of CPU (court/services/complaint.py), which the litigant's
submit turn should not wait for. The filing's transaction writes a `complaint_renders` row
(`queue`, or the same INSERT inside the PostgreSQL filing statement of court/services/filings.py);
the worker (court/jobs/complaint_renders.py) takes it (`claim`: a lease, so that two processes never
render one together and a process that died lets go when its lease runs out), renders it, and
`store` adds the document as the filing's generated lead (court/services/complaint_files.py
`replace`), marks the row done and queues the litigant's link as a delivery into their
conversation (court/services/deliveries.py) — all in one transaction, the file placed first and
removed again if that transaction fails. A backend that dies anywhere in between leaves the row
pending: the next pass (every start runs one) renders it again; nothing is stored twice.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import noload

from court.infra.config import Settings
from court.infra.models import ComplaintRender, Document, Event, Filing
from court.infra.uploads import discard, place
from court.services import case_file, complaint_files
from court.services.complaint import ComplaintData, complaint_data
from court.services.court_notices import complaint_ready_text
from court.services.deliveries import queue_delivery
from court.services.period import china_date

log = logging.getLogger(__name__)

PENDING, DONE, FAILED, SKIPPED, SUPERSEDED = "pending", "done", "failed", "skipped", "superseded"
LEASE = timedelta(seconds=120)  # far longer than a render; a dead process's render waits this long
MAX_ATTEMPTS = 3
DELIVERY_KIND = "complaint_ready"
ACTOR = "system:complaints"
GENERATED = "已根据立案信息生成民事起诉状，作为起诉材料附在申请中。"  # the timeline's line (court/services/cases.py)


def row_values(filing_id: int, at: datetime, base_url: Optional[str]) -> dict:
    return dict(filing_id=filing_id, status=PENDING, signed_on=at, base_url=base_url or None, attempts=0,
                created_at=at)


async def queue(session: AsyncSession, filing_id: int, at: datetime, base_url: Optional[str]) -> None:
    """A render for the filing, in the caller's transaction; an older pending one is superseded."""
    await session.execute(update(ComplaintRender).where(ComplaintRender.filing_id == filing_id,
                                                        ComplaintRender.status == PENDING)
                          .values(status=SUPERSEDED, finished_at=at).execution_options(synchronize_session=False))
    await session.execute(insert(ComplaintRender).values(**row_values(filing_id, at, base_url)))


async def is_pending(session: AsyncSession, filing_id: int) -> bool:
    """Whether a complaint for this filing is still being made (the litigant's `complaint_pending`)."""
    query = select(exists().where(ComplaintRender.filing_id == filing_id, ComplaintRender.status == PENDING))
    return bool((await session.execute(query)).scalar())


@dataclass(frozen=True)
class Claimed:
    """A render this process holds the lease of, with the snapshot of the filing to render."""

    render_id: int
    filing_id: int
    number: str
    base_url: Optional[str]
    data: ComplaintData


async def claim(sessionmaker: async_sessionmaker[AsyncSession], now: datetime) -> Optional[Claimed]:
    """The oldest pending render whose lease is free, now leased to this process; None when there is none."""
    async with sessionmaker() as session:
        free = (ComplaintRender.status == PENDING) & (
            ComplaintRender.lease_until.is_(None) | (ComplaintRender.lease_until <= now))
        # One statement: the oldest free row (PostgreSQL skips rows another process is taking) is
        # leased if it is still free — of two processes, only one changes it.
        oldest = (select(ComplaintRender.id).where(free).order_by(ComplaintRender.id).limit(1)
                  .with_for_update(skip_locked=True).scalar_subquery())
        taken = (await session.execute(
            update(ComplaintRender).where(ComplaintRender.id == oldest, free)
            .values(lease_until=now + LEASE, attempts=ComplaintRender.attempts + 1)
            .returning(ComplaintRender.id, ComplaintRender.filing_id, ComplaintRender.signed_on,
                       ComplaintRender.base_url)
            .execution_options(synchronize_session=False))).first()
        await session.commit()
        if taken is None:
            return None
        filing = await session.get(Filing, taken.filing_id)
        data = complaint_data(filing, china_date(taken.signed_on))
        return Claimed(taken.id, filing.id, filing.number, taken.base_url, data)


async def store(sessionmaker: async_sessionmaker[AsyncSession], claimed: Claimed,
                prepared: Optional[complaint_files.PreparedFile], *, settings: Settings, secret: bytes,
                at: datetime) -> Optional[int]:
    """The rendered complaint as the filing's generated lead, the render done and the link queued for
    the conversation, in one transaction; the delivery's id (None: nothing to send).

    Nothing is stored when the render was superseded meanwhile (a resubmission queued a newer one)
    or the litigant uploaded their own 起诉状 (it stays the lead); `prepared` None (no font, or the
    layout failed) marks the render skipped.
    """
    async with sessionmaker() as session:
        render = (await session.execute(select(ComplaintRender).where(ComplaintRender.id == claimed.render_id)
                                        .with_for_update())).scalar_one()
        if render.status != PENDING:
            return None
        filing = (await session.execute(  # the columns needed, not the parties and claims
            select(Filing).where(Filing.id == claimed.filing_id).options(noload(Filing.parties), noload(Filing.claims))
        )).scalar_one()
        render.finished_at, render.lease_until = at, None
        if prepared is None or await complaint_files.uploaded_lead(session, filing.id) is not None:
            render.status = SKIPPED
            await session.commit()
            return None
        final = prepared.final_path(settings)
        await asyncio.to_thread(place, prepared.temp_path, final)
        try:
            audit = await complaint_files.replace(session, filing, prepared, at=at)
            session.add(Event(filing_id=filing.id, at=at, actor=ACTOR, action="complaint_generated", before=None,
                              after=None, detail={**audit["complaint"], "message": GENERATED}))
            render.status, render.document_id = DONE, prepared.public_id
            delivery_id = None
            if filing.conversation_id:
                doc = Document(**prepared.row_values(filing.id, at))
                link = complaint_files.complaint_json(doc, secret, at, render.base_url or settings.public_base_url)
                delivery = await queue_delivery(
                    session, conversation_id=filing.conversation_id, channel=filing.channel, kind=DELIVERY_KIND,
                    ref=f"render:{render.id}", text=complaint_ready_text(filing.number, link["download_url"]), at=at)
                delivery_id = delivery.id
            await case_file.sync(session, filing.id)  # the complaint enters the e-file (电子卷宗)
            await session.commit()
        except BaseException:
            discard(final)
            raise
        return delivery_id


async def failed(sessionmaker: async_sessionmaker[AsyncSession], claimed: Claimed, error: str, at: datetime) -> None:
    """A render that raised: tried again after a while, given up after MAX_ATTEMPTS (the filing stands)."""
    async with sessionmaker() as session:
        render = await session.get(ComplaintRender, claimed.render_id)
        if render is None or render.status != PENDING:
            return
        render.last_error = error[:250]
        if render.attempts >= MAX_ATTEMPTS:
            render.status, render.finished_at, render.lease_until = FAILED, at, None
        else:
            render.lease_until = at + timedelta(seconds=10 * render.attempts)
        await session.commit()
