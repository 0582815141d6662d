"""/api/v1/filings: ReviewFiling (POST) and GetFilingStatus (GET)."""
from __future__ import annotations

from aiohttp import web

from court.app_keys import SESSIONMAKER
from court.errors import ApiError, read_json
from court.filing_input import parse_filing, request_hash
from court.filings import create_filing, filing_json, get_filing

routes = web.RouteTableDef()


@routes.post("/api/v1/filings")
async def post_filing(request: web.Request) -> web.Response:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (1 <= len(key) <= 128 and key.isprintable()):
        raise ApiError(400, "invalid_idempotency_key", "幂等键格式不正确（1 至 128 个可见字符）。", "Idempotency-Key")
    body = await read_json(request)
    data = parse_filing(body)
    async with request.app[SESSIONMAKER]() as session:
        filing, created = await create_filing(session, data, key=key, digest=request_hash(body), actor="litigant")
        return web.json_response(filing_json(filing), status=201)


@routes.get("/api/v1/filings/{number}")
async def get_filing_status(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        filing = await get_filing(session, request.match_info["number"].upper())
    if filing is None:
        raise ApiError(404, "not_found", "未找到该立案申请，请核对立案申请号。")
    return web.json_response(filing_json(filing))
