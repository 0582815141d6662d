"""The status form's one question: a filing number (LA…) or a case number, in any common spelling."""
from __future__ import annotations

import re
from typing import Any, Dict, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from forms.identity import IdentityFormValidation
from rasa_sdk.types import DomainDict

from bot.values import normalize_text
from court.rules.case_numbers import CaseNumberError, parse_case_number

FILING_NUMBER = re.compile(r"LA\s*\d{14}", re.IGNORECASE)


def read_lookup_number(text: str) -> tuple[Optional[str], Optional[str]]:
    """(canonical number, None) or (None, a Chinese explanation of what was not understood)."""
    s = normalize_text(text)
    found = FILING_NUMBER.search(s)
    if found:
        return re.sub(r"\s", "", found.group(0)).upper(), None
    try:
        return parse_case_number(s).canonical(), None
    except CaseNumberError as err:
        if re.search(r"\d", s):
            return None, err.message
    return None, "请提供立案申请号（以LA开头的16位编号）或案号，例如（2024）京0105民初1234号。"


class ValidateStatusForm(IdentityFormValidation):
    def name(self) -> Text:
        return "validate_status_form"

    async def validate_lookup_number(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"lookup_number": None}
        number, problem = read_lookup_number(str(value))
        if number is None:
            dispatcher.utter_message(text=problem)
        return {"lookup_number": number}
