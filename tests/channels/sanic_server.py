"""A Sanic app served on 127.0.0.1 inside the test's event loop, with the lifecycle `rasa run` gives
it (startup, before/after start, before/after stop): the channel's listeners run as in production."""
from __future__ import annotations

from typing import Any, Optional

import aiohttp
from sanic import Sanic

from deploy.stack import free_port


class LoopbackSanic:
    """Subclasses build the app (`make_app`); this starts it, stops it and holds an HTTP client."""

    def __init__(self) -> None:
        self.port = free_port()
        self._server: Any = None
        self._http: Optional[aiohttp.ClientSession] = None

    def make_app(self) -> Sanic:
        raise NotImplementedError

    async def start(self):  # -> the subclass
        Sanic.test_mode = True  # several apps in one process (sanic-testing does the same)
        app = self.make_app()
        self._server = await app.create_server(host="127.0.0.1", port=self.port, return_asyncio_server=True,
                                               access_log=False)
        await self._server.startup()
        await self._server.before_start()
        await self._server.after_start()
        self._http = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        await self._server.before_stop()  # the channel's listener drains turns and closes the API client
        self._server.close()
        await self._server.wait_closed()
        await self._server.after_stop()
