"""Finding 7: the backend sent Rasa's API token as `?token=…`, which nginx's and any proxy's access
log records. Now, with Rasa's JWT secret configured (COURT_RASA_JWT_SECRET, `rasa run --jwt-secret
… --jwt-method HS256`, as deploy/stack.py starts it), every delivery carries a short-lived HS256
admin JWT in the Authorization header and nothing secret in the URL — even when the old static
token is configured too. tests/channels/test_court_rasa_jwt.py shows Rasa 3.6 accepts this very token."""
from __future__ import annotations

import jwt
from aiohttp import web

from court.infra.config import Settings
from court.infra.rasa_client import RasaClient

SECRET = "jwt-secret-for-tests-only-0123456789"


async def test_deliveries_carry_a_short_lived_jwt_header_and_no_token_in_the_url(aiohttp_server, tmp_path) -> None:
    seen: list[web.Request] = []

    async def append(request: web.Request) -> web.Response:
        seen.append(request)
        return web.json_response({})

    rasa = web.Application()
    rasa.router.add_post("/conversations/{cid}/tracker/events", append)
    server = await aiohttp_server(rasa)
    settings = Settings(upload_dir=tmp_path, rasa_url=str(server.make_url("")).rstrip("/"),
                        rasa_token="static-token-0123456789", rasa_jwt_secret=SECRET)
    async with RasaClient.open(settings) as client:
        await client.send_bot_message("wechat:o123", "您的立案申请已受理。", "notice-1")
    (request,) = seen
    assert "token" not in request.query and "static-token" not in str(request.url)
    scheme, _, token = request.headers["Authorization"].partition(" ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert scheme == "Bearer" and claims["user"]["role"] == "admin"
    assert 0 < claims["exp"] - claims["iat"] <= 60
