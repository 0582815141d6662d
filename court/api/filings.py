"""/api/v1/filings — the litigant's side, every endpoint behind a litigant token (court.api.auth):

POST /api/v1/filings                   ReviewFiling (Idempotency-Key per litigant)
GET  /api/v1/filings                   GetFilingList: the caller's filings, newest first
GET  /api/v1/filings/{number}          GetFilingStatus (another litigant's filing: 404)
POST /api/v1/filings/{number}/cancel   CancelFiling: only 待审核 / 需补正, else 409
POST /api/v1/filings/{number}/resubmit 补正后重新提交: 需补正 → 待审核

The filing JSON given to its litigant carries `complaint`: the 起诉状 the backend generated from
the filing (court/services/complaint.py) with a signed download link valid for 7 days (court/infra/signed_links.py),
so that the chat can offer it without a bearer header. GET …/complaint (court/api/documents.py)
serves it with the token.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional

from aiohttp import web

from sqlalchemy.ext.asyncio import AsyncSession

from court.api.auth import current_litigant, current_session, server_secret
from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.clock import now
from court.infra.errors import read_json
from court.infra.models import Filing
from court.infra.uploads import discard
from court.services import complaint_files
from court.services.complaint import complaint_data
from court.services.competence import refuse_if_not_competent
from court.services.errors import InvalidRequest
from court.services.filing_input import parse_filing, request_hash
from court.services.filings import (
    SUMMARY, cancel_filing, case_numbers_of, create_filing, filing_json, list_own_filings,
    own_filing, parse_cancel, parse_resubmission, resubmit_filing, retried,
)
from court.services.period import china_date

routes = web.RouteTableDef()


async def litigant_view(request: web.Request, session: AsyncSession, filing: Filing,
                        case_number: Optional[str] = None) -> dict[str, Any]:
    """The filing for its litigant, with its generated complaint and a fresh signed link."""
    doc = await complaint_files.current(session, filing.id)
    complaint = complaint_files.complaint_json(doc, server_secret(request.app), now(request.app),
                                               request.app[SETTINGS].public_base_url)
    return filing_json(filing, case_number, complaint=complaint)


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
        filing = await retried(session, litigant, key, digest)
        created = False
        if filing is None:
            # The complaint PDF (民事诉讼法 art. 124) is rendered outside any transaction: on SQLite
            # the open one holds the write lock, which must not wait on half a second of layout.
            await session.commit()
            lead = await complaint_files.prepare(settings, complaint_data(data, china_date(at)))
            try:
                filing, created = await create_filing(session, data, litigant=litigant, key=key, digest=digest,
                                                       at=at, lead=lead, settings=settings)
            finally:
                if lead is not None:
                    discard(lead.temp_path)  # placed on success; removed when nothing was stored
        # A filing created just now has no case yet: no query for it.
        numbers = {} if created else await case_numbers_of(session, [filing.id])
        body_out = await litigant_view(request, session, filing, numbers.get(filing.id))
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
        await resubmit_filing(session, filing, litigant, change, at=now(request.app), settings=request.app[SETTINGS])
        return web.json_response(await litigant_view(request, session, filing))
