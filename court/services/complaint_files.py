"""The generated 起诉状 as a stored document: render off the event loop, place the file, find it again.

Rendering happens after the filing is answered (court/services/complaint_renders.py queues it,
court/jobs/complaint_renders.py renders it in a process pool).

The bytes go through the same storage as uploads (court/services/documents.py, court/infra/uploads.py): a
random name under `Settings.upload_dir`, renamed into place (`place`) inside the transaction
that writes its row, and removed again (`discard`) if that transaction fails — so a filing and
its generated complaint are stored together or not at all.

On a resubmission that changes the content, the new complaint becomes the lead document and the
previous generated one is kept with kind "superseded": it is what the clerk read when asking for
corrections (一次性告知), so the court's file keeps it; it no longer counts as the lead, nor
towards the upload limit, and the litigant's download and `complaint` field show the new one.
A 起诉状 the litigant uploads themselves supersedes the generated one the same way
(court/services/documents.py save_document); after that none is generated on resubmission.

No font (see court.services.complaint.find_font): no complaint, a warning in the log, and the filing is
stored all the same.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import secrets
from concurrent.futures import BrokenExecutor, Executor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.config import Settings
from court.infra.models import Document, Filing
from court.infra.signed_links import download_path
from court.services import complaint
from court.services.documents import SUPERSEDED, incoming_dir, new_public_id

log = logging.getLogger(__name__)

PDF_TYPE = "application/pdf"


@dataclass
class PreparedFile:
    """A rendered complaint in a durable temp file, with the row values it will get."""

    temp_path: Path
    storage_path: str
    public_id: str
    size: int
    sha256: str

    def final_path(self, settings: Settings) -> Path:
        return settings.upload_dir / self.storage_path

    def row_values(self, filing_id: Optional[int], at: datetime) -> dict[str, Any]:
        return dict(public_id=self.public_id, filing_id=filing_id, kind="lead", filename=complaint.FILENAME,
                    content_type=PDF_TYPE, size=self.size, sha256=self.sha256, storage_path=self.storage_path,
                    description=complaint.DESCRIPTION, generated=True, created_at=at)



def font_for(settings: Settings) -> Optional[Path]:
    """settings.extra["pdf_fonts"] (a list, for tests) or $COURT_PDF_FONT and the default list."""
    configured = settings.extra.get("pdf_fonts")
    candidates = tuple(configured) if configured is not None else tuple(complaint.font_candidates())
    return complaint.find_font(candidates)


def _write_temp(directory: Path, data: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{secrets.token_hex(16)}.part"
    with path.open("xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return path


async def prepare(settings: Settings, data: complaint.ComplaintData,
                  executor: Optional[Executor] = None) -> Optional[PreparedFile]:
    """Render (on `executor`: the worker's process pool, or a thread) and write the complaint to a
    temp file; None when there is no font.

    A rendering error is logged and answered with None too: the filing matters more than its
    generated copy. An error writing the file is raised: storage is broken, nothing is stored.
    """
    font = font_for(settings)
    if font is None:
        return None
    try:
        pdf = await asyncio.get_running_loop().run_in_executor(executor, complaint.render, data, font)
    except BrokenExecutor:
        raise  # the worker process died: not this complaint's fault, the caller tries again
    except Exception:
        log.exception("the complaint PDF could not be rendered with %s; the filing goes on without it", font)
        return None
    temp = await asyncio.to_thread(_write_temp, incoming_dir(settings), pdf)
    key = secrets.token_hex(16)
    return PreparedFile(temp_path=temp, storage_path=f"{key[:2]}/{key}", public_id=new_public_id(),
                        size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest())


async def current(session: AsyncSession, filing_id: int) -> Optional[Document]:
    """The filing's generated complaint now in force (the lead made by the backend), if any."""
    query = (select(Document).where(Document.filing_id == filing_id, Document.kind == "lead",
                                    Document.generated.is_(True))
             .order_by(Document.created_at.desc(), Document.id.desc()).limit(1))
    return (await session.execute(query)).scalar_one_or_none()


async def replace(session: AsyncSession, filing: Filing, prepared: PreparedFile, *, at: datetime) -> dict[str, Any]:
    """Add the new generated lead; the previous generated lead becomes "superseded".

    Returns what the resubmission's event records about it (the audit trail: which document
    replaced which). The caller placed the file and commits (and discards the file if the commit
    fails). A lead the litigant uploaded is never replaced (the caller generates none then).
    """
    old = await current(session, filing.id)
    if old is not None:
        old.kind = SUPERSEDED
    session.add(Document(**prepared.row_values(filing.id, at)))
    return {"complaint": {"document": prepared.public_id, "sha256": prepared.sha256,
                          "replaces": old.public_id if old is not None else None}}


async def uploaded_lead(session: AsyncSession, filing_id: int) -> Optional[Document]:
    """A 起诉状 the litigant uploaded themselves (then no generated one is made the lead beside it)."""
    query = select(Document).where(Document.filing_id == filing_id, Document.kind == "lead",
                                   Document.generated.is_(False)).limit(1)
    return (await session.execute(query)).scalar_one_or_none()


def complaint_json(doc: Optional[Document], secret: bytes, at: datetime,
                   base_url: str = "") -> Optional[dict[str, Any]]:
    """The litigant's `complaint` field: the document and a signed link valid for 7 days."""
    if doc is None:
        return None
    return {"document_id": doc.public_id, "filename": doc.filename, "size": doc.size,
            "download_url": download_path(secret, doc.public_id, at, base_url)}
