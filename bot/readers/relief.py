"""司法救助 (《诉讼费用交纳办法》第四十四条至第五十一条) in the filing form: noticing that a litigant says
the fee is a hardship, and reading which relief and which ground they choose. Pure functions.

The grounds themselves are the regulation's, in court/rules/fee_relief.py (shared, stdlib only).
"""
from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from bot.readers.values import normalize_text
from court.rules.fee_relief import KINDS, Ground, ReliefError, check_application, grounds

NO_RELIEF = "none"  # "不申请了": the questions stop, nothing is sent
KIND_LABELS = {"deferral": "缓交", "reduction": "减交", "waiver": "免交"}
# What people say when the fee is a hardship (the faq/legal_aid answer explains; the form then asks).
HARDSHIP = re.compile(r"交不起|付不起|拿不出|没钱交|缓交|减交|免交|减免|低保|司法救助|特困|五保|经济困难|家里困难")
_NO = re.compile(r"不申请|不用了?|算了|不要了?|先不|不需要|没有")


def asks_for_relief(intent: Optional[str], text: str, response_key: Optional[str]) -> bool:
    """A question about fee relief (faq/legal_aid, or a faq naming the hardship) during a filing."""
    return intent == "faq" and (response_key == "faq/legal_aid" or bool(HARDSHIP.search(normalize_text(text))))


def natural_persons(plaintiffs: list[Mapping[str, Any]]) -> bool:
    """免交 is for natural persons only (第四十四条第二款): every plaintiff a person."""
    return all((p.get("kind") or "person") == "person" for p in plaintiffs)


def read_kind(text: str, natural_person: bool) -> tuple[Optional[str], Optional[str]]:
    """("deferral" | "reduction" | "waiver" | NO_RELIEF, None), or (None, why it cannot be taken)."""
    s = normalize_text(text).strip(" 。.")
    if _NO.search(s):
        return NO_RELIEF, None
    found = {kind for kind, label in KIND_LABELS.items() if label in s or label[0] + "缴" in s}
    numbered = {"1": "deferral", "2": "reduction", "3": "waiver"}.get(s)
    if numbered:
        found = {numbered}
    if len(found) != 1:
        return None, "请从缓交、减交、免交中选择一种；不申请的，回复“不申请了”。"
    kind = found.pop()
    if kind == "waiver" and not natural_person:
        return None, "诉讼费用的免交只适用于自然人（《诉讼费用交纳办法》第四十四条第二款），单位可以申请缓交或者减交。"
    return kind, None


def offered_grounds(kind: str, natural_person: bool) -> list[Ground]:
    """The grounds a filer of this kind may rely on, in the regulation's order."""
    return [g for g in grounds(kind) if not (g.organisation_only and natural_person)]


def read_ground(text: str, kind: str, natural_person: bool) -> tuple[Optional[str], Optional[str]]:
    """(the ground's code, None) from its number, its label or a part of it; or (None, what to do)."""
    s = normalize_text(text).strip(" 。.")
    options = offered_grounds(kind, natural_person)
    chosen = None
    if s.isdigit() and 1 <= int(s) <= len(options):
        chosen = options[int(s) - 1]
    else:
        matches = [g for g in options if s and (s == g.label or s in g.label or g.label.rstrip("的") in s)]
        chosen = matches[0] if len(matches) == 1 else None
    if chosen is None:
        return None, "请点选或回复序号，选择与您情况相符的一项。"
    try:
        check_application(kind, chosen.code, natural_person)
    except ReliefError as err:
        return None, err.message
    return chosen.code, None


def relief_request(slots: Mapping[str, Any]) -> Optional[dict[str, str]]:
    """The filing's `fee_relief` (第四十八条: applied for with the complaint), or None."""
    kind, ground = slots.get("fee_relief_kind"), slots.get("fee_relief_ground")
    if kind in KINDS and ground:
        return {"kind": kind, "ground": ground}
    return None


def ground_label(kind: str, code: str) -> str:
    found = next((g for g in grounds(kind) if g.code == code), None)
    return f"{found.label.rstrip('的')}（{found.article}）" if found else code
