"""GET /api/v1/policy (GetPolicy): what it promises matches what the server enforces."""
from __future__ import annotations

from court.data import case_type_catalogue
from court.infra.config import Settings
from court.infra.uploads import ACCEPTED
from court.rules.courts import all_courts

CASE_TYPES = case_type_catalogue()


async def test_policy_needs_no_login_and_lists_the_rules(client, settings: Settings):
    resp = await client.get("/api/v1/policy")
    assert resp.status == 200
    policy = await resp.json()

    docs = policy["documents"]
    assert docs["max_bytes"] == settings.upload_max_bytes == 20 * 1024 * 1024
    assert docs["max_size_label"] == "20 MB"
    assert [t["content_type"] for t in docs["types"]] == [t.content_type for t in ACCEPTED]
    assert {t["code"] for t in docs["types"]} == {"pdf", "jpeg", "png", "docx"}
    assert [k["code"] for k in docs["kinds"]] == ["lead", "evidence", "correction"]
    assert docs["default_kind"] == "evidence"

    assert policy["courts"]["count"] == len(all_courts()) > 200
    assert policy["courts"]["detail_url"] == "/api/v1/courts/{code}"

    names = [c["name"] for c in policy["case_types"]["items"]]
    assert names == [c["name"] for c in CASE_TYPES["case_types"]] and "民间借贷纠纷" in names

    fees = policy["fees"]
    assert fees["calculate_url"] == "/api/v1/fees/calculate"
    property_rule = next(c for c in fees["categories"] if c["category"] == "property")
    assert property_rule["article"] == "第十三条第（一）项"

    payment = policy["payment"]
    assert payment["deadline_days"] == 7
    assert "第二十二条" in payment["basis"] and "诉讼费用交纳办法" in payment["basis"]
    assert "7日" in payment["rule"] and "按撤诉处理" in payment["consequence"]
    assert payment["relief"] == ["缓交", "减交", "免交"]


async def test_policy_follows_the_settings(aiohttp_client, db_url, tmp_path):
    from court.app import create_app

    app = create_app(Settings(dev_mode=True, database_url=db_url, upload_dir=tmp_path / "u", upload_max_bytes=5 * 1024 * 1024,
                              upload_max_files=9))
    client = await aiohttp_client(app)
    policy = await (await client.get("/api/v1/policy")).json()
    assert policy["documents"]["max_bytes"] == 5 * 1024 * 1024
    assert policy["documents"]["max_size_label"] == "5 MB"
    assert policy["documents"]["max_files_per_filing"] == 9


async def test_policy_is_read_only(client):
    resp = await client.post("/api/v1/policy", json={})
    assert resp.status == 405
