"""补正 actions: the form's questions, the resubmission (需补正 → 待审核) and leaving the form.

The resubmission goes to POST /api/v1/filings/{number}/resubmit with the corrected facts, claims
and parties, the uploaded evidence and a note listing every item (forms/correction_items.py).
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.aftercare_messages import (
    CONFIRM_BUTTONS, CORRECTION_CHOOSE, CORRECTION_NONE, CORRECTION_STOPPED, CORRECTION_TARGET_HELP, ITEM_HEAD,
    RESUBMIT_LATER, RESUBMIT_REFUSED, RESUBMITTED, STILL_MISSING, UPLOAD_AFTER, UPLOAD_DONE_BUTTONS, filing_button,
    upload_limits,
)
from actions.court_client import CourtClient, CourtError
from actions.upload import how_to_upload, on_widget, open_panel, policy_or_none
from forms.correction import CORRECTION_SLOTS, NEEDS_CORRECTION, answers_of, items_of
from forms.correction_items import (
    DOCUMENT, build_resubmission, correction_summary, next_item, what_to_type, without_new_fields,
)
from forms.own_filings import MAX_BUTTONS, NONE, candidates

log = logging.getLogger(__name__)


def clear_correction() -> List[Dict[Text, Any]]:
    return [SlotSet(slot, None) for slot in CORRECTION_SLOTS]


class ActionAskCorrectionTarget(Action):
    def name(self) -> Text:
        return "action_ask_correction_target"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        try:
            found = await candidates(tracker.get_slot("litigant_token"), {NEEDS_CORRECTION})
        except CourtError:
            found = []
        if found:
            dispatcher.utter_message(text=CORRECTION_CHOOSE,
                                     buttons=[filing_button(f) for f in found[:MAX_BUTTONS]])
        else:
            dispatcher.utter_message(text=CORRECTION_TARGET_HELP)
        return []


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
            return []
        limits = upload_limits(await policy_or_none())
        dispatcher.utter_message(text=f"{head}\n这一项需要上传文件。{limits}\n{how_to_upload(tracker, number)}\n{UPLOAD_AFTER}",
                                 buttons=UPLOAD_DONE_BUTTONS)
        if on_widget(tracker):
            open_panel(dispatcher, tracker, number)
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
        dispatcher.utter_message(text=text, buttons=CONFIRM_BUTTONS)
        return []


class ActionSubmitCorrection(Action):
    """补正后重新提交; a 400 is explained, an unreachable backend keeps the answers for a retry."""

    def name(self) -> Text:
        return "action_submit_correction"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
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
            payload = build_resubmission(filing, items, answers)
            try:
                result = await client.resubmit_filing(token, number, payload)
            except CourtError as err:
                if not (err.status == 400 and err.code == "unknown_field"
                        and (err.field or "").split("[")[0].split(".")[0] in ("parties", "evidence")):
                    raise
                # A backend that does not take parties/evidence on resubmission yet: the details go in the note.
                result = await client.resubmit_filing(token, number, without_new_fields(payload, items, answers))
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
