"""Tracker helpers read the message as the litigant typed it, not as the NLU normalised it."""
from __future__ import annotations

from rasa_sdk import Tracker

from bot.tracker import latest_text


def tracker_with(message: dict) -> Tracker:
    return Tracker("t", {}, message, [], False, None, {}, "action_listen")


def test_latest_text_prefers_what_was_typed_over_the_normalised_text() -> None:
    # TextNormalizer turns （） into () for the classifier; a company's name keeps its own brackets.
    message = {"text": "某某(北京)有限公司", "text_original": "某某（北京）有限公司"}
    assert latest_text(tracker_with(message)) == "某某（北京）有限公司"


def test_latest_text_is_the_text_when_nothing_was_normalised() -> None:
    assert latest_text(tracker_with({"text": "张三"})) == "张三"
    assert latest_text(tracker_with({})) == ""
