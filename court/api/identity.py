"""/api/v1/identity: real-name verification by SMS code, then a litigant bearer token.

POST   /verify {name, id_number, phone}   → 202 {challenge_id, expires_in, phone_masked, sent_to_record, message}
POST   /confirm {challenge_id, code[, conversation_id, channel]} → 200 {token, expires_at, litigant, conversation_id}
DELETE /session                          → 204: logs out (the request's own token ends)
GET    /api/v1/conversations/self        → 200 {conversation_id} for a token bound to a litigant REST
                                           conversation (bot/channels/litigant_rest.py); 401/404 otherwise

Conversation binding (issue 9, finding 3): a token speaks for one conversation, fixed here at
confirm. Only the action server may name it (it passes the sender its channel authenticated),
proved by ``X-Court-Bot-Key`` = ``settings.extra["bot_key"]`` / ``$COURT_BOT_KEY``; with no key
configured, development mode trusts the caller and production refuses. A confirm without one
gets a fresh litigant REST conversation (``rest:<random>``): the token is then the litigant's
credential for the REST channel. Filings, tickets and drafts take the conversation from the
token; a ``conversation_id`` in their bodies is accepted for old clients and ignored.
"""
from __future__ import annotations

import hmac
import logging
import os
import secrets
from typing import Optional

from aiohttp import web

from court.api.auth import current_session, issue_token, server_secret
from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.clock import now
from court.infra.errors import read_json
from court.infra.identity_provider import provider_for
from court.infra.models import Token
from court.infra.sms import SmsError, gateway_for
from court.rules.phone import mask_phone
from court.services import limits
from court.services.errors import Forbidden, NotFound, Unavailable
from court.services.identity import (
    CODE_TTL, ConfirmInput, choose_recipient, confirm_challenge, litigant_json, parse_confirm, parse_verify,
    sms_text, start_challenge,
)

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
REST_PREFIX = "rest:"  # the litigant REST channel's sender namespace (bot/channels/senders.py)
REST_CHANNEL = "litigant"


@routes.post("/api/v1/identity/verify")
async def verify(request: web.Request) -> web.Response:
    data = parse_verify(await read_json(request))
    app = request.app
    # Codes are counted per client address too, except for the action server, which asks for every
    # chat litigant (the phone and ID-number limits still hold for it).
    address = None if from_action_server(request) else (request.remote or "unknown")
    async with app[SESSIONMAKER]() as session:
        to = await choose_recipient(session, data, provider_for(app))
        settings = app[SETTINGS]
        challenge, code = await start_challenge(
            session, data, at=now(app), secret=server_secret(app), to=to, address=address,
            address_windows=limits.sms_windows(settings.sms_per_address_hour, settings.sms_per_address_day),
            phone_windows=limits.sms_windows(settings.sms_per_phone_hour, settings.sms_per_phone_day),
            id_windows=limits.sms_windows(settings.sms_per_id_hour, settings.sms_per_id_day))
        # Sent after the commit: a slow gateway must not hold a database transaction open.
        try:
            await gateway_for(app).send(session, to.phone, sms_text(code))
        except SmsError:
            log.warning("SMS to %s failed", mask_phone(to.phone))
            raise Unavailable("sms_unavailable", "短信发送失败，请您稍后再试。") from None
    return web.json_response(
        {"challenge_id": challenge.challenge_id, "expires_in": int(CODE_TTL.total_seconds()),
         "phone_masked": mask_phone(to.phone), "sent_to_record": to.on_record, "message": to.message(data.phone)},
        status=202,
    )


def _bot_key(app: web.Application) -> Optional[str]:
    return app[SETTINGS].extra.get("bot_key") or os.environ.get("COURT_BOT_KEY") or None


def from_action_server(request: web.Request) -> bool:
    """The request carries the configured bot key (never true when no key is configured)."""
    key = _bot_key(request.app)
    given = request.headers.get("X-Court-Bot-Key", "")
    return bool(key) and hmac.compare_digest(given.encode(), key.encode())


def bound_conversation(request: web.Request, data: ConfirmInput) -> tuple[str, Optional[str]]:
    """(conversation_id, channel) the new token speaks for; 403 when a caller that is not the
    action server names a conversation."""
    if data.conversation_id is None:
        return REST_PREFIX + secrets.token_urlsafe(24), REST_CHANNEL
    trusted = from_action_server(request) if _bot_key(request.app) else request.app[SETTINGS].dev_mode
    if not trusted:
        raise Forbidden("conversation_not_allowed", "对话编号只能由对话渠道在实名认证时提供，请您直接确认验证码即可。",
                        "conversation_id")
    return data.conversation_id, data.channel


@routes.post("/api/v1/identity/confirm")
async def confirm(request: web.Request) -> web.Response:
    data = parse_confirm(await read_json(request))
    conversation_id, channel = bound_conversation(request, data)
    app = request.app
    async with app[SESSIONMAKER]() as session:
        at = now(app)
        litigant = await confirm_challenge(session, data, at=at, secret=server_secret(app))
        token, expires_at = await issue_token(session, at=at, litigant=litigant,
                                              conversation_id=conversation_id, channel=channel)
        await session.commit()
        body = {"token": token, "expires_at": expires_at.isoformat(), "litigant": litigant_json(litigant),
                "conversation_id": conversation_id}
    return web.json_response(body)


@routes.delete("/api/v1/identity/session")
async def logout(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        current = await current_session(request, session)
        await session.delete(await session.get(Token, current.token_id))
        await session.commit()
    return web.Response(status=204)


@routes.get("/api/v1/conversations/self")
async def own_conversation(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        current = await current_session(request, session)
    conversation = current.conversation_id or ""
    if not conversation.startswith(REST_PREFIX):
        raise NotFound("not_found", "该凭证不属于在线对话渠道，请您在原对话中继续。")
    return web.json_response({"conversation_id": conversation[len(REST_PREFIX):]})
