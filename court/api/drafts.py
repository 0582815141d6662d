"""/api/v1/drafts/current — the litigant's one draft filing (待提交), behind a litigant token:

PUT    save (replaces the previous one)      → 200 the draft
GET    the draft, if saved within 30 days    → 200, else 404 not_found
DELETE                                       → 204, also when there is none
"""
from __future__ import annotations

from dataclasses import replace

from aiohttp import web

from court.api.auth import current_litigant, current_session
from court.infra.app_keys import SESSIONMAKER
from court.infra.clock import now
from court.infra.errors import read_json
from court.services import drafts
from court.services.errors import NotFound

routes = web.RouteTableDef()
PATH = "/api/v1/drafts/current"


@routes.put(PATH)
async def put_draft(request: web.Request) -> web.Response:
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        current = await current_session(request, session)
        # The conversation is the token's (issue 9): one named in the body is ignored.
        draft = replace(drafts.parse_draft(body), conversation_id=current.conversation_id, channel=current.channel)
        saved = await drafts.save(session, current.litigant, draft, now(request.app))
    return web.json_response(drafts.draft_json(saved))


@routes.get(PATH)
async def get_draft(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        draft = await drafts.current(session, litigant, now(request.app))
    if draft is None:
        raise NotFound("not_found", drafts.NOT_FOUND_MESSAGE)
    return web.json_response(drafts.draft_json(draft))


@routes.delete(PATH)
async def delete_draft(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        await drafts.remove(session, litigant)
    return web.Response(status=204)
