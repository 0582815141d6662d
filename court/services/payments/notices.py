"""What the litigant reads when the court serves a fee notice or confirms a payment (电子送达).

Pure text, no I/O: court/services/deliveries.py queues these as deliveries into the litigant's
conversation. Neither text contains a blank line — Rasa's socket.io channel splits a message at
"\\n\\n", and the widget recognises a court notice by its 【…】 heading on the first part.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Optional

from court.services.period import CHINA_TZ

FEE_NOTICE_HEADING = "【交纳诉讼费用通知】"
PAYMENT_HEADING = "【缴费确认】"
PAY_HINT = "您可以回复“缴费”在线缴纳。"


def yuan(amount: Decimal) -> str:
    """1050 → 1,050.00元: grouped thousands, always two decimals (an exact Decimal, never float)."""
    return f"{amount:,.2f}元"


def chinese_date(moment: datetime) -> str:
    """The calendar day in Beijing time, as a notice writes it: 2026年3月8日."""
    day = moment.astimezone(CHINA_TZ)
    return f"{day.year}年{day.month}月{day.day}日"


def fee_notice_text(*, case_number: str, court_name: str, amount: Decimal, due_at: Optional[datetime]) -> str:
    """交纳诉讼费用通知: how much, for what, by when (《诉讼费用交纳办法》第二十二条), and how to pay."""
    return (f"{FEE_NOTICE_HEADING}您的案件已由{court_name}立案，案号为{case_number}。"
            f"请您预交本案的案件受理费{yuan(amount)}。"
            # Art. 22: 原告自接到法院交纳诉讼费用通知次日起7日内交纳案件受理费; unpaid and no
            # 司法救助 applied for → 按撤诉处理.
            "依照《诉讼费用交纳办法》第二十二条，案件受理费应当自收到本通知次日起七日内预交，"
            # due_at is 24:00, i.e. the next day's 00:00: the last day is the moment just before it
            + (f"请您于{chinese_date(due_at - timedelta(microseconds=1))}24时前交纳；" if due_at is not None else
               # not served yet: the day depends on service (民诉法第八十五条: 遇节假日顺延)
               "期间最后一日为法定休假日的，以休假日后的第一日为期间届满的日期；")
            + "逾期未交纳又未申请缓交、减交、免交的，按撤诉处理。"
            + PAY_HINT)


def payment_text(*, amount: Decimal, order_no: str, case_number: str, late: bool = False) -> str:
    """缴费确认: the amount received and the order number, so that the litigant can match their receipt."""
    text = (f"{PAYMENT_HEADING}收到您缴纳的诉讼费{yuan(amount)}，订单号{order_no}，谢谢。"
            f"该款项为{case_number}案件的案件受理费。")
    if late:
        text += "本次交纳晚于交费期限，法院将依法审查处理，请您留意后续通知。"
    return text + "您可以随时说“查询进度”查看案件情况。"
