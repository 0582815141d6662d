"""/api/v1/staff/cases/{case_number}/fee-notices/{id}/service — staff record how and when a fee
notice was served (邮寄送达 signed-for time, 直接送达, …); the 7-day fee clock starts from it
(《诉讼费用交纳办法》第二十二条). Electronic service is recorded by the delivery itself, and only with
the litigant's consent (民诉法第九十条). Clerks and judges of the case's court only.

POST {"method": "mail", "served_at": "2026-09-30T23:59:00+08:00"} → the staff case view
"""
from __future__ import annotations

from aiohttp import web

from court.api.auth import current_staff
from court.infra.app_keys import SESSIONMAKER
from court.infra.clock import now
from court.infra.errors import read_json
from court.services.cases import NOT_FOUND_MESSAGE, canonical_number, events_of, find_case, notices_of, staff_case_json
from court.services.errors import NotFound
from court.services.fee_service import parse_service, record_service
from court.services.period import china_date
from court.services.review import staff_actor
from court.services.staff import REVIEWERS, court_scope

routes = web.RouteTableDef()


@routes.post("/api/v1/staff/cases/{case_number}/fee-notices/{notice_id}/service")
async def record(request: web.Request) -> web.Response:
    body = await read_json(request)
    at = now(request.app)
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, REVIEWERS)
        method, served_at = parse_service(body)
        found = await find_case(session, canonical_number(request.match_info["case_number"], china_date(at)))
        scope = court_scope(staff)
        if found is None or (scope is not None and found[1].court_code != scope):
            raise NotFound("not_found", NOT_FOUND_MESSAGE, "case_number")
        case, filing = found
        await record_service(session, filing, case, request.match_info["notice_id"], method, served_at,
                             actor=staff_actor(staff), now=at)
        body = staff_case_json(case, filing, await notices_of(session, case), await events_of(session, filing))
    return web.json_response(body)
