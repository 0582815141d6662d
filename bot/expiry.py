"""A litigant token that stopped working in the middle of a conversation (issue 9): re-verified
elsewhere (which revokes the earlier tokens), logged out with `DELETE /identity/session`, or expired.

The backend answers 401 and bot/court_client.py raises SessionExpired. Instead of the backend's
error text, the bot says politely that the verification has expired and asks for identity again in
the same form, keeping every answer of the journey; once verified, the form goes on (or, when it
was already complete, ends again and its action runs). Pure functions returning rasa_sdk events.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.texts import QUESTIONS, SESSION_EXPIRED

# What 实名认证 sets (forms/identity.py): cleared, so that every form asks its identity questions again.
IDENTITY_STATE = ("identity_name", "identity_id_number", "identity_phone", "sms_code", "identity_challenge",
                  "litigant_token")
FIRST_QUESTION = "identity_name"
# The ID number whose token ended: the journey's answers are that person's, so only they may verify
# again to go on with them (forms/identity.py); someone else must start over (after_stop clears it).
OWNER = "reverify_id_number"


def cleared(tracker: Optional[Tracker] = None) -> List[Dict[Text, Any]]:
    """The identity slots emptied, so that the form asks the name, and the expired identity's ID number
    kept as the answers' owner."""
    owner = (tracker.get_slot(OWNER) or tracker.get_slot("identity_id_number")) if tracker else None
    return [SlotSet(slot, None) for slot in IDENTITY_STATE] + ([SlotSet(OWNER, owner)] if owner else [])


def in_validator(dispatcher: CollectingDispatcher, tracker: Optional[Tracker] = None) -> List[Dict[Text, Any]]:
    """A form's validator met the 401: the apology, the identity slots cleared and the name asked next
    (a validation's requested_slot is the one Rasa asks: it must be the only one among its events)."""
    dispatcher.utter_message(text=SESSION_EXPIRED)
    return cleared(tracker) + [SlotSet("requested_slot", FIRST_QUESTION)]


def without_requested_slot(events: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """A validation's events minus the next question it chose (replaced by in_validator's)."""
    return [e for e in events if not (e.get("event") == "slot" and e.get("name") == "requested_slot")]


def in_question(dispatcher: CollectingDispatcher, tracker: Optional[Tracker] = None) -> List[Dict[Text, Any]]:
    """A form's question (action_ask_…) met the 401: the apology and the name question instead; the
    form's requested slot becomes the name, so the next message is read as the name."""
    dispatcher.utter_message(text=SESSION_EXPIRED)
    dispatcher.utter_message(**QUESTIONS[FIRST_QUESTION].kwargs())
    return cleared(tracker) + [SlotSet("requested_slot", FIRST_QUESTION)]


def after_form(dispatcher: CollectingDispatcher, form: str,
               tracker: Optional[Tracker] = None) -> List[Dict[Text, Any]]:
    """The journey's action after its form met the 401: the form is opened again; only identity is
    missing, so it asks for it and, once verified, ends and this action runs again with the same answers."""
    dispatcher.utter_message(text=SESSION_EXPIRED)
    return cleared(tracker) + [FollowupAction(form)]


def after_stop() -> List[Dict[Text, Any]]:
    """The litigant is leaving anyway: only the dead token's identity is forgotten (asked next time)."""
    return [SlotSet(slot, None) for slot in (*IDENTITY_STATE, OWNER)]
