"""Finding 7: `.part` files left by a crash were never swept, nor a stored file whose row never
committed, nor drafts nobody came back to. Now the sweeper (court/jobs/sweeper.py) runs on a
schedule in the backend and removes each — only when older than an hour, so that an upload in
progress and the documents that rows point at are never touched."""
from __future__ import annotations

import asyncio
import os
import time
from dataclasses import replace
from datetime import timedelta

import pytest

from authflow import bearer, counts
from test_documents_api import add_filing, add_litigant, files_on_disk, form, headers

from court.infra.app_keys import SESSIONMAKER
from court.infra.clock import now
from court.infra.models import FilingDraft

TWO_HOURS_AGO = time.time() - 2 * 3600


@pytest.fixture
def settings(settings):
    return replace(settings, sweep_job=True, sweep_interval_s=0.2)


def _file(path, *, old: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n leftover")
    if old:
        os.utime(path, (TWO_HOURS_AGO, TWO_HOURS_AGO))


async def test_the_sweeper_removes_what_crashes_and_abandoned_sessions_leave(client, db_rows, settings) -> None:
    litigant_id, token = await add_litigant(client.app)
    number = await add_filing(client.app, litigant_id)
    resp = await client.post(f"/api/v1/filings/{number}/documents",
                             data=form(("证据.pdf", "application/pdf", b"%PDF-1.4\n" + b"0" * 100)),
                             headers=headers(token))
    assert resp.status == 201
    document = (await resp.json())["id"]
    (kept,) = files_on_disk(settings)
    os.utime(kept, (TWO_HOURS_AGO, TWO_HOURS_AGO))  # old, but a row points at it
    incoming = settings.upload_dir / ".incoming"
    stale_part, fresh_part = incoming / "a1.part", incoming / "b2.part"
    orphan, fresh_orphan = settings.upload_dir / "ab" / ("ab" + "0" * 30), settings.upload_dir / "cd" / ("cd" + "1" * 30)
    _file(stale_part, old=True)
    _file(fresh_part, old=False)  # an upload still streaming
    _file(orphan, old=True)
    _file(fresh_orphan, old=False)  # placed just now; its row is being written
    async with client.app[SESSIONMAKER]() as session:
        session.add(FilingDraft(litigant_id=litigant_id, data={"facts": "旧草稿"},
                                updated_at=now(client.app) - timedelta(days=31)))
        await session.commit()
    for _ in range(200):  # the scheduled pass, every 0.2 s here
        if not stale_part.exists() and not orphan.exists() and await counts(db_rows, "filing_drafts") == {
                "filing_drafts": 0}:
            break
        await asyncio.sleep(0.05)
    assert not stale_part.exists() and not orphan.exists()
    assert await counts(db_rows, "filing_drafts") == {"filing_drafts": 0}
    assert fresh_part.exists() and fresh_orphan.exists() and kept.exists()
    assert (await client.get(f"/api/v1/documents/{document}", headers=bearer(token))).status == 200
