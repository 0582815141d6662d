"""Storing and reading filings: ReviewFiling, GetFilingStatus, GetFilingList, CancelFiling, resubmission.

Every filing belongs to the verified litigant who submitted it (``filings.litigant_id``). The filer
may be a party or act for one (an agent); both are allowed and the submission event records which.
A litigant only ever sees their own filings: another litigant's filing answers 404 exactly like
a filing that does not exist, so that numbers cannot be probed.

Idempotency keys are per litigant: the stored key is ``"<litigant id>:" + sha256(key)``, so two
litigants may use the same key, and any key length fits the column.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import Case, Claim, ComplaintRender, Event, Filing, FilingDraft, Litigant, Party
from court.rules.errors import RuleError
from court.rules.idcard import mask_id_number
from court.rules.periods import filing_decision_due
from court.rules.phone import mask_phone
from court.services import case_file, complaint_renders, limits, statuses
from court.services.complaint_files import uploaded_lead
from court.services.errors import Conflict, NotFound, TooManyAttempts, reject_unknown_fields
from court.services.filing_input import (
    ClaimInput, FilingInput, PartyInput, claims_total, parse_claims, parse_evidence, parse_parties, text_field,
    parse_witnesses,
)
from court.services.fee_relief import relief_json
from court.shapes import PARTY_KEYS

LIST_LIMIT = 100
NOT_FOUND_MESSAGE = "未找到该立案申请，请核对立案申请号。"


def filing_number(filing_id: int, created_day: str) -> str:
    """Public filing number: LA + filing date (YYYYMMDD) + the row id, zero-padded to 6 digits."""
    return f"LA{created_day}{filing_id:06d}"


def stored_key(litigant_id: int, key: str) -> str:
    """The idempotency key as stored: scoped to the litigant, hashed to a fixed length."""
    return f"{litigant_id}:{hashlib.sha256(key.encode()).hexdigest()}"


def actor_of(litigant: Litigant) -> str:
    return f"litigant:{litigant.id}"


async def find_by_key(session: AsyncSession, key: str) -> Optional[Filing]:
    return (await session.execute(select(Filing).where(Filing.idempotency_key == key))).scalar_one_or_none()


def filer_detail(data: FilingInput, litigant: Litigant) -> dict[str, Any]:
    """Whether the filer is one of the parties (and which role) or files for them (agent)."""
    roles = [p.role for p in data.parties if p.id_number == litigant.id_number]
    return {"filer": "party", "filer_role": roles[0]} if roles else {"filer": "agent", "filer_role": None}


def decision_due(received_at: datetime, correction_at: Optional[datetime] = None) -> Optional[datetime]:
    """When the court must have decided on the filing (民诉法第一百二十六条); None beyond the holiday
    calendar (期限待定), never guessed."""
    try:
        return filing_decision_due(received_at, correction_at).astimezone(timezone.utc)
    except RuleError:
        return None


async def check_filing_limit(session: AsyncSession, litigant: Litigant, per_day: int, at: datetime) -> None:
    """429 when the litigant already submitted `per_day` new filings in the last 24 hours (issue 9,
    finding 7: hundreds a minute, each rendering a PDF). A retry with its idempotency key is not new."""
    await limits.check(session, Filing.created_at, Filing.litigant_id == litigant.id, limits.filings_per_day(per_day),
                       at, code="too_many_filings", subject="您提交立案申请过于频繁", field=None)


async def create_filing(
    session: AsyncSession, data: FilingInput, *, litigant: Litigant, key: Optional[str], digest: str,
    at: datetime, render: bool = False, render_base_url: Optional[str] = None, per_day: Optional[int] = None,
) -> tuple[Filing, bool]:
    """Store a filing in one transaction; returns (filing, created). A retried key returns the first one.

    The same transaction queues the rendering of its generated complaint when `render` (a
    `complaint_renders` row, court/services/complaint_renders.py: rendered after the answer, and
    never lost with the filing stored) and deletes the litigant's draft (待提交), which this filing
    completes.
    """
    key = stored_key(litigant.id, key) if key is not None else None
    postgres = session.bind.dialect.name == "postgresql"
    # PostgreSQL's statement skips a used key itself (ON CONFLICT): no lookup before it.
    if key is not None and not postgres:
        existing = await find_by_key(session, key)
        if existing is not None:
            return _same_request(existing, digest), False
    values = dict(
        idempotency_key=key, request_hash=digest, status=statuses.PENDING, litigant_id=litigant.id,
        case_type=data.case_type, court_code=data.court_code, court_name=data.court_name,
        amount=data.amount, facts=data.facts, mediation_consent=data.mediation_consent,
        e_service_consent=data.e_service_consent, e_service_address=data.e_service_address,
        channel=data.channel, conversation_id=data.conversation_id, evidence=data.evidence,
        witnesses=data.witnesses, fee_relief=data.fee_relief,
        decision_due=decision_due(at), created_at=at, updated_at=at,
    )
    parties = [dict(position=i, **vars(p)) for i, p in enumerate(data.parties)]
    claims = [dict(position=i, text=c.text, amount=c.amount) for i, c in enumerate(data.claims)]
    actor, detail = actor_of(litigant), filer_detail(data, litigant)
    queued = complaint_renders.row_values(0, at, render_base_url) if render else None
    if per_day is not None:
        try:
            await check_filing_limit(session, litigant, per_day, at)  # 429, nothing written
        except TooManyAttempts:
            existing = await find_by_key(session, key) if key is not None else None
            if existing is None:  # a retried key answers with its filing even at the limit
                raise
            return _same_request(existing, digest), False
    try:
        if postgres:
            written = await _insert_pg(session, values, parties, claims, at, actor, detail, queued)
        else:
            written = await _insert_core(session, values, parties, claims, at, actor, detail, queued)
        if written is None:  # PostgreSQL: the key was used already, nothing was written
            await session.rollback()
            return _same_request(await find_by_key(session, key), digest), False
        filing_id, number = written
        await case_file.sync(session, filing_id)  # what the filing brought enters the e-file (电子卷宗)
        await session.commit()
    except IntegrityError:
        # Two requests with one key raced; the other one won. Answer with its filing.
        await session.rollback()
        existing = await find_by_key(session, key) if key else None
        if existing is None:
            raise
        return _same_request(existing, digest), False
    # The answer is built from what was written: no reload, no unit of work.
    filing = Filing(id=filing_id, number=number, review_items=None, review_reason=None, **values,
                    parties=[Party(**p) for p in parties], claims=[Claim(**c) for c in claims])
    return filing, True


async def _insert_core(session: AsyncSession, values: dict[str, Any], parties: list[dict[str, Any]],
                       claims: list[dict[str, Any]], at: datetime, actor: str, detail: Any,
                       render: Optional[dict[str, Any]]) -> tuple[int, str]:
    """The filing, its parties, claims, submission event, queued complaint render and the draft's
    deletion with SQLAlchemy Core (six or seven statements)."""
    filings_t = Filing.__table__
    filing_id = (await session.execute(insert(filings_t).values(**values).returning(filings_t.c.id))).scalar_one()
    number = filing_number(filing_id, at.astimezone(timezone.utc).strftime("%Y%m%d"))
    # updated_at too: the column's onupdate would otherwise stamp a second, later time.
    await session.execute(update(filings_t).where(filings_t.c.id == filing_id).values(number=number, updated_at=at))
    await session.execute(insert(Party.__table__), [dict(p, filing_id=filing_id) for p in parties])
    await session.execute(insert(Claim.__table__), [dict(c, filing_id=filing_id) for c in claims])
    await session.execute(insert(Event.__table__).values(
        filing_id=filing_id, at=at, actor=actor, action="submitted", before=None, after=statuses.PENDING,
        detail=detail))
    if render is not None:
        await session.execute(insert(ComplaintRender.__table__).values(**dict(render, filing_id=filing_id)))
    drafts_t = FilingDraft.__table__
    await session.execute(delete(drafts_t).where(drafts_t.c.litigant_id == values["litigant_id"]))
    return filing_id, number


# A party's columns come from its declaration (court/shapes.py): every one is text.
_PARTY_COLUMNS = ", ".join(PARTY_KEYS)
_PARTY_VALUES = ", ".join(f"x.{key}" for key in PARTY_KEYS)
_PARTY_RECORD = ", ".join(f"{key} text" for key in PARTY_KEYS)
_PG_INSERT = text(f"""
WITH n AS (SELECT nextval(pg_get_serial_sequence('filings', 'id')) AS id),
f AS (
  INSERT INTO filings (id, number, idempotency_key, request_hash, status, litigant_id, case_type, court_code,
                       court_name, amount, facts, mediation_consent, e_service_consent, e_service_address,
                       channel, conversation_id, evidence, witnesses, fee_relief, decision_due, created_at,
                       updated_at)
  SELECT n.id, CAST(:prefix AS text) || CASE WHEN n.id < 1000000 THEN lpad(n.id::text, 6, '0') ELSE n.id::text END,
         CAST(:idempotency_key AS varchar), CAST(:request_hash AS varchar), CAST(:status AS varchar),
         CAST(:litigant_id AS integer), CAST(:case_type AS varchar), CAST(:court_code AS varchar),
         CAST(:court_name AS varchar), CAST(:amount AS bigint), CAST(:facts AS text),
         CAST(:mediation_consent AS boolean), CAST(:e_service_consent AS boolean),
         CAST(:e_service_address AS varchar), CAST(:channel AS varchar), CAST(:conversation_id AS varchar),
         CAST(:evidence AS json), CAST(:witnesses AS json), CAST(:fee_relief AS json),
         CAST(:decision_due AS timestamptz), CAST(:at AS timestamptz), CAST(:at AS timestamptz)
  FROM n
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id, number
),
p AS (
  INSERT INTO parties (filing_id, position, {_PARTY_COLUMNS})
  SELECT f.id, x.position, {_PARTY_VALUES}
  FROM f, jsonb_to_recordset(CAST(:parties AS jsonb)) AS x(position int, {_PARTY_RECORD})
),
c AS (
  INSERT INTO claims (filing_id, position, text, amount)
  SELECT f.id, x.position, x.text, x.amount
  FROM f, jsonb_to_recordset(CAST(:claims AS jsonb)) AS x(position int, text text, amount bigint)
),
d AS (
  INSERT INTO complaint_renders (filing_id, status, signed_on, base_url, attempts, created_at)
  SELECT f.id, 'pending', CAST(:at AS timestamptz), CAST(:render_base_url AS varchar), 0, CAST(:at AS timestamptz)
  FROM f WHERE CAST(:render AS boolean)
),
e AS (
  INSERT INTO events (filing_id, at, actor, action, before, after, detail)
  SELECT f.id, CAST(:at AS timestamptz), CAST(:actor AS varchar), 'submitted', NULL, CAST(:status AS varchar),
         CAST(:detail AS json)
  FROM f
),
r AS (
  DELETE FROM filing_drafts WHERE litigant_id = CAST(:litigant_id AS integer)
)
SELECT id, number FROM f
""")


def _fen(amount: Any) -> Optional[int]:
    """Yuan → whole fen, as court.infra.models.Money stores it."""
    return None if amount is None else int((amount * 100).to_integral_value())


async def _insert_pg(session: AsyncSession, values: dict[str, Any], parties: list[dict[str, Any]],
                     claims: list[dict[str, Any]], at: datetime, actor: str, detail: Any,
                     render: Optional[dict[str, Any]]) -> Optional[tuple[int, str]]:
    """PostgreSQL: the filing, its parties, claims, events, queued complaint render and the draft's
    deletion in one statement (one round trip); None, writing nothing, when the idempotency key
    was used already (ON CONFLICT DO NOTHING: the caller answers with that filing).

    The number (LA + date + the row id, at least 6 digits) is made in the same statement from the
    id the sequence hands out, so there is no UPDATE after the INSERT.
    """
    params = {k: v for k, v in values.items() if k not in ("created_at", "updated_at")}
    params.update(
        prefix="LA" + at.astimezone(timezone.utc).strftime("%Y%m%d"), at=at, amount=_fen(values["amount"]),
        parties=json.dumps(parties, ensure_ascii=False),
        claims=json.dumps([dict(c, amount=_fen(c["amount"])) for c in claims], ensure_ascii=False),
        actor=actor, evidence=json.dumps(values["evidence"], ensure_ascii=False),
        render=render is not None, render_base_url=render["base_url"] if render else None,
        witnesses=json.dumps(values["witnesses"], ensure_ascii=False),
        fee_relief=None if values["fee_relief"] is None else json.dumps(values["fee_relief"], ensure_ascii=False),
        detail=json.dumps(detail, ensure_ascii=False),
    )
    row = (await session.execute(_PG_INSERT, params)).first()
    return None if row is None else (row.id, row.number)


def _same_request(existing: Filing, digest: str) -> Filing:
    if existing.request_hash != digest:
        raise Conflict("idempotency_conflict", "该幂等键已用于另一份不同的立案申请。", "Idempotency-Key")
    return existing


async def get_filing(session: AsyncSession, number: str) -> Optional[Filing]:
    return (await session.execute(select(Filing).where(Filing.number == number.strip().upper()))).scalar_one_or_none()


async def own_filing(session: AsyncSession, number: str, litigant: Litigant, *, lock: bool = False) -> Filing:
    """The litigant's filing by number; 404 for an unknown number and for anyone else's filing alike."""
    query = select(Filing).where(Filing.number == number.strip().upper(), Filing.litigant_id == litigant.id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    filing = (await session.execute(query)).scalar_one_or_none()
    if filing is None:
        raise NotFound("not_found", NOT_FOUND_MESSAGE)
    return filing


async def list_own_filings(session: AsyncSession, litigant: Litigant) -> list[Filing]:
    """The litigant's filings, newest first."""
    query = (select(Filing).where(Filing.litigant_id == litigant.id)
             .order_by(Filing.created_at.desc(), Filing.id.desc()).limit(LIST_LIMIT))
    return list((await session.execute(query)).scalars())


async def case_numbers_of(session: AsyncSession, filing_ids: list[int]) -> dict[int, str]:
    if not filing_ids:
        return {}
    rows = await session.execute(select(Case.filing_id, Case.case_number).where(Case.filing_id.in_(filing_ids)))
    return {filing_id: number for filing_id, number in rows.all()}


def move(filing: Filing, after: str, *, actor: str, action: str, at: datetime,
         detail: Optional[dict[str, Any]] = None) -> Event:
    """Change a filing's status (court.services.statuses.can_move, else 409) and return its event, added by the caller."""
    before = filing.status
    if not statuses.can_move(before, after):
        raise Conflict("invalid_transition",
                       f"该立案申请当前状态为“{statuses.LABELS[before]}”，不能{ACTION_VERBS.get(action, '进行此操作')}。")
    filing.status = after
    filing.updated_at = at
    return Event(filing_id=filing.id, at=at, actor=actor, action=action, before=before, after=after, detail=detail)


ACTION_VERBS = {
    "withdrawn": "撤回",
    "resubmitted": "提交补正",
    "correction_requested": "要求补正",
    "rejected": "作出不予立案的决定",
    "docketed": "立案",
}


def parse_cancel(body: dict[str, Any]) -> Optional[str]:
    reject_unknown_fields(body, {"reason"})
    return text_field(body, "reason", "撤回理由", required=False, max_len=500)


async def cancel_filing(session: AsyncSession, filing: Filing, litigant: Litigant, reason: Optional[str],
                        at: datetime) -> None:
    """CancelFiling: only before the court decided (待审核 or 需补正); committed."""
    event = move(filing, statuses.WITHDRAWN, actor=actor_of(litigant), action="withdrawn", at=at,
                 detail={"reason": reason} if reason else None)
    session.add(event)
    await case_file.sync(session, filing.id)
    await session.commit()


@dataclass
class Resubmission:
    """What a corrected filing (补正) replaces; None = unchanged. Parties and claims replace whole lists."""

    note: str
    facts: Optional[str] = None
    claims: Optional[list[ClaimInput]] = None
    parties: Optional[list[PartyInput]] = None
    evidence: Optional[list[dict[str, Optional[str]]]] = None
    witnesses: Optional[list[dict[str, Optional[str]]]] = None

    def changed(self) -> list[str]:
        return [k for k in ("parties", "claims", "facts", "evidence", "witnesses") if getattr(self, k) is not None]


RESUBMIT_FIELDS = {"facts", "claims", "parties", "evidence", "witnesses", "note"}


def parse_resubmission(body: dict[str, Any]) -> Resubmission:
    """{facts?, claims?, parties?, evidence?, note}: every part checked exactly as on creation, before
    anything is written; the note says what was corrected."""
    reject_unknown_fields(body, RESUBMIT_FIELDS)
    facts = text_field(body, "facts", "事实与理由", required=False, max_len=20000)
    parties = parse_parties(body["parties"]) if body.get("parties") is not None else None
    claims = parse_claims(body["claims"]) if body.get("claims") is not None else None
    evidence = parse_evidence(body["evidence"]) if body.get("evidence") is not None else None
    witnesses = parse_witnesses(body["witnesses"]) if body.get("witnesses") is not None else None
    note = text_field(body, "note", "补正说明", max_len=2000)
    return Resubmission(note=note, facts=facts, claims=claims,  # type: ignore[arg-type]
                        parties=parties, evidence=evidence, witnesses=witnesses)


async def resubmit_filing(session: AsyncSession, filing: Filing, litigant: Litigant, change: Resubmission, *,
                          at: datetime, render: bool, render_base_url: Optional[str] = None) -> None:
    """需补正 → 待审核 with the corrected parts; committed.

    When the content changed and `render` (a font is configured), the complaint is queued to be
    generated again (民事诉讼法 art. 124) in the same transaction; the worker makes it the lead and
    keeps the previous generated one as superseded (court/services/complaint_renders.py). A 起诉状
    the litigant uploaded themselves stays the lead: then none is generated.
    """
    actor = actor_of(litigant)
    event = move(filing, statuses.PENDING, actor=actor, action="resubmitted", at=at,
                 detail={"note": change.note, "changed": change.changed(),
                         "requested_items": filing.review_items or []})
    if change.facts is not None:
        filing.facts = change.facts
    if change.parties is not None:
        filing.parties = [Party(position=i, **vars(p)) for i, p in enumerate(change.parties)]
    if change.claims is not None:
        filing.claims = [Claim(position=i, text=c.text, amount=c.amount) for i, c in enumerate(change.claims)]
        filing.amount = claims_total(change.claims) or filing.amount
    if change.evidence is not None:
        filing.evidence = change.evidence
    if change.witnesses is not None:
        filing.witnesses = change.witnesses
    filing.review_items, filing.review_reason, filing.correction_due = None, None, None
    filing.decision_due = decision_due(filing.created_at, at)  # 登记立案规定第七条: 7 days from the correction
    if render and change.changed() and await uploaded_lead(session, filing.id) is None:
        await complaint_renders.queue(session, filing.id, at, render_base_url)
        event.detail = {**event.detail, "complaint": "queued"}
    session.add(event)
    await case_file.sync(session, filing.id)
    await session.commit()


def money(value: Any) -> Optional[str]:
    return None if value is None else f"{value:.2f}"




def review_json(f: Filing) -> Optional[dict[str, Any]]:
    """The court's last decision the litigant must act on: every missing item (一次性告知) or the reason."""
    if not f.review_items and not f.review_reason:
        return None
    return {"items": list(f.review_items or []), "reason": f.review_reason}


EVIDENCE_KEYS = ("name", "source", "purpose")
_OMIT: Any = object()


def evidence_json(f: Filing) -> list[dict[str, Optional[str]]]:
    """证据和证据来源 (民事诉讼法 art. 124(四)) as filed; [] for filings made before the field existed."""
    return [{k: item.get(k) for k in EVIDENCE_KEYS} for item in (f.evidence or [])]


def witnesses_json(f: Filing) -> list[dict[str, Optional[str]]]:
    """证人姓名和住所 (art. 124(四)) as filed; [] for filings made before the field existed (0013)."""
    return [{"name": w.get("name"), "address": w.get("address")} for w in (f.witnesses or [])]


FULL, SUMMARY, MASKED = "full", "summary", "masked"


def claim_json(c: Claim) -> dict[str, Any]:
    return {"text": c.text, "amount": money(c.amount)}


def masked_party_json(p: Party) -> dict[str, Any]:
    """A party in a list: ID and mobile numbers masked (see court/services/staff.py)."""
    return {
        "role": p.role, "kind": p.kind, "name": p.name,
        "id_number_masked": mask_id_number(p.id_number) if p.id_number else None,
        "phone_masked": mask_phone(p.phone) if p.phone else None,
        "legal_representative": p.legal_representative,
    }


def filing_json(f: Filing, case_number: Optional[str] = None, *, view: str = FULL,
                complaint: Any = _OMIT, complaint_pending: bool = False) -> dict[str, Any]:
    """A filing as JSON, in one of three views:

    ``full``: for its filer and for staff, the parties as filed, unmasked; ``summary``: one line of
    the litigant's list (GetFilingList); ``masked``: one line of the staff review queue, the
    parties with their numbers masked for every role. `complaint` (the generated 起诉状 with a
    signed link, court.services.complaint_files.complaint_json, or None) is given in the
    litigant's views only, with `complaint_pending` (a new one is still being rendered); staff find
    it among the documents.
    """
    out: dict[str, Any] = {
        "id": f.number,
        "status": f.status,
        "status_label": statuses.LABELS[f.status],
        "case_type": f.case_type,
        "court": {"code": f.court_code, "name": f.court_name},
        "amount": money(f.amount),
    }
    if view == FULL:
        out.update({
            "facts": f.facts,
            "mediation_consent": f.mediation_consent,
            "e_service_consent": f.e_service_consent,
            "e_service_address": f.e_service_address,
            "parties": [{k: getattr(p, k) for k in PARTY_KEYS} for p in f.parties],
        })
    elif view == MASKED:
        out["parties"] = [masked_party_json(p) for p in f.parties]
    if view != SUMMARY:
        out["claims"] = [claim_json(c) for c in f.claims]
    if view == FULL:
        out["evidence"] = evidence_json(f)
        out["witnesses"] = witnesses_json(f)
        out["fee_relief"] = relief_json(f)
    out.update({
        "review": review_json(f),
        "case_number": case_number,
        "created_at": f.created_at.isoformat(),
        "updated_at": f.updated_at.isoformat(),
        # 民诉法第一百二十六条: while pending, the day the court decides by (24:00 China time)
        "decision_due": f.decision_due.isoformat() if f.status == statuses.PENDING and f.decision_due else None,
        # 登记立案规定第七条: while 需补正, the 指定期限 (24:00 China time of its last day)
        "correction_due": (f.correction_due.isoformat()
                           if f.status == statuses.NEEDS_CORRECTION and f.correction_due else None),
    })
    if complaint is not _OMIT:
        out["complaint"] = complaint
        out["complaint_pending"] = complaint_pending
    return out
