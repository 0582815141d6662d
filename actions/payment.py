"""Paying the court fee (pay_fee): find the open fee notice, give the payment link, confirm when paid.

The amount always comes from the backend's fee notice; the deadline is the notice's own
(7 days from the day after it was received, 《诉讼费用交纳办法》 art. 22).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reverify import TokenAction

from bot.court_client import CourtClient, CourtError
from actions.filing_summary import format_money
from bot.texts import NOT_PAID_YET, NOTHING_TO_PAY, PAID, court_error_text

CHINA = ZoneInfo("Asia/Shanghai")


def _deadline(iso: Optional[str]) -> str:
    """None: the notice is not served yet, so no deadline runs (《诉讼费用交纳办法》第二十二条)."""
    if not iso:
        return "收到交费通知次日起第七日（遇法定节假日顺延）24时"
    return f"{datetime.fromisoformat(iso).astimezone(CHINA):%Y年%m月%d日%H:%M}"


def payment_request_text(case_number: str, payment: Dict[str, Any]) -> str:
    return (f"案件 {case_number} 需缴纳诉讼费{format_money(payment['amount'])}，请在{_deadline(payment['due_at'])}前缴纳"
            "（《诉讼费用交纳办法》第二十二条：自收到交费通知次日起七日内交纳；逾期不交又未申请司法救助的，按撤诉处理）。\n"
            f"请点击链接支付：{payment['pay_url']}\n支付完成后告诉我“已支付”，我帮您确认。")


async def _open_notice(client: CourtClient, token: str) -> Optional[tuple[str, Dict[str, Any]]]:
    """(case number, the unpaid fee notice due first) among the litigant's cases, or None."""
    unpaid = []
    for case in await client.list_cases(token):
        detail = await client.get_case(token, case["case_number"])
        unpaid += [(n["due_at"], case["case_number"], n) for n in detail.get("fee_notices", []) if n["status"] == "unpaid"]
    if not unpaid:
        return None
    _, case_number, notice = min(unpaid, key=lambda item: (item[0] is None, item[0] or ""))  # unserved last
    return case_number, notice


class ActionPayFee(TokenAction):
    def name(self) -> Text:
        return "action_pay_fee"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        token = tracker.get_slot("litigant_token")
        if not token:
            return []
        client = CourtClient.default()
        order_no = tracker.get_slot("payment_order")
        try:
            if order_no:
                payment = await client.get_payment(token, order_no)
                if payment["status"] == "paid":
                    dispatcher.utter_message(text=PAID.format(amount=format_money(payment["amount"]), order_no=order_no))
                    return [SlotSet("payment_order", None)]
                dispatcher.utter_message(text=NOT_PAID_YET.format(order_no=order_no, pay_url=payment["pay_url"],
                                                                  deadline=_deadline(payment["due_at"])))
                return []
            found = await _open_notice(client, token)
            if found is None:
                dispatcher.utter_message(text=NOTHING_TO_PAY)
                return []
            case_number, notice = found
            payment = await client.create_payment(token, notice["id"])
        except CourtError as err:
            dispatcher.utter_message(text=court_error_text(err))
            return []
        dispatcher.utter_message(text=payment_request_text(case_number, payment))
        return [SlotSet("payment_order", payment["order_no"])]
