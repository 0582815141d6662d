"""Finding 2: speaking in a conversation that is not one's own, through another channel.

A WeChat user's conversation id was their OpenID, and Rasa's REST and socket.io channels take the
conversation id from the client: whoever knew (or guessed) an OpenID continued that conversation,
already verified, and read its replies. Here the attacker knows the OpenID and tries every door.
"""
from __future__ import annotations

import asyncio
import json
import uuid

import aiohttp
import socketio
from aiohttp import web

from tests.channels.fake_wechat import LoopbackApp
from tests.channels.rasa_server import API_TOKEN
from tests.channels.wechat_user import new_openid, signed_params, text_xml
from tests.security.channels.conftest import TOKEN, post_json, post_wechat, processed

REST = "/webhooks/rest/webhook"
LITIGANT = "/webhooks/litigant/webhook"


async def test_a_rest_sender_equal_to_an_openid_is_not_the_wechat_conversation(wechat_env, start_rasa, fake):
    rasa = await start_rasa()
    openid = new_openid()
    assert await post_wechat(rasa, signed_params(TOKEN), text_xml(openid, "我要立案")) == (200, "success")
    [wechat_conversation] = processed(await rasa.user_texts(), "我要立案")

    status, _ = await post_json(rasa, REST, {"sender": openid, "message": "撤回立案"})
    assert status == 200  # the development REST channel answers, in a conversation of its own
    status, _ = await post_json(rasa, REST, {"sender": wechat_conversation, "message": "撤回立案"})
    assert status == 400  # the WeChat conversation's own id is reserved
    texts = await rasa.user_texts()
    assert "撤回立案" not in texts[wechat_conversation]
    assert processed(texts, "撤回立案") == [openid]


async def test_a_rest_conversation_cannot_claim_to_be_wechat_and_have_notices_pushed(wechat_env, start_rasa, fake):
    """`input_channel: wechat` in a REST body made the court's next notice go to that 'OpenID'."""
    rasa = await start_rasa()
    target = new_openid()
    status, _ = await post_json(rasa, REST, {"sender": target, "message": "你好", "input_channel": "wechat"})
    assert status == 200
    status, _ = await rasa.deliver(target, "【立案通知】……", token=API_TOKEN)
    assert status == 200
    await asyncio.sleep(0.2)
    assert fake.sent == []


async def test_the_development_rest_channel_is_off_in_production(wechat_env, monkeypatch, start_rasa):
    from tests.channels.wechat_user import new_aes_key
    monkeypatch.setenv("COURT_PROFILE", "production")
    monkeypatch.setenv("WECHAT_ENCODING_AES_KEY", new_aes_key())
    rasa = await start_rasa()
    status, body = await post_json(rasa, REST, {"sender": "anyone", "message": "查询进度"})
    assert status == 403 and "生产环境" in json.loads(body)["message"]
    assert processed(await rasa.user_texts(), "查询进度") == []


class FakeBackend(LoopbackApp):
    """The court backend's `GET /api/v1/conversations/self`: which conversation a bearer token speaks for."""

    def __init__(self, tokens: dict[str, str]) -> None:
        super().__init__()
        self.tokens = tokens

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/api/v1/conversations/self", self._self)
        return app

    async def _self(self, request: web.Request) -> web.Response:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.tokens:
            return web.json_response({"error": "unauthorised"}, status=401)
        return web.json_response({"conversation_id": self.tokens[token]})


async def test_the_litigant_rest_channel_speaks_only_for_its_bearer_token(wechat_env, monkeypatch, start_rasa):
    with FakeBackend({"token-of-a": "conv-a", "token-of-b": "conv-b"}) as backend:
        monkeypatch.setenv("LITIGANT_VERIFY_URL", f"{backend.url}/api/v1/conversations/self")
        rasa = await start_rasa()
        bearer = lambda token: {"Authorization": f"Bearer {token}"}  # noqa: E731
        assert (await post_json(rasa, LITIGANT, {"message": "甲"}))[0] == 401
        assert (await post_json(rasa, LITIGANT, {"message": "乙"}, bearer("forged")))[0] == 401
        assert (await post_json(rasa, LITIGANT, {"message": "丙", "sender": "conv-b"}, bearer("token-of-a")))[0] == 403
        status, body = await post_json(rasa, LITIGANT, {"message": "丁", "input_channel": "wechat"}, bearer("token-of-a"))
        assert status == 200 and json.loads(body) == [{"recipient_id": "rest:conv-a", "text": "收到：丁"}]
        texts = await rasa.user_texts()
        assert texts == {"rest:conv-a": ["丁"]}
        tracker = await rasa.tracker_store.retrieve("rest:conv-a")
        assert tracker.get_latest_input_channel() == "litigant"
    backend_gone = await post_json(rasa, LITIGANT, {"message": "戊"}, bearer("token-of-a"))
    assert backend_gone[0] == 503


async def test_a_widget_socket_cannot_speak_in_another_conversation(wechat_env, start_rasa, fake):
    rasa = await start_rasa()
    openid = new_openid()
    assert await post_wechat(rasa, signed_params(TOKEN), text_xml(openid, "你好")) == (200, "success")
    [wechat_conversation] = processed(await rasa.user_texts(), "你好")
    other_widget = uuid.uuid4().hex

    client = socketio.AsyncClient()
    confirmed: asyncio.Queue = asyncio.Queue()
    client.on("session_confirm", confirmed.put)
    await client.connect(rasa.url, socketio_path="/socket.io", transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": wechat_conversation})
        own = await asyncio.wait_for(confirmed.get(), 10)
        assert own != wechat_conversation and len(own) == 32
        for session in (wechat_conversation, openid, other_widget):
            await client.emit("user_uttered", {"message": "撤回立案", "session_id": session})
        await client.emit("user_uttered", {"message": "查询进度", "session_id": own})
        for _ in range(50):
            if processed(await rasa.user_texts(), "查询进度"):
                break
            await asyncio.sleep(0.1)
    finally:
        await client.disconnect()
    texts = await rasa.user_texts()
    assert processed(texts, "查询进度") == [own]
    assert processed(texts, "撤回立案") == []
