"""One error shape for every refusal: `{"error": code, "message": 中文, "field": ...}`, never a 500 page."""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable

from aiohttp import web

from court.app_keys import MAX_JSON_BYTES

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A refusal the client can act on; raised anywhere below a handler."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field

    def to_json(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, "field": self.field}


def error_response(err: ApiError) -> web.Response:
    return web.json_response(err.to_json(), status=err.status)


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
    """Turn ApiError and aiohttp's own HTTP errors into the JSON shape; log anything else, answer 500."""
    try:
        return await handler(request)
    except ApiError as err:
        return error_response(err)
    except web.HTTPException as exc:
        if exc.status < 400 or not request.path.startswith("/api/"):
            raise
        code, message = _HTTP_MESSAGES.get(exc.status, ("http_error", "请求无法处理。"))
        return error_response(ApiError(exc.status, code, message))
    except Exception:  # a bug: keep the details in the log, not in the answer
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(ApiError(500, "internal", "系统繁忙，请稍后再试。"))


async def read_json(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object, or a 4xx: wrong content type, too large, malformed, not an object."""
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", "请以 JSON 格式（application/json）提交。")
    max_bytes = request.app[MAX_JSON_BYTES]
    if request.content_length is not None and request.content_length > max_bytes:
        raise ApiError(413, "too_large", "提交的内容过大，请精简后再试。")
    raw = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):  # a body may arrive in pieces
        raw += chunk
        if len(raw) > max_bytes:
            raise ApiError(413, "too_large", "提交的内容过大，请精简后再试。")
    try:
        body = json.loads(bytes(raw).decode("utf-8"))
    except (ValueError, RecursionError):  # bad UTF-8, bad JSON, a 5000-digit integer, [[[[…]]]]
        raise ApiError(400, "malformed_json", "请求内容不是有效的 JSON。") from None
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", "请求内容应为 JSON 对象。")
    return body

