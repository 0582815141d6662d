"""A WeChat user files a case through the real stack; WeChat itself is a fake on 127.0.0.1.

Rasa, the action server and the court backend run as processes (one extra stack for this file,
configured in safe mode against the fake WeChat API). Messages are posted to the webhook as
WeChat's servers post them — signed, AES-encrypted, retried — and what the user receives is read
from the fake server's customer-service log. The court backend sits behind a small proxy that
can be made slow, to show that a turn longer than WeChat's 5 seconds is still answered.
"""
from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Iterator, Optional

import aiohttp
import pytest
import requests
from aiohttp import web

import deploy.stack
from deploy.stack import MODEL, Ports, Stack
from tests.channels.fake_wechat import APPID, SECRET, FakeWeChat, LoopbackApp
from tests.channels.wechat_user import encrypted, event_xml, new_aes_key, new_openid, next_msg_id, text_xml

pytestmark = pytest.mark.e2e

TOKEN = "e2e-wechat-token"
ID_NUMBER = "11010519491231002X"
PHONE = "13800138000"
QUIET = 0.8  # a turn's pieces go out back to back: this long without a new one ends the turn


class SlowProxy(LoopbackApp):
    """Forwards everything to the court backend, after `delay` seconds when asked to."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target, self.delay, self.delayed = target.rstrip("/"), 0.0, 0

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        return app

    async def _forward(self, request: web.Request) -> web.Response:
        if self.delay:
            self.delayed += 1
            await asyncio.sleep(self.delay)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        try:
            async with aiohttp.ClientSession(auto_decompress=False) as http:
                async with http.request(request.method, self.target + request.path_qs, headers=headers,
                                        data=await request.read()) as resp:
                    body = await resp.read()
                    keep = {k: v for k, v in resp.headers.items()
                            if k.lower() not in ("content-length", "transfer-encoding", "connection")}
                    return web.Response(status=resp.status, body=body, headers=keep)
        except aiohttp.ClientError:  # the backend is still starting
            return web.Response(status=502)


class ProxiedStack(Stack):
    """deploy.stack's Stack, with the action server reaching the backend through `court_api_url`."""

    court_api_url: ClassVar[str] = ""

    @property
    def backend_url(self) -> str:
        return self.court_api_url or f"http://127.0.0.1:{self.ports.backend}"


@dataclass
class WeChatWorld:
    stack: Stack
    fake: FakeWeChat
    proxy: SlowProxy
    aes_key: str

    @property
    def webhook(self) -> str:
        return f"{self.stack.rasa_url}/webhooks/wechat/webhook"

    def db(self, sql: str, *args) -> list[tuple]:
        with sqlite3.connect(Path(self.stack.var_dir) / "court.db") as conn:
            return conn.execute(sql, args).fetchall()

    def user_events(self, openid: str) -> list[str]:
        """The user's messages in their conversation, which is `wx:<openid>` (bot/channels/senders.py)."""
        resp = requests.get(f"{self.stack.rasa_url}/conversations/wx:{openid}/tracker",
                            params={"token": self.stack.api_token}, timeout=30)
        resp.raise_for_status()
        return [e.get("text") for e in resp.json().get("events", []) if e.get("event") == "user"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WeChatWorld]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    aes_key = new_aes_key()
    ports = Ports.free()
    with FakeWeChat() as fake, SlowProxy(f"http://127.0.0.1:{ports.backend}") as proxy, \
            pytest.MonkeyPatch.context() as patch:
        env = {"WECHAT_TOKEN": TOKEN, "WECHAT_APPID": APPID, "WECHAT_SECRET": SECRET,
               "WECHAT_ENCODING_AES_KEY": aes_key, "WECHAT_API_BASE": fake.url}
        # start_stack builds a deploy.stack.Stack: for this stack, one that goes through the proxy.
        patch.setattr(deploy.stack, "Stack", type("ProxiedStack", (ProxiedStack,), {"court_api_url": proxy.url}))
        stack = deploy.stack.start_stack(ports, tmp_path_factory.mktemp("wechat-stack"), rasa_env=env)
        patch.undo()
        try:
            yield WeChatWorld(stack, fake, proxy, aes_key)
        finally:
            stack.stop()


class WeChatUser:
    """One follower of the Official Account, as WeChat's servers relay them to the webhook."""

    def __init__(self, world: WeChatWorld) -> None:
        self.world, self.openid = world, new_openid()
        self.transcript: list[tuple[str, str]] = []

    def post(self, xml: str, **spoil: str) -> requests.Response:
        params, body = encrypted(TOKEN, self.world.aes_key, APPID, xml)
        return requests.post(self.world.webhook, params={**params, **spoil}, data=body.encode("utf-8"),
                             headers={"Content-Type": "text/xml"}, timeout=30)

    def received(self) -> list[str]:
        return self.world.fake.messages_to(self.openid)

    def wait_for_turn(self, before: int, timeout: float = 60.0) -> str:
        """Everything sent after the first `before` messages, once the turn has gone quiet."""
        self.world.fake.wait_for(self.openid, before + 1, timeout)
        while True:
            count = len(self.received())
            time.sleep(QUIET)
            if len(self.received()) == count:
                return "\n".join(self.received()[before:])

    def send(self, xml: str, label: str) -> str:
        before = len(self.received())
        resp = self.post(xml)
        assert (resp.status_code, resp.text) == (200, "success")
        reply = self.wait_for_turn(before)
        self.transcript.append((label, reply))
        print(f"> {label}\n{reply}\n", flush=True)  # shown by pytest when a test fails
        return reply

    def say(self, text: str, msg_id: Optional[int] = None) -> str:
        return self.send(text_xml(self.openid, text, msg_id), text)

    def subscribe(self) -> str:
        return self.send(event_xml(self.openid, "subscribe"), "<subscribe>")


def sms_code(world: WeChatWorld) -> str:
    rows = world.db("SELECT text FROM sms_outbox WHERE phone = ? ORDER BY id DESC LIMIT 1", PHONE)
    assert rows, "no SMS code was sent"
    return re.search(r"\d{6}", rows[0][0]).group(0)


def test_from_subscribe_to_a_filed_case(world):
    user = WeChatUser(world)
    greeting = user.subscribe()
    assert "您好" in greeting and greeting.endswith("回复数字选择：\n1. 我要立案\n2. 查询进度")

    case_types = user.say("1")  # 我要立案
    assert "案由" in case_types and "回复数字选择：\n1. 民间借贷纠纷\n2. 买卖合同纠纷" in case_types
    assert "实名认证" in user.say("１")  # full-width 1: 民间借贷纠纷

    # WeChat expires the access token mid-conversation: the channel renews it and goes on.
    tokens_before, errors_before = world.fake.token_requests, len(world.fake.errors)
    world.fake.expire_tokens()
    assert "身份证" in user.say("张三")
    assert world.fake.token_requests == tokens_before + 1
    assert world.fake.errors[errors_before:] == [("send", 42001)]

    assert "手机" in user.say(ID_NUMBER)
    assert "验证码" in user.say(PHONE)
    verified = user.say(sms_code(world))
    assert "认证成功" in verified and "1. 是，我本人是原告" in verified
    assert "民族" in user.say("1")
    assert "住所地" in user.say("汉族，教师")
    assert "1. 还有\n2. 没有了" in user.say("北京市朝阳区建国路88号")
    assert "被告" in user.say("2")
    assert "法定代表人" in user.say("北京某某科技有限公司")
    user.say("不清楚")
    user.say("北京市朝阳区朝阳北路1号")
    courts = user.say("没有了")
    assert "第二十四条" in courts
    court_options = dict((title, n) for n, title in re.findall(r"^(\d+)\. (.+)$", courts, re.M))
    assert "证据" not in user.say(court_options["北京市朝阳区人民法院"])  # → the claims question
    assert "证据" in user.say("判令被告归还借款伍万元")
    assert "事实与理由" in user.say("借条、转账记录")
    user.say("2023年3月被告向我借款5万元，约定半年归还，至今一分未还。")
    user.say("不同意")
    summary = user.say("不同意")
    assert "50,000.00元" in summary and "北京市朝阳区人民法院" in summary
    assert ID_NUMBER not in summary
    options = re.findall(r"^(\d+)\. (.+)$", summary, re.M)
    confirm = next(n for n, title in options if title == "确认提交")

    # The backend now takes 6 s to answer: the webhook still says "success" at once, and the
    # filing number arrives later through the customer-service API.
    before = len(user.received())
    world.proxy.delay = 6.0
    try:
        posted = time.monotonic()
        resp = user.post(text_xml(user.openid, confirm))
        answered = time.monotonic()
        assert (resp.status_code, resp.text) == (200, "success")
        assert answered - posted < 1.0, "the webhook must answer well within WeChat's 5 seconds"
        sent = world.fake.wait_for(user.openid, before + 1, timeout=60)
    finally:
        world.proxy.delay = 0.0
    assert world.proxy.delayed >= 1
    assert sent[before].at - posted > 5.0
    done = "\n".join(s.content for s in sent[before:])
    number = re.search(r"LA\d{14}", done).group(0)
    assert "七日内" in done

    filing = world.db("SELECT status, case_type, court_code, amount, conversation_id, channel "
                      "FROM filings WHERE number = ?", number)
    assert filing == [("pending_review", "民间借贷纠纷", "京0105", 5000000, f"wx:{user.openid}", "wechat")]
    parties = world.db("SELECT p.role, p.name, p.id_number, p.phone FROM parties p JOIN filings f "
                       "ON f.id = p.filing_id WHERE f.number = ? ORDER BY position", number)
    assert parties == [("plaintiff", "张三", ID_NUMBER, PHONE), ("defendant", "北京某某科技有限公司", None, None)]
    # Rasa saw the chosen buttons' payloads, never the bare numbers.
    events = world.user_events(user.openid)
    assert events[:3] == ["/greet", "/file_case", '/inform{"case_type":"民间借贷纠纷"}'] and "/affirm" in events
    assert events[-1] == "/affirm"  # 确认提交 (issue 14: every button carries its intent)
    assert all(len(m.encode("utf-8")) <= 2048 for m in user.received())


def test_forged_signatures_are_refused_and_nothing_reaches_rasa(world):
    user = WeChatUser(world)
    assert user.post(text_xml(user.openid, "我要立案"), signature="0" * 40).status_code == 403
    assert user.post(text_xml(user.openid, "我要立案"), msg_signature="0" * 40).status_code == 403
    params, _ = encrypted(TOKEN, world.aes_key, APPID, "<xml/>")
    forged_echo = requests.get(world.webhook, params={**params, "signature": "f" * 40, "echostr": "abc"}, timeout=10)
    assert forged_echo.status_code == 403
    echo = requests.get(world.webhook, params={**params, "echostr": "abc"}, timeout=10)
    assert (echo.status_code, echo.text) == (200, "abc")
    time.sleep(2)
    assert user.received() == []
    assert world.user_events(user.openid) == []


def test_three_retries_of_one_message_get_one_answer(world):
    user = WeChatUser(world)
    msg_id = next_msg_id()
    for _ in range(3):  # WeChat signs and encrypts each retry anew, with the same MsgId
        resp = user.post(text_xml(user.openid, "你好", msg_id))
        assert (resp.status_code, resp.text) == (200, "success")
    reply = user.wait_for_turn(0)
    assert "您好" in reply
    time.sleep(2)
    assert len(user.received()) == 1
    assert world.user_events(user.openid) == ["你好"]


ZHOU = {"name": "周八", "id_number": "110101199003070011", "phone": "13500135000"}


def test_court_notices_reach_the_wechat_user_through_rasa(world):
    """电子送达 to a WeChat user: the clerk dockets, the litigant pays; the court backend posts each
    notice to Rasa with output_channel=latest, and Rasa sends it through the WeChat channel's
    output to the customer-service API — the user receives it without writing first."""
    import os
    import subprocess

    from deploy.stack import COURT_PYTHON, ROOT

    user = WeChatUser(world)
    assert "您好" in user.say("你好")  # the conversation's latest input channel is now wechat
    api = world.stack.backend_url + "/api/v1"
    verify = requests.post(f"{api}/identity/verify", json=ZHOU, timeout=10)
    assert verify.status_code == 202, verify.text
    code = re.search(r"\d{6}", world.db("SELECT text FROM sms_outbox WHERE phone = ? ORDER BY id DESC LIMIT 1",
                                        ZHOU["phone"])[0][0]).group(0)
    # As the action server confirms it: the token is bound to the WeChat conversation (issue 9).
    token = requests.post(f"{api}/identity/confirm", json={"challenge_id": verify.json()["challenge_id"], "code": code,
                                                            "conversation_id": f"wx:{user.openid}", "channel": "wechat"},
                          timeout=10).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    start = len(user.received())
    filing = requests.post(f"{api}/filings", headers=auth, timeout=10, json={  # as the action server files it
        "case_type": "民间借贷纠纷", "court_code": "京0105",
        "parties": [{"role": "plaintiff", "kind": "person", **ZHOU},
                    {"role": "defendant", "kind": "organisation", "name": "北京某某科技有限公司",
                     "address": "北京市朝阳区朝阳北路1号"}],
        "claims": [{"text": "判令被告归还借款5万元", "amount": "50000"}],
        "facts": "2023年3月被告向原告借款5万元，至今未还。", "channel": "wechat",
        "conversation_id": f"wx:{user.openid}"})
    assert filing.status_code == 201, filing.text
    # The 起诉状 is rendered after the answer; its link reaches the WeChat user like a notice.
    link = world.fake.wait_for(user.openid, start + 1, timeout=60)[start].content
    assert filing.json()["id"] in link and "民事起诉状" in link and "/download?" in link

    subprocess.run([str(COURT_PYTHON), "-m", "court", "create-staff", "--username", "clerk-wechat", "--name", "书记员",
                    "--role", "clerk", "--court", "京0105", "--password-stdin"], input="Clerk-pass-2026\n", text=True,
                   cwd=ROOT, env={**os.environ, "COURT_DATABASE_URL": world.stack.database_url, "COURT_DEV_MODE": "1"}, check=True,
                   capture_output=True)
    staff = requests.post(f"{api}/staff/session", json={"username": "clerk-wechat", "password": "Clerk-pass-2026"},
                          timeout=10).json()["token"]
    before = len(user.received())
    accepted = requests.post(f"{api}/staff/filings/{filing.json()['id']}/review", json={"decision": "accept"},
                             headers={"Authorization": f"Bearer {staff}"}, timeout=10)
    assert accepted.status_code == 200, accepted.text
    case = accepted.json()["case"]

    docketed, fee = (s.content for s in world.fake.wait_for(user.openid, before + 2, timeout=60)[before:before + 2])
    assert docketed.startswith("【立案通知】") and case["case_number"] in docketed
    assert fee.startswith("【交纳诉讼费用通知】") and "案件受理费1,050.00元" in fee and "第二十二条" in fee
    assert fee.endswith("您可以回复“缴费”在线缴纳。")

    order = requests.post(f"{api}/payments", json={"fee_notice_id": case["fee_notices"][0]["id"]}, headers=auth,
                          timeout=10)
    assert order.status_code == 201, order.text
    assert requests.post(f"{world.stack.backend_url}/dev/pay/{order.json()['order_no']}", timeout=10).status_code == 200
    paid = world.fake.wait_for(user.openid, before + 3, timeout=60)[before + 2].content
    assert paid.startswith(f"【缴费确认】收到您缴纳的诉讼费1,050.00元，订单号{order.json()['order_no']}，谢谢。")
    deadline = time.monotonic() + 15  # Rasa answers the backend after WeChat has the message
    while (rows := world.db("SELECT kind, status FROM conversation_deliveries WHERE conversation_id = ? "
                            "ORDER BY id", f"wx:{user.openid}")) != [("complaint_ready", "sent"), ("docketed", "sent"),
                                                           ("fee_notice_issued", "sent"), ("fee_paid", "sent")]:
        assert time.monotonic() < deadline, rows
        time.sleep(0.3)
    time.sleep(2)
    assert len(user.received()) == before + 3  # each once
    assert all(len(m.encode("utf-8")) <= 2048 for m in user.received())
