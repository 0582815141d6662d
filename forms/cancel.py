"""Withdrawing a filing (CancelFiling): which one, then an explicit confirmation.

Only filings not yet docketed can be withdrawn; the litigant's own list offers them as buttons.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.court_client import CourtClient, CourtError
from actions.messages import BACKEND_DOWN
from forms.answers import DIGRESSIONS, read_confirmation
from forms.identity import IdentityFormValidation
from forms.status import FILING_NUMBER

CANCELLABLE = {"pending_review", "needs_correction"}


class ValidateCancelForm(IdentityFormValidation):
    def name(self) -> Text:
        return "validate_cancel_form"

    async def extract_cancel_target(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("cancel_target") or tracker.get_slot("litigant_token") is None:
            return {}
        found = FILING_NUMBER.search((tracker.latest_message or {}).get("text") or "")
        if found:
            return {"cancel_target": found.group(0).replace(" ", "").upper()}
        if tracker.get_slot("requested_slot") != "cancel_target":
            return {}
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent in DIGRESSIONS:
            return {}
        dispatcher.utter_message(text="请选择要撤回的申请，或输入以LA开头的立案申请号。")
        return {"cancel_target": None}

    async def validate_cancel_target(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"cancel_target": None}
        try:
            filings = await CourtClient.default().list_filings(tracker.get_slot("litigant_token"))
        except CourtError as err:
            dispatcher.utter_message(text=err.message if 400 <= err.status < 500 else BACKEND_DOWN.text)
            return {"cancel_target": None}
        mine = {f["id"]: f for f in filings}
        if value not in mine:
            dispatcher.utter_message(text=f"没有查到您名下的立案申请 {value}，请核对编号。")
            return {"cancel_target": None}
        if mine[value]["status"] not in CANCELLABLE:
            dispatcher.utter_message(text=f"立案申请 {value} 当前状态为“{mine[value]['status_label']}”，已不能在线撤回。"
                                          "已立案的案件如需撤诉，请向受理法院提交撤诉申请。")
            return {"cancel_target": None, "cancel_confirmed": None}
        return {"cancel_target": value}

    async def extract_cancel_confirmed(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "cancel_confirmed":
            return {}
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        if intent in DIGRESSIONS:
            return {}
        answer = read_confirmation(message.get("text") or "", intent)
        if answer.confirmed:
            return {"cancel_confirmed": True}
        return {"cancel_confirmed": False}


async def cancellable_buttons(tracker: Tracker) -> List[Dict[str, str]]:
    """The litigant's filings that can still be withdrawn, as buttons."""
    filings = await CourtClient.default().list_filings(tracker.get_slot("litigant_token"))
    return [{"title": f"{f['id']}（{f['case_type']}，{f['status_label']}）", "payload": f["id"]}
            for f in filings if f["status"] in CANCELLABLE][:6]
