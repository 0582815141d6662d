"""Finding 7: one litigant could file hundreds of cases a minute, each rendering a PDF and landing
in a clerk's queue. Now new filings per litigant are limited per 24 hours (COURT_FILINGS_PER_DAY,
here 3): the next is refused with 429, a Chinese message saying when, and nothing is written; a
retry with the same Idempotency-Key is not a new filing; another litigant is not affected."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from authflow import BOB, bearer, counts, filing_body, has_chinese, set_clock, verify_litigant

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


@pytest.fixture
def settings(settings):
    return replace(settings, filings_per_day=3)


async def _file(client, token: str, key: str):
    return await client.post("/api/v1/filings", json=filing_body(), headers={**bearer(token), "Idempotency-Key": key})


async def test_a_litigant_cannot_flood_the_court_with_filings(client, db_rows) -> None:
    clock = set_clock(client, T0)
    token = await verify_litigant(client, db_rows)
    for n in range(3):
        assert (await _file(client, token, f"k{n}")).status == 201
        clock.advance(hours=1)
    resp = await _file(client, token, "k3")
    body = await resp.json()
    assert resp.status == 429 and body["error"] == "too_many_filings" and has_chinese(body["message"])
    assert "每天最多3份" in body["message"]
    assert body["retry_after"] == 21 * 3600 == int(resp.headers["Retry-After"])  # the first leaves the 24 hours
    assert await counts(db_rows, "filings") == {"filings": 3}
    assert (await _file(client, token, "k0")).status == 201  # a retry of the first: the same filing
    assert await counts(db_rows, "filings") == {"filings": 3}
    other = await verify_litigant(client, db_rows, BOB)
    assert (await _file(client, other, "b0")).status == 201
    clock.advance(hours=21)
    token = await verify_litigant(client, db_rows)  # the first token has expired by now
    assert (await _file(client, token, "k4")).status == 201
