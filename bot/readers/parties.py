"""Several plaintiffs and defendants, one at a time: the party being asked about lives in its own
slots (plaintiff_name, plaintiff_address …); "还有其他原告吗？" moves it into the list and asks again.

Pure functions over slot values, so the filing form stays a thin layer of questions.
"""
from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from bot.readers.values import normalize_text

UNKNOWN = "不详"  # an answer of 不清楚 to an optional question: asked once, left out of the complaint

# What each role's "current party" slots are, and everything a correction of that role clears.
PARTY_SLOTS = {
    "plaintiff": ["plaintiff_name", "plaintiff_id_number", "plaintiff_representative", "plaintiff_phone",
                  "plaintiff_address", "plaintiff_kind", "more_plaintiffs", "plaintiff_details"],
    "defendant": ["defendant_name", "defendant_representative", "defendant_address", "defendant_kind",
                  "more_defendants", "defendant_details"],
}
# 民族, 职业/工作单位 (and a defendant's ID number if known): bot/readers/details.py
DETAIL_KEYS = ("ethnicity", "occupation", "id_number")
LIST_SLOT = {"plaintiff": "plaintiffs", "defendant": "defendants"}
MORE_SLOT = {"plaintiff": "more_plaintiffs", "defendant": "more_defendants"}

_PLACE = re.compile(r"[省市区县旗镇乡村街道路巷弄号楼栋室州盟]")
_DONT_KNOW = re.compile(r"^(?:不清楚|不知道|不太清楚|不详|不晓得|没有|无|忘了)[。.!！\s]*$")


def current_party(role: str, slots: Mapping[str, Any]) -> Optional[dict[str, Any]]:
    """The party being asked about, as the backend's party object, or None before its name is known."""
    name = slots.get(f"{role}_name")
    if not name:
        return None
    kind = slots.get(f"{role}_kind") or "person"
    party: dict[str, Any] = {"role": role, "kind": kind, "name": name}
    for key in ("id_number", "phone", "address"):
        value = slots.get(f"{role}_{key}")
        if value and value != UNKNOWN:
            party[key] = value
    representative = slots.get(f"{role}_representative")
    if kind == "organisation" and representative and representative != UNKNOWN:
        name_part, *title = re.split(r"[，,、\s]+", representative, maxsplit=1)
        party["legal_representative"] = name_part
        if title and title[0]:
            party["representative_title"] = title[0]
    details = slots.get(f"{role}_details")
    if kind == "person" and isinstance(details, dict):
        party.update({k: details[k] for k in DETAIL_KEYS if details.get(k) and not party.get(k)})
    if kind == "organisation":
        party.pop("id_number", None)  # a 统一社会信用代码 is not a 身份证号码; the court looks it up
    return party


def parties(role: str, slots: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every party of the role: the list so far plus the one being asked about (never twice)."""
    listed = list(slots.get(LIST_SLOT[role]) or [])
    current = current_party(role, slots)
    if current and current not in listed:
        listed.append(current)
    return listed


def add_current(role: str, slots: Mapping[str, Any], more: bool) -> dict[str, Any]:
    """Slot changes for an answer to "还有其他…吗": the current party joins the list; for "还有", the
    current party's slots are emptied so the form asks about the next one."""
    changes: dict[str, Any] = {LIST_SLOT[role]: parties(role, slots), MORE_SLOT[role]: more}
    if more:
        changes.update({slot: None for slot in PARTY_SLOTS[role]})
        if role == "plaintiff":
            changes["filer_is_plaintiff"] = slots.get("filer_is_plaintiff")
    return changes


def clear_role(role: str) -> dict[str, Any]:
    """A correction of 原告 / 被告: the whole side is asked again."""
    changes: dict[str, Any] = {slot: None for slot in PARTY_SLOTS[role]}
    changes[LIST_SLOT[role]] = None
    if role == "plaintiff":
        changes["filer_is_plaintiff"] = None
    return changes


def read_address(text: str) -> tuple[Optional[str], Optional[str]]:
    """(the address, None) or (None, a Chinese explanation of what is missing)."""
    s = normalize_text(text).strip(" 。.")
    s = re.sub(r"^(?:住址|地址|住所地?|住在|在|是)[:：\s]*", "", s)
    if _DONT_KNOW.match(s):
        return None, "住所地关系到由哪家法院管辖和文书送达，请至少告诉我所在的省、市、区县，例如“北京市朝阳区”。"
    if len(s) > 200:
        return None, "地址请控制在200字以内。"
    if len(s) < 3 or not _PLACE.search(s) or re.search(r"[<>{};=]", s):
        return None, "请输入具体的地址，至少写到区县，例如“北京市朝阳区建国路88号”。"
    return s, None


def read_representative(text: str, required: bool) -> tuple[Optional[str], Optional[str]]:
    """"王五，总经理" → ("王五，总经理", None); "不清楚" → (UNKNOWN, None) when the law lets it be unknown."""
    s = normalize_text(text).strip(" 。.")
    s = re.sub(r"^(?:法定代表人|法人代表|法人|负责人)(?:是|叫|为)?[:：\s]*", "", s)
    if _DONT_KNOW.match(s):
        if required:  # 民事诉讼法 art. 124(一): a plaintiff organisation names its legal representative
            return None, "原告是单位的，起诉状需要写明法定代表人或主要负责人的姓名（《民事诉讼法》第一百二十四条）。"
        return UNKNOWN, None
    if not re.fullmatch(r"[\u4e00-\u9fff·]{2,20}(?:[，,、\s]+[\u4e00-\u9fffA-Za-z]{1,20})?", s):
        return None, "请输入法定代表人的姓名，可以加上职务，例如“王五，总经理”。"
    return s, None
