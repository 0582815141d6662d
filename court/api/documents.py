"""/api/v1/filings/{number}/documents (upload, list) and /api/v1/documents/{id} (GetDocument);
the generated 起诉状: /api/v1/filings/{number}/complaint (the litigant's token) and
/api/v1/documents/{id}/download?expires=…&sig=… (a signed link, court/infra/signed_links.py, no token).

Uploads are streamed (court/infra/uploads.py). The request's one session is used twice: a short read
transaction for the token and the ownership check (ended before the body is read, so that no
database lock or connection is held while a slow client sends 20 MB), then the write transaction.
"""
from __future__ import annotations

import base64
import logging
from typing import Optional

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from court.services import complaint_files

from court.api.auth import current_litigant, current_staff, server_secret
from court.infra import signed_links
from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.clock import now
from court.infra.config import Settings
from court.infra.models import Document, Litigant, Staff
from court.infra.uploads import discard, receive_file
from court.services.documents import (
    check_can_upload, content_disposition, document_by_public_id, document_json, incoming_dir, list_documents,
    may_see, owned_filing, parse_fields, quota_full, save_document, stored_path, upload_allowance, visible_filing,
)
from court.services.errors import DomainError, NotFound, ServerFault
from court.services.filings import own_filing

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


async def current_viewer(request: web.Request, session: AsyncSession) -> tuple[Optional[Litigant], Optional[Staff]]:
    """The litigant or the staff member behind the token (documents are readable by owner or staff)."""
    try:
        return await current_litigant(request, session), None
    except DomainError as litigant_error:
        try:
            return None, await current_staff(request, session)
        except DomainError:
            raise litigant_error from None


@routes.post("/api/v1/filings/{number}/documents")
async def upload_document(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        filing = await owned_filing(session, request.match_info["number"], litigant)
        await check_can_upload(session, filing, settings, kind=None)
        allowance = await upload_allowance(session, filing, settings)  # the file, within the filing's quota
        filing_id = filing.id
        await session.commit()  # end the read transaction before the slow part
        upload = await receive_file(
            request, temp_dir=incoming_dir(settings), max_bytes=allowance,
            file_field="file", text_fields=("kind", "description"),
            over_limit=None if allowance == settings.upload_max_bytes else quota_full(settings),
        )
        try:
            kind, description = parse_fields(upload.fields)
            doc = await save_document(session, settings, filing_id, upload, kind, description,
                                      actor=f"litigant:{litigant.id}", at=now(request.app))
        finally:
            discard(upload.temp_path)  # already renamed on success; removes it on any refusal
    return web.json_response(document_json(doc), status=201)


@routes.get("/api/v1/filings/{number}/documents")
async def get_documents(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant, staff = await current_viewer(request, session)
        filing = await visible_filing(session, request.match_info["number"], litigant, staff)
        docs = await list_documents(session, filing)
    return web.json_response({"filing": filing.number, "documents": [document_json(d) for d in docs]})


@routes.get("/api/v1/documents/{public_id}")
async def get_document(request: web.Request) -> web.StreamResponse:
    """GetDocument: the stored bytes with the detected content type; someone else's document is a 404."""
    settings = request.app[SETTINGS]
    async with request.app[SESSIONMAKER]() as session:
        litigant, staff = await current_viewer(request, session)
        found = await document_by_public_id(session, request.match_info["public_id"])
    if found is None or not may_see(found[1], litigant, staff):
        raise NotFound("not_found", "未找到该材料。")
    return file_response(settings, found[0])


@routes.get("/api/v1/documents/{public_id}/download")
async def download_signed(request: web.Request) -> web.StreamResponse:
    """A document by its signed link (no token): 403 for an altered or expired link."""
    public_id = request.match_info["public_id"]
    signed_links.check(server_secret(request.app), public_id, request.query.get("expires"),
                       request.query.get("sig"), now(request.app))
    async with request.app[SESSIONMAKER]() as session:
        found = await document_by_public_id(session, public_id)
    if found is None:
        raise NotFound("not_found", "未找到该材料。")
    return file_response(request.app[SETTINGS], found[0])


@routes.get("/api/v1/filings/{number}/complaint")
async def get_complaint(request: web.Request) -> web.StreamResponse:
    """The generated 起诉状 of the litigant's own filing (anyone else's number: the same 404)."""
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        filing = await own_filing(session, request.match_info["number"], litigant)
        doc = await complaint_files.current(session, filing.id)
    if doc is None:
        raise NotFound("no_complaint", "该立案申请暂无系统生成的起诉状；如您已自行上传起诉状，可在材料列表中查看。")
    return file_response(request.app[SETTINGS], doc)


def file_response(settings: Settings, doc: Document) -> web.FileResponse:
    """The stored bytes with their detected type, the exact file name (RFC 5987) and the SHA-256."""
    path = stored_path(settings, doc.storage_path)
    if not path.is_file():
        log.error("document %s: stored file is missing", doc.public_id)
        raise ServerFault("file_missing", "该材料的文件暂时无法读取，请联系法院。")
    digest = base64.b64encode(bytes.fromhex(doc.sha256)).decode()
    return web.FileResponse(path, headers={
        "Content-Type": doc.content_type,
        "Content-Disposition": content_disposition(doc.filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
        "Repr-Digest": f"sha-256=:{digest}:",
    })
