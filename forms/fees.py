"""The fee question (ask_fee): what kind of case, and — where the fee depends on it — the amount."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.court_client import CourtClient, CourtError
from bot.values import find_amounts, parse_amount

# Everyday words → the categories of 《诉讼费用交纳办法》 arts. 13–14 (most specific first).
_CATEGORY_WORDS: list[tuple[str, str]] = [
    ("preservation", r"保全"),
    ("enforcement", r"申请执行|强制执行|执行费"),
    ("payment_order", r"支付令"),
    ("divorce", r"离婚"),
    ("labor", r"劳动争议|劳动仲裁|劳动纠纷"),
    ("personality_rights", r"名誉|人格|肖像|隐私|姓名权"),
    ("ip", r"知识产权|专利|商标|著作权|版权"),
    ("property", r"借|欠|合同|买卖|租|赔偿|货款|工程|交通事故|车祸|财产|金额|标的|万|元"),
]
# Categories whose fee depends on the amount (the rest are per case, or a range).
NEEDS_AMOUNT = {"property", "enforcement", "preservation", "payment_order"}
OPTIONAL_AMOUNT = {"divorce", "personality_rights", "ip"}
LABELS = {
    "property": "财产案件", "divorce": "离婚案件", "personality_rights": "人格权案件", "labor": "劳动争议案件",
    "ip": "知识产权案件", "enforcement": "申请执行", "preservation": "申请保全", "payment_order": "申请支付令",
    "other_non_property": "其他非财产案件",
}


def category_from_text(text: str) -> Optional[str]:
    for category, pattern in _CATEGORY_WORDS:
        if re.search(pattern, text):
            return category
    return None


def amount_from_text(text: str) -> Optional[str]:
    amount = parse_amount(text)
    if amount is None:
        found = find_amounts(text)
        amount = Decimal(found[0].value) if len(found) == 1 else None
    return f"{amount:.2f}" if amount is not None and amount > 0 else None


class ValidateFeeForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_fee_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        # Drop the amount only once the category is known not to need it: rasa_sdk extracts just
        # the slots listed here, and "标的10万要交多少" names both in the first message.
        category = tracker.get_slot("fee_category")
        if category is not None and category not in NEEDS_AMOUNT:
            return [s for s in domain_slots if s != "fee_amount"]
        return domain_slots

    async def extract_fee_category(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("fee_category"):
            return {}
        message = tracker.latest_message or {}
        case_type = next(tracker.get_latest_entity_values("case_type"), None)
        category = None
        if case_type:
            try:
                category = (await CourtClient.default().case_type_categories()).get(case_type)
            except CourtError:
                category = None
        category = category or category_from_text(message.get("text") or "")
        if category is None and tracker.get_slot("requested_slot") == "fee_category":
            dispatcher.utter_message(text="抱歉，没能判断案件类型，请从选项中选一个。")
            return {"fee_category": None}
        return {"fee_category": category} if category else {}

    async def extract_fee_amount(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("fee_amount"):
            return {}
        text = (tracker.latest_message or {}).get("text") or ""
        amount = amount_from_text(text)
        if amount is None and tracker.get_slot("requested_slot") == "fee_amount":
            dispatcher.utter_message(text="请输入一个大于0的金额，例如“10万”或“100000”。")
            return {"fee_amount": None}
        return {"fee_amount": amount} if amount else {}
