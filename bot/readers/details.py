"""A person's 民族 and 职业/工作单位 (and, for a defendant, the ID number if known) from one short answer.

The 2016 样式 of the 民事起诉状 describes each person by 性别, 出生日期, 民族, 职业或工作单位 and 住所
(民事诉讼法 art. 124(一)(二)). 性别 and 出生日期 come from the ID number (GB 11643-1999), never asked;
民族 and 职业 are asked together, briefly: "汉族，教师". A plaintiff knows their own; of a defendant the
plaintiff may know nothing more than the name and address, so "不清楚" is an answer there.

Pure functions over text, unit-tested in tests/bot.
"""
from __future__ import annotations

import re
from typing import Any, Optional, Union

from bot.readers.answers import ID_AS_TYPED, read_id_number
from bot.readers.parties import UNKNOWN
from bot.readers.values import normalize_text

# The 56 民族 (GB/T 3304-1991), longest first so that 土家 wins over 土 and 蒙古 over a shorter match.
ETHNIC_GROUPS = sorted((
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
    "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split(), key=len, reverse=True)
_GROUP = "|".join(ETHNIC_GROUPS)
_WITH_ZU = re.compile(rf"({_GROUP})族")  # "我是汉族的", "回族人"
_BARE = re.compile(rf"^(?:民族)?(?:是|为|[:：])?({_GROUP})族?人?$")  # a whole piece: "汉", "民族：汉"
_SEPARATORS = re.compile(r"[，,、；;。/|\s]+")
_LEAD = re.compile(r"^(?:我是|他是|她是|对方是|被告是|是|职业是?|工作单位是?|单位是?|在|从事)[:：\s]*")
_DONT_KNOW = re.compile(r"^(?:不清楚|不知道|不太清楚|不详|不晓得|忘了|都不知道|都不清楚|不了解)(?:了|的)?$")
_TRAIL = re.compile(r"(?:上班|工作|打工|任职)$")
# "民族不清楚", "职业不知道": an item declared unknown is left out, not taken for an occupation
_ITEM_UNKNOWN = re.compile(r"(?:民族|职业|工作单位|单位|身份证(?:号码?)?)(?:也|都)?(?:不清楚|不知道|不详|不晓得)")
MAX_OCCUPATION = 100

Details = Union[dict[str, str], str]


def find_ethnicity(text: str) -> tuple[Optional[str], str]:
    """("汉族", the rest of the text) or (None, text): "族" is needed inside a sentence, not alone."""
    found = _WITH_ZU.search(text)
    if found:
        return found.group(1) + "族", text[:found.start()] + "，" + text[found.end():]
    pieces = _SEPARATORS.split(text)
    for i, piece in enumerate(pieces):
        bare = _BARE.match(piece)
        if bare:
            return bare.group(1) + "族", "，".join(pieces[:i] + pieces[i + 1:])
    return None, text


def _occupation(rest: str) -> Optional[str]:
    pieces = [_TRAIL.sub("", _LEAD.sub("", p)) for p in _SEPARATORS.split(rest)]
    pieces = [p for p in pieces if p and not _DONT_KNOW.match(p) and not re.fullmatch(r"(?:民族|职业|人|的)", p)]
    text = "，".join(pieces)
    return text[:MAX_OCCUPATION] or None


def read_details(text: str, *, of_defendant: bool) -> tuple[Optional[Details], Optional[str]]:
    """({"ethnicity", "occupation", "id_number"} as known, None), (UNKNOWN, None) for a defendant's
    "不清楚", or (None, what to answer instead)."""
    s = normalize_text(text).strip(" 。.!！")
    if _DONT_KNOW.match(s):
        if of_defendant:
            return UNKNOWN, None
        return None, "请告诉我原告的民族，以及职业或工作单位，例如“汉族，教师”；没有工作的可以写“无业”或“退休”。"
    s = _ITEM_UNKNOWN.sub("，", s)
    details: dict[str, Any] = {}
    found_id = ID_AS_TYPED.search(s)
    if found_id:
        if not of_defendant:  # a plaintiff's number was asked on its own (or is the verified filer's)
            s = s[:found_id.start()] + "，" + s[found_id.end():]
        else:
            number, problem = read_id_number(found_id.group(0))
            if problem:
                return None, problem + "不知道被告的身份证号码的，可以不写。"
            details["id_number"] = number
            s = s[:found_id.start()] + "，" + s[found_id.end():]
    ethnicity, rest = find_ethnicity(s)
    if ethnicity:
        details["ethnicity"] = ethnicity
    occupation = _occupation(rest)
    if occupation:
        if len(occupation) < 2 or re.search(r"[<>{};=]", occupation):
            return None, "职业或工作单位请用文字写明，例如“教师”或“某某科技有限公司职员”。"
        details["occupation"] = occupation
    if not of_defendant and "ethnicity" not in details:
        return None, "请告诉我原告的民族，例如“汉族”；可以和职业一起写，例如“汉族，教师”。"
    if not details:
        return (UNKNOWN, None) if of_defendant else (None, None)
    return details, None
