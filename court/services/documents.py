"""Documents of a filing (起诉状, evidence, corrections): who may see them, storing one, and the API view.

A document is two things that must agree: a file under `Settings.upload_dir` (random name, outside
any served folder) and a `documents` row with its Event. The file is renamed into place first and
the row committed second; if the commit fails the file is removed again, so no row ever points at
nothing and no orphan file stays behind.
"""
from __future__ import annotations

import asyncio
import secrets
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.config import Settings
from court.infra.models import Document, Event, Filing, Litigant, Staff
from court.infra.uploads import Upload, discard, place, size_label
from court.services import case_file, statuses
from court.services.errors import Conflict, DomainError, InvalidRequest, NotFound, TooLarge
from court.services.staff import court_scope

KINDS = {"lead": "起诉状", "evidence": "证据材料", "correction": "补正材料"}
# Not uploadable: a generated 起诉状 replaced on resubmission (court/services/complaint_files.py), kept for the file.
SUPERSEDED = "superseded"
LABELS = {**KINDS, SUPERSEDED: "起诉状（已被替换）"}
DEFAULT_KIND = "evidence"
DESCRIPTION_MAX = 200
# Nothing more can be added to a filing the court refused or the litigant withdrew.
CLOSED = frozenset({statuses.REJECTED, statuses.WITHDRAWN})

NOT_FOUND = "未找到该立案申请，请核对立案申请号。"


def new_public_id() -> str:
    """128 random bits: a document id cannot be guessed (access is still checked on every read)."""
    return secrets.token_hex(16)


def incoming_dir(settings: Settings) -> Path:
    """Temp files live beside the final ones (same filesystem), so that the rename is atomic."""
    return settings.upload_dir / ".incoming"


def stored_path(settings: Settings, storage_path: str) -> Path:
    """The file of a row; refuses anything that would leave the upload directory."""
    root = settings.upload_dir.resolve()
    path = (root / storage_path).resolve()
    if root not in path.parents:
        raise ValueError(f"storage path outside the upload directory: {storage_path!r}")
    return path


def staff_may_see(staff: Staff, filing: Filing) -> bool:
    """Staff see the filings of their court (court.services.staff.court_scope: admins and unassigned staff see all)."""
    scope = court_scope(staff)
    return scope is None or scope == filing.court_code


async def filing_by_number(session: AsyncSession, number: str, *, lock: bool = False) -> Optional[Filing]:
    query = select(Filing).where(Filing.number == number.upper())
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def owned_filing(session: AsyncSession, number: str, litigant: Litigant) -> Filing:
    """The litigant's own filing; someone else's is answered exactly like a missing one (404)."""
    filing = await filing_by_number(session, number)
    if filing is None or filing.litigant_id != litigant.id:
        raise NotFound("not_found", NOT_FOUND)
    return filing


async def visible_filing(session: AsyncSession, number: str, litigant: Optional[Litigant],
                         staff: Optional[Staff]) -> Filing:
    filing = await filing_by_number(session, number)
    if filing is None or not may_see(filing, litigant, staff):
        raise NotFound("not_found", NOT_FOUND)
    return filing


def may_see(filing: Filing, litigant: Optional[Litigant], staff: Optional[Staff]) -> bool:
    if litigant is not None:
        return filing.litigant_id == litigant.id
    return staff is not None and staff_may_see(staff, filing)


def parse_fields(fields: dict[str, str]) -> tuple[str, Optional[str]]:
    """(kind, description) from the form's text fields."""
    kind = fields.get("kind", "").strip() or DEFAULT_KIND
    if kind not in KINDS:
        raise InvalidRequest("invalid_kind", "材料类型（kind）应为 lead（起诉状）、evidence（证据材料）或 correction（补正材料）。",
                       "kind")
    description = " ".join(fields.get("description", "").split()) or None
    if description is not None and len(description) > DESCRIPTION_MAX:
        raise InvalidRequest("field_too_long", f"材料说明请不要超过 {DESCRIPTION_MAX} 个字。", "description")
    return kind, description


async def stored_bytes(session: AsyncSession, filing: Filing) -> int:
    """What the litigant's uploads to the filing take on disk (the complaint the court generated is
    not theirs to count)."""
    return (await session.execute(
        select(func.coalesce(func.sum(Document.size), 0))
        .where(Document.filing_id == filing.id, Document.generated.is_(False)))).scalar_one()


def quota_full(settings: Settings) -> DomainError:
    return TooLarge("filing_quota_exceeded",
                    f"每份立案申请的材料合计不能超过 {size_label(settings.upload_max_filing_bytes)}，"
                    "该申请已没有足够的空间。请压缩或合并后再上传，如需补充大量材料请联系法院。", "file")


async def upload_allowance(session: AsyncSession, filing: Filing, settings: Settings) -> int:
    """How many bytes the next file may have: the per-file limit, or what is left of the filing's quota
    (issue 9, finding 7); 413 when nothing is left."""
    left = settings.upload_max_filing_bytes - await stored_bytes(session, filing)
    if left <= 0:
        raise quota_full(settings)
    return min(settings.upload_max_bytes, left)


async def check_can_upload(session: AsyncSession, filing: Filing, settings: Settings, kind: Optional[str]) -> None:
    """Refuse before (and again after) the body is received: closed filing, too many files, a second 起诉状."""
    if filing.status in CLOSED:
        raise Conflict("filing_closed", f"该立案申请{statuses.LABELS[filing.status]}，无法再上传材料。")
    count = (await session.execute(
        select(func.count()).select_from(Document).where(Document.filing_id == filing.id,
                                                         Document.kind != SUPERSEDED)
    )).scalar_one()
    if count >= settings.upload_max_files:
        raise Conflict("too_many_documents",
                       f"每份立案申请最多上传 {settings.upload_max_files} 份材料，如需补充请联系法院。")
    if kind == "lead":
        # One 起诉状 of the litigant's own; the generated one gives way to it (see save_document).
        leads = (await session.execute(
            select(func.count()).select_from(Document).where(Document.filing_id == filing.id, Document.kind == "lead",
                                                             Document.generated.is_(False))
        )).scalar_one()
        if leads:
            raise Conflict("lead_exists", "该立案申请已上传起诉状；如需更正，请以补正材料（correction）上传。", "kind")


async def save_document(
    session: AsyncSession, settings: Settings, filing_id: int, upload: Upload,
    kind: str, description: Optional[str], actor: str, at: datetime,
) -> Document:
    """Rename the received file into place, then write the row and its Event in one transaction.

    A 起诉状 the litigant uploads (e.g. the signed one) becomes the lead: the one generated from the
    filing (court/services/complaint_files.py) is kept as "superseded", so the filing has one lead document.
    """
    filing = await locked_filing(session, filing_id)
    await check_can_upload(session, filing, settings, kind)
    if upload.size > await upload_allowance(session, filing, settings):  # another upload came first
        raise quota_full(settings)
    superseded: list[str] = []
    if kind == "lead":
        generated = (await session.execute(select(Document).where(
            Document.filing_id == filing.id, Document.kind == "lead", Document.generated.is_(True)))).scalars()
        for old in generated:
            old.kind = SUPERSEDED
            superseded.append(old.public_id)
    key = secrets.token_hex(16)
    storage_path = f"{key[:2]}/{key}"
    final = settings.upload_dir / storage_path
    await asyncio.to_thread(place, upload.temp_path, final)
    try:
        doc = Document(
            public_id=new_public_id(), filing_id=filing.id, kind=kind, filename=upload.filename,
            content_type=upload.file_type.content_type, size=upload.size, sha256=upload.sha256,
            storage_path=storage_path, description=description, created_at=at,
        )
        session.add(doc)
        session.add(Event(
            filing_id=filing.id, at=at, actor=actor, action="document_uploaded",
            before=filing.status, after=filing.status,
            detail={"document": doc.public_id, "kind": kind, "filename": upload.filename,
                    "content_type": doc.content_type, "size": upload.size, "sha256": upload.sha256,
                    **({"supersedes": superseded} if superseded else {})},
        ))
        await case_file.sync(session, filing.id)
        await session.commit()
    except BaseException:
        discard(final)
        raise
    return doc


async def locked_filing(session: AsyncSession, filing_id: int) -> Filing:
    """The filing, locked for the rest of the transaction (PostgreSQL; SQLite's writer lock covers it)."""
    filing = (await session.execute(select(Filing).where(Filing.id == filing_id).with_for_update())).scalar_one_or_none()
    if filing is None:
        raise NotFound("not_found", NOT_FOUND)
    return filing


async def list_documents(session: AsyncSession, filing: Filing) -> list[Document]:
    query = select(Document).where(Document.filing_id == filing.id).order_by(Document.created_at, Document.id)
    return list((await session.execute(query)).scalars())


async def document_by_public_id(session: AsyncSession, public_id: str) -> Optional[tuple[Document, Filing]]:
    row = (await session.execute(
        select(Document, Filing).join(Filing, Filing.id == Document.filing_id).where(Document.public_id == public_id)
    )).first()
    return None if row is None else (row[0], row[1])


def document_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.public_id,
        "kind": doc.kind,
        "kind_label": LABELS.get(doc.kind, doc.kind),
        "filename": doc.filename,
        "content_type": doc.content_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "description": doc.description,
        "created_at": doc.created_at.isoformat(),
        "download_url": f"/api/v1/documents/{doc.public_id}",
    }


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """RFC 6266 with an ASCII fallback and the exact UTF-8 name as RFC 5987 `filename*`."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = "".join(ch for ch in ascii_stem if ch.isalnum() or ch in " -_.()").strip(" .")
    fallback = f"{ascii_stem or 'document'}{'.' + ext if ext.isascii() and ext else ''}"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
