"""The filing form's 民族/职业 questions (forms/filing_details.py): asked of persons only, read back."""
from __future__ import annotations

import asyncio
from pathlib import Path

import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.filing_summary import filing_payload, filing_summary
from bot.readers.parties import UNKNOWN, current_party
from forms.filing import ValidateFilingForm
from tests.forms.test_filing_validators import run, tracker

FORM_SLOTS = yaml.safe_load(Path("domain.yml").read_text(encoding="utf-8"))["forms"]["filing_form"]["required_slots"]


def required(**slots) -> list[str]:
    return asyncio.run(ValidateFilingForm().required_slots(FORM_SLOTS, CollectingDispatcher(), tracker("", slots=slots), {}))


def test_asked_in_a_clerks_order_of_persons_only():
    assert FORM_SLOTS.index("plaintiff_id_number") < FORM_SLOTS.index("plaintiff_details") < FORM_SLOTS.index("plaintiff_address")
    assert FORM_SLOTS.index("defendant_name") < FORM_SLOTS.index("defendant_details") < FORM_SLOTS.index("defendant_address")
    asked = required(plaintiff_kind="person", defendant_kind="person")
    assert "plaintiff_details" in asked and "defendant_details" in asked
    asked = required(plaintiff_kind="organisation", defendant_kind="organisation")
    assert "plaintiff_details" not in asked and "defendant_details" not in asked


def test_validators_read_explain_and_accept_unknown_for_a_defendant():
    result, said = run("validate_plaintiff_details", "汉族，教师", tracker("汉族，教师"))
    assert result == {"plaintiff_details": {"ethnicity": "汉族", "occupation": "教师"}} and not said
    result, said = run("validate_plaintiff_details", "不清楚", tracker("不清楚"))
    assert result == {"plaintiff_details": None} and "民族" in said[0]
    result, said = run("validate_defendant_details", "不清楚", tracker("不清楚"))
    assert result == {"defendant_details": UNKNOWN} and not said


def test_details_reach_the_backend_and_the_read_back():
    slots = {
        "case_type": "民间借贷纠纷", "court": "北京市朝阳区人民法院", "court_code": "京0105", "facts": "借钱不还",
        "claims": [{"text": "判令被告归还借款5万元", "amount": "50000.00"}], "amount": "50000.00",
        "plaintiff_name": "张三", "plaintiff_kind": "person", "plaintiff_id_number": "11010519491231002X",
        "plaintiff_phone": "13800138000", "plaintiff_address": "北京市朝阳区建国路88号",
        "plaintiff_details": {"ethnicity": "汉族", "occupation": "退休"},
        "defendant_name": "李四", "defendant_kind": "person", "defendant_address": "北京市朝阳区朝阳北路1号",
        "defendant_details": {"ethnicity": "回族", "occupation": "司机", "id_number": "440524188001010014"},
    }
    plaintiff, defendant = filing_payload(slots, channel="rest", conversation_id="c")["parties"]
    assert (plaintiff["ethnicity"], plaintiff["occupation"]) == ("汉族", "退休")
    assert defendant["id_number"] == "440524188001010014" and defendant["occupation"] == "司机"
    summary = filing_summary(slots)
    assert "原告：张三（女，1949年12月出生，汉族，退休，身份证" in summary
    assert "被告：李四（男，1880年1月出生，回族，司机，身份证" in summary
    unknown = current_party("defendant", {**slots, "defendant_details": UNKNOWN})
    assert "ethnicity" not in unknown and "id_number" not in unknown


def test_an_answer_taken_for_a_greeting_is_still_the_answer():
    from forms.filing import ValidateFilingForm

    def extract(slot: str, text: str, intent: str, requested: str | None = None) -> dict:
        t = tracker(text, intent=intent, slots={"requested_slot": requested or slot})
        return asyncio.run(getattr(ValidateFilingForm(), f"extract_{slot}")(CollectingDispatcher(), t, {}))

    assert extract("plaintiff_details", "汉族，教师", "greet") == {"plaintiff_details": "汉族，教师"}
    assert extract("defendant_details", "不清楚", "deny") == {"defendant_details": "不清楚"}
    assert extract("plaintiff_details", "诉讼费多少钱", "ask_fee") == {}  # a real digression stays one
    assert extract("defendant_details", "汉族", "greet", requested="defendant_address") == {}  # another question
