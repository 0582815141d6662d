"""A question in the middle of the filing form: the answer to the form's question comes first.

The NLU can read an answer as a question (an evidence list naming a court → the jurisdiction FAQ; a
change at the read-back, "我改主意了，同意诉前调解" → the mediation FAQ). So a FAQ inside the form goes to
the form (data/rules/filing.yml), whose validation tries the message as the answer to the question
being asked; only when it does not fill it is the FAQ answered and the question asked again, the form
staying active (issue 14). Slots with from_text mappings skip the faq intent, so the message is
offered to the slot's validator here, as the mapping would have.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.readers.read_back import asks_question
from bot.tracker import latest_intent

FAQ = "faq"
# Answers whose reader refuses anything else (numbers, codes, 案由, courts, the read-back's changes):
# there even a message shaped like a question is tried. Elsewhere (names, addresses, claims, facts,
# evidence take almost any words) a message shaped like a question is the question.
STRICT = {"identity_id_number", "identity_phone", "sms_code", "plaintiff_id_number", "plaintiff_phone", "amount",
          "e_service_address", "case_type", "court", "filing_confirmed"}
# The read-back's own bookkeeping: a change sets something else too.
READ_BACK_FLAGS = {"filing_confirmed", "correcting", "requested_slot"}

Run = Callable[[CollectingDispatcher, Tracker, Dict[Text, Any]], Awaitable[List[Dict[Text, Any]]]]


def faq_answer(tracker: Tracker) -> Optional[str]:
    """The ResponseSelector's answer to the latest message, as ActionRetrieveResponse would say it."""
    selector = (tracker.latest_message or {}).get("response_selector") or {}
    responses = ((selector.get(FAQ) or {}).get("response") or {}).get("responses") or []
    return responses[0].get("text") if responses else None


def _from_text(slot: str, domain: Dict[Text, Any]) -> bool:
    mappings = ((domain.get("slots") or {}).get(slot) or {}).get("mappings") or []
    return any(m.get("type") == "from_text" for m in mappings)


def _answered(events: List[Dict[Text, Any]], slot: str) -> bool:
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    if slot == "filing_confirmed":
        return bool(set(values) - READ_BACK_FLAGS) or values.get("filing_confirmed") is True
    return values.get(slot) is not None


async def answer_first(run: Run, dispatcher: CollectingDispatcher, tracker: Tracker,
                       domain: Dict[Text, Any]) -> Optional[List[Dict[Text, Any]]]:
    """For a FAQ inside the form: the form's events when the message answers the question being asked;
    else the FAQ's answer said and the question kept (a slot event, so the form is not rejected and
    asks again). None when the message is not a FAQ or nothing is being asked."""
    slot = tracker.get_slot("requested_slot")
    if latest_intent(tracker) != FAQ or not slot:
        return None
    text = (tracker.latest_message or {}).get("text") or ""
    if slot in STRICT or not asks_question(text):
        if _from_text(slot, domain):  # what the slot's from_text mapping would have taken
            tracker.add_slots([SlotSet(slot, text)])
        quiet = CollectingDispatcher()
        events = await run(quiet, tracker, domain)
        if _answered(events, slot):
            dispatcher.messages.extend(quiet.messages)
            return events
    answer = faq_answer(tracker)
    if answer:
        dispatcher.utter_message(text=answer)
    return [SlotSet(slot, None), SlotSet("requested_slot", slot)]
