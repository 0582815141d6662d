"""/api/v1/staff/filings/{number}/fee-relief — the clerk decides a 司法救助 application.

POST {"decision": approve|partly|refuse, "reduction_percent": "50", "reason": "…"} → the staff view
of the filing. Before docketing only (《诉讼费用交纳办法》第四十九条); a refusal states its reasons
(第四十八条第三款); the fee notice issued at docketing follows the decision (court/services/review.py).
Only clerks and judges decide; one bound to a court reaches that court's filings only (404 otherwise).
"""
from __future__ import annotations

from aiohttp import web

from court.api.auth import current_staff
from court.infra.app_keys import SESSIONMAKER
from court.infra.clock import now
from court.infra.errors import read_json
from court.services.fee_relief import decide_relief, parse_relief_decision
from court.services.review import staff_filing
from court.services.staff import REVIEWERS
from court.services.staff_queue import full_view

routes = web.RouteTableDef()


@routes.post("/api/v1/staff/filings/{number}/fee-relief")
async def decide(request: web.Request) -> web.Response:
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, REVIEWERS)
        decision = parse_relief_decision(body)
        filing = await staff_filing(session, request.match_info["number"], staff, lock=True)
        session.add(decide_relief(filing, staff, decision, now(request.app)))
        await session.commit()
        return web.json_response(await full_view(session, filing))
