"""The very token the court backend sends (court/infra/rasa_jwt.py) against Rasa's own server
started with --jwt-secret/--jwt-method HS256: accepted in the Authorization header with no token
in the URL; refused once it has expired or when signed with another secret."""
from __future__ import annotations

import time

from court.infra.rasa_jwt import admin_jwt
from tests.channels.test_rasa_api_auth import JWT_SECRET, post_event, rasa  # noqa: F401 (fixture)


def header(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_the_backends_token_delivers_a_notice(rasa):  # noqa: F811
    assert await post_event(rasa, "wx:o-someone", header(admin_jwt(JWT_SECRET))) == 200
    assert await rasa.bot_texts("wx:o-someone") == ["【通知】"]


async def test_an_expired_or_foreign_token_is_refused(rasa):  # noqa: F811
    assert await post_event(rasa, "wx:o-someone", header(admin_jwt(JWT_SECRET, at=time.time() - 3600))) == 401
    assert await post_event(rasa, "wx:o-someone", header(admin_jwt("another-secret-0123456789abcdef"))) == 401
    assert await rasa.bot_texts("wx:o-someone") == []
