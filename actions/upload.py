"""Uploading evidence: which filing, then the web widget's upload panel (or the way there).

The web widget (court/static/site/widget.js) uploads to POST /api/v1/filings/{number}/documents
with the litigant's token; it learns both from a json_message that it keeps and never shows. Other
channels (WeChat, REST) cannot carry a file picker, so they are told where the court's page is.
Accepted types and the size limit come from GetPolicy (court/api/policy.py), never hard-coded.
"""
from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.texts import (
    CORRECTION_BUTTON, UPLOAD_CHOOSE, UPLOAD_ELSEWHERE, UPLOAD_NEEDS_CORRECTION, UPLOAD_NONE, UPLOAD_READY,
    UPLOAD_TARGET_HELP, UPLOAD_WIDGET, upload_limits,
)
from actions.filing_choice import ask_which_filing
from bot.court_client import CourtClient, CourtError, SessionExpired
from bot.own_filings import NONE, OPEN_FOR_UPLOAD

WIDGET_CHANNEL = "socketio"


def on_widget(tracker: Tracker) -> bool:
    """The web widget talks to Rasa over socket.io; nothing else here has a file picker."""
    return tracker.get_latest_input_channel() == WIDGET_CHANNEL


def site_url() -> str:
    """Where litigants open the court's page: COURT_PUBLIC_BASE_URL, else the backend's own address."""
    return (os.environ.get("COURT_PUBLIC_BASE_URL") or CourtClient.default().base_url).rstrip("/") + "/"


def open_panel(dispatcher: CollectingDispatcher, tracker: Tracker, filing_id: str) -> None:
    """Point the widget's upload panel at this filing (the "data" wrapper is how Rasa 3.6's socket.io emits)."""
    dispatcher.utter_message(json_message={"data": {
        "litigant_token": tracker.get_slot("litigant_token"), "filing_id": filing_id}})


def how_to_upload(tracker: Tracker, filing_id: str) -> str:
    """The instruction for this channel: the panel on the widget, the court's page elsewhere."""
    if on_widget(tracker):
        return UPLOAD_WIDGET
    return UPLOAD_ELSEWHERE.format(site=site_url(), filing_id=filing_id)


async def policy_or_none() -> Optional[Dict[str, Any]]:
    try:
        return await CourtClient.default().get_policy()
    except CourtError:
        return None


class ActionAskUploadTarget(Action):
    def name(self) -> Text:
        return "action_ask_upload_target"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return await ask_which_filing(dispatcher, tracker, OPEN_FOR_UPLOAD, UPLOAD_CHOOSE, UPLOAD_TARGET_HELP)


class ActionOpenUpload(Action):
    """After the form: the panel (widget) or the way to the court's page, with the court's limits."""

    def name(self) -> Text:
        return "action_open_upload"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        number = tracker.get_slot("upload_target")
        clear = [SlotSet("upload_target", None)]
        if not number or not tracker.get_slot("litigant_token"):
            return clear
        if number == NONE:
            dispatcher.utter_message(text=UPLOAD_NONE)
            return clear
        limits = upload_limits(await policy_or_none())
        dispatcher.utter_message(text=UPLOAD_READY.format(filing_id=number, limits=limits) + "\n"
                                 + how_to_upload(tracker, number))
        if on_widget(tracker):
            open_panel(dispatcher, tracker, number)
        try:
            status = (await CourtClient.default().get_filing(tracker.get_slot("litigant_token"), number))["status"]
        except (CourtError, SessionExpired):  # only the 补正 hint is left out; the panel says the rest
            status = None
        if status == "needs_correction":
            dispatcher.utter_message(text=UPLOAD_NEEDS_CORRECTION, buttons=CORRECTION_BUTTON)
        return clear
