"""Changes said in free words at the filing's read-back: "我改主意了，同意诉前调解", "被告名字不对，应该是钱多多",
"金额改成5万". The words name a field (bot/readers/answers.FIELD_WORDS); the new value, when one is said,
is read with the readers of that field and checked by the form's own validators afterwards.

Pure functions over the message and the slots, so the read-back stays a thin layer in forms/filing.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from bot.readers.answers import FIELD_WORDS, clean_name, field_mentioned, party_kind
from bot.readers.parties import LIST_SLOT, UNKNOWN, parties
from bot.readers.values import find_amounts, normalize_text

# What comes before the new value: "应该是钱多多", "改成5万", "换成朝阳法院".
_NEW_VALUE = re.compile(r"(?:应该是|应当是|应为|改成|改为|换成|更正为|更改为|其实是|实际是|正确的是|叫)[:：\s]*(.+)$")
_REFUSE = re.compile(r"不同意|不愿意|不接受|拒绝|不要|不用|不想")
_ACCEPT = re.compile(r"同意|愿意|接受|可以|想")
# Name fields that a plaintiff_name field word can also mean: only a name change carries a value.
_NAME_WORDS = re.compile(r"名字|姓名|名称|叫|原告|被告|对方")
_OTHER_PARTY_WORDS = re.compile(r"身份证|证件号|电话|手机|联系方式|住址|地址|住所")
_QUESTION = re.compile(r"[?？]|吗|什么|怎么|怎样|如何|为什么|是否|能不能|可不可以|有没有")
# The fields a 修改 button can name ("none": 不改了, back to the read-back).
CHANGEABLE = {slot for slot, _ in FIELD_WORDS} | {"none"}


def asks_question(text: str) -> bool:
    """"调解是什么意思？": a question, whatever field it names."""
    return bool(_QUESTION.search(normalize_text(text)))


@dataclass(frozen=True)
class Change:
    """A field to change and, when the message says it, the new value as typed (None: ask again)."""

    field: str
    value: Any = None


def _after_marker(text: str) -> Optional[str]:
    found = _NEW_VALUE.search(text)
    value = found.group(1).strip(" 。.!！") if found else ""
    return value or None


def read_change(text: str) -> Optional[Change]:
    """The field a read-back message names and the new value it gives, or None when it names no field."""
    s = normalize_text(text)
    field = field_mentioned(s)
    if field is None:
        return None
    if field in ("mediation_consent", "e_service_consent"):
        value = False if _REFUSE.search(s) else True if _ACCEPT.search(s) else None
        return Change(field, value)
    if field == "amount":
        found = find_amounts(s)
        return Change(field, found[-1].value if found else None)
    if field in ("plaintiff_name", "defendant_name"):
        if _OTHER_PARTY_WORDS.search(s) or not _NAME_WORDS.search(s):
            return Change(field)
        value = _after_marker(s)
        return Change(field, clean_name(value) if value else None)
    return Change(field, _after_marker(s))


def renamed_party(role: str, slots: Mapping[str, Any], text: str, new: str) -> Optional[dict[str, Any]]:
    """Slot changes that rename one party of the role, keeping its other details; None when it is not
    clear which party is meant (several, and none of their names in the message)."""
    listed = parties(role, slots)
    named = [p for p in listed if p["name"] in text and p["name"] != new]
    target = named[0] if len(named) == 1 else listed[0] if len(listed) == 1 else None
    if target is None:
        return None
    representative = "，".join(filter(None, [target.get("legal_representative"), target.get("representative_title")]))
    changes: dict[str, Any] = {
        # the renamed party becomes the one being asked about; the others stay in the list
        LIST_SLOT[role]: [p for p in listed if p is not target] or None,
        f"{role}_name": new, f"{role}_kind": party_kind(new),
        f"{role}_address": target.get("address") or UNKNOWN,
        f"{role}_representative": representative or (UNKNOWN if role == "defendant" else None),
    }
    if role == "plaintiff":
        changes.update({"plaintiff_id_number": target.get("id_number"), "plaintiff_phone": target.get("phone")})
    return changes
