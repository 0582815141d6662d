"""Every form takes a valid answer that the classifier misread (issue 14): the requested slot's validator
gets the message first, through each form's real `run` with the real domain.yml; a digression is taken
only when the message does not fill the question. One test (or more) per form, against the fake backend.

Where the intent is one the slot's from_text mapping skips (faq, query_status, thank …), nothing is
extracted by Rasa before the validator runs; forms/digression.py offers the message to the validator."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from forms.case_file import ValidateCaseFileForm
from forms.cancel import ValidateCancelForm
from forms.correction import ValidateCorrectionForm
from forms.enforcement import ValidateEnforcementForm
from forms.fees import ValidateFeeForm
from forms.filing import ValidateFilingForm
from forms.identity import ValidateVerifyForm
from forms.payment import ValidateHandoffForm, ValidatePaymentForm
from forms.status import ValidateStatusForm
from bot.texts import SMALL_TALK_IN_FORM
from forms.upload import ValidateUploadForm
from tests.actions.fake_court import TOKEN, court, filing  # noqa: F401

DOMAIN = yaml.safe_load(Path(__file__).resolve().parents[2].joinpath("domain.yml").read_text(encoding="utf-8"))
VERIFIED = {"identity_name": "谢芳", "identity_id_number": "11010519491231002X", "identity_phone": "13800138000",
            "sms_code": "已验证", "litigant_token": TOKEN}
FAQ_ANSWER = "（常见问题的回答）"


async def turn(form: Any, text: str, intent: str, requested: str, slots: Optional[dict] = None,
               set_by_rasa: Optional[dict] = None) -> tuple[dict, list[str]]:
    """One message to `form` while it asks `requested`: the slots its validation sets, and what it says.
    `set_by_rasa`: what the slot's from_text mapping has already taken (intents it does not skip)."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.93}, "entities": [],
               "response_selector": {"faq": {"response": {"responses": [{"text": FAQ_ANSWER}],
                                                          "intent_response_key": "faq/materials"}}}}
    events: list[dict] = [{"event": "user", "text": text, "parse_data": message}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (set_by_rasa or {}).items()]
    name = form.name().removeprefix("validate_")
    tracker = Tracker("conv-1", {**(slots or {}), **(set_by_rasa or {}), "requested_slot": requested}, message,
                      events, False, None, {"name": name}, "action_listen")
    dispatcher = CollectingDispatcher()
    result = await form.run(dispatcher, tracker, DOMAIN)
    return ({e["name"]: e["value"] for e in result if e.get("event") == "slot"},
            [m.get("text") or "" for m in dispatcher.messages])


@pytest.mark.parametrize("form", [ValidateStatusForm(), ValidateFilingForm(), ValidateVerifyForm()])
async def test_a_name_heard_as_thanks_is_the_name(form):
    slots, said = await turn(form, "谢芳", "thank", "identity_name", {"case_type": "民间借贷纠纷"})
    assert slots["identity_name"] == "谢芳", said


async def test_an_id_number_in_full_width_digits_with_a_lowercase_x_heard_as_a_status_query(court):
    slots, said = await turn(ValidateCancelForm(), "１１０１０５１９４９１２３１００２x", "query_status",
                             "identity_id_number", {"identity_name": "谢芳"})
    assert slots["identity_id_number"] == "11010519491231002X", said


async def test_a_phone_in_full_width_digits_heard_as_a_question_gets_its_code(court):
    slots, said = await turn(ValidatePaymentForm(), "１３８ ００１３ ８０００", "faq", "identity_phone",
                             {"identity_name": "钱多多", "identity_id_number": "11010519491231002X"})
    assert slots["identity_phone"] == "13800138000" and slots["identity_challenge"], said
    assert FAQ_ANSWER not in said


@pytest.mark.parametrize("text, intent", [("诉讼费交了以后还能退吗？", "faq"), ("我想问诉讼费怎么交", "ask_fee")])
async def test_the_handoff_question_is_the_litigants_words_whatever_they_sound_like(text, intent):
    slots, said = await turn(ValidateHandoffForm(), text, intent, "handoff_question", VERIFIED)
    assert slots["handoff_question"] == text and FAQ_ANSWER not in said


async def test_an_amount_written_1wan5_heard_as_a_question_is_the_amount():
    slots, said = await turn(ValidateFeeForm(), "1万5", "faq", "fee_amount", {"fee_category": "property"})
    assert slots["fee_amount"] == "15000.00" and FAQ_ANSWER not in said


async def test_a_tapped_fee_category_is_read_without_the_nlu():
    message = {"text": '/inform{"fee_category":"divorce"}', "intent": {"name": "inform", "confidence": 1.0},
               "entities": [{"entity": "fee_category", "value": "divorce"}]}
    tracker = Tracker("conv-1", {"requested_slot": "fee_category"}, message, [{"event": "user", "parse_data": message}],
                      False, None, {"name": "fee_form"}, "action_listen")
    result = await ValidateFeeForm().run(CollectingDispatcher(), tracker, DOMAIN)
    assert {"event": "slot", "name": "fee_category", "value": "divorce", "timestamp": None} in result


async def test_enforcement_answers_heard_as_questions_or_thanks():
    slots, said = await turn(ValidateEnforcementForm(), "2025年6月30日", "faq", "enf_performance_day", VERIFIED)
    assert slots["enf_performance_day"] == "2025-06-30" and FAQ_ANSWER not in said
    # thanks is not skipped by enf_respondent's mapping: Rasa has taken the text, the validator keeps all of it
    slots, said = await turn(ValidateEnforcementForm(), "钱多多", "thank", "enf_respondent", VERIFIED,
                             set_by_rasa={"enf_respondent": "钱多多"})
    assert slots["enf_respondent"] == "钱多多", said


@pytest.mark.parametrize("form, slot, status", [
    (ValidateCorrectionForm(), "correction_target", "needs_correction"),
    (ValidateCaseFileForm(), "case_file_target", "pending_review"),
    (ValidateUploadForm(), "upload_target", "pending_review"),
    (ValidateCancelForm(), "cancel_target", "pending_review"),
])
async def test_a_filing_number_heard_as_a_status_query_chooses_the_filing(court, form, slot, status):
    court.add(filing("LA20261128000001", status, items=["请补充被告的联系电话"]))
    court.add(filing("LA20261128000002", status, items=["请补充被告的联系电话"]))
    slots, said = await turn(form, "就是LA20261128000002这个", "query_status", slot, VERIFIED)
    assert slots[slot] == "LA20261128000002", said


async def test_a_correction_item_heard_as_a_question_is_the_item():
    items = {"filing": "LA20261128000001", "items": [{"text": "事实与理由部分请补充借款的具体日期", "kind": "facts"}]}
    slots, said = await turn(ValidateCorrectionForm(), "借款日期是2023年3月1日，当天银行转账。", "faq", "correction_input",
                             {**VERIFIED, "correction_target": "LA20261128000001", "correction_items": items,
                              "correction_answers": {}})
    assert slots["correction_input"] == "已完成" or slots["correction_answers"], said
    assert FAQ_ANSWER not in said


async def test_a_real_question_is_answered_and_the_question_kept(court):
    court.add(filing("LA20261128000001", "pending_review"))
    court.add(filing("LA20261128000002", "pending_review"))
    slots, said = await turn(ValidateCancelForm(), "撤回以后还能再起诉吗？", "faq", "cancel_target", VERIFIED)
    assert said == [FAQ_ANSWER] and slots == {"cancel_target": None, "requested_slot": "cancel_target"}


async def test_a_status_query_that_is_not_an_answer_is_left_to_its_rule(court):
    slots, said = await turn(ValidateCancelForm(), "查一下我的案子", "query_status", "identity_id_number",
                             {"identity_name": "谢芳"})
    assert "identity_id_number" not in slots and said == []  # the form rejects; the status rule takes it


async def test_another_journey_asked_for_during_the_fee_question_is_not_kept_in_it():
    slots, said = await turn(ValidateFeeForm(), "我要立案", "file_case", "fee_category")
    assert slots == {} and said == []  # the form rejects: the filing rule starts the filing
    slots, said = await turn(ValidateFeeForm(), "随便说说", "inform", "fee_category")
    assert slots == {"fee_category": None} and said  # an unreadable answer is explained and asked again


async def test_a_question_tried_as_the_answer_is_kept_as_typed_not_as_the_nlu_spelled_it():
    typed = "撤回以后还能重新起诉吗？我是谢芳"
    message = {"text": "撤回以后还能重新起诉吗?我是谢芳", "text_original": typed,  # the normaliser's NFKC
               "intent": {"name": "faq", "confidence": 0.9}, "entities": []}
    tracker = Tracker("conv-1", {**VERIFIED, "requested_slot": "handoff_question"}, message,
                      [{"event": "user", "text": typed, "parse_data": message}], False, None,
                      {"name": "handoff_form"}, "action_listen")
    result = await ValidateHandoffForm().run(CollectingDispatcher(), tracker, DOMAIN)
    assert {"event": "slot", "name": "handoff_question", "value": typed, "timestamp": None} in result


@pytest.mark.parametrize("text, intent, taken", [("我想起诉", "file_case", None), ("转人工", "request_human", None),
                                                 ("高明", "file_case", "高明"), ("文静", "inform", "文静")])
async def test_a_request_heard_while_asked_the_name_is_not_taken_for_a_name(text, intent, taken):
    slots, said = await turn(ValidateHandoffForm(), text, intent, "identity_name", set_by_rasa={"identity_name": text})
    assert slots["identity_name"] == taken and (taken or "姓名" in said[0])


@pytest.mark.parametrize("form, slot, slots", [
    (ValidateStatusForm(), "identity_name", {}),
    (ValidateCancelForm(), "identity_id_number", {"identity_name": "谢芳"}),
    (ValidateFeeForm(), "fee_category", {}),
    (ValidateFilingForm(), "mediation_consent", VERIFIED),
    (ValidateEnforcementForm(), "enf_performance_day", VERIFIED),
])
@pytest.mark.parametrize("text, intent", [("你好", "greet"), ("谢谢啊", "thank"), ("明天天气怎么样", "out_of_scope")])
async def test_small_talk_in_any_form_gets_a_word_and_the_question_again(court, form, slot, slots, text, intent):
    """Left to their rules, these answered as if nothing were under way ("请问有什么可以帮您？") and the
    question was not asked again; now the form answers in a word and keeps its question."""
    got, said = await turn(form, text, intent, slot, slots)
    assert said == [SMALL_TALK_IN_FORM[intent]]
    assert got == {slot: None, "requested_slot": slot}


async def test_a_name_read_as_out_of_scope_is_the_name(court):
    """高文 reads as out_of_scope; the name slot's mapping has taken it, and it stays the name."""
    slots, said = await turn(ValidateFilingForm(), "高文", "out_of_scope", "plaintiff_name",
                             {**VERIFIED, "filer_is_plaintiff": False}, set_by_rasa={"plaintiff_name": "高文"})
    assert slots["plaintiff_name"] == "高文" and SMALL_TALK_IN_FORM["out_of_scope"] not in said
