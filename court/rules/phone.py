"""Mainland China mobile numbers — normalise, check, mask.

Why this module exists: a complaint states every party's contact (民事诉讼法 (2023) art. 124),
and the court serves documents and sends SMS notices to the plaintiff's mobile number
(最高人民法院关于进一步加强民事送达工作的若干意见, 法发〔2017〕19号). People type numbers in many
shapes — "+86 138 0013 8000", "138-0013-8000", full-width digits from a Chinese IME — so the bot
and the backend normalise to the 11 digits and catch a wrong number while the user is still there.

Standard-library only: imported by the court backend (Python 3.11) and the Rasa action server
(Python 3.10).

Rules:

* 《电信网编号计划（2017年版）》 (工业和信息化部): public mobile numbers are 11 digits, the first
  digit 1 and the second digit 3–9 (13x … 19x). 10x/11x/12x are not mobile numbers.
* The country code +86 / 0086 (ITU-T E.164 assignment for China) may precede the number and is
  dropped.
* Masking (``138****8000``) hides the middle four digits, the form Chinese platforms use when a
  number is echoed back (个人信息保护法 art. 51 去标识化).
"""

from __future__ import annotations

import re
import unicodedata

from court.rules.errors import RuleError

__all__ = [
    "MOBILE_PATTERN",
    "WRITTEN_MOBILE_PATTERN",
    "PhoneError",
    "is_valid_phone",
    "mask_phone",
    "normalize_phone",
]

#: 《电信网编号计划（2017年版）》: 11 digits, 1 then 3–9.
MOBILE_PATTERN = r"1[3-9]\d{9}"
_MOBILE = re.compile(rf"^{MOBILE_PATTERN}$", re.ASCII)
#: The same number as people write it in running text, for finding it (log masking): an optional
#: country code (+86, 0086, 86), then 3-4-4 digits, each gap at most one space, hyphen or dot
#: (``+8613800138000``, ``138-0013-8000``, ``138 0013 8000``, full-width digits too). The named
#: group ``middle`` holds the four digits that masking hides. Not inside a longer digit run.
_GAP = r"[ \t\-.\u2010-\u2015\uff0d]?"
WRITTEN_MOBILE_PATTERN = (rf"(?<!\d)(?:(?:\+|\uff0b|00)?86{_GAP})?[1\uff11][3-9\uff13-\uff19]\d"
                          rf"{_GAP}(?P<middle>\d{{4}}){_GAP}\d{{4}}(?!\d)")
_SEPARATORS = re.compile(r"[\s\-_.·•/()\[\]]+")


class PhoneError(RuleError):
    """A number that is not a mainland mobile number; ``code`` is stable, ``message`` is Chinese."""


#: Alias kept for callers that prefer the longer name.
PhoneNumberError = PhoneError


def normalize_phone(text: str) -> str:
    """Return the 11-digit number, or raise :class:`PhoneError` saying what is wrong.

    ``"+86 138 0013 8000"``, ``"138-0013-8000"``, ``"0086 13800138000"`` and full-width
    ``"１３８００１３８０００"`` all give ``"13800138000"``.
    """
    s = unicodedata.normalize("NFKC", text or "")
    s = _SEPARATORS.sub("", s)
    if not s:
        raise PhoneError("empty", "请您填写手机号码。")
    if s.startswith("+"):
        s = s[1:]
        if not s.startswith("86"):
            raise PhoneError("phone_foreign", "目前仅支持中国大陆的手机号码，请您填写11位大陆手机号码。")
        s = s[2:]
    elif s.startswith("0086"):
        s = s[4:]
    elif s.startswith("86") and len(s) == 13:
        s = s[2:]
    if not s.isascii() or not s.isdigit():
        raise PhoneError("phone_characters", "手机号码只能包含数字，请您核对。")
    if len(s) != 11:
        raise PhoneError("phone_length", f"手机号码应为11位数字，您填写的是{len(s)}位，请您核对。")
    if not _MOBILE.match(s):
        raise PhoneError(
            "phone_prefix",
            "这不是有效的手机号码：手机号码以13至19开头，请您核对前两位。",
        )
    return s


def is_valid_phone(text: str) -> bool:
    try:
        normalize_phone(text)
    except PhoneError:
        return False
    return True


def mask_phone(text: str) -> str:
    """``13800138000`` → ``138****8000``. Input is normalised first when possible; anything
    that is not a valid number keeps only its last 4 characters."""
    try:
        s = normalize_phone(text)
    except PhoneError:
        s = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))
        return "*" * max(len(s) - 4, 0) + s[-4:] if len(s) > 4 else "*" * len(s)
    return s[:3] + "****" + s[7:]
