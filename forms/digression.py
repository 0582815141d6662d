"""A question in the middle of the filing form: the answer to the form's question comes first.

The NLU can read an answer as a question (an evidence list naming a court → the jurisdiction FAQ; a
change at the read-back, "我改主意了，同意诉前调解" → the mediation FAQ). So the form's validation runs on
the message first; only when it does not fill the question being asked is the FAQ answered, and the
question asked again (issue 14). A validator of the form, it lives in forms/. One rule (data/rules/filing.yml) sends every FAQ inside the form here.
"""
from __future__ import annotations

import inspect
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.readers.read_back import asks_question
from forms.filing import ValidateFilingForm

FROM_TEXT = "from_text"
# Answers that take almost any words: there a message shaped like a question is a question.
FREE_TEXT = {"claims", "evidence", "facts", "plaintiff_address", "defendant_address", "handoff_question"}


def _subclasses(cls: type) -> List[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub] + _subclasses(sub)
    return found


def ask_action(slot: str) -> Optional[Action]:
    """The registered `action_ask_<slot>` (actions/ask.py or a question of its own)."""
    for cls in _subclasses(Action):
        if inspect.isabstract(cls) or cls.__module__.startswith("rasa_sdk"):
            continue
        action = cls()
        if action.name() == f"action_ask_{slot}":
            return action
    return None


def faq_answer(tracker: Tracker) -> Optional[str]:
    """The ResponseSelector's answer to the latest message, as ActionRetrieveResponse would say it."""
    selector = (tracker.latest_message or {}).get("response_selector") or {}
    responses = ((selector.get("faq") or {}).get("response") or {}).get("responses") or []
    return responses[0].get("text") if responses else None


def _from_text(slot: str, domain: Dict[Text, Any]) -> bool:
    mappings = ((domain.get("slots") or {}).get(slot) or {}).get("mappings") or []
    return any(m.get("type") == FROM_TEXT for m in mappings)


class ActionFilingDigression(Action):
    def name(self) -> Text:
        return "action_filing_digression"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        slot = tracker.get_slot("requested_slot")
        if slot:
            events = await self._as_answer(slot, tracker, domain, dispatcher)
            if events is not None:
                return events
        dispatcher.utter_message(text=faq_answer(tracker) or "")
        action = ask_action(slot) if slot else None
        if action:
            await action.run(dispatcher, tracker, domain)
        return []

    async def _as_answer(self, slot: str, tracker: Tracker, domain: Dict[Text, Any],
                         dispatcher: CollectingDispatcher) -> Optional[List[Dict[Text, Any]]]:
        """The form's validation of the message as the answer to `slot`; None when it does not fill it."""
        text = (tracker.latest_message or {}).get("text") or ""
        if slot in FREE_TEXT and asks_question(text):
            return None
        trial = Tracker.from_dict(tracker.current_state())
        if _from_text(slot, domain):  # what the slot's from_text mapping would have taken
            trial.add_slots([SlotSet(slot, text)])
        quiet = CollectingDispatcher()
        events = await ValidateFilingForm().run(quiet, trial, domain)
        values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        answered = values.get(slot) is not None or (
            slot == "filing_confirmed" and len(set(values) - {"filing_confirmed", "correcting", "requested_slot"}) > 0)
        next_slot = values.get("requested_slot")
        if not answered or not next_slot:
            return None
        dispatcher.messages.extend(quiet.messages)
        trial.slots.update(values)
        action = ask_action(next_slot)
        if action:
            await action.run(dispatcher, trial, domain)
        return events
