"""The customer-service API client against the fake WeChat server: token cache and renewal."""
from __future__ import annotations

import asyncio

import pytest

from bot.channels.wechat_api import WeChatAPI, WeChatAPIError, mask_openid
from tests.channels.fake_wechat import APPID, SECRET, FakeWeChat

OPENID = "oUnitTest0000000000000000001"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def api(fake: FakeWeChat):
    client = WeChatAPI(APPID, SECRET, fake.url, clock=Clock())
    yield client
    await client.close()


async def test_one_token_serves_many_messages(api, fake):
    for i in range(3):
        await api.send_text(OPENID, f"第{i}条消息")
    assert fake.token_requests == 1
    assert fake.messages_to(OPENID) == ["第0条消息", "第1条消息", "第2条消息"]
    assert fake.errors == []


async def test_concurrent_senders_share_one_token_fetch(api, fake):
    await asyncio.gather(*(api.send_text(OPENID, f"并发{i}") for i in range(8)))
    assert fake.token_requests == 1 and len(fake.messages_to(OPENID)) == 8


async def test_token_is_renewed_shortly_before_it_expires(api, fake):
    await api.send_text(OPENID, "一")
    api._clock.now = 7200 - 301  # still more than 5 minutes left: kept
    await api.send_text(OPENID, "二")
    assert fake.token_requests == 1
    api._clock.now = 7200 - 299  # less than 5 minutes left: renewed before WeChat refuses it
    await api.send_text(OPENID, "三")
    assert fake.token_requests == 2 and fake.errors == []


@pytest.mark.parametrize("spoil, errcode", [("expire_tokens", 42001), ("invalidate_tokens", 40001)])
async def test_a_refused_token_is_renewed_once_and_the_message_still_goes_out(api, fake, spoil, errcode):
    await api.send_text(OPENID, "之前")
    getattr(fake, spoil)()
    await api.send_text(OPENID, "之后")
    assert fake.messages_to(OPENID) == ["之前", "之后"]
    assert fake.errors == [("send", errcode)]
    assert fake.token_requests == 2
    assert fake.sent[0].token != fake.sent[1].token


async def test_errors_other_than_the_token_are_not_retried(api, fake):
    with pytest.raises(WeChatAPIError) as err:
        await api.send_text(OPENID, "长" * 683)  # 2049 bytes
    assert err.value.errcode == 45002
    assert fake.errors == [("send", 45002)] and fake.sent == []


async def test_wrong_secret_is_reported(fake):
    client = WeChatAPI(APPID, "not-the-secret", fake.url)
    try:
        with pytest.raises(WeChatAPIError) as err:
            await client.send_text(OPENID, "你好")
        assert err.value.errcode == 40125
    finally:
        await client.close()


async def test_unreachable_api_is_a_wechat_error():
    client = WeChatAPI(APPID, SECRET, "http://127.0.0.1:9", timeout=2)
    try:
        with pytest.raises(WeChatAPIError) as err:
            await client.access_token()
        assert err.value.errcode == -2
    finally:
        await client.close()


def test_openids_are_masked_for_logs():
    assert mask_openid(OPENID) == "oUni…0001"
    assert OPENID not in mask_openid(OPENID)
