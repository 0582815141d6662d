"""The WeChat channel's blueprint served by a real Sanic app on 127.0.0.1, mounted the way Rasa
mounts it (`rasa.core.channels.channel.register`), with a stub bot in place of Rasa's agent and
the fake WeChat API server behind it."""
from __future__ import annotations

import asyncio
import socket
import subprocess
import time
import uuid
from typing import Any, AsyncIterator, Callable, Iterator

import pytest
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from bot.channels.wechat import WeChatInput, WeChatSettings
from tests.channels.fake_wechat import APPID, SECRET, FakeWeChat
from tests.channels.sanic_server import LoopbackSanic

TOKEN = "unit-test-token"
Replies = Callable[[str], list[dict[str, Any]]]


def echo(text: str) -> list[dict[str, Any]]:
    return [{"text": f"收到：{text}"}]


class StubBot:
    """Stands in for `agent.handle_message`: records each message and answers through the
    output channel with `send_response`, as Rasa's actions do (text, buttons)."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []
        self.replies: Replies = echo
        self.delay = 0.0
        self.delays: dict[str, float] = {}  # per message text, over `delay`
        self.fail = False

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.received]

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        delay = self.delays.get(message.text or "", self.delay)
        if delay:
            await asyncio.sleep(delay)
        if self.fail:
            raise RuntimeError("the agent failed")
        for reply in self.replies(message.text or ""):
            await message.output_channel.send_response(message.sender_id, dict(reply))


class Webhook(LoopbackSanic):
    """One Sanic app serving the channel at /webhooks/wechat, like `rasa run` does."""

    def __init__(self, channel: WeChatInput, bot: StubBot, fake: FakeWeChat) -> None:
        super().__init__()
        self.channel, self.bot, self.fake = channel, bot, fake

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/wechat/webhook"

    def make_app(self) -> Sanic:
        app = Sanic(f"wechat_test_{uuid.uuid4().hex[:8]}", configure_logging=False)
        register([self.channel], app, route="/webhooks/")
        app.ctx.agent = type("Agent", (), {"handle_message": staticmethod(self.bot)})()
        return app

    async def get(self, params: dict[str, str], path: str = "/webhooks/wechat/webhook") -> tuple[int, str]:
        assert self._http is not None
        async with self._http.get(f"http://127.0.0.1:{self.port}{path}", params=params) as resp:
            return resp.status, await resp.text()

    async def post(self, params: dict[str, str], body: str) -> tuple[int, str, float]:
        """Status, body and how long the webhook took to answer (WeChat gives it 5 s)."""
        assert self._http is not None
        started = time.monotonic()
        async with self._http.post(self.url, params=params, data=body.encode("utf-8"),
                                   headers={"Content-Type": "text/xml"}) as resp:
            return resp.status, await resp.text(), time.monotonic() - started


@pytest.fixture
def fake() -> Iterator[FakeWeChat]:
    with FakeWeChat() as server:
        yield server


@pytest.fixture
def bot() -> StubBot:
    return StubBot()


@pytest.fixture
def replay_store(tmp_path) -> str:
    """Each test its own replay store (the embedded profile's SQLite file)."""
    return f"sqlite:///{tmp_path / 'wechat_replay.db'}"


@pytest.fixture
def settings(fake: FakeWeChat, replay_store: str) -> WeChatSettings:
    return WeChatSettings(TOKEN, APPID, SECRET, None, fake.url, replay_store)


@pytest.fixture
async def webhook(settings: WeChatSettings, bot: StubBot, fake: FakeWeChat) -> AsyncIterator[Webhook]:
    hook = await Webhook(WeChatInput(settings), bot, fake).start()
    yield hook
    await hook.stop()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The production profile's Redis on 127.0.0.1:6379 (database 1), started if it is not running."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379",
                        "--save", "", "--appendonly", "no"], check=True)
        time.sleep(0.5)
    return "redis://127.0.0.1:6379/1"
