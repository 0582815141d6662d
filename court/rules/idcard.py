"""Resident identity card numbers (公民身份号码) — GB 11643-1999 《公民身份号码》.

Why this module exists: a filing names every natural-person party with their identity number
(民事诉讼法 (2023) art. 124: 姓名、性别、年龄…), and the bot must catch a mistyped number while the
user is still in the conversation, with a polite Chinese message saying *which* part is wrong,
instead of the court clerk rejecting the filing days later. The number also yields the sex and
birth date the complaint must state, so the user need not type them twice.

Standard-library only: imported by the court backend (Python 3.11) and by the Rasa action
server (Python 3.10).

Rules (GB 11643-1999, 《公民身份号码》):

* §4   18 characters: 6-digit address code, 8-digit birth date code, 3-digit sequence code,
       1 check character.
* §5.1 address code = the county-level administrative division code of GB/T 2260. We check
       the first two digits name a real province-level division (GB/T 2260: 11–65, plus 71
       台湾, 81 香港, 82 澳门; 83 is accepted too because 港澳台居民居住证 use 810000/820000/830000,
       国办发〔2018〕81号).
* §5.2 birth date code = YYYYMMDD (GB/T 7408) and must be a real calendar date. We also refuse
       dates in the future and before 1850-01-01 (valid numbers of people born in the 1880s
       exist, e.g. 440524188001010014, so the usual "1900" bound would be wrong).
* §5.3 sequence code: odd = 男, even = 女 (the 17th character).
* §5.4 check character: ISO 7064:1983 MOD 11-2. S = Σ aᵢ·Wᵢ over the first 17 digits with
       Wᵢ = 2^(18−i) mod 11 = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; check = (12 − S mod 11) mod 11,
       the value 10 written as the Roman numeral X.

Masking: ``mask_id_number`` keeps the first 3 and the last 4 characters
(``110***********002X``): the province and the check digit stay visible so that a user can
recognise their own number, while the birth date and the county are hidden (个人信息保护法
art. 51: 采取相应的加密、去标识化等安全技术措施). Use it whenever a number is echoed in a chat
message or a log line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Optional

from court.rules.errors import RuleError

__all__ = [
    "IdCheck",
    "IdNumberError",
    "PROVINCE_CODES",
    "MIN_BIRTH_DATE",
    "check_character",
    "is_valid_id_number",
    "mask_id_number",
    "normalize_id_number",
    "validate_id_number",
]

#: GB 11643-1999 §5.4 — weights Wᵢ = 2^(18−i) mod 11 for i = 1..17.
WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: GB 11643-1999 §5.4 — check value 0..10 → character (10 is written X).
CHECK_CHARS = "0123456789X"

#: GB/T 2260 province-level division codes (first two digits of the address code, §5.1).
PROVINCE_CODES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省",
    "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省",
    # 港澳台居民居住证 (国办发〔2018〕81号) numbers start 810000 / 820000 / 830000.
    "81": "香港特别行政区", "82": "澳门特别行政区", "83": "台湾地区（居住证）",
}

#: Earliest birth date accepted (§5.2 only asks for a real date; this bound catches typos such
#: as 1099 for 1999 while keeping real numbers of people born in the 1880s valid).
MIN_BIRTH_DATE = date(1850, 1, 1)

# Characters people type between groups of digits; removed before checking.
_SEPARATORS = re.compile(r"[\s\-_.·•/\\,，。、]+")


class IdNumberError(RuleError):
    """An identity number that fails GB 11643-1999.

    ``code`` is a stable machine-readable reason (``empty``, ``legacy_15_digits``,
    ``id_length``, ``id_characters``, ``id_area``, ``id_birth_date``, ``id_birth_future``,
    ``id_birth_too_early``, ``id_checksum``); ``message`` (also ``message_zh``) is the polite
    Chinese sentence to show the user.
    """


@dataclass(frozen=True)
class IdCheck:
    """A valid identity number and what it says about its holder."""

    number: str          #: normalised: 18 characters, a final x upper-cased to X
    area_code: str       #: the 6-digit address code (GB/T 2260 county-level code)
    province: str        #: the province-level division named by the first two digits
    birth_date: date
    sex: str             #: "男" (17th digit odd) or "女" (even) — GB 11643-1999 §5.3

    def age(self, on: Optional[date] = None) -> int:
        """Full years of age on ``on`` (today by default)."""
        return age_on(self.birth_date, on)

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def age_on(birth: date, on: Optional[date] = None) -> int:
    """Full years between ``birth`` and ``on`` (today by default); a 29 February birthday counts
    on 1 March in common years."""
    on = on or date.today()
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def normalize_id_number(text: str) -> str:
    """Full-width → half-width (NFKC), separators and spaces removed, x → X. Does not validate."""
    s = unicodedata.normalize("NFKC", text or "")
    s = _SEPARATORS.sub("", s)
    return s.upper()


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits (GB 11643-1999 §5.4)."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_character needs exactly 17 ASCII digits")
    s = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[(12 - s % 11) % 11]


def validate_id_number(text: str, *, today: Optional[date] = None) -> IdCheck:
    """Validate an 18-character identity number; raise :class:`IdNumberError` naming what is wrong.

    Accepts spaces/hyphens between groups, full-width digits and a lower-case x; the returned
    ``IdCheck.number`` is normalised. ``today`` fixes "now" for the not-in-the-future check.
    """
    s = normalize_id_number(text)
    if not s:
        raise IdNumberError("empty", "请您填写身份证号码。")
    if len(s) == 15 and s.isdigit():
        raise IdNumberError(
            "legacy_15_digits",
            "您填写的是15位旧身份证号码，第一代身份证已于2013年停止使用，请您填写现在使用的18位身份证号码。",
        )
    if len(s) != 18:
        raise IdNumberError(
            "id_length",
            f"身份证号码应为18位，您填写的是{len(s)}位，请您核对后重新填写。",
        )
    if not (s[:17].isascii() and s[:17].isdigit()) or not (s[17].isascii() and (s[17].isdigit() or s[17] == "X")):
        bad = next((i + 1 for i, ch in enumerate(s) if not (ch.isascii() and ch.isdigit()) and not (i == 17 and ch == "X")), 18)
        raise IdNumberError(
            "id_characters",
            f"身份证号码只能由数字组成，最后一位可以是字母X；第{bad}位“{s[bad - 1]}”不符合要求，请您核对。",
        )
    province = PROVINCE_CODES.get(s[:2])
    if province is None:
        raise IdNumberError(
            "id_area",
            f"身份证号码前两位“{s[:2]}”不是有效的省级行政区划代码，请您核对号码开头的地址码。",
        )
    try:
        birth = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        raise IdNumberError(
            "id_birth_date",
            f"身份证号码第7至14位应为出生日期，“{s[6:14]}”不是有效的日期，请您核对。",
        ) from None
    now = today or date.today()
    if birth > now:
        raise IdNumberError(
            "id_birth_future",
            f"身份证号码中的出生日期{birth.isoformat()}晚于今天，请您核对第7至14位。",
        )
    if birth < MIN_BIRTH_DATE:
        raise IdNumberError(
            "id_birth_too_early",
            f"身份证号码中的出生日期{birth.isoformat()}过早，请您核对第7至14位。",
        )
    expected = check_character(s[:17])
    if s[17] != expected:
        raise IdNumberError(
            "id_checksum",
            "身份证号码的校验位不正确，请您核对最后一位，以及前面各位是否有输错。",
        )
    sex = "男" if int(s[16]) % 2 == 1 else "女"
    return IdCheck(number=s, area_code=s[:6], province=province, birth_date=birth, sex=sex)


def is_valid_id_number(text: str, *, today: Optional[date] = None) -> bool:
    try:
        validate_id_number(text, today=today)
    except IdNumberError:
        return False
    return True


def mask_id_number(text: str) -> str:
    """Keep the first 3 and last 4 characters: ``11010519491231002X`` → ``110***********002X``.

    Works on any input (normalised first); a string too short to keep 7 characters is fully
    masked, so a partial number never leaks.
    """
    s = normalize_id_number(text)
    if len(s) <= 7:
        return "*" * len(s)
    return s[:3] + "*" * (len(s) - 7) + s[-4:]
