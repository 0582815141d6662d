"""A loopback HTTP relay that times every request it forwards: Rasa → action server, actions → backend.

Neither Rasa nor the backend logs how long a call took; standing between them shows each call's
duration as the caller waits for it, which is what a turn pays. Runs in its own thread and loop.
"""
from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from dataclasses import dataclass, field

from aiohttp import ClientError, ClientSession, ClientTimeout, TCPConnector, web

from deploy.stack import free_port

_IDS = re.compile(r"/(LA\d+|\d+|[0-9a-f]{8,}|[A-Za-z0-9_-]{20,})(?=/|$)")
_HOP = {"host", "content-length", "transfer-encoding", "connection"}


@dataclass
class Call:
    start: float  # time.monotonic() when the call arrived
    seconds: float
    label: str  # the action's name, or "METHOD /path/{id}"


@dataclass
class TimingProxy:
    target: str  # e.g. http://127.0.0.1:5055
    label_actions: bool = False  # label by the body's `next_action` (the action server's webhook)
    port: int = field(default_factory=free_port)
    calls: list[Call] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        if not ready.wait(10):
            raise RuntimeError("the timing proxy did not start")

    def between(self, start: float, end: float) -> list[Call]:
        return [c for c in self.calls if start <= c.start < end]

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        loop.run_until_complete(self._run(ready))
        loop.run_forever()

    async def _run(self, ready: threading.Event) -> None:
        self._session = ClientSession(connector=TCPConnector(limit=0), timeout=ClientTimeout(total=120),
                                      auto_decompress=False)
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._relay)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self.port).start()
        ready.set()

    async def _relay(self, request: web.Request) -> web.Response:
        start = time.monotonic()
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        try:
            async with self._session.request(request.method, self.target + request.path_qs, data=body,
                                             headers=headers) as resp:
                payload = await resp.read()
                out_headers = {k: v for k, v in resp.headers.items() if k.lower() not in _HOP}
                status = resp.status
        except ClientError:  # the target is still starting (health polls): not a call to time
            return web.Response(status=502)
        self.calls.append(Call(start, time.monotonic() - start, self._label(request, body)))
        return web.Response(body=payload, status=status, headers=out_headers)

    def _label(self, request: web.Request, body: bytes) -> str:
        if self.label_actions:
            try:
                return json.loads(body).get("next_action") or request.path
            except (ValueError, AttributeError):
                return request.path
        return f"{request.method} {_IDS.sub('/{id}', request.path)}"
