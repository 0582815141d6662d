"""A place as people type it («北京市朝阳区xx路1号», «朝阳区», «广州天河») → the basic court(s) there.

Why this module exists: territorial jurisdiction (民事诉讼法 第二十二条 and after) names a *place*
(被告住所地, 合同履行地, 侵权行为地, 不动产所在地 …); a filing needs a *court*. First-instance civil
cases go to the basic court of that place (民事诉讼法 第十八条), and a basic court's district is
its county-level division (GB/T 2260; its 4-digit code follows the division, 法〔2015〕137号 art. 5).
So a place resolves through its county-level division to the basic court(s) of that division,
as listed in court/data/courts.csv.

How a place is read, left to right and anchored (never "any district name found anywhere"):
optional 省 (full or short: 广东省 / 广东), optional prefecture city (广州市 / 广州), then the county
(天河区 / 天河); whatever follows (street, number) is ignored. A short form is refused when an
administrative suffix follows it: «朝阳市» is not «朝阳(区)», «江北新区» is not «江北(区)».

Never a silent wrong guess:
* a county name that several covered cities share («普陀区»: 上海 and 舟山) → every candidate,
  flagged ``ambiguous``;
* a county with no province/city before it («朝阳区») → the one candidate, flagged ``unqualified``
  (the data covers a few provinces only; 长春市也有朝阳区), so the litigant is asked to confirm;
* a city without a county («北京市») → ``need_district``; a place outside the data, or a district
  the data does not hold («长春市朝阳区», «杭州市临安区») → ``unknown``, no court.

Pure apart from the cached court data (court.rules.courts reads the CSV once).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from court.rules.courts import Court, all_courts

__all__ = [
    "PlaceResolution",
    "RESOLVED",
    "UNQUALIFIED",
    "AMBIGUOUS",
    "NEED_DISTRICT",
    "UNKNOWN",
    "covered_provinces",
    "resolve_place",
]

RESOLVED = "resolved"  # one court, province or city given
UNQUALIFIED = "unqualified"  # one court, but the text named only the county: ask to confirm
AMBIGUOUS = "ambiguous"  # several courts could be meant
NEED_DISTRICT = "need_district"  # a city or municipality without its district
UNKNOWN = "unknown"  # no court in the data for this text

MAX_PLACE_CHARS = 100

_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# An administrative unit's suffix right after a short form: the text names another unit.
_GUARD = ("省", "市", "区", "县", "州", "盟", "旗", "镇", "乡", "新区", "自治")
_LEADING_NOISE = re.compile(r"^(?:中华人民共和国|中国)")


@dataclass(frozen=True)
class PlaceResolution:
    """What a place text resolved to; ``courts`` is empty unless status is resolved/unqualified/ambiguous."""

    text: str
    status: str
    courts: tuple[Court, ...] = ()
    labels: tuple[str, ...] = ()  # per court: the division understood, e.g. 「广东省广州市天河区」
    message: Optional[str] = None  # Chinese, for the litigant, when the answer needs a word of caution

    @property
    def found(self) -> bool:
        return bool(self.courts)


@dataclass(frozen=True)
class _Entry:
    court: Court
    province: str
    city: str  # the prefecture city; the municipality itself for 北京/天津/上海/重庆
    county: str  # 「天河区」; empty for a city without counties (东莞市, 中山市)

    @property
    def label(self) -> str:
        if self.province == self.city:
            return self.city + self.county
        return self.province + self.city + self.county


def _clean(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _province_forms(province: str) -> tuple[str, ...]:
    """广东省 → (广东省, 广东); 广西壮族自治区 → (广西壮族自治区, 广西); 北京市 → (北京市, 北京)."""
    if province.endswith(("省", "市")):
        return province, province[:-1]
    if province.endswith("自治区"):
        short = re.sub(r"(壮族|回族|维吾尔)$", "", province[: -len("自治区")])
        return province, short
    return (province,)


def _city_forms(city: str) -> tuple[str, ...]:
    return (city, city[:-1]) if city.endswith("市") and len(city) > 2 else (city,)


def _county_forms(county: str) -> tuple[str, ...]:
    """天河区 → 天河; 浦东新区 → 浦东; 乳源瑶族自治县 → 乳源; 前海深港现代服务业合作区 → 前海.
    A short form shorter than 2 characters is not used (it would match too much)."""
    forms = [county]
    short = county
    for suffix in ("深港现代服务业合作区", "粤澳深度合作区", "合作区", "新区", "自治县", "区", "县", "市"):
        if short.endswith(suffix):
            short = short[: -len(suffix)]
            break
    if county.endswith("自治县"):  # 乳源瑶族自治县, 景宁畲族自治县: the name before the people's name
        short = county[:2]
    if len(short) >= 2 and short != county:
        forms.append(short)
    return tuple(forms)


def _split_region(court: Court) -> Optional[_Entry]:
    """「广东省广州市天河区」 → (广东省, 广州市, 天河区); 「北京市朝阳区」 → (北京市, 北京市, 朝阳区)."""
    region, province = court.region, court.province
    if not province or not region.startswith(province):
        return None
    rest = region[len(province):]
    if province in _MUNICIPALITIES:
        return _Entry(court, province, province, rest) if rest else None
    city, sep, county = rest.partition("市")
    if not sep or not city:
        return None
    return _Entry(court, province, city + "市", county)


@lru_cache(maxsize=1)
def _entries() -> tuple[_Entry, ...]:
    """Basic courts of general jurisdiction, by their division. Internet and railway courts are
    not the court *of a place* (they have concentrated jurisdiction), so they are left out here."""
    out = []
    for court in all_courts():
        if court.tier != "basic" or court.level != "basic" or court.kind != "general":
            continue
        entry = _split_region(court)
        if entry is not None:
            out.append(entry)
    return tuple(out)


@lru_cache(maxsize=1)
def _all_provinces() -> tuple[str, ...]:
    """Every province-level name (from the high courts, which the data has for all 31)."""
    return tuple(sorted({c.province for c in all_courts() if c.tier == "high" and c.province}))


def covered_provinces() -> tuple[str, ...]:
    """Provinces whose basic courts the data holds (the others cannot be resolved to a court)."""
    seen: list[str] = []
    for entry in _entries():
        if entry.province not in seen:
            seen.append(entry.province)
    return tuple(seen)


def _match(text: str, pos: int, forms: dict[str, list]) -> tuple[Optional[str], list, int]:
    """The longest form starting at ``pos`` (a short form must not be followed by an
    administrative suffix); returns (form, its values, new position)."""
    for form in sorted(forms, key=len, reverse=True):
        if not text.startswith(form, pos):
            continue
        end = pos + len(form)
        is_full = any(form == full for full, _ in forms[form])
        if not is_full and text.startswith(_GUARD, end):
            continue
        return form, [value for _, value in forms[form]], end
    return None, [], pos


def _uncovered_city(text: str, pos: int, province: Optional[str]) -> Optional[str]:
    """A prefecture city the data knows (by its intermediate court) but holds no basic court of."""
    forms: dict[str, list] = {}
    for c in all_courts():
        if c.tier != "intermediate" or c.kind != "general" or not c.division_code:
            continue
        if province is not None and c.province != province:
            continue
        city = c.region[len(c.province):]
        if city.endswith("市"):
            for f in _city_forms(city):
                forms.setdefault(f, []).append((city, city))
    _, cities, _ = _match(text, pos, forms)
    return cities[0] if cities else None


def _coverage_hint() -> str:
    """「北京、上海、广东（部分城市）、浙江」: a province is partial when the data has one of its
    prefecture intermediate courts but no basic court of that city."""
    cities = {(e.province, e.city) for e in _entries()}
    partial = {
        c.province
        for c in all_courts()
        if c.tier == "intermediate" and c.kind == "general" and c.division_code
        and c.province not in _MUNICIPALITIES
        and (c.province, c.region[len(c.province):]) not in cities
    }
    return "、".join(
        p.rstrip("市省") + ("（部分城市）" if p in partial else "") for p in covered_provinces()
    )


def resolve_place(text: str) -> PlaceResolution:
    """Resolve a place text to the basic court(s) of its county-level division (see module doc)."""
    raw = (text or "").strip()
    s = _LEADING_NOISE.sub("", _clean(raw))
    if not s:
        return PlaceResolution(raw, UNKNOWN, message="请填写地址，至少写到区、县。")
    pos = 0

    province_forms: dict[str, list] = {}
    for province in _all_provinces():
        for form in _province_forms(province):
            province_forms.setdefault(form, []).append((_province_forms(province)[0], province))
    form, provinces, pos = _match(s, pos, province_forms)
    province = provinces[0] if provinces else None

    entries = [e for e in _entries() if province is None or e.province == province]
    if province is not None and province in _MUNICIPALITIES:
        city: Optional[str] = province
    else:
        city_forms: dict[str, list] = {}
        for e in entries:
            for f in _city_forms(e.city):
                pair = (e.city, e.city)
                if pair not in city_forms.setdefault(f, []):
                    city_forms[f].append(pair)
        _, cities, pos = _match(s, pos, city_forms)
        city = cities[0] if cities else None
    if city is not None:
        entries = [e for e in entries if e.city == city]

    county_forms: dict[str, list] = {}
    for e in entries:
        if e.county:
            for f in _county_forms(e.county):
                county_forms.setdefault(f, []).append((e.county, e))
    county_form, matched, _ = _match(s, pos, county_forms)

    if matched:
        courts = tuple(e.court for e in matched)
        labels = tuple(e.label for e in matched)
        if len(matched) > 1:
            message = (
                f"“{county_form}”可能是{'、'.join(labels)}，请补充所在的省、市，以便确定法院。"
            )
            return PlaceResolution(raw, AMBIGUOUS, courts, labels, message)
        if province is None and city is None:
            message = (
                f"您填写的地址没有写明所在的省、市，已按“{labels[0]}”理解；"
                "如果不是这里，请补充省、市名称。"
            )
            return PlaceResolution(raw, UNQUALIFIED, courts, labels, message)
        return PlaceResolution(raw, RESOLVED, courts, labels)

    if city is not None:
        rest = s[pos:]
        undivided = [e for e in entries if not e.county]  # 东莞市、中山市: no districts
        if undivided:
            labels = tuple(e.label for e in undivided)
            message = (
                f"{city}不设区、县，各基层人民法院按镇街划分管辖区域，请对照法院公布的管辖范围选择。"
            )
            return PlaceResolution(raw, AMBIGUOUS, tuple(e.court for e in undivided), labels, message)
        if not rest:
            return PlaceResolution(raw, NEED_DISTRICT, message=f"请补充{city}下的区、县，以便确定基层人民法院。")
        return PlaceResolution(
            raw, UNKNOWN,
            message=f"未能在{city}已收录的基层人民法院中找到该区、县，请核对地址，或通过法院名称查找。",
        )
    if city is None:
        other_city = _uncovered_city(s, pos, province)
        if other_city:
            return PlaceResolution(
                raw, UNKNOWN,
                message=f"目前暂未收录{other_city}的基层人民法院（已收录：{_coverage_hint()}），请通过法院名称查找。",
            )
    if province is not None and province not in covered_provinces():
        return PlaceResolution(
            raw, UNKNOWN,
            message=f"目前暂未收录{province}的基层人民法院（已收录：{_coverage_hint()}），请通过法院名称查找。",
        )
    return PlaceResolution(
        raw, UNKNOWN,
        message="未能根据该地址确定所在的区、县，请写明省、市、区（县），例如“北京市朝阳区”。",
    )
