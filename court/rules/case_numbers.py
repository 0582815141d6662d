"""Case numbers (案号) — 《最高人民法院关于人民法院案件案号的若干规定》 (法〔2015〕137号, in force
2016-01-01, amended by 法〔2018〕335号) and its annex 《人民法院案件类型及其代字标准》.

Why this module exists: users quote case numbers to ask about a case (GetCase / GetFilingStatus),
and they type them every possible way — half-width brackets, 〔〕, no brackets, spaces,
full-width digits, a missing 号. The bot must turn any of these into the one canonical form the
court uses, or say precisely which part it did not understand. The backend formats the number
it assigns on docketing (RecordDocketing) with the same function, so both sides agree.

Standard-library only: imported by the court backend (Python 3.11) and the Rasa action server
(Python 3.10).

Rules (articles of the 规定 as amended in 2018):

* Art. 2–3  a case number is 「（」收案年度「）」+ 法院代字 + [专门审判代字] + 类型代字 + 案件编号 + 「号」.
            The year is the calendar year the case was received (Arabic numerals).
* Art. 4    法院代字 of the Supreme People's Court is 「最高法」; a high court uses its province's
            one-character short name; 内蒙古 is 「内」, the PLA Military Court 「军」, the XPCC branch
            of the Xinjiang High Court 「兵」.
* Art. 5    an intermediate court adds 2 digits, a basic court 4 digits (from the administrative
            division code); special intermediate courts: 71 railway, 72 maritime, 73 IP, 74 oilfield
            (in practice also the financial courts, e.g. 沪74 上海金融法院, 京74 北京金融法院).
* Art. 2 (2018) 专门审判代字: one character fixed by the SPC, e.g. 「知」 (IP, e.g. （2019）最高法知民终1号).
* Art. 7    类型代字: at most 3 Chinese characters, unique per case type (table below).
* Art. 10   numbers run from 1 each year per court and type code.
* A document in a case may carry a suffix such as 「之一」 ((2022)沪0115民初13290号之一); we keep it.

Case numbers before 2016 used the old per-court style （2013）杭下商初字第383号; they cannot be
parsed into these parts and are refused with a message saying so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional

from court.rules.errors import RuleError

__all__ = [
    "CASE_NUMBER_REGEX",
    "CaseNumber",
    "CaseNumberError",
    "COURT_PROVINCE_CODES",
    "SPECIAL_TRIAL_CODES",
    "SUPREME_COURT_CODE",
    "TYPE_CODES",
    "find_case_numbers",
    "format_case_number",
    "parse_case_number",
]

#: 规定 art. 4 — the Supreme People's Court.
SUPREME_COURT_CODE = "最高法"

#: 规定 art. 4 — one-character codes of the high courts (and 军, 兵) → the division they serve.
COURT_PROVINCE_CODES: dict[str, str] = {
    "京": "北京市", "津": "天津市", "沪": "上海市", "渝": "重庆市",
    "冀": "河北省", "晋": "山西省", "内": "内蒙古自治区", "辽": "辽宁省", "吉": "吉林省",
    "黑": "黑龙江省", "苏": "江苏省", "浙": "浙江省", "皖": "安徽省", "闽": "福建省",
    "赣": "江西省", "鲁": "山东省", "豫": "河南省", "鄂": "湖北省", "湘": "湖南省",
    "粤": "广东省", "桂": "广西壮族自治区", "琼": "海南省", "川": "四川省", "黔": "贵州省",
    "云": "云南省", "藏": "西藏自治区", "陕": "陕西省", "甘": "甘肃省", "青": "青海省",
    "宁": "宁夏回族自治区", "新": "新疆维吾尔自治区",
    "军": "中国人民解放军军事法院", "兵": "新疆生产建设兵团",
}

#: 规定 art. 2 as amended by 法〔2018〕335号 — 专门审判代字 (one character, set by the SPC).
SPECIAL_TRIAL_CODES: dict[str, str] = {
    "知": "知识产权专门审判（专利等技术类知识产权案件）",
}

#: 规定 art. 5 (2) as amended in 2018 — the two-digit codes of special intermediate courts.
SPECIAL_INTERMEDIATE_CODES: dict[str, str] = {
    "71": "铁路运输中级法院",
    "72": "海事法院",
    "73": "知识产权法院",
    "74": "油田中级法院（实践中亦用于金融法院，如沪74、京74）",
}

#: 《人民法院案件类型及其代字标准》 (annex to 法〔2015〕137号) — 类型代字 → (案件类型, 大类).
#: Bankruptcy/liquidation codes 破申…清监 replace 民破/民算 for cases received from 2016 on
#: (SPC adjustment of 强制清算与破产案件 types, check the notice number before citing it).
TYPE_CODES: dict[str, tuple[str, str]] = {
    # 管辖案件
    "刑辖": ("刑事管辖案件", "管辖"),
    "民辖": ("民事管辖案件", "管辖"),
    "民辖终": ("民事管辖上诉案件", "管辖"),
    "民辖监": ("民事管辖监督案件", "管辖"),
    "行辖": ("行政管辖案件", "管辖"),
    "行辖终": ("行政管辖上诉案件", "管辖"),
    "赔辖": ("国家赔偿管辖案件", "管辖"),
    # 刑事案件
    "刑初": ("刑事一审案件", "刑事"),
    "刑终": ("刑事二审案件", "刑事"),
    "刑监": ("刑事依职权再审审查案件", "刑事"),
    "刑申": ("刑事申诉再审审查案件", "刑事"),
    "刑抗": ("刑事抗诉再审审查案件", "刑事"),
    "刑再": ("刑事再审案件", "刑事"),
    "刑核": ("刑事复核案件", "刑事"),
    "刑没": ("违法所得没收案件", "刑事"),
    "刑医": ("强制医疗案件", "刑事"),
    "刑医解": ("解除强制医疗案件", "刑事"),
    "刑医复": ("强制医疗复议案件", "刑事"),
    "刑医监": ("强制医疗监督案件", "刑事"),
    "刑更": ("刑罚与执行变更案件（减刑、假释、暂予监外执行）", "刑事"),
    "刑更监": ("刑罚与执行变更监督案件", "刑事"),
    "刑更备": ("刑罚与执行变更备案案件", "刑事"),
    "刑他": ("其他刑事案件", "刑事"),
    # 民事案件
    "民初": ("民事一审案件", "民事"),
    "民终": ("民事二审案件", "民事"),
    "民监": ("民事依职权再审审查案件", "民事"),
    "民申": ("民事申请再审审查案件", "民事"),
    "民抗": ("民事抗诉再审审查案件", "民事"),
    "民再": ("民事再审案件", "民事"),
    "民撤": ("第三人撤销之诉案件", "民事"),
    "民特": ("特别程序案件（如确认调解协议、实现担保物权、宣告失踪）", "民事"),
    "民特监": ("特别程序监督案件", "民事"),
    "民催": ("公示催告案件", "民事"),
    "民督": ("申请支付令审查案件", "民事"),
    "民督监": ("支付令监督案件", "民事"),
    "民破": ("破产案件（2015年标准，2016年起改用“破”等代字）", "破产与强制清算"),
    "民算": ("强制清算案件（2015年标准，2016年起改用“强清”等代字）", "破产与强制清算"),
    "民他": ("其他民事案件", "民事"),
    # 破产与强制清算案件
    "破申": ("破产申请审查案件", "破产与强制清算"),
    "破": ("破产案件", "破产与强制清算"),
    "破终": ("破产上诉案件", "破产与强制清算"),
    "破监": ("破产监督案件", "破产与强制清算"),
    "清申": ("强制清算申请审查案件", "破产与强制清算"),
    "强清": ("强制清算案件", "破产与强制清算"),
    "清终": ("强制清算上诉案件", "破产与强制清算"),
    "清监": ("强制清算监督案件", "破产与强制清算"),
    # 行政案件
    "行初": ("行政一审案件", "行政"),
    "行终": ("行政二审案件", "行政"),
    "行监": ("行政依职权再审审查案件", "行政"),
    "行申": ("行政申请再审审查案件", "行政"),
    "行抗": ("行政抗诉再审审查案件", "行政"),
    "行再": ("行政再审案件", "行政"),
    "行审": ("非诉行政行为申请执行审查案件", "行政"),
    "行审复": ("非诉行政行为申请执行审查复议案件", "行政"),
    "行他": ("其他行政案件", "行政"),
    "行赔初": ("行政赔偿一审案件", "行政"),
    "行赔终": ("行政赔偿二审案件", "行政"),
    "行赔申": ("行政赔偿申请再审审查案件", "行政"),
    "行赔再": ("行政赔偿再审案件", "行政"),
    # 国家赔偿与司法救助案件
    "法赔": ("法院作为赔偿义务机关自赔案件", "国家赔偿"),
    "委赔": ("赔偿委员会审理赔偿案件", "国家赔偿"),
    "委赔监": ("赔偿委员会赔偿监督案件", "国家赔偿"),
    "赔他": ("其他国家赔偿案件", "国家赔偿"),
    "司救刑": ("刑事司法救助案件", "司法救助"),
    "司救民": ("民事司法救助案件", "司法救助"),
    "司救行": ("行政司法救助案件", "司法救助"),
    "司救赔": ("国家赔偿司法救助案件", "司法救助"),
    "司救执": ("执行司法救助案件", "司法救助"),
    "司救访": ("涉诉信访司法救助案件", "司法救助"),
    "司救他": ("其他司法救助案件", "司法救助"),
    # 区际、国际司法协助案件
    "认港": ("认可与执行香港特别行政区法院判决、仲裁裁决审查案件", "司法协助"),
    "认澳": ("认可与执行澳门特别行政区法院判决、仲裁裁决审查案件", "司法协助"),
    "认台": ("认可与执行台湾地区法院判决、仲裁裁决审查案件", "司法协助"),
    "协外认": ("承认与执行外国法院判决、仲裁裁决审查案件", "司法协助"),
    # 司法制裁案件
    "司惩": ("司法制裁审查案件", "司法制裁"),
    "司惩复": ("司法制裁复议案件", "司法制裁"),
    # 非诉保全审查案件
    "财保": ("非诉财产保全审查案件（诉前、仲裁前财产保全）", "保全"),
    "行保": ("非诉行为保全审查案件", "保全"),
    "行保复": ("非诉行为保全复议案件", "保全"),
    "证保": ("非诉证据保全审查案件", "保全"),
    # 执行案件
    "执": ("首次执行案件", "执行"),
    "执恢": ("恢复执行案件", "执行"),
    "执保": ("财产保全执行案件", "执行"),
    "执异": ("执行异议案件", "执行"),
    "执复": ("执行复议案件", "执行"),
    "执监": ("执行监督案件", "执行"),
    "执协": ("执行协调案件", "执行"),
    "执他": ("其他执行案件", "执行"),
}

#: The first year of the new-style numbers (规定 in force 2016-01-01).
FIRST_YEAR = 2016

_CN_NUMERALS = "〇零一二三四五六七八九十百千"
_OPENERS = "(（〔[【［〖⦅｟"
_CLOSERS = ")）〕]】］〗⦆｠"
_BRACKETS = str.maketrans({**{c: "(" for c in _OPENERS}, **{c: ")" for c in _CLOSERS}})
_TRAILING_PUNCT = "。，,.；;：:！!？?、 \"'“”‘’》」』"
_PREFIX = re.compile(r"^(?:案号|案件号|案件编号)[:：]?")


def _alternation(codes: Iterable[str]) -> str:
    """Regex alternation, longest first so that 执恢 is tried before 执."""
    return "|".join(re.escape(c) for c in sorted(codes, key=len, reverse=True))


_D = "[0-9０-９]"
#: A pattern that spots case numbers in free text, for Rasa's RegexFeaturizer / RegexEntityExtractor
#: (Python ``re`` syntax, no word boundaries, no anchors). It requires the year, the court code and
#: a known type code; brackets, 第, 号 and spaces are optional, digits may be full-width. Every match
#: should still go through :func:`parse_case_number`, which checks what the pattern cannot
#: (2 or 4 court digits, a plausible year).
CASE_NUMBER_REGEX = (
    rf"[{re.escape(_OPENERS)}]?\s*{_D}{{4}}\s*[{re.escape(_CLOSERS)}]?\s*"
    rf"(?:{SUPREME_COURT_CODE}|[{''.join(COURT_PROVINCE_CODES)}](?:\s*{_D}){{0,4}})\s*"
    rf"(?:[{''.join(SPECIAL_TRIAL_CODES)}]\s*)?(?:{_alternation(TYPE_CODES)})\s*第?\s*{_D}{{1,8}}\s*[号號]?"
    rf"(?:之[{_CN_NUMERALS}]+)?"
)
_CASE_NUMBER_RE = re.compile(CASE_NUMBER_REGEX)


class CaseNumberError(RuleError):
    """A case number that could not be understood. ``code`` is stable; ``message`` (also
    ``message_zh``) says in Chinese which part was not understood."""


@dataclass(frozen=True)
class CaseNumber:
    """The parts of a case number (规定 art. 2)."""

    year: int
    court_code: str
    type_code: str
    seq: int
    special_code: str = ""   #: 专门审判代字, e.g. "知" (2018 amendment)
    suffix: str = ""         #: e.g. "之一"

    def canonical(self) -> str:
        """The form of 规定 art. 3: full-width brackets, no spaces, ending in 号 (then any suffix)."""
        return f"（{self.year}）{self.court_code}{self.special_code}{self.type_code}{self.seq}号{self.suffix}"

    def __str__(self) -> str:
        return self.canonical()

    @property
    def type_name(self) -> str:
        return TYPE_CODES[self.type_code][0]

    @property
    def type_category(self) -> str:
        return TYPE_CODES[self.type_code][1]

    @property
    def court_level(self) -> str:
        """supreme / high / intermediate / basic, from the shape of the court code (art. 4–5)."""
        return court_level(self.court_code)

    @property
    def province(self) -> Optional[str]:
        """The province (or 军/兵) the court belongs to; None for the Supreme People's Court."""
        if self.court_code == SUPREME_COURT_CODE:
            return None
        return COURT_PROVINCE_CODES[self.court_code[0]]


def court_level(court_code: str) -> str:
    """supreme / high / intermediate / basic from a court code's shape (规定 art. 4–5)."""
    if court_code == SUPREME_COURT_CODE:
        return "supreme"
    return {1: "high", 3: "intermediate", 5: "basic"}[len(court_code)]


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text or "")
    s = s.translate(_BRACKETS).replace("號", "号")  # traditional 號 from a 繁體 keyboard
    s = re.sub(r"\s+", "", s)
    s = _PREFIX.sub("", s)
    return s.strip(_TRAILING_PUNCT)


def _check_court_code(court_code: str) -> None:
    if court_code == SUPREME_COURT_CODE:
        return
    head, digits = court_code[:1], court_code[1:]
    if head not in COURT_PROVINCE_CODES:
        raise CaseNumberError(
            "court_unknown",
            f"无法识别法院代字“{court_code}”：法院代字应以“最高法”或省份简称（如京、沪、粤、浙）开头。",
        )
    if digits and (not digits.isascii() or not digits.isdigit() or len(digits) not in (2, 4)):
        raise CaseNumberError(
            "court_digits",
            f"法院代字“{court_code}”的数字部分应为2位（中级法院）或4位（基层法院），请您核对。",
        )


def _check_year(year: int, today: Optional[date]) -> None:
    this_year = (today or date.today()).year
    if year < FIRST_YEAR:
        raise CaseNumberError(
            "year_before_2016",
            f"收案年度{year}早于2016年。2016年以前的案件使用旧式案号，无法按现行规则识别，请您直接提供法院名称和原案号。",
        )
    if year > this_year:
        raise CaseNumberError("year_future", f"收案年度{year}晚于今年，请您核对括号中的年份。")


def format_case_number(
    year: int,
    court_code: str,
    type_code: str,
    seq: int,
    special_code: str = "",
    *,
    suffix: str = "",
    today: Optional[date] = None,
) -> str:
    """``format_case_number(2024, "京0105", "民初", 1234)`` → ``"（2024）京0105民初1234号"``.

    Raises :class:`CaseNumberError` when a part does not follow the 规定.
    """
    _check_year(int(year), today)
    _check_court_code(court_code)
    if special_code and special_code not in SPECIAL_TRIAL_CODES:
        raise CaseNumberError("special_unknown", f"无法识别专门审判代字“{special_code}”。")
    if type_code not in TYPE_CODES:
        raise CaseNumberError("type_unknown", f"无法识别案件类型代字“{type_code}”。")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise CaseNumberError("seq_invalid", "案件编号应为从1开始的整数。")
    if suffix and not re.fullmatch(rf"之[{_CN_NUMERALS}]+", suffix):
        raise CaseNumberError("suffix_invalid", f"无法识别案号后缀“{suffix}”，应形如“之一”。")
    return CaseNumber(int(year), court_code, type_code, seq, special_code, suffix).canonical()


def parse_case_number(text: str, *, today: Optional[date] = None) -> CaseNumber:
    """Parse a case number typed by a user; raise :class:`CaseNumberError` saying which part
    was not understood.

    Accepted: （2024）京0105民初1234号, (2024)京0105民初1234号, 2024京0105民初1234号,
    〔2024〕京0105民初1234号, spaces anywhere, full-width digits, a missing 号 (or 號), 第 before
    the number, a 「案号：」 prefix and a suffix such as 之一.
    """
    s = _normalise(text)
    if not s:
        raise CaseNumberError("empty", "请您提供案号，例如“（2024）京0105民初1234号”。")
    if "字第" in s or re.search(r"字\d", s):
        raise CaseNumberError(
            "old_format",
            "这是2016年以前使用的旧式案号（含“字第”），无法按现行规则识别，请您直接提供法院名称和原案号。",
        )

    m = re.match(r"\(?(\d+)\)", s) or re.match(r"\(?(\d{4})(?!\d)", s)
    if m is None:
        if re.match(r"\(?\)", s):
            raise CaseNumberError("year_missing", "案号括号中缺少收案年度，例如“（2024）”，请您补充。")
        raise CaseNumberError(
            "year_missing",
            "案号缺少收案年度：案号应以括号中的四位年份开头，例如“（2024）京0105民初1234号”，请您补充年份。",
        )
    if len(m.group(1)) != 4:
        raise CaseNumberError(
            "year_invalid", f"收案年度“{m.group(1)}”应为四位数字，例如“（2024）”，请您核对。"
        )
    year = int(m.group(1))
    rest = s[m.end():]
    if rest.startswith(")"):
        rest = rest[1:]

    if not rest:
        raise CaseNumberError("court_missing", "案号在年份之后缺少法院代字，例如“京0105”，请您补充。")
    if rest.startswith(SUPREME_COURT_CODE):
        court_code, rest = SUPREME_COURT_CODE, rest[len(SUPREME_COURT_CODE):]
    else:
        cm = re.match(r"(\D)(\d*)", rest)
        assert cm is not None  # rest is non-empty
        head, digits = cm.group(1), cm.group(2)
        if head not in COURT_PROVINCE_CODES:
            raise CaseNumberError(
                "court_unknown",
                f"无法识别法院代字“{head}”：年份之后应为“最高法”或省份简称（如京、沪、粤、浙），请您核对。",
            )
        court_code, rest = head + digits, rest[cm.end():]
        if len(digits) > 4 and (not rest or rest[0] in "号之"):
            raise CaseNumberError(
                "type_missing",
                "案号在法院代字和案件编号之间缺少案件类型代字，例如“民初”“民终”“执”，请您补充。",
            )
        _check_court_code(court_code)

    tm = re.match(r"([^\d第号]*)第?(\d*)", rest)
    assert tm is not None  # the pattern matches the empty string
    type_text, digits = tm.group(1), tm.group(2)
    tail = rest[tm.end():]
    special = ""
    if type_text and type_text not in TYPE_CODES and type_text[0] in SPECIAL_TRIAL_CODES and type_text[1:] in TYPE_CODES:
        special, type_text = type_text[0], type_text[1:]
    if not type_text:
        raise CaseNumberError(
            "type_missing",
            f"案号在法院代字“{court_code}”之后缺少案件类型代字，例如“民初”“民终”“执”，请您补充。",
        )
    if type_text not in TYPE_CODES:
        raise CaseNumberError(
            "type_unknown",
            f"无法识别案件类型代字“{type_text}”。常见的类型代字有民初（民事一审）、民终（民事二审）、"
            "民申（申请再审）、执（执行），请您核对。",
        )
    if not digits:
        raise CaseNumberError(
            "seq_missing", f"案号在“{type_text}”之后缺少案件编号（“号”前面的数字），请您补充。"
        )
    seq = int(digits)
    if seq < 1:
        raise CaseNumberError("seq_invalid", "案件编号应从1开始，请您核对“号”前面的数字。")

    sm = re.fullmatch(rf"号?(之[{_CN_NUMERALS}]+)?号?", tail)
    if sm is None:
        raise CaseNumberError("trailing_text", f"案号末尾的“{tail}”无法识别，请您核对。")
    _check_year(year, today)
    return CaseNumber(year, court_code, type_text, seq, special, sm.group(1) or "")


def find_case_numbers(text: str, *, today: Optional[date] = None) -> list[CaseNumber]:
    """Every well-formed case number in free text, in order (matches that fail to parse are skipped)."""
    found: list[CaseNumber] = []
    for m in _CASE_NUMBER_RE.finditer(text or ""):
        try:
            found.append(parse_case_number(m.group(0), today=today))
        except CaseNumberError:
            continue
    return found
