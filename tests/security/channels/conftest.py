"""Rasa's own HTTP server with the channels exactly as credentials.yml configures them.

`rasa run` builds its channels with `rasa.core.run.create_http_input_channels(None,
"credentials.yml")` and mounts them under /webhooks/; the attacks here go through the same code,
against tests/channels' RasaServer (Rasa's `create_app`, real tracker and lock stores, a stub
message processor instead of a trained model) and the fake WeChat API server. Each test sets the
environment a profile would set (`COURT_PROFILE`, `WECHAT_*`) before the channels are built.
"""
from __future__ import annotations

from typing import AsyncIterator, Awaitable, Callable, Iterator, Optional

import aiohttp
import pytest
from rasa.core.run import create_http_input_channels

from bot.channels.wechat import WeChatInput
from tests.channels.fake_wechat import APPID, SECRET, FakeWeChat
from tests.channels.conftest import redis_url  # noqa: F401  (a fixture: Redis on 127.0.0.1, started if needed)
from tests.channels.rasa_server import RasaServer

TOKEN = "security-test-token"
WEBHOOK = "/webhooks/wechat/webhook"
StartRasa = Callable[..., Awaitable[RasaServer]]


@pytest.fixture
def fake() -> Iterator[FakeWeChat]:
    with FakeWeChat() as server:
        yield server


@pytest.fixture
def wechat_env(monkeypatch: pytest.MonkeyPatch, fake: FakeWeChat, tmp_path) -> dict[str, str]:
    """The embedded profile with WeChat configured (plain mode) and a fresh replay store."""
    env = {"WECHAT_TOKEN": TOKEN, "WECHAT_APPID": APPID, "WECHAT_SECRET": SECRET, "WECHAT_API_BASE": fake.url,
           "WECHAT_REPLAY_STORE": f"sqlite:///{tmp_path / 'wechat_replay.db'}"}
    for var in ("COURT_PROFILE", "WECHAT_ENCODING_AES_KEY", "LITIGANT_VERIFY_URL"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    return env


def channels_from_credentials() -> list:
    return create_http_input_channels(None, "credentials.yml")


@pytest.fixture
async def start_rasa() -> AsyncIterator[StartRasa]:
    """Starts Rasa servers with the channels of credentials.yml (built from the current environment)."""
    servers: list[RasaServer] = []

    async def start() -> RasaServer:
        channels = channels_from_credentials()
        wechat = next(c for c in channels if isinstance(c, WeChatInput))
        server = await RasaServer(wechat, *[c for c in channels if c is not wechat]).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()


async def post_wechat(rasa: RasaServer, params: dict[str, str], body: str) -> tuple[int, str]:
    """A callback as WeChat's servers post it; waits for the turn it may have started."""
    async with aiohttp.ClientSession() as http:
        async with http.post(rasa.url + WEBHOOK, params=params, data=body.encode("utf-8"),
                             headers={"Content-Type": "text/xml"}) as resp:
            answer = (resp.status, await resp.text())
    await rasa.channel.drain()
    return answer


async def post_json(rasa: RasaServer, path: str, body: dict, headers: Optional[dict[str, str]] = None) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http:
        async with http.post(rasa.url + path, json=body, headers=headers or {}) as resp:
            return resp.status, await resp.text()


def processed(texts: dict[str, list], text: str) -> list[str]:
    """The conversations in which Rasa processed a user message `text`."""
    return [conversation for conversation, said in texts.items() if text in said]

