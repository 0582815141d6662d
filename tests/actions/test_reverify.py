"""A token revoked mid-conversation (issue 9): the fake backend answers 401 like the real one, and the
bot asks for identity again — in the form's validator, in its question, or after the form — keeping
the journey's answers, instead of showing the backend's error text."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.cancel import ActionAskCancelTarget
from actions.reverify import ActionResumeJourney
from actions.status import ActionQueryStatus
from bot.texts import SESSION_EXPIRED
from forms.cancel import ValidateCancelForm
from tests.actions.fake_court import TOKEN, court, filing, said, tracker  # noqa: F401

IDENTITY = {"identity_name": "谢芳", "identity_id_number": "11010519491231002X", "identity_phone": "13800138000",
            "sms_code": "已验证", "litigant_token": TOKEN}
CLEARED = {"identity_name", "identity_id_number", "identity_phone", "sms_code", "identity_challenge", "litigant_token"}


def slot_events(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_after_the_form_identity_is_asked_again_and_the_action_runs_once_verified(court):
    court.add(filing("LA20261128000001", "pending_review"))
    court.revoked.add(TOKEN)
    slots = {**IDENTITY, "lookup_number": "LA20261128000001"}
    dispatcher = CollectingDispatcher()
    events = await ActionQueryStatus().run(dispatcher, tracker("LA20261128000001", slots=slots, form=None), {})
    assert said(dispatcher) == SESSION_EXPIRED and "401" not in said(dispatcher)
    set_ = slot_events(events)
    assert {k for k, v in set_.items() if v is None} == CLEARED and set_["resume_action"] == "action_query_status"
    assert "lookup_number" not in set_  # the journey's answer is kept
    assert set_["reverify_id_number"] == IDENTITY["identity_id_number"]  # and whose it is
    assert {"event": "followup", "name": "verify_form", "timestamp": None} in events

    court.revoked.clear()  # verified again: a working token, and the status is told
    dispatcher = CollectingDispatcher()
    again = {**slots, "resume_action": "action_query_status"}
    events = await ActionResumeJourney().run(dispatcher, tracker("123456", slots=again, form=None), {})
    assert "LA20261128000001" in said(dispatcher) and "待审核" in said(dispatcher)
    assert slot_events(events)["resume_action"] is None


async def test_in_a_validator_the_answer_so_far_stays_and_identity_is_asked(court):
    court.add(filing("LA20261128000001", "pending_review"))
    court.revoked.add(TOKEN)
    dispatcher = CollectingDispatcher()
    result = await ValidateCancelForm().validate_turn(
        dispatcher, tracker("LA20261128000001", slots={**IDENTITY, "requested_slot": "cancel_target"},
                            form="cancel_form"), {"forms": {"cancel_form": {"required_slots": [
                                "identity_name", "identity_id_number", "identity_phone", "sms_code",
                                "cancel_target", "cancel_confirmed"]}}, "slots": {}})
    assert said(dispatcher) == SESSION_EXPIRED
    assert {k for k, v in slot_events(result).items() if v is None} >= CLEARED


async def test_in_a_question_the_name_is_asked_next(court):
    court.revoked.add(TOKEN)
    dispatcher = CollectingDispatcher()
    events = await ActionAskCancelTarget().run(dispatcher, tracker("撤回", slots=IDENTITY, form="cancel_form"), {})
    assert SESSION_EXPIRED in said(dispatcher) and "姓名" in said(dispatcher)
    assert slot_events(events)["requested_slot"] == "identity_name"
    assert {k for k, v in slot_events(events).items() if v is None} == CLEARED


async def test_mid_filing_the_answer_is_kept_and_the_name_is_the_next_question(court):
    from pathlib import Path

    import yaml
    from rasa_sdk import Tracker

    from forms.filing import ValidateFilingForm

    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
    court.revoked.add(TOKEN)  # re-verified elsewhere: the draft saved after this answer meets the 401
    facts = "2024年5月被告向我借款3万元，约定半年归还，至今未还。"
    message = {"text": facts, "intent": {"name": "inform", "confidence": 0.9}, "entities": []}
    slots = {**IDENTITY, "case_type": "民间借贷纠纷", "draft_checked": True, "filer_is_plaintiff": True,
             "plaintiff_name": "谢芳", "defendant_name": "钱多多", "requested_slot": "facts", "facts": facts}
    tracker = Tracker("conv-1", slots, message, [{"event": "user", "text": facts, "parse_data": message},
                                                 {"event": "slot", "name": "facts", "value": facts}],
                      False, None, {"name": "filing_form"}, "action_listen")
    first = CollectingDispatcher()  # this answer's draft is saved while its reply goes out: no wait
    events = await ValidateFilingForm().run(first, tracker, domain)
    assert SESSION_EXPIRED not in said(first) and slot_events(events)["facts"] == facts
    dispatcher = CollectingDispatcher()  # the next answer learns that save met the 401
    events = await ValidateFilingForm().run(dispatcher, tracker, domain)
    assert said(dispatcher) == SESSION_EXPIRED
    asked = [e["value"] for e in events if e.get("name") == "requested_slot"]
    assert asked == ["identity_name"]  # the only next question Rasa will find among the events
    assert slot_events(events)["facts"] == facts and slot_events(events)["litigant_token"] is None


async def test_only_the_person_whose_verification_ended_may_verify_again_to_go_on(court):
    """The journey's answers are the first person's: someone else verifying in this conversation would
    carry them on under their own name, so another ID number is refused with a way to start over."""
    owner = IDENTITY["identity_id_number"]
    slots = {"lookup_number": "LA20261128000001", "reverify_id_number": owner, "requested_slot": "identity_id_number"}
    form = ValidateCancelForm()
    dispatcher = CollectingDispatcher()
    other = await form.validate_identity_id_number("110105198503150035", dispatcher,
                                                   tracker("110105198503150035", slots=slots, form="cancel_form"), {})
    assert other == {"identity_id_number": None} and "原来认证" in said(dispatcher)
    assert dispatcher.messages[-1]["buttons"] == [{"title": "换人办理", "payload": "/restart"}]

    dispatcher = CollectingDispatcher()
    same = await form.validate_identity_id_number(owner.lower(), dispatcher,
                                                  tracker(owner.lower(), slots=slots, form="cancel_form"), {})
    assert same == {"identity_id_number": owner} and not said(dispatcher)
