"""Withdrawing a filing (CancelFiling): which one, then an explicit confirmation.

Only filings not yet docketed can be withdrawn; the litigant's own list offers them as buttons.
"""
from __future__ import annotations

import re

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.court_client import CourtClient, CourtError
from bot.own_filings import CANCELLABLE
from bot.readers.answers import DIGRESSIONS, read_confirmation
from bot.readers.lookup_numbers import number_in
from bot.texts import CANCEL_NOT_OPEN, CANCEL_TARGET_HELP, NOT_MINE, court_error_text
from bot.tracker import latest_intent, latest_text
from forms.identity import IdentityFormValidation


class ValidateCancelForm(IdentityFormValidation):
    def name(self) -> Text:
        return "validate_cancel_form"

    async def extract_cancel_target(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("cancel_target") or tracker.get_slot("litigant_token") is None:
            return {}
        number = number_in(latest_text(tracker))
        if number:
            return {"cancel_target": number}
        if tracker.get_slot("requested_slot") != "cancel_target":
            return {}
        if latest_intent(tracker) in DIGRESSIONS:
            return {}
        dispatcher.utter_message(text=CANCEL_TARGET_HELP)
        return {"cancel_target": None}

    async def validate_cancel_target(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"cancel_target": None}
        try:
            filings = await CourtClient.default().list_filings(tracker.get_slot("litigant_token"))
        except CourtError as err:
            dispatcher.utter_message(text=court_error_text(err))
            return {"cancel_target": None}
        mine = {f["id"]: f for f in filings}
        if value not in mine:
            dispatcher.utter_message(text=NOT_MINE.format(filing_id=value))
            return {"cancel_target": None}
        if mine[value]["status"] not in CANCELLABLE:
            dispatcher.utter_message(text=CANCEL_NOT_OPEN.format(filing_id=value,
                                                               status_label=mine[value]["status_label"]))
            return {"cancel_target": None, "cancel_confirmed": None}
        return {"cancel_target": value}

    async def extract_cancel_confirmed(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "cancel_confirmed":
            return {}
        intent = latest_intent(tracker)
        if intent in DIGRESSIONS:
            return {}
        text = latest_text(tracker)
        if re.search(r"不撤|别撤|不要撤", text):
            return {"cancel_confirmed": False}
        # the button's title typed ("确认撤回") says yes as much as its payload (/affirm)
        if read_confirmation(text, intent).confirmed or re.search(r"^(?:确认|确定|是的?|对|好的?)?[，,\s]*撤回", text):
            return {"cancel_confirmed": True}
        return {"cancel_confirmed": False}

