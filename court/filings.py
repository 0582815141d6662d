"""Storing and reading filings: the database side of ReviewFiling and GetFilingStatus."""
from __future__ import annotations

from datetime import timezone
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from court import statuses
from court.errors import ApiError
from court.filing_input import FilingInput
from court.models import Claim, Event, Filing, Party, utcnow


def filing_number(filing_id: int, created_day: str) -> str:
    """Public filing number: LA + filing date (YYYYMMDD) + the row id, zero-padded to 6 digits."""
    return f"LA{created_day}{filing_id:06d}"


async def find_by_key(session: AsyncSession, key: str) -> Optional[Filing]:
    return (await session.execute(select(Filing).where(Filing.idempotency_key == key))).scalar_one_or_none()


async def create_filing(
    session: AsyncSession, data: FilingInput, *, key: Optional[str], digest: str, actor: str
) -> tuple[Filing, bool]:
    """Store a filing in one transaction; returns (filing, created). A retried key returns the first one."""
    if key is not None:
        existing = await find_by_key(session, key)
        if existing is not None:
            return _same_request(existing, digest), False
    now = utcnow()
    filing = Filing(
        idempotency_key=key, request_hash=digest, status=statuses.PENDING,
        case_type=data.case_type, court_code=data.court_code, court_name=data.court_name,
        amount=data.amount, facts=data.facts, mediation_consent=data.mediation_consent,
        e_service_consent=data.e_service_consent, e_service_address=data.e_service_address,
        channel=data.channel, conversation_id=data.conversation_id, created_at=now, updated_at=now,
        parties=[Party(position=i, **vars(p)) for i, p in enumerate(data.parties)],
        claims=[Claim(position=i, text=c.text, amount=c.amount) for i, c in enumerate(data.claims)],
    )
    session.add(filing)
    try:
        await session.flush()
        filing.number = filing_number(filing.id, now.astimezone(timezone.utc).strftime("%Y%m%d"))
        session.add(Event(filing_id=filing.id, at=now, actor=actor, action="submitted",
                          before=None, after=statuses.PENDING))
        await session.commit()
    except IntegrityError:
        # Two requests with one key raced; the other one won. Answer with its filing.
        await session.rollback()
        existing = await find_by_key(session, key) if key else None
        if existing is None:
            raise
        return _same_request(existing, digest), False
    return filing, True


def _same_request(existing: Filing, digest: str) -> Filing:
    if existing.request_hash != digest:
        raise ApiError(409, "idempotency_conflict", "该幂等键已用于另一份不同的立案申请。", "Idempotency-Key")
    return existing


async def get_filing(session: AsyncSession, number: str) -> Optional[Filing]:
    return (await session.execute(select(Filing).where(Filing.number == number))).scalar_one_or_none()


def money(value: Any) -> Optional[str]:
    return None if value is None else f"{value:.2f}"


def filing_json(f: Filing) -> dict[str, Any]:
    """The API view of a filing. ID numbers go out whole only to their owner and staff (see api layer)."""
    return {
        "id": f.number,
        "status": f.status,
        "status_label": statuses.LABELS[f.status],
        "case_type": f.case_type,
        "court": {"code": f.court_code, "name": f.court_name},
        "amount": money(f.amount),
        "facts": f.facts,
        "mediation_consent": f.mediation_consent,
        "e_service_consent": f.e_service_consent,
        "e_service_address": f.e_service_address,
        "parties": [
            {k: getattr(p, k) for k in ("role", "kind", "name", "id_number", "phone", "sex", "birth_date",
                                        "address", "legal_representative", "representative_title")}
            for p in f.parties
        ],
        "claims": [{"text": c.text, "amount": money(c.amount)} for c in f.claims],
        "created_at": f.created_at.isoformat(),
        "updated_at": f.updated_at.isoformat(),
    }
