"""GET /api/v1/courts/suggest (court/api/courts.py) on the real app factory.

The endpoint touches no table, so these tests run on a throw-away SQLite file only. Every response
is checked against the OpenAPI document by the conftest client.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from court.app import create_app
from court.infra.config import Settings

URL = "/api/v1/courts/suggest"


@pytest.fixture
async def api(aiohttp_client, tmp_path: Path):
    app = create_app(Settings(dev_mode=True, database_url=f"sqlite+aiosqlite:///{tmp_path / 'j.db'}", upload_dir=tmp_path / "uploads"))
    return await aiohttp_client(app)


async def get(client, params: Any) -> tuple[int, dict]:
    response = await client.get(URL, params=params)
    return response.status, await response.json()


async def test_loan_suggests_defendant_and_lender_courts(api) -> None:
    status, body = await get(api, [
        ("case_type", "民间借贷纠纷"), ("defendant_place", "北京市朝阳区xx路1号"), ("plaintiff_place", "杭州市西湖区"),
    ])
    assert status == 200
    assert body["case_type"] == "民间借贷纠纷" and body["rule"] == "private_loan" and body["exclusive"] is False
    first, second = body["suggestions"]
    assert first["court"] == {"code": "京0105", "name": "北京市朝阳区人民法院", "level": "basic", "province": "北京市"}
    assert first["basis"] == "被告住所地"
    assert first["article"] == "《中华人民共和国民事诉讼法》第二十四条"
    assert first["conditional"] is False and first["certainty"] == "resolved" and first["caution"] is None
    assert second["court"]["code"] == "浙0106" and second["conditional"] is True
    assert second["bases"][0]["place"] == "浙江省杭州市西湖区" and "出借人" in second["bases"][0]["condition"]
    assert "第二十四条" in body["note"] and body["notes"][0].startswith("合同纠纷")
    assert body["unresolved"] == []


async def test_the_court_matches_the_courts_endpoint(api) -> None:
    _, body = await get(api, {"case_type": "不当得利纠纷", "defendant_place": "广州天河"})
    court = body["suggestions"][0]["court"]
    response = await api.get(f"/api/v1/courts/{court['code']}")
    assert response.status == 200 and await response.json() == court


async def test_an_alias_is_answered_with_the_cause_name(api) -> None:
    status, body = await get(api, {"case_type": "借钱不还", "defendant_place": "北京市朝阳区"})
    assert status == 200 and body["case_type"] == "民间借贷纠纷"


async def test_house_lease_lists_only_the_property_court(api) -> None:
    status, body = await get(api, [
        ("case_type", "房屋租赁合同纠纷"), ("defendant_place", "北京市朝阳区"), ("property_place", "上海市徐汇区"),
    ])
    assert status == 200 and body["exclusive"] is True
    assert [s["court"]["code"] for s in body["suggestions"]] == ["沪0104"]
    assert "专属管辖" in body["note"]


async def test_two_defendants_two_courts(api) -> None:
    status, body = await get(api, [
        ("case_type", "买卖合同纠纷"), ("defendant_place", "北京市朝阳区"), ("defendant_place", "北京市海淀区"),
    ])
    assert status == 200
    assert [s["court"]["code"] for s in body["suggestions"]] == ["京0105", "京0108"]


async def test_several_plaintiffs_as_the_bot_sends_them(api) -> None:
    """bot/court_client.py sends one plaintiff_place per plaintiff (blank when unknown)."""
    status, body = await get(api, [
        ("case_type", "民间借贷纠纷"), ("defendant_place", "北京市朝阳区"),
        ("plaintiff_place", "上海市徐汇区"), ("plaintiff_place", ""), ("plaintiff_place", "杭州市西湖区"),
    ])
    assert status == 200
    assert [s["court"]["code"] for s in body["suggestions"]] == ["京0105", "沪0104", "浙0106"]


def test_the_documented_rule_families_are_the_modules() -> None:
    from court.api import openapi
    from court.rules.jurisdiction import FAMILIES

    schema = openapi.spec()["components"]["schemas"]["CourtSuggestions"]
    assert schema["properties"]["rule"]["enum"] == list(FAMILIES)


async def test_an_unknown_place_gives_an_empty_answer_with_reasons(api) -> None:
    status, body = await get(api, {"case_type": "买卖合同纠纷", "defendant_place": "长春市朝阳区"})
    assert status == 200 and body["suggestions"] == []
    assert body["unresolved"][0]["field"] == "defendant_place" and body["unresolved"][0]["reason"]


async def test_ambiguous_place_answers_with_cautions(api) -> None:
    status, body = await get(api, {"case_type": "不当得利纠纷", "defendant_place": "普陀区"})
    assert status == 200
    assert sorted(s["court"]["code"] for s in body["suggestions"]) == ["沪0107", "浙0903"]
    assert all(s["certainty"] == "ambiguous" and "普陀区" in s["caution"] for s in body["suggestions"])


async def test_a_large_amount_adds_the_level_note(api) -> None:
    status, body = await get(api, {"case_type": "买卖合同纠纷", "defendant_place": "北京市朝阳区", "amount": "600000000"})
    assert status == 200 and "中级人民法院" in body["note"]


@pytest.mark.parametrize("params, code, field", [
    ({"defendant_place": "北京市朝阳区"}, "invalid_case_type", "case_type"),
    ({"case_type": " ", "defendant_place": "北京市朝阳区"}, "invalid_case_type", "case_type"),
    ({"case_type": "纠" * 41, "defendant_place": "北京市朝阳区"}, "invalid_case_type", "case_type"),
    ({"case_type": "合同诈骗罪", "defendant_place": "北京市朝阳区"}, "unknown_case_type", "case_type"),
    ({"case_type": "民间借贷纠纷"}, "place_required", "defendant_place"),
    ({"case_type": "民间借贷纠纷", "defendant_place": "  ", "tort_place": ""}, "place_required", "defendant_place"),
    ({"case_type": "民间借贷纠纷", "defendant_place": "北" * 101}, "invalid_place", "defendant_place"),
    ({"case_type": "民间借贷纠纷", "plaintiff_place": "北" * 101}, "invalid_place", "plaintiff_place"),
    ([("case_type", "民间借贷纠纷"), ("tort_place", "北京市朝阳区"), ("tort_place", "北京市海淀区")],
     "invalid_place", "tort_place"),
    ([("case_type", "民间借贷纠纷")] + [("defendant_place", "北京市朝阳区")] * 11, "invalid_place", "defendant_place"),
    ([("case_type", "民间借贷纠纷")] + [("plaintiff_place", "北京市朝阳区")] * 11, "invalid_place", "plaintiff_place"),
    ({"case_type": "民间借贷纠纷", "defendant_place": "北京市朝阳区", "amount": "十万"}, "invalid_amount", "amount"),
    ({"case_type": "民间借贷纠纷", "defendant_place": "北京市朝阳区", "amount": "-1"}, "invalid_amount", "amount"),
    ({"case_type": "民间借贷纠纷", "defendant_place": "北京市朝阳区", "amount": "1.001"}, "invalid_amount", "amount"),
    ({"case_type": "民间借贷纠纷", "defendant_place": "北京市朝阳区", "amount": "1e9"}, "invalid_amount", "amount"),
])
async def test_bad_requests_are_refused_in_chinese(api, params, code: str, field: str) -> None:
    status, body = await get(api, params)
    assert status == 400
    assert body["error"] == code and body["field"] == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


async def test_unknown_case_type_message_names_it(api) -> None:
    _, body = await get(api, {"case_type": "合同诈骗罪", "defendant_place": "北京市朝阳区"})
    assert "合同诈骗罪" in body["message"] and "案由" in body["message"]


async def test_only_get_is_allowed(api) -> None:
    response = await api.post(URL, json={})
    assert response.status == 405
    assert (await response.json())["error"] == "method_not_allowed"


async def test_court_codes_are_still_looked_up(api) -> None:
    response = await api.get("/api/v1/courts/京0105")
    assert response.status == 200 and (await response.json())["name"] == "北京市朝阳区人民法院"
