"""Court notices pushed into a WeChat conversation: the court backend appends a `bot` event through
Rasa's HTTP API with `output_channel=latest`; Rasa's own server picks the WeChat channel's output
and the message reaches the fake WeChat API as a customer-service text.

Rasa here is `rasa.server.create_app` with the channel registered as `rasa run` does it; only the
message processor is a stub (no trained model), see tests/channels/rasa_server.py.
"""
from __future__ import annotations

from typing import AsyncIterator

import aiohttp
import pytest

from bot.channels.wechat import WeChatInput, WeChatOutput, WeChatSettings
from bot.channels.wechat_text import MAX_CONTENT_BYTES
from tests.channels.conftest import TOKEN
from tests.channels.fake_wechat import APPID
from tests.channels.rasa_server import RasaServer
from tests.channels.wechat_user import new_openid, signed_params, text_xml

FEE_NOTICE = ("【交纳诉讼费用通知】您的案件已由北京市朝阳区人民法院立案，案号为（2026）京0105民初1号。"
              "请您预交本案的案件受理费1,050.00元。依照《诉讼费用交纳办法》第二十二条，案件受理费应当自收到本通知次日起"
              "七日内预交，请您于2026年3月8日24时前交纳；逾期未交纳又未申请缓交、减交、免交的，按撤诉处理。"
              "您可以回复“缴费”在线缴纳。")


@pytest.fixture
async def rasa(settings: WeChatSettings) -> AsyncIterator[RasaServer]:
    server = await RasaServer(WeChatInput(settings)).start()
    yield server
    await server.stop()


async def say(rasa: RasaServer, openid: str, text: str) -> None:
    """The user writes on WeChat: a signed POST to Rasa's webhook, then the turn runs to its end."""
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{rasa.url}/webhooks/wechat/webhook", params=signed_params(TOKEN),
                             data=text_xml(openid, text).encode("utf-8")) as resp:
            assert (resp.status, await resp.text()) == (200, "success")
    await rasa.channel.drain()


def test_the_wechat_channel_offers_an_output_channel_for_pushed_messages(settings):
    channel = WeChatInput(settings)
    output = channel.get_output_channel()
    assert isinstance(output, WeChatOutput) and output.name() == "wechat" and output.channel is channel


async def test_a_delivery_reaches_the_wechat_user_as_a_customer_service_message(rasa, fake):
    openid = new_openid()
    await say(rasa, openid, "你好")
    assert fake.messages_to(openid) == ["收到：你好"]

    status, tracker = await rasa.deliver(f"wx:{openid}", FEE_NOTICE)
    assert status == 200, tracker
    assert fake.wait_for(openid, 2)[-1].content == FEE_NOTICE
    assert fake.messages_to(openid) == ["收到：你好", FEE_NOTICE]
    assert fake.token_requests == 1  # the turn's token, reused from the same cache
    assert await rasa.bot_texts(f"wx:{openid}") == ["收到：你好", FEE_NOTICE]  # and it is in the conversation


async def test_a_long_notice_goes_out_in_pieces_under_2048_bytes(rasa, fake):
    openid = new_openid()
    await rasa.latest_channel(f"wx:{openid}", "wechat")
    items = "\n".join(f"{i}. 请补充第{i}份证据材料的原件照片，并注明来源、证明对象和取得时间。" for i in range(1, 41))
    text = f"【补正通知】您提交的立案申请LA20260301000001需要补正。请您一次性补充以下材料或内容：\n{items}\n补正后法院将继续审查。"
    assert len(text.encode("utf-8")) > 2 * MAX_CONTENT_BYTES
    status, _ = await rasa.deliver(f"wx:{openid}", text)
    assert status == 200
    pieces = fake.messages_to(openid)
    assert len(pieces) >= 3 and all(len(p.encode("utf-8")) <= MAX_CONTENT_BYTES for p in pieces)
    assert "\n".join(pieces) == text  # cut at line ends, nothing lost, in order


async def test_pushed_buttons_become_numbers_the_user_can_reply_with(rasa, fake):
    openid = new_openid()
    await rasa.latest_channel(f"wx:{openid}", "wechat")
    buttons = [{"title": "立即缴费", "payload": "/pay_fee"}, {"title": "申请缓交", "payload": "/fee_relief"}]
    status, _ = await rasa.deliver(f"wx:{openid}", "【交纳诉讼费用通知】请您在七日内预交案件受理费。", data={"buttons": buttons})
    assert status == 200
    assert fake.messages_to(openid) == ["【交纳诉讼费用通知】请您在七日内预交案件受理费。\n\n回复数字选择：\n1. 立即缴费\n2. 申请缓交"]
    await say(rasa, openid, "2")
    assert fake.messages_to(openid)[-1] == "收到：/fee_relief"  # the number chose the pushed option


async def test_a_conversation_last_seen_on_another_channel_gets_nothing_on_wechat(rasa, fake):
    openid = new_openid()
    await rasa.latest_channel(f"wx:{openid}", "rest")
    status, _ = await rasa.deliver(f"wx:{openid}", FEE_NOTICE)
    assert status == 200
    assert fake.sent == [] and fake.token_requests == 0
    assert await rasa.bot_texts(f"wx:{openid}") == [FEE_NOTICE]  # kept in the conversation only


async def test_a_push_wechat_refuses_fails_the_request_so_the_court_retries(fake, replay_store):
    broken = WeChatSettings(TOKEN, APPID, "a-wrong-secret", None, fake.url, replay_store)
    rasa = await RasaServer(WeChatInput(broken)).start()
    try:
        openid = new_openid()
        await rasa.latest_channel(f"wx:{openid}", "wechat")
        status, _ = await rasa.deliver(f"wx:{openid}", FEE_NOTICE)
        assert status == 500  # court/services/deliveries.py keeps the delivery pending and tries again
        assert fake.sent == [] and fake.errors == [("token", 40125)]
        assert await rasa.bot_texts(f"wx:{openid}") == []  # not saved: the retry will not leave it twice
    finally:
        await rasa.stop()


async def test_the_events_endpoint_still_needs_rasas_token(rasa, fake):
    openid = new_openid()
    await rasa.latest_channel(f"wx:{openid}", "wechat")
    status, _ = await rasa.deliver(f"wx:{openid}", FEE_NOTICE, token="not-the-token")
    assert status == 401 and fake.sent == []

