"""REST for litigants: the conversation comes from a bearer token the court backend vouches for.

``POST /webhooks/litigant/webhook`` with ``Authorization: Bearer <token>`` and ``{"message": …}``.
The channel asks the backend which conversation the token speaks for (`ConversationVerifier`) and
runs the turn as ``rest:<conversation id>``; a ``sender`` in the body is not trusted (a different
one is refused), nor is ``input_channel`` or ``metadata``. No token, an unknown or revoked one:
401; the backend unreachable: 503. Nothing reaches Rasa in either case.

The backend endpoint it expects (`HttpVerifier`): ``GET <verify_url>`` with the litigant's
``Authorization: Bearer <token>`` → ``200 {"conversation_id": "<id>"}`` (letters, digits, ``_``
and ``-``, at most 64), ``401`` when the token is not valid. ``verify_url`` comes from
credentials.yml or ``LITIGANT_VERIFY_URL``.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
from typing import Any, Awaitable, Callable, Optional, Protocol

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.exceptions import SanicException
from sanic.request import Request

from bot.channels.senders import LITIGANT_REST

logger = logging.getLogger(__name__)

CONVERSATION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
UNAUTHORISED = "请先完成实名认证后再继续对话。"
WRONG_SENDER = "您只能在自己的会话中发送消息。"
UNAVAILABLE = "系统暂时繁忙，请您稍后再试。"


class ConversationVerifier(Protocol):
    async def conversation_for(self, token: str) -> Optional[str]:
        """The conversation id `token` was issued for; None if the token is not (or no longer) valid."""

    async def close(self) -> None: ...


class VerifierUnavailable(Exception):
    """The backend could not say (unreachable, 5xx, a malformed answer)."""


class HttpVerifier:
    """Asks the court backend (``GET verify_url`` with the litigant's bearer token)."""

    def __init__(self, verify_url: str, timeout: float = 5.0) -> None:
        self.verify_url = verify_url
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: Optional[aiohttp.ClientSession] = None

    async def conversation_for(self, token: str) -> Optional[str]:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.get(self.verify_url, headers={"Authorization": f"Bearer {token}"}) as resp:
                if resp.status in (401, 403, 404):
                    return None
                if resp.status != 200:
                    raise VerifierUnavailable(f"backend answered {resp.status}")
                body = await resp.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise VerifierUnavailable(type(exc).__name__) from exc
        conversation = body.get("conversation_id") if isinstance(body, dict) else None
        if not isinstance(conversation, str) or not CONVERSATION_ID.fullmatch(conversation):
            raise VerifierUnavailable("no valid conversation_id in the answer")
        return conversation

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def bearer_token(request: Request) -> Optional[str]:
    scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class LitigantRestInput(RestInput):
    """`/webhooks/litigant/webhook`: Rasa's REST channel, the sender taken from the verified token."""

    @classmethod
    def name(cls) -> str:
        return "litigant"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> "LitigantRestInput":
        url = os.environ.get("LITIGANT_VERIFY_URL") or (credentials or {}).get("verify_url")
        if not url:
            cls.raise_missing_credentials_exception()
        return cls(HttpVerifier(str(url)))

    def __init__(self, verifier: ConversationVerifier) -> None:
        self.verifier = verifier

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = super().blueprint(on_new_message)

        @bp.listener("before_server_stop")
        async def close(*_: Any) -> None:
            await self.verifier.close()

        return bp

    async def _extract_sender(self, req: Request) -> str:
        token = bearer_token(req)
        if token is None:
            raise SanicException(UNAUTHORISED, status_code=401)
        try:
            conversation = await self.verifier.conversation_for(token)
        except VerifierUnavailable as exc:
            logger.error("litigant REST: the backend could not verify a token (%s)", exc)
            raise SanicException(UNAVAILABLE, status_code=503) from None
        if conversation is None:
            raise SanicException(UNAUTHORISED, status_code=401)
        sender = LITIGANT_REST + conversation
        claimed = (req.json or {}).get("sender") if isinstance(req.json, dict) else None
        if claimed not in (None, conversation, sender):
            logger.warning("litigant REST: refused a message naming another conversation")
            raise SanicException(WRONG_SENDER, status_code=403)
        return sender

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[dict[str, Any]]:
        return None
