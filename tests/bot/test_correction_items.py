"""补正 items: sorting the court's notice, reading answers, the read-back and the resubmission body."""
import pytest

from bot.readers.correction_items import (
    DOCUMENT, build_resubmission, classify_item, classify_items, correction_summary, edit_index, next_item, notice_text,
    read_party_answer, read_text_answer,
)
from tests.actions.fake_court import filing


@pytest.mark.parametrize("text, kind, field", [
    ("请提交借条原件照片", DOCUMENT, None),
    ("请提供证明借款交付的银行转账凭证", DOCUMENT, None),
    ("补充证据清单", DOCUMENT, None),
    ("事实与理由部分请补充借款的时间和地点", "text", "facts"),
    ("诉讼请求不明确，请写明具体金额", "text", "claims"),
    ("请补充被告的住址和联系电话", "text", "party"),
    ("请说明原告与被告之间的关系", "text", None),
])
def test_items_are_sorted_by_what_they_ask_for(text, kind, field):
    item = classify_item(text)
    assert (item["kind"], item["field"]) == (kind, field)


def test_a_party_item_knows_whose_details_and_which():
    item = classify_item("请补充被告的住址和联系电话")
    assert item["role"] == "defendant" and set(item["fields"]) == {"address", "phone"}
    assert classify_item("请补充原告身份证号码")["fields"] == ["id_number"]
    assert classify_item("请提交被告身份证复印件")["kind"] == DOCUMENT  # a copy is a document, not a number


def test_a_notice_with_only_a_reason_still_has_one_item():
    assert [i["text"] for i in classify_items([], "起诉状内容不全")] == ["起诉状内容不全"]
    assert [i["text"] for i in classify_items(["  ", "补充借条照片"])] == ["补充借条照片"]


def test_party_answer_reads_address_and_phone_from_one_message():
    item = classify_item("请补充被告的住址和联系电话")
    answer, problem = read_party_answer(item, "被告住在北京市朝阳区建国路88号，电话 139-1234-5678")
    assert problem is None
    assert answer == {"values": {"phone": "13912345678", "address": "北京市朝阳区建国路88号"}}


@pytest.mark.parametrize("text, fragment", [
    ("北京市朝阳区建国路88号", "手机号码"),        # the phone is missing
    ("13912345678", "住址"),                    # the address is missing
    ("北京市朝阳区建国路88号 1391234567", "手机号码"),  # ten digits is not a mobile number
])
def test_party_answer_says_what_is_missing(text, fragment):
    answer, problem = read_party_answer(classify_item("请补充被告的住址和联系电话"), text)
    assert answer is None and fragment in problem


def test_party_id_number_is_checked():
    item = classify_item("请补充被告的身份证号码")
    assert read_party_answer(item, "110105194912310021")[0] is None  # wrong check digit
    assert read_party_answer(item, "他的身份证是11010519491231002x")[0] == {"values": {"id_number": "11010519491231002X"}}


def test_typed_answers_are_checked_for_their_kind():
    facts = classify_item("请补充借款的经过")
    assert read_text_answer(facts, "借了")[0] is None
    assert read_text_answer(facts, "2023年3月1日在朝阳区当面交付现金")[0] == {"text": "2023年3月1日在朝阳区当面交付现金"}
    claims = classify_item("诉讼请求不明确")
    answer, _ = read_text_answer(claims, "判令被告归还本金5万元，支付利息3000元")
    assert answer == {"text": "判令被告归还本金5万元，支付利息3000元", "amount": "53000.00"}
    assert read_text_answer(claims, "还钱")[0] is None


def test_next_item_and_edit_index():
    items = [classify_item("a"), classify_item("b"), classify_item("c")]
    assert next_item(items, {}) == 0 and next_item(items, {"0": {}, "2": {}}) == 1
    assert next_item(items, {"0": {}, "1": {}, "2": {}}) is None
    assert edit_index("修改第2项", 3, False) == 1
    assert edit_index("第三项要改", 3, False) == 2
    assert edit_index("2", 3, True) == 1 and edit_index("2", 3, False) is None
    assert edit_index("修改第9项", 3, False) is None


def test_the_notice_lists_every_item_at_once_with_its_basis():
    items = classify_items(["补充被告住址", "提交借条照片", "补充借款经过"])
    text = notice_text("LA20261128000001", items, "材料不全")
    assert "3项" in text and "一次性告知" in text and "第七条" in text
    assert "1. 补充被告住址（在对话中直接输入）" in text and "2. 提交借条照片（需上传文件）" in text
    assert "法院说明：材料不全" in text


ITEMS = classify_items(["请补充被告的住址和联系电话", "事实与理由请补充借款时间", "请提交借条照片", "请说明是否已催讨"])
ANSWERS = {
    "0": {"values": {"phone": "13912345678", "address": "北京市朝阳区建国路88号"}},
    "1": {"text": "借款时间为2023年3月1日"},
    "2": {"files": ["借条.jpg"]},
    "3": {"text": "2024年多次电话催讨"},
}


def test_resubmission_fills_the_party_appends_facts_and_notes_every_item():
    body = build_resubmission(filing("LA1", "needs_correction", evidence=[]), ITEMS, ANSWERS)
    plaintiff, defendant = body["parties"]
    assert defendant == {"role": "defendant", "kind": "person", "name": "李四", "phone": "13912345678",
                         "address": "北京市朝阳区建国路88号"}
    assert plaintiff["id_number"] == "11010519491231002X" and "sex" not in plaintiff and "birth_date" not in plaintiff
    assert body["facts"].startswith("2023年3月被告向原告借款5万元") and body["facts"].endswith("借款时间为2023年3月1日")
    assert "claims" not in body
    assert body["evidence"] == [{"name": "请提交借条照片", "source": "当事人补正时上传：借条.jpg", "purpose": None}]
    lines = body["note"].splitlines()
    assert len(lines) == 5 and "4. 请说明是否已催讨：2024年多次电话催讨" in lines
    assert "13912345678" not in body["note"]


def test_no_evidence_field_for_a_backend_that_does_not_show_one():
    assert "evidence" not in build_resubmission(filing("LA1", "needs_correction"), ITEMS, ANSWERS)


def test_the_read_back_masks_numbers_and_shows_later_uploads():
    text = correction_summary("LA1", ITEMS, {**ANSWERS, "2": {"files": [], "later": True}})
    assert "139****5678" in text and "13912345678" not in text
    assert "稍后上传" in text and "确认提交" in text
    assert text.count("→") == 4


def test_answers_longer_than_the_backend_takes_are_refused_here():
    claims = classify_item("诉讼请求不明确")
    assert "1000" in read_text_answer(claims, "判" * 1001)[1]
    address = classify_item("请补充被告住址")
    assert "200" in read_party_answer(address, "北京市" + "某" * 200)[1]
