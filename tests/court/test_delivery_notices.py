"""POST /api/v1/conversations/notices: the court notices a web-widget conversation received, so that
a widget closed while one was pushed can show it when the litigant comes back."""
from __future__ import annotations

import pytest

from authflow import review, set_clock, staff_token, submit, verify_litigant
from court.infra.app_keys import SESSIONMAKER
from court.jobs.conversations import deliver_pending as send_pending
from court.services.deliveries import scan_review_events
from test_delivery_fees import CONV, T0

URL = "/api/v1/conversations/notices"
OTHER = "a" * 32


async def notices(client, session_id: str) -> list[dict]:
    resp = await client.post(URL, json={"session_id": session_id})
    assert resp.status == 200, await resp.text()
    assert resp.headers["Cache-Control"] == "no-store"
    return (await resp.json())["notices"]


async def decide(client, db_rows, conversations: dict[str, str]) -> None:
    """One docketed filing per conversation id → channel; the review events not yet scanned."""
    set_clock(client, T0)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    await scan_review_events(client.app[SESSIONMAKER])
    for conversation, channel in conversations.items():
        # A filing goes to the conversation its token was confirmed in (issue 9).
        litigant = await verify_litigant(client, db_rows, conversation=conversation, channel=channel)
        filing = await submit(client, litigant)
        assert (await review(client, clerk, filing["id"], decision="accept")).status == 200


async def test_the_widget_gets_its_sent_notices_oldest_first(client, db_rows, rasa):
    await decide(client, db_rows, {CONV: "socketio", OTHER: "socketio"})
    await scan_review_events(client.app[SESSIONMAKER])
    assert await notices(client, CONV) == []  # queued, not yet in the conversation
    assert await send_pending(client.app) == 4
    listed = await notices(client, CONV)
    assert [n["kind"] for n in listed] == ["docketed", "fee_notice_issued"]
    assert listed[0]["text"].startswith("【立案通知】") and listed[1]["text"].startswith("【交纳诉讼费用通知】")
    assert listed[0]["id"] < listed[1]["id"] and all(n["sent_at"] for n in listed)
    sent_to_rasa = [c["body"][0]["text"] for c in rasa.calls if c["conversation"] == CONV]
    assert [n["text"] for n in listed] == sent_to_rasa  # exactly what was said in the conversation
    others = await notices(client, OTHER)
    assert len(others) == 2 and not {n["id"] for n in others} & {n["id"] for n in listed}


async def test_only_the_web_widgets_channel_is_answered(client, db_rows, rasa):
    wechat_like, rest = "b" * 32, "c" * 32
    await decide(client, db_rows, {wechat_like: "wechat", rest: "rest"})
    await scan_review_events(client.app[SESSIONMAKER])
    assert await send_pending(client.app) == 4
    assert await notices(client, wechat_like) == [] and await notices(client, rest) == []
    assert await notices(client, "d" * 32) == []  # unknown: the same empty answer


@pytest.mark.parametrize("body,status,code", [
    ({"session_id": "c-1"}, 422, "invalid_session_id"),
    ({"session_id": "oAbCdEfGhIjKlMnOpQrStUvWxYz01"}, 422, "invalid_session_id"),  # a WeChat OpenID
    ({"session_id": CONV.upper()}, 422, "invalid_session_id"),
    ({"session_id": CONV + "0"}, 422, "invalid_session_id"),
    ({"session_id": 12345}, 422, "invalid_session_id"),
    ({}, 422, "invalid_session_id"),
    ({"session_id": CONV, "conversation_id": CONV}, 400, "unknown_field"),
])
async def test_anything_but_a_widget_session_id_is_refused_in_chinese(client, body, status, code):
    resp = await client.post(URL, json=body)
    assert resp.status == status
    error = await resp.json()
    assert error["error"] == code and any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])


async def test_a_body_that_is_not_json_is_refused(client):
    assert (await client.post(URL, data=b"session_id=" + CONV.encode(),
                               headers={"Content-Type": "application/x-www-form-urlencoded"})).status == 415
    assert (await client.post(URL, data=b"{", headers={"Content-Type": "application/json"})).status == 400
    assert (await client.get(URL)).status == 405
