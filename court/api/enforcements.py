"""/api/v1/enforcements — 申请执行, the applicant's side (litigant token) and the court's (staff token):

POST /api/v1/enforcements                            apply (Idempotency-Key per litigant); checked first
GET  /api/v1/enforcements                            the caller's applications, newest first
GET  /api/v1/enforcements/{number}                   by application number (ZX…) or 执 case number;
                                                     anyone else's answers 404 like an unknown one
GET  /api/v1/staff/enforcements                      the review queue (?status=&limit=&offset=)
GET  /api/v1/staff/enforcements/{number}             one, unmasked
POST /api/v1/staff/enforcements/{number}/review      {"decision": accept|reject, "reason", "kind"}
POST /api/v1/staff/enforcements/{number}/steps       {"step", "note"}: sent to the applicant
POST /api/v1/staff/cases/{case_number}/effective     the case's decision took effect (a 执行依据)

Staff roles as for filings: clerk, judge and admin read; clerk and judge decide; a member bound to a
court sees that court only.
"""
from __future__ import annotations

from aiohttp import web

from court.api.auth import current_litigant, current_session, current_staff
from court.api.filings import idempotency_key
from court.api.query import query_page
from court.infra.app_keys import SESSIONMAKER
from court.infra.clock import now
from court.infra.errors import read_json
from court.services.cases import canonical_number
from court.services.enforcement import (
    apply_review, create_application, effective_json, enforcement_json, list_own, mark_effective,
    own_enforcement, parse_application, parse_effective, parse_review, parse_step, record_step, staff_case,
    staff_enforcement, staff_queue, steps_of,
)
from court.services.filing_input import request_hash
from court.services.period import china_date
from court.services.staff import REVIEWERS, ROLES
from court.services.staff_audit import ENFORCEMENT, record_access

routes = web.RouteTableDef()
READERS = set(ROLES)
MAX_LIMIT = 200


@routes.post("/api/v1/enforcements")
async def post_enforcement(request: web.Request) -> web.Response:
    key = idempotency_key(request)
    body = await read_json(request)
    application = parse_application(body)
    async with request.app[SESSIONMAKER]() as session:
        current = await current_session(request, session)
        row, _created = await create_application(
            session, application, litigant=current.litigant, key=key, digest=request_hash(body),
            at=now(request.app), conversation_id=current.conversation_id, channel=current.channel)
        return web.json_response(enforcement_json(row, await steps_of(session, row)), status=201)


@routes.get("/api/v1/enforcements")
async def list_enforcements(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        rows = await list_own(session, litigant)
        return web.json_response({"enforcements": [enforcement_json(r, []) for r in rows]})


@routes.get("/api/v1/enforcements/{number}")
async def get_enforcement(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        row = await own_enforcement(session, request.match_info["number"], litigant, china_date(now(request.app)))
        return web.json_response(enforcement_json(row, await steps_of(session, row)))


@routes.get("/api/v1/staff/enforcements")
async def staff_list(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        limit, offset = query_page(request, MAX_LIMIT)
        return web.json_response(await staff_queue(session, staff, request.query.get("status") or None, limit, offset))


@routes.get("/api/v1/staff/enforcements/{number}")
async def staff_get(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        row = await staff_enforcement(session, request.match_info["number"], staff, china_date(now(request.app)))
        body = enforcement_json(row, await steps_of(session, row), staff=True)
        await record_access(session, staff, ENFORCEMENT, row.number, now(request.app))  # whole ID numbers: audited
        return web.json_response(body)


async def _staff_change(request: web.Request, change) -> web.Response:
    """A decision or a step on one application of the member's court (locked), answered with its full view."""
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, REVIEWERS)
        at = now(request.app)
        row = await staff_enforcement(session, request.match_info["number"], staff, china_date(at), lock=True)
        await change(session, row, staff, at)
        return web.json_response(enforcement_json(row, await steps_of(session, row), staff=True))


@routes.post("/api/v1/staff/enforcements/{number}/review")
async def staff_review(request: web.Request) -> web.Response:
    decision, reason, kind = parse_review(await read_json(request))
    return await _staff_change(request, lambda session, row, staff, at:
                               apply_review(session, row, staff, decision, reason, kind, at))


@routes.post("/api/v1/staff/enforcements/{number}/steps")
async def staff_step(request: web.Request) -> web.Response:
    step, note = parse_step(await read_json(request))
    return await _staff_change(request, lambda session, row, staff, at: record_step(session, row, staff, step, note, at))


@routes.post("/api/v1/staff/cases/{case_number}/effective")
async def staff_effective(request: web.Request) -> web.Response:
    body = await read_json(request)
    kind, effective_on, performance = parse_effective(body)
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, REVIEWERS)
        at = now(request.app)
        case = await staff_case(session, canonical_number(request.match_info["case_number"], china_date(at)), staff)
        row = await mark_effective(session, case, staff, kind, effective_on, performance, at)
        return web.json_response(effective_json(case, row))
