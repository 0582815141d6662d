"""read_json: whole bodies however they arrive, 4xx for everything else."""
import json

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from court.infra.app_keys import MAX_JSON_BYTES
from court.infra.errors import error_middleware, read_json


@pytest.fixture
def aiohttp_client_cls() -> type[TestClient]:
    return TestClient  # a test-only app: its /api/echo is not part of the OpenAPI document


def make_app(limit: int = 4096) -> web.Application:
    async def echo(request: web.Request) -> web.Response:
        return web.json_response(await read_json(request))

    app = web.Application(middlewares=[error_middleware])
    app[MAX_JSON_BYTES] = limit
    app.router.add_post("/api/echo", echo)
    return app


async def test_a_body_sent_in_pieces_is_read_whole(aiohttp_client):
    client = await aiohttp_client(make_app())
    body = json.dumps({"facts": "事" * 900}, ensure_ascii=False).encode()  # 2.7 kB

    async def pieces():
        for i in range(0, len(body), 500):
            yield body[i:i + 500]

    resp = await client.post("/api/echo", data=pieces(), headers={"Content-Type": "application/json"})
    assert resp.status == 200
    assert (await resp.json())["facts"] == "事" * 900


async def test_a_chunked_body_over_the_limit_is_413(aiohttp_client):
    client = await aiohttp_client(make_app(limit=1000))

    async def pieces():
        for _ in range(10):
            yield b" " * 500

    resp = await client.post("/api/echo", data=pieces(), headers={"Content-Type": "application/json"})
    assert resp.status == 413
    assert (await resp.json())["error"] == "too_large"
