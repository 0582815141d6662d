"""Near misses of 案由 and courts, by characters and by pinyin; offered with yes/no buttons, never taken."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.readers.fuzzy import guesses
from bot.texts import inform
from forms.filing import ValidateFilingForm


@pytest.mark.parametrize("typed, kind, expected", [
    ("民间借代纠纷", "case_type", "民间借贷纠纷"),  # a homophone typo
    ("买卖和同纠纷", "case_type", "买卖合同纠纷"),
    ("北京市朝杨区人民法院", "court", "北京市朝阳区人民法院"),
    ("北京是朝阳区人民法院", "court", "北京市朝阳区人民法院"),
    ("朝杨法院", "court", "朝阳法院"),
])
def test_a_near_miss_is_guessed_first(typed, kind, expected):
    assert guesses(typed, kind)[0] == expected


@pytest.mark.parametrize("typed, kind", [("离婚纠纷", "case_type"), ("随便写的", "court"), ("借钱", "case_type"), ("", "court")])
def test_a_known_name_or_something_else_is_no_guess(typed, kind):
    assert guesses(typed, kind) == []


def _tracker(text: str, intent: str = "inform") -> Tracker:
    return Tracker("t1", {"requested_slot": "case_type"}, {"text": text, "intent": {"name": intent}, "entities": []},
                   [], False, None, {"name": "filing_form"}, "action_listen")


def test_the_case_type_validator_offers_the_guess_with_yes_and_no_buttons():
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ValidateFilingForm().validate_case_type("民间借代纠纷", dispatcher, _tracker("民间借代纠纷"), {}))
    assert result == {"case_type": None}
    buttons = dispatcher.messages[0]["buttons"]
    assert buttons[0] == {"title": "民间借贷纠纷", "payload": inform("case_type", "民间借贷纠纷")}
    assert buttons[-1]["payload"] == "/deny" and "民间借代纠纷" in dispatcher.messages[0]["text"]
    dispatcher = CollectingDispatcher()  # 都不是
    assert asyncio.run(ValidateFilingForm().validate_case_type("/deny", dispatcher, _tracker("/deny", "deny"), {})) == {
        "case_type": None}
    assert "案由" in dispatcher.messages[0]["text"]
