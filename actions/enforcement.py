"""申请执行 actions: the read-back with the fee and the period, the submission, and the status of an
enforcement case by its 执 number (or application number ZX…)."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal
from typing import Any, Dict, List, Optional, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reverify import TokenAction

from actions.filing_summary import format_money
from bot.court_client import CourtClient, CourtError
from bot.texts import (
    ENF_CONFIRM_BUTTONS, ENF_NONE, ENF_NOT_INTERRUPTED, ENF_NOT_SUBMITTED, ENF_STATUS, ENF_STEP_LINE, ENF_SUMMARY,
    ENF_SUBMITTED, NOT_FOUND, NOT_INTERRUPTED, court_error_text,
)
from court.rules.case_numbers import CaseNumberError, parse_case_number
from court.rules.enforcement import BASIS_KINDS, enforcement_fee, is_enforcement_number
from court.rules.idcard import mask_id_number

CHINA = ZoneInfo("Asia/Shanghai")
FORM_SLOTS = ["enf_basis", "enf_basis_kind", "enf_basis_number", "enf_basis_document", "enf_respondent",
              "enf_respondent_kind", "enf_claim", "enf_amount", "enf_leads", "enf_lead_list", "enf_performance_day",
              "enf_interrupted", "enf_period", "enf_court", "enf_court_code", "enf_property_there", "enf_confirmed"]


def _day(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def enforcement_payload(slots: Dict[str, Any]) -> Dict[str, Any]:
    """The POST /api/v1/enforcements body from the form's slots."""
    interrupted = slots.get("enf_interrupted")
    payload: Dict[str, Any] = {
        "basis_kind": slots.get("enf_basis_kind") or "judgment",
        "respondent": {"name": slots.get("enf_respondent"), "kind": slots.get("enf_respondent_kind") or "person"},
        "property_leads": slots.get("enf_lead_list") or [],
        "performance_last_day": slots.get("enf_performance_day"),
        "interrupted": bool(interrupted and interrupted != NOT_INTERRUPTED),
        "court_code": slots.get("enf_court_code"),
        "property_there": bool(slots.get("enf_property_there")),
    }
    for key, slot in (("basis_number", "enf_basis_number"), ("basis_document", "enf_basis_document")):
        if slots.get(slot):
            payload[key] = slots[slot]
    if payload["interrupted"]:
        payload["interrupted_on"] = interrupted
    if slots.get("enf_amount"):
        payload["amount"] = slots["enf_amount"]
    else:
        payload["acts"] = slots.get("enf_claim")
    if payload["basis_kind"] == "arbitration":
        payload["respondent_lives_there"] = True  # the applicant chose the court: staff confirm the place
    return payload


def enforcement_summary(slots: Dict[str, Any]) -> str:
    """The read-back: every answer, the period and the fee (shown, not prepaid)."""
    amount = slots.get("enf_amount")
    fee = enforcement_fee(Decimal(amount) if amount else None)
    leads = "；".join(lead["detail"] for lead in slots.get("enf_lead_list") or []) or ENF_NONE
    interrupted = slots.get("enf_interrupted")
    basis = slots.get("enf_basis_number") or slots.get("enf_basis_document") or ""
    claim = slots.get("enf_claim") or ""
    if amount:
        claim += f"（金额合计{format_money(amount)}）"
    return ENF_SUMMARY.format(
        basis=f"{BASIS_KINDS.get(slots.get('enf_basis_kind') or 'judgment')} {basis}",
        applicant=f"{slots.get('identity_name') or ''}（{mask_id_number(slots.get('identity_id_number') or '')}）",
        respondent=slots.get("enf_respondent") or "", claim=claim, leads=leads,
        performance=_day(slots["enf_performance_day"]) if slots.get("enf_performance_day") else "",
        interrupted=_day(interrupted) if interrupted and interrupted != NOT_INTERRUPTED else ENF_NOT_INTERRUPTED,
        court=slots.get("enf_court") or "", period=slots.get("enf_period") or "", fee=fee.explanation)


def idempotency_key(sender: str, payload: Dict[str, Any]) -> str:
    """One application per conversation and content: a retried submission is not a second one."""
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"enf-{hashlib.sha256(sender.encode()).hexdigest()[:16]}-{digest[:32]}"


class ActionAskEnfConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_enf_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=enforcement_summary(tracker.current_slot_values()), buttons=ENF_CONFIRM_BUTTONS)
        return []


class ActionSubmitEnforcement(TokenAction):
    def name(self) -> Text:
        return "action_submit_enforcement"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS]
        token = slots.get("litigant_token")
        if slots.get("enf_confirmed") is not True or not token:
            dispatcher.utter_message(text=ENF_NOT_SUBMITTED)
            return reset
        payload = enforcement_payload(slots)
        try:
            answer = await CourtClient.default().create_enforcement(
                token, payload, idempotency_key(tracker.sender_id, payload))
        except CourtError as err:
            dispatcher.utter_message(text=court_error_text(err))
            return reset
        dispatcher.utter_message(text=ENF_SUBMITTED.format(number=answer["number"], fee=answer["fee"]["text"]))
        return reset


def _when(iso: str) -> str:
    return f"{datetime.fromisoformat(iso).astimezone(CHINA):%Y年%m月%d日}"


def enforcement_status_text(body: Dict[str, Any]) -> str:
    """The case's status and each step so far, oldest first."""
    ref = f"案件 {body['case_number']}" if body.get("case_number") else f"申请 {body['number']}"
    lines = [ENF_STATUS.format(ref=ref, court=body["court"]["name"], status=body["status_label"])]
    if body.get("reject_reason"):
        lines.append(f"理由：{body['reject_reason']}")
    for step in body.get("steps") or []:
        note = f"（{step['note']}）" if step.get("note") else ""
        lines.append(ENF_STEP_LINE.format(at=_when(step["at"]), label=step["label"], note=note))
    return "\n".join(lines)


async def enforcement_status(token: str, number: str) -> str:
    """What action_query_status says for an enforcement number: the case, or why not."""
    try:
        return enforcement_status_text(await CourtClient.default().get_enforcement(token, number))
    except CourtError as err:
        return NOT_FOUND.format(kind="执行案件", number=number) if err.status == 404 else court_error_text(err)


def is_enforcement_ref(number: Optional[str]) -> bool:
    """A 执 case number (执, 执恢, 执异 …) or an application number."""
    if not number:
        return False
    if number.upper().startswith("ZX"):
        return True
    try:
        return is_enforcement_number(parse_case_number(number))
    except CaseNumberError:
        return False
