"""Reading lists out of one chat message: claims with their amounts, evidence, yes/no answers.

Litigants type several claims or pieces of evidence in one go ("1.还钱5万 2.利息3000；3.诉讼费对方出"),
so the form splits them instead of asking one item per turn. Pure functions, unit-tested.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

from bot.readers.values import find_amounts, normalize_text

# Item markers at the start of an item: 1. 1、 1) (1) ① 一、 第一、 第一项
_MARKER = r"(?:第?[0-9一二三四五六七八九十]{1,3}(?:项|条)?[.、)）:：]|[(（][0-9一二三四五六七八九十]{1,3}[)）]|[①-⑳])"
_SPLIT_CLAIMS = re.compile(
    rf"\s*(?:[\n；;。]+\s*(?:{_MARKER})?|(?:^|[，,\s])\s*{_MARKER}|[，,](?=\s*(?:并?由?被告|本案)?\s*(?:承担|负担)?\s*(?:本案)?(?:诉讼费|案件受理费)))\s*")
_SPLIT_EVIDENCE = re.compile(rf"\s*(?:[\n；;。、，,/]+\s*(?:{_MARKER})?|(?:^|\s)\s*{_MARKER}|和|以及|还有)\s*")
_NONE = re.compile(r"^(?:暂无|暂时没有|没有|无|没|不涉及|不清楚|没有证据|无证据|暂时没|还没有|以后再说|稍后上传)[。.!！\s]*$")
# 诉讼费 itself is decided by the court (诉讼费用交纳办法 art. 29): never part of the amount in dispute.
_COSTS = re.compile(r"诉讼费|受理费|案件受理费|保全费|公告费")
_EVIDENCE_LEAD = re.compile(r"^(?:我有|有|证据有|证据是|证据包括|包括|主要是|就是)[:：\s]*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")

_YES = re.compile(r"^(?:是|是的|对|对的|好|好的|嗯+|可以|行|同意|愿意|接受|有|还有|要|需要|继续|继续填写|确定|ok|yes|y)(?![不没])", re.I)
_NO = re.compile(r"^(?:不|否|没|没有|无|不用|不要|不需要|不同意|不愿意|拒绝|算了|重新|重新开始|重新填写|no|n$)", re.I)


def is_none_answer(text: str) -> bool:
    """"暂无" / "没有" / "无": an explicit empty answer, not a missing one."""
    return bool(_NONE.match(normalize_text(text)))


def _items(text: str, splitter: re.Pattern[str]) -> list[str]:
    s = normalize_text(text)
    s = re.sub(rf"^\s*{_MARKER}\s*", "", s)
    parts = [p.strip(" ，,、。.") for p in splitter.split(s)]
    return [p for p in parts if p and not re.fullmatch(_MARKER, p)]


def claim_amount(text: str) -> Optional[Decimal]:
    """The money a claim asks for: the sum of the amounts it names ("借款5万元及利息3000元" → 53000),
    None for claims about costs or with no amount."""
    amounts = [Decimal(f.value) for f in find_amounts(text) if not _COSTS.search(text[max(0, f.start - 6):f.start])]
    return sum(amounts, Decimal("0.00")) if amounts else None


def parse_claims(text: str) -> list[dict[str, Optional[str]]]:
    """["判令被告归还借款5万元", "诉讼费由被告承担"] with each claim's amount as a "50000.00" string."""
    claims = []
    for item in _items(text, _SPLIT_CLAIMS):
        amount = claim_amount(item)
        claims.append({"text": item, "amount": f"{amount:.2f}" if amount is not None else None})
    return claims


def claims_total(claims: list[dict[str, Optional[str]]]) -> Optional[Decimal]:
    """The amount in dispute derived from the claims (None when no claim names money)."""
    amounts = [Decimal(c["amount"]) for c in claims if c.get("amount")]
    return sum(amounts, Decimal("0.00")) if amounts else None


def parse_evidence(text: str) -> list[dict[str, str]]:
    """"借条、转账记录和微信聊天记录" → three items; "暂无" → []."""
    if is_none_answer(text):
        return []
    out = []
    for item in _items(_EVIDENCE_LEAD.sub("", normalize_text(text)), _SPLIT_EVIDENCE):
        item = _EVIDENCE_LEAD.sub("", item).strip()
        if not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", item) or re.search(r"[<>{};=]", item):
            continue  # emoji, markup or code is not the name of a piece of evidence
        if item and item not in {i["name"] for i in out}:
            out.append({"name": item[:100]})
    return out


def read_yes_no(text: str, intent: Optional[str] = None) -> Optional[bool]:
    """"同意" / "有" / "继续" → True; "不同意" / "没有了" / "重新开始" → False; else None."""
    s = normalize_text(text)
    if _NO.match(s) or intent == "deny":
        return False
    if _YES.match(s) or intent == "affirm":
        return True
    return None


def find_email(text: str) -> Optional[str]:
    found = _EMAIL.search(normalize_text(text))
    return found.group(0) if found else None
