"""Asking which filing to withdraw, confirming, and withdrawing it (CancelFiling)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reverify import TokenAction

from actions.ask import ask_out
from actions.filing_choice import ask_which_filing
from bot.court_client import CourtClient, CourtError
from bot.own_filings import CANCELLABLE
from bot.texts import (CANCEL_CHOOSE, CANCEL_CONFIRM, CANCEL_CONFIRM_BUTTONS, CANCEL_KEPT, CANCEL_NONE, CANCELLED,
                       court_error_text)


class ActionAskCancelTarget(Action):
    def name(self) -> Text:
        return "action_ask_cancel_target"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return await ask_which_filing(dispatcher, tracker, CANCELLABLE, CANCEL_CHOOSE, CANCEL_NONE)


class ActionAskCancelConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_cancel_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=CANCEL_CONFIRM.format(filing_id=tracker.get_slot("cancel_target")),
                                 buttons=CANCEL_CONFIRM_BUTTONS)
        ask_out(dispatcher, tracker, "cancel_confirmed")
        return []


class ActionCancelFiling(TokenAction):
    def name(self) -> Text:
        return "action_cancel_filing"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        number = tracker.get_slot("cancel_target")
        clear = [SlotSet("cancel_target", None), SlotSet("cancel_confirmed", None)]
        if not number or tracker.get_slot("cancel_confirmed") is not True:
            dispatcher.utter_message(text=CANCEL_KEPT)
            return clear
        try:
            filing = await CourtClient.default().cancel_filing(tracker.get_slot("litigant_token"), number)
        except CourtError as err:
            dispatcher.utter_message(text=court_error_text(err))
            return clear
        dispatcher.utter_message(text=CANCELLED.format(filing_id=filing["id"], status_label=filing["status_label"]))
        return clear
