"""Reading a request body with deadlines (issue 9, finding 7: slowloris).

aiohttp waits for a body as long as the client keeps the connection open: a client that sends
one byte a minute holds a handler, a file descriptor and (for uploads) a temp file for ever.
Every body the API reads goes through :func:`chunks`, which gives up when no byte arrives for
``idle_s`` or the whole body has not arrived within ``total_s``, with a 408 whose response
closes the connection (court/infra/errors.py). The limits come from :class:`Settings`
(``COURT_BODY_IDLE_TIMEOUT_S``, ``COURT_BODY_TOTAL_TIMEOUT_S``); an app without settings (a
test-only app) gets the defaults.
"""
from __future__ import annotations

import asyncio
from typing import AsyncIterator

from aiohttp import web

from court.infra.app_keys import SETTINGS
from court.infra.config import Settings
from court.services.errors import RequestTimeout

SLOW_BODY = "请求内容传输过慢，已超时中断。请检查网络后重新提交。"


def _limits(app: web.Application) -> tuple[float, float]:
    settings = app[SETTINGS] if SETTINGS in app else Settings()
    return settings.body_idle_timeout_s, settings.body_total_timeout_s


async def chunks(request: web.Request, size: int) -> AsyncIterator[bytes]:
    """The body in chunks of at most `size` bytes; :class:`RequestTimeout` when it stalls or drags."""
    idle_s, total_s = _limits(request.app)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + total_s
    while True:
        wait = min(idle_s, deadline - loop.time())
        if wait <= 0:
            raise RequestTimeout("body_timeout", SLOW_BODY)
        try:
            async with asyncio.timeout(wait):
                chunk = await request.content.read(size)
        except TimeoutError:
            raise RequestTimeout("body_timeout", SLOW_BODY) from None
        if not chunk:
            return
        yield chunk
