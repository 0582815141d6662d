"""The one phone reader of the Rasa side: finding a mobile number in what the litigant typed.

The rule itself — what a mainland mobile number is, how it is normalised and masked — is
court/rules/phone.py, shared with the backend. Here are only the two ways of finding one in text:
as typed in an answer (loose, so that a wrong number is explained by the rule rather than ignored)
and as an NLU entity (strict: the second digit 3–9 of court.rules.phone.MOBILE_PATTERN, so that
other numbers in a sentence are not taken for a phone).
"""
from __future__ import annotations

import re
from typing import Optional

from bot.readers.text import normalize_text
from court.rules.phone import PhoneError, normalize_phone

# 11 digits starting with 1, with spaces, dashes or +86 where people put them.
PHONE_AS_TYPED = re.compile(r"(?:\+?86)?[\s-]?1[\s-]?(?:\d[\s-]?){9}\d")
# The NLU entity: a mobile number standing on its own in a sentence.
PHONE_ENTITY = re.compile(r"(?<![0-9])(?:\+?86[\s-]?)?1[3-9][0-9](?:[\s-]?[0-9]){8}(?![0-9])")


def read_phone(text: str) -> tuple[Optional[str], Optional[str]]:
    """(the mobile number, None) or (None, a Chinese explanation); spaces, dashes and +86 allowed."""
    s = normalize_text(text)
    found = PHONE_AS_TYPED.search(s)
    try:
        return normalize_phone(found.group(0) if found else s), None
    except PhoneError as err:
        return None, err.message
