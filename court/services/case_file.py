"""The electronic case file (电子卷宗随案同步生成): each filing's numbered items and its catalogue (卷宗目录).

Why this shape: everything that happens to a filing is already an Event (the timeline and the audit
log), and every uploaded or generated file a Document. A service that creates one calls
``await case_file.sync(session, filing_id)`` before it commits — one line — and sync files, in the
same transaction, whatever of that filing is not in its file yet: the complaint and evidence, the
clerk's decisions (with the internal review record, staff only), notices, the service of the fee
notice, payment confirmations. Filing the same thing twice is a no-op (``ref`` is unique per
filing), and a filing older than the case file gets its items on its first read.

Numbers: ``case_files.last_seq`` is the per-filing counter. ``INSERT … ON CONFLICT DO UPDATE …
RETURNING`` takes its row lock (PostgreSQL holds it until commit; SQLite transactions are serialised
by BEGIN IMMEDIATE), so two items arriving at once get consecutive numbers, never the same one, and
a rolled-back transaction leaves no gap.

Rendering (court/services/case_file_pdf.py) is not done here: an item's pages are rendered once, outside
any transaction, the first time the file is assembled; appending re-renders nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Optional

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import Case, CaseFile, CaseFileItem, Document, Event, FeeNotice, Filing
from court.services.court_notices import decision_text, fee_event_text
from court.services.period import china_date

PARTY, FULL = "party", "full"  # the litigant's copy (no staff-only items) and the court's whole file
COURT, PARTY_SOURCE, PAYMENT_SOURCE = "本院", "当事人", "支付机构"
DOCUMENT_TITLES = {"lead": "起诉状（当事人上传）", "evidence": "证据材料", "correction": "补正材料",
                   "superseded": "起诉状"}
REVIEW_TITLES = {"correction_requested": ("补正通知书", "立案审查意见（补正）"),
                 "rejected": ("不予立案通知书", "立案审查意见（不予立案）"),
                 "docketed": ("受理案件通知书", "立案审查意见（立案）")}
DECISION_LABELS = {"correction_requested": "要求补正", "rejected": "不予立案", "docketed": "立案"}
RECORD_TITLES = {  # events filed as a record whose text is the timeline's sentence (court.services.cases.describe)
    "fee_notice_served": ("送达回证（交纳诉讼费用通知书）", COURT, False),
    "fee_exempt": ("免予预交案件受理费说明", COURT, False),
    "fee_overdue": ("逾期未交诉讼费记录", COURT, False),
    "withdrawn": ("撤回立案申请", PARTY_SOURCE, False),
    "payment_duplicate": ("缴费异常记录（重复到账，待退费）", COURT, True),
    "payment_amount_mismatch": ("缴费异常记录（金额不符）", COURT, True),
}


@dataclass(frozen=True)
class ItemSpec:
    """What to file: made from a document (``document_id``) or a text the court wrote (``body``)."""

    ref: str
    kind: str
    title: str
    source: str
    at: datetime
    staff_only: bool = False
    document_id: Optional[str] = None
    body: Optional[str] = None


# --- appending ----------------------------------------------------------------------------------


async def _lock_counter(session: AsyncSession, filing_id: int) -> int:
    """The filing's last item number, its counter row locked until this transaction ends."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (insert(CaseFile).values(filing_id=filing_id, last_seq=0)
            .on_conflict_do_update(index_elements=[CaseFile.filing_id], set_={"last_seq": CaseFile.last_seq})
            .returning(CaseFile.last_seq))
    return (await session.execute(stmt)).scalar_one()


async def append(session: AsyncSession, filing_id: int, specs: Iterable[ItemSpec]) -> list[CaseFileItem]:
    """File the specs not filed yet, numbered after the last item; the caller commits.

    The counter's lock is taken before the refs are read, so a spec filed by a transaction that
    committed while this one waited is seen and skipped.
    """
    last = await _lock_counter(session, filing_id)
    filed = set((await session.execute(
        select(CaseFileItem.ref).where(CaseFileItem.filing_id == filing_id))).scalars())
    added: list[CaseFileItem] = []
    for spec in specs:
        if spec.ref in filed:
            continue
        filed.add(spec.ref)
        last += 1
        added.append(CaseFileItem(filing_id=filing_id, seq=last, ref=spec.ref, kind=spec.kind, title=spec.title[:128],
                                  source=spec.source, at=spec.at, staff_only=spec.staff_only,
                                  document_id=spec.document_id, body=spec.body))
    if added:
        session.add_all(added)
        await session.execute(update(CaseFile).where(CaseFile.filing_id == filing_id).values(last_seq=last))
        await session.flush()
    return added


async def sync(session: AsyncSession, filing_id: int) -> list[CaseFileItem]:
    """File whatever of this filing exists and is not in its file yet (the hook; the caller commits)."""
    await session.flush()
    filing = await session.get(Filing, filing_id)
    if filing is None:
        return []
    filed = set((await session.execute(
        select(CaseFileItem.ref).where(CaseFileItem.filing_id == filing_id))).scalars())
    events = (await session.execute(
        select(Event).where(Event.filing_id == filing_id).order_by(Event.id))).scalars().all()
    specs: list[ItemSpec] = []
    for event in events:
        specs.extend(s for s in await specs_of(session, filing, event, filed) if s.ref not in filed)
    return await append(session, filing_id, specs) if specs else []


# --- what an event files ------------------------------------------------------------------------


def document_spec(doc: Document, title: Optional[str] = None) -> ItemSpec:
    label = title or DOCUMENT_TITLES.get(doc.kind, "材料")
    name = doc.description or doc.filename
    if not title and doc.kind != "lead":
        label = f"{label}：{name}"
    return ItemSpec(ref=f"document:{doc.public_id}", kind="complaint" if title or doc.kind == "lead" else doc.kind,
                    title=label, source=PARTY_SOURCE, at=doc.created_at, document_id=doc.public_id)


async def _documents(session: AsyncSession, filing_id: int, public_ids: list[str]) -> list[Document]:
    if not public_ids:
        return []
    rows = (await session.execute(select(Document).where(
        Document.filing_id == filing_id, Document.public_id.in_(public_ids)).order_by(Document.id))).scalars()
    return list(rows)


async def specs_of(session: AsyncSession, filing: Filing, event: Event, filed: set[str]) -> list[ItemSpec]:
    """The items an event brings into the file (none for bookkeeping such as an order created)."""
    detail, ref = event.detail or {}, f"event:{event.id}"
    if {f"{ref}:notice", f"{ref}:record"} & filed:
        return []
    if event.action == "submitted":
        docs = (await session.execute(select(Document).where(
            Document.filing_id == filing.id, Document.generated.is_(True), Document.created_at == event.at)
            .order_by(Document.id))).scalars()
        return [document_spec(d, "民事起诉状") for d in docs]
    if event.action == "document_uploaded":
        return [document_spec(d) for d in await _documents(session, filing.id, [str(detail.get("document"))])]
    if event.action == "resubmitted":
        from court.services.cases import describe  # cases imports filings, which imports this module
        out = [ItemSpec(ref=f"{ref}:notice", kind="correction", title="补正申请（重新提交）", source=PARTY_SOURCE,
                        at=event.at, body=describe(event.action, detail)
                        + ("\n补正的部分：" + "、".join(detail["changed"]) if detail.get("changed") else ""))]
        complaint = detail.get("complaint")  # a document, or "queued" for the complaint worker
        complaint = complaint.get("document") if isinstance(complaint, dict) else None
        docs = await _documents(session, filing.id, [str(complaint)] if complaint else [])
        return out + [document_spec(d, "民事起诉状（补正后）") for d in docs]
    if event.action == "complaint_generated":  # rendered after the answer (court/jobs/complaint_renders.py)
        docs = await _documents(session, filing.id, [str(detail.get("document"))])
        resubmitted = any(e == "resubmitted" for e in (await session.execute(select(Event.action).where(
            Event.filing_id == filing.id, Event.id < event.id))).scalars())
        return [document_spec(d, "民事起诉状（补正后）" if resubmitted else "民事起诉状") for d in docs]
    if event.action in REVIEW_TITLES:
        return await _review_specs(session, filing, event)
    if event.action in ("fee_notice_issued", "fee_paid"):
        text = await fee_event_text(session, filing, event)
        if text is None:
            return []
        title, kind, source = (("交纳诉讼费用通知书", "notice", COURT) if event.action == "fee_notice_issued"
                               else ("缴费确认（收据）", "receipt", PAYMENT_SOURCE))
        return [ItemSpec(ref=f"{ref}:notice", kind=kind, title=title, source=source, at=event.at, body=text)]
    if event.action in RECORD_TITLES:
        from court.services.cases import describe  # see above
        title, source, staff_only = RECORD_TITLES[event.action]
        body = describe(event.action, detail)
        if staff_only:
            body += "\n" + _record_lines(event)
        return [ItemSpec(ref=f"{ref}:{'record' if staff_only else 'notice'}", kind="record" if staff_only else "notice",
                         title=title, source=source, at=event.at, staff_only=staff_only, body=body)]
    return []


async def _review_specs(session: AsyncSession, filing: Filing, event: Event) -> list[ItemSpec]:
    """The decision's notice (the party's) and the internal review record (staff only: who, when, why)."""
    ref, detail = f"event:{event.id}", event.detail or {}
    case, notice = None, None
    if event.action == "docketed":
        case = (await session.execute(select(Case).where(Case.filing_id == filing.id))).scalar_one_or_none()
        if case is not None:
            notice = (await session.execute(select(FeeNotice).where(FeeNotice.case_id == case.id)
                                            .order_by(FeeNotice.id).limit(1))).scalar_one_or_none()
    notice_title, record_title = REVIEW_TITLES[event.action]
    text = decision_text(filing, event, case.case_number if case else detail.get("case_number"), notice)
    record = "\n".join([f"审查结论：{DECISION_LABELS[event.action]}", _record_lines(event)]
                       + [f"补正事项：{i}. {item}" for i, item in enumerate(detail.get("items") or [], 1)]
                       + ([f"理由：{detail['reason']}"] if detail.get("reason") else [])
                       + ([f"案号：{detail['case_number']}"] if detail.get("case_number") else []))
    return [ItemSpec(ref=f"{ref}:notice", kind="notice", title=notice_title, source=COURT, at=event.at, body=text),
            ItemSpec(ref=f"{ref}:record", kind="record", title=record_title, source=COURT, at=event.at,
                     staff_only=True, body=record)]


def _record_lines(event: Event) -> str:
    day = china_date(event.at)
    return f"经办：{event.actor}\n时间：{day.isoformat()} {event.at.strftime('%H:%M')}（UTC）\n状态：{event.before or '—'} → {event.after or '—'}"


# --- reading ------------------------------------------------------------------------------------


async def items_of(session: AsyncSession, filing_id: int, copy: str) -> list[CaseFileItem]:
    """The items of a copy, in filing order: the party's copy leaves out the staff-only ones."""
    query = select(CaseFileItem).where(CaseFileItem.filing_id == filing_id).order_by(CaseFileItem.seq)
    if copy == PARTY:
        query = query.where(CaseFileItem.staff_only.is_(False))
    return list((await session.execute(query)).scalars())


def catalogue(items: list[CaseFileItem], first_page: int = 1) -> list[dict[str, Any]]:
    """卷宗目录 of one copy: numbered 1… in that copy, with the pages each item takes in it.

    ``first_page`` is where the first item starts (after the catalogue pages). Items not rendered
    yet (``pages`` unknown) get no page range.
    """
    rows, page = [], first_page
    for no, item in enumerate(items, 1):
        pages = item.pages
        rows.append({"no": no, "seq": item.seq, "title": item.title, "date": china_date(item.at).isoformat(),
                     "source": item.source, "kind": item.kind, "staff_only": item.staff_only, "pages": pages,
                     "page_from": page if pages else None, "page_to": page + pages - 1 if pages else None})
        page += pages or 0
    return rows


def catalogue_json(filing: Filing, case_number: Optional[str], copy: str, rows: list[dict[str, Any]],
                   total_pages: int, download_url: str) -> dict[str, Any]:
    party = copy == PARTY
    return {"filing": filing.number, "case_number": case_number, "court_name": filing.court_name, "copy": copy,
            "items": [{k: v for k, v in r.items() if not (party and k in ("seq", "staff_only"))} for r in rows],
            "total_pages": total_pages, "download_url": download_url}
