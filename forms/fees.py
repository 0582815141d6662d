"""The fee question (ask_fee): what kind of case, and — where the fee depends on it — the amount."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot.court_client import CourtClient, CourtError
from bot.fee_categories import LABELS, NEEDS_AMOUNT, category_from_text
from bot.readers.answers import REQUEST_INTENTS
from bot.readers.values import find_amounts, parse_amount
from bot.texts import FEE_AMOUNT_HELP, FEE_CATEGORY_HELP
from bot.tracker import latest_intent, latest_text, tapped
from forms.digression import AnswerFirst

def amount_from_text(text: str) -> Optional[str]:
    amount = parse_amount(text)
    if amount is None:
        found = find_amounts(text)
        amount = Decimal(found[0].value) if len(found) == 1 else None
    return f"{amount:.2f}" if amount is not None and amount > 0 else None


class ValidateFeeForm(AnswerFirst, FormValidationAction):
    def name(self) -> Text:
        return "validate_fee_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        # Drop the amount only once the category is known not to need it: rasa_sdk extracts just
        # the slots listed here, and "标的10万要交多少" names both in the first message.
        category = tracker.get_slot("fee_category")
        if category is not None and category not in NEEDS_AMOUNT:
            return [s for s in domain_slots if s != "fee_amount"]
        return domain_slots

    async def extract_fee_category(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("fee_category"):
            return {}
        button = tapped(tracker, "fee_category")  # the button's payload: the category itself
        if button in LABELS:
            return {"fee_category": button}
        case_type = next(tracker.get_latest_entity_values("case_type"), None)
        category = None
        if case_type:
            try:
                category = (await CourtClient.default().case_type_categories()).get(case_type)
            except CourtError:
                category = None
        category = category or category_from_text(latest_text(tracker))
        if category is None and latest_intent(tracker) in REQUEST_INTENTS:
            return {}  # "我要立案" while asked the category: the form lets the journey's rule take it
        if category is None and tracker.get_slot("requested_slot") == "fee_category":
            dispatcher.utter_message(text=FEE_CATEGORY_HELP)
            return {"fee_category": None}
        return {"fee_category": category} if category else {}

    async def extract_fee_amount(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("fee_amount"):
            return {}
        text = latest_text(tracker)
        amount = amount_from_text(text)
        if amount is None and latest_intent(tracker) in REQUEST_INTENTS:
            return {}
        if amount is None and tracker.get_slot("requested_slot") == "fee_amount":
            dispatcher.utter_message(text=FEE_AMOUNT_HELP)
            return {"fee_amount": None}
        return {"fee_amount": amount} if amount else {}
