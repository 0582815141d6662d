"""The court question built from the backend's jurisdiction advice (a response recorded from
GET /api/v1/courts/suggest for a loan with two defendants in two districts)."""
import json
from pathlib import Path

from actions.filing_questions import court_suggestion_text

ADVICE = json.loads((Path(__file__).parent / "data" / "court_suggestion_loan.json").read_text(encoding="utf-8"))


def test_every_competent_court_is_a_button_with_its_basis_and_article():
    text, buttons = court_suggestion_text(ADVICE)
    assert [b["title"] for b in buttons] == ["北京市朝阳区人民法院", "北京市海淀区人民法院"]
    assert "被告住所地，《民事诉讼法》第二十四条" in text
    assert "《中华人民共和国民事诉讼法》" not in text  # the short name people know


def test_a_basis_that_depends_on_a_fact_says_so():
    text, _ = court_suggestion_text(ADVICE)
    assert "前提是您是出借人" in text
    assert "第三十六条" in text  # several competent courts: the litigant may choose (art. 36)


def test_no_suggestion_no_buttons():
    text, buttons = court_suggestion_text({"suggestions": [], "notes": []})
    assert buttons == [] and "请选择受理法院" in text


def test_the_suggestion_states_the_court_level_and_why():
    text, _ = court_suggestion_text(ADVICE)
    assert "基层人民法院" in text and "第十八条" in text  # 级别管辖: first instance at the basic level
    mixed = {"suggestions": [{"court": {"name": "北京知识产权法院", "level": "special"}, "basis": "专门管辖",
                              "article": "第十八条"},
                             {"court": {"name": "北京市朝阳区人民法院", "level": "basic"}, "basis": "被告住所地",
                              "article": "第二十二条"}], "notes": []}
    text, _ = court_suggestion_text(mixed)
    assert "基层人民法院、专门人民法院" in text and "第十八条至第二十一条" in text
