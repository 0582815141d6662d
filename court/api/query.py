"""Query-string parameters read the same way by every list endpoint (400 ``invalid_query`` naming
the parameter, in Chinese)."""
from __future__ import annotations

from datetime import date
from typing import Optional

from aiohttp import web

from court.services.errors import InvalidRequest
from court.services.period import Period

MAX_OFFSET = 10 ** 9


def query_date(request: web.Request, name: str) -> Optional[date]:
    raw = request.query.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest("invalid_query", "日期格式应为 YYYY-MM-DD，例如 2026-03-01。", name) from None


def query_int(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidRequest("invalid_query", f"参数 {name} 应为 {low} 至 {high} 之间的整数。", name)
    return int(raw)


def query_page(request: web.Request, max_limit: int, default_limit: int = 50) -> tuple[int, int]:
    """``limit`` (1…max_limit) and ``offset``."""
    return (query_int(request, "limit", default_limit, 1, max_limit),
            query_int(request, "offset", 0, 0, MAX_OFFSET))


def query_period(request: web.Request) -> Period:
    """``date_from`` / ``date_to`` (China dates, both inclusive; from not after to)."""
    date_from, date_to = query_date(request, "date_from"), query_date(request, "date_to")
    if date_from and date_to and date_from > date_to:
        raise InvalidRequest("invalid_query", "开始日期不能晚于结束日期。", "date_from")
    return Period(date_from, date_to)
