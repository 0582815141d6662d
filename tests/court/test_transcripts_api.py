"""Transcripts: Rasa's broker events ingested into turns, searched and shown to staff by role;
review decisions delivered back into the conversation through Rasa's HTTP API.

The broker database is a real SQLite file with the table Rasa's SQLEventBroker creates, filled
with events shaped as Rasa 3.6 publishes them; Rasa's HTTP API is a small aiohttp server that
records what it is sent.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from authflow import ALICE, bearer, review, set_clock, staff_token, submit, verify_litigant
from court.infra.app_keys import SESSIONMAKER
from court.infra.models import Delivery
from court.jobs.conversations import deliver_pending as send_pending
from court.jobs.transcript_ingest import ingest_once, open_source
from court.services.deliveries import scan_review_events
from court.services.transcripts import mask_text

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing
CONV = "3f2a9c0d1e4b4f5a8c7d6e5f4a3b2c1d"
TOKEN = "secret-litigant-token-value"


class Broker:
    """A Rasa SQL event broker database: `events(id, sender_id, data)`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ts = T0.timestamp()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), data TEXT)")

    @property
    def url(self) -> str:
        return f"sqlite+aiosqlite:///{self.path}"

    def publish(self, sender: str, event: dict[str, Any]) -> None:
        self.ts += 1
        body = {"sender_id": sender, "timestamp": self.ts, **event}
        with sqlite3.connect(self.path) as conn:
            conn.execute("INSERT INTO events (sender_id, data) VALUES (?, ?)", (sender, json.dumps(body)))

    def user(self, sender: str, text: str, intent: str, confidence: float = 0.97, channel: str = "socketio",
             entities: list | None = None) -> None:
        self.publish(sender, {"event": "user", "text": text, "input_channel": channel, "message_id": "m",
                              "metadata": {}, "parse_data": {
                                  "text": text, "intent": {"name": intent, "confidence": confidence},
                                  "entities": entities or [], "intent_ranking": []}})

    def bot(self, sender: str, text: str | None, buttons: list | None = None, custom: Any = None,
            metadata: dict | None = None) -> None:
        self.publish(sender, {"event": "bot", "text": text, "metadata": metadata or {}, "data": {
            "elements": None, "quick_replies": None, "buttons": buttons, "attachment": None, "image": None,
            "custom": custom}})

    def slot(self, sender: str, name: str, value: Any) -> None:
        self.publish(sender, {"event": "slot", "name": name, "value": value})

    def action(self, sender: str, name: str) -> None:
        self.publish(sender, {"event": "action", "name": name, "policy": None, "confidence": 1.0})


def filing_conversation(b: Broker, sender: str = CONV) -> None:
    """A short filing conversation with an ID number, a spaced mobile, an SMS code and a token."""
    b.action(sender, "action_session_start")
    b.publish(sender, {"event": "session_started"})
    b.action(sender, "action_listen")
    b.user(sender, "/greet", "greet", 1.0)
    b.action(sender, "utter_greet")
    b.bot(sender, "您好！请问有什么可以帮您？", buttons=[{"title": "我要立案", "payload": "/file_case"}])
    b.action(sender, "action_listen")
    b.user(sender, "/file_case", "file_case", 1.0)
    b.action(sender, "filing_form")
    b.publish(sender, {"event": "active_loop", "name": "filing_form"})
    b.slot(sender, "requested_slot", "plaintiff_id_number")
    b.bot(sender, "请提供原告的身份证号码。")
    b.action(sender, "action_listen")
    b.user(sender, ALICE["id_number"], "inform", 0.81)
    b.slot(sender, "plaintiff_id_number", ALICE["id_number"])
    b.slot(sender, "requested_slot", "plaintiff_phone")
    b.bot(sender, "请提供您的手机号码。")
    b.action(sender, "action_listen")
    b.user(sender, "138 0013 8000", "inform", 0.64)
    b.slot(sender, "plaintiff_phone", "13800138000")
    b.slot(sender, "identity_challenge", "ch-123")
    b.slot(sender, "requested_slot", "sms_code")
    b.bot(sender, "验证码已发送至138****8000，请输入6位验证码。")
    b.action(sender, "action_listen")
    b.user(sender, "482913", "inform", 0.55)
    b.slot(sender, "sms_code", "482913")
    b.slot(sender, "litigant_token", TOKEN)
    b.slot(sender, "requested_slot", None)
    b.bot(sender, None, custom={"data": {"litigant_token": TOKEN, "filing_id": "LA20260301000001"}})
    b.bot(sender, "认证成功。")
    b.action(sender, "action_listen")


@pytest.fixture
def broker(tmp_path: Path) -> Broker:
    return Broker(tmp_path / "rasa_events.db")


async def ingest(client, broker: Broker) -> int:
    source = open_source(broker.url)
    try:
        return await ingest_once(client.app[SESSIONMAKER], source)
    finally:
        await source.dispose()


async def turns(client, token: str, conversation_id: str = CONV) -> dict:
    resp = await client.get(f"/api/v1/staff/transcripts/{conversation_id}", headers=bearer(token))
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def test_turns_hold_text_intent_slots_and_never_a_secret(client, broker):
    filing_conversation(broker)
    assert await ingest(client, broker) > 0
    clerk = await staff_token(client, "clerk1", "clerk")
    view = await turns(client, clerk)
    assert view["masked"] is False
    t = view["turns"]
    assert [x["user_text"] for x in t] == ["/greet", "/file_case", ALICE["id_number"], "138 0013 8000", "（验证码已隐去）"]
    assert t[0]["intent"] == "greet" and t[0]["confidence"] == 1.0 and t[0]["channel"] == "socketio"
    assert t[0]["bot"] == [{"text": "您好！请问有什么可以帮您？", "buttons": [{"title": "我要立案", "payload": "/file_case"}]}]
    assert t[0]["actions"] == ["utter_greet"]
    assert t[1]["actions"] == ["filing_form"] and t[1]["bot"] == [{"text": "请提供原告的身份证号码。"}]
    assert t[2]["intent"] == "inform" and t[2]["confidence"] == 0.81
    assert t[2]["slots"] == {"plaintiff_id_number": ALICE["id_number"]}  # requested_slot is bookkeeping
    assert t[3]["slots"] == {"plaintiff_phone": "13800138000", "identity_challenge": "（已隐去）"}
    assert t[4]["slots"] == {"sms_code": "（已隐去）", "litigant_token": "（已隐去）"}
    assert t[4]["bot"][0]["custom"] == {"data": {"litigant_token": "（已隐去）", "filing_id": "LA20260301000001"}}
    everything = json.dumps(view, ensure_ascii=False)
    assert TOKEN not in everything and "482913" not in everything and "ch-123" not in everything
    assert view["conversation"]["turn_count"] == 5 and view["conversation"]["channel"] == "socketio"
    assert view["conversation"]["filing_numbers"] == ["LA20260301000001"]


async def test_numbers_are_masked_for_an_administrator(client, broker):
    filing_conversation(broker)
    await ingest(client, broker)
    admin = await staff_token(client, "admin1", "admin")
    view = await turns(client, admin)
    assert view["masked"] is True
    everything = json.dumps(view, ensure_ascii=False)
    assert ALICE["id_number"] not in everything and "13800138000" not in everything
    assert "138 0013 8000" not in everything
    assert view["turns"][2]["user_text"] == "110***********002X"
    assert view["turns"][3]["user_text"] == "138****8000"
    assert view["turns"][3]["slots"]["plaintiff_phone"] == "138****8000"


async def test_ingestion_is_incremental_and_idempotent(client, broker):
    broker.user(CONV, "我要立案", "file_case")
    assert await ingest(client, broker) == 1
    broker.bot(CONV, "好的，我来帮您在线提交立案申请。")  # belongs to the turn already stored
    broker.action(CONV, "action_listen")
    broker.user("other-conversation", "你好", "greet", channel="rest")
    assert await ingest(client, broker) == 3
    assert await ingest(client, broker) == 0
    clerk = await staff_token(client, "clerk1", "clerk")
    (turn,) = (await turns(client, clerk))["turns"]
    assert turn["user_text"] == "我要立案" and turn["bot"] == [{"text": "好的，我来帮您在线提交立案申请。"}]
    resp = await client.get("/api/v1/staff/transcripts", headers=bearer(clerk))
    assert (await resp.json())["total"] == 2


async def test_a_court_message_is_its_own_turn(client, broker):
    broker.user(CONV, "我要立案", "file_case")
    broker.bot(CONV, "【立案通知】您提交的立案申请LA20260301000001已经立案。",
               metadata={"court_delivery": "docketed:event:7"})
    await ingest(client, broker)
    clerk = await staff_token(client, "clerk1", "clerk")
    t = (await turns(client, clerk))["turns"]
    assert [x["kind"] for x in t] == ["user", "notice"]
    assert t[1]["user_text"] is None and t[1]["bot"][0]["delivery"] == "docketed:event:7"


async def test_search_by_filing_phone_and_date(client, db_rows, broker):
    set_clock(client, T0)
    litigant = await verify_litigant(client, db_rows, conversation=CONV, channel="socketio")
    filing = await submit(client, litigant)
    filing_conversation(broker)
    broker.user("someone-else", "诉讼费怎么算", "ask_fee")
    await ingest(client, broker)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")

    async def found(**query) -> list[str]:
        resp = await client.get("/api/v1/staff/transcripts", params=query, headers=bearer(clerk))
        assert resp.status == 200, await resp.text()
        return [c["conversation_id"] for c in (await resp.json())["conversations"]]

    assert await found(filing=filing["id"]) == [CONV]
    assert await found(filing=filing["id"].lower()) == [CONV]
    assert await found(filing="LA20260301000001") == [CONV]  # said in the conversation
    assert await found(phone="13800138000") == [CONV]
    assert await found(phone="138-0013-8000") == [CONV]
    assert await found(phone="13900139000") == []
    assert await found(date_from="2026-03-01", date_to="2026-03-01") == ["someone-else", CONV]  # newest first
    assert await found(date_from="2026-03-02") == []
    resp = await client.get("/api/v1/staff/transcripts", params={"filing": filing["id"]}, headers=bearer(clerk))
    (conv,) = (await resp.json())["conversations"]
    assert conv["filings"][0]["id"] == filing["id"] and conv["filings"][0]["status_label"] == "待审核"
    assert conv["phones_masked"] == ["138****8000"] and conv["preview"] == "/greet"
    for bad in ({"phone": "1380013"}, {"date_from": "2026/03/01"}, {"date_from": "2026-03-02", "date_to": "2026-03-01"},
                {"limit": "0"}):
        resp = await client.get("/api/v1/staff/transcripts", params=bad, headers=bearer(clerk))
        assert resp.status == 400 and (await resp.json())["error"] == "invalid_query"


async def test_the_list_masks_numbers_for_every_role(client, broker):
    broker.user(CONV, f"我的身份证是{ALICE['id_number']}，电话13800138000", "inform")
    await ingest(client, broker)
    clerk = await staff_token(client, "clerk1", "clerk")
    resp = await client.get("/api/v1/staff/transcripts", headers=bearer(clerk))
    (conv,) = (await resp.json())["conversations"]
    assert conv["preview"] == "我的身份证是110***********002X，电话138****8000"


async def test_a_court_bound_clerk_sees_only_their_courts_conversations(client, db_rows, broker):
    set_clock(client, T0)
    litigant = await verify_litigant(client, db_rows, conversation=CONV, channel="socketio")
    await submit(client, litigant)  # 京0105
    broker.user(CONV, "我要立案", "file_case")
    broker.user("enquiry", "诉讼费怎么算", "ask_fee")
    await ingest(client, broker)
    other = await staff_token(client, "clerk2", "clerk", "京0108")
    resp = await client.get(f"/api/v1/staff/transcripts/{CONV}", headers=bearer(other))
    assert resp.status == 404 and (await resp.json())["message"] == "未找到该对话记录。"
    resp = await client.get("/api/v1/staff/transcripts", headers=bearer(other))
    assert [c["conversation_id"] for c in (await resp.json())["conversations"]] == ["enquiry"]
    ours = await staff_token(client, "clerk1", "clerk", "京0105")
    assert (await client.get(f"/api/v1/staff/transcripts/{CONV}", headers=bearer(ours))).status == 200


async def test_only_staff_read_transcripts(client, db_rows, broker):
    broker.user(CONV, "我要立案", "file_case")
    await ingest(client, broker)
    litigant = await verify_litigant(client, db_rows)
    for headers in ({}, bearer(litigant), bearer("not-a-token")):
        assert (await client.get("/api/v1/staff/transcripts", headers=headers)).status == 401
        assert (await client.get(f"/api/v1/staff/transcripts/{CONV}", headers=headers)).status == 401
    clerk = await staff_token(client, "clerk1", "clerk")
    assert (await client.get("/api/v1/staff/transcripts/unknown", headers=bearer(clerk))).status == 404


def test_mask_text_covers_spaced_mobiles() -> None:
    assert mask_text("电话 138 0013 8000 或 139-0013-9000") == "电话 138****8000 或 139****9000"
    assert mask_text("11010519491231002X") == "110***********002X"
    assert mask_text("LA20260301000001") == "LA20260301000001"


# --- delivery into the conversation --------------------------------------------------------------


async def deliveries(client) -> list[tuple]:
    async with client.app[SESSIONMAKER]() as session:
        rows = (await session.execute(select(Delivery).order_by(Delivery.id))).scalars()
        return [(d.conversation_id, d.kind, d.status, d.attempts) for d in rows]


async def test_docketing_is_delivered_into_the_conversation_once(client, db_rows, rasa):
    set_clock(client, T0)
    litigant = await verify_litigant(client, db_rows, conversation=CONV, channel="socketio")
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    assert await scan_review_events(client.app[SESSIONMAKER]) == 0  # the first pass starts at the newest event
    filing = await submit(client, litigant)
    assert (await review(client, clerk, filing["id"], decision="accept")).status == 200
    assert await scan_review_events(client.app[SESSIONMAKER]) == 2  # the decision, then its fee notice
    assert await scan_review_events(client.app[SESSIONMAKER]) == 0
    assert await send_pending(client.app) == 2
    call, fee_call = rasa.calls
    assert call["conversation"] == fee_call["conversation"] == CONV
    assert call["query"] == {"output_channel": "latest", "execute_side_effects": "true"}
    (event,) = call["body"]
    assert event["event"] == "bot" and event["metadata"]["court_delivery"].startswith("docketed:event:")
    assert "（2026）京0105民初1号" in event["text"] and filing["id"] in event["text"]
    (fee,) = fee_call["body"]
    assert "1,050.00元" in fee["text"] and "自收到本通知次日起七日内" in fee["text"]  # tests/court/test_delivery_fees.py
    assert await deliveries(client) == [(CONV, "docketed", "sent", 1), (CONV, "fee_notice_issued", "sent", 1)]
    assert await send_pending(client.app) == 0


async def test_correction_lists_every_item_and_rejection_gives_the_reason(client, db_rows, rasa):
    set_clock(client, T0)
    litigant = await verify_litigant(client, db_rows, conversation="c-correct")
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    await scan_review_events(client.app[SESSIONMAKER])
    first = await submit(client, litigant)
    litigant = await verify_litigant(client, db_rows, conversation="c-reject")  # its own conversation
    second = await submit(client, litigant, claims=[{"text": "判令被告还款", "amount": "1000"}])
    await review(client, clerk, first["id"], decision="correct", items=["补充借条照片", "补充被告住所地证明"])
    await review(client, clerk, second["id"], decision="reject", reason="本院对该案没有管辖权")
    assert await scan_review_events(client.app[SESSIONMAKER]) == 2
    await send_pending(client.app)
    texts = {c["conversation"]: c["body"][0]["text"] for c in rasa.calls}
    assert "1. 补充借条照片\n2. 补充被告住所地证明" in texts["c-correct"] and "一次性" in texts["c-correct"]
    assert "理由：本院对该案没有管辖权" in texts["c-reject"] and "十日内" in texts["c-reject"]


async def test_an_unreachable_rasa_is_retried_later(client, db_rows, rasa):
    set_clock(client, T0)
    litigant = await verify_litigant(client, db_rows, conversation=CONV)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    await scan_review_events(client.app[SESSIONMAKER])
    filing = await submit(client, litigant)
    await review(client, clerk, filing["id"], decision="accept")
    await scan_review_events(client.app[SESSIONMAKER])
    rasa.status = 500
    assert await send_pending(client.app) == 0
    assert await deliveries(client) == [(CONV, "docketed", "pending", 1), (CONV, "fee_notice_issued", "pending", 1)]
    assert await send_pending(client.app) == 0  # not due yet: backing off
    rasa.status = 200
    async with client.app[SESSIONMAKER]() as session:  # make the retry due now
        await session.execute(update(Delivery).values(next_attempt_at=T0))
        await session.commit()
    assert await send_pending(client.app) == 2
    assert await deliveries(client) == [(CONV, "docketed", "sent", 2), (CONV, "fee_notice_issued", "sent", 2)]
