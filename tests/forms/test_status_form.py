"""The status form's number: a case number typed in an earlier journey (the slot takes every case
number the litigant types, e.g. an enforcement's 执行依据) is not what a new query asks for."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from forms.status import ValidateStatusForm
from tests.actions.fake_court import tracker

EARLIER = "（2026）京0105民初1号"


async def _validate(text: str, requested: str | None, value: str = EARLIER) -> dict:
    slots = {"lookup_number": value, "requested_slot": requested}
    return await ValidateStatusForm().validate_lookup_number(
        value, CollectingDispatcher(), tracker(text, "ask_enforcement_status", slots=slots, form="status_form"), {})


async def test_a_number_from_an_earlier_journey_is_not_taken_as_the_form_starts():
    assert await _validate("查询执行进度", None) == {"lookup_number": None}


async def test_a_number_in_the_message_that_starts_the_query_is_taken():
    assert await _validate(f"帮我查一下{EARLIER}的进度", None) == {"lookup_number": EARLIER}
    assert await _validate("查下la20261207000001", None, "la20261207000001") == {"lookup_number": "LA20261207000001"}


async def test_the_answer_to_the_question_is_taken():
    assert await _validate("（2026）京0105执1号", "lookup_number", "（2026）京0105执1号") == {
        "lookup_number": "（2026）京0105执1号"}
