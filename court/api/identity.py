"""/api/v1/identity: real-name verification by SMS code, then a litigant bearer token.

POST /verify {name, id_number, phone} → 202 {challenge_id, expires_in, phone_masked}
POST /confirm {challenge_id, code}    → 200 {token, expires_at, litigant}
"""
from __future__ import annotations

import logging

from aiohttp import web

from court.api.auth import issue_token, server_secret
from court.infra.app_keys import SESSIONMAKER
from court.infra.clock import now
from court.infra.errors import read_json
from court.infra.sms import SmsError, gateway_for
from court.rules.phone import mask_phone
from court.services.errors import Unavailable
from court.services.identity import CODE_TTL, confirm_challenge, litigant_json, parse_confirm, parse_verify, sms_text, start_challenge

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


@routes.post("/api/v1/identity/verify")
async def verify(request: web.Request) -> web.Response:
    data = parse_verify(await read_json(request))
    app = request.app
    async with app[SESSIONMAKER]() as session:
        challenge, code = await start_challenge(session, data, at=now(app), secret=server_secret(app))
        # Sent after the commit: a slow gateway must not hold a database transaction open.
        try:
            await gateway_for(app).send(session, data.phone, sms_text(code))
        except SmsError:
            log.warning("SMS to %s failed", mask_phone(data.phone))
            raise Unavailable("sms_unavailable", "短信发送失败，请您稍后再试。") from None
    return web.json_response(
        {"challenge_id": challenge.challenge_id, "expires_in": int(CODE_TTL.total_seconds()),
         "phone_masked": mask_phone(data.phone)},
        status=202,
    )


@routes.post("/api/v1/identity/confirm")
async def confirm(request: web.Request) -> web.Response:
    data = parse_confirm(await read_json(request))
    app = request.app
    async with app[SESSIONMAKER]() as session:
        at = now(app)
        litigant = await confirm_challenge(session, data, at=at, secret=server_secret(app))
        token, expires_at = await issue_token(session, at=at, litigant=litigant)
        await session.commit()
        body = {"token": token, "expires_at": expires_at.isoformat(), "litigant": litigant_json(litigant)}
    return web.json_response(body)
