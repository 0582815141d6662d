"""One error shape for every refusal: `{"error": code, "message": 中文, "field": ...}`, never a 500 page.

Services raise the domain errors of court/services/errors.py; this middleware alone gives each its
HTTP status. `read_json` reads a request body or refuses it in the same shape."""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable

from aiohttp import web

from court.infra.app_keys import MAX_JSON_BYTES
from court.services.errors import (
    Conflict, DomainError, Forbidden, Gone, InvalidField, InvalidRequest, NotFound, RequestTimeout, ServerFault,
    TooLarge, TooManyAttempts, Unauthenticated, Unavailable, UnsupportedMediaType,
)
from court.infra.body import chunks

log = logging.getLogger(__name__)


# Each domain error's HTTP status: the only place where a refusal becomes HTTP.
STATUS: dict[type[DomainError], int] = {
    InvalidRequest: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    RequestTimeout: 408,
    Conflict: 409,
    Gone: 410,
    TooLarge: 413,
    UnsupportedMediaType: 415,
    InvalidField: 422,
    TooManyAttempts: 429,
    ServerFault: 500,
    Unavailable: 503,
}


def status_of(err: DomainError) -> int:
    return next(status for cls, status in STATUS.items() if isinstance(err, cls))


def error_response(err: DomainError, status: int | None = None) -> web.Response:
    retry_after = getattr(err, "retry_after", None)  # a 429 says when to come back (RFC 9110 §10.2.3)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return web.json_response(err.to_json(), status=status or status_of(err), headers=headers)


async def timeout_response(request: web.Request, err: RequestTimeout) -> web.StreamResponse:
    """The 408, sent at once, then the connection closed: aiohttp would otherwise linger up to 10 s
    reading the rest of the stalled body."""
    response = error_response(err)
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    if request.protocol is not None:
        request.protocol.force_close()  # the written answer is flushed before the socket closes
    return response


def _log_disconnect(request: web.Request) -> None:
    log.info("client disconnected during %s %s", request.method, request.path)


def client_gone(request: web.Request) -> bool:
    """The client closed its connection (what a ConnectionResetError in a handler means then)."""
    transport = request.transport
    return transport is None or transport.is_closing()


_HTTP_MESSAGES = {
    400: ("bad_request", "请求格式不正确。"),
    401: ("unauthorized", "请先登录或完成实名认证。"),
    403: ("forbidden", "您没有权限进行此操作。"),
    404: ("not_found", "您要找的内容不存在。"),
    405: ("method_not_allowed", "不支持该请求方法。"),
    413: ("too_large", "提交的内容过大，请精简后再试。"),
    415: ("unsupported_media_type", "不支持的内容类型。"),
}


@web.middleware
async def error_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Turn domain errors and aiohttp's own HTTP errors into the JSON shape; log anything else, answer 500."""
    try:
        return await handler(request)
    except RequestTimeout as err:
        return await timeout_response(request, err)
    except DomainError as err:
        return error_response(err)
    except web.HTTPException as exc:
        if exc.status < 400 or not request.path.startswith("/api/"):
            raise
        code, message = _HTTP_MESSAGES.get(exc.status, ("http_error", "请求无法处理。"))
        return error_response(DomainError(code, message), exc.status)
    except ConnectionResetError:
        if not client_gone(request):
            log.exception("connection error on %s %s", request.method, request.path)
            return error_response(ServerFault("internal", "系统繁忙，请稍后再试。"))
        # Not a fault of ours: nobody is left to answer (issue 9, finding 7: no 500, no traceback).
        _log_disconnect(request)
        return web.Response(status=499, reason="Client Closed Request")
    except asyncio.CancelledError:  # a server run with handler_cancellation cancels on a disconnect
        if client_gone(request):
            _log_disconnect(request)
        raise
    except Exception:  # a bug: keep the details in the log, not in the answer
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(ServerFault("internal", "系统繁忙，请稍后再试。"))


async def read_json(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object, or a 4xx: wrong content type, too large, malformed, not an object."""
    if request.content_type != "application/json":
        raise UnsupportedMediaType("unsupported_media_type", "请以 JSON 格式（application/json）提交。")
    max_bytes = request.app[MAX_JSON_BYTES]
    if request.content_length is not None and request.content_length > max_bytes:
        raise TooLarge("too_large", "提交的内容过大，请精简后再试。")
    raw = bytearray()
    async for chunk in chunks(request, 64 * 1024):  # a body may arrive in pieces, but not for ever
        raw += chunk
        if len(raw) > max_bytes:
            raise TooLarge("too_large", "提交的内容过大，请精简后再试。")
    try:
        body = json.loads(bytes(raw).decode("utf-8"))
    except (ValueError, RecursionError):  # bad UTF-8, bad JSON, a 5000-digit integer, [[[[…]]]]
        raise InvalidRequest("malformed_json", "请求内容不是有效的 JSON。") from None
    if not isinstance(body, dict):
        raise InvalidRequest("malformed_json", "请求内容应为 JSON 对象。")
    return body

