"""How the court backend can carry Rasa's API credential in a header instead of `?token=`.

Rasa 3.6 reads its static `--auth-token` only from the query string (`rasa.server.requires_auth`),
where access logs and proxies keep it. Its other credential is a JWT in `Authorization: Bearer …`
(`rasa run --jwt-secret … --jwt-method HS256`): a token whose `user.role` is `admin` may call every
endpoint, one whose role is `user` only its own conversation (`user.username` == conversation id).
This pins that behaviour of Rasa's own server, which the backend's delivery client relies on.
"""
from __future__ import annotations

import time
import uuid
from typing import AsyncIterator, Optional

import jwt
import pytest
from rasa.core.channels.channel import register
from rasa.server import create_app
from sanic import Sanic

from bot.channels.wechat import WeChatInput, WeChatSettings
from tests.channels.rasa_server import API_TOKEN, RasaServer

JWT_SECRET = "jwt-secret-for-tests-only-0123456789"


class JwtRasaServer(RasaServer):
    """`rasa run --enable-api --auth-token … --jwt-secret … --jwt-method HS256`."""

    def make_app(self) -> Sanic:
        app = create_app(agent=self.agent, auth_token=API_TOKEN, jwt_secret=JWT_SECRET, jwt_method="HS256")
        app.name = f"rasa_jwt_test_{uuid.uuid4().hex[:8]}"
        register(self.channels, app, route="/webhooks/")
        return app


def bearer(role: str, username: str = "court-backend", secret: str = JWT_SECRET) -> dict[str, str]:
    claims = {"user": {"username": username, "role": role}, "exp": int(time.time()) + 300}
    return {"Authorization": f"Bearer {jwt.encode(claims, secret, algorithm='HS256')}"}


@pytest.fixture
async def rasa(settings: WeChatSettings) -> AsyncIterator[JwtRasaServer]:
    server = await JwtRasaServer(WeChatInput(settings)).start()
    yield server
    await server.stop()


async def post_event(rasa: RasaServer, conversation_id: str, headers: Optional[dict[str, str]]) -> int:
    assert rasa._http is not None
    async with rasa._http.post(f"{rasa.url}/conversations/{conversation_id}/tracker/events",
                               headers=headers or {}, json=[{"event": "bot", "text": "【通知】"}]) as resp:
        return resp.status


async def test_an_admin_jwt_in_the_header_is_accepted_without_a_query_token(rasa):
    assert await post_event(rasa, "wx:o-someone", bearer("admin")) == 200
    assert await rasa.bot_texts("wx:o-someone") == ["【通知】"]


async def test_a_wrong_or_narrower_jwt_is_refused(rasa):
    assert await post_event(rasa, "wx:o-someone", None) == 401
    assert await post_event(rasa, "wx:o-someone", bearer("admin", secret="another-secret-0123456789abcdef")) == 401
    assert await post_event(rasa, "wx:o-someone", bearer("user", username="wx:o-other")) == 403
    assert await rasa.bot_texts("wx:o-someone") == []
