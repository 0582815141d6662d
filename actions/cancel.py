"""Asking which filing to withdraw, confirming, and withdrawing it (CancelFiling)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.court_client import CourtClient, CourtError
from actions.messages import BACKEND_DOWN
from forms.cancel import cancellable_buttons


class ActionAskCancelTarget(Action):
    def name(self) -> Text:
        return "action_ask_cancel_target"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        try:
            buttons = await cancellable_buttons(tracker)
        except CourtError:
            buttons = []
        if buttons:
            dispatcher.utter_message(text="请问要撤回哪一份立案申请？", buttons=buttons)
        else:
            dispatcher.utter_message(text="您名下没有可以撤回的立案申请（只有“待审核”或“需补正”的申请可以撤回）。"
                                          "如需撤回其他申请，请输入立案申请号；不需要了请说“算了”。")
        return []


class ActionAskCancelConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_cancel_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(
            text=f"确定要撤回立案申请 {tracker.get_slot('cancel_target')} 吗？撤回后如需起诉，需要重新提交。",
            buttons=[{"title": "确认撤回", "payload": "确认"}, {"title": "不撤回", "payload": "不撤回了"}],
        )
        return []


class ActionCancelFiling(Action):
    def name(self) -> Text:
        return "action_cancel_filing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        number = tracker.get_slot("cancel_target")
        clear = [SlotSet("cancel_target", None), SlotSet("cancel_confirmed", None)]
        if not number or tracker.get_slot("cancel_confirmed") is not True:
            dispatcher.utter_message(text="好的，不撤回。您的立案申请保持不变。")
            return clear
        try:
            filing = await CourtClient.default().cancel_filing(tracker.get_slot("litigant_token"), number)
        except CourtError as err:
            dispatcher.utter_message(text=err.message if 400 <= err.status < 500 else BACKEND_DOWN.text)
            return clear
        dispatcher.utter_message(text=f"立案申请 {filing['id']} 已撤回，当前状态：{filing['status_label']}。")
        return clear
