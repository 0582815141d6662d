"""/api/v1/courts: find a court by a fragment of its name (朝阳, 海淀法院, 杭州互联网); suggest the
competent court(s) for a cause of action and the parties' places (/api/v1/courts/suggest)."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from aiohttp import web

from court.data import case_type_index
from court.rules.courts import Court, court_by_code, search_courts
from court.rules.fees import FeeInputError, parse_amount
from court.rules.jurisdiction import (
    DEFENDANT,
    PLAINTIFF,
    ROLES,
    CourtSuggestion,
    JurisdictionAdvice,
    Places,
    suggest_courts,
)
from court.rules.places import MAX_PLACE_CHARS
from court.services.errors import InvalidRequest, NotFound

routes = web.RouteTableDef()

MAX_PARTIES = 10  # places per repeatable parameter (one per defendant / plaintiff)
REPEATABLE = (DEFENDANT, PLAINTIFF)
MAX_AMOUNT = Decimal("10000000000000")  # 10万亿元: far above any real claim, keeps Decimal sane


def court_json(court: Court) -> dict:
    return {"code": court.code, "name": court.name, "level": court.level, "province": court.province}


@routes.get("/api/v1/courts")
async def list_courts(request: web.Request) -> web.Response:
    query = request.query.get("q", "").strip()
    if not query or len(query) > 40:
        raise InvalidRequest("invalid_query", "请输入1至40个字的法院名称或地区。", "q")
    return web.json_response({"courts": [court_json(c) for c in search_courts(query, limit=10)]})


def _case_type_names() -> dict[str, str]:
    """Name or alias → the cause's name (court/data)."""
    return {key: entry["name"] for key, entry in case_type_index().items()}


def _one(request: web.Request, name: str) -> Optional[str]:
    """A parameter that may appear at most once; blank counts as absent."""
    values = request.query.getall(name, [])
    if len(values) > 1:
        raise InvalidRequest("invalid_place", f"“{ROLES[name]}”只能填写一个。", name)
    value = values[0].strip() if values else ""
    if len(value) > MAX_PLACE_CHARS:
        raise InvalidRequest("invalid_place", f"“{ROLES[name]}”请不要超过{MAX_PLACE_CHARS}个字。", name)
    return value or None


def _many(request: web.Request, name: str) -> tuple[str, ...]:
    """A parameter given once per party (被告、原告); blanks dropped."""
    values = [v.strip() for v in request.query.getall(name, []) if v.strip()]
    if len(values) > MAX_PARTIES:
        raise InvalidRequest("invalid_place", f"“{ROLES[name]}”最多填写{MAX_PARTIES}个。", name)
    if any(len(v) > MAX_PLACE_CHARS for v in values):
        raise InvalidRequest("invalid_place", f"“{ROLES[name]}”请不要超过{MAX_PLACE_CHARS}个字。", name)
    return tuple(values)


def _places(request: web.Request) -> Places:
    singles = {name: _one(request, name) for name in ROLES if name not in REPEATABLE}
    places = Places(
        defendant=_many(request, DEFENDANT),
        plaintiff=_many(request, PLAINTIFF),
        performance=singles["performance_place"],
        tort=singles["tort_place"],
        property=singles["property_place"],
        arrival=singles["arrival_place"],
        decedent=singles["decedent_place"],
    )
    if not places.by_role():
        raise InvalidRequest("place_required",
            "请至少填写一个地点，例如被告住所地、合同履行地、侵权行为地或者不动产所在地。", DEFENDANT,
        )
    return places


def _amount(request: web.Request) -> Optional[Decimal]:
    text = request.query.get("amount", "").strip()
    if not text:
        return None
    try:
        amount = parse_amount(text)
    except FeeInputError:
        raise InvalidRequest("invalid_amount", "请输入有效的金额数字，例如“100000”或“100000.50”。", "amount") from None
    if amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise InvalidRequest("invalid_amount", "金额应为不小于0的数字，最多保留两位小数。", "amount")
    return amount


def suggestion_json(s: CourtSuggestion) -> dict:
    return {
        "court": court_json(s.court),
        "basis": s.basis,
        "article": s.article,
        "explanation": s.explanation,
        "conditional": s.conditional,
        "certainty": s.certainty,
        "caution": s.caution,
        "bases": [
            {"basis": b.basis, "article": b.article, "explanation": b.explanation, "place": b.place,
             "condition": b.condition}
            for b in s.bases
        ],
    }


def advice_json(advice: JurisdictionAdvice) -> dict:
    return {
        "case_type": advice.case_type,
        "rule": advice.rule,
        "rule_label": advice.rule_label,
        "exclusive": advice.exclusive,
        "suggestions": [suggestion_json(s) for s in advice.suggestions],
        "unresolved": [{"field": u.field, "place": u.place, "reason": u.reason} for u in advice.unresolved],
        "note": advice.note,
        "notes": list(advice.notes),
    }


@routes.get("/api/v1/courts/suggest")  # before /{code}: the router tries resources in order
async def suggest(request: web.Request) -> web.Response:
    """Competent courts with their legal basis; no login, nothing stored, places never logged."""
    raw_type = request.query.get("case_type", "").strip()
    if not raw_type or len(raw_type) > 40:
        raise InvalidRequest("invalid_case_type", "请填写案由，例如“民间借贷纠纷”。", "case_type")
    case_type = _case_type_names().get(raw_type)
    if case_type is None:
        raise InvalidRequest("unknown_case_type",
            f"暂不支持“{raw_type}”这一案由，请从案由列表中选择（例如“民间借贷纠纷”“房屋租赁合同纠纷”）。",
            "case_type",
        )
    places = _places(request)
    advice = suggest_courts(case_type, places, amount=_amount(request))
    return web.json_response(advice_json(advice))


@routes.get("/api/v1/courts/{code}")
async def get_court(request: web.Request) -> web.Response:
    court = court_by_code(request.match_info["code"])
    if court is None:
        raise NotFound("not_found", "未找到该法院。")
    return web.json_response(court_json(court))
