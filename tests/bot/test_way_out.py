"""No loops: the third ask of one question offers a way out; a rate-limited phone says when to come back."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.ask import ASK_ACTIONS
from bot.texts import WAY_OUT, WAY_OUT_BUTTONS, WAY_OUT_FILING_BUTTONS
from bot.way_out import retry_at, times_asked, too_many_codes, waiting, way_out


def asked(slot: str) -> dict:
    return {"event": "slot", "name": "requested_slot", "value": slot}


USER = {"event": "user", "text": "？"}


def test_answers_are_counted_from_when_the_question_was_first_asked():
    events = [USER, asked("case_type"), USER, asked("court")]
    assert times_asked(events, "court") == 0  # the answer to the case type is not an answer to the court
    events += [USER, asked("court"), USER, asked("court")]
    assert times_asked(events, "court") == 2 and times_asked(events, "case_type") == 0
    assert times_asked(events + [{"event": "active_loop", "name": None}], "court") == 0


def test_the_third_ask_offers_a_way_out_fitting_the_form():
    events = [asked("court"), USER, asked("court")]
    assert way_out(events, "court", "filing_form") is None
    events += [USER, asked("court")]
    assert way_out(events, "court", "filing_form") == {"text": WAY_OUT, "buttons": WAY_OUT_FILING_BUTTONS}
    assert way_out(events, "court", "status_form")["buttons"] == WAY_OUT_BUTTONS
    assert all(b["payload"].startswith("/") for b in WAY_OUT_FILING_BUTTONS + WAY_OUT_BUTTONS)


def _ask(slot: str, events: list, slots: dict | None = None) -> list[dict]:
    action = next(a() for a in ASK_ACTIONS if a().name() == f"action_ask_{slot}")
    t = Tracker("t1", slots or {}, {"text": "x", "intent": {"name": "inform"}}, events, False, None,
                {"name": "filing_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages


def test_the_ask_action_adds_the_way_out_only_the_third_time():
    once = _ask("facts", [asked("facts")])
    thrice = _ask("facts", [asked("facts"), USER, asked("facts"), USER, asked("facts")])
    assert len(once) == 1 and len(thrice) == 2 and thrice[1]["buttons"] == WAY_OUT_FILING_BUTTONS


def test_a_rate_limited_phone_is_told_when_and_not_asked_again_at_once():
    now = datetime(2026, 3, 1, 2, 25, tzinfo=timezone.utc)
    said = too_many_codes(35 * 60 + 1, now)
    assert "11:01以后" in said["text"] and "约36分钟" in said["text"] and said["buttons"][0]["payload"] == "/stop"
    until = retry_at(35 * 60 + 1, now)
    assert waiting(until, now) and not waiting(until, datetime(2026, 3, 1, 3, 1, 2, tzinfo=timezone.utc))
    assert _ask("identity_phone", [], {"sms_retry_at": retry_at(600)}) == []
    assert _ask("identity_phone", [], {"sms_retry_at": None})[0]["text"].startswith("请输入您本人的手机号码")


def test_a_question_asked_once_per_item_counts_each_item_on_its_own():
    """补正 asks `correction_input` for every item: an answered item (a new `correction_answers`) is not a
    failed ask of the next one, but two unusable answers to the same item are."""
    answered = {"event": "slot", "name": "correction_answers", "value": {"0": {"text": "x"}}}
    events = [asked("correction_input"), USER, answered, asked("correction_input"),
              USER, {**answered, "value": {"0": {}, "1": {}}}, asked("correction_input")]
    assert times_asked(events, "correction_input") == 2  # without progress every item counts
    assert times_asked(events, "correction_input", progress="correction_answers") == 0
    events += [USER, asked("correction_input"), USER, asked("correction_input")]
    assert times_asked(events, "correction_input", progress="correction_answers") == 2
    assert way_out(events, "correction_input", "correction_form", progress="correction_answers") == {
        "text": WAY_OUT, "buttons": WAY_OUT_BUTTONS}
