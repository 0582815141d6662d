"""/api/v1/staff/nlu-inbox — messages the assistant did not understand, for a clerk to label
(court/services/nlu_inbox.py).

GET  /api/v1/staff/nlu-inbox          the newest unsure messages, grouped by likeness, and the intents
POST /api/v1/staff/nlu-inbox/labels   {"turn_ids": [...], "intent": "..."} or {"turn_ids": [...], "out_of_scope": true}

Roles: clerk, judge and admin read (masked for all); only clerks label. Both are audited.
"""
from __future__ import annotations

from aiohttp import web

from court.api.auth import current_staff
from court.infra.app_keys import SESSIONMAKER
from court.infra.clock import now
from court.infra.errors import read_json
from court.services.nlu_inbox import LABELLERS, inbox, label_messages, parse_label
from court.services.staff import ROLES
from court.services.staff_audit import NLU_INBOX, NLU_LABEL, record_access

routes = web.RouteTableDef()
READERS = set(ROLES)


@routes.get("/api/v1/staff/nlu-inbox")
async def get_inbox(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        view = await inbox(session, staff)
        await record_access(session, staff, NLU_INBOX, f"{view['total']} messages", now(request.app))
        return web.json_response(view)


@routes.post("/api/v1/staff/nlu-inbox/labels")
async def post_labels(request: web.Request) -> web.Response:
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, LABELLERS)
        label = parse_label(body)
        done = await label_messages(session, staff, label, now(request.app))
        subject = "turns " + ",".join(str(i) for i in label.turn_ids)
        await record_access(session, staff, NLU_LABEL, subject, now(request.app))
        return web.json_response(done)
