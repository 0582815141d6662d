"""/api/v1/staff/transcripts — the conversations behind filings, for court staff only.

GET /api/v1/staff/transcripts                     ?filing=&phone=&date_from=&date_to=&limit=&offset=
GET /api/v1/staff/transcripts/{conversation_id}   every turn: user text, bot text, intent, slots set

Masking and scope: court/services/transcripts.py. Each opened conversation is written to the
audit trail (court/services/staff_audit.py).
"""
from __future__ import annotations

from aiohttp import web

from court.api.auth import current_staff
from court.api.query import query_page, query_period
from court.infra.app_keys import SESSIONMAKER
from court.infra.clock import now
from court.services.staff import ROLES
from court.services.staff_audit import TRANSCRIPT, record_access
from court.services.transcripts import TranscriptSearch, conversation_view, search_conversations

routes = web.RouteTableDef()
READERS = set(ROLES)
MAX_LIMIT = 200


@routes.get("/api/v1/staff/transcripts")
async def search(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        filing, phone = request.query.get("filing") or "", request.query.get("phone") or ""
        found = TranscriptSearch(filing, phone, query_period(request), *query_page(request, MAX_LIMIT))
        return web.json_response(await search_conversations(session, staff, found))


@routes.get("/api/v1/staff/transcripts/{conversation_id}")
async def get_transcript(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        view = await conversation_view(session, staff, request.match_info["conversation_id"])
        await record_access(session, staff, TRANSCRIPT, request.match_info["conversation_id"], now(request.app))
        return web.json_response(view)
