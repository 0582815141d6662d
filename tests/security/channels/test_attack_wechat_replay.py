"""Finding 4: captured WeChat callbacks replayed later, on another replica or after a restart.

The window is ±300 s (bot/channels/replay.py); the modules under test are imported inside the
tests, so that each test fails on its own against code without them.

Every request here is signed with the right token — what is tested is only whether it is fresh
and new. Refused ones answer 403 with a short body, and Rasa processes nothing.
"""
from __future__ import annotations

import secrets
import time

import aiohttp
import pytest
from rasa.shared.exceptions import RasaException

from tests.channels.fake_wechat import APPID
from tests.channels.wechat_user import encrypted, new_aes_key, new_openid, next_msg_id, sign, signed_params, text_xml
from tests.security.channels.conftest import TOKEN, WEBHOOK, channels_from_credentials, post_wechat, processed


def params_at(timestamp: int, token: str = TOKEN) -> dict[str, str]:
    nonce = secrets.token_hex(5)
    return {"signature": sign(token, str(timestamp), nonce), "timestamp": str(timestamp), "nonce": nonce}


async def test_a_signature_triple_from_years_ago_posts_nothing(wechat_env, start_rasa, fake):
    rasa = await start_rasa()
    victim = new_openid()
    three_years_ago = int(time.time()) - 3 * 365 * 86400
    assert await post_wechat(rasa, params_at(three_years_ago), text_xml(victim, "撤回立案")) == (403, "expired")
    later = int(time.time()) + 300 + 60  # from the future, beyond the window, is no better
    assert (await post_wechat(rasa, params_at(later), text_xml(victim, "撤回立案")))[0] == 403
    assert processed(await rasa.user_texts(), "撤回立案") == [] and fake.sent == []
    async with aiohttp.ClientSession() as http:  # the URL check (echostr) is held to the same window
        async with http.get(rasa.url + WEBHOOK, params={**params_at(three_years_ago), "echostr": "e"}) as resp:
            assert (resp.status, await resp.text()) == (403, "expired")


async def test_a_fresh_triple_posted_again_with_another_body_is_refused(wechat_env, start_rasa, fake):
    """Plain mode: the body is not signed, so a captured query string would carry any message."""
    rasa = await start_rasa()
    user, victim = new_openid(), new_openid()
    params = signed_params(TOKEN)
    assert await post_wechat(rasa, params, text_xml(user, "你好")) == (200, "success")
    assert await post_wechat(rasa, params, text_xml(victim, "撤回立案")) == (403, "replayed")
    assert processed(await rasa.user_texts(), "撤回立案") == [] and fake.messages_to(victim) == []
    assert fake.messages_to(user) == ["收到：你好"]


async def test_a_captured_ciphertext_is_not_processed_again_after_a_restart(wechat_env, monkeypatch, start_rasa, fake):
    """Safe mode: the MsgId cache used to live in process memory and vanished with the process."""
    aes_key = new_aes_key()
    monkeypatch.setenv("WECHAT_ENCODING_AES_KEY", aes_key)
    openid = new_openid()
    params, body = encrypted(TOKEN, aes_key, APPID, text_xml(openid, "我要缴费"))
    first = await start_rasa()
    assert await post_wechat(first, params, body) == (200, "success")
    await first.stop()
    restarted = await start_rasa()  # same configuration, same replay store, empty memory
    assert (await post_wechat(restarted, params, body))[0] == 403
    assert processed(await restarted.user_texts(), "我要缴费") == []
    assert fake.messages_to(openid) == ["收到：我要缴费"]  # answered once, by the first process


async def test_replicas_share_the_replay_store_in_redis(wechat_env, monkeypatch, start_rasa, fake, redis_url):
    """Production: the store is Redis, so a replay or a retry that reaches the other replica is caught."""
    from bot.channels.replay import TTL, WINDOW, RedisReplayStore

    aes_key = new_aes_key()
    for var, value in {"COURT_PROFILE": "production", "WECHAT_ENCODING_AES_KEY": aes_key,
                       "WECHAT_APPID": APPID, "REDIS_DB": redis_url.rsplit("/", 1)[1]}.items():
        monkeypatch.setenv(var, value)
    monkeypatch.delenv("WECHAT_REPLAY_STORE")
    one, two = await start_rasa(), await start_rasa()
    assert isinstance(one.channel.store, RedisReplayStore) and one.channel.store.url == redis_url
    openid, msg_id = new_openid(), next_msg_id()
    params, body = encrypted(TOKEN, aes_key, APPID, text_xml(openid, "查询进度", msg_id))
    assert await post_wechat(one, params, body) == (200, "success")
    assert (await post_wechat(two, params, body))[0] == 403  # the same request replayed elsewhere
    retry = encrypted(TOKEN, aes_key, APPID, text_xml(openid, "查询进度", msg_id))  # WeChat's retry: new triple
    assert await post_wechat(two, *retry) == (200, "success")
    assert processed(await two.user_texts(), "查询进度") == []
    assert fake.messages_to(openid) == ["收到：查询进度"]
    assert 2 * WINDOW < TTL <= 3600


def test_production_refuses_to_start_in_plain_mode_or_without_secrets(wechat_env, monkeypatch):
    monkeypatch.setenv("COURT_PROFILE", "production")
    with pytest.raises(RasaException, match="WECHAT_ENCODING_AES_KEY"):  # plain mode
        channels_from_credentials()
    monkeypatch.setenv("WECHAT_ENCODING_AES_KEY", new_aes_key())
    monkeypatch.delenv("WECHAT_TOKEN")
    with pytest.raises(RasaException, match="WECHAT_TOKEN"):
        channels_from_credentials()


async def test_the_token_once_written_in_credentials_yml_opens_nothing(wechat_env, monkeypatch, start_rasa, fake):
    monkeypatch.delenv("WECHAT_TOKEN")
    rasa = await start_rasa()  # the embedded profile still starts, with a random token
    openid = new_openid()
    params = {**signed_params("dev-wechat-token"), "echostr": "echo"}
    assert (await post_wechat(rasa, params, text_xml(openid, "我要立案")))[0] == 403
    assert processed(await rasa.user_texts(), "我要立案") == [] and fake.sent == []
