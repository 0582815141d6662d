"""The 补正 journey's state in the tracker: which slots it owns and how its items and answers are kept.

The validators (forms/correction.py) fill these slots, the actions (actions/correction.py) read
them back and clear them.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

DONE = "已完成"  # correction_input once every item has its answer
# Slots this journey owns; identity and the litigant token stay (asked once per conversation).
CORRECTION_SLOTS = ["correction_target", "correction_items", "correction_answers", "correction_seen_docs",
                    "correction_input", "correction_confirmed", "correction_choosing"]


def items_of(tracker: Tracker) -> list[dict[str, Any]]:
    """The notice's items, each sorted into typed or uploaded (bot/readers/correction_items.py)."""
    loaded = tracker.get_slot("correction_items")
    return list(loaded.get("items") or []) if isinstance(loaded, dict) else []


def answers_of(tracker: Tracker) -> dict[str, Any]:
    """The answers so far, keyed by the item's index (as text)."""
    answers = tracker.get_slot("correction_answers")
    return dict(answers) if isinstance(answers, dict) else {}
