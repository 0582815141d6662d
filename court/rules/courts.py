"""Courts and their case-number codes (法院代字) — lookup by code, by name, by fragment.

Why this module exists: a user names a court the way people speak ("朝阳法院", "海淀", "杭州互联网",
"北京四中院"); a filing must carry the court's exact code and official name, and a case number
(see ``case_numbers.py``) names its court only by code. This module is the one place that maps
between them, from the data file ``court/data/courts.csv``.

Standard-library only: imported by the court backend (Python 3.11) and the Rasa action server
(Python 3.10).

Codes follow 《最高人民法院关于人民法院案件案号的若干规定》 (法〔2015〕137号, amended by
法〔2018〕335号):

* art. 4 — 「最高法」; a high court is its province's one-character short name (内 for 内蒙古,
  军 for the PLA Military Court, 兵 for the XPCC branch of the Xinjiang High Court);
* art. 5 — an intermediate court adds 2 digits (prefecture-level division code, or 01–04 for
  the numbered intermediate courts of a municipality; 71 railway, 72 maritime, 73 IP, 74 oilfield,
  and in practice the financial courts); a basic court adds 4 digits (the last 4 digits of its
  county-level division code, GB/T 2260), with special numbers for courts that have no division
  of their own (e.g. 京0491 北京互联网法院, 粤0391 深圳前海合作区人民法院, 粤1971 东莞市第一人民法院);
* art. 13 — when a division changes but the court has not yet been adjusted, the old code stays.
  So a code cannot be derived from the current division code alone: courts whose division changed
  around or after 2015 are in the data only where their code was checked against published case
  numbers (e.g. 浙0113 临平, 浙0114 钱塘, 浙0111 富阳, 浙0603 柯桥, 沪0151 崇明, 京0119 延庆);
  unverified ones (宁波市奉化区, 杭州市临安区, 玉环市, 龙港市, 温州市洞头区, 肇庆市高要区) are left out.

CSV columns: code, name, level (supreme/high/intermediate/basic/special), kind (general,
internet, ip, maritime, financial, railway, military), tier (the hierarchy level a special court
sits at), province, parent_code (the court hearing its appeals, or the high court), division_code
(GB/T 2260 code where the court maps to one), region, aliases (";"-separated everyday names).
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

from court.rules.case_numbers import CaseNumber, CaseNumberError, parse_case_number

__all__ = [
    "Court",
    "DATA_FILE",
    "all_courts",
    "child_courts",
    "court_by_code",
    "court_by_name",
    "court_for_case_number",
    "search_courts",
]

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "courts.csv"

LEVELS = ("supreme", "high", "intermediate", "basic", "special")
_TIER_ORDER = {"supreme": 0, "high": 1, "intermediate": 2, "basic": 3}

_PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省",
    "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "四川省", "贵州省", "云南省", "西藏自治区",
    "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
)
_PROVINCE_PREFIXES = tuple(
    sorted(
        set(_PROVINCES)
        | {p[:-1] for p in _PROVINCES if p.endswith(("省", "市"))}
        | {"内蒙古", "广西", "西藏", "宁夏", "新疆"},
        key=len,
        reverse=True,
    )
)


@dataclass(frozen=True)
class Court:
    code: str
    name: str
    level: str
    kind: str
    tier: str
    province: str
    parent_code: Optional[str]
    division_code: Optional[str]
    region: str
    aliases: tuple[str, ...] = ()

    @property
    def is_special(self) -> bool:
        return self.level == "special"


def _clean(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _province_prefix(s: str) -> Optional[str]:
    """The province a name starts with, as its full name (「上海金融」 → 上海市), or None."""
    for p in _PROVINCE_PREFIXES:
        if s.startswith(p) and len(s) > len(p):
            return next(full for full in _PROVINCES if full.startswith(p))
    return None


def _strip_province(s: str) -> str:
    for p in _PROVINCE_PREFIXES:
        if s.startswith(p) and len(s) > len(p):
            return s[len(p):]
    return s


def _squeeze(s: str) -> str:
    """The distinctive part of a court name: 中级人民法院 → 中院, 法院/人民法院 and the
    administrative suffixes 省/市/区/县 dropped. 「北京市朝阳区人民法院」 → 「北京朝阳」."""
    s = s.replace("中级人民法院", "中院").replace("人民法院", "").replace("法院", "").replace("法庭", "")
    return "".join(ch for ch in s if ch not in "省市区县")


def _forms(s: str, keep_province: bool = False) -> set[str]:
    forms = {_squeeze(s)}
    if not keep_province:
        forms.add(_squeeze(_strip_province(s)))
    return {f for f in forms if f}


def _is_subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[Court, ...], dict[str, Court]]:
    courts: list[Court] = []
    with DATA_FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            courts.append(
                Court(
                    code=row["code"],
                    name=row["name"],
                    level=row["level"],
                    kind=row["kind"],
                    tier=row["tier"],
                    province=row["province"],
                    parent_code=row["parent_code"] or None,
                    division_code=row["division_code"] or None,
                    region=row["region"],
                    aliases=tuple(a for a in row["aliases"].split(";") if a),
                )
            )
    return tuple(courts), {c.code: c for c in courts}


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[Court, frozenset[str], frozenset[str]], ...]:
    """Per court: the exact keys (name, aliases) and their squeezed forms."""
    out = []
    for c in all_courts():
        keys = frozenset((c.name, *c.aliases))
        keep = c.level in ("supreme", "high")  # 「北京市高级人民法院」 minus 北京市 says nothing
        forms: set[str] = set()
        for k in keys:
            forms |= _forms(k, keep_province=keep)
        out.append((c, keys, frozenset(forms)))
    return tuple(out)


def all_courts() -> tuple[Court, ...]:
    return _load()[0]


def court_by_code(code: str) -> Optional[Court]:
    """``court_by_code("京0105")`` → 北京市朝阳区人民法院; None when the code is unknown."""
    return _load()[1].get(_clean(code))


def child_courts(code: str) -> list[Court]:
    """Courts whose parent (appeal court) is ``code``."""
    code = _clean(code)
    return [c for c in all_courts() if c.parent_code == code]


def court_by_name(name: str) -> Optional[Court]:
    """The court with exactly this name or alias, tolerating a missing/extra province prefix and
    人民法院/法院 variations (「广东省广州市天河区人民法院」, 「广州市天河区法院」). None if unknown
    or ambiguous."""
    q = _clean(name)
    if not q:
        return None
    exact = [c for c, keys, _ in _index() if q in keys]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    qforms = _forms(q)
    qprov = _province_prefix(q)
    matches = [
        c for c, _, forms in _index()
        if qforms & forms and not (qprov and c.province != qprov)
    ]
    return matches[0] if len(matches) == 1 else None


def search_courts(fragment: str, limit: int = 10) -> list[Court]:
    """Courts matching a name fragment, best first.

    ``"朝阳"`` → 北京市朝阳区人民法院; ``"海淀法院"`` → 北京市海淀区人民法院;
    ``"杭州互联网"`` → 杭州互联网法院; a code (``"粤0192"``) → that court. Ranking: exact name or
    alias, then the same name up to 法院/人民法院/省市区县, then prefix, then containment, then the
    characters in order (「北京一中院」 ↔ 北京市第一中级人民法院); ties go to the higher court, then
    the shorter name.
    """
    q = _clean(fragment)
    if not q:
        return []
    by_code = court_by_code(q)
    if by_code is not None:
        return [by_code]
    qforms = _forms(q)
    qprov = _province_prefix(q)
    scored: list[tuple[int, int, int, Court]] = []
    for c, keys, forms in _index():
        if qprov and c.province != qprov and q not in keys:
            continue  # 「上海金融」 names Shanghai: never offer 北京金融法院
        if q in keys:
            score = 100
        elif qforms & forms:
            score = 90
        elif any(k.startswith(q) for k in keys) or any(f.startswith(qf) for f in forms for qf in qforms):
            score = 70
        elif any(q in k for k in keys) or any(qf in f for f in forms for qf in qforms):
            score = 50
        elif any(len(qf) >= 3 and _is_subsequence(qf, f) for f in forms for qf in qforms):
            score = 30
        else:
            continue
        scored.append((-score, _TIER_ORDER.get(c.tier, 9), len(c.name), c))
    if any(-t[0] >= 50 for t in scored):  # characters-in-order is only a fallback
        scored = [t for t in scored if -t[0] >= 50]
    scored.sort(key=lambda t: t[:3])
    return [c for *_, c in scored[:limit]]


def court_for_case_number(case_number: Union[str, CaseNumber]) -> Optional[Court]:
    """The court named by a case number's 法院代字, if it is in the data (None otherwise, or when
    the text is not a case number)."""
    if isinstance(case_number, str):
        try:
            case_number = parse_case_number(case_number)
        except CaseNumberError:
            return None
    return court_by_code(case_number.court_code)
