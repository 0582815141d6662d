"""Days the bot tells are the API's, computed with holidays, never recited (actions/filing_notes.py)."""
from __future__ import annotations

from actions.filing_notes import deadline_text, decision_day, due_text, relief_materials_text
from actions.status import filing_status_text


def test_the_due_moment_is_read_as_its_last_day():
    assert decision_day("2026-10-08T16:00:00+00:00") == "2026年10月8日"  # 24:00 of 10月8日 in China
    assert decision_day("2026-10-09T00:00:00+08:00") == "2026年10月8日"
    assert decision_day(None) is None and decision_day("garbage") is None


def test_submitted_says_the_computed_day_or_that_it_is_not_known_yet():
    assert "2026年10月8日24时前" in due_text({"decision_due": "2026-10-08T16:00:00+00:00"})
    assert "七日内" in due_text({"decision_due": "2026-10-08T16:00:00+00:00"})
    assert "期限待定" in due_text({"decision_due": None})


def test_status_replies_name_the_decision_day_and_the_correction_period():
    base = {"id": "LA20260928000001", "case_type": "民间借贷纠纷", "court": {"name": "北京市朝阳区人民法院"},
            "created_at": "2026-09-28T02:00:00+00:00"}
    pending = filing_status_text({**base, "status": "pending_review", "status_label": "待审核",
                                  "decision_due": "2026-10-08T16:00:00+00:00"})
    assert "2026年10月8日24时前决定是否立案" in pending
    correcting = filing_status_text({**base, "status": "needs_correction", "status_label": "需补正",
                                     "correction_due": "2026-10-13T16:00:00+00:00"})
    assert "2026年10月13日24时前" in correcting and "第七条" in correcting
    assert deadline_text({**base, "status": "needs_correction", "correction_due": None}) is None


def test_relief_materials_follow_the_ground():
    slots = {"fee_relief_kind": "waiver", "fee_relief_ground": "subsistence_recipient",
             "plaintiff_name": "张三", "plaintiff_kind": "person"}
    text = relief_materials_text(slots)
    assert "免交" in text and "上传证据" in text
    assert relief_materials_text({}) is None
