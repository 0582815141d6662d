"""/api/v1/staff — the court's side: login, the review queue, decisions, the case view.

POST /api/v1/staff/session                  {username, password} → staff token (12 h)
GET  /api/v1/staff/filings                  ?status=&court=&date_from=&date_to=&limit=&offset=
GET  /api/v1/staff/filings/{number}         the full view (unmasked; see court/staff.py)
POST /api/v1/staff/filings/{number}/review  {"decision": accept|correct|reject, "items", "reason"}
GET  /api/v1/staff/cases/{case_number}      any spelling of the case number

Roles: clerk, judge and admin read; only clerk and judge decide. A clerk or judge bound to a
court sees that court only: anything else is a 404, like an unknown number.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Optional

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from court import statuses
from court.app_keys import SESSIONMAKER, SETTINGS
from court.auth import CHINA_TZ, china_date, current_staff, issue_token, now
from court.cases import (
    NOT_FOUND_MESSAGE, canonical_number, case_head_json, events_of, fee_notice_json, find_case,
    masked_party_json, notices_of, staff_case_json, staff_events_json,
)
from court.errors import read_json
from court.filings import case_numbers_of, filing_json, money, review_json
from court.models import Case, Filing, Litigant
from court.review import apply_review, parse_review, staff_filing
from court.rules.courts import court_by_code
from court.services.errors import Forbidden, InvalidRequest, NotFound, Unauthenticated, reject_unknown_fields
from court.staff import REVIEWERS, ROLES, authenticate, court_scope, staff_json

routes = web.RouteTableDef()
READERS = set(ROLES)
MAX_LIMIT = 200


@routes.post("/api/v1/staff/session")
async def login(request: web.Request) -> web.Response:
    body = await read_json(request)
    reject_unknown_fields(body, {"username", "password"})
    username, password = body.get("username"), body.get("password")
    for name, value in (("username", username), ("password", password)):
        if not isinstance(value, str) or not value:
            raise InvalidRequest("missing_field", "请输入用户名和密码。", name)
    async with request.app[SESSIONMAKER]() as session:
        staff = await authenticate(session, username[:64], password[:256])
        if staff is None:  # one message for an unknown user and a wrong password
            raise Unauthenticated("invalid_credentials", "用户名或密码不正确。")
        token, expires_at = await issue_token(session, at=now(request.app), staff=staff)
        await session.commit()
        return web.json_response({"token": token, "expires_at": expires_at.isoformat(), "staff": staff_json(staff)})


def _query_date(request: web.Request, name: str) -> Optional[date]:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest("invalid_query", "日期格式应为 YYYY-MM-DD，例如 2026-03-01。", name) from None


def _query_int(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidRequest("invalid_query", f"参数 {name} 应为 {low} 至 {high} 之间的整数。", name)
    return int(raw)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=CHINA_TZ)


@dataclass(frozen=True)
class _Filters:
    status: Optional[str]
    court: Optional[str]
    date_from: Optional[date]
    date_to: Optional[date]
    limit: int
    offset: int


def _filters(request: web.Request) -> _Filters:
    """The list's query parameters, checked (400 naming the parameter)."""
    status = request.query.get("status") or None
    if status is not None and status not in statuses.LABELS:
        raise InvalidRequest("invalid_query", "状态应为 pending_review、needs_correction、rejected、docketed 或 withdrawn。", "status")
    court = None
    if request.query.get("court"):
        found = court_by_code(request.query["court"])
        if found is None:
            raise InvalidRequest("invalid_query", "未找到该法院代字，请核对。", "court")
        court = found.code
    date_from, date_to = _query_date(request, "date_from"), _query_date(request, "date_to")
    if date_from and date_to and date_from > date_to:
        raise InvalidRequest("invalid_query", "开始日期不能晚于结束日期。", "date_from")
    return _Filters(status, court, date_from, date_to, _query_int(request, "limit", 50, 1, MAX_LIMIT),
                    _query_int(request, "offset", 0, 0, 10 ** 9))


@routes.get("/api/v1/staff/filings")
async def list_filings(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        f = _filters(request)
        scope = court_scope(staff)
        if scope is not None and f.court is not None and f.court != scope:
            raise Forbidden("forbidden", "您只能查看本院的立案申请。", "court")
        conditions = []
        if scope is not None or f.court is not None:
            conditions.append(Filing.court_code == (scope or f.court))
        if f.status is not None:
            conditions.append(Filing.status == f.status)
        if f.date_from is not None:
            conditions.append(Filing.created_at >= _day_start(f.date_from))
        if f.date_to is not None:
            conditions.append(Filing.created_at < _day_start(f.date_to + timedelta(days=1)))
        total = (await session.execute(select(func.count()).select_from(Filing).where(*conditions))).scalar_one()
        rows = list((await session.execute(
            select(Filing).where(*conditions).order_by(Filing.created_at, Filing.id).limit(f.limit).offset(f.offset)
        )).scalars())
        numbers = await case_numbers_of(session, [row.id for row in rows])
    return web.json_response({"total": total, "filings": [_list_item(row, numbers.get(row.id)) for row in rows]})


def _list_item(f: Filing, case_number: Optional[str]) -> dict[str, Any]:
    """One line of the review queue: numbers masked for every role (see court/staff.py)."""
    return {
        "id": f.number, "status": f.status, "status_label": statuses.LABELS[f.status],
        "case_type": f.case_type, "court": {"code": f.court_code, "name": f.court_name},
        "amount": money(f.amount),
        "parties": [masked_party_json(p) for p in f.parties],
        "claims": [{"text": c.text, "amount": money(c.amount)} for c in f.claims],
        "review": review_json(f), "case_number": case_number,
        "created_at": f.created_at.isoformat(), "updated_at": f.updated_at.isoformat(),
    }


async def _full_view(session: AsyncSession, filing: Filing) -> dict[str, Any]:
    """The filing as filed, its filer, its audit trail, and the case with its fee notices once docketed."""
    case = (await session.execute(select(Case).where(Case.filing_id == filing.id))).scalar_one_or_none()
    filer = await session.get(Litigant, filing.litigant_id) if filing.litigant_id is not None else None
    return {
        "filing": filing_json(filing, case.case_number if case else None),
        "filer": None if filer is None else {"name": filer.name, "id_number": filer.id_number, "phone": filer.phone},
        "case": None if case is None else {
            **case_head_json(case, filing),
            "fee_notices": [fee_notice_json(n) for n in await notices_of(session, case)],
        },
        "events": staff_events_json(await events_of(session, filing)),
    }


@routes.get("/api/v1/staff/filings/{number}")
async def get_filing(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        filing = await staff_filing(session, request.match_info["number"], staff)
        return web.json_response(await _full_view(session, filing))


@routes.post("/api/v1/staff/filings/{number}/review")
async def review(request: web.Request) -> web.Response:
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, REVIEWERS)
        decision = parse_review(body)
        filing = await staff_filing(session, request.match_info["number"], staff, lock=True)
        await apply_review(session, filing, staff, decision, at=now(request.app),
                           configured_province=request.app[SETTINGS].fee_province)
        return web.json_response(await _full_view(session, filing))


@routes.get("/api/v1/staff/cases/{case_number}")
async def get_case(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, READERS)
        number = canonical_number(request.match_info["case_number"], china_date(now(request.app)))
        found = await find_case(session, number)
        scope = court_scope(staff)
        if found is None or (scope is not None and found[1].court_code != scope):
            raise NotFound("not_found", NOT_FOUND_MESSAGE, "case_number")
        case, filing = found
        body = staff_case_json(case, filing, await notices_of(session, case), await events_of(session, filing))
    return web.json_response(body)
