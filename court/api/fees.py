"""/api/v1/fees/calculate: GetFeesCalculation — the fee of a case before it is filed.

A thin HTTP wrapper around :func:`court.rules.fees.calculate_fee`, so that the web client and
the bot quote the same figure and the same article of 《诉讼费用交纳办法》.

Request (JSON object; any other field is refused with 400 ``unknown_field``)::

    {"category": "property", "amount": "100000.00", "procedure": "ordinary",
     "closure": null, "province": null}

* ``category`` (required): one of ``court.rules.fees.CATEGORIES``.
* ``amount``: a decimal *string* ("100000", "100000.5"), a JSON integer, or null / absent.
  JSON numbers with a fraction or an exponent (``100000.5``, ``1e5``) are refused with 400
  ``invalid_type``: they are binary floats once parsed, and a fee must not depend on float rounding.
* ``procedure``: "ordinary" (default) or "simple"; ``closure``: null, "mediation" or "withdrawal".
* ``province``: whose figures fill the ranges; defaults to the server's ``Settings.fee_province``.

Status codes: 400 when the body has the wrong shape (unknown or missing field, wrong JSON type),
422 when the shape is right but a value is unusable (``FeeInputError``: unknown category, negative
amount, more than two decimals, too large, amount missing where the category needs one).

Response 200: ``{"fee": "2300.00" | null, "fee_min": ..., "fee_max": ..., "basis": "...", "steps": [...]}``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiohttp import web

from court.infra.app_keys import SETTINGS
from court.infra.errors import read_json
from court.rules.fees import FeeInputError, calculate_fee, parse_amount
from court.services.errors import InvalidField, InvalidRequest, reject_unknown_fields

routes = web.RouteTableDef()

FIELDS = ("category", "amount", "procedure", "closure", "province")


@routes.post("/api/v1/fees/calculate")
async def calculate(request: web.Request) -> web.Response:
    body = await read_json(request)
    _check_fields(body)
    province = _optional_text(body, "province")
    if province is None and SETTINGS in request.app:
        province = request.app[SETTINGS].fee_province
    try:
        result = calculate_fee(
            category=_text(body, "category"),
            amount=_amount(body.get("amount")),
            procedure=_optional_text(body, "procedure") or "ordinary",
            closure=_optional_text(body, "closure"),
            province=province,
        )
    except FeeInputError as err:
        raise InvalidField(err.code, err.message_zh, err.field) from None
    return web.json_response(result.to_json())


def _check_fields(body: dict[str, Any]) -> None:
    reject_unknown_fields(body, set(FIELDS), message="不支持的字段“{name}”，请删除后重试。")
    if "category" not in body:
        raise InvalidRequest("missing_field", "请选择案件类型（category）。", "category")


def _text(body: dict[str, Any], name: str) -> str:
    value = body[name]
    if not isinstance(value, str):
        raise InvalidRequest("invalid_type", f"字段“{name}”应为字符串。", name)
    return value


def _optional_text(body: dict[str, Any], name: str) -> str | None:
    if body.get(name) is None:
        return None
    return _text(body, name)


def _amount(value: Any) -> Decimal | None:
    """A decimal string or a JSON integer; floats are refused (see the module docstring)."""
    if value is None:
        return None
    if isinstance(value, str):
        return parse_amount(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise InvalidRequest("invalid_type",
        "金额请以字符串形式提交，例如“100000.50”，以免小数精度损失。",
        "amount",
    )
