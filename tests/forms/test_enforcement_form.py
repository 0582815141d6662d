"""The enforcement form's validators and the read-back/payload of actions/enforcement.py, on real answers."""
from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.enforcement import enforcement_payload, enforcement_summary, is_enforcement_ref
from bot.texts import NOT_INTERRUPTED
from forms.enforcement import ValidateEnforcementForm


def tracker(text: str, intent: str = "inform", slots: dict | None = None, requested: str | None = None) -> Tracker:
    slots = dict(slots or {}, requested_slot=requested)
    return Tracker("t1", slots, {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}, [],
                   False, None, {"name": "enforcement_form"}, "action_listen")


def run(method: str, value, t: Tracker) -> tuple[dict, list[str]]:
    dispatcher = CollectingDispatcher()
    result = asyncio.run(getattr(ValidateEnforcementForm(), method)(value, dispatcher, t, {}))
    return result, [m.get("text") or "" for m in dispatcher.messages]


@pytest.mark.parametrize("text, kind, number", [
    ("(2025)京0105民初1234号", "judgment", "（2025）京0105民初1234号"),
    ("是调解书，案号2025京0105民初12", "mediation", "（2025）京0105民初12号"),
    ("北京仲裁委员会（2025）京仲裁字第12号裁决", "arbitration", None),
])
def test_the_basis_is_read_with_its_kind(text, kind, number):
    result, said = run("validate_enf_basis", text, tracker(text))
    assert result["enf_basis_kind"] == kind and result["enf_basis_number"] == number and said == []
    assert result["enf_basis"]


@pytest.mark.parametrize("text, fragment", [("不知道", "案号"), ("（2026）京0105执3号", "执行案件的案号")])
def test_an_unusable_basis_is_explained(text, fragment):
    result, said = run("validate_enf_basis", text, tracker(text))
    assert result == {"enf_basis": None} and fragment in said[0]


def test_amounts_are_summed_and_acts_kept():
    result, _ = run("validate_enf_claim", "本金5万元和利息3000元", tracker("x"))
    assert result["enf_amount"] == "53000.00"
    result, _ = run("validate_enf_claim", "把车还给我", tracker("x"))
    assert result["enf_amount"] is None and result["enf_claim"] == "把车还给我"


def test_property_leads_are_sorted_by_kind_and_none_is_empty():
    result, _ = run("validate_enf_leads", "工商银行账户、朝阳区一套房子，在某某公司上班", tracker("x"))
    assert [lead["kind"] for lead in result["enf_lead_list"]] == ["bank", "real_estate", "employer"]
    assert run("validate_enf_leads", "不知道", tracker("x"))[0]["enf_lead_list"] == []


def test_a_performance_day_in_the_future_is_refused():
    later = date.today() + timedelta(days=5)
    result, said = run("validate_enf_performance_day", f"{later.year}年{later.month}月{later.day}日", tracker("x"))
    assert result == {"enf_performance_day": None} and "还没有到" in said[0]


def test_interruption_is_asked_and_an_expired_period_said():
    old = {"enf_performance_day": "2020-01-10"}
    result, said = run("validate_enf_interrupted", "没有", tracker("没有", "deny", old))
    assert result == {"enf_interrupted": None} and "届满" in said[0]
    recent = (date.today() - timedelta(days=100)).isoformat()
    result, said = run("validate_enf_interrupted", "没有", tracker("没有", "deny", {"enf_performance_day": recent}))
    assert result["enf_interrupted"] == NOT_INTERRUPTED and "第二百五十条" in result["enf_period"] and said == []
    day = date.today() - timedelta(days=30)
    text = f"{day.year}年{day.month}月{day.day}日催过他"
    result, _ = run("validate_enf_interrupted", text, tracker(text, slots=old))
    assert result["enf_interrupted"] == day.isoformat()
    result, said = run("validate_enf_interrupted", "嗯嗯", tracker("嗯嗯", slots=old))
    assert result == {"enf_interrupted": None} and "没有" in said[0]


def test_the_court_is_the_first_instance_court_or_said_to_be_where_the_property_is():
    slots = {"enf_basis_number": "（2025）京0105民初1234号", "enf_basis_kind": "judgment"}
    result, said = run("validate_enf_court", "一审法院", tracker("x", slots=slots))
    assert result == {"enf_court": "北京市朝阳区人民法院", "enf_court_code": "京0105", "enf_property_there": False}
    result, said = run("validate_enf_court", "北京市海淀区人民法院", tracker("x", slots=slots))
    assert result["enf_court_code"] == "京0108" and result["enf_property_there"] and "财产所在地" in said[0]
    result, said = run("validate_enf_court", "火星法院", tracker("x", slots=slots))
    assert result == {"enf_court": None} and "没有找到" in said[0]


@pytest.mark.parametrize("text, intent, expected", [
    ("确认提交", "affirm", True), ("取消", "deny", False), ("申请费是多少", "inform", None)])
def test_the_read_back_answer(text, intent, expected):
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ValidateEnforcementForm().extract_enf_confirmed(
        dispatcher, tracker(text, intent, requested="enf_confirmed"), {}))
    assert result == ({} if expected is None else {"enf_confirmed": expected})


SLOTS = {
    "identity_name": "张三", "identity_id_number": "11010519491231002X", "enf_basis_kind": "judgment",
    "enf_basis_number": "（2025）京0105民初1234号", "enf_respondent": "李四", "enf_respondent_kind": "person",
    "enf_claim": "借款本金5万元", "enf_amount": "50000.00",
    "enf_lead_list": [{"kind": "bank", "detail": "工商银行账户"}], "enf_performance_day": "2026-03-20",
    "enf_interrupted": "2026-05-01", "enf_court": "北京市朝阳区人民法院", "enf_court_code": "京0105",
    "enf_property_there": False, "enf_period": "申请执行期间为二年……",
}


def test_the_read_back_shows_the_fee_not_prepaid_and_masks_the_id_number():
    text = enforcement_summary(SLOTS)
    for expected in ("判决书 （2025）京0105民初1234号", "张三（110***********002X）", "50,000.00元", "工商银行账户",
                     "2026年3月20日", "2026年5月1日", "执行申请费650.00元", "执行后交纳"):
        assert expected in text, expected
    assert "11010519491231002X" not in text


def test_the_payload_matches_the_backend():
    payload = enforcement_payload(SLOTS)
    assert payload == {
        "basis_kind": "judgment", "basis_number": "（2025）京0105民初1234号",
        "respondent": {"name": "李四", "kind": "person"}, "property_leads": [{"kind": "bank", "detail": "工商银行账户"}],
        "performance_last_day": "2026-03-20", "interrupted": True, "interrupted_on": "2026-05-01",
        "court_code": "京0105", "property_there": False, "amount": "50000.00"}
    acts = enforcement_payload(dict(SLOTS, enf_amount=None, enf_claim="交还车辆", enf_interrupted=NOT_INTERRUPTED))
    assert acts["acts"] == "交还车辆" and "amount" not in acts and acts["interrupted"] is False


def test_enforcement_numbers_are_told_apart():
    assert is_enforcement_ref("（2026）京0105执1号") and is_enforcement_ref("ZX20260401000001")
    assert not is_enforcement_ref("（2026）京0105民初1号") and not is_enforcement_ref("LA20260401000001")
