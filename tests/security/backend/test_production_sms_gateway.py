"""Finding 5's other half: production needs a real SMS gateway, not the outbox. The 阿里云短信
SendSms adapter (court/infra/sms_aliyun.py), configured from the environment, against a fake
endpoint on loopback that checks Aliyun's signature (tests/fakes/aliyun_sms.py): the code reaches
the phone through it and confirms, nothing goes to the development outbox, and a refusal by the
operator is a Chinese 503 (no code anywhere)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from authflow import ALICE, counts, has_chinese

from court.infra.config import Settings
from court.infra.profile import missing_for_production
from court.infra.sms_aliyun import signature, string_to_sign
from tests.fakes.aliyun_sms import FakeAliyunSms

KEY_ID, KEY_SECRET = "LTAI-test-key-id", "test-key-secret-0123456789"


@pytest.fixture
async def aliyun(aiohttp_server, monkeypatch):
    fake = FakeAliyunSms(KEY_ID, KEY_SECRET)
    server = await aiohttp_server(fake.app())
    for name, value in {"COURT_SMS_PROVIDER": "aliyun", "COURT_ALIYUN_SMS_ACCESS_KEY_ID": KEY_ID,
                        "COURT_ALIYUN_SMS_ACCESS_KEY_SECRET": KEY_SECRET, "COURT_ALIYUN_SMS_SIGN_NAME": "电子诉讼服务",
                        "COURT_ALIYUN_SMS_TEMPLATE": "SMS_123456789",
                        "COURT_ALIYUN_SMS_ENDPOINT": str(server.make_url("/"))}.items():
        monkeypatch.setenv(name, value)
    return fake


def test_the_signature_is_aliyuns() -> None:
    """The worked example of Aliyun's RPC signature documentation (secret "testsecret")."""
    params = {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
              "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}
    assert string_to_sign("GET", params).startswith("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions")
    assert signature("testsecret", "GET", params) == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


async def test_codes_go_through_the_operator_not_the_outbox(aliyun, client, db_rows) -> None:
    resp = await client.post("/api/v1/identity/verify", json=ALICE)
    assert resp.status == 202, await resp.text()
    (sent,) = aliyun.messages
    assert sent["phone"] == ALICE["phone"] and sent["template"] == "SMS_123456789"
    assert await counts(db_rows, "sms_outbox") == {"sms_outbox": 0}
    confirm = await client.post("/api/v1/identity/confirm", json={
        "challenge_id": (await resp.json())["challenge_id"], "code": sent["params"]["code"]})
    assert confirm.status == 200 and (await confirm.json())["token"]


async def test_an_operator_refusal_is_a_chinese_503(aliyun, client, db_rows) -> None:
    aliyun.fail_with = "isv.BUSINESS_LIMIT_CONTROL"
    resp = await client.post("/api/v1/identity/verify", json=ALICE)
    body = await resp.json()
    assert resp.status == 503 and body["error"] == "sms_unavailable" and has_chinese(body["message"])
    assert aliyun.messages == [] and await counts(db_rows, "sms_outbox") == {"sms_outbox": 0}


def test_production_counts_the_configured_operator_as_a_gateway(aliyun) -> None:
    missing = missing_for_production(Settings())
    assert not any("SMS gateway" in m for m in missing)
