"""转人工 (request_human): a ticket for court staff, and an honest word on when and how they answer."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.court_client import CourtClient, CourtError
from bot.texts import BACKEND_DOWN


class ActionRequestHuman(Action):
    def name(self) -> Text:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        question = tracker.get_slot("handoff_question")
        token = tracker.get_slot("litigant_token")
        if not question or not token:
            return []
        try:
            ticket = await CourtClient.default().open_ticket(
                token, tracker.sender_id, tracker.get_latest_input_channel(), question)
        except CourtError as err:
            dispatcher.utter_message(text=err.message if 400 <= err.status < 500 else BACKEND_DOWN.text)
            return [SlotSet("handoff_question", None)]
        dispatcher.utter_message(
            text=f"已为您转人工，工单号 {ticket['id']}。诉讼服务中心的工作人员会在工作时间内尽快答复，"
                 "答复会直接发到这个对话里；紧急情况也可以拨打12368诉讼服务热线。")
        return [SlotSet("handoff_question", None)]
