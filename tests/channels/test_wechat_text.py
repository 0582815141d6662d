"""Buttons as numbered options, number replies, and byte-accurate splitting of Chinese text."""
from __future__ import annotations

import pytest

from bot.texts import inform
from bot.texts import QUESTIONS
from bot.channels.wechat_text import Option, choose, parse_choice, render_turn, split_message, utf8_len

CASE_TYPE = QUESTIONS["case_type"].kwargs()


def test_buttons_become_numbered_options_after_their_text():
    turn = render_turn([CASE_TYPE])
    assert turn.text.startswith(CASE_TYPE["text"] + "\n\n回复数字选择：\n1. 民间借贷纠纷\n2. 买卖合同纠纷\n")
    assert turn.text.endswith("\n6. 劳动争议")
    assert [o.payload for o in turn.options][:2] == [inform("case_type", "民间借贷纠纷"), inform("case_type", "买卖合同纠纷")]


def test_a_turn_is_one_text_and_numbering_runs_on_across_messages():
    turn = render_turn([
        {"recipient_id": "u", "text": "您好！"},
        {"recipient_id": "u", "text": "请选择：", "buttons": [{"title": "我要立案", "payload": "/file_case"}]},
        {"recipient_id": "u", "text": "或者：", "buttons": [{"title": "取消", "payload": "/stop"}]},
        {"recipient_id": "u", "custom": {"ignored": True}},
    ])
    assert turn.text == "您好！\n\n请选择：\n\n回复数字选择：\n1. 我要立案\n\n或者：\n\n回复数字选择：\n2. 取消"
    assert turn.options == [Option("我要立案", "/file_case"), Option("取消", "/stop")]


def test_a_turn_without_buttons_has_no_options():
    turn = render_turn([{"text": "第一句"}, {"text": "第二句"}])
    assert turn == render_turn([{"text": "第一句"}, {"text": "第二句"}])
    assert turn.text == "第一句\n\n第二句" and turn.options == []


@pytest.mark.parametrize("reply, number", [
    ("1", 1), ("１", 1), ("一", 1), (" 2 ", 2), ("2.", 2), ("３。", 3), ("第3个", 3), ("选4", 4),
    ("十", 10), ("十二", 12), ("两", 2), ("6号", 6),
])
def test_number_replies(reply, number):
    assert parse_choice(reply) == number


@pytest.mark.parametrize("reply", ["", "张三", "5万", "123456", "1 2", "一万", "民间借贷纠纷", "1个亿", "12a"])
def test_not_number_replies(reply):
    assert parse_choice(reply) is None


def test_choose_maps_a_number_to_its_payload_and_nothing_else():
    options = [Option("我要立案", "/file_case"), Option("查询进度", "/query_status")]
    assert choose("1", options) == "/file_case"
    assert choose("二", options) == "/query_status"
    assert choose("3", options) is None and choose("0", options) is None
    assert choose("1", []) is None


def test_short_text_is_one_piece():
    assert split_message("  您好  ") == ["您好"]
    assert split_message("") == [] and split_message(" \n ") == []


def test_exactly_the_limit_is_one_piece_one_byte_more_is_two():
    exact = "好" * 682 + "ab"  # 682 * 3 + 2 = 2048 bytes
    assert utf8_len(exact) == 2048 and split_message(exact) == [exact]
    pieces = split_message(exact + "c")
    assert len(pieces) == 2 and all(utf8_len(p) <= 2048 for p in pieces)
    assert "".join(pieces) == exact + "c"


def test_long_text_is_cut_at_line_boundaries():
    lines = [f"第{i}条：{'诉讼请求的内容' * 6}。" for i in range(60)]
    text = "\n".join(lines)
    assert utf8_len(text) > 3 * 2048
    pieces = split_message(text)
    assert len(pieces) >= 4
    assert all(utf8_len(p) <= 2048 for p in pieces)
    assert "\n".join(pieces) == text  # nothing lost, and every cut is where a line ended
    assert all(p.startswith("第") and p.endswith("。") for p in pieces)


def test_a_long_line_is_cut_at_sentence_boundaries():
    sentence = "被告于二〇二三年三月向原告借款人民币伍万元，约定半年内归还，至今未还！"
    line = sentence * 40  # one paragraph, no line breaks, about 4.3 KB
    pieces = split_message(line)
    assert len(pieces) >= 2 and all(utf8_len(p) <= 2048 for p in pieces)
    assert "".join(pieces) == line
    assert all(p.endswith("！") for p in pieces)


def test_text_without_any_boundary_is_cut_between_characters_never_inside_one():
    text = "民间借贷纠纷😀" * 400  # 3-byte and 4-byte characters, no line or sentence ends
    pieces = split_message(text)
    assert all(utf8_len(p) <= 2048 for p in pieces)
    assert "".join(pieces) == text
    assert all(len(p.encode("utf-8")) > 2040 for p in pieces[:-1])  # pieces are nearly full
