"""/api/v1/staff — the court's side: login, the review queue, decisions, the case view.

POST /api/v1/staff/session                  {username, password, otp} → staff token (12 h); 429 when
                                            locked or throttled (court/services/staff_login.py)
DELETE /api/v1/staff/session                logout: the token is revoked
DELETE /api/v1/staff/accounts/{username}/lockout   admin: unlock an account locked by failed logins
GET  /api/v1/staff/audit                    admin: who opened which transcript / unmasked ID number
GET  /api/v1/staff/filings                  ?status=&court=&date_from=&date_to=&limit=&offset=
GET  /api/v1/staff/filings/{number}         the full view (unmasked; see court/services/staff.py)
POST /api/v1/staff/filings/{number}/review  {"decision": accept|correct|reject, "items", "reason"}
GET  /api/v1/staff/cases/{case_number}      any spelling of the case number

Roles: clerk, judge and admin read; only clerk and judge decide. A clerk or judge bound to a
court sees that court only: anything else is a 404, like an unknown number.
"""
from __future__ import annotations

from aiohttp import web

from court.api.auth import bearer_token, current_staff, hash_token, issue_token
from court.api.query import query_page, query_period
from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.clock import now
from court.infra.errors import read_json
from court.services.cases import NOT_FOUND_MESSAGE, canonical_number, find_case, notices_of, events_of, staff_case_json
from court.services.errors import InvalidRequest, NotFound, Unauthenticated, reject_unknown_fields
from court.services.period import china_date
from court.services.review import apply_review, parse_review, staff_filing
from court.services.staff import (
    REVIEWERS, ROLES, authenticate, check_second_factor, court_scope, revoke_token, staff_json,
)
from court.services.staff_audit import CASE, FILING, audit_page, record_access
from court.services.staff_login import check_login_allowed, clear_failures, record_failure
from court.services.staff_queue import QueueFilter, full_view, queue_court, queue_status, review_queue

routes = web.RouteTableDef()
READERS = set(ROLES)
MAX_LIMIT = 200


@routes.post("/api/v1/staff/session")
async def login(request: web.Request) -> web.Response:
    body = await read_json(request)
    reject_unknown_fields(body, {"username", "password", "otp"})
    username, password = body.get("username"), body.get("password")
    for name, value in (("username", username), ("password", password)):
        if not isinstance(value, str) or not value:
            raise InvalidRequest("missing_field", "请输入用户名和密码。", name)
    username, address, at = username[:64], request.remote or "unknown", now(request.app)
    async with request.app[SESSIONMAKER]() as session:
        await check_login_allowed(session, username, address, at)  # before the password: 429
        staff = await authenticate(session, username, password[:256])
        if staff is None:  # one message for an unknown user and a wrong password
            await record_failure(session, username, address, at)
            raise Unauthenticated("invalid_credentials", "用户名或密码不正确。")
        otp = body.get("otp")
        try:  # TOTP: required for every account in production mode, for enrolled ones in dev mode
            check_second_factor(staff, otp if isinstance(otp, str) else None, at,
                                required=not request.app[SETTINGS].dev_mode)
        except Unauthenticated:
            await record_failure(session, username, address, at)
            raise
        await clear_failures(session, staff.username)
        token, expires_at = await issue_token(session, at=at, staff=staff)
        await session.commit()
        return web.json_response({"token": token, "expires_at": expires_at.isoformat(), "staff": staff_json(staff)})


@routes.delete("/api/v1/staff/session")
async def logout(request: web.Request) -> web.Response:
    """Revoke the request's own token: it answers 401 from now on."""
    async with request.app[SESSIONMAKER]() as session:
        await current_staff(request, session)
        await revoke_token(session, hash_token(bearer_token(request) or ""))
        await session.commit()
    return web.Response(status=204)


@routes.delete("/api/v1/staff/accounts/{username}/lockout")
async def unlock(request: web.Request) -> web.Response:
    """An admin lifts a lockout before its time (the failures are forgotten)."""
    async with request.app[SESSIONMAKER]() as session:
        await current_staff(request, session, {"admin"})
        await clear_failures(session, request.match_info["username"][:64])
        await session.commit()
    return web.Response(status=204)


@routes.get("/api/v1/staff/filings")
async def list_filings(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        status = queue_status(request.query.get("status") or None)
        court = queue_court(request.query.get("court"))
        f = QueueFilter(status, court, query_period(request), *query_page(request, MAX_LIMIT))
        return web.json_response(await review_queue(session, staff, f, now(request.app)))


@routes.get("/api/v1/staff/filings/{number}")
async def get_filing(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        filing = await staff_filing(session, request.match_info["number"], staff)
        view = await full_view(session, filing)
        await record_access(session, staff, FILING, filing.number or request.match_info["number"], now(request.app))
        return web.json_response(view)


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
        await record_access(session, staff, CASE, case.case_number, now(request.app))
    return web.json_response(body)


@routes.get("/api/v1/staff/audit")
async def audit(request: web.Request) -> web.Response:
    """Administrators read who opened which transcript or unmasked ID number, newest first."""
    async with request.app[SESSIONMAKER]() as session:
        await current_staff(request, session, {"admin"})
        return web.json_response(await audit_page(session, *query_page(request, MAX_LIMIT)))
