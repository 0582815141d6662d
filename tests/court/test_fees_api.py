"""Tests of POST /api/v1/fees/calculate (court/api/fees.py) on the real app factory.

The fee endpoint touches no table, so these tests run on a throw-away SQLite file only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from court.api import fees
from court.app import create_app
from court.infra.config import Settings

URL = "/api/v1/fees/calculate"


def make_app(tmp_path: Path, **settings: Any):
    app = create_app(
        Settings(dev_mode=True, database_url=f"sqlite+aiosqlite:///{tmp_path / 'fees.db'}", upload_dir=tmp_path / "uploads", **settings)
    )
    if not any(resource.canonical == URL for resource in app.router.resources()):
        app.router.add_routes(fees.routes)  # in case create_app does not register court.api.fees
    return app


@pytest.fixture
async def fee_client(aiohttp_client, tmp_path: Path):
    return await aiohttp_client(make_app(tmp_path))


async def post(client, body: Any) -> tuple[int, dict]:
    response = await client.post(URL, json=body)
    return response.status, await response.json()


async def test_property_fee(fee_client) -> None:
    status, body = await post(fee_client, {"category": "property", "amount": "100000"})
    assert status == 200
    assert body["fee"] == "2300.00"
    assert (body["fee_min"], body["fee_max"]) == (None, None)
    assert body["basis"] == "《诉讼费用交纳办法》第十三条第（一）项"
    assert body["steps"][-1] == "应交纳：2,300.00元"


@pytest.mark.parametrize(
    "request_body, fee",
    [
        ({"category": "property", "amount": 1000000}, "13800.00"),  # JSON integers are exact
        ({"category": "property", "amount": "30000000.00"}, "191800.00"),
        ({"category": "property", "amount": "100000", "procedure": "simple", "closure": "mediation"}, "1150.00"),
        ({"category": "property", "amount": "100000", "procedure": None, "closure": None}, "2300.00"),
        ({"category": "labor"}, "10.00"),
        ({"category": "preservation", "amount": "1000000000"}, "5000.00"),
        ({"category": "bankruptcy", "amount": "10000000000000"}, "300000.00"),
    ],
)
async def test_fees(fee_client, request_body: dict, fee: str) -> None:
    status, body = await post(fee_client, request_body)
    assert status == 200, body
    assert body["fee"] == fee


async def test_range_answer(fee_client) -> None:
    status, body = await post(fee_client, {"category": "divorce", "amount": "300000", "province": None})
    assert status == 200
    assert (body["fee"], body["fee_min"], body["fee_max"]) == (None, "550.00", "800.00")


async def test_province_from_settings(aiohttp_client, tmp_path: Path) -> None:
    client = await aiohttp_client(make_app(tmp_path, fee_province="示例省"))
    status, body = await post(client, {"category": "divorce", "amount": None})
    assert status == 200
    assert "尚未配置示例省的具体标准，按幅度答复" in body["steps"]
    status, body = await post(client, {"category": "divorce", "province": "浙江"})
    assert "尚未配置浙江的具体标准，按幅度答复" in body["steps"]


@pytest.mark.parametrize(
    "request_body, code, field",
    [
        ({"category": "property", "amount": "1", "court": "x"}, "unknown_field", "court"),
        ({"amount": "1"}, "missing_field", "category"),
        ({"category": 5}, "invalid_type", "category"),
        ({"category": "labor", "procedure": 1}, "invalid_type", "procedure"),
        ({"category": "labor", "closure": ["mediation"]}, "invalid_type", "closure"),
        ({"category": "labor", "province": 33}, "invalid_type", "province"),
        ({"category": "property", "amount": 100000.5}, "invalid_type", "amount"),
        ({"category": "property", "amount": 100000.0}, "invalid_type", "amount"),
        ({"category": "property", "amount": True}, "invalid_type", "amount"),
        ({"category": "property", "amount": {"value": "1"}}, "invalid_type", "amount"),
    ],
)
async def test_bad_shape_is_400(fee_client, request_body: dict, code: str, field: str) -> None:
    status, body = await post(fee_client, request_body)
    assert status == 400
    assert body["error"] == code
    assert body["field"] == field
    assert body["message"]


async def test_exponent_number_is_400(fee_client) -> None:
    response = await fee_client.post(
        URL, data='{"category": "property", "amount": 1e5}', headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert (await response.json())["error"] == "invalid_type"


@pytest.mark.parametrize(
    "request_body, code, field",
    [
        ({"category": "theft"}, "unknown_category", "category"),
        ({"category": "property", "amount": "-1"}, "negative_amount", "amount"),
        ({"category": "property", "amount": -1}, "negative_amount", "amount"),
        ({"category": "property", "amount": "100.001"}, "amount_precision", "amount"),
        ({"category": "property", "amount": "1e5"}, "invalid_amount", "amount"),
        ({"category": "property", "amount": "NaN"}, "invalid_amount", "amount"),
        ({"category": "property", "amount": "1,000"}, "invalid_amount", "amount"),
        ({"category": "property", "amount": "10000000000000.01"}, "amount_too_large", "amount"),
        ({"category": "property", "amount": 10**20}, "amount_too_large", "amount"),
        ({"category": "property", "amount": None}, "amount_required", "amount"),
        ({"category": "property"}, "amount_required", "amount"),
        ({"category": "labor", "procedure": "summary"}, "invalid_procedure", "procedure"),
        ({"category": "labor", "closure": "judgment"}, "invalid_closure", "closure"),
    ],
)
async def test_unusable_value_is_422(fee_client, request_body: dict, code: str, field: str) -> None:
    status, body = await post(fee_client, request_body)
    assert status == 422
    assert body == {"error": code, "message": body["message"], "field": field}
    assert any("\u4e00" <= char <= "\u9fff" for char in body["message"])


@pytest.mark.parametrize("raw", ["{not json", "[]", '"property"'])
async def test_malformed_body_is_400(fee_client, raw: str) -> None:
    response = await fee_client.post(URL, data=raw, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert (await response.json())["error"] == "malformed_json"


async def test_get_is_not_allowed(fee_client) -> None:
    response = await fee_client.get(URL)
    assert response.status == 405
