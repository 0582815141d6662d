"""Can this court hear this first-instance civil case? Level (级别管辖) and specialised (专门管辖) competence.

Why this module exists: territorial rules (``jurisdiction.py``) say *where*; this module says at
which *level* and *kind* of court, so that an ordinary loan is never filed at the Supreme People's
Court, a high court or an IP court. One call, :func:`check_competence`, answers for a court from
``courts.py``, a cause of action from ``court/data/case_types.json``, the amount in dispute and
the provinces of the parties' domiciles: accepted, or refused with a Chinese explanation, the
articles, and the level (and where one exists, the specialised court) that is competent.

Sources:
* 《中华人民共和国民事诉讼法》（2023年修正）第十八条 (basic courts hear first-instance civil cases
  unless the law provides otherwise), 第十九条 (intermediate courts: 重大涉外案件, cases of major
  impact in their area, cases the SPC assigns to them), 第二十条 (high courts: cases of major impact
  in their area), 第二十一条 (the SPC: cases of national impact, or that it decides to hear itself —
  no litigant can file a first-instance case there), 第三十九条 (a higher court may take up a case of
  a lower court: its own decision, not the filer's choice).
* 《最高人民法院关于调整中级人民法院管辖第一审民事案件标准的通知》（法发〔2021〕27号, from
  2021-10-01）第一条 (all parties domiciled inside, or all outside, the court's province: intermediate
  courts from 5亿元), 第二条 (one party outside: from 1亿元), 第五条 (not for IP, maritime, or
  foreign-related cases). 以上 includes the figure (《中华人民共和国民法典》第一千二百五十九条).
* 《最高人民法院关于调整高级人民法院和中级人民法院管辖第一审民事案件标准的通知》（法发〔2019〕14号）
  第二条: high courts from 50亿元 inclusive (or cases of major impact in their area); 第一条: that is
  also the intermediate courts' ceiling; 第四条: the same figure for IP cases.
* Internet courts: 《最高人民法院关于互联网法院审理案件若干问题的规定》（法释〔2018〕16号）第二条 —
  cases of their city that belong to basic courts, of the listed online kinds.
* IP courts: 《全国人民代表大会常务委员会关于在北京、上海、广州设立知识产权法院的决定》第二条、
  第三条; 《最高人民法院关于北京、上海、广州知识产权法院案件管辖的规定》; 《最高人民法院关于第一审
  知识产权民事、行政案件管辖的若干规定》（法释〔2022〕13号）.
* Financial courts: 《最高人民法院关于上海金融法院案件管辖的规定》（法释〔2018〕14号，2021年修正）
  第一条; 《最高人民法院关于北京金融法院案件管辖的规定》（法释〔2021〕7号）第一条 — financial civil
  and commercial cases of their city that belong to intermediate courts.
* Maritime courts: 《最高人民法院关于海事法院受理案件范围的规定》（法释〔2016〕4号）; railway courts:
  《最高人民法院关于铁路运输法院案件管辖范围的若干规定》（法释〔2012〕10号）; military courts:
  《最高人民法院关于军事法院管辖民事案件若干问题的规定》（法释〔2012〕11号）.

Not covered (the caller must not rely on it there): foreign-related and Hong Kong/Macao/Taiwan
cases (法释〔2022〕18号 has its own thresholds), and the per-province lists of basic courts with IP
jurisdiction (an IP case at a basic or intermediate court is accepted with a caution).

Standard-library only.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Sequence

from court.rules.courts import Court, all_courts
from court.rules.errors import RuleError
from court.rules.jurisdiction import internet_court_for

__all__ = [
    "CompetenceDecision",
    "CompetenceError",
    "check_competence",
    "required_level",
]

CASE_TYPES_PATH = Path(__file__).resolve().parent.parent / "data" / "case_types.json"

CPL = "《中华人民共和国民事诉讼法》"
NOTICE_2021 = "《最高人民法院关于调整中级人民法院管辖第一审民事案件标准的通知》（法发〔2021〕27号）"
NOTICE_2019 = "《最高人民法院关于调整高级人民法院和中级人民法院管辖第一审民事案件标准的通知》（法发〔2019〕14号）"
INTERNET_RULES = "《最高人民法院关于互联网法院审理案件若干问题的规定》（法释〔2018〕16号）"
IP_DECISION = "《全国人民代表大会常务委员会关于在北京、上海、广州设立知识产权法院的决定》"
IP_COURT_RULES = "《最高人民法院关于北京、上海、广州知识产权法院案件管辖的规定》"
IP_LEVEL_RULES = "《最高人民法院关于第一审知识产权民事、行政案件管辖的若干规定》（法释〔2022〕13号）"
FINANCIAL_RULES = {
    "上海市": "《最高人民法院关于上海金融法院案件管辖的规定》（法释〔2018〕14号，2021年修正）第一条",
    "北京市": "《最高人民法院关于北京金融法院案件管辖的规定》（法释〔2021〕7号）第一条",
}
MARITIME_RULES = "《最高人民法院关于海事法院受理案件范围的规定》（法释〔2016〕4号）"
RAILWAY_RULES = "《最高人民法院关于铁路运输法院案件管辖范围的若干规定》（法释〔2012〕10号）"
MILITARY_RULES = "《最高人民法院关于军事法院管辖民事案件若干问题的规定》（法释〔2012〕11号）"

HIGH_FROM = Decimal("5000000000")  # 50亿元（包含本数）: 法发〔2019〕14号第二条
INTERMEDIATE_FROM = Decimal("500000000")  # 5亿元: 法发〔2021〕27号第一条
INTERMEDIATE_CROSS_PROVINCE_FROM = Decimal("100000000")  # 1亿元: 法发〔2021〕27号第二条

LEVEL_NAMES = {
    "basic": "基层人民法院",
    "intermediate": "中级人民法院",
    "high": "高级人民法院",
    "supreme": "最高人民法院",
}
_ORDER = {"basic": 0, "intermediate": 1, "high": 2, "supreme": 3}

# 法释〔2018〕16号第二条: the causes of action an internet court hears, with the item and the fact
# that makes the case an internet one (which the litigant confirms).
INTERNET_MATTERS: dict[str, tuple[str, str]] = {
    "信息网络买卖合同纠纷": ("第（一）项", "合同通过电子商务平台签订或者履行"),
    "网络服务合同纠纷": ("第（二）项", "合同的签订、履行行为均在互联网上完成"),
    "金融借款合同纠纷": ("第（三）项", "借款合同的签订、履行行为均在互联网上完成"),
    "侵害作品信息网络传播权纠纷": ("第（五）项", "在互联网上侵害在线发表或者传播的作品的著作权或者邻接权"),
    "名誉权纠纷": ("第（七）项", "侵权行为发生在互联网上"),
    "肖像权纠纷": ("第（七）项", "侵权行为发生在互联网上"),
    "隐私权、个人信息保护纠纷": ("第（七）项", "侵权行为发生在互联网上"),
    "侵权责任纠纷": ("第（七）项", "在互联网上侵害人身权、财产权等民事权益"),
    "产品责任纠纷": ("第（八）项", "产品通过电子商务平台购买"),
}
# 金融民商事案件 of the financial courts' rules (金融借款合同、银行卡 …) among our causes of action.
FINANCIAL_MATTERS = frozenset({"金融借款合同纠纷", "信用卡纠纷"})
# Cities whose intermediate courts no longer take IP cases, the IP court does (法释〔2014〕12号第七条).
_IP_COURT_CITIES = {"京": "京73", "沪": "沪73", "粤01": "粤73"}


class CompetenceError(RuleError):
    """Input the competence check cannot use (an unknown cause of action or province)."""


@dataclass(frozen=True)
class CompetenceDecision:
    """``accepted``: the court may register the case. Otherwise ``code`` says why, ``reason`` is the
    sentence for the litigant, ``competent_level`` the level that hears it (基层/中级/高级人民法院)
    and ``competent_court`` a named specialised court where one is the competent one."""

    accepted: bool
    court_code: str
    code: Optional[str]
    reason: str
    basis: tuple[str, ...]
    competent_level: str
    competent_court: Optional[Court] = None
    notes: tuple[str, ...] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def _case_types() -> dict[str, dict[str, Any]]:
    data = json.loads(CASE_TYPES_PATH.read_text(encoding="utf-8"))
    return {entry["name"]: entry for entry in data["case_types"]}


@lru_cache(maxsize=1)
def _provinces() -> tuple[str, ...]:
    return tuple(sorted({c.province for c in all_courts() if c.province}))


def _province(text: str) -> str:
    """«浙江» / «浙江省» → 浙江省; anything else is refused."""
    cleaned = (text or "").strip()
    for name in _provinces():
        if cleaned and (cleaned == name or (len(cleaned) >= 2 and name.startswith(cleaned))):
            return name
    raise CompetenceError("unknown_province", f"无法识别当事人住所地所在的省份“{text}”，请您填写省级行政区名称，例如“浙江省”。")


def _is_ip(case: dict[str, Any]) -> bool:
    return case["part"].startswith("第五部分") or case.get("fee_category") == "ip"


def required_level(
    amount: Optional[Decimal], court_province: str, party_provinces: Sequence[str]
) -> tuple[str, tuple[str, ...]]:
    """The level that hears a (non-IP, non-foreign) first-instance civil case by its amount, and
    the articles. Party provinces are needed only when the amount is between 1亿 and 5亿元."""
    if amount is None or amount < INTERMEDIATE_CROSS_PROVINCE_FROM:
        return "basic", (f"{CPL}第十八条", f"{NOTICE_2021}第一条、第二条")
    if amount >= HIGH_FROM:
        return "high", (f"{CPL}第二十条", f"{NOTICE_2019}第二条")
    if amount >= INTERMEDIATE_FROM:
        return "intermediate", (f"{CPL}第十九条", f"{NOTICE_2021}第一条")
    if not party_provinces:
        raise CompetenceError(
            "party_provinces_needed",
            "诉讼标的额在1亿元至5亿元之间，由基层还是中级人民法院管辖取决于各方当事人的住所地是否都在"
            f"受诉法院所在省份（{NOTICE_2021}第一条、第二条），请您补充各方当事人住所地所在的省份。",
        )
    inside = {_province(p) == court_province for p in party_provinces}
    if inside == {True, False}:  # 当事人一方住所地不在受理法院所处省级行政辖区
        return "intermediate", (f"{CPL}第十九条", f"{NOTICE_2021}第二条")
    return "basic", (f"{CPL}第十八条", f"{NOTICE_2021}第一条")


def check_competence(
    court: Court,
    case_type: str,
    amount: Optional[Decimal] = None,
    party_provinces: Sequence[str] = (),
    online: Optional[bool] = None,
) -> CompetenceDecision:
    """Whether ``court`` can hear this first-instance civil case at its level and kind.

    ``case_type``: a cause of action of case_types.json. ``amount``: the amount in dispute
    (Decimal yuan; None for a non-property case). ``party_provinces``: the provinces of every
    party's domicile (plaintiffs and defendants). ``online``: whether the facts that bring the case
    to an internet court are true (None: not asked — the answer then carries a note instead).
    """
    case = _case_types().get(case_type)
    if case is None:
        raise CompetenceError("unknown_case_type", f"暂不支持案由“{case_type}”，请您从列表中选择案由。")
    if amount is not None and (not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0):
        raise CompetenceError("invalid_amount", "诉讼标的额应为不小于零的金额。")
    tier = court.tier if court.level == "special" else court.level
    if _is_ip(case):
        level, basis = _ip_level(amount)
    else:
        level, basis = required_level(amount, court.province, party_provinces)
    ctx = _Context(court, case_type, level, basis)

    if court.level == "supreme":
        return ctx.refuse(
            "supreme_court",
            f"最高人民法院只审理在全国有重大影响的案件和它认为应当由本院审理的第一审民事案件，当事人不能"
            f"直接向最高人民法院起诉（{CPL}第二十一条）。本案应向{LEVEL_NAMES[level]}起诉。",
            f"{CPL}第二十一条",
        )
    if court.level == "special":
        return _special(ctx, court, case, amount, online)
    if _is_ip(case):
        return _general_ip(ctx, court, tier)
    return _general(ctx, court, tier, online)


# --- the decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    court: Court
    case_type: str
    level: str
    basis: tuple[str, ...]

    def accept(self, reason: str, *extra: str, notes: Sequence[str] = ()) -> CompetenceDecision:
        return CompetenceDecision(
            True, self.court.code, None, reason, (*extra, *self.basis), LEVEL_NAMES[self.level], None, tuple(notes)
        )

    def refuse(
        self, code: str, reason: str, *extra: str, competent: Optional[Court] = None, notes: Sequence[str] = ()
    ) -> CompetenceDecision:
        return CompetenceDecision(
            False, self.court.code, code, reason, (*extra, *self.basis), LEVEL_NAMES[self.level], competent, tuple(notes)
        )


_HIGHER_COURT_NOTE = (
    f"上级人民法院可以决定审理下级人民法院管辖的第一审民事案件（{CPL}第三十九条），但这由法院决定，"
    "当事人应向有管辖权的法院起诉。"
)


def _general(ctx: _Context, court: Court, tier: str, online: Optional[bool]) -> CompetenceDecision:
    """A court of general jurisdiction: its level must be the level the amount gives, and cases
    concentrated at an internet or financial court of its city go there."""
    if _ORDER[tier] > _ORDER[ctx.level]:
        return ctx.refuse(
            "level_too_high",
            f"{court.name}是{LEVEL_NAMES[tier]}，本案（{ctx.case_type}）依诉讼标的额应由{LEVEL_NAMES[ctx.level]}"
            f"管辖，请您向有管辖权的{LEVEL_NAMES[ctx.level]}起诉。",
            notes=(_HIGHER_COURT_NOTE,),
        )
    if _ORDER[tier] < _ORDER[ctx.level]:
        return ctx.refuse(
            "level_too_low",
            f"本案诉讼标的额较大，依法应由{LEVEL_NAMES[ctx.level]}管辖，{court.name}"
            f"作为{LEVEL_NAMES[tier]}不能受理，请您向有管辖权的{LEVEL_NAMES[ctx.level]}起诉。",
        )
    if tier == "intermediate" and ctx.case_type in FINANCIAL_MATTERS and court.province in FINANCIAL_RULES:
        financial = next(c for c in all_courts() if c.kind == "financial" and c.province == court.province)
        return ctx.refuse(
            "financial_court",
            f"{court.province}辖区内应由中级人民法院受理的第一审金融民商事案件由{financial.name}集中管辖，"
            f"请您向{financial.name}起诉。",
            FINANCIAL_RULES[court.province],
            competent=financial,
        )
    notes: list[str] = []
    if tier == "basic" and ctx.case_type in INTERNET_MATTERS:
        internet = internet_court_for(court)
        if internet is not None:
            item, fact = INTERNET_MATTERS[ctx.case_type]
            where = f"{INTERNET_RULES}第二条{item}"
            if online:
                return ctx.refuse(
                    "internet_court",
                    f"本案{fact}，由{internet.name}集中管辖（{where}），请您向{internet.name}起诉。",
                    where,
                    competent=internet,
                )
            if online is None:
                notes.append(f"如果{fact}，本案由{internet.name}集中管辖（{where}）。")
    return ctx.accept(f"本案由{LEVEL_NAMES[ctx.level]}管辖，{court.name}的审级符合规定。", notes=notes)


def _ip_level(amount: Optional[Decimal]) -> tuple[str, tuple[str, ...]]:
    """IP cases: the amount thresholds of 法发〔2021〕27号 do not apply (第五条); courts with IP
    jurisdiction hear them at basic or intermediate level (法释〔2022〕13号), high courts only for
    the largest (法发〔2019〕14号第二条、第四条)."""
    if amount is not None and amount >= HIGH_FROM:
        return "high", (f"{CPL}第二十条", f"{NOTICE_2019}第二条")
    return "basic", (IP_LEVEL_RULES, f"{NOTICE_2021}第五条")


_IP_CAUTION = (
    "知识产权民事案件只能由具有知识产权案件管辖权的人民法院审理；发明专利、技术秘密、计算机软件等技术类案件"
    f"由知识产权法院或者指定的中级人民法院管辖（{IP_LEVEL_RULES}第一条），请先确认该院受理此类案件。"
)


def _general_ip(ctx: _Context, court: Court, tier: str) -> CompetenceDecision:
    if ctx.level == "high":
        if tier == "high":
            return ctx.accept("本案诉讼标的额在50亿元以上，由高级人民法院管辖。", notes=(_IP_CAUTION,))
        return ctx.refuse("level_too_low", "本案诉讼标的额在50亿元以上，依法应由高级人民法院管辖。")
    if tier == "high":
        return ctx.refuse(
            "level_too_high",
            f"{court.name}是高级人民法院，不直接受理本案这类第一审知识产权民事案件；请您向具有知识产权案件"
            f"管辖权的基层人民法院、中级人民法院或者知识产权法院起诉（{IP_LEVEL_RULES}）。",
            notes=(_HIGHER_COURT_NOTE,),
        )
    ip_code = _IP_COURT_CITIES.get(court.code) or _IP_COURT_CITIES.get(court.code[:1])
    if tier == "intermediate" and ip_code is not None:
        ip_court = next(c for c in all_courts() if c.code == ip_code)
        return ctx.refuse(
            "ip_court",
            f"{court.name}不再受理知识产权民事案件，应由{ip_court.name}管辖，请您向{ip_court.name}起诉"
            f"（{IP_COURT_RULES}）。",
            IP_DECISION + "第三条", IP_COURT_RULES,
            competent=ip_court,
        )
    return ctx.accept(f"知识产权民事案件可以由{LEVEL_NAMES[tier]}审理。", notes=(_IP_CAUTION,))


def _special(
    ctx: _Context, court: Court, case: dict[str, Any], amount: Optional[Decimal], online: Optional[bool]
) -> CompetenceDecision:
    """A specialised court hears only its listed matters."""
    kind = court.kind
    if kind == "internet":
        where = f"{INTERNET_RULES}第二条"
        if ctx.case_type not in INTERNET_MATTERS:
            return ctx.refuse(
                "not_internet_matter",
                f"{court.name}只审理所在市辖区内应由基层人民法院受理的网络购物、网络服务、网上金融借款、网络著作权、"
                f"网络侵权等特定类型的第一审互联网案件（{where}），不受理{ctx.case_type}，请您向有管辖权的"
                f"{LEVEL_NAMES[ctx.level]}起诉。",
                where,
            )
        if ctx.level != "basic":
            return ctx.refuse(
                "level_too_low",
                f"{court.name}只审理应由基层人民法院受理的案件（{where}）；本案依诉讼标的额应由"
                f"{LEVEL_NAMES[ctx.level]}管辖。",
                where,
            )
        item, fact = INTERNET_MATTERS[ctx.case_type]
        if online is False:
            return ctx.refuse(
                "not_internet_matter",
                f"{court.name}审理{ctx.case_type}，以{fact}为条件（{where}{item}）；本案不符合该条件，"
                f"请您向有管辖权的{LEVEL_NAMES[ctx.level]}起诉。",
                where + item,
            )
        notes = () if online else (f"须{fact}（{where}{item}），并且属于{court.region}辖区内的案件。",)
        return ctx.accept(f"{court.name}审理{fact}的{ctx.case_type}。", where + item, notes=notes)
    if kind == "ip":
        decision_basis = (IP_DECISION + "第二条", IP_COURT_RULES)
        if not _is_ip(case):
            return ctx.refuse(
                "not_ip_matter",
                f"{court.name}是知识产权专门法院，只审理知识产权案件，不受理{ctx.case_type}；请您向有管辖权的"
                f"{LEVEL_NAMES[ctx.level]}起诉。",
                *decision_basis,
            )
        return ctx.accept(f"{court.name}审理知识产权案件。", *decision_basis, notes=(_IP_CAUTION,))
    if kind == "financial":
        where = FINANCIAL_RULES.get(court.province, "")
        if ctx.case_type not in FINANCIAL_MATTERS:
            return ctx.refuse(
                "not_financial_matter",
                f"{court.name}只审理金融民商事案件，不受理{ctx.case_type}；请您向有管辖权的"
                f"{LEVEL_NAMES[ctx.level]}起诉（{where}）。",
                where,
            )
        if ctx.level != "intermediate":
            return ctx.refuse(
                "level_too_high" if ctx.level == "basic" else "level_too_low",
                f"{court.name}只审理所在市辖区内应由中级人民法院受理的第一审金融民商事案件（{where}）；本案依"
                f"诉讼标的额应由{LEVEL_NAMES[ctx.level]}管辖。",
                where,
            )
        return ctx.accept(f"{court.name}审理应由中级人民法院受理的第一审金融民商事案件。", where)
    names = {
        "maritime": ("海事法院只审理海事、海商案件", MARITIME_RULES),
        "railway": ("铁路运输法院只审理与铁路运输有关的案件以及上级人民法院指定的案件", RAILWAY_RULES),
        "military": ("军事法院只审理涉及军队的特定民事案件", MILITARY_RULES),
    }
    text, where = names.get(kind, ("专门人民法院只审理法律规定的特定案件", f"{CPL}第十八条"))
    return ctx.refuse(
        f"not_{kind}_matter",
        f"{text}（{where}），{court.name}不受理{ctx.case_type}；请您向有管辖权的{LEVEL_NAMES[ctx.level]}起诉。",
        where,
    )
