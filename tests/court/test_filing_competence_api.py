"""POST /api/v1/filings refuses a court that cannot hear the case (级别管辖、专门管辖, 民诉法第十八条至
第二十一条), in Chinese with the article, before anything is written."""
from __future__ import annotations

import pytest

from authflow import bearer, counts, filing_body, verify_litigant

WRITES = ("filings", "parties", "claims", "events", "documents")


@pytest.mark.parametrize("court_code, code, article", [
    ("最高法", "court_not_competent", "第二十一条"),         # the SPC: no litigant files there
    ("京", "court_not_competent", "第十八条"),               # a high court, for 5万元
    ("京73", "court_not_competent", "设立知识产权法院的决定"),  # an IP court, for a loan
])
async def test_an_ordinary_loan_above_the_basic_court_is_refused_and_nothing_is_written(
        client, db_rows, court_code, code, article):
    litigant = await verify_litigant(client, db_rows)
    before = await counts(db_rows, *WRITES)
    resp = await client.post("/api/v1/filings", json=filing_body(court_code=court_code), headers=bearer(litigant))
    assert resp.status == 422, await resp.text()
    answer = await resp.json()
    assert answer["error"] == code and answer["field"] == "court_code"
    assert article in answer["message"] and "基层人民法院" in answer["message"]
    assert await counts(db_rows, *WRITES) == before


async def test_the_same_loan_at_a_basic_court_is_accepted(client, db_rows):
    litigant = await verify_litigant(client, db_rows)
    resp = await client.post("/api/v1/filings", json=filing_body(court_code="京0105"), headers=bearer(litigant))
    assert resp.status == 201, await resp.text()
