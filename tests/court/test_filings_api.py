"""POST/GET /api/v1/filings on SQLite and PostgreSQL: stored exactly, idempotent, bad input refused."""
from __future__ import annotations

import asyncio
import copy
import json

import pytest


def filing_body() -> dict:
    return {
        "case_type": "民间借贷纠纷",
        "court_code": "京0105",
        "parties": [
            {"role": "plaintiff", "kind": "person", "name": "张三", "id_number": "11010519491231002X",
             "phone": "138 0013 8000"},
            {"role": "defendant", "kind": "organisation", "name": "北京某某科技有限公司",
             "legal_representative": "李四"},
        ],
        "claims": [{"text": "判令被告归还借款5万元", "amount": "50000"}],
        "facts": "2023年3月被告向原告借款5万元，约定半年归还，至今未还。",
        "channel": "rest",
        "conversation_id": "c-1",
    }


async def test_post_filing_stores_every_field(client, db_rows):
    resp = await client.post("/api/v1/filings", json=filing_body(), headers={"Idempotency-Key": "k1"})
    assert resp.status == 201
    body = await resp.json()
    assert body["id"].startswith("LA") and len(body["id"]) == 16
    assert body["status"] == "pending_review" and body["status_label"] == "待审核"
    assert body["court"] == {"code": "京0105", "name": "北京市朝阳区人民法院"}
    assert body["amount"] == "50000.00"  # derived from the claims
    plaintiff, defendant = body["parties"]
    assert plaintiff["phone"] == "13800138000" and plaintiff["sex"] == "女"
    assert plaintiff["birth_date"] == "1949-12-31"
    assert defendant["kind"] == "organisation" and defendant["legal_representative"] == "李四"

    filings = await db_rows("SELECT number, status, amount, court_code, conversation_id FROM filings")
    assert filings == [(body["id"], "pending_review", 5000000, "京0105", "c-1")]
    parties = await db_rows("SELECT role, name, id_number FROM parties ORDER BY position")
    assert parties == [("plaintiff", "张三", "11010519491231002X"), ("defendant", "北京某某科技有限公司", None)]
    events = await db_rows("SELECT action, before, after FROM events")
    assert events == [("submitted", None, "pending_review")]

    got = await client.get(f"/api/v1/filings/{body['id']}")
    assert got.status == 200 and await got.json() == body


async def test_same_idempotency_key_gives_one_filing(client, db_rows):
    first = await client.post("/api/v1/filings", json=filing_body(), headers={"Idempotency-Key": "same"})
    second = await client.post("/api/v1/filings", json=filing_body(), headers={"Idempotency-Key": "same"})
    assert first.status == second.status == 201
    assert await first.json() == await second.json()
    assert await db_rows("SELECT count(*) FROM filings") == [(1,)]


async def test_concurrent_retries_give_one_filing(client, db_rows):
    responses = await asyncio.gather(*[
        client.post("/api/v1/filings", json=filing_body(), headers={"Idempotency-Key": "race"}) for _ in range(6)
    ])
    ids = {(await r.json())["id"] for r in responses}
    assert [r.status for r in responses] == [201] * 6
    assert len(ids) == 1
    assert await db_rows("SELECT count(*) FROM filings") == [(1,)]


async def test_key_reused_for_another_filing_is_refused(client, db_rows):
    await client.post("/api/v1/filings", json=filing_body(), headers={"Idempotency-Key": "k"})
    other = filing_body()
    other["facts"] = "另一件事。"
    resp = await client.post("/api/v1/filings", json=other, headers={"Idempotency-Key": "k"})
    assert resp.status == 409
    assert (await resp.json())["error"] == "idempotency_conflict"
    assert await db_rows("SELECT facts FROM filings") == [(filing_body()["facts"],)]


async def test_unknown_filing_is_404_in_chinese(client):
    resp = await client.get("/api/v1/filings/LA20260101999999")
    assert resp.status == 404
    assert "未找到" in (await resp.json())["message"]


def _with(path: str, value) -> dict:
    body = copy.deepcopy(filing_body())
    target = body
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    target[keys[-1]] = value
    return body


BAD_BODIES = {
    "bad id checksum": (_with("parties.0.id_number", "110105194912310021"), 422, "parties[0].id_number"),
    "impossible birth date": (_with("parties.0.id_number", "110105199902300012"), 422, "parties[0].id_number"),
    "bad phone": (_with("parties.0.phone", "12345"), 422, "parties[0].phone"),
    "float amount": (_with("claims.0.amount", 50000.5), 422, "claims[0].amount"),
    "zero amount": (_with("claims.0.amount", "0"), 422, "claims[0].amount"),
    "huge amount": (_with("claims.0.amount", "100000000000000"), 422, "claims[0].amount"),
    "three decimals": (_with("claims.0.amount", "1.005"), 422, "claims[0].amount"),
    "unknown court": (_with("court_code", "火星001"), 422, "court_code"),
    "unknown field": (_with("secret", 1), 400, "secret"),
    "wrong type": (_with("facts", ["a"]), 422, "facts"),
    "no defendant": (_with("parties", [filing_body()["parties"][0]]), 422, "parties"),
    "no claims": (_with("claims", []), 422, "claims"),
    "bad role": (_with("parties.1.role", "judge"), 422, "parties[1].role"),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
async def test_bad_filing_is_refused_and_nothing_stored(client, db_rows, case):
    body, status, field = BAD_BODIES[case]
    resp = await client.post("/api/v1/filings", json=body)
    assert resp.status == status
    answer = await resp.json()
    assert answer["field"] == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer["message"])  # a Chinese explanation
    assert await db_rows("SELECT count(*) FROM filings") == [(0,)]
    assert await db_rows("SELECT count(*) FROM parties") == [(0,)]


@pytest.mark.parametrize(
    "data, content_type, status",
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        (b"case_type=x", "application/x-www-form-urlencoded", 415),
        (json.dumps({"facts": "x" * 400_000}).encode(), "application/json", 413),
    ],
)
async def test_malformed_requests_get_4xx_json(client, db_rows, data, content_type, status):
    resp = await client.post("/api/v1/filings", data=data, headers={"Content-Type": content_type})
    assert resp.status == status
    assert (await resp.json())["message"]
    assert await db_rows("SELECT count(*) FROM filings") == [(0,)]


@pytest.mark.parametrize("data", [b"[" * 100_000, b'{"amount": ' + b"9" * 5000 + b"}"])
async def test_pathological_json_is_a_400_not_a_500(client, data):
    resp = await client.post("/api/v1/filings", data=data, headers={"Content-Type": "application/json"})
    assert resp.status == 400
