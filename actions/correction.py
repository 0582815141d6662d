"""补正 actions: the form's questions, the resubmission (需补正 → 待审核) and leaving the form.

The resubmission goes to POST /api/v1/filings/{number}/resubmit with the corrected facts, claims
and parties, the uploaded evidence and a note listing every item (bot/readers/correction_items.py).
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.ask import ask_out
from actions.reverify import TokenAction

from bot.texts import (
    CORRECTION_CONFIRM_BUTTONS, CORRECTION_CHOOSE, CORRECTION_NONE, CORRECTION_STOPPED, CORRECTION_TARGET_HELP, ITEM_HEAD,
    RESUBMIT_LATER, RESUBMIT_REFUSED, RESUBMITTED, STILL_MISSING, UPLOAD_AFTER, UPLOAD_DONE_BUTTONS,
    upload_limits,
)
from actions.filing_choice import ask_which_filing
from actions.upload import how_to_upload, on_widget, open_panel, policy_or_none
from bot.corrections import CORRECTION_SLOTS, answers_of, items_of
from bot.court_client import CourtClient, CourtError
from bot.own_filings import NEEDS_CORRECTION, NONE
from bot.readers.correction_items import DOCUMENT, build_resubmission, correction_summary, next_item, what_to_type

log = logging.getLogger(__name__)


def clear_correction() -> List[Dict[Text, Any]]:
    return [SlotSet(slot, None) for slot in CORRECTION_SLOTS]


class ActionAskCorrectionTarget(Action):
    def name(self) -> Text:
        return "action_ask_correction_target"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return await ask_which_filing(dispatcher, tracker, {NEEDS_CORRECTION}, CORRECTION_CHOOSE, CORRECTION_TARGET_HELP)


class ActionAskCorrectionInput(Action):
    """The next item: what to type, or how to upload (the widget's panel opens on this filing)."""

    def name(self) -> Text:
        return "action_ask_correction_input"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        items, answers = items_of(tracker), answers_of(tracker)
        index = next_item(items, answers)
        if index is None:
            return []
        item, number = items[index], tracker.get_slot("correction_target")
        head = ITEM_HEAD.format(n=index + 1, total=len(items), text=item["text"])
        if item["kind"] != DOCUMENT:
            dispatcher.utter_message(text=f"{head}\n{what_to_type(item)}")
            ask_out(dispatcher, tracker, "correction_input", progress="correction_answers")
            return []
        limits = upload_limits(await policy_or_none())
        dispatcher.utter_message(text=f"{head}\n这一项需要上传文件。{limits}\n{how_to_upload(tracker, number)}\n{UPLOAD_AFTER}",
                                 buttons=UPLOAD_DONE_BUTTONS)
        if on_widget(tracker):
            open_panel(dispatcher, tracker, number)
        ask_out(dispatcher, tracker, "correction_input", progress="correction_answers")
        return []


class ActionAskCorrectionConfirmed(Action):
    """The read-back; silent while the litigant is choosing which item to change."""

    def name(self) -> Text:
        return "action_ask_correction_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if tracker.get_slot("correction_choosing"):
            return []
        text = correction_summary(tracker.get_slot("correction_target"), items_of(tracker), answers_of(tracker))
        dispatcher.utter_message(text=text, buttons=CORRECTION_CONFIRM_BUTTONS)
        return []


class ActionSubmitCorrection(TokenAction):
    """补正后重新提交; a 400 is explained, an unreachable backend keeps the answers for a retry."""

    def name(self) -> Text:
        return "action_submit_correction"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        number, token = tracker.get_slot("correction_target"), tracker.get_slot("litigant_token")
        if number == NONE:
            dispatcher.utter_message(text=CORRECTION_NONE)
            return clear_correction()
        if not number or not token or tracker.get_slot("correction_confirmed") is not True:
            return clear_correction()
        items, answers = items_of(tracker), answers_of(tracker)
        client = CourtClient.default()
        try:
            filing = await client.get_filing(token, number)
            result = await client.resubmit_filing(token, number, build_resubmission(filing, items, answers))
        except CourtError as err:
            log.warning("correction of %s not accepted: %s %s (field %s)", number, err.status, err.code, err.field)
            if 400 <= err.status < 500:
                message = err.message if err.message.endswith(("。", "！", "？")) else err.message + "。"
                dispatcher.utter_message(text=RESUBMIT_REFUSED.format(message=message))
                return clear_correction()
            dispatcher.utter_message(text=RESUBMIT_LATER)
            return [SlotSet("correction_confirmed", None)]
        dispatcher.utter_message(text=RESUBMITTED.format(filing_id=result["id"], status_label=result["status_label"]))
        if any(a.get("later") for a in answers.values()):
            dispatcher.utter_message(text=STILL_MISSING)
        return clear_correction()


class ActionStopCorrection(Action):
    """算了/退出: leaves the form and forgets the answers, saying so."""

    def name(self) -> Text:
        return "action_stop_correction"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=CORRECTION_STOPPED)
        return clear_correction() + [SlotSet("requested_slot", None)]
