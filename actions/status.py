"""GetFilingStatus: what the court has done with a filing, in plain Chinese."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.court_client import CourtClient, CourtError
from actions.messages import BACKEND_DOWN

CHINA = ZoneInfo("Asia/Shanghai")

NEXT_STEP = {
    "pending_review": "法院将在收到起诉状之日起七日内决定是否立案（《民事诉讼法》第一百二十六条）。",
    "needs_correction": "法院需要您补正材料，请按一次性告知的内容补充后重新提交。",
    "rejected": "法院裁定不予受理的，您可以在裁定书送达之日起十日内提起上诉（《民事诉讼法》第一百七十一条）。",
    "docketed": "案件已经立案，请留意交费通知，在规定期限内缴纳诉讼费。",
    "withdrawn": "该申请已撤回。",
}


def status_text(filing: Dict[str, Any]) -> str:
    submitted = datetime.fromisoformat(filing["created_at"]).astimezone(CHINA)
    return (
        f"立案申请 {filing['id']}（{filing['case_type']}，{filing['court']['name']}）"
        f"于{submitted:%Y年%m月%d日 %H:%M}提交，当前状态：{filing['status_label']}。"
        + NEXT_STEP.get(filing["status"], "")
    )


class ActionQueryStatus(Action):
    def name(self) -> Text:
        return "action_query_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        number = tracker.get_slot("lookup_number")
        if not number:
            return []
        if not number.startswith("LA"):
            dispatcher.utter_message(text=f"暂时只能查询网上立案申请的进度。案号 {number} 的案件信息查询功能即将开通。")
            return [SlotSet("lookup_number", None)]
        token = tracker.get_slot("litigant_token")
        if not token:
            dispatcher.utter_message(text="为保护当事人的信息，查询进度前需要先完成实名认证。您在本次对话中提交立案申请时会完成认证，之后即可查询。")
            return [SlotSet("lookup_number", None)]
        try:
            filing = await CourtClient.default().get_filing(token, number)
        except CourtError as err:
            if err.status == 404:
                dispatcher.utter_message(text=f"没有查到立案申请 {number}，请核对编号是否正确。")
            else:
                dispatcher.utter_message(**BACKEND_DOWN.kwargs())
            return [SlotSet("lookup_number", None)]
        dispatcher.utter_message(text=status_text(filing))
        return [SlotSet("lookup_number", None)]
