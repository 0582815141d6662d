"""The status form's one question: a filing number (LA…) or a case number, in any common spelling."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.readers.lookup_numbers import read_lookup_number
from bot.readers.values import normalize_text
from bot.tracker import latest_text
from forms.identity import IdentityFormValidation


class ValidateStatusForm(IdentityFormValidation):
    def name(self) -> Text:
        return "validate_status_form"

    async def validate_lookup_number(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"lookup_number": None}
        number, problem = read_lookup_number(str(value))
        if number is not None and tracker.get_slot("requested_slot") is None \
                and normalize_text(str(value)).upper() not in normalize_text(latest_text(tracker)).upper():
            # Validated as the form starts, but typed in an earlier journey (the slot takes any case
            # number the litigant types, e.g. an enforcement's 执行依据): not what this query asks for.
            return {"lookup_number": None}
        if number is None:
            dispatcher.utter_message(text=problem)
        return {"lookup_number": number}
