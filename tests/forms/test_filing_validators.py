"""The filing form's validators on the answers people really give, including hostile ones."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from forms.filing import ValidateFilingForm


def tracker(text: str, intent: str = "inform", slots: dict | None = None, entities: list | None = None) -> Tracker:
    return Tracker("t1", slots or {}, {"text": text, "intent": {"name": intent, "confidence": 0.9},
                                       "entities": entities or []}, [], False, None,
                   {"name": "filing_form"}, "action_listen")


def run(method: str, value, t: Tracker) -> tuple[dict, list[str]]:
    dispatcher = CollectingDispatcher()
    result = asyncio.run(getattr(ValidateFilingForm(), method)(value, dispatcher, t, {}))
    return result, [m.get("text") or "" for m in dispatcher.messages]


@pytest.mark.parametrize("text", ["x" * 5000, "😀😀😀", "<script>alert(1)</script>", "'; DROP TABLE filings; --",
                                  "My name is John", "13800138000"])
def test_a_name_that_is_not_a_name_is_explained_and_asked_again(text):
    result, said = run("validate_plaintiff_name", text, tracker(text))
    assert result == {"plaintiff_name": None}
    assert said and "姓名" in said[0]


@pytest.mark.parametrize("text, fragment", [("110105194912310021", "校验"), ("😀", "身份证"), ("11010519491231", "18")])
def test_bad_id_numbers_get_a_specific_answer(text, fragment):
    result, said = run("validate_plaintiff_id_number", text, tracker(text))
    assert result == {"plaintiff_id_number": None}
    assert fragment in said[0]


def test_an_id_number_inside_a_sentence_is_found():
    result, said = run("validate_plaintiff_id_number", "我的身份证是 11010519491231002x 哈", tracker("x"))
    assert result == {"plaintiff_id_number": "11010519491231002X"} and said == []


@pytest.mark.parametrize("text, message", [("0", "大于0"), ("一千亿", "100亿元"), ("好多钱", "看懂")])
def test_impossible_amounts(text, message):
    result, said = run("validate_amount", text, tracker(text))
    assert result == {"amount": None}
    assert message in said[0]


@pytest.mark.parametrize("text, value", [("五万", "50000.00"), ("5万元", "50000.00"), ("伍万元", "50000.00"),
                                         ("50000", "50000.00"), ("大概5万吧", "50000.00")])
def test_amounts(text, value):
    assert run("validate_amount", text, tracker(text))[0] == {"amount": value}


def test_facts_too_short_or_too_long():
    assert run("validate_facts", "他欠钱", tracker("他欠钱"))[0] == {"facts": None}
    assert run("validate_facts", "事" * 5001, tracker("x"))[0] == {"facts": None}
    text = "2023年3月被告借款5万元，至今未还。"
    assert run("validate_facts", text, tracker(text))[0] == {"facts": text}


def test_claims_with_an_amount_fill_the_amount_too():
    result, _ = run("validate_claims", "判令被告归还借款伍万元", tracker("判令被告归还借款伍万元"))
    assert result == {"claims": [{"text": "判令被告归还借款伍万元", "amount": "50000.00"}], "amount": "50000.00"}


def test_several_claims_in_one_message_become_a_list_and_their_sum_the_amount():
    text = "1.判令被告归还借款5万元；2.支付利息3000元；3.诉讼费由被告承担"
    result, _ = run("validate_claims", text, tracker(text))
    assert [c["amount"] for c in result["claims"]] == ["50000.00", "3000.00", None]
    assert result["amount"] == "53000.00"


def test_claims_without_money_leave_the_amount_to_be_asked_and_none_is_accepted():
    result, _ = run("validate_claims", "判决准予原告与被告离婚", tracker("判决准予原告与被告离婚"))
    assert result["amount"] is None and result["claims"][0]["amount"] is None
    assert run("validate_amount", "无", tracker("无"))[0] == {"amount": "无"}
    assert run("validate_amount", "不涉及金额", tracker("不涉及金额"))[0] == {"amount": "无"}


def test_claims_summing_past_the_limit_are_refused():
    text = "1.归还借款60亿元；2.赔偿损失50亿元"
    result, said = run("validate_claims", text, tracker(text))
    assert result == {"claims": None} and "100亿元" in said[0]


def test_evidence_list_and_an_explicit_none():
    text = "借条、银行转账记录和微信聊天记录"
    assert run("validate_evidence", text, tracker(text))[0] == {
        "evidence": [{"name": "借条"}, {"name": "银行转账记录"}, {"name": "微信聊天记录"}]}
    assert run("validate_evidence", "暂无", tracker("暂无"))[0] == {"evidence": []}
    result, said = run("validate_evidence", "😀😀", tracker("😀😀"))
    assert result == {"evidence": None} and "暂无" in said[0]


def test_a_second_plaintiff_moves_the_first_into_the_list_and_is_asked_for():
    slots = {"filer_is_plaintiff": True, "plaintiff_name": "张三", "plaintiff_kind": "person",
             "plaintiff_id_number": "11010519491231002X", "plaintiff_phone": "13800138000",
             "plaintiff_address": "北京市朝阳区建国路1号", "requested_slot": "more_plaintiffs"}
    result, _ = run("validate_more_plaintiffs", True, tracker("还有", slots=slots))
    assert result["plaintiffs"] == [{"role": "plaintiff", "kind": "person", "name": "张三",
                                     "id_number": "11010519491231002X", "phone": "13800138000",
                                     "address": "北京市朝阳区建国路1号"}]
    assert result["plaintiff_name"] is None and result["more_plaintiffs"] is None
    # the same plaintiff cannot be added twice
    again, said = run("validate_plaintiff_name", "张三", tracker("张三", slots={"plaintiffs": result["plaintiffs"]}))
    assert again == {"plaintiff_name": None} and "已经是原告" in said[0]


def test_no_more_defendants_keeps_the_list_and_stops_asking():
    slots = {"defendant_name": "北京某某科技有限公司", "defendant_kind": "organisation",
             "defendant_representative": "不详", "defendant_address": "北京市海淀区中关村大街1号",
             "defendants": [{"role": "defendant", "kind": "person", "name": "李四", "address": "北京市朝阳区"}]}
    result, _ = run("validate_more_defendants", False, tracker("没有了", slots=slots))
    assert [d["name"] for d in result["defendants"]] == ["李四", "北京某某科技有限公司"]
    assert "legal_representative" not in result["defendants"][1] and result["more_defendants"] is False


@pytest.mark.parametrize("text, expected", [
    ("同上", "13900139000"), ("就用这个手机号", "13900139000"), ("zhang.san@example.com", "zhang.san@example.com"),
    ("138 0013 8000", "13800138000"), ("随便", None)])
def test_e_service_address(text, expected):
    t = tracker(text, slots={"identity_phone": "13900139000"})
    assert run("validate_e_service_address", text, t)[0] == {"e_service_address": expected}


@pytest.mark.parametrize("text, expected", [("不清楚", None), ("北京市朝阳区建国路88号", "北京市朝阳区建国路88号"),
                                            ("<script>", None), ("住在海淀区", "海淀区")])
def test_addresses(text, expected):
    result, said = run("validate_defendant_address", text, tracker(text))
    assert result == {"defendant_address": expected}
    assert bool(said) == (expected is None)


def test_defendant_kind_is_inferred_and_the_plaintiff_cannot_sue_themselves():
    assert run("validate_defendant_name", "北京某某科技有限公司", tracker("北京某某科技有限公司"))[0] == {
        "defendant_name": "北京某某科技有限公司", "defendant_kind": "organisation"}
    result, said = run("validate_defendant_name", "张三", tracker("张三", slots={"plaintiff_name": "张三"}))
    assert result["defendant_name"] is None and "同一人" in said[0]


def test_case_type_from_the_entity_or_refused():
    t = tracker("借钱不还", entities=[{"entity": "case_type", "value": "民间借贷纠纷"}])
    assert run("validate_case_type", "借钱不还", t)[0] == {"case_type": "民间借贷纠纷"}
    result, said = run("validate_case_type", "hello", tracker("hello"))
    assert result == {"case_type": None} and "案由" in said[0]


@pytest.mark.parametrize("text, expected", [
    ("确认提交", {"filing_confirmed": True, "correcting": False}),
    ("不对，金额是8万", {"amount": "80000.00", "filing_confirmed": None, "correcting": False}),
    ("被告名字写错了", {"defendant_name": None, "defendant_kind": None, "defendant_representative": None,
                 "defendant_address": None, "more_defendants": None, "defendants": None, "defendant_details": None,
                 "filing_confirmed": None, "correcting": False}),
])
def test_the_read_back_step(text, expected):
    dispatcher = CollectingDispatcher()
    t = tracker(text, intent="deny" if "不" in text or "错" in text else "affirm",
                slots={"requested_slot": "filing_confirmed"})
    assert ValidateFilingForm().read_back(t, dispatcher) == expected


def test_a_plain_no_at_the_read_back_asks_what_to_change():
    dispatcher = CollectingDispatcher()
    t = tracker("不对", intent="deny", slots={"requested_slot": "filing_confirmed"})
    # the whole change; extract_filing_confirmed passes on only the form's questions (tests/forms/test_read_back.py)
    assert ValidateFilingForm().read_back(t, dispatcher) == {
        "filing_confirmed": None, "correcting": True}
    assert "修改哪一项" in dispatcher.messages[0]["text"]


def test_changing_the_defendants_at_the_read_back_clears_the_whole_list():
    # rasa_sdk drops extracted values of slots outside required_slots (e.g. `defendants`), so the
    # validator of the read-back step must clear them itself.
    t = tracker("被告名字写错了", intent="deny", slots={
        "requested_slot": "filing_confirmed", "defendants": [{"role": "defendant", "kind": "person", "name": "李四"}]})
    result, _ = run("validate_filing_confirmed", None, t)
    assert result["filing_confirmed"] is None and result["defendants"] is None and result["more_defendants"] is None
    assert run("validate_filing_confirmed", True, t)[0] == {"filing_confirmed": True, "correcting": False}


@pytest.mark.parametrize("role, label", [("plaintiff", "原告"), ("defendant", "被告")])
def test_a_party_named_twice_in_one_role_is_refused_in_that_role(role, label):
    slots = {f"{role}s": [{"role": role, "kind": "person", "name": "王五"}]}
    result, said = run(f"validate_{role}_name", "王五", tracker("王五", slots=slots))
    assert result[f"{role}_name"] is None
    assert said == [f"王五已经是{label}了，请输入另一位{label}。"]


@pytest.mark.parametrize("role, answer, expected", [("plaintiff", "不清楚", None), ("defendant", "不清楚", "不详")])
def test_a_representative_is_required_of_a_plaintiff_only(role, answer, expected):
    result, said = run(f"validate_{role}_representative", answer, tracker(answer))
    assert result == {f"{role}_representative": expected}
    assert bool(said) == (expected is None)


@pytest.mark.parametrize("role, label", [("plaintiff", "原告"), ("defendant", "被告")])
def test_twenty_parties_in_a_role_is_the_online_limit(role, label):
    many = [{"role": role, "kind": "person", "name": f"当事人{i}", "address": "北京市朝阳区"} for i in range(20)]
    slots = {f"{role}s": many, f"{role}_name": "再一位", f"{role}_kind": "person", f"{role}_address": "北京市朝阳区建国路1号"}
    result, said = run(f"validate_more_{role}s", True, tracker("还有", slots=slots))
    assert said == [f"在线立案最多可填写20名{label}；人数更多的，请到法院诉讼服务中心办理。"]
    assert result[f"more_{role}s"] is False
