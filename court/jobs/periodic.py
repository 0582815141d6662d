"""A pass that runs every N seconds for the app's lifetime (cleanup_ctx), shared by the jobs.

A failing pass is logged and the job goes on (a database hiccup must not end it for good).
"""
from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import AsyncIterator, Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)

Pass = Callable[[web.Application], Awaitable[None]]


async def _loop(app: web.Application, one_pass: Pass, interval_s: float, name: str) -> None:
    while True:
        try:
            await one_pass(app)
        except asyncio.CancelledError:
            raise
        except Exception:  # keep the job alive
            log.exception("%s pass failed", name)
        await asyncio.sleep(interval_s)


async def every(app: web.Application, one_pass: Pass, *, enabled: bool, interval_s: float,
                name: str) -> AsyncIterator[None]:
    """The body of a cleanup_ctx generator: `one_pass(app)` every `interval_s` until the app stops."""
    if not enabled or interval_s <= 0:
        yield
        return
    task = asyncio.create_task(_loop(app, one_pass, interval_s, name), name=name)
    yield
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
