"""Lists out of one message: claims with amounts, evidence, yes/no — the way people type them."""
import pytest

from bot.readers.lists import parse_claims, parse_evidence, read_yes_no


@pytest.mark.parametrize("text, expected", [
    ("1.判令被告归还借款5万元；2.支付利息3000元；3.诉讼费由被告承担",
     [("判令被告归还借款5万元", "50000.00"), ("支付利息3000元", "3000.00"), ("诉讼费由被告承担", None)]),
    ("判令被告归还借款5万元及利息3000元", [("判令被告归还借款5万元及利息3000元", "53000.00")]),
    ("要他还我2万块钱，诉讼费他出", [("要他还我2万块钱", "20000.00"), ("诉讼费他出", None)]),
    ("1、赔偿医疗费12000元 2、赔偿误工费5000元", [("赔偿医疗费12000元", "12000.00"), ("赔偿误工费5000元", "5000.00")]),
    ("（1）返还押金3千元\n（2）支付违约金一千五百元", [("返还押金3千元", "3000.00"), ("支付违约金一千五百元", "1500.00")]),
    ("诉讼费1000元由被告承担", [("诉讼费1000元由被告承担", None)]),
    ("判决离婚", [("判决离婚", None)]),
])
def test_claims(text, expected):
    assert [(c["text"], c["amount"]) for c in parse_claims(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("借条、转账记录和微信聊天记录", ["借条", "转账记录", "微信聊天记录"]),
    ("有借条，银行转账凭证", ["借条", "银行转账凭证"]),
    ("1.借条 2.聊天记录", ["借条", "聊天记录"]),
    ("暂无", []), ("没有", []), ("借条、借条", ["借条"]), ("<b>x</b>", []),
])
def test_evidence(text, expected):
    assert [e["name"] for e in parse_evidence(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("同意", True), ("同意调解", True), ("不同意", False), ("还有", True), ("没有了", False), ("继续填写", True),
    ("重新开始", False), ("好的", True), ("不需要", False), ("嗯嗯", True), ("什么意思", None)])
def test_yes_no(text, expected):
    assert read_yes_no(text) is expected
