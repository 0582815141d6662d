"""Uploading evidence: which filing (own, 待审核 or 需补正), then the widget's panel or the way to it."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.upload import ActionAskUploadTarget, ActionOpenUpload
from bot.texts import inform
from bot.own_filings import NONE
from forms.upload import ValidateUploadForm
from tests.actions.fake_court import CODE, OTHER_TOKEN, TOKEN, court, filing, said, tracker  # noqa: F401

DOMAIN = {"forms": {"upload_form": {"required_slots": [
    "identity_name", "identity_id_number", "identity_phone", "sms_code", "upload_target"]}}}


async def test_after_the_sms_code_the_only_open_filing_is_chosen(court):
    court.add(filing("LA20261128000001", "pending_review"))
    court.add(filing("LA20261128000002", "docketed"))
    court.add(filing("LA20261128000003", "needs_correction", items=["x"]), owner=OTHER_TOKEN)
    t = tracker(CODE, slots={"identity_challenge": "c1"}, form="upload_form")
    result = await ValidateUploadForm().validate_sms_code(CODE, CollectingDispatcher(), t, DOMAIN)
    assert result["upload_target"] == "LA20261128000001"


async def test_no_open_filing_ends_the_form(court):
    court.add(filing("LA20261128000002", "withdrawn"))
    t = tracker(CODE, slots={"identity_challenge": "c1"}, form="upload_form")
    result = await ValidateUploadForm().validate_sms_code(CODE, CollectingDispatcher(), t, DOMAIN)
    assert result["upload_target"] == NONE
    dispatcher = CollectingDispatcher()
    await ActionOpenUpload().run(dispatcher, tracker(slots={"litigant_token": TOKEN, "upload_target": NONE}), {})
    assert "没有可以上传材料的立案申请" in said(dispatcher) and not any(m.get("custom") for m in dispatcher.messages)


async def test_several_are_offered_and_a_closed_or_foreign_number_refused(court):
    court.add(filing("LA20261128000001", "pending_review"))
    court.add(filing("LA20261128000004", "needs_correction", items=["x"]))
    court.add(filing("LA20261128000002", "rejected"))
    court.add(filing("LA20261128000009", "pending_review"), owner=OTHER_TOKEN)
    dispatcher = CollectingDispatcher()
    await ActionAskUploadTarget().run(dispatcher, tracker(slots={"litigant_token": TOKEN}, form="upload_form"), {})
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [inform("filing_id", n) for n in ("LA20261128000001", "LA20261128000004")]
    form, t = ValidateUploadForm(), tracker(slots={"litigant_token": TOKEN}, form="upload_form")
    dispatcher = CollectingDispatcher()
    assert await form.validate_upload_target("LA20261128000002", dispatcher, t, DOMAIN) == {"upload_target": None}
    assert "不予立案" in said(dispatcher)
    dispatcher = CollectingDispatcher()
    assert await form.validate_upload_target("LA20261128000009", dispatcher, t, DOMAIN) == {"upload_target": None}
    assert "没有查到您名下" in said(dispatcher)
    assert await form.validate_upload_target("LA20261128000004", CollectingDispatcher(), t, DOMAIN) == {
        "upload_target": "LA20261128000004"}


async def test_the_widget_gets_the_panel_with_the_courts_limits(court):
    court.add(filing("LA20261128000001", "pending_review"))
    dispatcher = CollectingDispatcher()
    t = tracker(slots={"litigant_token": TOKEN, "upload_target": "LA20261128000001"}, channel="socketio")
    events = await ActionOpenUpload().run(dispatcher, t, {})
    text = said(dispatcher)
    assert "15 MB" in text and "每份申请最多30份" in text and "JPEG 图片" in text  # from GetPolicy, not hard-coded
    assert [m["custom"] for m in dispatcher.messages if m.get("custom")] == [
        {"data": {"litigant_token": TOKEN, "filing_id": "LA20261128000001"}}]
    assert events == [{"event": "slot", "timestamp": None, "name": "upload_target", "value": None}]


async def test_other_channels_are_sent_to_the_courts_page_and_told_about_correction(court, monkeypatch):
    monkeypatch.setenv("COURT_PUBLIC_BASE_URL", "https://court.example.cn/")
    court.add(filing("LA20261128000004", "needs_correction", items=["请提交借条照片"]))
    dispatcher = CollectingDispatcher()
    t = tracker(slots={"litigant_token": TOKEN, "upload_target": "LA20261128000004"}, channel="wechat")
    await ActionOpenUpload().run(dispatcher, t, {})
    assert "https://court.example.cn/" in said(dispatcher) and not any(m.get("custom") for m in dispatcher.messages)
    assert dispatcher.messages[-1]["buttons"] == [{"title": "我要补正", "payload": "/submit_correction"}]
