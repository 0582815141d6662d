"""WeChat Official Account channel for Rasa: `/webhooks/wechat/webhook`.

WeChat gives a webhook 5 seconds and then retries the same message (3 tries in all), while a
turn of this bot may call the court backend for longer. So the webhook checks the signature,
answers "success" at once, and a background task runs the turn and sends the replies through the
customer-service API (`wechat_api.WeChatAPI`). Retries are recognised by MsgId and dropped.
A user's turns run one after another, so a number reply always refers to the options last shown.

Replays are refused (`replay.py`): every signed request must carry a timestamp within 300 s of
our clock, and each (timestamp, nonce) pair and each MsgId is accepted once, remembered in a store
all replicas share (Redis in the production profile, a SQLite file under var/ in the embedded one).
The options last shown to a user still live in this process's memory (`memory.TTLMap`).

The conversation id is ``wx:<openid>`` (`senders.py`), so that no other channel's sender can
continue a WeChat user's conversation; the prefix is stripped again only here, where replies go
out to the customer-service API.

Configured in credentials.yml under `bot.channels.wechat.WeChatInput` (appid, api_base) and the
environment (WECHAT_TOKEN, WECHAT_APPID, WECHAT_SECRET, WECHAT_ENCODING_AES_KEY, WECHAT_API_BASE,
WECHAT_REPLAY_STORE), which overrides credentials.yml. No token or secret is written in the
repository: without WECHAT_TOKEN the embedded profile makes up a random one per start (the
webhook then answers nobody), and the production profile (COURT_PROFILE=production) refuses to
start without the token, the secret, the appid and the AES key — it runs in safe mode only.

Messages Rasa sends on its own — a court notice (电子送达) appended by the court backend with
``POST /conversations/wx:{openid}/tracker/events?output_channel=latest&execute_side_effects=true``
— reach the user the same way: Rasa asks the channel the user last wrote from for an output
channel (`WeChatInput.get_output_channel`), and `WeChatOutput` sends through the same API client
(one token cache), cut into the same pieces, with buttons as numbers. A refusal by WeChat (e.g.
45015: the user last wrote more than 48 hours ago) is raised, so that Rasa answers 500 and the
court backend keeps the delivery pending and retries it.

Message texts are never logged here; OpenIDs only masked.
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import logging
import os
import secrets
from collections import defaultdict
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable, Mapping, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import MESSAGE_TYPES

from bot.channels import replay, senders
from bot.channels.memory import TTLMap
from bot.channels.profile import PROFILE_ENV, is_production
from bot.channels.wechat_api import DEFAULT_API_BASE, WeChatAPI, WeChatAPIError, mask_openid
from bot.channels.wechat_text import Option, choose, render_turn, split_message

logger = logging.getLogger(__name__)

GREET = "/greet"
UNSUPPORTED = "抱歉，我目前只能看懂文字消息，请您用文字告诉我需要办理什么。"
FAILED = "抱歉，系统暂时繁忙，您的消息没有处理成功，请您稍后再发一次。"
MAX_BODY_BYTES = 64 * 1024
DEV_APPID = "wx0000000000000000"  # credentials.yml's placeholder: never a real Official Account
OPTIONS_TTL = 48 * 3600.0  # the customer-service window: options older than that are stale anyway
ENV = {"token": "WECHAT_TOKEN", "appid": "WECHAT_APPID", "secret": "WECHAT_SECRET",
       "encoding_aes_key": "WECHAT_ENCODING_AES_KEY", "api_base": "WECHAT_API_BASE",
       "replay_store": "WECHAT_REPLAY_STORE"}
SECRETS = ("token", "secret")  # only ever from the environment

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class WeChatSettings:
    token: str
    appid: str
    secret: str
    encoding_aes_key: Optional[str] = None
    api_base: str = DEFAULT_API_BASE
    replay_store: str = replay.DEFAULT_SQLITE

    @classmethod
    def load(cls, credentials: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> "WeChatSettings":
        """credentials.yml, the WECHAT_* environment over it; an empty aes key means plain mode.

        The token and the secret come from the environment only. The production profile refuses
        to start without them, without a real appid or without the AES key (safe mode).
        """
        values = {key: environ.get(var, None if key in SECRETS else credentials.get(key)) for key, var in ENV.items()}
        production = is_production(environ)
        if production:
            missing = [ENV[key] for key in ("token", "secret", "encoding_aes_key") if not str(values[key] or "").strip()]
            if not values["appid"] or values["appid"] == DEV_APPID:
                missing.append(ENV["appid"])
            if missing:
                raise RasaException(f"WeChat channel ({PROFILE_ENV}=production): set {', '.join(sorted(missing))}; "
                                    "production runs in safe mode (安全模式) with secrets from the environment only")
        elif not values["appid"]:
            raise RasaException(f"WeChat channel: missing appid in credentials.yml (or {ENV['appid']})")
        for key in SECRETS:
            if not values[key]:  # embedded profile: a random value, so nothing in the repository opens the webhook
                values[key] = secrets.token_urlsafe(24)
                logger.warning("WeChat channel: %s is not set; using a random %s for this start, so WeChat "
                               "cannot reach this webhook (development only)", ENV[key], key)
        aes_key = str(values["encoding_aes_key"] or "").strip() or None
        if aes_key is not None:
            try:
                ok = len(aes_key) == 43 and len(base64.b64decode(aes_key + "=", validate=True)) == 32
            except (binascii.Error, ValueError):
                ok = False
            if not ok:
                raise RasaException("WeChat channel: encoding_aes_key must be the 43-character key "
                                    "from the Official Account settings")
        return cls(str(values["token"]), str(values["appid"]), str(values["secret"]), aes_key,
                   str(values["api_base"] or DEFAULT_API_BASE),
                   str(values["replay_store"] or replay.store_url(environ, production)))


def signature(token: str, timestamp: str, *more: str) -> str:
    """sha1 of the sorted, concatenated parts, as WeChat signs its callbacks."""
    return hashlib.sha1("".join(sorted([token, timestamp, *more])).encode("utf-8")).hexdigest()


def signature_ok(token: str, args: Mapping[str, str]) -> bool:
    timestamp, nonce, given = args.get("timestamp"), args.get("nonce"), args.get("signature")
    if not (timestamp and nonce and given):
        return False
    return hmac.compare_digest(signature(token, timestamp, nonce), given.lower())


class _Refused(Exception):
    """A correctly signed request that this configuration must not accept (text: the HTTP body)."""


class _KeyedLocks:
    """One asyncio.Lock per user, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: defaultdict[str, int] = defaultdict(int)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] += 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:
                del self._users[key]
                self._locks.pop(key, None)


class WeChatInput(InputChannel):
    """Rasa input channel for a WeChat Official Account (plain or safe mode)."""

    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> "WeChatInput":
        if credentials is None:
            cls.raise_missing_credentials_exception()
        return cls(WeChatSettings.load(credentials))

    def __init__(self, settings: WeChatSettings, api: Optional[WeChatAPI] = None,
                 store: Optional[replay.ReplayStore] = None) -> None:
        self.settings = settings
        self.api = api or WeChatAPI(settings.appid, settings.secret, settings.api_base)
        self.crypto = (WeChatCrypto(settings.token, settings.encoding_aes_key, settings.appid)
                       if settings.encoding_aes_key else None)
        self.store = store or replay.open_store(settings.replay_store)
        self._options: TTLMap[str, list[Option]] = TTLMap(OPTIONS_TTL)
        self._locks = _KeyedLocks()
        self._tasks: set[asyncio.Task] = set()

    def get_output_channel(self) -> "WeChatOutput":
        """What Rasa sends through for `output_channel=latest` when the user last wrote on WeChat."""
        return WeChatOutput(self)

    # ---- the webhook -------------------------------------------------------------------------

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        bp = Blueprint("wechat_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            """WeChat's URL check when the server address is saved: echo `echostr` if signed and fresh."""
            return await self._refuse(request.args) or response.text(request.args.get("echostr", ""))

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refusal = await self._refuse(request.args)
            if refusal is not None:
                return refusal
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.text("too large", status=413)
            try:
                xml = self._plain_xml(request.args, request.body or b"")
            except (InvalidSignatureException, InvalidAppIdException):
                logger.warning("WeChat webhook: refused a message with a bad msg_signature or appid")
                return response.text("forbidden", status=403)
            except _Refused as exc:
                return response.text(str(exc), status=403)
            except Exception:  # not UTF-8, or a ciphertext that does not decrypt
                return response.text("bad request", status=400)
            try:
                message = parse_message(xml)
            except Exception:  # malformed XML or missing fields: nothing WeChat itself would send
                message = None
            if message is None or not message.source:
                return response.text("bad request", status=400)
            if await self._first_time(message):
                self._spawn(self.handle(message, on_new_message))
            return response.text("success")

        @bp.listener("before_server_stop")
        async def close(*_: Any) -> None:
            await self.drain()
            await self.api.close()
            await self.store.close()

        return bp

    async def _refuse(self, args: Mapping[str, str]) -> Optional[HTTPResponse]:
        """403 unless signed with our token, stamped within the window and not seen before.

        The (timestamp, nonce) pair is used up as soon as the signature holds, whatever the body,
        so a captured query string cannot be tried again with another body; unsigned requests
        never reach the store.
        """
        if not signature_ok(self.settings.token, args):
            logger.warning("WeChat webhook: refused a request with a bad signature")
            return response.text("forbidden", status=403)
        if not replay.fresh(args.get("timestamp")):
            logger.warning("WeChat webhook: refused a signed request outside the %s s window", replay.WINDOW)
            return response.text("expired", status=403)
        if not await self.store.claim(f"nonce:{args.get('timestamp')}:{args.get('nonce')}"):
            logger.warning("WeChat webhook: refused a replayed request (timestamp and nonce already used)")
            return response.text("replayed", status=403)
        return None

    def _plain_xml(self, args: Mapping[str, str], body: bytes) -> str:
        """The message XML; in safe mode checked against `msg_signature` and decrypted."""
        if self.crypto is None:
            return body.decode("utf-8")
        if args.get("encrypt_type", "raw") != "aes":
            # The body of a plain-mode POST is not covered by any signature: once safe mode is
            # configured, unencrypted messages are refused.
            raise _Refused("encryption required")
        return self.crypto.decrypt_message(body.decode("utf-8"), args.get("msg_signature", ""),
                                           args.get("timestamp", ""), args.get("nonce", ""))

    async def _first_time(self, message: Any) -> bool:
        """False for WeChat's retries (or a ciphertext replayed anew): MsgId, or sender + time + event."""
        if getattr(message, "id", None):
            key = f"msg:{message.id}"
        else:
            key = f"event:{message.source}:{message.create_time}:{getattr(message, 'event', '')}"
        return await self.store.claim(key)

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the turns still running (tests, and a clean shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # ---- one turn ----------------------------------------------------------------------------

    @staticmethod
    def _text_of(message: Any) -> Optional[str]:
        """What to tell Rasa; None for what the bot cannot read (pictures, plain voice, …)."""
        if message.type == "text":
            return message.content
        if message.type == "voice" and getattr(message, "recognition", None):
            return message.recognition  # WeChat's own speech recognition, when it is switched on
        if message.type == "event" and message.event in ("subscribe", "subscribe_scan"):
            return GREET
        return None

    async def handle(self, message: Any, on_new_message: OnNewMessage) -> None:
        """Run one turn for one user, strictly after that user's previous turn, and send replies."""
        openid = str(message.source)
        async with self._locks.hold(openid):
            text = self._text_of(message)
            if text is None:
                if message.type in MESSAGE_TYPES:  # a picture, a link, …: events pass silently
                    await self._send(openid, [UNSUPPORTED])
                return
            options = self._options.get(openid) or []
            text = choose(text, options) or text
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(
                    text, collector, senders.wechat_conversation(openid), input_channel=self.name(),
                    message_id=str(getattr(message, "id", None) or "") or None,
                    metadata={"wechat": {"msg_type": message.type, "to": str(message.target)}}))
                turn = render_turn(collector.messages)
            except Exception:
                logger.exception("WeChat: the turn for %s failed", mask_openid(openid))
                turn = render_turn([*collector.messages, {"text": FAILED}])
            if turn.options:
                self._options.set(openid, turn.options)
            else:
                self._options.pop(openid)
            await self._send(openid, split_message(turn.text))

    async def _send(self, openid: str, pieces: list[str]) -> None:
        for piece in pieces:
            try:
                await self.api.send_text(openid, piece)
            except WeChatAPIError as exc:
                # 45015: the user wrote more than 48 h ago; 45047: too many replies. Nothing to retry.
                logger.error("WeChat: reply to %s not delivered (%s)", mask_openid(openid), exc)
                return


class WeChatOutput(OutputChannel):
    """Messages outside a user's turn (a court notice, a reminder), sent as customer-service texts.

    It does not take the user's turn lock: Rasa calls it while holding its own conversation lock,
    and a turn in progress holds the channel lock while it waits for Rasa's — waiting here would
    deadlock. The numbers of a pushed message's buttons replace the user's options; a message
    without buttons leaves the options last shown as they are.
    """

    @classmethod
    def name(cls) -> str:
        return WeChatInput.name()

    def __init__(self, channel: WeChatInput) -> None:
        self.channel = channel

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """`recipient_id` is a conversation id; only ``wx:<openid>`` ones are sent (to the OpenID)."""
        try:
            openid = senders.wechat_openid(recipient_id)
        except ValueError:
            # e.g. a REST conversation that claimed input_channel "wechat": never message an OpenID
            # on behalf of a conversation WeChat did not start.
            logger.error("WeChat: refused to push into a conversation that is not a WeChat one")
            raise WeChatAPIError(-3, "not a WeChat conversation") from None
        turn = render_turn([message])
        if turn.options:
            self.channel._options.set(openid, turn.options)
        for piece in split_message(turn.text):
            try:
                await self.channel.api.send_text(openid, piece)
            except WeChatAPIError as exc:
                logger.error("WeChat: pushed message to %s not delivered (%s)", mask_openid(openid), exc)
                raise

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})
