"""Typed application keys (aiohttp `web.AppKey`) shared by the app factory and the handlers."""
from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from aiohttp import web

from court.infra.config import Settings

SETTINGS = web.AppKey("settings", Settings)
ENGINE = web.AppKey("engine", AsyncEngine)
SESSIONMAKER = web.AppKey("sessionmaker", async_sessionmaker[AsyncSession])
MAX_JSON_BYTES = web.AppKey("max_json_bytes", int)
# Set by POST /filings after its commit: the complaint worker (court/jobs/complaint_renders.py) wakes at once.
RENDER_WAKE = web.AppKey("render_wake", asyncio.Event)
