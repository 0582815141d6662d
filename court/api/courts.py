"""/api/v1/courts: find a court by a fragment of its name (朝阳, 海淀法院, 杭州互联网)."""
from __future__ import annotations

from aiohttp import web

from court.errors import ApiError
from court.rules.courts import Court, court_by_code, search_courts

routes = web.RouteTableDef()


def court_json(court: Court) -> dict:
    return {"code": court.code, "name": court.name, "level": court.level, "province": court.province}


@routes.get("/api/v1/courts")
async def list_courts(request: web.Request) -> web.Response:
    query = request.query.get("q", "").strip()
    if not query or len(query) > 40:
        raise ApiError(400, "invalid_query", "请输入1至40个字的法院名称或地区。", "q")
    return web.json_response({"courts": [court_json(c) for c in search_courts(query, limit=10)]})


@routes.get("/api/v1/courts/{code}")
async def get_court(request: web.Request) -> web.Response:
    court = court_by_code(request.match_info["code"])
    if court is None:
        raise ApiError(404, "not_found", "未找到该法院。")
    return web.json_response(court_json(court))
