"""The WeChat customer-service message API (`message/custom/send`) with a cached access token.

The bot answers after the webhook has already said "success", so every reply goes out through
this API. An access token lives 2 hours and fetching one counts against a daily quota: it is
cached and renewed a few minutes before it expires, and renewed once more when WeChat says it is
invalid or expired (errcode 40001/40014/42001 — e.g. another server fetched a newer one).

Note for several replicas: each process keeps its own token, and WeChat keeps only the newest
one (plus the previous for 5 minutes), so replicas would keep invalidating each other. Such a
deployment should fetch the token in one place (a shared cache such as Redis) instead.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Callable, Optional

import aiohttp

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.weixin.qq.com"
TOKEN_INVALID_CODES = frozenset({40001, 40014, 42001})


class WeChatAPIError(Exception):
    """WeChat answered with a non-zero errcode (or could not be reached: errcode -2)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"errcode {errcode}: {errmsg}")
        self.errcode, self.errmsg = errcode, errmsg


def mask_openid(openid: str) -> str:
    """Enough of an OpenID to follow one user through the logs, not enough to reuse it."""
    return f"{openid[:4]}…{openid[-4:]}" if len(openid) > 10 else "…"


class WeChatAPI:
    """One aiohttp session (made lazily, in the loop that uses it) and one cached token."""

    def __init__(self, appid: str, secret: str, api_base: str = DEFAULT_API_BASE, *,
                 timeout: float = 10.0, refresh_margin: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.appid, self._secret = appid, secret
        self.api_base = api_base.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._session: Optional[aiohttp.ClientSession] = None
        self._token: Optional[str] = None
        self._renew_at = 0.0
        self._token_lock: Optional[asyncio.Lock] = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            async with self._http().request(method, self.api_base + path, **kwargs) as resp:
                body = await resp.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise WeChatAPIError(-2, f"unreachable or malformed answer: {type(exc).__name__}") from exc
        if not isinstance(body, dict):
            raise WeChatAPIError(-2, "malformed answer")
        if body.get("errcode"):
            raise WeChatAPIError(int(body["errcode"]), str(body.get("errmsg", "")))
        return body

    async def access_token(self) -> str:
        """The cached token, fetched anew when missing or about to expire (one fetch at a time)."""
        if self._token and self._clock() < self._renew_at:
            return self._token
        if self._token_lock is None:
            self._token_lock = asyncio.Lock()
        async with self._token_lock:
            if self._token and self._clock() < self._renew_at:  # another task just renewed it
                return self._token
            body = await self._call("GET", "/cgi-bin/token", params={
                "grant_type": "client_credential", "appid": self.appid, "secret": self._secret})
            token, expires_in = body.get("access_token"), float(body.get("expires_in", 7200))
            if not token:
                raise WeChatAPIError(-2, "no access_token in answer")
            margin = min(self._refresh_margin, expires_in / 5)
            self._token, self._renew_at = str(token), self._clock() + expires_in - margin
            logger.info("WeChat access token renewed, valid %.0f s", expires_in)
            return self._token

    def invalidate(self, token: str) -> None:
        """Forget `token` unless a newer one has replaced it meanwhile."""
        if self._token == token:
            self._token, self._renew_at = None, 0.0

    async def send_text(self, openid: str, content: str) -> None:
        """One customer-service text; on a rejected token, renew it and try exactly once more."""
        payload = json.dumps({"touser": openid, "msgtype": "text", "text": {"content": content}},
                             ensure_ascii=False).encode("utf-8")
        for attempt in (1, 2):
            token = await self.access_token()
            try:
                await self._call("POST", "/cgi-bin/message/custom/send", params={"access_token": token},
                                 data=payload, headers={"Content-Type": "application/json; charset=utf-8"})
                return
            except WeChatAPIError as exc:
                if exc.errcode in TOKEN_INVALID_CODES and attempt == 1:
                    logger.info("WeChat refused the access token (errcode %s): renewing", exc.errcode)
                    self.invalidate(token)
                    continue
                raise
