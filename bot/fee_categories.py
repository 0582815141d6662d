"""The categories of 《诉讼费用交纳办法》 arts. 13–14: their names, which need an amount, and the
everyday words that name them. The fee question (forms/fees.py) reads them, the fee answer
(actions/fees.py) labels them.
"""
from __future__ import annotations

import re
from typing import Optional

# Everyday words → the categories of 《诉讼费用交纳办法》 arts. 13–14 (most specific first).
_CATEGORY_WORDS: list[tuple[str, str]] = [
    ("preservation", r"保全"),
    ("enforcement", r"申请执行|强制执行|执行费"),
    ("payment_order", r"支付令"),
    ("divorce", r"离婚"),
    ("labor", r"劳动争议|劳动仲裁|劳动纠纷"),
    ("personality_rights", r"名誉|人格|肖像|隐私|姓名权"),
    ("ip", r"知识产权|专利|商标|著作权|版权"),
    ("property", r"借|欠|合同|买卖|租|赔偿|货款|工程|交通事故|车祸|财产|金额|标的|万|元"),
]
# Categories whose fee depends on the amount (the rest are per case, or a range).
NEEDS_AMOUNT = {"property", "enforcement", "preservation", "payment_order"}
OPTIONAL_AMOUNT = {"divorce", "personality_rights", "ip"}
LABELS = {
    "property": "财产案件", "divorce": "离婚案件", "personality_rights": "人格权案件", "labor": "劳动争议案件",
    "ip": "知识产权案件", "enforcement": "申请执行", "preservation": "申请保全", "payment_order": "申请支付令",
    "other_non_property": "其他非财产案件",
}


def category_from_text(text: str) -> Optional[str]:
    for category, pattern in _CATEGORY_WORDS:
        if re.search(pattern, text):
            return category
    return None
