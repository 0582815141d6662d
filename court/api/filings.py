"""/api/v1/filings — the litigant's side, every endpoint behind a litigant token (court.auth):

POST /api/v1/filings                   ReviewFiling (Idempotency-Key per litigant)
GET  /api/v1/filings                   GetFilingList: the caller's filings, newest first
GET  /api/v1/filings/{number}          GetFilingStatus (another litigant's filing: 404)
POST /api/v1/filings/{number}/cancel   CancelFiling: only 待审核 / 需补正, else 409
POST /api/v1/filings/{number}/resubmit 补正后重新提交: 需补正 → 待审核
"""
from __future__ import annotations

from typing import Any

from aiohttp import web

from court.app_keys import SESSIONMAKER
from court.auth import current_litigant, now
from court.errors import ApiError, read_json
from court.filing_input import parse_filing, request_hash
from court.filings import (
    cancel_filing, case_numbers_of, create_filing, filing_json, filing_summary_json, list_own_filings,
    own_filing, parse_cancel, parse_resubmission, resubmit_filing,
)

routes = web.RouteTableDef()


async def _optional_json(request: web.Request) -> dict[str, Any]:
    """A JSON body when one was sent; an empty object for a bodiless POST."""
    if not request.body_exists:
        return {}
    return await read_json(request)


@routes.post("/api/v1/filings")
async def post_filing(request: web.Request) -> web.Response:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (1 <= len(key) <= 128 and key.isprintable()):
        raise ApiError(400, "invalid_idempotency_key", "幂等键格式不正确（1 至 128 个可见字符）。", "Idempotency-Key")
    # The body is read before any transaction starts: on SQLite the first statement takes the
    # write lock, which must not wait on a slow client.
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        data = parse_filing(body)
        filing, created = await create_filing(session, data, litigant=litigant, key=key,
                                               digest=request_hash(body), at=now(request.app))
        # A filing created just now has no case yet: no query (and no second transaction) for it.
        numbers = {} if created else await case_numbers_of(session, [filing.id])
        return web.json_response(filing_json(filing, numbers.get(filing.id)), status=201)


@routes.get("/api/v1/filings")
async def list_filings(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        filings = await list_own_filings(session, litigant)
        numbers = await case_numbers_of(session, [f.id for f in filings])
    return web.json_response({"filings": [filing_summary_json(f, numbers.get(f.id)) for f in filings]})


@routes.get("/api/v1/filings/{number}")
async def get_filing_status(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        filing = await own_filing(session, request.match_info["number"], litigant)
        numbers = await case_numbers_of(session, [filing.id])
    return web.json_response(filing_json(filing, numbers.get(filing.id)))


@routes.post("/api/v1/filings/{number}/cancel")
async def cancel(request: web.Request) -> web.Response:
    body = await _optional_json(request)
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        reason = parse_cancel(body)
        filing = await own_filing(session, request.match_info["number"], litigant, lock=True)
        await cancel_filing(session, filing, litigant, reason, now(request.app))
        return web.json_response(filing_json(filing))


@routes.post("/api/v1/filings/{number}/resubmit")
async def resubmit(request: web.Request) -> web.Response:
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        facts, claims, note = parse_resubmission(body)
        filing = await own_filing(session, request.match_info["number"], litigant, lock=True)
        await resubmit_filing(session, filing, litigant, facts=facts, claims=claims, note=note, at=now(request.app))
        return web.json_response(filing_json(filing))
