"""补正 actions against a fake backend on loopback: the questions per channel and the resubmission."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.correction import (
    ActionAskCorrectionConfirmed, ActionAskCorrectionInput, ActionAskCorrectionTarget, ActionStopCorrection,
    ActionSubmitCorrection,
)
from bot.texts import WAY_OUT, inform
from bot.court_client import CourtClient
from bot.corrections import CORRECTION_SLOTS, DONE
from bot.readers.correction_items import classify_items
from bot.own_filings import NONE
from tests.actions.fake_court import TOKEN, court, filing, said, tracker  # noqa: F401

NUMBER = "LA20261128000001"
NOTICE = ["请补充被告的住址和联系电话", "请提交借条原件照片", "事实与理由请补充借款时间"]
ANSWERS = {"0": {"values": {"phone": "13912345678", "address": "北京市朝阳区建国路88号"}},
           "1": {"files": ["借条.jpg"]}, "2": {"text": "借款时间为2023年3月1日"}}


def slots(answers: dict | None = None, **more) -> dict:
    return {"litigant_token": TOKEN, "correction_target": NUMBER,
            "correction_items": {"filing": NUMBER, "items": classify_items(NOTICE)},
            "correction_answers": ANSWERS if answers is None else answers, **more}


def slot_events(events: list) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_several_filings_are_offered_as_buttons(court):
    court.add(filing(NUMBER, "needs_correction", items=NOTICE))
    court.add(filing("LA20261128000002", "needs_correction", items=NOTICE))
    court.add(filing("LA20261128000003", "pending_review"))
    dispatcher = CollectingDispatcher()
    await ActionAskCorrectionTarget().run(dispatcher, tracker(slots={"litigant_token": TOKEN}), {})
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [inform("filing_id", NUMBER), inform("filing_id", "LA20261128000002")]
    assert "需补正" in dispatcher.messages[0]["buttons"][0]["title"]


async def test_an_upload_item_opens_the_widget_panel_on_this_filing(court):
    dispatcher = CollectingDispatcher()
    t = tracker(slots=slots(answers={"0": ANSWERS["0"]}), channel="socketio")
    await ActionAskCorrectionInput().run(dispatcher, t, {})
    text = said(dispatcher)
    assert "第2项（共3项）：请提交借条原件照片" in text and "15 MB" in text and "PDF 文档" in text
    panel = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert panel == [{"data": {"litigant_token": TOKEN, "filing_id": NUMBER}}]
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["已上传", "稍后上传"]


async def test_elsewhere_an_upload_item_points_to_the_courts_page(court, monkeypatch):
    monkeypatch.setenv("COURT_PUBLIC_BASE_URL", "https://court.example.cn")
    dispatcher = CollectingDispatcher()
    t = tracker(slots=slots(answers={"0": ANSWERS["0"]}), channel="wechat")
    await ActionAskCorrectionInput().run(dispatcher, t, {})
    assert "https://court.example.cn/" in said(dispatcher) and NUMBER in said(dispatcher)
    assert not any(m.get("custom") for m in dispatcher.messages)


async def test_a_typed_item_says_what_to_write(court):
    dispatcher = CollectingDispatcher()
    await ActionAskCorrectionInput().run(dispatcher, tracker(slots=slots(answers={})), {})
    assert "第1项（共3项）" in said(dispatcher) and "被告的手机号码和住址" in said(dispatcher)


async def test_the_read_back_then_silence_while_choosing(court):
    dispatcher = CollectingDispatcher()
    await ActionAskCorrectionConfirmed().run(dispatcher, tracker(slots=slots()), {})
    assert "139****5678" in said(dispatcher) and "13912345678" not in said(dispatcher)
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny", "/stop"]
    dispatcher = CollectingDispatcher()
    await ActionAskCorrectionConfirmed().run(dispatcher, tracker(slots=slots(correction_choosing=True)), {})
    assert dispatcher.messages == []


async def test_resubmission_sends_everything_and_confirms_the_new_status(court):
    court.add(filing(NUMBER, "needs_correction", items=NOTICE, evidence=[]))
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitCorrection().run(
        dispatcher, tracker(slots=slots(correction_input=DONE, correction_confirmed=True)), {})
    (number, body), = court.resubmissions
    assert number == NUMBER
    assert body["parties"][1]["address"] == "北京市朝阳区建国路88号" and body["parties"][1]["phone"] == "13912345678"
    assert body["facts"].endswith("借款时间为2023年3月1日") and body["evidence"][0]["source"].endswith("借条.jpg")
    assert "已上传借条.jpg" in body["note"]
    text = said(dispatcher)
    assert "当前状态：待审核" in text and "第七条" in text and "第一百二十六条" in text
    assert court.filings[NUMBER]["status"] == "pending_review"
    assert slot_events(events) == {slot: None for slot in CORRECTION_SLOTS}


async def test_a_refusal_is_explained_politely_and_the_form_cleared(court):
    court.add(filing(NUMBER, "needs_correction", items=NOTICE))
    court.refuse_resubmit = (400, "invalid_phone", "手机号码格式不正确")
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitCorrection().run(dispatcher, tracker(slots=slots(correction_confirmed=True)), {})
    assert said(dispatcher).startswith("抱歉，补正未能提交：手机号码格式不正确。")
    assert "转人工" in said(dispatcher) and slot_events(events)["correction_target"] is None
    assert court.filings[NUMBER]["status"] == "needs_correction"


async def test_a_filing_no_longer_waiting_for_correction_is_a_polite_409(court):
    court.add(filing(NUMBER, "pending_review"))
    dispatcher = CollectingDispatcher()
    await ActionSubmitCorrection().run(dispatcher, tracker(slots=slots(correction_confirmed=True)), {})
    assert "不能提交补正" in said(dispatcher)


async def test_an_unreachable_backend_keeps_the_answers_for_a_retry(court):
    await CourtClient._default.close()
    CourtClient._default = CourtClient("http://127.0.0.1:9", timeout=2)  # nothing listens on port 9
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitCorrection().run(dispatcher, tracker(slots=slots(correction_confirmed=True)), {})
    assert "暂时无法访问" in said(dispatcher) and "已为您保留" in said(dispatcher)
    assert slot_events(events) == {"correction_confirmed": None}


async def test_nothing_to_correct_is_said_once_the_form_ends(court):
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitCorrection().run(
        dispatcher, tracker(slots={"litigant_token": TOKEN, "correction_target": NONE}), {})
    assert "您目前没有需要补正的立案申请" in said(dispatcher) and slot_events(events)["correction_target"] is None
    assert court.resubmissions == []


async def test_stop_forgets_the_answers(court):
    dispatcher = CollectingDispatcher()
    events = await ActionStopCorrection().run(dispatcher, tracker(slots=slots()), {})
    assert "已退出补正" in said(dispatcher)
    assert slot_events(events) == {**{slot: None for slot in CORRECTION_SLOTS}, "requested_slot": None}


async def test_the_third_ask_of_the_same_item_offers_a_way_out(court):
    """Two unusable answers to item 1 (no new `correction_answers`): the third ask offers 转人工/退出;
    two items answered in a row offer nothing."""
    asked = {"event": "slot", "name": "requested_slot", "value": "correction_input"}
    user = {"event": "user", "text": "不知道", "parse_data": {"intent": {"name": "inform"}}}
    answered = {"event": "slot", "name": "correction_answers", "value": {"0": {"text": "x"}}}
    for events, offered in (([asked, user, asked, user, asked], True),
                            ([asked, user, answered, asked, user, answered, asked], False)):
        dispatcher = CollectingDispatcher()
        t = Tracker("conv-1", slots(answers={}), {}, events, False, None, {"name": "correction_form"}, "action_listen")
        await ActionAskCorrectionInput().run(dispatcher, t, {})
        assert "第1项（共3项）" in said(dispatcher)
        assert (WAY_OUT in said(dispatcher)) is offered
