"""The answer to a fee question: the backend's figure, its article, and what can lower it."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.filing_summary import format_money
from bot.court_client import CourtClient, CourtError
from bot.fee_categories import LABELS, NEEDS_AMOUNT, OPTIONAL_AMOUNT
from bot.texts import (BACK_TO_FILING, FEE_HOW_COUNTED, FEE_QUOTE, FEE_QUOTE_RANGE, FEE_REDUCTIONS,
                       court_error_text)


def fee_answer(category: str, amount: str | None, result: Dict[str, Any]) -> str:
    what = LABELS.get(category, "该类案件")
    if amount:
        what += f"（标的额{format_money(amount)}）"
    if result.get("fee"):
        head = f"{what}的诉讼费为{format_money(result['fee'])}。"
    else:
        head = f"{what}的诉讼费为每件{format_money(result['fee_min'])}至{format_money(result['fee_max'])}，具体数额由各地规定。"
    steps = "；".join(result.get("steps") or [])
    text = f"{head}\n依据：{result['basis']}。"
    if steps:
        text += f"\n计算：{steps}。"
    if category in {"property", "divorce", "personality_rights", "ip", "labor", "other_non_property"}:
        text += "\n" + FEE_REDUCTIONS
    return text


class ActionAnswerFee(Action):
    def name(self) -> Text:
        return "action_answer_fee"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        category, amount = tracker.get_slot("fee_category"), tracker.get_slot("fee_amount")
        if category:
            try:
                result = await CourtClient.default().calculate_fee(category, amount)
                dispatcher.utter_message(text=fee_answer(category, amount, result))
            except CourtError as err:
                dispatcher.utter_message(text=court_error_text(err))
        return [SlotSet("fee_category", None), SlotSet("fee_amount", None)]


async def quote_for_filing(case_type: str | None, amount: str | None) -> str | None:
    """"预计诉讼费：…" for a filing's 案由 and amount, or None when it cannot be worked out."""
    client = CourtClient.default()
    try:
        category = (await client.case_type_categories()).get(case_type or "")
        if category is None or (category in NEEDS_AMOUNT and not amount):
            return None
        result = await client.calculate_fee(category, amount if category in NEEDS_AMOUNT | OPTIONAL_AMOUNT else None)
    except CourtError:
        return None
    if result.get("fee"):
        return FEE_QUOTE.format(fee=format_money(result["fee"]), basis=result["basis"])
    return FEE_QUOTE_RANGE.format(low=format_money(result["fee_min"]), high=format_money(result["fee_max"]))


class ActionFeeDigression(Action):
    """"要交多少钱？" in the middle of a filing: the quote for what has been filled in so far."""

    def name(self) -> Text:
        return "action_fee_digression"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        quote = await quote_for_filing(tracker.get_slot("case_type"), tracker.get_slot("amount"))
        dispatcher.utter_message(text=(quote + "\n" + FEE_FEE_REDUCTIONS) if quote else FEE_HOW_COUNTED)
        dispatcher.utter_message(text=BACK_TO_FILING)
        return []
