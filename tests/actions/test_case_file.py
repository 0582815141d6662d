"""Asking for the case file (电子卷宗): identity first, which filing, then the catalogue and the link."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.case_file import ActionAskCaseFileTarget, ActionSendCaseFile
from bot.own_filings import NONE
from forms.case_file import ValidateCaseFileForm
from tests.actions.fake_court import CODE, OTHER_TOKEN, TOKEN, court, filing, said, tracker  # noqa: F401

DOMAIN = {"forms": {"case_file_form": {"required_slots": [
    "identity_name", "identity_id_number", "identity_phone", "sms_code", "case_file_target"]}}}


async def test_after_the_sms_code_the_only_filing_is_chosen_whatever_its_status(court):
    court.add(filing("LA20261128000002", "rejected"))
    court.add(filing("LA20261128000003", "pending_review"), owner=OTHER_TOKEN)
    t = tracker(CODE, slots={"identity_challenge": "c1"}, form="case_file_form")
    result = await ValidateCaseFileForm().validate_sms_code(CODE, CollectingDispatcher(), t, DOMAIN)
    assert result["case_file_target"] == "LA20261128000002"


async def test_no_filing_at_all_says_so(court):
    t = tracker(CODE, slots={"identity_challenge": "c1"}, form="case_file_form")
    result = await ValidateCaseFileForm().validate_sms_code(CODE, CollectingDispatcher(), t, DOMAIN)
    assert result["case_file_target"] == NONE
    dispatcher = CollectingDispatcher()
    events = await ActionSendCaseFile().run(dispatcher, tracker(slots={"litigant_token": TOKEN,
                                                                       "case_file_target": NONE}), {})
    assert "暂无电子卷宗" in said(dispatcher) and "http" not in said(dispatcher)
    assert events == [{"event": "slot", "timestamp": None, "name": "case_file_target", "value": None}]


async def test_several_are_offered_and_a_foreign_number_refused(court):
    court.add(filing("LA20261128000001", "docketed"))
    court.add(filing("LA20261128000004", "withdrawn"))
    court.add(filing("LA20261128000009", "pending_review"), owner=OTHER_TOKEN)
    dispatcher = CollectingDispatcher()
    await ActionAskCaseFileTarget().run(dispatcher, tracker(slots={"litigant_token": TOKEN},
                                                            form="case_file_form"), {})
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [
        '/inform{"filing_id":"LA20261128000001"}', '/inform{"filing_id":"LA20261128000004"}']
    form, t = ValidateCaseFileForm(), tracker(slots={"litigant_token": TOKEN}, form="case_file_form")
    dispatcher = CollectingDispatcher()
    assert await form.validate_case_file_target("LA20261128000009", dispatcher, t, DOMAIN) == {
        "case_file_target": None}
    assert "没有查到您名下" in said(dispatcher)
    assert await form.validate_case_file_target("LA20261128000004", CollectingDispatcher(), t, DOMAIN) == {
        "case_file_target": "LA20261128000004"}


async def test_the_link_and_the_catalogue(court, monkeypatch):
    monkeypatch.setenv("COURT_PUBLIC_BASE_URL", "https://court.example.cn/")
    court.add(filing("LA20261128000001", "docketed"))
    dispatcher = CollectingDispatcher()
    t = tracker(slots={"litigant_token": TOKEN, "case_file_target": "LA20261128000001"}, channel="wechat")
    await ActionSendCaseFile().run(dispatcher, t, {})
    text = said(dispatcher)
    assert "https://court.example.cn/api/v1/case-files/LA20261128000001/download?expires=1&sig=" in text
    assert "共2件材料、4页" in text and "7日内有效" in text
    assert "1. 民事起诉状（2026-11-28，当事人，第2-3页）" in text and "2. 受理案件通知书（2026-11-30，本院，第4页）" in text


async def test_someone_elses_number_reaching_the_action_is_refused(court):
    court.add(filing("LA20261128000009", "pending_review"), owner=OTHER_TOKEN)
    dispatcher = CollectingDispatcher()
    await ActionSendCaseFile().run(dispatcher, tracker(slots={"litigant_token": TOKEN,
                                                              "case_file_target": "LA20261128000009"}), {})
    assert "没有查到您名下的立案申请 LA20261128000009" in said(dispatcher) and "http" not in said(dispatcher)
