"""Reading a filing number (LA + 14 digits) or a case number from what the litigant typed.

The status form asks for either; the 补正, upload and withdrawal journeys find a filing number in
free text. The case number rules themselves are in court/rules/case_numbers.py.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.readers.values import normalize_text
from court.rules.case_numbers import CaseNumberError, parse_case_number

FILING_NUMBER = re.compile(r"LA\s*\d{14}", re.IGNORECASE)


def number_in(text: str) -> Optional[str]:
    """A filing number (LA + 14 digits) anywhere in what the litigant typed, in canonical form."""
    found = FILING_NUMBER.search(text or "")
    return "".join(found.group(0).split()).upper() if found else None


def read_lookup_number(text: str) -> tuple[Optional[str], Optional[str]]:
    """(canonical number, None) or (None, a Chinese explanation of what was not understood)."""
    s = normalize_text(text)
    found = FILING_NUMBER.search(s)
    if found:
        return re.sub(r"\s", "", found.group(0)).upper(), None
    try:
        return parse_case_number(s).canonical(), None
    except CaseNumberError as err:
        if re.search(r"\d", s):
            return None, err.message
    return None, "请提供立案申请号（以LA开头的16位编号）或案号，例如（2024）京0105民初1234号。"
