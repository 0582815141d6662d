"""The upload form (upload_form): identity, then which of the litigant's open filings gets the evidence.

Evidence and its source belong to the complaint (民事诉讼法 art. 124(四)); documents can be added
while the court has not decided — 待审核 or 需补正 (court/documents.py refuses closed filings).
The upload itself happens in the web widget (actions/upload.py opens its panel).
"""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.court_client import CourtClient, CourtError
from bot.own_filings import NONE, OPEN_FOR_UPLOAD
from bot.texts import NOT_MINE, UPLOAD_NOT_OPEN, UPLOAD_TARGET_HELP, court_error_text
from forms.filing_choice import choose_once_verified, extract_filing_choice
from forms.identity import IdentityFormValidation


class ValidateUploadForm(IdentityFormValidation):
    def name(self) -> Text:
        return "validate_upload_form"

    async def validate_sms_code(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """Identity confirmed just now: the filing is chosen at once when there is one (or none)."""
        result = await super().validate_sms_code(value, dispatcher, tracker, domain)
        return await choose_once_verified(result, tracker, "upload_target", OPEN_FOR_UPLOAD)

    async def extract_upload_target(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[Text, Any]:
        return await extract_filing_choice("upload_target", OPEN_FOR_UPLOAD, UPLOAD_TARGET_HELP, dispatcher, tracker)

    async def validate_upload_target(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """Only the litigant's own filing, and only while documents can still be added to it."""
        if not value or value == NONE:
            return {"upload_target": value or None}
        try:
            filings = await CourtClient.default().list_filings(tracker.get_slot("litigant_token"))
        except CourtError as err:
            dispatcher.utter_message(text=court_error_text(err))
            return {"upload_target": None}
        mine = {f["id"]: f for f in filings}
        open_ones = [f for f in filings if f["status"] in OPEN_FOR_UPLOAD]
        if value in mine and mine[value]["status"] in OPEN_FOR_UPLOAD:
            return {"upload_target": value}
        if value in mine:
            dispatcher.utter_message(text=UPLOAD_NOT_OPEN.format(filing_id=value,
                                                               status_label=mine[value]["status_label"]))
        else:
            dispatcher.utter_message(text=NOT_MINE.format(filing_id=value))
        return {"upload_target": None if open_ones else NONE}
