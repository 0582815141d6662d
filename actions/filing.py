"""Filing actions: the read-back before confirmation, the submission, and leaving the form."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reverify import TokenAction

from bot import expiry
from bot.court_client import CourtClient, CourtError, SessionExpired
from actions.fees import quote_for_filing
from actions.filing_notes import due_text, relief_materials_text
from actions.filing_summary import amount_in_dispute, filing_payload, filing_summary, idempotency_key
from bot.texts import (COMPLAINT_COMING, COMPLAINT_LINK, FILING_CONFIRM_BUTTONS, STOPPED, STOPPED_DISCARDED,
                       STOPPED_DRAFT, SUBMIT_FAILED, SUBMIT_REFUSED, SUBMITTED)
from bot.drafts import DRAFT_SLOTS, draft_data

log = logging.getLogger(__name__)

# identity_* and litigant_token stay: identity is asked once per conversation.
FORM_SLOTS = DRAFT_SLOTS + ["filing_confirmed", "correcting", "resume_draft", "draft_checked", "draft_summary", "draft_data"]


def complaint_link(filing: Dict[str, Any]) -> str | None:
    """The signed download address of the generated 起诉状, as the litigant's browser reaches it."""
    url = (filing.get("complaint") or {}).get("download_url")
    return CourtClient.default().public_url(url) if url else None


def complaint_reply(filing: Dict[str, Any]) -> str | None:
    """What the submit turn says of the generated 起诉状: its link when already attached (a retried
    submission), that it follows while the backend still renders it, nothing when none is made."""
    link = complaint_link(filing)
    if link:
        return COMPLAINT_LINK.format(link=link)
    return COMPLAINT_COMING if filing.get("complaint_pending") else None


def clear_form() -> List[Dict[Text, Any]]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


class ActionAskFilingConfirmed(Action):
    """Reads the filing back with buttons; silent while the litigant is saying what to change."""

    def name(self) -> Text:
        return "action_ask_filing_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if tracker.get_slot("correcting"):
            return []
        summary = filing_summary(tracker.current_slot_values())
        quote = await quote_for_filing(tracker.get_slot("case_type"), amount_in_dispute(tracker.current_slot_values()))
        if quote:  # the fee quote before confirmation, from the backend's calculator
            head, _, tail = summary.rpartition("\n")
            summary = f"{head}\n{quote}\n{tail}"
        dispatcher.utter_message(text=summary, buttons=FILING_CONFIRM_BUTTONS)
        return []


class ActionSubmitFiling(TokenAction):
    """ReviewFiling: submits once per conversation and content, then says what happens next."""

    def name(self) -> Text:
        return "action_submit_filing"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if tracker.get_slot("filing_confirmed") is not True:
            return []
        payload = filing_payload(tracker.current_slot_values(), channel=tracker.get_latest_input_channel(),
                                 conversation_id=tracker.sender_id)
        try:
            filing = await CourtClient.default().create_filing(
                tracker.get_slot("litigant_token") or "", payload, idempotency_key(tracker.sender_id, payload))
        except CourtError as err:
            log.warning("filing not accepted by the backend: %s %s (field %s)", err.status, err.code, err.field)
            if err.status and err.status < 500:
                dispatcher.utter_message(text=SUBMIT_REFUSED.format(message=err.message))
            else:
                dispatcher.utter_message(text=SUBMIT_FAILED)
            return [SlotSet("filing_confirmed", None)]
        dispatcher.utter_message(text=SUBMITTED.format(filing_id=filing["id"], due=due_text(filing)))
        relief = relief_materials_text(tracker.current_slot_values())
        if relief:
            dispatcher.utter_message(text=relief)
        about_complaint = complaint_reply(filing)  # the 起诉状 generated from the answers (its lead document)
        if about_complaint:
            dispatcher.utter_message(text=about_complaint)
        if tracker.get_latest_input_channel() == "socketio":
            # The web widget keeps this (never shows it) to upload evidence to the new filing. Only
            # the widget gets it; the "data" wrapper is how Rasa 3.6's socket.io channel emits dicts.
            dispatcher.utter_message(json_message={"data": {
                "litigant_token": tracker.get_slot("litigant_token"), "filing_id": filing["id"]}})
        return clear_form() + [SlotSet("filing_id", filing["id"])]


class ActionStopFiling(Action):
    """算了/退出: leaves the form; what was typed stays only as the backend draft (saved each turn)."""

    def name(self) -> Text:
        return "action_stop_filing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        token = tracker.get_slot("litigant_token")
        if token and next(tracker.get_latest_entity_values("field"), None) == "discard":  # 退出, not 保存草稿
            try:
                await CourtClient.default().delete_draft(token)
                dispatcher.utter_message(text=STOPPED_DISCARDED)
                return clear_form() + [SlotSet("requested_slot", None)]
            except CourtError as err:
                log.warning("draft not deleted: %s %s", err.status, err.code)
            except SessionExpired:  # leaving anyway: nothing saved under a token that no longer works
                dispatcher.utter_message(text=STOPPED)
                return clear_form() + [SlotSet("requested_slot", None), *expiry.after_stop()]
        saved = token and len(draft_data(tracker.current_slot_values())) > 1
        dispatcher.utter_message(text=STOPPED_DRAFT if saved else STOPPED)
        return clear_form() + [SlotSet("requested_slot", None)]


class ActionResetFiling(Action):
    """A filing started (again) begins empty: slots left by an earlier filing that was left (for example
    party lists still set) would make the name checks refuse the litigant's own answers."""

    def name(self) -> Text:
        return "action_reset_filing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return clear_form()
