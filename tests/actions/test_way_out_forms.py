"""No state loops in the forms whose questions are their own actions (issue 14): the third ask of the
same question, after two answers, comes with the way out (转人工 / 退出); the first and second do not."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.cancel import ActionAskCancelConfirmed, ActionAskCancelTarget
from actions.fee_relief import ActionAskFeeReliefKind
from bot.texts import WAY_OUT, WAY_OUT_BUTTONS, WAY_OUT_FILING_BUTTONS
from tests.actions.fake_court import TOKEN, court, filing, tracker  # noqa: F401


def asked_with_answers(slot: str, answers: int, form: str, slots: dict):
    events = [{"event": "slot", "name": "requested_slot", "value": slot}]
    for _ in range(answers):
        events += [{"event": "user", "text": "x", "parse_data": {"intent": {"name": "inform"}}},
                   {"event": "slot", "name": "requested_slot", "value": slot}]
    t = tracker("x", slots={**slots, "requested_slot": slot}, form=form)
    t.events = events
    return t


async def offers(action, slot: str, answers: int, form: str, slots: dict) -> list[dict]:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, asked_with_answers(slot, answers, form, slots), {})
    return [m for m in dispatcher.messages if m.get("text") == WAY_OUT]


async def test_the_withdrawal_questions_offer_a_way_out_the_third_time(court):
    court.add(filing("LA20261128000001", "pending_review"))
    court.add(filing("LA20261128000002", "pending_review"))
    slots = {"litigant_token": TOKEN, "cancel_target": "LA20261128000001"}
    for action, slot in ((ActionAskCancelTarget(), "cancel_target"), (ActionAskCancelConfirmed(), "cancel_confirmed")):
        assert await offers(action, slot, 1, "cancel_form", slots) == []
        assert [m["buttons"] for m in await offers(action, slot, 2, "cancel_form", slots)] == [WAY_OUT_BUTTONS]


async def test_the_relief_question_offers_the_filings_way_out_the_third_time():
    assert await offers(ActionAskFeeReliefKind(), "fee_relief_kind", 1, "filing_form", {}) == []
    assert [m["buttons"] for m in await offers(ActionAskFeeReliefKind(), "fee_relief_kind", 2, "filing_form", {})] == [
        WAY_OUT_FILING_BUTTONS]
