"""The payload sent to the backend and the read-back shown to the litigant."""
from actions.filing_summary import filing_payload, filing_summary, format_money, idempotency_key

SLOTS = {
    "case_type": "民间借贷纠纷", "court": "北京市朝阳区人民法院", "court_code": "京0105",
    "plaintiff_name": "张三", "plaintiff_id_number": "11010519491231002X", "plaintiff_phone": "13800138000",
    "defendant_name": "李四", "defendant_kind": "person", "claims": "判令被告归还借款5万元",
    "amount": "50000.00", "facts": "2023年3月借款5万元至今未还。",
}


def test_money_for_people():
    assert format_money("50000.00") == "50,000.00元（5万元）"
    assert format_money("123456.78") == "123,456.78元（12.345678万元）"
    assert format_money("800.00") == "800.00元"
    assert format_money(None) == "未填写"


def test_payload_matches_the_backend_contract():
    payload = filing_payload(SLOTS, channel="rest", conversation_id="c1")
    assert payload["court_code"] == "京0105"
    assert payload["parties"][0] == {"role": "plaintiff", "kind": "person", "name": "张三",
                                     "id_number": "11010519491231002X", "phone": "13800138000"}
    assert payload["claims"] == [{"text": "判令被告归还借款5万元", "amount": "50000.00"}]


def test_idempotency_key_is_stable_per_conversation_and_content():
    payload = filing_payload(SLOTS, channel="rest", conversation_id="c1")
    assert idempotency_key("c1", payload) == idempotency_key("c1", dict(payload))
    assert idempotency_key("c1", payload) != idempotency_key("c2", payload)
    changed = filing_payload({**SLOTS, "amount": "80000.00"}, channel="rest", conversation_id="c1")
    assert idempotency_key("c1", payload) != idempotency_key("c1", changed)


def test_summary_masks_identity_numbers():
    text = filing_summary(SLOTS)
    assert "110***********002X" in text and "138****8000" in text
    assert "11010519491231002X" not in text and "13800138000" not in text
    assert "50,000.00元" in text
