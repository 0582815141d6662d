"""Generated litigants: their own facts and their own way of typing (issue 14).

Facts are drawn at random (seeded), never chosen to suit the bot: common surnames including 谢/钱/高/文
(a first character that is also a word), valid ID numbers, amounts, places, courts; and messy typing:
full-width digits, a lowercase x, traditional characters, a homophone typo in the 案由, a FAQ question
at a random point, a change at the read-back. Pure (random.Random in, facts out).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Optional

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘钱文"
GIVEN = "芳伟娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰多福春梅建国志红晓东海燕雪"
# Districts of Beijing whose 区 court is in the backend's list, with a street each.
PLACES = [("北京市朝阳区", "建国路", "北京市朝阳区人民法院"), ("北京市海淀区", "中关村大街", "北京市海淀区人民法院"),
          ("北京市东城区", "东直门内大街", "北京市东城区人民法院"), ("北京市西城区", "西直门外大街", "北京市西城区人民法院"),
          ("北京市丰台区", "丰台路", "北京市丰台区人民法院")]
# 案由 with the amount-based claim people write, and a homophone typo of each.
CASES = [("民间借贷纠纷", "民间借代纠纷", "判令被告归还借款{wan}万元"),
         ("买卖合同纠纷", "买卖和同纠纷", "判令被告支付货款{wan}万元"),
         ("房屋租赁合同纠纷", "房屋租凭合同纠纷", "判令被告支付拖欠的房租{wan}万元")]
QUESTIONS = ["立案要准备什么材料", "起诉有时间限制吗", "你们几点上班", "电子送达是什么意思"]
CHANGES = ["amount_words", "mediation_words", "defendant_words", "amount_buttons", None]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
TRADITIONAL = str.maketrans({"借": "借", "贷": "貸", "还": "還", "钱": "錢", "万": "萬", "元": "元", "条": "條",
                             "记": "記", "录": "錄", "银": "銀", "转": "轉", "账": "賬", "约": "約", "归": "歸"})
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random) -> str:
    """A valid 居民身份证号码 (GB 11643-1999: Beijing address code, a real birth date, MOD 11-2 check)."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
    body = f"1101{rng.choice(['01', '02', '05', '06', '08'])}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    check = (12 - sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


def person_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if name not in taken:
            taken.add(name)
            return name


@dataclass
class Litigant:
    """One generated litigant: what they will say, and what the database must hold afterwards."""

    seed: int
    name: str
    id_number: str
    phone: str
    address: str
    defendant: str
    defendant_address: str
    court: str
    case_type: str
    case_type_typed: str
    claims: str
    wan: int
    facts: str
    evidence: str
    mediation: bool
    e_service: bool
    press_buttons: bool  # taps the buttons offered, or types the answer
    messy: set[str] = field(default_factory=set)  # full_width_id, lowercase_x, full_width_phone, traditional
    digress_at: Optional[str] = None  # the question before which a FAQ is asked
    digression: str = ""
    change: Optional[str] = None  # what is changed at the read-back
    new_defendant: str = ""
    new_wan: int = 0
    details: str = "汉族，职员"  # 民族 and 职业 (民事起诉状样式), as typed
    defendant_details: str = "不清楚"  # what the plaintiff knows of the defendant
    # the journeys beyond the filing (drawn by `journeys`, so the facts above stay those of their seed)
    question: str = "立案要准备什么材料"  # a FAQ asked before anything else
    leaves_at: Optional[str] = None  # the question at which the filing is left as a draft, then resumed
    correction: bool = False  # the clerk asks for 补正; the litigant answers every item
    correction_edit: bool = False  # and changes the first item at the 补正 read-back
    defendant_phone: str = ""
    pays: bool = False  # the clerk dockets the case and the litigant pays; otherwise withdraws

    @property
    def amount(self) -> str:
        return f"{(self.new_wan if self.change in ('amount_words', 'amount_buttons') else self.wan) * 10000:.2f}"

    @property
    def final_defendant(self) -> str:
        return self.new_defendant if self.change == "defendant_words" else self.defendant

    @property
    def final_mediation(self) -> bool:
        return True if self.change == "mediation_words" else self.mediation

    def typed_id(self) -> str:
        text = self.id_number.lower() if "lowercase_x" in self.messy else self.id_number
        return text.translate(FULL_WIDTH) if "full_width_id" in self.messy else text

    def typed_phone(self) -> str:
        return self.phone.translate(FULL_WIDTH) if "full_width_phone" in self.messy else self.phone

    def typed(self, text: str) -> str:
        return text.translate(TRADITIONAL) if "traditional" in self.messy else text


def generate(seed: int) -> Litigant:
    rng = random.Random(seed)
    taken: set[str] = set()
    home, defendant_home = rng.sample(PLACES, 2)
    case_type, typo, claim = rng.choice(CASES)
    wan = rng.randrange(1, 50)
    mediation = rng.random() < 0.5
    change = rng.choice(CHANGES)
    if change == "mediation_words" and mediation:
        change = None  # already agreed: nothing to change
    name = person_name(rng, taken)
    return Litigant(
        seed=seed, name=name, id_number=id_number(rng), phone=f"{rng.choice(['13', '15', '18'])}{rng.randrange(10**9):09d}",
        address=f"{home[0]}{home[1]}{rng.randrange(1, 200)}号", defendant=person_name(rng, taken),
        defendant_address=f"{defendant_home[0]}{defendant_home[1]}{rng.randrange(1, 200)}号",
        court=defendant_home[2], case_type=case_type, case_type_typed=typo if rng.random() < 0.3 else case_type,
        claims=claim.format(wan=wan), wan=wan,
        facts=f"{rng.randrange(2018, 2025)}年{rng.randrange(1, 13)}月被告向我借款{wan}万元，约定一年归还，至今未还。",
        evidence=rng.choice(["借条、银行转账记录", "借条和微信聊天记录", "转账记录", "暂无"]),
        mediation=mediation, e_service=rng.random() < 0.7, press_buttons=rng.random() < 0.5,
        messy={m for m in ("full_width_id", "lowercase_x", "full_width_phone", "traditional") if rng.random() < 0.3},
        digress_at=rng.choice([None, "claims", "evidence", "facts", "defendant_address", "court"]),
        digression=rng.choice(QUESTIONS), change=change, new_defendant=person_name(rng, taken),
        new_wan=wan + rng.randrange(1, 10), **details(seed), **journeys(seed),
    )


ETHNICITIES = ["汉族"] * 8 + ["回族", "满族", "壮族", "蒙古族"]
JOBS = ["教师", "个体户", "退休", "无业", "公司职员", "务农", "司机", "某某科技有限公司职员"]


def details(seed: int) -> dict[str, str]:
    """民族/职业 from a generator of their own, so the facts drawn above stay those of their seed."""
    rng = random.Random(seed * 7919 + 1)
    said = rng.choice(["{e}，{j}", "{e} {j}", "{e}，职业是{j}", "我是{e}的，{j}"])
    return {"details": said.format(e=rng.choice(ETHNICITIES), j=rng.choice(JOBS)),
            "defendant_details": rng.choice(["不清楚", "不知道", "汉族", "不太清楚"])}


OUTSIDE_QUESTIONS = ["立案要准备什么材料", "起诉有时间限制吗", "你们几点上班", "电子送达是什么意思", "什么是诉前调解",
                     "交不起诉讼费怎么办", "证据不够能起诉吗"]
LEAVE_AT = [None, None, "defendant_address", "claims", "facts", "court"]


def journeys(seed: int) -> dict[str, object]:
    """Which journeys beyond the filing this litigant goes through, from a generator of their own."""
    rng = random.Random(seed * 7919 + 2)
    return {"question": rng.choice(OUTSIDE_QUESTIONS), "leaves_at": rng.choice(LEAVE_AT),
            "correction": rng.random() < 0.6, "correction_edit": rng.random() < 0.4,
            "defendant_phone": f"13{rng.randrange(10**9):09d}", "pays": rng.random() < 0.5}
