"""The litigant's electronic case file (电子卷宗): which filing, then its catalogue and a signed link.

The backend (GET /api/v1/filings/{number}/case-file) files whatever is missing, renders the party
copy's catalogue and signs a 7-day link to one PDF (court/api/case_file.py); the court's internal
records are not in it. The link opens in any browser, so every channel gets the same answer.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reverify import TokenAction

from actions.filing_choice import ask_which_filing
from bot.court_client import CourtClient, CourtError
from bot.own_filings import ANY_STATUS, NONE
from bot.texts import (CASE_FILE_CHOOSE, CASE_FILE_LINK, CASE_FILE_NONE, CASE_FILE_TARGET_HELP, NOT_MINE,
                       case_file_catalogue, court_error_text)


class ActionAskCaseFileTarget(Action):
    def name(self) -> Text:
        return "action_ask_case_file_target"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return await ask_which_filing(dispatcher, tracker, ANY_STATUS, CASE_FILE_CHOOSE, CASE_FILE_TARGET_HELP)


class ActionSendCaseFile(TokenAction):
    """After the form: the catalogue's first lines and the link to the party copy."""

    def name(self) -> Text:
        return "action_send_case_file"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        number = tracker.get_slot("case_file_target")
        token = tracker.get_slot("litigant_token")
        clear = [SlotSet("case_file_target", None)]
        if not number or not token:
            return clear
        if number == NONE:
            dispatcher.utter_message(text=CASE_FILE_NONE)
            return clear
        client = CourtClient.default()
        try:
            answer = await client.get_case_file(token, number)
        except CourtError as err:
            dispatcher.utter_message(text=NOT_MINE.format(filing_id=number) if err.status == 404
                                     else court_error_text(err))
            return clear
        case = f"（案号{answer['case_number']}）" if answer.get("case_number") else ""
        dispatcher.utter_message(text=CASE_FILE_LINK.format(
            filing_id=answer["filing"], case=case, items=len(answer["items"]), pages=answer["total_pages"],
            link=client.public_url(answer["download_url"])))
        dispatcher.utter_message(text=case_file_catalogue(answer["items"]))
        return clear
