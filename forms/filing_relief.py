"""司法救助 applied for with the filing (《诉讼费用交纳办法》第四十八条): asked only when the litigant says,
during the filing, that the fee is a hardship (交不起诉讼费, 能不能缓交, 我是低保户 …).

A mixin of ValidateFilingForm (forms/filing.py). The faq rule answers the question in general terms
(faq/legal_aid); this mixin notices it, and the form then asks which relief and on which ground,
before the read-back. The proof is uploaded after submission with the evidence (actions/filing.py
lists what to bring); the clerk decides in the staff console.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.readers.parties import parties
from bot.readers.relief import NO_RELIEF, asks_for_relief, natural_persons, read_ground, read_kind
from bot.tracker import latest_intent, latest_text, tapped
from court.rules.fee_relief import KINDS, grounds

RELIEF_SLOTS = ("fee_relief_kind", "fee_relief_ground")


def _response_key(tracker: Tracker) -> str | None:
    selector = (tracker.latest_message or {}).get("response_selector") or {}
    return ((selector.get("faq") or {}).get("response") or {}).get("intent_response_key")


class FeeReliefValidation:
    """Notices the hardship (`notice_relief`, called by the form's run), asks kind and ground only
    then; validates both."""

    @staticmethod
    def notice_relief(tracker: Tracker) -> List[Dict[Text, Any]]:
        """The flag, once, when the litigant says they cannot afford the fee (whatever else the
        message is taken for: a FAQ answered inside the form keeps it too)."""
        if not tracker.get_slot("fee_relief_wanted") and asks_for_relief(
                latest_intent(tracker), latest_text(tracker), _response_key(tracker)):
            tracker.slots["fee_relief_wanted"] = True
            return [SlotSet("fee_relief_wanted", True)]
        return []

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)  # type: ignore[misc]
        skip = set()
        if not tracker.get_slot("fee_relief_wanted"):
            skip.update(RELIEF_SLOTS)
        elif tracker.get_slot("fee_relief_kind") == NO_RELIEF:
            skip.add("fee_relief_ground")
        return [s for s in slots if s not in skip]

    async def extract_fee_relief_kind(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        """"免交" as an answer is read as faq/legal_aid too: asked for the kind, a kind is the answer."""
        if tracker.get_slot("requested_slot") != "fee_relief_kind":
            return {}
        button = tapped(tracker, "relief_kind")  # the button's payload: the kind itself
        if button in (*KINDS, NO_RELIEF):
            return {"fee_relief_kind": button}
        kind, _ = read_kind(latest_text(tracker), natural_person=True)
        return {"fee_relief_kind": latest_text(tracker)} if kind else {}

    async def extract_fee_relief_ground(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: DomainDict) -> Dict[Text, Any]:
        """A ground's number or words (追索赡养费 …) whatever intent the classifier guessed."""
        kind = tracker.get_slot("fee_relief_kind")
        if tracker.get_slot("requested_slot") != "fee_relief_ground" or kind not in KINDS:
            return {}
        button = tapped(tracker, "relief_ground")  # the button's payload: the ground's code
        if button in {g.code for g in grounds(kind)}:
            return {"fee_relief_ground": button}
        code, _ = read_ground(latest_text(tracker), kind, natural_persons(parties("plaintiff", tracker.slots)))
        return {"fee_relief_ground": latest_text(tracker)} if code else {}

    async def validate_fee_relief_kind(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"fee_relief_kind": None}
        if value in (*KINDS, NO_RELIEF):  # already read (validators may run twice, rasa #11790)
            return {"fee_relief_kind": value}
        kind, problem = read_kind(str(value), natural_persons(parties("plaintiff", tracker.slots)))
        if problem:
            dispatcher.utter_message(text=problem)
        changed = kind != tracker.get_slot("fee_relief_kind")
        return {"fee_relief_kind": kind, **({"fee_relief_ground": None} if changed else {})}

    async def validate_fee_relief_ground(self, value: Any, dispatcher: CollectingDispatcher,
                                         tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        kind = tracker.get_slot("fee_relief_kind")
        if not value or kind in (None, NO_RELIEF):
            return {"fee_relief_ground": None}
        if value in {g.code for g in grounds(kind)}:  # already read
            return {"fee_relief_ground": value}
        code, problem = read_ground(str(value), kind, natural_persons(parties("plaintiff", tracker.slots)))
        if problem:
            dispatcher.utter_message(text=problem)
        return {"fee_relief_ground": code}
