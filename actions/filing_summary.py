"""From the form's slots to what the backend stores and what the litigant reads back. Pure."""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any, Mapping, Optional

from court.rules.idcard import mask_id_number
from court.rules.phone import mask_phone


def format_money(value: Optional[str]) -> str:
    """"50000.00" → "50,000.00元（5万元）": exact, with 万 for quick reading."""
    if not value:
        return "未填写"
    amount = Decimal(value)
    text = f"{amount:,.2f}元"
    if amount >= 10000:
        wan = (amount / 10000).normalize()
        text += f"（{wan:f}万元）"
    return text


def filing_payload(slots: Mapping[str, Any], *, channel: Optional[str], conversation_id: str) -> dict[str, Any]:
    """The ReviewFiling request body (民事诉讼法 art. 124) built from the form's slots."""
    amount = slots.get("amount")
    return {
        "case_type": slots["case_type"],
        "court_code": slots["court_code"],
        "parties": [
            {"role": "plaintiff", "kind": "person", "name": slots["plaintiff_name"],
             "id_number": slots["plaintiff_id_number"], "phone": slots["plaintiff_phone"]},
            {"role": "defendant", "kind": slots.get("defendant_kind") or "person", "name": slots["defendant_name"]},
        ],
        "claims": [{"text": slots["claims"], "amount": amount}],
        "amount": amount,
        "facts": slots["facts"],
        "channel": channel,
        "conversation_id": conversation_id,
    }


def idempotency_key(conversation_id: str, payload: Mapping[str, Any]) -> str:
    """Same conversation and same content → same key, so a retried or double-clicked 确认 files once."""
    content = json.dumps({"c": conversation_id, "p": payload}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def filing_summary(slots: Mapping[str, Any]) -> str:
    """The read-back before confirmation; ID and phone numbers masked."""
    kind = "单位" if slots.get("defendant_kind") == "organisation" else "个人"
    lines = [
        "请核对您的立案信息：",
        f"案由：{slots.get('case_type')}",
        f"受理法院：{slots.get('court')}",
        f"原告：{slots.get('plaintiff_name')}（身份证 {mask_id_number(slots.get('plaintiff_id_number') or '')}，"
        f"手机 {mask_phone(slots.get('plaintiff_phone') or '')}）",
        f"被告：{slots.get('defendant_name')}（{kind}）",
        f"诉讼请求：{slots.get('claims')}",
    ]
    if slots.get("amount"):
        lines.append(f"诉讼标的额：{format_money(slots.get('amount'))}")
    lines.append(f"事实与理由：{slots.get('facts')}")
    lines.append("信息无误请点“确认提交”；需要修改请告诉我改哪一项。")
    return "\n".join(lines)
