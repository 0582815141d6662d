"""What `make fuzz` (deploy/fuzz.py, schemathesis) found, kept as tests: a JSON object where a
party's role or kind, a review decision, a service method, an enforcement basis or an enforcement
step is expected was used as a set key — TypeError, a 500 and a traceback. Now each is a Chinese
422 that changes nothing."""
from __future__ import annotations

import pytest

from authflow import bearer, counts, filing_body, has_chinese, verify_litigant


@pytest.mark.parametrize("field", ["role", "kind"])
async def test_an_object_where_a_party_field_is_expected_is_a_422(client, db_rows, field) -> None:
    token = await verify_litigant(client, db_rows)
    body = filing_body()
    body["parties"][0][field] = {}
    resp = await client.post("/api/v1/filings", json=body, headers=bearer(token))
    answer = await resp.json()
    assert resp.status == 422 and answer["field"] == f"parties[0].{field}" and has_chinese(answer["message"])
    assert await counts(db_rows, "filings") == {"filings": 0}


@pytest.mark.parametrize("query", ["date_from=0001-01-01", "date_to=9999-12-31"])
async def test_the_calendars_first_and_last_day_are_no_server_error(client, query) -> None:
    from authflow import staff_token

    token = await staff_token(client, "clerk1", "clerk", "京0105")
    resp = await client.get(f"/api/v1/staff/filings?{query}", headers=bearer(token))
    assert resp.status == 200 and (await resp.json())["total"] == 0


async def test_an_object_where_an_enforcement_basis_is_expected_is_a_422(client, db_rows) -> None:
    token = await verify_litigant(client, db_rows)
    resp = await client.post("/api/v1/enforcements", json={"basis_kind": {}}, headers=bearer(token))
    answer = await resp.json()
    assert resp.status == 422 and answer["field"] == "basis_kind" and has_chinese(answer["message"])
    assert await counts(db_rows, "enforcements") == {"enforcements": 0}


async def test_an_object_where_an_enforcement_step_is_expected_is_a_422(client, db_rows) -> None:
    from authflow import staff_token

    token = await staff_token(client, "clerk1", "clerk", "京0105")
    resp = await client.post("/api/v1/staff/enforcements/0/steps", json={"step": {}}, headers=bearer(token))
    answer = await resp.json()
    assert resp.status == 422 and answer["field"] == "step" and has_chinese(answer["message"])
