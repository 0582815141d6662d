"""bot/court_client.py: a draft saved "soon" does not hold up the turn, yet is never lost or overtaken —
saves arrive in order, and the litigant's next read, save or delete waits for them (real HTTP, loopback)."""
from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator

import pytest
from aiohttp import web

from bot.court_client import CourtClient


class DraftServer:
    """The three draft calls of /api/v1/drafts/current, with a slow PUT, noting when each starts and ends."""

    def __init__(self, put_seconds: float = 0.3, put_status: int = 200) -> None:
        self.put_seconds, self.put_status = put_seconds, put_status
        self.log: list[tuple[str, str]] = []
        self.draft = None

    async def put(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.log.append(("PUT start", body["data"]["n"]))
        await asyncio.sleep(self.put_seconds)
        if self.put_status >= 400:
            return web.json_response({"error": "unavailable", "message": "稍后再试"}, status=self.put_status)
        self.draft = body["data"]
        self.log.append(("PUT end", body["data"]["n"]))
        return web.json_response({"data": self.draft})

    async def get(self, request: web.Request) -> web.Response:
        self.log.append(("GET", ""))
        if self.draft is None:
            return web.json_response({"error": "not_found", "message": "没有草稿"}, status=404)
        return web.json_response({"data": self.draft})

    async def delete(self, request: web.Request) -> web.Response:
        self.log.append(("DELETE", ""))
        self.draft = None
        return web.Response(status=204)


@pytest.fixture
async def served() -> AsyncIterator[tuple[DraftServer, CourtClient]]:
    server = DraftServer()
    app = web.Application()
    app.router.add_put("/api/v1/drafts/current", server.put)
    app.router.add_get("/api/v1/drafts/current", server.get)
    app.router.add_delete("/api/v1/drafts/current", server.delete)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    client = CourtClient(f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}")
    yield server, client
    await client.close()
    await runner.cleanup()


async def test_the_turn_does_not_wait_and_a_later_read_sees_the_save(served) -> None:
    server, client = served
    client.save_draft_soon("token-1", {"n": "1"}, "conversation-1", "rest")  # returns at once: not awaited
    assert server.log == []  # nothing has reached the backend yet: the turn's answer goes first
    draft = await client.get_draft("token-1")
    assert draft == {"data": {"n": "1"}}
    assert server.log == [("PUT start", "1"), ("PUT end", "1"), ("GET", "")]


async def test_saves_arrive_in_order_and_a_delete_comes_after_the_last(served) -> None:
    server, client = served
    for n in "123":
        client.save_draft_soon("token-1", {"n": n}, "conversation-1", "rest")
    await client.delete_draft("token-1")  # the filing was submitted: no earlier save may bring it back
    assert server.log == [("PUT start", "1"), ("PUT end", "1"), ("PUT start", "2"), ("PUT end", "2"),
                          ("PUT start", "3"), ("PUT end", "3"), ("DELETE", "")]
    assert server.draft is None


async def test_a_failed_save_is_logged_and_the_conversation_goes_on(served, caplog) -> None:
    server, client = served
    server.put_status = 503
    caplog.set_level(logging.WARNING, logger="bot.court_client")
    client.save_draft_soon("token-1", {"n": "1"}, "conversation-1", "rest")
    await client.drafts_saved("token-1")
    assert "draft not saved: 503 unavailable" in caplog.text
    assert await client.get_draft("token-1") is None
