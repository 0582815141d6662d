"""Five SMS codes an hour (the backend's 429 with Retry-After): the bot says when to come back and offers
to stop, instead of asking for the phone again at once."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.way_out import waiting
from forms.filing import ValidateFilingForm
from tests.actions.fake_court import court  # noqa: F401

SLOTS = {"identity_name": "谢芳", "identity_id_number": "11010519491231002X", "requested_slot": "identity_phone"}


def _tracker(text: str) -> Tracker:
    return Tracker("t1", dict(SLOTS), {"text": text, "intent": {"name": "inform"}}, [], False, None,
                   {"name": "filing_form"}, "action_listen")


async def test_the_sixth_code_in_an_hour_says_when_and_offers_a_way_out(court):
    court.codes_left = 1
    dispatcher = CollectingDispatcher()
    first = await ValidateFilingForm().validate_identity_phone("13800138000", dispatcher, _tracker("13800138000"), {})
    assert first["identity_phone"] == "13800138000" and first["identity_challenge"] == "c0"
    dispatcher = CollectingDispatcher()
    limited = await ValidateFilingForm().validate_identity_phone("13800138000", dispatcher, _tracker("13800138000"), {})
    assert limited["identity_phone"] is None and waiting(limited["sms_retry_at"])
    said = dispatcher.messages[0]
    assert "以后再试（约20分钟后）" in said["text"] and "12368" in said["text"]
    assert said["buttons"] == [{"title": "稍后再办", "payload": "/stop"}]
