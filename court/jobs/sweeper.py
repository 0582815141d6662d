"""The sweeper (issue 9, finding 7): what a crash or an abandoned session leaves behind, removed on a
schedule (``Settings.sweep_interval_s``, hourly; ``python -m court sweep`` runs one pass).

* ``.part`` files in the upload temp folder: a body or a rendered complaint that was never placed
  (the process died between writing and renaming it). Normal refusals delete their own.
* stored files no ``documents`` row points at: placed, but the row's transaction never committed.
* drafts not touched for 30 days (court/services/drafts.py), and identity challenges older than the
  longest SMS limit window (court/services/limits.py), which nothing reads any more.

Files are only taken when older than :data:`GRACE` by their modification time: an upload still
streaming rewrites its ``.part`` file at every chunk (and gives up after the body deadline), and
a placed file gets its row within the same request.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import AsyncIterator

from aiohttp import web
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.clock import now as clock
from court.infra.config import Settings
from court.infra.models import Document, IdentityChallenge
from court.jobs.periodic import every
from court.services import drafts, limits
from court.services.documents import incoming_dir

log = logging.getLogger(__name__)

GRACE = timedelta(hours=1)
CHALLENGE_KEEP = limits.DAY + timedelta(hours=1)  # the longest window the SMS limits count over


@dataclass
class Swept:
    part_files: int = 0
    orphan_files: int = 0
    drafts: int = 0
    challenges: int = 0

    def any(self) -> bool:
        return any(vars(self).values())


def _stale(path: Path, before: float) -> bool:
    try:
        return path.is_file() and path.stat().st_mtime < before
    except OSError:  # removed meanwhile
        return False


def _remove(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False


def _stale_parts(settings: Settings, before: float) -> list[Path]:
    folder = incoming_dir(settings)
    return [p for p in folder.glob("*.part") if _stale(p, before)] if folder.is_dir() else []


def _stored_files(settings: Settings, before: float) -> dict[str, list[Path]]:
    """Stale files of the store, by their two-character folder (storage_path is 'ab/abcdef…')."""
    root = settings.upload_dir
    found: dict[str, list[Path]] = {}
    if not root.is_dir():
        return found
    for folder in root.iterdir():
        if folder.is_dir() and folder != incoming_dir(settings) and not folder.name.startswith("."):
            stale = [p for p in folder.iterdir() if _stale(p, before)]
            if stale:
                found[folder.name] = stale
    return found


async def _orphans(session: AsyncSession, settings: Settings, before: float) -> list[Path]:
    orphans: list[Path] = []
    for folder, files in (await asyncio.to_thread(_stored_files, settings, before)).items():
        known = set((await session.execute(
            select(Document.storage_path).where(Document.storage_path.like(f"{folder}/%")))).scalars())
        orphans += [p for p in files if f"{folder}/{p.name}" not in known]
    await session.commit()
    return orphans


async def sweep(session: AsyncSession, settings: Settings, at: datetime) -> Swept:
    """One pass; safe to run in several processes at once (each removal tolerates a missing file)."""
    swept = Swept()
    before = time.time() - GRACE.total_seconds()
    for path in await asyncio.to_thread(_stale_parts, settings, before):
        swept.part_files += await asyncio.to_thread(_remove, path)
    for path in await _orphans(session, settings, before):
        swept.orphan_files += await asyncio.to_thread(_remove, path)
    swept.drafts = await drafts.purge(session, at)
    result = await session.execute(delete(IdentityChallenge).where(IdentityChallenge.created_at < at - CHALLENGE_KEEP))
    await session.commit()
    swept.challenges = result.rowcount or 0
    return swept


async def _pass(app: web.Application) -> None:
    async with app[SESSIONMAKER]() as session:
        swept = await sweep(session, app[SETTINGS], clock(app))
    if swept.any():
        log.info("sweeper: %s", swept)


async def sweeper_job(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: runs :func:`sweep` every ``Settings.sweep_interval_s`` while the app lives (if enabled)."""
    settings = app[SETTINGS]
    async for _ in every(app, _pass, enabled=settings.sweep_job, interval_s=settings.sweep_interval_s,
                         name="sweeper"):
        yield
