"""司法救助 in the filing form (forms/filing_relief.py, bot/readers/relief.py): noticed, asked, read back, sent."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fee_relief import ActionAskFeeReliefGround
from actions.filing_summary import filing_payload, filing_summary
from bot.readers.relief import NO_RELIEF, asks_for_relief, read_ground, read_kind
from tests.forms.test_filing_details import FORM_SLOTS, required
from tests.forms.test_filing_validators import run, tracker


@pytest.mark.parametrize("intent, text, key, expected", [
    ("faq", "我是低保户", "faq/legal_aid", True),
    ("faq", "交不起诉讼费", None, True),  # the sub-intent missed, the words say it
    ("faq", "法院几点上班", "faq/hours", False),
    ("inform", "能不能缓交", None, False),  # an answer to a question, not a digression
])
def test_a_hardship_is_noticed_only_as_a_question(intent, text, key, expected):
    assert asks_for_relief(intent, text, key) is expected


def test_kind_and_ground_are_read_with_the_articles():
    assert read_kind("缓交", True) == ("deferral", None)
    assert read_kind("不申请了", True) == (NO_RELIEF, None)
    kind, problem = read_kind("免交", natural_person=False)
    assert kind is None and "第四十四条第二款" in problem
    assert read_kind("随便", True)[0] is None
    assert read_ground("3", "waiver", True) == ("subsistence_recipient", None)
    assert read_ground("追索赡养费", "waiver", True) == ("maintenance_claim", None)
    assert read_ground("99", "waiver", True)[0] is None


def test_asked_only_after_the_litigant_says_so_and_before_the_read_back():
    assert FORM_SLOTS.index("fee_relief_ground") < FORM_SLOTS.index("filing_confirmed")
    assert "fee_relief_kind" not in required()
    asked = required(fee_relief_wanted=True)
    assert "fee_relief_kind" in asked and "fee_relief_ground" in asked
    assert "fee_relief_ground" not in required(fee_relief_wanted=True, fee_relief_kind=NO_RELIEF)


def test_the_form_notices_the_question_and_sets_the_flag():
    from forms.filing import ValidateFilingForm
    t = Tracker("t1", {"requested_slot": "claims"}, {
        "text": "我是低保户，交不起诉讼费", "intent": {"name": "faq", "confidence": 0.9}, "entities": [],
        "response_selector": {"faq": {"response": {"intent_response_key": "faq/legal_aid"}}}},
        [], False, None, {"name": "filing_form"}, "action_listen")
    events = asyncio.run(ValidateFilingForm().run(CollectingDispatcher(), t, {"forms": {"filing_form": {
        "required_slots": FORM_SLOTS}}, "slots": {}}))
    assert {"event": "slot", "name": "fee_relief_wanted", "value": True, "timestamp": None} in events


def test_validators_and_the_ground_question():
    result, said = run("validate_fee_relief_kind", "免交", tracker("免交", slots={"plaintiff_name": "张三"}))
    assert result["fee_relief_kind"] == "waiver" and not said
    slots = {"fee_relief_kind": "waiver"}
    result, _ = run("validate_fee_relief_ground", "3", tracker("3", slots=slots))
    assert result == {"fee_relief_ground": "subsistence_recipient"}
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskFeeReliefGround().run(dispatcher, tracker("", slots=slots), {}))
    assert "第四十五条" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["buttons"][2]["payload"] == '/inform{"relief_ground":"subsistence_recipient"}'


def test_relief_buttons_carry_the_kind_and_the_ground_and_are_read_without_the_nlu():
    from forms.filing import ValidateFilingForm
    from actions.fee_relief import ActionAskFeeReliefKind
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskFeeReliefKind().run(dispatcher, tracker("", slots={}), {}))
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ['/inform{"relief_kind":"deferral"}', '/inform{"relief_kind":"reduction"}',
                        '/inform{"relief_kind":"waiver"}', '/inform{"relief_kind":"none"}']

    def tap(slot: str, entity: str, value: str, **slots) -> dict:
        t = Tracker("t1", {"requested_slot": slot, **slots}, {
            "text": f'/inform{{"{entity}":"{value}"}}', "intent": {"name": "inform", "confidence": 1.0},
            "entities": [{"entity": entity, "value": value}]}, [], False, None, {"name": "filing_form"}, "action_listen")
        return asyncio.run(getattr(ValidateFilingForm(), f"extract_{slot}")(CollectingDispatcher(), t, {}))

    assert tap("fee_relief_kind", "relief_kind", "reduction") == {"fee_relief_kind": "reduction"}
    assert tap("fee_relief_kind", "relief_kind", "none") == {"fee_relief_kind": NO_RELIEF}
    assert tap("fee_relief_ground", "relief_ground", "subsistence_recipient", fee_relief_kind="waiver") == {
        "fee_relief_ground": "subsistence_recipient"}


def test_the_application_is_read_back_and_sent():
    slots = {"case_type": "民间借贷纠纷", "court": "北京市朝阳区人民法院", "court_code": "京0105", "facts": "借钱不还",
             "claims": [{"text": "判令被告归还借款5万元", "amount": "50000.00"}], "amount": "50000.00",
             "plaintiff_name": "张三", "plaintiff_kind": "person", "defendant_name": "李四", "defendant_kind": "person",
             "fee_relief_wanted": True, "fee_relief_kind": "waiver", "fee_relief_ground": "subsistence_recipient"}
    assert filing_payload(slots, channel="rest", conversation_id="c")["fee_relief"] == {
        "kind": "waiver", "ground": "subsistence_recipient"}
    assert "司法救助：申请免交，最低生活保障对象" in filing_summary(slots)
    assert "fee_relief" not in filing_payload({**slots, "fee_relief_kind": NO_RELIEF}, channel="rest", conversation_id="c")


def test_answers_heard_as_a_faq_are_still_answers():
    from forms.filing import ValidateFilingForm

    def extract(slot: str, text: str, **slots) -> dict:
        t = tracker(text, intent="faq", slots={"requested_slot": slot, **slots})
        return asyncio.run(getattr(ValidateFilingForm(), f"extract_{slot}")(CollectingDispatcher(), t, {}))

    assert extract("fee_relief_kind", "免交") == {"fee_relief_kind": "免交"}
    assert extract("fee_relief_kind", "法院几点上班") == {}
    assert extract("fee_relief_ground", "3", fee_relief_kind="waiver") == {"fee_relief_ground": "3"}
    assert extract("fee_relief_ground", "3") == {}  # no kind chosen yet
