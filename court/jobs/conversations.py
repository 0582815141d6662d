"""The conversations job: Rasa's events into turns (when ``COURT_RASA_EVENTS_URL`` is set) and the
court's notices into conversations (when ``COURT_RASA_URL`` is set), one pass every
``COURT_TRANSCRIPT_INTERVAL_S``. One task does both in turn, so SQLite sees one writer at a time."""
from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import AsyncIterator, Optional

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.rasa_client import RasaClient
from court.jobs.transcript_ingest import BATCH, ingest_once, open_source
from court.services.deliveries import scan_review_events, send_delivery, send_pending

log = logging.getLogger(__name__)


async def deliver_now(app: web.Application, delivery_id: int) -> str:
    """Send one delivery at once (a staff reply), on a client of its own; its new status."""
    async with RasaClient.open(app[SETTINGS]) as rasa:
        return await send_delivery(app[SESSIONMAKER], rasa, delivery_id)


async def deliver_pending(app: web.Application, http: Optional[aiohttp.ClientSession] = None) -> int:
    """Send the deliveries that are due; the number sent."""
    async with RasaClient.open(app[SETTINGS], http) as rasa:
        return await send_pending(app[SESSIONMAKER], rasa)


async def _loop(app: web.Application, interval_s: float) -> None:
    settings, sessionmaker = app[SETTINGS], app[SESSIONMAKER]
    url = settings.rasa_events_source()
    source: Optional[AsyncEngine] = None
    deliver = settings.delivery_configured()
    async with aiohttp.ClientSession() as http:
        try:
            while True:
                try:
                    if url is not None:
                        source = source or open_source(url)
                        while source is not None and await ingest_once(sessionmaker, source) >= BATCH:
                            pass
                    if deliver:
                        await scan_review_events(sessionmaker)
                        await deliver_pending(app, http)
                except asyncio.CancelledError:
                    raise
                except Exception:  # a locked or missing database now and then: try again next tick
                    log.exception("transcript/delivery pass failed")
                await asyncio.sleep(interval_s)
        finally:
            if source is not None:
                await source.dispose()


async def conversations_job(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: ingestion and delivery, each only when configured."""
    settings = app[SETTINGS]
    task: Optional[asyncio.Task] = None
    if settings.rasa_events_source() is not None or settings.delivery_configured():
        task = asyncio.create_task(_loop(app, settings.transcript_interval_s), name="transcripts")
    yield
    if task is not None:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
