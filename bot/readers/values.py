"""Turn what litigants type into values: money, dates, phone and ID numbers.

Pure functions shared by the NLU extractor (bot/nlu/values.py) and the form validators
(forms/), so that "五万", "5万元", "50,000" and "伍万元" mean the same everywhere.
Chinese numerals are read by cn2an, never by a hand-written digit table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import List, Optional

import cn2an

from bot.readers.phone import PHONE_ENTITY
from bot.readers.text import normalize_text
from court.rules.case_numbers import CASE_NUMBER_REGEX, CaseNumberError, parse_case_number
from court.rules.idcard import IdNumberError, validate_id_number
from court.rules.phone import PhoneError, normalize_phone

CENT = Decimal("0.01")

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億点"
_UNIT = r"(?:万|千|百|亿|w|W|k|K)"
_CURRENCY = r"(?:元|块钱|块|圆|人民币)"
_NUMBER = rf"(?:(?:[0-9]{{1,3}}(?:[,，][0-9]{{3}})+|[0-9]+)(?:\.[0-9]+)?|[{_CN_DIGITS}]+)"
# An amount: a number, optional magnitude, optional currency (e.g. 5万元, 伍万元, 50,000元, 2万5).
_AMOUNT_RE = re.compile(
    rf"(?<![0-9A-Za-z])(?P<num>{_NUMBER}{_UNIT}?(?:[0-9{_CN_DIGITS}]+)?)(?P<cur>{_CURRENCY})?"
)
_NOT_MONEY_AFTER = re.compile(r"^\s*(?:年|月|日|号|天|个|岁|%|％|周|小时|分|点|期|次|位|名|人|条|页|份|楼|室)")
_MONEY_BEFORE = re.compile(r"(?:金额|标的|本金|借|欠|还|赔|付|要|共|计|给|货款|工资|房租|利息|损失|费用|价款)\S{0,3}$")
_MAGNITUDE = {"万": Decimal(10000), "w": Decimal(10000), "千": Decimal(1000), "k": Decimal(1000),
              "百": Decimal(100), "亿": Decimal(100000000)}


def parse_amount(text: str) -> Optional[Decimal]:
    """Read one amount of money in yuan from a short answer, or None.

    "五万" / "5万元" / "50000" / "伍万元" / "50,000.00元" / "2万5" all give Decimal("50000.00")-style
    values rounded half-up to the fen. Text with several numbers is not guessed at: None.
    """
    s = normalize_text(text)
    s = re.sub(r"^(?:大概|大约|约|一共|总共|共|是|金额|标的额?|为|是人民币|人民币|：|:|\s)+", "", s)
    s = re.sub(rf"(?:左右|整|多|{_CURRENCY}|\s|。|\.$)+$", "", s)
    s = s.replace(",", "").replace("，", "")
    if not s:
        return None
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)\s*([万千百亿wWkK])?([0-9])?", s)
    try:
        if m:
            value = Decimal(m.group(1))
            if m.group(2):
                mag = _MAGNITUDE[m.group(2).lower() if m.group(2) in "wWkK" else m.group(2)]
                value *= mag
                if m.group(3):  # "2万5" = 25000: the trailing digit is the next magnitude down
                    value += Decimal(m.group(3)) * mag / 10
            elif m.group(3):
                return None
        elif re.fullmatch(rf"[0-9.{_CN_DIGITS}]+", s):
            value = Decimal(str(cn2an.cn2an(s, "smart")))
        else:
            return None
    except (InvalidOperation, ValueError, KeyError):
        return None
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Found:
    """A value found in free text, with its character span."""

    entity: str
    start: int
    end: int
    text: str
    value: str


def find_amounts(text: str) -> List[Found]:
    """Money amounts in free text: numbers with a unit (万/元/块) or after a money word."""
    found = []
    for m in _AMOUNT_RE.finditer(text):
        raw = m.group(0)
        if not re.search(r"[0-9]", raw) and len(m.group("num")) < 2 and not m.group("cur"):
            continue  # a lone Chinese character such as 一 or 万 is not an amount
        digits = re.sub(r"[^0-9]", "", raw)
        if len(digits) >= 11:  # phone, ID or case numbers
            continue
        has_unit = bool(m.group("cur")) or bool(re.search(r"[万千百亿wWkK]", m.group("num")))
        if _NOT_MONEY_AFTER.match(text[m.end():]) and not m.group("cur"):
            continue
        if not has_unit and not _MONEY_BEFORE.search(text[: m.start()]):
            continue
        value = parse_amount(raw)
        if value is None or value <= 0:
            continue
        found.append(Found("amount", m.start(), m.end(), raw, str(value)))
    return found


_DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(?P<m>\d{1,2})\s*(?:月|-|/|\.)\s*(?:(?P<d>\d{1,2})\s*(?:日|号)?)?"
)


def find_dates(text: str) -> List[Found]:
    """Calendar dates (2023年3月5日, 2023-03-05, 2023年3月) as ISO strings."""
    found = []
    for m in _DATE_RE.finditer(text):  # \d also matches full-width digits
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d") or 1)
        try:
            iso = date(y, mo, d).isoformat() if m.group("d") else f"{y:04d}-{mo:02d}"
        except ValueError:
            continue
        found.append(Found("date", m.start(), m.end(), text[m.start():m.end()], iso))
    return found


_ID_RE = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20|18)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9])")
_FILING_RE = re.compile(r"(?<![A-Za-z])[Ll][Aa]\s*[0-9]{14}(?![0-9])")


def find_numbers(text: str) -> List[Found]:
    """Phone, ID, filing and case numbers in free text, each checked and normalised.

    Numbers that fail their check (an ID with a wrong check digit) are not reported as entities:
    the form validators explain what is wrong when the litigant is asked for one.
    """
    found: List[Found] = []
    for m in _ID_RE.finditer(text):
        try:
            found.append(Found("id_number", m.start(), m.end(), m.group(0), validate_id_number(m.group(0)).number))
        except IdNumberError:
            continue
    for m in PHONE_ENTITY.finditer(text):
        try:
            found.append(Found("phone", m.start(), m.end(), m.group(0), normalize_phone(m.group(0))))
        except PhoneError:
            continue
    for m in _FILING_RE.finditer(text):
        found.append(Found("filing_id", m.start(), m.end(), m.group(0), re.sub(r"\s", "", m.group(0)).upper()))
    for m in re.finditer(CASE_NUMBER_REGEX, text):
        try:
            found.append(Found("case_number", m.start(), m.end(), m.group(0), parse_case_number(m.group(0)).canonical()))
        except CaseNumberError:
            continue
    return found


def find_values(text: str) -> List[Found]:
    """Every value the NLU reports: numbers first, then dates and amounts that do not overlap them."""
    taken = find_numbers(text)
    for item in find_dates(text) + find_amounts(text):
        if all(item.end <= t.start or item.start >= t.end for t in taken):
            taken.append(item)
    return sorted(taken, key=lambda f: f.start)
