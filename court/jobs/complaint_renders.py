"""The complaint worker: renders the generated 起诉状 of new and corrected filings after they are answered.

POST /api/v1/filings commits the filing with a pending render (court/services/complaint_renders.py)
and wakes this job (RENDER_WAKE); the job renders in a process pool whose workers parse the font
once each (court/services/complaint_font.py `warm`), so the backend's event loop never spends the
PDF's CPU, stores the document, and sends the litigant its link through the delivery queue
(court/services/deliveries.py) at once. A pass also runs at start and every
`Settings.complaint_interval_s`: renders left pending by a process that died (its lease ran out)
or queued by another backend process are picked up there.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor
from contextlib import suppress
from typing import AsyncIterator, Optional

from aiohttp import web

from court.api.auth import server_secret
from court.infra.app_keys import RENDER_WAKE, SESSIONMAKER, SETTINGS
from court.infra.clock import now as clock
from court.infra.config import Settings
from court.infra.uploads import discard
from court.jobs.conversations import deliver_now
from court.services import complaint_files, complaint_renders
from court.services.complaint_font import warm

log = logging.getLogger(__name__)


async def render_pending(app: web.Application, executor: Optional[Executor] = None) -> int:
    """Render every pending complaint whose lease is free (on `executor`, else a thread); how many
    were settled (stored, or skipped without a font)."""
    settings, sessionmaker = app[SETTINGS], app[SESSIONMAKER]
    settled = 0
    while (claimed := await complaint_renders.claim(sessionmaker, clock(app))) is not None:
        prepared = None
        try:
            prepared = await complaint_files.prepare(settings, claimed.data, executor)
            delivery_id = await complaint_renders.store(sessionmaker, claimed, prepared, settings=settings,
                                                        secret=server_secret(app), at=clock(app))
        except Exception as err:  # the pool broke, or storage failed: nothing stored, tried again later
            log.exception("complaint of filing %s not stored; it is tried again", claimed.number)
            await complaint_renders.failed(sessionmaker, claimed, str(err) or type(err).__name__, clock(app))
            if isinstance(err, BrokenExecutor):
                raise
            continue
        finally:
            if prepared is not None:
                discard(prepared.temp_path)  # placed when stored; removed otherwise
        settled += 1
        if delivery_id is not None and settings.delivery_configured():
            try:
                await deliver_now(app, delivery_id)  # failed: pending, the conversations job retries
            except Exception:
                log.exception("the complaint link of filing %s was not delivered yet", claimed.number)
    return settled


def make_pool(settings: Settings) -> Optional[ProcessPoolExecutor]:
    """The render processes (spawned: a fork of a process with a running loop and open sockets is
    unsafe), each parsing the font once; None renders in a thread instead."""
    font = complaint_files.font_for(settings)
    if settings.complaint_processes <= 0 or font is None:
        return None
    pool = ProcessPoolExecutor(max_workers=settings.complaint_processes, mp_context=multiprocessing.get_context("spawn"),
                               initializer=warm, initargs=(str(font),))
    pool.submit(int)  # start a worker (and parse the font) now, not at the first filing
    return pool


async def _loop(app: web.Application, settings: Settings) -> None:
    wake = app[RENDER_WAKE]
    pool: Optional[ProcessPoolExecutor] = None
    try:
        while True:
            wake.clear()
            try:
                pool = pool or make_pool(settings)
                await render_pending(app, pool)
            except asyncio.CancelledError:
                raise
            except BrokenExecutor:
                log.error("a complaint render process died; starting new ones")
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
                pool = None
            except Exception:  # a database hiccup: next pass
                log.exception("complaint render pass failed")
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(wake.wait(), settings.complaint_interval_s)
    finally:
        if pool is not None:  # waited for: a worker process must not outlive the backend
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)


async def complaint_render_job(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: the worker, when `Settings.complaint_worker` is on."""
    settings = app[SETTINGS]
    app[RENDER_WAKE] = asyncio.Event()
    task = asyncio.create_task(_loop(app, settings), name="complaint-renders") if settings.complaint_worker else None
    yield
    if task is not None:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
