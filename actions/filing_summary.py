"""From the form's slots to what the backend stores and what the litigant reads back. Pure."""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any, Mapping, Optional

from court.rules.idcard import IdNumberError, mask_id_number, validate_id_number
from court.rules.phone import mask_phone
from bot.readers.lists import claims_total
from bot.readers.parties import parties
from bot.readers.relief import KIND_LABELS, ground_label, relief_request
from bot.texts import RELIEF_READ_BACK

NO_AMOUNT = "无"


def format_money(value: Optional[str]) -> str:
    """"50000.00" → "50,000.00元（5万元）": exact, with 万 for quick reading."""
    if not value or value == NO_AMOUNT:
        return "不涉及金额" if value == NO_AMOUNT else "未填写"
    amount = Decimal(value)
    text = f"{amount:,.2f}元"
    if amount >= 10000:
        wan = (amount / 10000).normalize()
        text += f"（{wan:f}万元）"
    return text


def _claims(slots: Mapping[str, Any]) -> list[dict[str, Any]]:
    claims = slots.get("claims") or []
    if isinstance(claims, str):  # a conversation from before claims became a list
        claims = [{"text": claims, "amount": None}]
    return [{"text": c["text"], "amount": c.get("amount")} for c in claims]


def amount_in_dispute(slots: Mapping[str, Any]) -> Optional[str]:
    amount = slots.get("amount")
    return None if amount in (None, "", NO_AMOUNT) else str(amount)


def filing_payload(slots: Mapping[str, Any], *, channel: Optional[str], conversation_id: str) -> dict[str, Any]:
    """The ReviewFiling request body (民事诉讼法 art. 124) built from the form's slots."""
    claims = _claims(slots)
    amount = amount_in_dispute(slots)
    if len(claims) == 1 and amount and not claims[0]["amount"]:
        claims[0]["amount"] = amount  # one claim and a separately stated amount: that claim's amount
    payload: dict[str, Any] = {
        "case_type": slots["case_type"],
        "court_code": slots["court_code"],
        "parties": parties("plaintiff", slots) + parties("defendant", slots),
        "claims": claims,
        "amount": amount,
        "facts": slots["facts"],
        "evidence": [{"name": e["name"], **({"source": e["source"]} if e.get("source") else {})}
                     for e in slots.get("evidence") or []],
        "mediation_consent": slots.get("mediation_consent"),
        "e_service_consent": slots.get("e_service_consent"),
        "channel": channel,
        "conversation_id": conversation_id,
    }
    if slots.get("e_service_consent") and slots.get("e_service_address"):
        payload["e_service_address"] = slots["e_service_address"]
    if relief_request(slots):  # 司法救助, applied for with the filing (《诉讼费用交纳办法》第四十八条)
        payload["fee_relief"] = relief_request(slots)
    return payload


def idempotency_key(conversation_id: str, payload: Mapping[str, Any]) -> str:
    """Same conversation and same content → same key, so a retried or double-clicked 确认 files once."""
    content = json.dumps({"c": conversation_id, "p": payload}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _party_line(label: str, party: Mapping[str, Any]) -> str:
    details = []
    if party.get("kind") == "organisation":
        details.append("单位")
        if party.get("legal_representative"):
            details.append("法定代表人 " + " ".join(filter(None, [party["legal_representative"],
                                                                 party.get("representative_title")])))
    details += person_details(party)
    if party.get("id_number"):
        details.append(f"身份证 {mask_id_number(party['id_number'])}")
    if party.get("phone"):
        details.append(f"手机 {mask_phone(party['phone'])}")
    if party.get("address"):
        details.append(f"住所 {party['address']}")
    return f"{label}：{party['name']}" + (f"（{'，'.join(details)}）" if details else "")


def person_details(party: Mapping[str, Any]) -> list[str]:
    """性别 and 出生年月 read from the ID number (never asked), then 民族 and 职业, as the complaint has them."""
    out = []
    if party.get("id_number") and party.get("kind", "person") == "person":
        try:
            check = validate_id_number(party["id_number"])
            out += [check.sex, f"{check.birth_date.year}年{check.birth_date.month}月出生"]
        except IdNumberError:
            pass
    return out + [party[k] for k in ("ethnicity", "occupation") if party.get(k)]


def _masked_address(address: str) -> str:
    return f"手机 {mask_phone(address)}" if "@" not in address else f"邮箱 {address}"


def filing_summary(slots: Mapping[str, Any]) -> str:
    """The read-back before confirmation; ID and phone numbers masked."""
    lines = ["请核对您的立案信息：", f"案由：{slots.get('case_type')}"]
    plaintiffs, defendants = parties("plaintiff", slots), parties("defendant", slots)
    for i, p in enumerate(plaintiffs, 1):
        lines.append(_party_line("原告" + (str(i) if len(plaintiffs) > 1 else ""), p))
    for i, p in enumerate(defendants, 1):
        lines.append(_party_line("被告" + (str(i) if len(defendants) > 1 else ""), p))
    lines.append(f"受理法院：{slots.get('court')}")
    lines.append("诉讼请求：")
    for i, claim in enumerate(_claims(slots), 1):
        lines.append(f"  {i}. {claim['text']}")
    amount = slots.get("amount")
    if amount:
        total = claims_total(_claims(slots))  # "合计" only while the amount still is the claims' sum
        derived = total is not None and amount != NO_AMOUNT and Decimal(amount) == total
        lines.append(f"诉讼标的额：{format_money(amount)}" + ("（各项请求金额合计）" if derived else ""))
    evidence = slots.get("evidence") or []
    lines.append("证据：" + ("、".join(e["name"] for e in evidence) if evidence else "暂无（提交后可补充上传）"))
    lines.append(f"事实与理由：{slots.get('facts')}")
    lines.append(f"诉前调解：{'同意' if slots.get('mediation_consent') else '不同意'}")
    if slots.get("e_service_consent"):
        address = slots.get("e_service_address") or ""
        lines.append(f"电子送达：同意，送达至{_masked_address(address)}")
    else:
        lines.append("电子送达：不同意")
    relief = relief_request(slots)
    if relief:
        lines.append(RELIEF_READ_BACK.format(kind=KIND_LABELS[relief["kind"]],
                                             ground=ground_label(relief["kind"], relief["ground"])))
    lines.append("信息无误请选择“确认提交”；需要修改请告诉我改哪一项。")
    return "\n".join(lines)
