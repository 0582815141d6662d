"""Finding 5's other half: production needs real providers, not the development outbox and
registry. The Aliyun adapters — 短信 SendSms (court/infra/sms_aliyun.py) and 运营商三要素
ThreeElementsVerification (court/infra/identity_aliyun.py) — configured from the environment,
against a fake Aliyun endpoint on loopback that checks Aliyun's signature (tests/fakes/aliyun.py):
the code reaches the phone through the operator and confirms, nothing goes to the development
outbox; a record moves to a new phone only when the carrier confirms the three belong together;
an operator's refusal is a Chinese 503."""
from __future__ import annotations

from dataclasses import replace

import pytest

from authflow import ALICE, counts, has_chinese

from court.infra.config import Settings
from court.infra.profile import missing_for_production
from court.infra.aliyun_rpc import signature, string_to_sign
from tests.fakes.aliyun import FakeAliyun

KEY_ID, KEY_SECRET = "LTAI-test-key-id", "test-key-secret-0123456789"
NEW_PHONE = "13911112222"


@pytest.fixture
async def aliyun(aiohttp_server, monkeypatch):
    fake = FakeAliyun(KEY_ID, KEY_SECRET, {(ALICE["name"], ALICE["id_number"], NEW_PHONE)})
    server = await aiohttp_server(fake.app())
    for name, value in {"COURT_IDENTITY_PROVIDER": "aliyun", "COURT_ALIYUN_ID_ACCESS_KEY_ID": KEY_ID,
                        "COURT_ALIYUN_ID_ACCESS_KEY_SECRET": KEY_SECRET, "COURT_ALIYUN_ID_AUTH_CODE": "auth-code-1",
                        "COURT_ALIYUN_ID_ENDPOINT": str(server.make_url("/")),
                        "COURT_SMS_PROVIDER": "aliyun", "COURT_ALIYUN_SMS_ACCESS_KEY_ID": KEY_ID,
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


async def _verify(client, aliyun, phone: str) -> str:
    """The code of a verify for ALICE's ID number with `phone`, as the operator delivered it."""
    resp = await client.post("/api/v1/identity/verify", json={**ALICE, "phone": phone})
    assert resp.status == 202, await resp.text()
    confirm = await client.post("/api/v1/identity/confirm", json={
        "challenge_id": (await resp.json())["challenge_id"], "code": aliyun.messages[-1]["params"]["code"]})
    assert confirm.status == 200
    return aliyun.messages[-1]["phone"]


async def test_a_record_moves_to_a_new_phone_only_when_the_carrier_confirms(aliyun, client, db_rows) -> None:
    assert await _verify(client, aliyun, ALICE["phone"]) == ALICE["phone"]
    assert await _verify(client, aliyun, "13922223333") == ALICE["phone"]  # unknown to the carrier: the record's phone
    assert await _verify(client, aliyun, NEW_PHONE) == NEW_PHONE  # the carrier confirms: the record moves
    assert await db_rows(f"SELECT phone FROM litigants WHERE id_number = '{ALICE['id_number']}'") == [(NEW_PHONE,)]
    aliyun.fail_with = "isp.SYSTEM_ERROR"
    resp = await client.post("/api/v1/identity/verify", json={**ALICE, "phone": ALICE["phone"]})
    body = await resp.json()
    assert resp.status == 503 and body["error"] == "identity_provider_unavailable" and has_chinese(body["message"])


def test_production_counts_the_configured_providers(aliyun) -> None:
    missing = missing_for_production(Settings())
    assert not any("SMS gateway" in m or "identity provider" in m for m in missing)
