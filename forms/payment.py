"""Forms that need only 实名认证 before their action: payment (the fee notice comes from the backend) and 转人工."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.texts import HANDOFF_QUESTION_HELP
from forms.identity import IdentityFormValidation


class ValidatePaymentForm(IdentityFormValidation):
    def name(self) -> Text:
        return "validate_payment_form"


class ValidateHandoffForm(IdentityFormValidation):
    """转人工: identity (staff answer a known litigant), then the question in the litigant's words."""

    def name(self) -> Text:
        return "validate_handoff_form"

    async def validate_handoff_question(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if len(text) < 4:
            if value:
                dispatcher.utter_message(text=HANDOFF_QUESTION_HELP)
            return {"handoff_question": None}
        return {"handoff_question": text[:2000]}
