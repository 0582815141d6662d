"""Reading a litigant's answers: names, party kinds, and what they say at the confirmation step.

Pure functions, so that the validators stay thin and every rule here is unit-tested.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from bot.readers.values import normalize_text
from court.rules.idcard import IdNumberError, validate_id_number

# 18 characters of an ID number with the spaces or dashes people type between them.
ID_AS_TYPED = re.compile(r"[0-9][0-9\s-]{15,22}[0-9Xx]")
# What people put before the answer itself: "我叫张三", "原告是张三", "被告：某公司".
_LEADING = re.compile(
    r"^(?:(?:我的|他的|她的|对方的)?(?:名字|姓名|全称|名称)?(?:是|叫|为|：|:)?\s*)?"
    r"(?:我叫|我是|本人|原告是|原告叫|原告|被告是|被告叫|被告|起诉的是|告的是|要告|告|对方是|对方叫|是|叫)?"
    r"[:：\s]*"
)
_TRAILING = re.compile(r"[。.!！~～\s]*$|(?:吧|啊|呀|哈|呢)$")
_NAME_OK = re.compile(r"^[\u4e00-\u9fffA-Za-z·•.\s（）()]{2,60}$")
_ORG_HINT = re.compile(
    r"(?:公司|有限|集团|企业|厂|店|行|银行|中心|学校|大学|学院|医院|委员会|协会|研究所|事务所|合作社|酒店|商场|超市|物业|局|院|社|部|站|馆|所)$"
)


def clean_name(text: str) -> Optional[str]:
    """The name inside an answer such as "原告是张三。", or None when it does not look like a name."""
    s = normalize_text(text)
    s = _LEADING.sub("", s, count=1)
    s = _TRAILING.sub("", s).strip()
    if not _NAME_OK.match(s) or len(s.split()) > 3:  # "My name is John" is a sentence, not a name
        return None
    return s


def party_kind(name: str) -> str:
    """"organisation" for names that end like one (公司, 银行, 医院 …), else "person"."""
    return "organisation" if _ORG_HINT.search(name) or len(name) > 8 else "person"


# Common surnames (single and compound), enough to tell a short name from a greeting or thanks.
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
                "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
                "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
                "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
                "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
                "查麻苑迟邝")
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                      "夏侯", "令狐", "端木", "独孤", "南宫")
_COURTESY = re.compile(r"^(?:谢谢|谢了|谢啦|多谢|感谢|你好|您好|早上好|下午好|晚上好|在吗|在不在|哈喽|嗨)")
# Chitchat intents that a short name can be taken for: 谢芳 → thank, 孙七 → greet.
NAME_LOOKALIKE_INTENTS = {"greet", "thank"}


def name_despite_intent(text: str, intent: Optional[str]) -> Optional[str]:
    """The name in an answer that the classifier heard as a greeting or thanks, else None.

    Asked for a name, "谢芳" or "孙七" is a name: a person's (a common surname and one to three
    more characters) or an organisation's; "谢谢" and "你好" are not."""
    if intent not in NAME_LOOKALIKE_INTENTS:
        return None
    name = clean_name(text)
    if name is None or _COURTESY.match(name):
        return None
    return name if party_kind(name) == "organisation" or looks_like_person(name) else None


def looks_like_person(name: str) -> bool:
    """A common surname (single or compound) and one to four more characters: 谢芳, 欧阳娜娜."""
    compound = name.startswith(_COMPOUND_SURNAMES)
    return bool(re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", name)) and (compound or name[0] in _SURNAMES)


# Intents that ask for another journey: an answer the classifier heard as one of them must look like
# what was asked ("我想起诉" is not a name), else the form explains and asks again.
REQUEST_INTENTS = {"file_case", "query_status", "pay_fee", "cancel_filing", "upload_evidence", "request_human",
                   "submit_correction", "apply_enforcement", "ask_enforcement_status", "request_case_file",
                   "goodbye"}


# Intents that leave a form's current question to a rule (digressions, stop): never slot values.
# The domain's from_text mappings list the same intents under not_intent.
DIGRESSIONS = {"stop", "faq", "query_status", "request_human", "bot_challenge", "ask_fee", "greet", "thank"}


# Words that name a field of the filing, most specific first.
FIELD_WORDS: list[tuple[str, str]] = [
    ("e_service_consent", r"送达"),
    ("mediation_consent", r"调解"),
    ("evidence", r"证据"),
    ("case_type", r"案由|案件类型|纠纷类型|类型"),
    ("court", r"法院"),
    ("defendant_name", r"被告|对方"),
    ("plaintiff_name", r"原告|我的名字|姓名|名字|身份证|证件号|电话|手机|联系方式|住址|地址|住所"),
    ("claims", r"诉讼请求|请求|诉求"),
    ("amount", r"金额|标的|钱|数额|多少万"),
    ("facts", r"事实|理由|经过"),
]


def field_mentioned(text: str) -> Optional[str]:
    """Which field of the filing a correction talks about ("被告名字写错了" → defendant_name)."""
    for slot, pattern in FIELD_WORDS:
        if re.search(pattern, text):
            return slot
    return None


_YES = re.compile(r"^(?:确认|确认提交|提交|确定|没问题|对|对的|是的|是|好|好的|可以|没错|无误|ok|OK|嗯+)[。.!！\s]*$")
_CHANGE = re.compile(r"修改|改一下|改成|改为|不对|错了|写错|有误|不是|更正")


@dataclass(frozen=True)
class Confirmation:
    """What an answer at the confirmation step means."""

    confirmed: bool = False
    wants_change: bool = False
    field: Optional[str] = None


def read_confirmation(text: str, intent: Optional[str]) -> Confirmation:
    """确认 → confirmed; "不对，金额是8万" → a change to `amount`; plain 不对 → a change, field unknown."""
    s = normalize_text(text)
    field = field_mentioned(s)
    if field is None and (intent == "affirm" or _YES.match(s)) and not _CHANGE.search(s):
        return Confirmation(confirmed=True)
    if field is not None or intent == "deny" or _CHANGE.search(s):
        return Confirmation(wants_change=True, field=field)
    return Confirmation()


def read_id_number(text: str) -> tuple[Optional[str], Optional[str]]:
    """(the checked ID number, None) or (None, a Chinese explanation), from an answer like "身份证是…"."""
    s = normalize_text(text)
    found = ID_AS_TYPED.search(s)
    try:
        return validate_id_number(found.group(0) if found else s).number, None
    except IdNumberError as err:
        return None, err.message


_YES_NO = re.compile(r"^(?:是|是的|对|对的|嗯|好|本人|我是|我就是|我本人|是我|yes|y)")
_AGENT = re.compile(r"代|替|帮|不是|否|不|别人|他人|家人|朋友|公司")


def read_is_self(text: str, intent: Optional[str]) -> Optional[bool]:
    """"是，我是原告" → True; "不是，我帮我爸起诉" → False; anything else → None."""
    s = normalize_text(text)
    if _AGENT.search(s) or intent == "deny":
        return False
    if _YES_NO.match(s) or intent == "affirm":
        return True
    return None
