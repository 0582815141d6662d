"""GET /api/v1/openapi.json: the backend's OpenAPI 3.0 document (court/openapi/*.yaml, merged)."""
from __future__ import annotations

from aiohttp import web

from court import openapi

routes = web.RouteTableDef()


@routes.get("/api/v1/openapi.json")
async def get_openapi(_request: web.Request) -> web.Response:
    return web.Response(
        body=openapi.spec_json(),
        content_type="application/json",
        charset="utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )
