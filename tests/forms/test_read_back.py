"""Issue 14 at the filing's read-back and inside the form: buttons that carry their meaning, changes in
free words, and the form's answer before a guessed FAQ. Runs rasa_sdk's whole validation (run()), so
what rasa_sdk keeps and drops of the returned slots is part of what is tested."""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.filing import ActionResetFiling, FORM_SLOTS
from bot.readers.read_back import read_change
from bot.texts import FILING_CONFIRM_BUTTONS, WHAT_TO_CHANGE, inform
from forms.filing import ValidateFilingForm

DOMAIN = yaml.safe_load(Path(__file__).resolve().parents[2].joinpath("domain.yml").read_text(encoding="utf-8"))
DEFENDANT = {"role": "defendant", "kind": "person", "name": "钱多", "address": "上海市浦东新区世纪大道1号"}
READY = {  # a filing answered up to the read-back
    "case_type": "民间借贷纠纷", "identity_name": "谢芳", "identity_id_number": "11010519491231002X",
    "identity_phone": "13800138000", "sms_code": "已验证", "filer_is_plaintiff": True,
    "plaintiff_name": "谢芳", "plaintiff_kind": "person", "plaintiff_id_number": "11010519491231002X",
    "plaintiff_phone": "13800138000", "plaintiff_details": {"ethnicity": "汉族", "occupation": "教师"},
    "plaintiff_address": "北京市朝阳区建国路88号", "more_plaintiffs": False,
    "plaintiffs": [{"role": "plaintiff", "kind": "person", "name": "谢芳", "id_number": "11010519491231002X",
                    "phone": "13800138000", "address": "北京市朝阳区建国路88号"}],
    "defendant_name": "钱多", "defendant_kind": "person", "defendant_details": {}, "defendant_address": DEFENDANT["address"],
    "more_defendants": False, "defendants": [DEFENDANT], "court": "北京市朝阳区人民法院", "court_code": "京0105",
    "claims": [{"text": "判令被告归还借款8万元", "amount": "80000.00"}], "amount": "80000.00",
    "evidence": [{"name": "借条"}], "facts": "2023年3月被告向我借款8万元，至今未还。", "mediation_consent": False,
    "e_service_consent": False, "requested_slot": "filing_confirmed",
}


def tracker(text: str, intent: str, slots: dict, entities: Optional[list] = None, faq: Optional[str] = None) -> Tracker:
    message: dict[str, Any] = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    if faq:
        message["response_selector"] = {"faq": {"response": {"responses": [{"text": faq}]}}}
    events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text, "parse_data": message}]
    return Tracker("t1", dict(slots), message, events, False, None, {"name": "filing_form"}, "action_listen")


def run_form(t: Tracker) -> tuple[dict, list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateFilingForm().run(dispatcher, t, DOMAIN))
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, dispatcher.messages


def test_every_read_back_button_carries_an_intent_payload():
    assert [b["payload"] for b in FILING_CONFIRM_BUTTONS] == ["/affirm", "/deny", "/stop"]
    assert all(b["payload"].startswith('/inform{"field":') for b in WHAT_TO_CHANGE.buttons)


def test_modify_asks_which_item_and_keeps_asking_silently():
    slots, said = run_form(tracker("/deny", "deny", READY))
    assert slots["correcting"] is True and slots["filing_confirmed"] is None
    assert said[0]["text"] == WHAT_TO_CHANGE.text and said[0]["buttons"] == WHAT_TO_CHANGE.buttons


def test_an_item_button_clears_that_item_and_its_companions_and_asks_it():
    slots, _ = run_form(tracker(inform("field", "defendant_name"), "inform", {**READY, "correcting": True},
                                entities=[{"entity": "field", "value": "defendant_name"}]))
    assert slots["defendant_name"] is None and slots["defendants"] is None and slots["correcting"] is False
    assert slots["requested_slot"] == "defendant_name"
    assert slots.get("plaintiffs", READY["plaintiffs"]) == READY["plaintiffs"]  # the filer stays


def test_not_changing_after_all_reads_back_again():
    slots, _ = run_form(tracker(inform("field", "none"), "inform", {**READY, "correcting": True},
                                entities=[{"entity": "field", "value": "none"}]))
    assert slots["correcting"] is False and slots["requested_slot"] == "filing_confirmed"


@pytest.mark.parametrize("text, intent, expected", [
    ("我改主意了，同意诉前调解", "faq", {"mediation_consent": True}),
    ("金额改成5万", "inform", {"amount": "50000.00"}),
    ("不同意电子送达了", "deny", {"e_service_consent": False}),
])
def test_a_change_in_free_words_changes_the_field_and_reads_back(text, intent, expected):
    slots, _ = run_form(tracker(text, intent, {**READY, "e_service_consent": True, "e_service_address": "13800138000"}))
    assert {k: slots[k] for k in expected} == expected
    assert slots["requested_slot"] == "filing_confirmed" and slots["filing_confirmed"] is None


def test_a_defendant_renamed_in_words_keeps_the_address_and_is_not_twice():
    slots, said = run_form(tracker("被告名字不对，应该是钱多多", "inform", READY))
    assert slots["defendant_name"] == "钱多多" and slots["defendant_address"] == DEFENDANT["address"]
    assert not slots["defendants"] and slots["requested_slot"] == "filing_confirmed"
    assert not any("已经是" in (m.get("text") or "") for m in said)


def test_a_question_about_a_field_is_not_a_change():
    assert read_change("调解是什么意思？") is not None  # it names the field …
    slots, _ = run_form(tracker("调解是什么意思？", "faq", READY))
    assert "mediation_consent" not in slots  # … but changes nothing: the FAQ answers it


def test_a_change_read_as_a_faq_is_taken_as_the_change_not_answered():
    values, said = run_form(tracker("我改主意了，同意诉前调解", "faq", READY, faq="诉前调解是……"))
    assert values["mediation_consent"] is True and values["requested_slot"] == "filing_confirmed"
    assert "诉前调解是……" not in [m.get("text") for m in said]


def test_an_evidence_list_naming_a_court_is_the_answer_not_the_jurisdiction_faq():
    slots = {k: v for k, v in READY.items() if k not in ("evidence", "facts")} | {"requested_slot": "evidence"}
    values, said = run_form(tracker("借条、朝阳法院的调解书", "faq", slots, faq="管辖……"))
    assert [e["name"] for e in values["evidence"]] == ["借条", "朝阳法院的调解书"]
    assert values["requested_slot"] == "facts" and said == []


def test_a_real_question_in_the_form_is_answered_and_the_question_asked_again():
    values, said = run_form(tracker("立案要准备什么材料", "faq", {"requested_slot": "case_type"}, faq="需要起诉状……"))
    # a slot event keeps Rasa from rejecting the form, which then asks the same question again
    assert values == {"case_type": None, "requested_slot": "case_type"}
    assert [m["text"] for m in said] == ["需要起诉状……"]


def test_a_question_at_the_name_is_not_taken_for_a_name():
    values, said = run_form(tracker("立案要准备什么材料", "faq", {"requested_slot": "identity_name"}, faq="需要……"))
    assert values == {"identity_name": None, "requested_slot": "identity_name"} and said[0]["text"] == "需要……"


def test_a_question_shaped_message_in_a_free_text_answer_is_the_question():
    slots = {k: v for k, v in READY.items() if k not in ("evidence", "facts")} | {"requested_slot": "evidence"}
    values, said = run_form(tracker("证据要准备什么？", "faq", slots, faq="证据……"))
    assert values == {"evidence": None, "requested_slot": "evidence"} and said[0]["text"] == "证据……"


def test_a_filing_started_again_starts_empty():
    events = asyncio.run(ActionResetFiling().run(CollectingDispatcher(), tracker("我要立案", "file_case", READY), {}))
    cleared = {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}
    assert {"plaintiffs", "defendants", "plaintiff_name", "filing_confirmed", "correcting"} <= cleared
    assert cleared == set(FORM_SLOTS) and "identity_name" not in cleared
