"""转人工 (request_human): a ticket for court staff, and an honest word on when and how they answer."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reverify import TokenAction

from bot.court_client import CourtClient, CourtError
from bot.texts import HANDED_OFF, court_error_text


class ActionRequestHuman(TokenAction):
    def name(self) -> Text:
        return "action_request_human"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        question = tracker.get_slot("handoff_question")
        token = tracker.get_slot("litigant_token")
        if not question or not token:
            return []
        try:
            ticket = await CourtClient.default().open_ticket(
                token, tracker.sender_id, tracker.get_latest_input_channel(), question)
        except CourtError as err:
            dispatcher.utter_message(text=court_error_text(err))
            return [SlotSet("handoff_question", None)]
        dispatcher.utter_message(text=HANDED_OFF.format(ticket_id=ticket["id"]))
        return [SlotSet("handoff_question", None)]
