"""补正 (corrections), pure: what each item of the court's notice asks for, reading the answers,
and the resubmission payload and read-back built from them.

The court lists every missing item at once (一次性告知: 《最高人民法院关于人民法院登记立案若干问题的规定》
art. 7, within the registration of 民事诉讼法 (2023) arts. 122–126; litigation-rules §3). Items are the
clerk's free text, so each is sorted here by its words into
* a document to upload ("请提交借条原件照片"),
* a party's details typed in chat ("请补充被告的住址和联系电话": address + phone of the defendant),
* the facts and reasons ("事实与理由部分请补充借款时间") or the claims ("诉讼请求不明确"),
* anything else, typed in chat and passed on in the resubmission note.
No I/O here: the validators (forms/correction.py) and actions (actions/correction.py) call these.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Mapping, Optional

import cn2an

from bot.readers.answers import ID_AS_TYPED, clean_name, read_id_number
from bot.readers.phone import PHONE_AS_TYPED, read_phone
from bot.readers.values import CENT, find_amounts, normalize_text
from bot.texts import ROLE_LABELS
from court.rules.idcard import mask_id_number
from court.rules.phone import mask_phone
from court.shapes import PARTY_INPUT_KEYS  # what a resubmission accepts for a party; sex and birth date are derived from the ID number

TEXT, DOCUMENT = "text", "document"
FACTS, CLAIMS, PARTY = "facts", "claims", "party"

ROLE_WORDS = (("third_party", r"第三人"), ("plaintiff", r"原告"), ("defendant", r"被告|对方"))
PARTY_FIELD_WORDS = (
    ("id_number", r"身份证号|身份证件号|公民身份号码|证件号码|身份号码"),
    ("phone", r"电话|手机|联系方式|联系号码"),
    ("address", r"住址|地址|住所|户籍地|居住地|送达地址"),
    ("legal_representative", r"法定代表人|法人代表|负责人"),
    ("name", r"姓名|名称|全称"),
)
FIELD_LABELS = {"id_number": "身份证号码", "phone": "手机号码", "address": "住址",
                "legal_representative": "法定代表人", "name": "姓名或名称"}

_STRONG_DOCUMENT = re.compile(r"照片|复印件|扫描|原件|截图|影印|录音|录像|视频|上传|电子版|pdf|拍照", re.IGNORECASE)
_DOCUMENT_NOUN = re.compile(r"证据|合同|协议|借条|欠条|收条|收据|发票|凭证|证明|执照|委托书|授权书|清单|流水|"
                            r"记录|认定书|病历|判决书|裁定书|票据|证书|文件|公证|附件")
_DOCUMENT_VERB = re.compile(r"提交|提供|补交|补充|递交|出具|附上")
_FACTS = re.compile(r"事实|理由|经过|过程|原因|时间|地点")
_CLAIMS = re.compile(r"诉讼请求|诉请|请求事项|请求|诉求|标的|金额")

# Limits as the backend checks them on creation and resubmission (court/filing_input.py).
FACTS_MIN, FACTS_MAX, TEXT_MAX, CLAIMS_MAX, ADDRESS_MAX = 6, 5000, 1000, 1000, 200
NOTE_MAX = 2000


def classify_item(text: str) -> dict[str, Any]:
    """One item of the notice → {"text", "kind": text|document, "field": facts|claims|party|None, ...}."""
    s = normalize_text(text)
    item: dict[str, Any] = {"text": s, "kind": TEXT, "field": None}
    if _STRONG_DOCUMENT.search(s):
        return {**item, "kind": DOCUMENT}
    role = next((r for r, words in ROLE_WORDS if re.search(words, s)), None)
    fields = [f for f, words in PARTY_FIELD_WORDS if re.search(words, s)]
    if role and fields and not _DOCUMENT_NOUN.search(s):
        if "name" in fields and len(fields) > 1:
            fields.remove("name")  # "被告名称及住所": the name is named as the party, the address is asked
        return {**item, "field": PARTY, "role": role, "fields": fields}
    if _DOCUMENT_NOUN.search(s) and _DOCUMENT_VERB.search(s):
        return {**item, "kind": DOCUMENT}
    if _FACTS.search(s):
        return {**item, "field": FACTS}
    if _CLAIMS.search(s):
        return {**item, "field": CLAIMS}
    if _DOCUMENT_NOUN.search(s):
        return {**item, "kind": DOCUMENT}
    return item


def classify_items(items: list[str], reason: Optional[str] = None) -> list[dict[str, Any]]:
    """The notice's items in order; a notice with only a reason becomes one typed item."""
    found = [classify_item(i) for i in items if i and i.strip()]
    if not found and reason:
        found = [classify_item(reason)]
    return found


def what_to_type(item: Mapping[str, Any]) -> str:
    """The hint under a typed item's question: what exactly to write."""
    if item.get("field") == FACTS:
        return "请直接输入需要补充的事实经过（时间、地点、经过等），会附在原“事实与理由”之后。"
    if item.get("field") == CLAIMS:
        return "请完整写出修改后的全部诉讼请求，例如“判令被告归还借款5万元及利息”，会替换原来的诉讼请求。"
    if item.get("field") == PARTY:
        role = ROLE_LABELS[item["role"]]
        wanted = "和".join(FIELD_LABELS[f] for f in item["fields"])
        return f"请直接输入{role}的{wanted}，例如“{_party_example(item['fields'])}”。"
    return "请直接输入补正内容。"


def _party_example(fields: list[str]) -> str:
    parts = {"address": "北京市朝阳区建国路88号", "phone": "13912345678", "id_number": "11010519491231002X",
             "legal_representative": "法定代表人王明", "name": "北京某某科技有限公司"}
    return "，".join(parts[f] for f in fields)


_LABELS = re.compile(
    r"(?:被告|原告|第三人|对方|他|她|其)?的?(?:现|详细)?"
    r"(?:住址|地址|住所地?|户籍地|居住地|联系电话|电话号码|手机号码|手机号|电话|手机|联系方式|"
    r"身份证号码|身份证号|法定代表人|法人代表|负责人|姓名|名称|全称)(?:是|为|：|:)?"
)


def _rest(text: str) -> str:
    """What is left of an answer once numbers and labels are taken out: an address or a name."""
    s = _LABELS.sub(" ", text)
    s = re.sub(r"^\s*(?:被告|原告|第三人|对方|他|她)?(?:住在|在|是)", "", s)
    s = re.sub(r"(?:^|[\s,，;；。、])(?:和|及|以及|还有)(?=[\s,，;；。、]|$)", " ", s)
    parts = [p for p in re.split(r"[\s,，;；。、]+", s) if p]
    return "".join(parts)


def read_party_answer(item: Mapping[str, Any], text: str) -> tuple[Optional[dict[str, Any]], Optional[str]]:
    """"北京市朝阳区建国路88号，13912345678" → {"values": {"address": …, "phone": …}}, or a Chinese problem."""
    s = normalize_text(text)
    role = ROLE_LABELS[item["role"]]
    fields: list[str] = list(item["fields"])
    values: dict[str, str] = {}
    if "id_number" in fields:
        found = ID_AS_TYPED.search(s)
        number, problem = read_id_number(found.group(0) if found else s)
        if number is None:
            return None, f"{role}的身份证号码：{problem}"
        values["id_number"] = number
        s = s.replace(found.group(0), " ") if found else ""
    if "phone" in fields:
        found = PHONE_AS_TYPED.search(s)
        if found is None:
            return None, f"请提供{role}的11位手机号码（法院会通过它联系{role}）。"
        phone, problem = read_phone(found.group(0))
        if phone is None:
            return None, problem
        values["phone"] = phone
        s = s.replace(found.group(0), " ")
    rest = _rest(s)
    if "address" in fields:
        if len(rest) < 5 or not re.search(r"[\u4e00-\u9fff]", rest):
            return None, f"请写明{role}的详细住址，包括省（市）、区县、街道和门牌号。"
        if len(rest) > ADDRESS_MAX:
            return None, f"住址请控制在{ADDRESS_MAX}字以内。"
        values["address"] = rest
    elif "legal_representative" in fields:
        name = clean_name(rest)
        if name is None or len(name) > 50:
            return None, f"请输入{role}的法定代表人姓名。"
        values["legal_representative"] = name
    elif "name" in fields:
        if not 2 <= len(rest) <= 100:
            return None, f"请输入{role}的完整姓名或单位全称（100字以内）。"
        values["name"] = rest
    return {"values": values}, None


def read_text_answer(item: Mapping[str, Any], text: str) -> tuple[Optional[dict[str, Any]], Optional[str]]:
    """A typed item's answer, checked for what that kind of item needs; (answer, None) or (None, problem)."""
    field = item.get("field")
    if field == PARTY:
        return read_party_answer(item, text)
    s = " ".join((text or "").split())  # kept as typed (full-width punctuation is right in a complaint)
    if field == FACTS:
        if len(s) < FACTS_MIN:
            return None, "请再具体一些，写明时间、地点和经过（至少6个字）。"
        if len(s) > FACTS_MAX:
            return None, f"内容过长，请控制在{FACTS_MAX}字以内。"
        return {"text": s}, None
    if field == CLAIMS:
        if len(s) < 4:
            return None, "请完整写出您的诉讼请求，例如“判令被告归还借款5万元及利息”。"
        if len(s) > CLAIMS_MAX:
            return None, f"诉讼请求过长，请控制在{CLAIMS_MAX}字以内。"
        amounts = [Decimal(a.value) for a in find_amounts(normalize_text(s))]
        total = sum(amounts, Decimal(0)).quantize(CENT) if amounts else None
        return {"text": s, "amount": None if total is None else str(total)}, None
    if len(s) < 2:
        return None, "请输入这一项的补正内容。"
    if len(s) > TEXT_MAX:
        return None, f"内容过长，请控制在{TEXT_MAX}字以内。"
    return {"text": s}, None


def next_item(items: list[Mapping[str, Any]], answers: Mapping[str, Any]) -> Optional[int]:
    """The first item not yet answered (answers are keyed by the item's index as text), or None."""
    return next((i for i in range(len(items)) if str(i) not in answers), None)


# --- what the litigant reads --------------------------------------------------------------------


def notice_text(filing_id: str, items: list[Mapping[str, Any]], reason: Optional[str]) -> str:
    """Every item at once, as the court's notice lists them (一次性告知), and how each will be done."""
    lines = [f"法院要求立案申请 {filing_id} 补正以下{len(items)}项内容（需补正的事项由法院一次性告知，"
             "《最高人民法院关于人民法院登记立案若干问题的规定》第七条）："]
    for i, item in enumerate(items, 1):
        how = "需上传文件" if item["kind"] == DOCUMENT else "在对话中直接输入"
        lines.append(f"{i}. {item['text']}（{how}）")
    if reason:
        lines.append(f"法院说明：{reason}")
    lines.append("我们逐项来办，全部完成后我会请您核对，再提交给法院。")
    return "\n".join(lines)


def _answer_display(item: Mapping[str, Any], answer: Mapping[str, Any]) -> str:
    if item["kind"] == DOCUMENT:
        files = answer.get("files") or []
        return "已上传：" + "、".join(files) if files else "稍后上传（请尽快上传，否则法院可能无法立案）"
    if item.get("field") == PARTY:
        shown = []
        for key, value in answer["values"].items():
            if key == "phone":
                value = mask_phone(value)
            elif key == "id_number":
                value = mask_id_number(value)
            shown.append(f"{FIELD_LABELS[key]}：{value}")
        return "；".join(shown)
    text = answer["text"]
    return text if len(text) <= 120 else text[:120] + "……"


def correction_summary(filing_id: str, items: list[Mapping[str, Any]], answers: Mapping[str, Any]) -> str:
    """The read-back before resubmission: each item with what the litigant gave (ID and phone masked)."""
    lines = [f"请核对立案申请 {filing_id} 的补正内容："]
    for i, item in enumerate(items):
        answer = answers.get(str(i))
        shown = _answer_display(item, answer) if answer else "未填写"
        lines.append(f"{i + 1}. {item['text']}\n   → {shown}")
    lines.append("确认无误请回复“确认提交”；需要改哪一项，请回复“修改”。")
    return "\n".join(lines)


# --- what the backend receives ------------------------------------------------------------------


def _party_index(parties: list[Mapping[str, Any]], item: Mapping[str, Any]) -> Optional[int]:
    """The party an item is about: named in the item, else the only one with that role."""
    same_role = [i for i, p in enumerate(parties) if p.get("role") == item["role"]]
    named = [i for i in same_role if _name(parties[i]) and _name(parties[i]) in item["text"]]
    if len(named) == 1:
        return named[0]
    return same_role[0] if len(same_role) == 1 else None


def _name(party: Mapping[str, Any]) -> str:
    return str(party.get("name") or "")


def _note_line(i: int, item: Mapping[str, Any], answer: Mapping[str, Any], placed: bool) -> str:
    head = f"{i + 1}. {item['text']}："
    if item["kind"] == DOCUMENT:
        files = answer.get("files") or []
        return head + ("已上传" + "、".join(files) if files else "当事人表示稍后上传")
    if item.get("field") == PARTY:
        labels = "、".join(FIELD_LABELS[k] for k in answer["values"])
        if placed:
            return head + f"已补充{ROLE_LABELS[item['role']]}的{labels}（见当事人信息）"
        return head + _answer_display(item, answer)
    if item.get("field") == FACTS:
        return head + "已补充事实与理由"
    if item.get("field") == CLAIMS:
        return head + "已修改诉讼请求"
    return head + answer["text"]


def build_resubmission(filing: Mapping[str, Any], items: list[Mapping[str, Any]],
                       answers: Mapping[str, Any]) -> dict[str, Any]:
    """POST /filings/{number}/resubmit body: the note always; facts, claims, parties, evidence when changed.

    Facts are appended to the filed ones; typed claims replace the filed claims; party details are
    written into that party (parties are validated as on creation, 民事诉讼法 art. 124). Uploaded
    files are added to the evidence list (证据和证据来源, art. 124(四)) only when the backend's view
    of the filing carries one, so an older backend is never sent a field it does not know.
    """
    payload: dict[str, Any] = {}
    facts_added: list[str] = []
    parties = [{k: p[k] for k in PARTY_INPUT_KEYS if p.get(k) is not None} for p in filing.get("parties") or []]
    parties_changed = False
    new_evidence: list[dict[str, Optional[str]]] = []
    note = ["通过在线诉讼服务助手补正："]
    for i, item in enumerate(items):
        answer = answers.get(str(i))
        if answer is None:
            continue
        placed = False
        if item["kind"] == DOCUMENT and answer.get("files"):
            new_evidence.append({"name": item["text"][:100],
                                 "source": ("当事人补正时上传：" + "、".join(answer["files"]))[:200],
                                 "purpose": None})
        elif item.get("field") == FACTS:
            facts_added.append(answer["text"])
        elif item.get("field") == CLAIMS:
            payload["claims"] = [{"text": answer["text"], "amount": answer.get("amount")}]
        elif item.get("field") == PARTY:
            index = _party_index(parties, item)
            if index is not None:
                parties[index].update(answer["values"])
                parties_changed = placed = True
        note.append(_note_line(i, item, answer, placed))
    if facts_added:
        old = (filing.get("facts") or "").rstrip()
        payload["facts"] = (old + "\n\n【补正补充】" if old else "") + "\n".join(facts_added)
    if parties_changed:
        payload["parties"] = parties
    if new_evidence and isinstance(filing.get("evidence"), list):
        payload["evidence"] = list(filing["evidence"]) + new_evidence
    text = "\n".join(note)
    payload["note"] = text if len(text) <= NOTE_MAX else text[: NOTE_MAX - 1] + "…"
    return payload


_ITEM_NUMBER = re.compile(r"第\s*([0-9一二两三四五六七八九十]+)\s*(?:项|条|个)")


def edit_index(text: str, count: int, choosing: bool) -> Optional[int]:
    """"修改第2项" / "第二项" (or a bare "2" right after "which one?") → 1; None when no item is named."""
    s = normalize_text(text)
    found = _ITEM_NUMBER.search(s) or (re.fullmatch(r"\s*([0-9]{1,2})\s*", s) if choosing else None)
    if not found:
        return None
    try:
        n = int(found.group(1)) if found.group(1).isdigit() else int(cn2an.cn2an(found.group(1), "smart"))
    except ValueError:
        return None
    return n - 1 if 1 <= n <= count else None
