"""The fee deadline (诉讼费用交纳办法 art. 22) and the background job that notices when it has passed.

The plaintiff pays the acceptance fee within 7 days from the day after receiving the fee notice.
Unpaid at the deadline, with no fee relief (司法救助: 缓交/减交/免交) granted, the case is treated as
withdrawn (按撤诉处理) — but by a judge's ruling, not by this job: `mark_overdue` only marks the
notice `overdue` and writes an Event on the filing asking for that decision. It never changes the
case status. A notice in `relief` is never marked overdue.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import AsyncIterator

from aiohttp import web
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.clock import now as clock
from court.infra.models import Case, Event, FeeNotice, Filing
from court.jobs.periodic import every
from court.services import statuses
from court.services.period import china_date
from court.services.review import PAYMENT_DAYS  # one source for the 7 days (fee_service.serve sets due_at)

log = logging.getLogger(__name__)

PAYMENT_BASIS = "《诉讼费用交纳办法》（国务院令第481号）第二十二条"
PAYMENT_RULE = f"原告自接到人民法院交纳诉讼费用通知次日起{PAYMENT_DAYS}日内交纳案件受理费。"
# 按撤诉处理 is ruled by the court under 《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》
# 第二百一十三条 (check the numbering of the current version before quoting it to a litigant).
CONSEQUENCE = "逾期未交纳又未申请司法救助（缓交、减交、免交）或申请未获批准的，按撤诉处理（由法院裁定）。"
CONSEQUENCE_BASIS = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第二百一十三条"
OVERDUE_MESSAGE = "逾期未交纳诉讼费，按撤诉处理，待法官确认"
ACTOR = "system:deadlines"
BATCH = 200


async def mark_overdue(session: AsyncSession, now: datetime) -> int:
    """One pass: every `unpaid` notice whose `due_at` (24:00 of the last day) has come becomes `overdue`. Commits.

    Safe with several app processes: each row is flipped by a conditional UPDATE, and the Event is
    written only by the pass whose UPDATE changed it. Returns how many notices this pass marked.
    """
    marked = 0
    while True:
        rows = (await session.execute(
            select(FeeNotice.id, FeeNotice.public_id, FeeNotice.amount, FeeNotice.due_at,
                   Case.filing_id, Case.case_number)
            .join(Case, Case.id == FeeNotice.case_id)
            .where(FeeNotice.status == "unpaid", FeeNotice.due_at <= now)  # due_at is 24:00: run out
            .order_by(FeeNotice.id)
            .limit(BATCH)
        )).all()
        if not rows:
            await session.commit()
            return marked
        for notice_id, public_id, amount, due_at, filing_id, case_number in rows:
            result = await session.execute(
                update(FeeNotice)
                .where(FeeNotice.id == notice_id, FeeNotice.status == "unpaid")
                .values(status="overdue")
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                continue  # paid, granted relief, or marked by another process meanwhile
            session.add(Event(
                filing_id=filing_id, at=now, actor=ACTOR, action="fee_overdue", before="unpaid", after="overdue",
                detail={"message": OVERDUE_MESSAGE, "basis": PAYMENT_BASIS, "consequence_basis": CONSEQUENCE_BASIS,
                        "fee_notice": public_id, "case_number": case_number, "amount": f"{amount:.2f}",
                        "due_at": due_at.isoformat(), "needs_judge": True},
            ))
            marked += 1
        await session.commit()
        if len(rows) < BATCH:
            return marked


# 《最高人民法院关于人民法院登记立案若干问题的规定》第七条: 当事人在指定期限内没有补正的，退回诉状并记录在册；
# 坚持起诉的，裁定不予受理。
CORRECTION_BASIS = "《最高人民法院关于人民法院登记立案若干问题的规定》第七条"
CORRECTION_MISSED = "correction_missed"


def correction_missed_reason(due_at: datetime) -> str:
    last = china_date(due_at - timedelta(microseconds=1))
    return (f"未在指定期限（{last.year}年{last.month}月{last.day}日24时前）内补正，依照{CORRECTION_BASIS}退回起诉材料并记录在册；"
            "您仍坚持起诉的，可以重新提交，法院将依法裁定是否受理")


async def mark_correction_missed(session: AsyncSession, now: datetime) -> int:
    """One pass: every 需补正 filing whose 指定期限 has run out is returned (不予立案, with the reason and
    a notice to the litigant through the usual decision delivery). Commits; safe with several processes."""
    rows = (await session.execute(
        select(Filing.id, Filing.correction_due)
        .where(Filing.status == statuses.NEEDS_CORRECTION, Filing.correction_due <= now)
        .order_by(Filing.id).limit(BATCH)
    )).all()
    returned = 0
    for filing_id, due_at in rows:
        reason = correction_missed_reason(due_at)
        result = await session.execute(
            update(Filing).where(Filing.id == filing_id, Filing.status == statuses.NEEDS_CORRECTION)
            .values(status=statuses.REJECTED, review_reason=reason, review_items=None, updated_at=now)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            continue  # corrected or withdrawn meanwhile
        session.add(Event(filing_id=filing_id, at=now, actor=ACTOR, action="rejected",
                          before=statuses.NEEDS_CORRECTION, after=statuses.REJECTED,
                          detail={"reason": reason, "code": CORRECTION_MISSED, "basis": CORRECTION_BASIS,
                                  "correction_due": due_at.isoformat()}))
        returned += 1
    await session.commit()
    return returned


async def _pass(app: web.Application) -> None:
    async with app[SESSIONMAKER]() as session:
        count = await mark_overdue(session, clock(app))
        returned = await mark_correction_missed(session, clock(app))
    if count:
        log.info("fee deadlines: %d notice(s) marked overdue", count)
    if returned:
        log.info("correction deadlines: %d filing(s) returned", returned)


async def deadline_job(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: runs `mark_overdue` every `Settings.deadline_interval_s` while the app lives (if enabled)."""
    settings = app[SETTINGS]
    async for _ in every(app, _pass, enabled=settings.deadline_job, interval_s=settings.deadline_interval_s,
                         name="fee-deadlines"):
        yield
