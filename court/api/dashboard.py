"""/api/v1/staff/dashboard — the court's view of its online service (court/services/dashboard.py).

GET /api/v1/staff/dashboard        ?date_from=&date_to=&court=   every figure, JSON
GET /api/v1/staff/dashboard.csv    the same figures as CSV with a Chinese header row

Without dates: the last 30 China days up to today. Roles clerk, judge and admin; a member bound to
a court sees that court only, whatever ``court`` asks.
"""
from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from court.api.auth import current_staff
from court.api.query import query_period
from court.infra.app_keys import SESSIONMAKER
from court.infra.clock import now
from court.services.dashboard import DashboardQuery, dashboard, dashboard_csv
from court.services.period import Period, china_date
from court.services.staff import ROLES
from court.services.staff_queue import queue_court

routes = web.RouteTableDef()
READERS = set(ROLES)
DEFAULT_DAYS = 30


async def _figures(request: web.Request) -> dict:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        period, at = query_period(request), now(request.app)
        if period.date_from is None and period.date_to is None:
            today = china_date(at)
            period = Period(today - timedelta(days=DEFAULT_DAYS - 1), today)
        query = DashboardQuery(period, queue_court(request.query.get("court")))
        return await dashboard(session, staff, query, at)


@routes.get("/api/v1/staff/dashboard")
async def get_dashboard(request: web.Request) -> web.Response:
    return web.json_response(await _figures(request))


@routes.get("/api/v1/staff/dashboard.csv")
async def get_dashboard_csv(request: web.Request) -> web.Response:
    data = await _figures(request)
    name = f"dashboard-{data['period']['date_from'] or 'all'}-{data['period']['date_to'] or 'now'}.csv"
    return web.Response(text=dashboard_csv(data), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
