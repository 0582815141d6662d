"""POST/GET /api/v1/filings on SQLite and PostgreSQL: stored exactly, idempotent, bad input refused.

Every request carries a verified litigant's token (see test_filings_access.py for who sees what).
"""
from __future__ import annotations

import asyncio
import copy
import json

import pytest

from authflow import bearer, filing_body, verify_litigant


@pytest.fixture
async def token(client, db_rows) -> str:
    return await verify_litigant(client, db_rows, conversation="c-1", channel="rest")


async def test_post_filing_stores_every_field(client, db_rows, token):
    resp = await client.post("/api/v1/filings", json=filing_body(), headers={"Idempotency-Key": "k1", **bearer(token)})
    assert resp.status == 201
    body = await resp.json()
    assert body["id"].startswith("LA") and len(body["id"]) == 16
    assert body["status"] == "pending_review" and body["status_label"] == "待审核"
    assert body["court"] == {"code": "京0105", "name": "北京市朝阳区人民法院"}
    assert body["amount"] == "50000.00"  # derived from the claims
    assert body["review"] is None and body["case_number"] is None
    plaintiff, defendant = body["parties"]
    assert plaintiff["phone"] == "13800138000" and plaintiff["sex"] == "女"
    assert plaintiff["birth_date"] == "1949-12-31"
    assert defendant["kind"] == "organisation" and defendant["legal_representative"] == "李四"

    filings = await db_rows("SELECT number, status, amount, court_code, conversation_id FROM filings")
    assert filings == [(body["id"], "pending_review", 5000000, "京0105", "c-1")]
    owner = await db_rows("SELECT f.litigant_id = l.id FROM filings f, litigants l")
    assert owner == [(True,)]
    parties = await db_rows("SELECT role, name, id_number FROM parties ORDER BY position")
    assert parties == [("plaintiff", "张三", "11010519491231002X"), ("defendant", "北京某某科技有限公司", None)]
    events = await db_rows("SELECT action, before, after, actor FROM events")
    litigant_id = (await db_rows("SELECT id FROM litigants"))[0][0]
    assert events == [("submitted", None, "pending_review", f"litigant:{litigant_id}")]

    got = await client.get(f"/api/v1/filings/{body['id']}", headers=bearer(token))
    assert got.status == 200 and without_link(await got.json()) == without_link(body)
    lower = await client.get(f"/api/v1/filings/{body['id'].lower()}", headers=bearer(token))
    assert lower.status == 200


def without_link(filing: dict) -> dict:
    """The filing without its complaint's signed link (signed afresh on every read)."""
    out = copy.deepcopy(filing)
    if out.get("complaint"):
        out["complaint"].pop("download_url")
    return out


async def test_same_idempotency_key_gives_one_filing(client, db_rows, token):
    headers = {"Idempotency-Key": "same", **bearer(token)}
    first = await client.post("/api/v1/filings", json=filing_body(), headers=headers)
    second = await client.post("/api/v1/filings", json=filing_body(), headers=headers)
    assert first.status == second.status == 201
    assert without_link(await first.json()) == without_link(await second.json())
    assert await db_rows("SELECT count(*) FROM filings") == [(1,)]
    stored = (await db_rows("SELECT idempotency_key FROM filings"))[0][0]
    assert "same" not in stored  # scoped to the litigant and hashed


async def test_concurrent_retries_give_one_filing(client, db_rows, token):
    headers = {"Idempotency-Key": "race", **bearer(token)}
    responses = await asyncio.gather(*[
        client.post("/api/v1/filings", json=filing_body(), headers=headers) for _ in range(6)
    ])
    ids = {(await r.json())["id"] for r in responses}
    assert [r.status for r in responses] == [201] * 6
    assert len(ids) == 1
    assert await db_rows("SELECT count(*) FROM filings") == [(1,)]


async def test_key_reused_for_another_filing_is_refused(client, db_rows, token):
    headers = {"Idempotency-Key": "k", **bearer(token)}
    await client.post("/api/v1/filings", json=filing_body(), headers=headers)
    other = filing_body()
    other["facts"] = "另一件事。"
    resp = await client.post("/api/v1/filings", json=other, headers=headers)
    assert resp.status == 409
    assert (await resp.json())["error"] == "idempotency_conflict"
    assert await db_rows("SELECT facts FROM filings") == [(filing_body()["facts"],)]


async def test_unknown_filing_is_404_in_chinese(client, token):
    resp = await client.get("/api/v1/filings/LA20260101999999", headers=bearer(token))
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
    # 证据和证据来源 (民事诉讼法 art. 124(四))
    "evidence not a list": (_with("evidence", {"name": "借条"}), 400, "evidence"),
    "evidence item not an object": (_with("evidence", ["借条"]), 400, "evidence[0]"),
    "evidence unknown field": (_with("evidence", [{"name": "借条", "pages": 2}]), 400, "evidence[0].pages"),
    "evidence name not text": (_with("evidence", [{"name": 5}]), 400, "evidence[0].name"),
    "evidence source not text": (_with("evidence", [{"name": "借条", "source": ["原告"]}]), 400, "evidence[0].source"),
    "evidence without name": (_with("evidence", [{"source": "原告持有"}]), 422, "evidence[0].name"),
    "evidence name too long": (_with("evidence", [{"name": "借" * 101}]), 422, "evidence[0].name"),
    "evidence purpose too long": (_with("evidence", [{"name": "借条", "purpose": "证" * 201}]), 422,
                                  "evidence[0].purpose"),
    "too much evidence": (_with("evidence", [{"name": f"证据{i}"} for i in range(51)]), 422, "evidence"),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
async def test_bad_filing_is_refused_and_nothing_stored(client, db_rows, token, case):
    body, status, field = BAD_BODIES[case]
    resp = await client.post("/api/v1/filings", json=body, headers=bearer(token))
    assert resp.status == status
    answer = await resp.json()
    assert answer["field"] == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer["message"])  # a Chinese explanation
    assert await db_rows("SELECT count(*) FROM filings") == [(0,)]
    assert await db_rows("SELECT count(*) FROM parties") == [(0,)]
    assert await db_rows("SELECT count(*) FROM documents") == [(0,)]


EVIDENCE = [
    {"name": "借条", "source": "原告持有", "purpose": "证明借款事实"},
    {"name": "银行转账记录", "source": "中国工商银行", "purpose": None},
    {"name": "微信聊天记录"},
]


async def test_evidence_is_stored_and_returned(client, db_rows, token):
    resp = await client.post("/api/v1/filings", json=filing_body(evidence=EVIDENCE), headers=bearer(token))
    assert resp.status == 201
    body = await resp.json()
    expected = [
        {"name": "借条", "source": "原告持有", "purpose": "证明借款事实"},
        {"name": "银行转账记录", "source": "中国工商银行", "purpose": None},
        {"name": "微信聊天记录", "source": None, "purpose": None},
    ]
    assert body["evidence"] == expected
    got = await (await client.get(f"/api/v1/filings/{body['id']}", headers=bearer(token))).json()
    assert got["evidence"] == expected
    stored = (await db_rows("SELECT evidence FROM filings"))[0][0]
    assert (json.loads(stored) if isinstance(stored, str) else stored) == expected


async def test_evidence_is_optional_and_fifty_items_fit(client, token):
    none = await client.post("/api/v1/filings", json=filing_body(), headers=bearer(token))
    assert (await none.json())["evidence"] == []
    fifty = [{"name": f"证据{i}", "source": "来" * 200, "purpose": "证" * 200} for i in range(50)]
    resp = await client.post("/api/v1/filings", json=filing_body(evidence=fifty, conversation_id="c-2"),
                             headers=bearer(token))
    assert resp.status == 201 and len((await resp.json())["evidence"]) == 50


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
async def test_malformed_requests_get_4xx_json(client, db_rows, token, data, content_type, status):
    resp = await client.post("/api/v1/filings", data=data, headers={"Content-Type": content_type, **bearer(token)})
    assert resp.status == status
    assert (await resp.json())["message"]
    assert await db_rows("SELECT count(*) FROM filings") == [(0,)]


@pytest.mark.parametrize("data", [b"[" * 100_000, b'{"amount": ' + b"9" * 5000 + b"}"])
async def test_pathological_json_is_a_400_not_a_500(client, token, data):
    resp = await client.post("/api/v1/filings", data=data, headers={"Content-Type": "application/json", **bearer(token)})
    assert resp.status == 400


async def test_filing_needs_a_litigant_token(client, db_rows):
    resp = await client.post("/api/v1/filings", json=filing_body())
    assert resp.status == 401
    assert "实名认证" in (await resp.json())["message"]
    assert await db_rows("SELECT count(*) FROM filings") == [(0,)]
