"""Withdrawing: the confirmation button's payload or its title typed, and a typed no."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from forms.cancel import ValidateCancelForm


@pytest.mark.parametrize("text, intent, expected", [
    ("/affirm", "affirm", True), ("确认撤回", "inform", True), ("确定，撤回", "inform", True), ("确认", "affirm", True),
    ("/deny", "deny", False), ("不撤回", "deny", False), ("不撤回了", "inform", False), ("别撤了", "affirm", False),
])
def test_the_withdrawal_is_confirmed_by_tap_or_words(text, intent, expected):
    t = Tracker("t1", {"requested_slot": "cancel_confirmed"}, {"text": text, "intent": {"name": intent}}, [], False,
                None, {"name": "cancel_form"}, "action_listen")
    result = asyncio.run(ValidateCancelForm().extract_cancel_confirmed(CollectingDispatcher(), t, {}))
    assert result == {"cancel_confirmed": expected}
