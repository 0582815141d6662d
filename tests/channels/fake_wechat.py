"""A fake WeChat API server on 127.0.0.1: access tokens and customer-service text messages.

It answers like api.weixin.qq.com for the two calls the channel makes, including its errors
(40013 wrong appid, 40125 wrong secret, 40001 unknown or invalidated token, 42001 expired token,
41001 missing token, 45002 content over 2048 bytes, 44002 empty body), and records every
text it accepted, so that tests read what a user would have received.

Runs its own event loop in a thread, so both async unit tests and the synchronous end-to-end
tests can use it. By hand: `python tests/channels/fake_wechat.py --port 8091`.
"""
from __future__ import annotations

import asyncio
import json
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Optional

from aiohttp import web

APPID = "wx-fake-appid"
SECRET = "fake-secret"
MAX_CONTENT_BYTES = 2048


@dataclass
class Sent:
    touser: str
    content: str
    token: str
    at: float = field(default_factory=time.monotonic)


class LoopbackApp:
    """An aiohttp application on 127.0.0.1, served by its own event loop in a daemon thread."""

    def __init__(self) -> None:
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._runner: Optional[web.AppRunner] = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _app(self) -> web.Application:
        raise NotImplementedError

    def start(self, port: int = 0) -> "LoopbackApp":
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        self.port = sock.getsockname()[1]
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        async def serve() -> None:
            self._runner = web.AppRunner(self._app(), access_log=None)
            await self._runner.setup()
            await web.SockSite(self._runner, sock).start()
            ready.set()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(serve())
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name=type(self).__name__, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
        self._loop = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()


class FakeWeChat(LoopbackApp):
    """Start with `start()` (or `with FakeWeChat() as fake:`); `url` is the api_base to configure."""

    def __init__(self, appid: str = APPID, secret: str = SECRET, expires_in: int = 7200) -> None:
        self.appid, self.secret, self.expires_in = appid, secret, expires_in
        self.sent: list[Sent] = []
        self.errors: list[tuple[str, int]] = []  # (call, errcode) of every refusal
        self.token_requests = 0
        self._tokens: dict[str, float] = {}  # token -> wall-clock expiry
        self._invalid: set[str] = set()
        self._cond = threading.Condition()
        super().__init__()

    # ---- control, from the test's thread ---------------------------------------------------

    def expire_tokens(self) -> None:
        """Every token issued so far is now expired: the next call with one gets 42001."""
        with self._cond:
            for token in self._tokens:
                self._tokens[token] = 0.0

    def invalidate_tokens(self) -> None:
        """Every token issued so far is now invalid (as after a fetch elsewhere): 40001."""
        with self._cond:
            self._invalid.update(self._tokens)

    def messages_to(self, openid: str) -> list[str]:
        with self._cond:
            return [s.content for s in self.sent if s.touser == openid]

    def wait_for(self, openid: str, count: int, timeout: float = 30.0) -> list[Sent]:
        """Block until `openid` has received at least `count` texts; return all of them."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [s for s in self.sent if s.touser == openid]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{openid} received {len(got)} of {count} messages in {timeout} s")
                self._cond.wait(left)

    # ---- the API -----------------------------------------------------------------------------

    def _error(self, call: str, errcode: int, errmsg: str) -> web.Response:
        with self._cond:
            self.errors.append((call, errcode))
        return web.json_response({"errcode": errcode, "errmsg": errmsg})

    async def _token(self, request: web.Request) -> web.Response:
        q = request.query
        if q.get("grant_type") != "client_credential":
            return self._error("token", 40002, "invalid grant_type")
        if q.get("appid") != self.appid:
            return self._error("token", 40013, "invalid appid")
        if q.get("secret") != self.secret:
            return self._error("token", 40125, "invalid appsecret")
        token = secrets.token_urlsafe(24)
        with self._cond:
            self.token_requests += 1
            self._tokens[token] = time.time() + self.expires_in
        return web.json_response({"access_token": token, "expires_in": self.expires_in})

    def _check_token(self, token: Optional[str]) -> Optional[tuple[int, str]]:
        with self._cond:
            if not token:
                return 41001, "access_token missing"
            if token not in self._tokens or token in self._invalid:
                return 40001, "invalid credential, access_token is invalid or not latest"
            if self._tokens[token] <= time.time():
                return 42001, "access_token expired"
        return None

    async def _send(self, request: web.Request) -> web.Response:
        token = request.query.get("access_token")
        refused = self._check_token(token)
        if refused:
            return self._error("send", *refused)
        raw = await request.read()
        if not raw:
            return self._error("send", 44002, "empty post data")
        try:
            body: Any = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._error("send", 47001, "data format error")
        if not isinstance(body, dict) or not isinstance(body.get("touser"), str) or not body["touser"]:
            return self._error("send", 40003, "invalid openid")
        if body.get("msgtype") != "text":
            return self._error("send", 40008, "invalid message type")
        content = (body.get("text") or {}).get("content") if isinstance(body.get("text"), dict) else None
        if not isinstance(content, str) or not content:
            return self._error("send", 44003, "empty news data")
        if len(content.encode("utf-8")) > MAX_CONTENT_BYTES:
            return self._error("send", 45002, "content size out of limit")
        with self._cond:
            self.sent.append(Sent(body["touser"], content, str(token)))
            self._cond.notify_all()
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._send)
        return app

    def start(self, port: int = 0) -> "FakeWeChat":
        super().start(port)
        return self

    def __enter__(self) -> "FakeWeChat":
        return self.start()


if __name__ == "__main__":  # pragma: no cover - for trying the channel by hand with `make run`
    import argparse

    parser = argparse.ArgumentParser(description="fake WeChat API on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    args = parser.parse_args()
    fake = FakeWeChat().start(args.port)
    print(f"fake WeChat API on {fake.url} (appid {APPID}, secret {SECRET}); Ctrl-C to stop", flush=True)
    seen = 0
    try:
        while True:
            time.sleep(0.5)
            for s in fake.sent[seen:]:
                print(f"--> {s.touser}\n{s.content}\n", flush=True)
            seen = len(fake.sent)
    except KeyboardInterrupt:
        fake.stop()
