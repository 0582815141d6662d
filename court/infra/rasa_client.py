"""Rasa's HTTP API as the court uses it: append a message to a conversation and have Rasa send it.

``POST {rasa}/conversations/{id}/tracker/events?output_channel=latest&execute_side_effects=true``
with a ``bot`` event: Rasa appends it to the tracker and sends it through the output channel the
litigant last wrote from (socket.io pushes it into the open widget; a channel without push, such
as REST, keeps it in the conversation only). No intent, action or retraining is needed.

Credentials (issue 9): with Rasa's ``--jwt-secret`` (``COURT_RASA_JWT_SECRET``) every request
carries ``Authorization: Bearer <JWT>`` — HS256, ``user.role`` admin (Rasa 3.6 lets an admin
append to any conversation, tests/channels/test_rasa_api_auth.py), valid one minute — and no
token in the URL. Only without one does the static ``--auth-token`` go as ``?token=`` (Rasa reads
it nowhere else), which access logs keep: production configures the JWT secret.
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncIterator, Optional
from urllib.parse import quote

import aiohttp

from court.infra.config import Settings
from court.infra.models import utcnow
from court.infra.rasa_jwt import admin_jwt


class RasaUnreachable(Exception):
    """Rasa did not take the message (down, timed out, or answered other than 200); retry later."""


class RasaClient:
    """One Rasa server; the aiohttp session is the caller's (a job keeps one for its lifetime)."""

    def __init__(self, http: aiohttp.ClientSession, base_url: str, token: Optional[str] = None,
                 jwt_secret: Optional[str] = None) -> None:
        self.http, self.base_url, self.token, self.jwt_secret = http, base_url.rstrip("/"), token, jwt_secret

    def credentials(self) -> tuple[dict[str, str], dict[str, str]]:
        """(headers, query parameters) that authenticate one request: the JWT header when configured."""
        if self.jwt_secret:
            return {"Authorization": f"Bearer {admin_jwt(self.jwt_secret)}"}, {}
        return {}, ({"token": self.token} if self.token else {})

    @classmethod
    @asynccontextmanager
    async def open(cls, settings: Settings,
                   http: Optional[aiohttp.ClientSession] = None) -> AsyncIterator["RasaClient"]:
        """A client for the configured Rasa, on `http` or on a session of its own for this block."""
        if http is not None:
            yield cls(http, settings.rasa_api_url(), settings.rasa_api_token(), settings.rasa_api_jwt_secret())
            return
        async with aiohttp.ClientSession() as own:
            yield cls(own, settings.rasa_api_url(), settings.rasa_api_token(), settings.rasa_api_jwt_secret())

    async def send_bot_message(self, conversation_id: str, text: str, marker: str) -> None:
        """Append `text` as a bot event (``metadata.court_delivery = marker``) and send it on."""
        url = f"{self.base_url}/conversations/{quote(conversation_id, safe='')}/tracker/events"
        headers, auth_params = self.credentials()
        params = {"output_channel": "latest", "execute_side_effects": "true", **auth_params}
        body = [{"event": "bot", "text": text, "timestamp": utcnow().timestamp(),
                 "metadata": {"court_delivery": marker}}]
        try:
            async with self.http.post(url, params=params, json=body, headers=headers,
                                      timeout=aiohttp.ClientTimeout(total=10)) as resp:
                if resp.status != 200:
                    raise RasaUnreachable(f"Rasa answered {resp.status}")
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as err:
            raise RasaUnreachable(str(err) or type(err).__name__) from err
