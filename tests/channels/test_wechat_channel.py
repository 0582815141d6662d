"""The webhook as WeChat's servers use it: signatures, XML, retries, numbers for buttons, safe mode.

The channel runs in a real Sanic app mounted by Rasa's own `register`; the bot behind it is a stub
that records what reached it, and replies go out through the fake WeChat API server.
"""
from __future__ import annotations

import asyncio
import hashlib

import pytest
from rasa.shared.exceptions import RasaException

from bot.texts import QUESTIONS, inform
from bot.channels.wechat import FAILED, GREET, UNSUPPORTED, WeChatInput, WeChatSettings, signature
from tests.channels.conftest import TOKEN, Webhook
from tests.channels.fake_wechat import APPID, SECRET
from tests.channels.wechat_user import (encrypted, event_xml, image_xml, new_aes_key, new_openid, next_msg_id,
                                        sign, signed_params, text_xml)

GREETING = {"text": "您好！请问有什么可以帮您？",
            "buttons": [{"title": "我要立案", "payload": "/file_case"}, {"title": "查询进度", "payload": "/query_status"}]}


async def say(webhook: Webhook, openid: str, text: str, msg_id: int | None = None) -> list[str]:
    """Post one text as WeChat would, wait for the turn, return what the user received so far."""
    status, body, _ = await webhook.post(signed_params(TOKEN), text_xml(openid, text, msg_id))
    assert (status, body) == (200, "success")
    await webhook.channel.drain()
    return webhook.fake.messages_to(openid)


# ---- URL verification and signatures ---------------------------------------------------------

async def test_health(webhook):
    assert await webhook.get({}, "/webhooks/wechat/") == (200, '{"status":"ok"}')


async def test_url_verification_echoes_echostr(webhook):
    assert await webhook.get(signed_params(TOKEN, echostr="1234567890abc")) == (200, "1234567890abc")


@pytest.mark.parametrize("spoil", ["signature", "timestamp", "nonce"])
async def test_url_verification_with_a_forged_signature_is_refused(webhook, spoil):
    params = signed_params(TOKEN, echostr="1234567890abc")
    params[spoil] = params[spoil][:-1] + ("0" if params[spoil][-1] != "0" else "1")
    assert (await webhook.get(params))[0] == 403
    assert (await webhook.get({"echostr": "x"}))[0] == 403


def test_signature_is_sha1_of_the_sorted_parts():
    expected = hashlib.sha1(b"1700000000noncetoken").hexdigest()
    assert sign("token", "1700000000", "nonce") == signature("token", "1700000000", "nonce") == expected


@pytest.mark.parametrize("params", [
    {},
    {"signature": "0" * 40, "timestamp": "1700000000", "nonce": "abc"},
    signed_params("another-accounts-token"),
])
async def test_a_post_with_a_forged_signature_is_refused_and_nothing_happens(webhook, bot, fake, params):
    openid = new_openid()
    status, _, _ = await webhook.post(params, text_xml(openid, "我要立案"))
    assert status == 403
    await webhook.channel.drain()
    assert bot.received == [] and fake.sent == [] and fake.token_requests == 0
    # the same message, correctly signed, is then processed: nothing was marked as seen
    assert await say(webhook, openid, "我要立案") == ["收到：我要立案"]


async def test_malformed_xml_with_a_good_signature_is_a_bad_request(webhook, bot):
    for body in ["not xml", "<xml><FromUserName>o</FromUserName></xml>", "", "<xml><!-- 未闭合"]:
        status, _, _ = await webhook.post(signed_params(TOKEN), body)
        assert status == 400
    async with webhook._http.post(webhook.url, params=signed_params(TOKEN), data=b"\xff\xfe<xml>") as resp:
        assert resp.status == 400
    assert bot.received == []


# ---- messages ----------------------------------------------------------------------------------

async def test_a_text_reaches_rasa_as_the_users_openid_on_the_wechat_channel(webhook, bot):
    """The conversation id is the OpenID in WeChat's namespace (wx:…), never the bare OpenID."""
    openid, msg_id = new_openid(), next_msg_id()
    assert await say(webhook, openid, "我要立案", msg_id) == ["收到：我要立案"]
    [message] = bot.received
    assert (message.text, message.sender_id, message.input_channel, message.message_id) == (
        "我要立案", f"wx:{openid}", "wechat", str(msg_id))
    assert message.metadata == {"wechat": {"msg_type": "text", "to": "gh_0123456789ab"}}


async def test_subscribing_greets_the_user(webhook, bot, fake):
    bot.replies = lambda text: [GREETING] if text == GREET else []
    openid = new_openid()
    status, body, _ = await webhook.post(signed_params(TOKEN), event_xml(openid, "subscribe"))
    assert (status, body) == (200, "success")
    await webhook.channel.drain()
    assert bot.texts == [GREET]
    assert fake.messages_to(openid) == ["您好！请问有什么可以帮您？\n\n回复数字选择：\n1. 我要立案\n2. 查询进度"]


async def test_unsubscribing_and_other_events_are_acknowledged_silently(webhook, bot, fake):
    openid = new_openid()
    for event in ("unsubscribe", "VIEW", "view_miniprogram"):  # the last one wechatpy does not know
        status, body, _ = await webhook.post(signed_params(TOKEN), event_xml(openid, event))
        assert (status, body) == (200, "success")
    await webhook.channel.drain()
    assert bot.received == [] and fake.sent == []


async def test_a_voice_message_with_wechats_transcript_is_read_as_text(webhook, bot, fake):
    openid = new_openid()
    xml = (f"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[{openid}]]>"
           f"</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[voice]]></MsgType>"
           f"<MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format>"
           f"<Recognition><![CDATA[我要立案]]></Recognition><MsgId>{next_msg_id()}</MsgId></xml>")
    assert (await webhook.post(signed_params(TOKEN), xml))[0] == 200
    await webhook.channel.drain()
    assert bot.texts == ["我要立案"] and fake.messages_to(openid) == ["收到：我要立案"]


async def test_a_picture_gets_a_polite_note_and_does_not_reach_rasa(webhook, bot, fake):
    openid = new_openid()
    status, _, _ = await webhook.post(signed_params(TOKEN), image_xml(openid))
    assert status == 200
    await webhook.channel.drain()
    assert bot.received == [] and fake.messages_to(openid) == [UNSUPPORTED]


# ---- numbers for buttons -------------------------------------------------------------------------

def filing_bot(text: str) -> list[dict]:
    if text in ("/file_case", "我要立案"):
        return [QUESTIONS["case_type"].kwargs()]
    if text in ("民间借贷纠纷", inform("case_type", "民间借贷纠纷")):
        return [QUESTIONS["court"].kwargs()]
    return [GREETING]


@pytest.mark.parametrize("number", ["1", "１", "一", "1.", "第一个"])
async def test_a_number_reply_chooses_that_button(webhook, bot, number):
    bot.replies = filing_bot
    openid = new_openid()
    shown = await say(webhook, openid, "你好")
    assert shown[-1].endswith("回复数字选择：\n1. 我要立案\n2. 查询进度")
    shown = await say(webhook, openid, number)
    assert "回复数字选择：\n1. 民间借贷纠纷\n2. 买卖合同纠纷\n3. 房屋租赁合同纠纷" in shown[-1]
    await say(webhook, openid, number)
    assert bot.texts == ["你好", "/file_case", '/inform{"case_type":"民间借贷纠纷"}']


async def test_numbers_are_passed_on_unchanged_when_they_choose_nothing(webhook, bot):
    bot.replies = filing_bot
    openid = new_openid()
    await say(webhook, openid, "1")  # no options shown yet
    await say(webhook, openid, "7")  # two options shown: out of range
    await say(webhook, openid, "2")  # chooses 查询进度
    await say(webhook, openid, "我要立案")
    await say(webhook, openid, "1")  # 民间借贷纠纷 (the options are the latest turn's)
    await say(webhook, openid, "1")  # the court question has no options: a plain "1"
    assert bot.texts == ["1", "7", "/query_status", "我要立案", '/inform{"case_type":"民间借贷纠纷"}', "1"]


async def test_options_are_per_user(webhook, bot):
    bot.replies = filing_bot
    alice, bob = new_openid(), new_openid()
    await say(webhook, alice, "你好")
    await say(webhook, bob, "1")
    assert bot.texts == ["你好", "1"]


# ---- retries, timing, order, failures ----------------------------------------------------------------

async def test_three_deliveries_of_one_msgid_are_one_turn_with_one_answer(webhook, bot, fake):
    bot.delay = 0.3  # the retries arrive while the first delivery is still being processed
    openid, msg_id = new_openid(), next_msg_id()
    for _ in range(3):  # each retry is signed anew, as WeChat does
        status, body, _ = await webhook.post(signed_params(TOKEN), text_xml(openid, "查询进度", msg_id))
        assert (status, body) == (200, "success")
    await webhook.channel.drain()
    assert bot.texts == ["查询进度"] and fake.messages_to(openid) == ["收到：查询进度"]
    # another message with the same text but its own MsgId is a new turn
    await say(webhook, openid, "查询进度")
    assert bot.texts == ["查询进度", "查询进度"]


async def test_repeated_event_deliveries_are_one_greeting(webhook, bot, fake):
    bot.replies = lambda text: [GREETING]
    openid = new_openid()
    for _ in range(3):
        await webhook.post(signed_params(TOKEN), event_xml(openid, "subscribe", create_time=1700000000))
    await webhook.channel.drain()
    assert bot.texts == [GREET] and len(fake.messages_to(openid)) == 1


async def test_the_webhook_answers_at_once_even_when_the_turn_is_slow(webhook, bot, fake):
    bot.delay = 1.5
    openid = new_openid()
    status, body, elapsed = await webhook.post(signed_params(TOKEN), text_xml(openid, "慢一点"))
    assert (status, body) == (200, "success") and elapsed < 0.5
    assert fake.messages_to(openid) == []
    await webhook.channel.drain()
    assert fake.messages_to(openid) == ["收到：慢一点"]


async def test_one_users_turns_run_in_order(webhook, bot, fake):
    bot.delays = {"第一句": 0.5}
    openid = new_openid()
    await webhook.post(signed_params(TOKEN), text_xml(openid, "第一句"))
    await webhook.post(signed_params(TOKEN), text_xml(openid, "第二句"))
    await webhook.channel.drain()
    assert bot.texts == ["第一句", "第二句"]
    assert fake.messages_to(openid) == ["收到：第一句", "收到：第二句"]


async def test_other_users_do_not_wait_for_a_slow_turn(webhook, bot, fake):
    bot.delays = {"慢": 1.0}
    slow, quick = new_openid(), new_openid()
    await webhook.post(signed_params(TOKEN), text_xml(slow, "慢"))
    await webhook.post(signed_params(TOKEN), text_xml(quick, "快"))
    await asyncio.sleep(0.5)
    assert fake.messages_to(quick) == ["收到：快"] and fake.messages_to(slow) == []
    await webhook.channel.drain()
    assert fake.messages_to(slow) == ["收到：慢"]


async def test_a_failed_turn_gets_an_apology(webhook, bot, fake):
    bot.fail = True
    openid = new_openid()
    assert await say(webhook, openid, "你好") == [FAILED]


async def test_a_long_answer_arrives_in_pieces_under_2048_bytes_in_order(webhook, bot, fake):
    paragraphs = [f"第{i}段：" + "依照《民事诉讼法》的规定，当事人应当提供证据。" * 8 for i in range(12)]
    bot.replies = lambda text: [{"text": p} for p in paragraphs]
    openid = new_openid()
    received = await say(webhook, openid, "立案需要什么材料")
    assert len(received) > 1 and all(len(r.encode("utf-8")) <= 2048 for r in received)
    assert "\n\n".join(received).replace("\n\n", "\n") == "\n".join(paragraphs)
    assert not [e for e in fake.errors if e[1] == 45002]


async def test_an_expired_token_is_renewed_between_turns(webhook, bot, fake):
    openid = new_openid()
    await say(webhook, openid, "第一句")
    fake.expire_tokens()
    assert await say(webhook, openid, "第二句") == ["收到：第一句", "收到：第二句"]
    assert fake.token_requests == 2 and fake.errors == [("send", 42001)]


# ---- safe mode (安全模式) ----------------------------------------------------------------------------

@pytest.fixture
def aes_key() -> str:
    return new_aes_key()


@pytest.fixture
async def safe_webhook(fake, bot, aes_key, replay_store):
    hook = await Webhook(WeChatInput(WeChatSettings(TOKEN, APPID, SECRET, aes_key, fake.url, replay_store)), bot, fake).start()
    yield hook
    await hook.stop()


async def test_safe_mode_round_trip(safe_webhook, bot, fake, aes_key):
    openid = new_openid()
    params, body = encrypted(TOKEN, aes_key, APPID, text_xml(openid, "我要立案"))
    assert "我要立案" not in body
    status, answer, _ = await safe_webhook.post(params, body)
    assert (status, answer) == (200, "success")
    await safe_webhook.channel.drain()
    assert [(m.text, m.sender_id) for m in bot.received] == [("我要立案", f"wx:{openid}")]
    assert fake.messages_to(openid) == ["收到：我要立案"]


async def test_safe_mode_refuses_bad_msg_signature_other_appid_and_plain_bodies(safe_webhook, bot, aes_key):
    openid = new_openid()
    params, body = encrypted(TOKEN, aes_key, APPID, text_xml(openid, "一"))
    assert (await safe_webhook.post({**params, "msg_signature": "0" * 40}, body))[0] == 403
    params, body = encrypted(TOKEN, aes_key, "wx-someone-else", text_xml(openid, "二"))
    assert (await safe_webhook.post(params, body))[0] == 403
    assert (await safe_webhook.post(signed_params(TOKEN), text_xml(openid, "三")))[0] == 403
    params, body = encrypted(TOKEN, aes_key, APPID, text_xml(openid, "四"))
    assert (await safe_webhook.post({**params, "signature": "0" * 40}, body))[0] == 403
    await safe_webhook.channel.drain()
    assert bot.received == []


async def test_safe_mode_garbage_ciphertext_is_a_bad_request(safe_webhook, bot):
    params = signed_params(TOKEN, encrypt_type="aes")
    body = "<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[bm90IGEgY2lwaGVydGV4dA==]]></Encrypt></xml>"
    params["msg_signature"] = signature(TOKEN, params["timestamp"], params["nonce"], "bm90IGEgY2lwaGVydGV4dA==")
    assert (await safe_webhook.post(params, body))[0] == 400
    assert bot.received == []


async def test_safe_mode_url_verification_still_echoes(safe_webhook):
    assert await safe_webhook.get(signed_params(TOKEN, echostr="echo-me")) == (200, "echo-me")


# ---- configuration -------------------------------------------------------------------------------

CREDENTIALS = {"appid": "wx1", "encoding_aes_key": "", "api_base": "http://127.0.0.1:1"}
SECRETS_ENV = {"WECHAT_TOKEN": "t", "WECHAT_SECRET": "s"}


def test_from_credentials_reads_credentials_yml_values(monkeypatch, replay_store):
    for var, value in {**SECRETS_ENV, "WECHAT_REPLAY_STORE": replay_store}.items():
        monkeypatch.setenv(var, value)
    channel = WeChatInput.from_credentials(dict(CREDENTIALS))
    assert WeChatInput.name() == "wechat" and channel.url_prefix() == "wechat"
    assert channel.settings == WeChatSettings("t", "wx1", "s", None, "http://127.0.0.1:1", replay_store)
    assert channel.crypto is None


def test_environment_overrides_credentials(aes_key):
    env = {"WECHAT_TOKEN": "env-t", "WECHAT_SECRET": "env-s", "WECHAT_ENCODING_AES_KEY": aes_key,
           "WECHAT_API_BASE": "http://127.0.0.1:2"}
    settings = WeChatSettings.load(CREDENTIALS, env)
    assert settings == WeChatSettings("env-t", "wx1", "env-s", aes_key, "http://127.0.0.1:2")
    assert WeChatSettings.load({"appid": "a"}, SECRETS_ENV).api_base == "https://api.weixin.qq.com"


def test_token_and_secret_in_credentials_yml_are_ignored():
    """Secrets come from the environment only: a token written in the repository opens nothing."""
    settings = WeChatSettings.load({**CREDENTIALS, "token": "in-the-repo", "secret": "in-the-repo"}, {})
    assert settings.token != "in-the-repo" and settings.secret != "in-the-repo"
    assert len(settings.token) >= 32 and settings.token != WeChatSettings.load(CREDENTIALS, {}).token


@pytest.mark.parametrize("credentials", [
    {"api_base": "http://127.0.0.1:1"},
    {**CREDENTIALS, "encoding_aes_key": "too-short"},
    {**CREDENTIALS, "encoding_aes_key": "!" * 43},
])
def test_incomplete_or_wrong_credentials_stop_rasa_at_start(credentials):
    with pytest.raises(RasaException):
        WeChatSettings.load(credentials, SECRETS_ENV)


def test_no_credentials_at_all_is_refused():
    with pytest.raises(RasaException):
        WeChatInput.from_credentials(None)


def test_credentials_yml_registers_the_channel(monkeypatch, replay_store):
    """As `rasa run --credentials credentials.yml` loads it: the key is the class's dotted path."""
    from rasa.shared.utils.common import class_from_module_path
    from rasa.shared.utils.io import read_config_file
    for var in ("WECHAT_TOKEN", "WECHAT_APPID", "WECHAT_SECRET", "WECHAT_ENCODING_AES_KEY", "WECHAT_API_BASE",
                "COURT_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("WECHAT_REPLAY_STORE", replay_store)
    key = "bot.channels.wechat.WeChatInput"
    credentials = read_config_file("credentials.yml")
    assert class_from_module_path(key) is WeChatInput
    channel = WeChatInput.from_credentials(credentials[key])
    assert channel.settings.api_base == "https://api.weixin.qq.com" and channel.crypto is None
