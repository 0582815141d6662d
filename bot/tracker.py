"""Reading the latest message off a rasa_sdk Tracker: its intent, its text, an entity's value.

Validators and actions both ask these questions of every turn; one spelling keeps a missing
`latest_message` (a form started by a rule) from being handled three different ways.
"""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent of the litigant's last message, or None before the first one."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_text(tracker: Tracker) -> str:
    """What the litigant typed last ("" when nothing), as typed: the NLU's normaliser
    (bot/nlu/normalizer.py) keeps the typed text as `text_original` when it changed it, and a
    name such as 某某（北京）有限公司 must keep its full-width brackets. The readers normalise
    what they need themselves."""
    message = tracker.latest_message or {}
    return message.get("text_original") or message.get("text") or ""


def latest_entity(tracker: Tracker, name: str) -> Optional[str]:
    """The first value of entity `name` in the last message, as text (the NLU has normalised it)."""
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


def tapped(tracker: Tracker, name: str) -> Optional[str]:
    """The value a tapped button's payload carries (`/inform{"fee_category":"divorce"}`), read without
    the NLU (issue 14); None when the litigant typed words."""
    if not ((tracker.latest_message or {}).get("text") or "").startswith("/"):
        return None
    return latest_entity(tracker, name)
