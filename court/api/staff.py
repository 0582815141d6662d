"""/api/v1/staff — the court's side: login, the review queue, decisions, the case view.

POST /api/v1/staff/session                  {username, password} → staff token (12 h)
GET  /api/v1/staff/filings                  ?status=&court=&date_from=&date_to=&limit=&offset=
GET  /api/v1/staff/filings/{number}         the full view (unmasked; see court/services/staff.py)
POST /api/v1/staff/filings/{number}/review  {"decision": accept|correct|reject, "items", "reason"}
GET  /api/v1/staff/cases/{case_number}      any spelling of the case number

Roles: clerk, judge and admin read; only clerk and judge decide. A clerk or judge bound to a
court sees that court only: anything else is a 404, like an unknown number.
"""
from __future__ import annotations

from aiohttp import web

from court.api.auth import current_staff, issue_token
from court.api.query import query_page, query_period
from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.clock import now
from court.infra.errors import read_json
from court.services.cases import NOT_FOUND_MESSAGE, canonical_number, find_case, notices_of, events_of, staff_case_json
from court.services.errors import InvalidRequest, NotFound, Unauthenticated, reject_unknown_fields
from court.services.period import china_date
from court.services.review import apply_review, parse_review, staff_filing
from court.services.staff import REVIEWERS, ROLES, authenticate, court_scope, staff_json
from court.services.staff_queue import QueueFilter, full_view, queue_court, queue_status, review_queue

routes = web.RouteTableDef()
READERS = set(ROLES)
MAX_LIMIT = 200


@routes.post("/api/v1/staff/session")
async def login(request: web.Request) -> web.Response:
    body = await read_json(request)
    reject_unknown_fields(body, {"username", "password"})
    username, password = body.get("username"), body.get("password")
    for name, value in (("username", username), ("password", password)):
        if not isinstance(value, str) or not value:
            raise InvalidRequest("missing_field", "请输入用户名和密码。", name)
    async with request.app[SESSIONMAKER]() as session:
        staff = await authenticate(session, username[:64], password[:256])
        if staff is None:  # one message for an unknown user and a wrong password
            raise Unauthenticated("invalid_credentials", "用户名或密码不正确。")
        token, expires_at = await issue_token(session, at=now(request.app), staff=staff)
        await session.commit()
        return web.json_response({"token": token, "expires_at": expires_at.isoformat(), "staff": staff_json(staff)})


@routes.get("/api/v1/staff/filings")
async def list_filings(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        status = queue_status(request.query.get("status") or None)
        court = queue_court(request.query.get("court"))
        f = QueueFilter(status, court, query_period(request), *query_page(request, MAX_LIMIT))
        return web.json_response(await review_queue(session, staff, f))


@routes.get("/api/v1/staff/filings/{number}")
async def get_filing(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        filing = await staff_filing(session, request.match_info["number"], staff)
        return web.json_response(await full_view(session, filing))


@routes.post("/api/v1/staff/filings/{number}/review")
async def review(request: web.Request) -> web.Response:
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, REVIEWERS)
        decision = parse_review(body)
        filing = await staff_filing(session, request.match_info["number"], staff, lock=True)
        await apply_review(session, filing, staff, decision, at=now(request.app),
                           configured_province=request.app[SETTINGS].fee_province)
        return web.json_response(await full_view(session, filing))


@routes.get("/api/v1/staff/cases/{case_number}")
async def get_case(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        number = canonical_number(request.match_info["case_number"], china_date(now(request.app)))
        found = await find_case(session, number)
        scope = court_scope(staff)
        if found is None or (scope is not None and found[1].court_code != scope):
            raise NotFound("not_found", NOT_FOUND_MESSAGE, "case_number")
        case, filing = found
        body = staff_case_json(case, filing, await notices_of(session, case), await events_of(session, filing))
    return web.json_response(body)
