"""The complaint worker as it runs in the backend (court/jobs/complaint_renders.py, a real process pool):
a filing is answered before its 起诉状 exists, the link reaches the litigant's conversation once it
is rendered, and a backend that stopped between the commit and the render loses nothing — the next
start renders what was left pending, including a render whose process died holding its lease."""
from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import text

from authflow import bearer, submit, verify_litigant
from court.app import create_app
from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.models import Base, utcnow
from fake_rasa import FakeRasa

WAIT_S = 120  # a bound on waiting for the worker (a spawned process parses the font first), not a timing


async def _rows(app, sql: str, **params) -> list:
    async with app[SESSIONMAKER]() as session:
        result = await session.execute(text(sql), params)
        if result.returns_rows:
            return list(result.all())
        await session.commit()
        return []


async def _start(aiohttp_client, settings, rasa_url: str):
    client = await aiohttp_client(create_app(settings))
    client.app[SETTINGS].extra["rasa_url"] = rasa_url
    return client


async def _until(predicate, what: str) -> None:
    for _ in range(int(WAIT_S / 0.1)):
        if await predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the complaint worker did not {what} within {WAIT_S} s")


async def test_a_render_left_by_a_stopped_backend_is_done_at_the_next_start(aiohttp_client, aiohttp_server, settings):
    fake = FakeRasa()
    rasa_url = str((await aiohttp_server(fake.app())).make_url("")).rstrip("/")

    # 1. A backend without its worker (as one killed right after the commit): the filing is
    #    answered and stored, its render stays pending.
    first = await _start(aiohttp_client, settings, rasa_url)
    for table in reversed(Base.metadata.sorted_tables):
        await _rows(first.app, f"DELETE FROM {table.name}")

    async def db_rows(sql: str) -> list:
        return await _rows(first.app, sql)

    alice = await verify_litigant(first, db_rows)
    left = await submit(first, alice)
    died = await submit(first, alice, conversation_id="c-2")
    assert left["complaint"] is None and left["complaint_pending"] is True
    # The second one's render was taken by a process that died while rendering: its lease ran out.
    await _rows(first.app, "UPDATE complaint_renders SET attempts = 1, lease_until = :gone WHERE filing_id = "
                "(SELECT id FROM filings WHERE number = :number)", gone=utcnow() - timedelta(seconds=1),
                number=died["id"])
    await first.close()
    assert fake.calls == []

    # 2. The next start, with the worker (one render process): both are rendered, attached and sent.
    client = await _start(aiohttp_client, replace(settings, complaint_worker=True, complaint_interval_s=0.5), rasa_url)

    async def both_sent() -> bool:
        return len(fake.calls) >= 2

    await _until(both_sent, "send the two links left behind")
    assert await _rows(client.app, "SELECT status, attempts FROM complaint_renders ORDER BY id") == [
        ("done", 1), ("done", 2)]
    for filing in (left, died):
        view = await (await client.get(f"/api/v1/filings/{filing['id']}", headers=bearer(alice))).json()
        assert view["complaint"]["filename"] == "起诉状.pdf" and view["complaint_pending"] is False
        said = [c["body"][0]["text"] for c in fake.calls if filing["id"] in c["body"][0]["text"]]
        assert len(said) == 1 and "民事起诉状" in said[0] and "/download?" in said[0]
        link = said[0][said[0].index("http"):]
        pdf = await client.get(link[link.index("/api/"):])  # the signed link, without a token
        assert pdf.status == 200 and (await pdf.read()).startswith(b"%PDF-")

    # 3. A filing made while the worker runs: answered at once, its link follows when rendered.
    fresh = await submit(client, alice, conversation_id="c-3")
    assert fresh["complaint"] is None and fresh["complaint_pending"] is True

    async def third_sent() -> bool:
        return any(fresh["id"] in c["body"][0]["text"] for c in fake.calls)

    await _until(third_sent, "send the link of a new filing")
    assert len(fake.calls) == 3  # nothing sent twice
    assert await _rows(client.app, "SELECT count(*) FROM documents WHERE kind = 'lead' AND generated") == [(3,)]
