"""Validation of the filing form (立案): one question at a time, each answer checked and explained.

Validators may be called with None and may run twice (rasa #11790, #11595): each is a pure
function of the value and the latest message, apart from the court lookup over HTTP.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.court_client import CourtClient, CourtError
from actions.messages import BACKEND_DOWN, WHAT_TO_CHANGE
from bot.values import find_amounts, normalize_text, parse_amount
from forms.answers import clean_name, party_kind, read_confirmation, read_id_number, read_is_self, read_phone
from forms.identity import IdentityFormValidation, known_identity

# Above 100 亿元 an online filing is almost surely a typing slip (一千亿); such a claim, if real,
# belongs at the court's service centre, where the clerk can check it with the litigant.
MAX_AMOUNT = Decimal("10000000000")
# Answers that leave the form's current question to a rule (digressions, stop): never slot values.
DIGRESSIONS = {"stop", "faq", "query_status", "request_human", "bot_challenge", "ask_fee", "greet", "thank"}
# Slots that hang together: clearing one for a correction clears its companions.
COMPANIONS = {"court": ["court_code"], "defendant_name": ["defendant_kind"]}
PLAINTIFF_SLOTS = ["plaintiff_name", "plaintiff_id_number", "plaintiff_phone"]

def _entity(tracker: Tracker, name: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


class ValidateFilingForm(IdentityFormValidation):
    def name(self) -> Text:
        return "validate_filing_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        """Identity once per conversation; the plaintiff's details only when filing for someone else."""
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        if tracker.get_slot("filer_is_plaintiff"):
            return [s for s in slots if s not in PLAINTIFF_SLOTS]
        return slots

    async def extract_filer_is_plaintiff(self, dispatcher: CollectingDispatcher,
                                         tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "filer_is_plaintiff":
            return {}
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        if intent in DIGRESSIONS:
            return {}
        is_self = read_is_self(message.get("text") or "", intent)
        if is_self is None:
            dispatcher.utter_message(text="请回答“是”（您本人是原告）或“不是”（您代他人起诉）。")
        return {"filer_is_plaintiff": is_self}

    async def validate_filer_is_plaintiff(self, value: Any, dispatcher: CollectingDispatcher,
                                          tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        me = known_identity(tracker)
        if value is True and me:  # filing for oneself: the verified identity is the plaintiff
            return {"filer_is_plaintiff": True, "plaintiff_name": me["name"],
                    "plaintiff_id_number": me["id_number"], "plaintiff_phone": me["phone"]}
        return {"filer_is_plaintiff": value if value is False else None}

    async def validate_case_type(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"case_type": None}
        # The lookup table and synonyms give the canonical 案由 (借钱不还 → 民间借贷纠纷).
        case_type = _entity(tracker, "case_type") or normalize_text(str(value))
        if not re.fullmatch(r"[\u4e00-\u9fff、]{2,30}", case_type) or not re.search(r"(纠纷|争议)$", case_type):
            dispatcher.utter_message(text="抱歉，没能识别这个案由。请从选项中选择，或输入完整的案由，例如“民间借贷纠纷”。")
            return {"case_type": None}
        return {"case_type": case_type}

    async def validate_court(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"court": None, "court_code": None}
        fragment = _entity(tracker, "court") or normalize_text(str(value))[:40]
        try:
            courts = await CourtClient.default().search_courts(fragment)
        except CourtError:
            dispatcher.utter_message(**BACKEND_DOWN.kwargs())
            return {"court": None, "court_code": None}
        exact = [c for c in courts if c.name == fragment]
        if len(exact) == 1 or len(courts) == 1:
            court = (exact or courts)[0]
            return {"court": court.name, "court_code": court.code}
        if not courts:
            dispatcher.utter_message(text="没有找到这个法院。请输入法院的全称或所在区县，例如“北京市朝阳区人民法院”或“朝阳法院”。")
        else:
            dispatcher.utter_message(
                text="找到了几家法院，请问是哪一家？",
                buttons=[{"title": c.name, "payload": c.name} for c in courts[:6]],
            )
        return {"court": None, "court_code": None}

    async def validate_plaintiff_name(self, value: Any, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"plaintiff_name": None}
        name = _entity(tracker, "person_name") or clean_name(str(value))
        if name is None:
            dispatcher.utter_message(text="请输入原告的真实姓名（2个字以上，不含数字和符号），例如“张三”。")
            return {"plaintiff_name": None}
        return {"plaintiff_name": name}

    async def validate_plaintiff_id_number(self, value: Any, dispatcher: CollectingDispatcher,
                                           tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"plaintiff_id_number": None}
        number, problem = read_id_number(str(value))
        if problem:
            dispatcher.utter_message(text=problem)
        return {"plaintiff_id_number": number}

    async def validate_plaintiff_phone(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"plaintiff_phone": None}
        phone, problem = read_phone(str(value))
        if problem:
            dispatcher.utter_message(text=problem)
        return {"plaintiff_phone": phone}

    async def validate_defendant_name(self, value: Any, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"defendant_name": None, "defendant_kind": None}
        name = _entity(tracker, "org_name") or _entity(tracker, "person_name") or clean_name(str(value))
        if name is None:
            dispatcher.utter_message(text="请输入被告的姓名或单位全称，例如“李四”或“北京某某科技有限公司”。")
            return {"defendant_name": None, "defendant_kind": None}
        if name == tracker.get_slot("plaintiff_name"):
            dispatcher.utter_message(text="被告不能与原告是同一人，请输入您要起诉的对方。")
            return {"defendant_name": None, "defendant_kind": None}
        return {"defendant_name": name, "defendant_kind": party_kind(name)}

    async def validate_claims(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"claims": None}
        claims = str(value).strip()  # the litigant's own words, full-width punctuation kept
        if len(claims) < 4:
            dispatcher.utter_message(text="诉讼请求需要写得具体一些，例如“判令被告归还借款5万元”。")
            return {"claims": None}
        if len(claims) > 1000:
            dispatcher.utter_message(text="诉讼请求请控制在1000字以内，详细经过可以写在“事实与理由”里。")
            return {"claims": None}
        result: Dict[Text, Any] = {"claims": claims}
        amounts = find_amounts(claims)
        if len(amounts) == 1 and not tracker.get_slot("amount"):
            result["amount"] = amounts[0].value  # "归还借款5万元": the amount is already said
        return result

    async def validate_amount(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"amount": None}
        text = str(value)
        amount = parse_amount(text)
        if amount is None:
            found = find_amounts(text)
            amount = Decimal(found[0].value) if len(found) == 1 else None
        if amount is None:
            dispatcher.utter_message(text="抱歉，没能看懂这个金额。请直接输入数字，例如“50000”或“5万”。")
            return {"amount": None}
        if amount <= 0:
            dispatcher.utter_message(text="诉讼标的额需要大于0元，请重新输入。")
            return {"amount": None}
        if amount > MAX_AMOUNT:
            dispatcher.utter_message(text=f"您输入的金额是{amount:,.2f}元，超过了100亿元。请核对是否多输了位数后重新输入；"
                                          "如确为该金额，请到受理法院的诉讼服务中心办理立案。")
            return {"amount": None}
        return {"amount": f"{amount:.2f}"}

    async def validate_facts(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"facts": None}
        facts = str(value).strip()
        if len(facts) < 10:
            dispatcher.utter_message(text="事实与理由请再具体一些（至少10个字）：什么时间、发生了什么、对方为什么应当负责。")
            return {"facts": None}
        if len(facts) > 5000:
            dispatcher.utter_message(text="事实与理由请控制在5000字以内，详细材料可以作为证据上传。")
            return {"facts": None}
        return {"facts": facts}

    async def extract_filing_confirmed(self, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """The read-back step: confirm, or say what to change (with or without the new value)."""
        if tracker.get_slot("requested_slot") != "filing_confirmed":
            return {}
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        if intent in DIGRESSIONS:
            return {}  # let the rules answer; the form asks again afterwards
        answer = read_confirmation(message.get("text") or "", intent)
        if answer.confirmed:
            return {"filing_confirmed": True, "correcting": False}
        if answer.field == "amount":
            found = find_amounts(message.get("text") or "")
            if len(found) == 1:  # "不对，金额是8万": take the new value, read back again
                return {"amount": found[0].value, "filing_confirmed": None, "correcting": False}
        if answer.field is not None:  # ask that question again, then read back again
            cleared = {answer.field: None, **{c: None for c in COMPANIONS.get(answer.field, [])}}
            return {**cleared, "filing_confirmed": None, "correcting": False}
        dispatcher.utter_message(**WHAT_TO_CHANGE.kwargs())
        return {"correcting": True}

    async def validate_filing_confirmed(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return {"filing_confirmed": value if value is True else None}
