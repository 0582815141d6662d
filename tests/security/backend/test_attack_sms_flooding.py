"""Finding 7: SMS codes were limited per phone only — one ID number could be tried with 20 phones,
and one client could ask codes for anyone. Now codes are also limited per ID number (5 an hour,
10 a day) and per client address (20 an hour), answered 429 in Chinese with when to come back:
`retry_after` in the body, `Retry-After` in the header, and the Beijing time in the message.
Nothing is sent or stored for a refused request. The action server (bot key) is not limited per
address — it asks for every chat litigant — but still per phone and ID number."""
from __future__ import annotations

from datetime import datetime, timezone

from authflow import counts, has_chinese, make_id, set_clock

from court.infra.app_keys import SETTINGS

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # 09:00 in Beijing
ID_NUMBER = make_id("11010519800101003")


def person(i: int, id_number: str = ID_NUMBER) -> dict[str, str]:
    return {"name": "赵六", "id_number": id_number, "phone": f"139{i:08d}"}


async def _verify(client, body: dict, headers: dict | None = None):
    return await client.post("/api/v1/identity/verify", json=body, headers=headers)


async def test_one_id_number_with_many_phones_is_limited(client, db_rows) -> None:
    clock = set_clock(client, T0)
    statuses = []
    for i in range(20):
        statuses.append((await _verify(client, person(i))).status)
        clock.advance(minutes=1)
    assert statuses == [202] * 5 + [429] * 15
    assert await counts(db_rows, "identity_challenges", "sms_outbox") == {"identity_challenges": 5, "sms_outbox": 5}
    # 20 minutes after the first: the hourly window frees up at T0 + 60 min.
    resp = await _verify(client, person(99))
    body = await resp.json()
    assert resp.status == 429 and body["error"] == "too_many_requests" and body["field"] == "id_number"
    assert body["retry_after"] == 40 * 60 == int(resp.headers["Retry-After"])
    assert "身份证号码" in body["message"] and "每小时最多5次" in body["message"]
    assert "约40分钟后" in body["message"] and "北京时间10:00以后" in body["message"]
    clock.advance(minutes=41)
    assert (await _verify(client, person(100))).status == 202
    # The daily window: 10 codes in 24 hours, whatever the hours.
    for _ in range(4):
        clock.advance(minutes=61)
        assert (await _verify(client, person(101))).status == 202
    clock.advance(minutes=61)
    resp = await _verify(client, person(102))
    body = await resp.json()
    assert resp.status == 429 and body["field"] == "id_number" and "每天最多10次" in body["message"]
    assert has_chinese(body["message"]) and 0 < body["retry_after"] <= 24 * 3600
    assert await counts(db_rows, "sms_outbox") == {"sms_outbox": 10}


async def test_one_address_asking_codes_for_many_people_is_limited(client, db_rows) -> None:
    set_clock(client, T0)
    people = [person(i, make_id(f"11010519900101{i:03d}")) for i in range(25)]
    statuses = [(await _verify(client, p)).status for p in people[:21]]
    assert statuses == [202] * 20 + [429]
    resp = await _verify(client, people[21])
    body = await resp.json()
    assert resp.status == 429 and body["field"] is None and "网络" in body["message"]
    assert body["retry_after"] == 3600 == int(resp.headers["Retry-After"])
    assert await counts(db_rows, "sms_outbox") == {"sms_outbox": 20}
    # The action server speaks for many litigants from one address: its key exempts it from this limit only.
    client.app[SETTINGS].extra["bot_key"] = "k" * 32
    assert (await _verify(client, people[22], {"X-Court-Bot-Key": "wrong"})).status == 429
    assert (await _verify(client, people[23], {"X-Court-Bot-Key": "k" * 32})).status == 202
