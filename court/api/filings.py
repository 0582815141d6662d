"""/api/v1/filings — the litigant's side, every endpoint behind a litigant token (court.api.auth):

POST /api/v1/filings                   ReviewFiling (Idempotency-Key per litigant)
GET  /api/v1/filings                   GetFilingList: the caller's filings, newest first
GET  /api/v1/filings/{number}          GetFilingStatus (another litigant's filing: 404)
POST /api/v1/filings/{number}/cancel   CancelFiling: only 待审核 / 需补正, else 409
POST /api/v1/filings/{number}/resubmit 补正后重新提交: 需补正 → 待审核

The filing JSON given to its litigant carries `complaint`: the 起诉状 the backend generated from
the filing (court/services/complaint.py) with a signed download link valid for 7 days (court/infra/signed_links.py),
so that the chat can offer it without a bearer header, and `complaint_pending` while it is still
being made: POST answers as soon as the filing is committed, and the complaint worker
(court/jobs/complaint_renders.py) renders it, attaches it and sends the link into the litigant's
conversation. GET …/complaint (court/api/documents.py) serves it with the token.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional

from aiohttp import web

from sqlalchemy.ext.asyncio import AsyncSession

from court.api.auth import current_litigant, current_session, server_secret
from court.infra.app_keys import RENDER_WAKE, SESSIONMAKER, SETTINGS
from court.infra.clock import now
from court.infra.errors import read_json
from court.infra.models import Filing
from court.services import complaint_files, complaint_renders
from court.services.competence import refuse_if_not_competent
from court.services.errors import InvalidRequest
from court.services.filing_input import parse_filing, request_hash
from court.services.filings import (
    SUMMARY, cancel_filing, case_numbers_of, create_filing, filing_json, list_own_filings,
    own_filing, parse_cancel, parse_resubmission, resubmit_filing,
)

routes = web.RouteTableDef()


async def litigant_view(request: web.Request, session: AsyncSession, filing: Filing,
                        case_number: Optional[str] = None, *, new: bool = False) -> dict[str, Any]:
    """The filing for its litigant, with its generated complaint and a fresh signed link, or whether
    it is still being made. `new`: created by this request (no complaint yet: nothing to read)."""
    if new:
        return filing_json(filing, case_number, complaint=None,
                           complaint_pending=complaint_files.font_for(request.app[SETTINGS]) is not None)
    doc = await complaint_files.current(session, filing.id)
    complaint = complaint_files.complaint_json(doc, server_secret(request.app), now(request.app),
                                               request.app[SETTINGS].public_base_url)
    return filing_json(filing, case_number, complaint=complaint,
                       complaint_pending=await complaint_renders.is_pending(session, filing.id))


def render_base_url(request: web.Request) -> Optional[str]:
    """Where the litigant's complaint link will point: the configured public address, else this
    request's origin (the worker that makes the link has no request)."""
    return request.app[SETTINGS].public_base_url or str(request.url.origin())


def wake_renderer(request: web.Request) -> None:
    """After the commit: the complaint worker renders at once instead of at its next pass."""
    wake = request.app.get(RENDER_WAKE)
    if wake is not None:
        wake.set()


async def _optional_json(request: web.Request) -> dict[str, Any]:
    """A JSON body when one was sent; an empty object for a bodiless POST."""
    if not request.body_exists:
        return {}
    return await read_json(request)


def idempotency_key(request: web.Request) -> Optional[str]:
    """The request's Idempotency-Key header (1 to 128 printable characters), if any; 400 otherwise."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (1 <= len(key) <= 128 and key.isprintable()):
        raise InvalidRequest("invalid_idempotency_key", "幂等键格式不正确（1 至 128 个可见字符）。", "Idempotency-Key")
    return key


@routes.post("/api/v1/filings")
async def post_filing(request: web.Request) -> web.Response:
    key = idempotency_key(request)
    # The body is read before any transaction starts: on SQLite the first statement takes the
    # write lock, which must not wait on a slow client.
    body = await read_json(request)
    settings = request.app[SETTINGS]
    async with request.app[SESSIONMAKER]() as session:
        current = await current_session(request, session)
        litigant = current.litigant
        # The conversation is the token's (issue 9): one named in the body is ignored.
        data = replace(parse_filing(body), conversation_id=current.conversation_id, channel=current.channel)
        refuse_if_not_competent(data)  # 级别管辖、专门管辖: nothing written for a court that cannot hear it
        digest, at = request_hash(body), now(request.app)
        # A retried Idempotency-Key answers with the first filing (create_filing looks it up). The
        # complaint (民事诉讼法 art. 124) is queued in the filing's transaction and rendered after
        # this answer (court/jobs/complaint_renders.py); without a font none is made.
        render = complaint_files.font_for(settings) is not None
        filing, created = await create_filing(session, data, litigant=litigant, key=key, digest=digest, at=at,
                                              render=render, render_base_url=render_base_url(request),
                                              per_day=settings.filings_per_day)
        if created and render:
            wake_renderer(request)
        # A filing created just now has no case yet: no query for it.
        numbers = {} if created else await case_numbers_of(session, [filing.id])
        body_out = await litigant_view(request, session, filing, numbers.get(filing.id), new=created)
        return web.json_response(body_out, status=201)


@routes.get("/api/v1/filings")
async def list_filings(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        filings = await list_own_filings(session, litigant)
        numbers = await case_numbers_of(session, [f.id for f in filings])
    return web.json_response({"filings": [filing_json(f, numbers.get(f.id), view=SUMMARY) for f in filings]})


@routes.get("/api/v1/filings/{number}")
async def get_filing_status(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        filing = await own_filing(session, request.match_info["number"], litigant)
        numbers = await case_numbers_of(session, [filing.id])
        return web.json_response(await litigant_view(request, session, filing, numbers.get(filing.id)))


@routes.post("/api/v1/filings/{number}/cancel")
async def cancel(request: web.Request) -> web.Response:
    body = await _optional_json(request)
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        reason = parse_cancel(body)
        filing = await own_filing(session, request.match_info["number"], litigant, lock=True)
        await cancel_filing(session, filing, litigant, reason, now(request.app))
        return web.json_response(await litigant_view(request, session, filing))


@routes.post("/api/v1/filings/{number}/resubmit")
async def resubmit(request: web.Request) -> web.Response:
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        change = parse_resubmission(body)  # every part checked before anything is written
        filing = await own_filing(session, request.match_info["number"], litigant, lock=True)
        render = complaint_files.font_for(request.app[SETTINGS]) is not None
        await resubmit_filing(session, filing, litigant, change, at=now(request.app), render=render,
                              render_base_url=render_base_url(request))
        wake_renderer(request)
        return web.json_response(await litigant_view(request, session, filing))
