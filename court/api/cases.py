"""/api/v1/cases — a litigant's docketed cases (GetCaseList, GetCase), behind a litigant token.

The case number in the path may be spelled any way a user types it (half- or full-width
brackets, URL-encoded, spaces, no 号): it is normalised with court.rules.case_numbers first.
A case the caller is not a litigant of answers the same 404 as a number that does not exist.
"""
from __future__ import annotations

from aiohttp import web

from court.api.auth import current_litigant
from court.infra.app_keys import SESSIONMAKER
from court.infra.clock import now
from court.services.cases import canonical_number, case_head_json, case_json, events_of, litigant_case, litigant_cases, notices_of
from court.services.filings import money
from court.services.period import china_date

routes = web.RouteTableDef()


@routes.get("/api/v1/cases")
async def list_cases(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        found = await litigant_cases(session, litigant)
    return web.json_response(
        {"cases": [{**case_head_json(case, filing), "amount": money(filing.amount)} for case, filing in found]}
    )


@routes.get("/api/v1/cases/{case_number}")
async def get_case(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        number = canonical_number(request.match_info["case_number"], china_date(now(request.app)))
        case, filing = await litigant_case(session, number, litigant)
        body = case_json(case, filing, await notices_of(session, case), await events_of(session, filing), litigant)
    return web.json_response(body)
