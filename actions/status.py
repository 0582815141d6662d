"""GetFilingStatus / GetCase: what the court has done, in plain Chinese, for the litigant's own numbers.

Someone else's number gets exactly the answer a number that does not exist gets.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reverify import TokenAction

from bot.court_client import CourtClient, CourtError
from actions.filing_notes import deadline_text
from actions.enforcement import enforcement_status, is_enforcement_ref
from actions.filing_summary import format_money
from bot.texts import BACKEND_DOWN, NEXT_STEP, NOT_FOUND

CHINA = ZoneInfo("Asia/Shanghai")



def _when(iso: str) -> str:
    return f"{datetime.fromisoformat(iso).astimezone(CHINA):%Y年%m月%d日 %H:%M}"


def filing_status_text(filing: Dict[str, Any]) -> str:
    text = (f"立案申请 {filing['id']}（{filing['case_type']}，{filing['court']['name']}）"
            f"于{_when(filing['created_at'])}提交，当前状态：{filing['status_label']}。")
    if filing.get("case_number"):
        text += f"案号：{filing['case_number']}。"
    return text + (deadline_text(filing) or NEXT_STEP.get(filing["status"], ""))


def case_status_text(case: Dict[str, Any]) -> str:
    lines = [f"案件 {case['case_number']}（{case['case_type']}，{case['court']['name']}），"
             f"当前状态：{case['status_label']}。"]
    for notice in case.get("fee_notices", []):
        due = (f"交费期限至{_when(notice['due_at'])}" if notice.get("due_at")
               else notice.get("due_note") or "交费期限自收到交费通知次日起算七日")
        lines.append(f"诉讼费 {format_money(notice['amount'])}：{notice['status_label']}，{due}。")
    if case.get("timeline"):
        lines.append("办理经过：")
        lines += [f"· {_when(e['at'])} {e['description']}" for e in case["timeline"]]
    return "\n".join(lines)


class ActionQueryStatus(TokenAction):
    def name(self) -> Text:
        return "action_query_status"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        number = tracker.get_slot("lookup_number")
        token = tracker.get_slot("litigant_token")
        if not number or not token:
            return [SlotSet("lookup_number", None)]
        if is_enforcement_ref(number):  # a 执 number: the enforcement case and its steps
            dispatcher.utter_message(text=await enforcement_status(token, number))
            return [SlotSet("lookup_number", None)]
        is_filing = number.startswith("LA")
        client = CourtClient.default()
        try:
            if is_filing:
                text = filing_status_text(await client.get_filing(token, number))
            else:
                text = case_status_text(await client.get_case(token, number))
        except CourtError as err:
            if err.status == 404:
                text = NOT_FOUND.format(kind="立案申请" if is_filing else "案件", number=number)
            elif 400 <= err.status < 500:
                text = err.message
            else:
                text = BACKEND_DOWN
        dispatcher.utter_message(text=text)
        return [SlotSet("lookup_number", None)]
