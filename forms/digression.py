"""A question in the middle of a form: the answer to the form's question comes first (every form).

The NLU can read an answer as a question (an evidence list naming a court → the jurisdiction FAQ; a
change at the read-back, "我改主意了，同意诉前调解" → the mediation FAQ). So a FAQ inside the form goes to
the form (data/rules/filing.yml), whose validation tries the message as the answer to the question
being asked; only when it does not fill it is the FAQ answered and the question asked again, the form
staying active (issue 14). Slots with from_text mappings skip the faq intent, so the message is
offered to the slot's validator here, as the mapping would have.

The other digressions (a status query, 转人工, a fee question) are rules of their own; a message
classified as one of them is still tried first where the answer's reader refuses anything else (an ID
number typed 11010519491231002x read as a status query), and left to its rule only when it does not
fill the question. A greeting, thanks or something we do not do that does not fill the question is
answered here in a word ("您好！我们接着办理。") and the question asked again: their own rules would answer
as if nothing were under way ("请问有什么可以帮您？") and leave the question unasked. Every form's
validator takes this through `AnswerFirst`.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.readers.answers import DIGRESSIONS
from bot.readers.read_back import asks_question
from bot.texts import SMALL_TALK_IN_FORM
from bot.tracker import latest_intent, latest_text

FAQ = "faq"
# Answers whose reader refuses anything else (numbers, codes, 案由, courts, the read-back's changes):
# there even a message shaped like a question is tried. Elsewhere (names, addresses, claims, facts,
# evidence take almost any words) a message shaped like a question is the question.
STRICT = {"identity_id_number", "identity_phone", "sms_code", "plaintiff_id_number", "plaintiff_phone", "amount",
          "e_service_address", "case_type", "court", "filing_confirmed",
          "lookup_number", "fee_amount", "enf_basis", "enf_performance_day", "enf_interrupted",
          "handoff_question"}  # 转人工's question: any words of four characters or more are the answer
# Intents with a rule of their own inside forms (stop always leaves; faq and small talk are answered here).
RULED = set(DIGRESSIONS) - {"stop", FAQ} - set(SMALL_TALK_IN_FORM)
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
    slot, intent = tracker.get_slot("requested_slot"), latest_intent(tracker)
    if slot and intent in SMALL_TALK_IN_FORM:
        return await _small_talk(run, dispatcher, tracker, domain, slot, intent)
    if not slot or intent not in RULED | {FAQ} or (intent in RULED and slot not in STRICT):
        return None
    text = latest_text(tracker)  # as typed, as the slot's from_text mapping takes it (not the NLU's spelling)
    if slot in STRICT or not asks_question(text):
        events = await _tried(run, dispatcher, tracker, domain, slot, text)
        if events is not None:
            return events
    if intent in RULED:  # not an answer: the form rejects the message and the intent's rule takes it
        return None
    answer = faq_answer(tracker)
    if answer:
        dispatcher.utter_message(text=answer)
    return _asked_again(slot)


def _asked_again(slot: str) -> List[Dict[Text, Any]]:
    """The question kept: a slot event, so the form is not rejected and asks `slot` again."""
    return [SlotSet(slot, None), SlotSet("requested_slot", slot)]


async def _small_talk(run: Run, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any],
                      slot: str, intent: str) -> List[Dict[Text, Any]]:
    """A greeting, thanks or out-of-scope message: the form's events when it answers the question (谢芳
    read as thanks, a name Rasa's mapping already took), else a word in reply and the question again."""
    events = await _tried(run, dispatcher, tracker, domain, slot, latest_text(tracker), fill=slot in STRICT)
    if events is not None:
        return events
    dispatcher.utter_message(text=SMALL_TALK_IN_FORM[intent])
    return _asked_again(slot)


async def _tried(run: Run, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any],
                 slot: str, text: str, fill: bool = True) -> Optional[List[Dict[Text, Any]]]:
    """The form's events when the message fills `slot` (its problems unsaid otherwise), else None.
    `fill`: offer the text as the slot's from_text mapping would (not for small talk in a slot that
    takes any words: "你好" is not the facts of a case)."""
    seen, slots = len(tracker.events), dict(tracker.slots)
    if fill and _from_text(slot, domain):  # what the slot's from_text mapping would have taken
        tracker.add_slots([SlotSet(slot, text)])
    quiet = CollectingDispatcher()
    events = await run(quiet, tracker, domain)
    if _answered(events, slot):
        dispatcher.messages.extend(quiet.messages)
        return events
    del tracker.events[seen:]  # not the answer: the tracker as it came, for the digression
    tracker.slots.clear()
    tracker.slots.update(slots)
    return None


class AnswerFirst:
    """Mixin of a FormValidationAction (before it in the bases): every turn goes through `answer_first`;
    `validate_turn` is the plain validation, which subclasses extend."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return await answer_first(self.validate_turn, dispatcher, tracker, domain) or await self.validate_turn(
            dispatcher, tracker, domain)

    async def validate_turn(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return await super().run(dispatcher, tracker, domain)  # type: ignore[misc]
