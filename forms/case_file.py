"""The case-file form (case_file_form): identity, then which of the litigant's filings.

Every filing has its electronic case file (电子卷宗), whatever its status; the litigant only
reaches their own (a number typed is checked against their list, and the backend checks again).
"""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.court_client import CourtClient, CourtError
from bot.own_filings import ANY_STATUS, NONE
from bot.texts import CASE_FILE_TARGET_HELP, NOT_MINE, court_error_text
from forms.filing_choice import choose_once_verified, extract_filing_choice
from forms.identity import IdentityFormValidation

SLOT = "case_file_target"


class ValidateCaseFileForm(IdentityFormValidation):
    def name(self) -> Text:
        return "validate_case_file_form"

    async def validate_sms_code(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """Identity confirmed just now: the filing is chosen at once when there is one (or none)."""
        result = await super().validate_sms_code(value, dispatcher, tracker, domain)
        return await choose_once_verified(result, tracker, SLOT, ANY_STATUS)

    async def extract_case_file_target(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[Text, Any]:
        return await extract_filing_choice(SLOT, ANY_STATUS, CASE_FILE_TARGET_HELP, dispatcher, tracker)

    async def validate_case_file_target(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """Only a filing of the litigant's own."""
        if not value or value == NONE:
            return {SLOT: value or None}
        try:
            filings = await CourtClient.default().list_filings(tracker.get_slot("litigant_token"))
        except CourtError as err:
            dispatcher.utter_message(text=court_error_text(err))
            return {SLOT: None}
        if value in {f["id"] for f in filings}:
            return {SLOT: value}
        dispatcher.utter_message(text=NOT_MINE.format(filing_id=value))
        return {SLOT: None if filings else NONE}
