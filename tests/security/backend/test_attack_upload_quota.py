"""Finding 7: a filing took up to 50 files of 20 MB each — 1 GB of disk per filing, as many
filings as one liked. Now the litigant's uploads to one filing are also bounded in total bytes
(COURT_UPLOAD_MAX_FILING_BYTES, here 3000): a file that would pass the quota is refused with 413
`filing_quota_exceeded` while it streams, nothing is kept (no row, no file, no temp file); the
number of files stays bounded as before (`too_many_documents`, here 3)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from authflow import counts, has_chinese
from test_documents_api import add_filing, add_litigant, files_on_disk, form, headers


@pytest.fixture
def settings(settings):
    return replace(settings, upload_max_filing_bytes=3000, upload_max_files=3)


def pdf(size: int) -> bytes:
    return b"%PDF-1.4\n" + b"0" * (size - 9)


async def _upload(client, number: str, token: str, size: int):
    return await client.post(f"/api/v1/filings/{number}/documents",
                             data=form(("证据.pdf", "application/pdf", pdf(size))), headers=headers(token))


async def test_a_filing_cannot_take_unbounded_disk(client, db_rows, settings) -> None:
    litigant_id, token = await add_litigant(client.app)
    number = await add_filing(client.app, litigant_id)
    assert (await _upload(client, number, token, 2000)).status == 201
    resp = await _upload(client, number, token, 2000)  # 4000 > 3000 in all
    body = await resp.json()
    assert resp.status == 413 and body["error"] == "filing_quota_exceeded" and has_chinese(body["message"])
    assert await counts(db_rows, "documents") == {"documents": 1}
    assert len(files_on_disk(settings)) == 1  # no second file, no .part left behind
    assert (await _upload(client, number, token, 1000)).status == 201  # exactly the quota
    resp = await _upload(client, number, token, 10)
    assert resp.status == 413 and (await resp.json())["error"] == "filing_quota_exceeded"
    other = await add_filing(client.app, litigant_id)  # the quota is per filing
    for _ in range(3):
        assert (await _upload(client, other, token, 100)).status == 201
    resp = await _upload(client, other, token, 100)
    assert resp.status == 409 and (await resp.json())["error"] == "too_many_documents"
    assert await counts(db_rows, "documents") == {"documents": 5}
