"""Validation of the enforcement form (申请执行): identity first (forms/identity.py), then the basis, the
person subject to enforcement, what is enforced, property leads, the performance deadline, whether the
period was interrupted (asked, never assumed), the court, and the read-back.

The rules are court/rules/enforcement.py's (stdlib): the bot warns early, the backend decides.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.readers.answers import DIGRESSIONS, clean_name, party_kind
from bot.readers.lists import is_none_answer, read_yes_no
from bot.readers.values import find_amounts, find_dates, normalize_text
from bot.texts import (
    ENF_BASIS_HELP, ENF_BASIS_IS_ENFORCEMENT, ENF_CLAIM_HELP, ENF_COURT_FIRST_UNKNOWN, ENF_COURT_NOT_FOUND,
    ENF_COURT_PROPERTY, ENF_DATE_FUTURE, ENF_DATE_HELP, ENF_INTERRUPTED_HELP, ENF_PERIOD_EXPIRED,
    ENF_RESPONDENT_HELP, NOT_INTERRUPTED,
)
from bot.tracker import latest_intent, latest_text, tapped
from court.rules.case_numbers import CaseNumberError, find_case_numbers, parse_case_number
from court.rules.courts import court_by_code, court_by_name, search_courts
from court.rules.enforcement import EnforcementError, application_period, is_enforcement_number
from forms.identity import IdentityFormValidation

FIRST_INSTANCE = re.compile(r"一审|原审|原判|判决的法院|作出.*的法院|就这个|同一个法院")
LEAD_WORDS = (("bank", re.compile(r"银行|账户|账号|存款|卡|支付宝|微信")),
              ("real_estate", re.compile(r"房|不动产|商铺|土地|公寓")),
              ("vehicle", re.compile(r"车|牌照|京[A-Z]|沪[A-Z]")),
              ("employer", re.compile(r"公司|单位|上班|工资|工作|收入")))
LEAD_SPLIT = re.compile(r"[、，,；;。\n]|还有|以及|和")


def basis_of(text: str) -> Dict[str, Any]:
    """The basis's kind and number (a court's) or document (an award), from what was typed; {} if unreadable."""
    s = normalize_text(text)
    if "仲裁" in s:
        return {"enf_basis_kind": "arbitration", "enf_basis_number": None, "enf_basis_document": s[:256]}
    found = find_case_numbers(s)
    if not found:
        try:
            found = [parse_case_number(s)]
        except CaseNumberError:
            return {}
    kind = "mediation" if "调解" in s else "ruling" if "裁定" in s else "judgment"
    return {"enf_basis_kind": kind, "enf_basis_number": found[0].canonical(), "enf_basis_document": None}


def read_leads(text: str) -> List[Dict[str, str]]:
    """"工商银行账户、一套房子、京A12345" → one lead each, kind by its words (other when none fits)."""
    if is_none_answer(text) or re.fullmatch(r"(不清楚|不知道|没有了?|无)[。！!]*", normalize_text(text).strip()):
        return []
    leads = []
    for part in LEAD_SPLIT.split(normalize_text(text)):
        part = part.strip(" 。")
        if len(part) < 2:
            continue
        kind = next((k for k, pattern in LEAD_WORDS if pattern.search(part)), "other")
        leads.append({"kind": kind, "detail": part[:200]})
    return leads[:20]


def one_date(text: str) -> Optional[date]:
    """The one full calendar date in what was typed (2025年6月30日, 2025-06-30), or None."""
    days = [f.value for f in find_dates(text) if len(f.value) == 10]
    return date.fromisoformat(days[0]) if len(days) == 1 else None


class ValidateEnforcementForm(IdentityFormValidation):
    def name(self) -> Text:
        return "validate_enforcement_form"

    async def validate_enf_basis(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"enf_basis": None}
        found = basis_of(str(value))
        if not found:
            dispatcher.utter_message(text=ENF_BASIS_HELP)
            return {"enf_basis": None}
        number = found["enf_basis_number"]
        if number and is_enforcement_number(parse_case_number(number)):
            dispatcher.utter_message(text=ENF_BASIS_IS_ENFORCEMENT)
            return {"enf_basis": None}
        return {"enf_basis": number or found["enf_basis_document"], **found}

    async def validate_enf_respondent(self, value: Any, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        name = clean_name(str(value)) if value else None
        if value and name is None:
            dispatcher.utter_message(text=ENF_RESPONDENT_HELP)
        return {"enf_respondent": name, "enf_respondent_kind": party_kind(name) if name else None}

    async def validate_enf_claim(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"enf_claim": None}
        text = normalize_text(str(value)).strip()
        amounts = find_amounts(text)
        if not amounts and len(text) < 4:
            dispatcher.utter_message(text=ENF_CLAIM_HELP)
            return {"enf_claim": None}
        total = sum((Decimal(amount.value) for amount in amounts), Decimal(0)) if amounts else None
        return {"enf_claim": text[:500], "enf_amount": f"{total:.2f}" if total is not None else None}

    async def validate_enf_leads(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"enf_leads": None}
        return {"enf_leads": str(value)[:500], "enf_lead_list": read_leads(str(value))}

    async def validate_enf_performance_day(self, value: Any, dispatcher: CollectingDispatcher,
                                           tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"enf_performance_day": None}
        day = one_date(str(value))
        if day is None:
            dispatcher.utter_message(text=ENF_DATE_HELP)
            return {"enf_performance_day": None}
        if day > date.today():
            dispatcher.utter_message(text=ENF_DATE_FUTURE)
            return {"enf_performance_day": None}
        return {"enf_performance_day": day.isoformat()}

    async def validate_enf_interrupted(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"enf_interrupted": None}
        text = str(value)
        day = one_date(text)
        if day is None and read_yes_no(text, latest_intent(tracker)) is not False and not is_none_answer(text):
            dispatcher.utter_message(text=ENF_INTERRUPTED_HELP)
            return {"enf_interrupted": None}
        performance = tracker.get_slot("enf_performance_day")
        try:
            period = application_period(date.fromisoformat(performance), interrupted_on=day, today=date.today()) \
                if performance else None
        except EnforcementError as err:
            dispatcher.utter_message(text=err.message)
            return {"enf_interrupted": None}
        if period is not None and period.expired(date.today()):
            dispatcher.utter_message(text=ENF_PERIOD_EXPIRED.format(explanation=period.explanation))
            return {"enf_interrupted": None}
        return {"enf_interrupted": day.isoformat() if day else NOT_INTERRUPTED,
                "enf_period": period.explanation if period else None}

    async def validate_enf_court(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"enf_court": None}
        text = tapped(tracker, "court") or normalize_text(str(value)).strip()  # a button's, or typed
        number = tracker.get_slot("enf_basis_number")
        first = court_by_code(parse_case_number(number).court_code) if number else None
        if FIRST_INSTANCE.search(text):
            if first is None or tracker.get_slot("enf_basis_kind") == "arbitration":
                dispatcher.utter_message(text=ENF_COURT_FIRST_UNKNOWN)
                return {"enf_court": None}
            return {"enf_court": first.name, "enf_court_code": first.code, "enf_property_there": False}
        court = court_by_name(text) or next(iter(search_courts(text, limit=1)), None)
        if court is None:
            dispatcher.utter_message(text=ENF_COURT_NOT_FOUND)
            return {"enf_court": None}
        elsewhere = first is None or court.code != first.code
        if elsewhere:
            dispatcher.utter_message(text=ENF_COURT_PROPERTY.format(court=court.name))
        return {"enf_court": court.name, "enf_court_code": court.code, "enf_property_there": elsewhere}

    async def extract_enf_confirmed(self, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """The read-back: 确认提交 → True, 取消 → False; anything else asks again."""
        if tracker.get_slot("requested_slot") != "enf_confirmed" or latest_intent(tracker) in DIGRESSIONS:
            return {}
        answer = read_yes_no(latest_text(tracker), latest_intent(tracker))
        if answer is None and re.search(r"确认|提交", latest_text(tracker)):
            answer = True
        if answer is None and re.search(r"取消|不提交|算了", latest_text(tracker)):
            answer = False
        return {} if answer is None else {"enf_confirmed": answer}

    async def validate_enf_confirmed(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return {"enf_confirmed": value if isinstance(value, bool) else None}
