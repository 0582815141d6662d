"""The filing form's questions for the 2016 样式 of the 民事起诉状: a person's 民族 and 职业/工作单位
(a defendant's ID number too, if the plaintiff knows it), asked once per party, briefly.

A mixin of ValidateFilingForm (forms/filing.py): its validators and which of its questions a party
needs. An organisation is asked none of them (it has a 法定代表人 instead); a defendant's answer may be
"不清楚" (解释第二百零九条 asks only enough to tell them apart, and the address is asked next).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.readers.answers import ID_AS_TYPED
from bot.readers.details import find_ethnicity, read_details
from bot.readers.parties import UNKNOWN
from bot.readers.values import normalize_text
from bot.tracker import latest_intent, latest_text

DETAIL_SLOTS = {"plaintiff": "plaintiff_details", "defendant": "defendant_details"}


class PartyDetailsValidation:
    """Validators of plaintiff_details / defendant_details; skips them for an organisation."""

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)  # type: ignore[misc]
        skip = {slot for role, slot in DETAIL_SLOTS.items() if tracker.get_slot(f"{role}_kind") == "organisation"}
        return [s for s in slots if s not in skip]

    async def extract_plaintiff_details(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: DomainDict) -> Dict[Text, Any]:
        return _extract("plaintiff", tracker)

    async def extract_defendant_details(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: DomainDict) -> Dict[Text, Any]:
        return _extract("defendant", tracker)

    async def validate_plaintiff_details(self, value: Any, dispatcher: CollectingDispatcher,
                                         tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return _details("plaintiff", value, dispatcher)

    async def validate_defendant_details(self, value: Any, dispatcher: CollectingDispatcher,
                                         tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return _details("defendant", value, dispatcher)


def _extract(role: str, tracker: Tracker) -> Dict[Text, Any]:
    """Asked for 民族/职业, an answer naming a 民族 or an ID number (or 不清楚) is taken whatever intent the
    classifier guessed ("汉族，教师" can look like a greeting): the slot's from_text mapping skips those."""
    slot = DETAIL_SLOTS[role]
    if tracker.get_slot("requested_slot") != slot:
        return {}
    text = normalize_text(latest_text(tracker))
    if role == "defendant" and text.startswith("/") and latest_intent(tracker) == "deny":
        return {slot: "不清楚"}  # the 不清楚 button (a payload, never read by the NLU)
    if find_ethnicity(text)[0] or ID_AS_TYPED.search(text) or read_details(text, of_defendant=True)[0] == UNKNOWN:
        return {slot: latest_text(tracker)}
    return {}


def _details(role: str, value: Any, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    slot = DETAIL_SLOTS[role]
    if not value:
        return {slot: None}
    if isinstance(value, dict):  # already read (validators may run twice, rasa #11790)
        return {slot: value}
    details, problem = read_details(str(value), of_defendant=role == "defendant")
    if problem:
        dispatcher.utter_message(text=problem)
    return {slot: details}
