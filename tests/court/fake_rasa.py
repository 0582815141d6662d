"""A fake Rasa HTTP API for delivery tests: records `POST /conversations/{id}/tracker/events`."""
from __future__ import annotations

from typing import Any

from aiohttp import web


class FakeRasa:
    """Rasa's `POST /conversations/{id}/tracker/events`, recording each call; `status` to answer."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.status = 200

    def app(self) -> web.Application:
        async def append_events(request: web.Request) -> web.Response:
            self.calls.append({"conversation": request.match_info["cid"], "query": dict(request.query),
                               "body": await request.json()})
            return web.json_response({"sender_id": request.match_info["cid"]}, status=self.status)

        app = web.Application()
        app.router.add_post("/conversations/{cid}/tracker/events", append_events)
        return app
