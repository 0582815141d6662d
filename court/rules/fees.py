"""Litigation fee calculator for 《诉讼费用交纳办法》 (State Council Order No. 481).

Why this module exists: the bot and the court backend must quote the same fee and name the same
legal basis. The regulation itself lives as data in ``fee_schedule.json`` beside this file (band
tables, per-case figures, ranges, articles); this module is the one pure function that applies it.

It is standard-library only, because the Rasa action server (Python 3.10, no aiohttp/SQLAlchemy)
imports it too. All money is ``decimal.Decimal`` in yuan, computed exactly; only the final figures
are rounded half-up to 0.01 yuan.

Rules applied (articles of 《诉讼费用交纳办法》):

* Art. 13 — case acceptance fees (案件受理费): the property scale, divorce, personality rights,
  other non-property cases, IP, labour, administrative, a failed objection to jurisdiction.
  Where the article gives a range (50–300 etc.), the exact figure is set per province (art. 13,
  last paragraph): we answer with ``fee_min``/``fee_max`` and give ``fee`` only when a provincial
  figure is configured.
* Art. 14 — application fees (申请费): enforcement, preservation (capped at 5,000), payment order
  (1/3 of the property scale), public summons, arbitral awards, bankruptcy (half the property
  scale, capped at 300,000).
* Art. 15 — closed by mediation or withdrawn: the acceptance fee is halved.
* Art. 16 — simplified procedure: the acceptance fee is halved.

* Art. 18 — a counterclaim (反诉), or a claim of a third party with an independent claim, heard
  together with the case: its acceptance fee is halved (``counterclaim=True``).
* Art. 21 — a claim raised or lowered before the end of court investigation: the fee of the new
  amount is owed, the difference paid in addition (补交) or refunded (退还): :func:`changed_claim`.

Halving halves the *rounded* full fee and rounds again (12,345元: 108.625 → 108.63 → 54.32, not
54.31 from halving 108.625): the halved figure is the full fee a judgment states, halved.

Do arts. 15, 16 and 18 stack? The regulation does not say. Each article says the acceptance fee
is "减半交纳" — it names the fee owed (half the fee of art. 13), not a reduction of an already
reduced fee — and courts in practice halve a simplified-procedure case closed by mediation or
withdrawal once only (简易程序案件调解结案或撤诉的，只减半一次，不重复减半). So by default the fee
is halved once and the basis cites every article that applies. Some courts halve twice; a court
that does sets ``compound_reductions=True`` (a per-court setting for the wiring): the fee is then
halved once per article, rounding after each halving.

Arts. 15 and 16 speak of the acceptance fee only, so art. 14 application fees are never halved
(a step says so when a reduction was asked for).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import Any, Mapping

SCHEDULE_PATH = Path(__file__).with_name("fee_schedule.json")

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 13  # 10 万亿元: anything larger is certainly a typing error
HALF = Decimal(2)

CATEGORIES = (
    "property",
    "divorce",
    "personality_rights",
    "other_non_property",
    "ip",
    "labor",
    "administrative",
    "administrative_special",
    "jurisdiction_objection",
    "enforcement",
    "preservation",
    "payment_order",
    "public_summons",
    "arbitral_award",
    "bankruptcy",
)
PROCEDURES = ("ordinary", "simple")
CLOSURES = ("mediation", "withdrawal")

ARTICLE_15 = "第十五条"  # 以调解方式结案或者当事人申请撤诉的，减半交纳案件受理费
ARTICLE_16 = "第十六条"  # 适用简易程序审理的案件减半交纳案件受理费
ARTICLE_18 = "第十八条"  # 反诉、有独立请求权的第三人的诉讼请求，决定合并审理的，分别减半交纳案件受理费
ARTICLE_21 = "第二十一条"  # 法庭调查终结前增加或者减少诉讼请求数额的，补交或者退还

_AMOUNT_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class FeeInputError(ValueError):
    """Input the calculator cannot use; ``message_zh`` is polite and can be shown to a litigant."""

    def __init__(self, code: str, message_zh: str, field: str | None) -> None:
        super().__init__(message_zh)
        self.code = code
        self.message_zh = message_zh
        self.field = field


@dataclass(frozen=True)
class FeeResult:
    """The fee (or the range when the regulation gives one), its legal basis and the steps.

    ``fee`` is None when only a range is known (no provincial figure configured);
    ``fee_min``/``fee_max`` are None when the regulation fixes one figure.
    """

    fee: Decimal | None
    fee_min: Decimal | None
    fee_max: Decimal | None
    basis: str
    steps: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; money as strings with two decimals, e.g. ``"2300.00"``."""
        return {
            "fee": _money_text(self.fee),
            "fee_min": _money_text(self.fee_min),
            "fee_max": _money_text(self.fee_max),
            "basis": self.basis,
            "steps": list(self.steps),
        }


def load_schedule(path: Path = SCHEDULE_PATH) -> dict[str, Any]:
    """Read the fee schedule; every figure is kept as the decimal string written in the file."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


SCHEDULE: dict[str, Any] = load_schedule()
REGULATION: str = SCHEDULE["regulation"]
PROVINCIAL_FIGURES: Mapping[str, Mapping[str, str]] = SCHEDULE["provincial_figures"]
PROVINCIAL_SOURCES: Mapping[str, str] = SCHEDULE["provincial_sources"]


def parse_amount(text: str) -> Decimal:
    """Parse a plain decimal string such as ``"100000"`` or ``"100000.50"``.

    Strict on purpose: no exponents, separators, NaN or infinity. Sign, precision and size are
    checked by :func:`calculate_fee`, so that every caller gets the same error codes.
    """
    if not isinstance(text, str) or len(text) > 40 or not _AMOUNT_TEXT.fullmatch(text):
        raise FeeInputError(
            "invalid_amount",
            "请输入有效的金额数字，例如“100000”或“100000.50”。",
            "amount",
        )
    return Decimal(text)


def calculate_fee(
    category: str,
    amount: Decimal | int | None,
    procedure: str = "ordinary",
    closure: str | None = None,
    province: str | None = None,
    provincial_figures: Mapping[str, Mapping[str, Decimal | str]] | None = None,
    counterclaim: bool = False,
    compound_reductions: bool = False,
    provincial_sources: Mapping[str, str] | None = None,
) -> FeeResult:
    """Compute the fee for one case or application.

    ``counterclaim``: the fee of a counterclaim or an independent third-party claim heard together
    with the case (art. 18). ``compound_reductions``: halve once per applicable article (15, 16,
    18) instead of once in all (the default; see the module doc).

    ``amount`` is the amount in dispute in yuan (Decimal or int; use :func:`parse_amount` for
    text). ``provincial_figures`` maps province → category → figure inside the range, and
    ``provincial_sources`` province → the document that fixes them (named in the steps); both
    default to the (empty) configuration shipped in ``fee_schedule.json``.
    Raises :class:`FeeInputError` for unusable input.
    """
    rule = _category_rule(category)
    amount = _checked_amount(amount)
    _check_choice(
        procedure, PROCEDURES, "invalid_procedure", "procedure",
        "审理程序请选择普通程序（ordinary）或简易程序（simple）。",
    )
    if closure is not None:
        _check_choice(
            closure, CLOSURES, "invalid_closure", "closure",
            "结案方式请选择调解结案（mediation）、撤诉（withdrawal），或不填写。",
        )
    if province is not None and not isinstance(province, str):
        raise FeeInputError("invalid_province", "省份请填写省级行政区名称，例如“浙江”。", "province")
    if provincial_figures is None:
        provincial_figures = PROVINCIAL_FIGURES
    if provincial_sources is None:
        provincial_sources = PROVINCIAL_SOURCES

    if rule["amount"] == "required" and amount is None:
        raise FeeInputError(
            "amount_required",
            f"计算{rule['label']}的费用需要{rule['amount_name']}，请补充金额后再试。",
            "amount",
        )

    with localcontext() as context:
        context.prec = 60  # exact for every amount up to MAX_AMOUNT; we round only at the end
        return _compute(
            category, rule, amount, procedure, closure, province,
            (provincial_figures, provincial_sources), bool(counterclaim), bool(compound_reductions),
        )


@dataclass(frozen=True)
class FeeChange:
    """Art. 21: the fee before and after a changed claim, and what the litigant pays or gets back.

    ``difference`` is positive for 补交 (pay in addition), negative for 退还 (refund), zero when
    the fee does not change. For a range fee (离婚 with property etc.) the per-case part is the same
    on both sides, so the difference is known even without a provincial figure.
    """

    before: FeeResult
    after: FeeResult
    difference: Decimal
    action: str  # 补交 | 退还 | 无需调整
    basis: str

    @property
    def explanation(self) -> str:
        if self.difference > 0:
            return f"诉讼请求数额增加，应按增加后的数额补交{_money(self.difference)}元（{self.basis}）。"
        if self.difference < 0:
            return f"诉讼请求数额减少，应按减少后的数额退还{_money(-self.difference)}元（{self.basis}）。"
        return f"诉讼请求数额变更后，应交纳的案件受理费不变（{self.basis}）。"


def changed_claim(
    category: str, old_amount: Decimal | int, new_amount: Decimal | int, **options: Any
) -> FeeChange:
    """The fee difference when a claim is raised or lowered before the end of court investigation
    (art. 21: 按照增加后的诉讼请求数额计算补交；按照减少后的诉讼请求数额计算退还). ``options`` are
    those of :func:`calculate_fee` (procedure, province, ...), the same on both sides."""
    before = calculate_fee(category, old_amount, **options)
    after = calculate_fee(category, new_amount, **options)
    if before.fee is not None and after.fee is not None:
        difference = after.fee - before.fee
    else:
        difference = after.fee_min - before.fee_min  # type: ignore[operator]
    action = "补交" if difference > 0 else "退还" if difference < 0 else "无需调整"
    return FeeChange(before, after, difference, action, f"{REGULATION}{ARTICLE_21}")


# --- the computation ------------------------------------------------------------------------


def _compute(
    category: str,
    rule: Mapping[str, Any],
    amount: Decimal | None,
    procedure: str,
    closure: str | None,
    province: str | None,
    provincial: tuple[Mapping[str, Mapping[str, Decimal | str]], Mapping[str, str]],
    counterclaim: bool,
    compound: bool,
) -> FeeResult:
    articles = [rule["article"]]
    steps: list[str] = [f"案件类型：{rule['label']}"]

    if rule["amount"] == "unused" and amount is not None:
        steps.append("本类按件交纳，与金额无关，已忽略所填金额")
    if amount is None and "without_amount" in rule:
        # e.g. ip without an amount: its "range" replaces the property scale (fixed/range win below)
        rule = {**rule, **rule["without_amount"]}
        articles = [rule["article"]]
        steps.append(f"未填写{rule['amount_name']}，按不涉及金额的标准交纳")

    fee: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None

    if "fixed" in rule:  # 每件交纳一个固定数额
        fee = Decimal(rule["fixed"])
        steps.append(f"每件交纳：{_yuan(fee)}元")
    elif "range" in rule:  # 每件交纳一个幅度，具体数额由各省确定
        low, high = (Decimal(figure) for figure in rule["range"])
        steps.append(f"每件交纳{_yuan(low)}元至{_yuan(high)}元")
        figure = _provincial_figure(rule, category, province, provincial, low, high, steps)
        extra = Decimal(0)
        if "surcharge" in rule and amount is not None:
            steps.append(f"{rule['amount_name']}：{_yuan(amount)}元")
            extra = _scale_fee(amount, SCHEDULE["scales"][rule["surcharge"]], steps)
            steps.append(f"另行交纳部分合计：{_yuan(extra)}元")
        low, high = low + extra, high + extra
        if figure is not None:
            fee = figure + extra
    else:  # 按比例分段累计交纳
        if rule["scale"] == "property" and category != "property":
            articles.append(SCHEDULE["categories"]["property"]["article"])  # 比照财产案件标准
        steps.append(f"{rule['amount_name']}：{_yuan(amount)}元")
        fee = _scale_fee(amount, SCHEDULE["scales"][rule["scale"]], steps)
        if "divisor" in rule:
            divisor = Decimal(rule["divisor"])
            fee = fee / divisor
            steps.append(f"按财产案件受理费标准的1/{divisor}交纳：{_yuan(_round(fee))}元")
        if "cap" in rule and fee > Decimal(rule["cap"]):
            fee = Decimal(rule["cap"])
            steps.append(f"最高不超过{_yuan(fee)}元，按{_yuan(fee)}元交纳")

    fee, low, high = _round(fee), _round(low), _round(high)  # the full fee a judgment states
    reduction = _reduction_articles(rule, procedure, closure, counterclaim, compound, steps)
    if reduction:
        articles += reduction
        if fee is not None:
            steps.insert(len(steps) - 1, f"减半前全额：{_money(fee)}元")
        for _ in range(len(reduction) if compound else 1):  # halve the rounded figure, round again
            fee, low, high = (None if x is None else _round(x / HALF) for x in (fee, low, high))

    if low is not None:
        steps.append(f"应交纳幅度：{_money(low)}元至{_money(high)}元")
    if fee is not None:
        steps.append(f"应交纳：{_money(fee)}元")
    return FeeResult(
        fee=fee,
        fee_min=low,
        fee_max=high,
        basis=REGULATION + "、".join(articles),
        steps=tuple(steps),
    )


def _scale_fee(amount: Decimal, scale: Mapping[str, Any], steps: list[str]) -> Decimal:
    """Cumulative band fee (分段累计): a flat sum up to the first band, then a rate per band."""
    bands = [(Decimal(band["above"]), Decimal(band["rate"])) for band in scale["bands"]]
    flat = Decimal(scale["flat"])
    first_edge = bands[0][0]
    if flat:
        steps.append(f"不超过{_yuan(first_edge)}元的部分：{_yuan(flat)}元")
    else:
        steps.append(f"不超过{_yuan(first_edge)}元的部分：不另行交纳")
    total = flat
    for index, (lower, rate) in enumerate(bands):
        if amount <= lower:
            break
        upper = bands[index + 1][0] if index + 1 < len(bands) else None
        top = amount if upper is None else min(amount, upper)
        part = (top - lower) * rate
        total += part
        where = f"超过{_yuan(lower)}元" + ("" if upper is None else f"至{_yuan(upper)}元")
        steps.append(f"{where}的部分：{_yuan(top - lower)}元 × {_percent(rate)} = {_yuan(part)}元")
    if "cap" in scale and total > Decimal(scale["cap"]):
        total = Decimal(scale["cap"])
        steps.append(f"最多不超过{_yuan(total)}元，按{_yuan(total)}元交纳")
    return total


def _provincial_figure(
    rule: Mapping[str, Any],
    category: str,
    province: str | None,
    provincial: tuple[Mapping[str, Mapping[str, Decimal | str]], Mapping[str, str]],
    low: Decimal,
    high: Decimal,
    steps: list[str],
) -> Decimal | None:
    """The figure a province fixed inside the range (art. 13, last paragraph), if configured."""
    if province is None:
        if rule["fee_type"] == "acceptance":
            steps.append("具体数额由各省、自治区、直辖市在幅度内确定（第十三条最后一款）")
        else:
            steps.append("具体数额以当地标准为准")
        return None
    provincial_figures, provincial_sources = provincial
    configured = provincial_figures.get(province, {}).get(category)
    if configured is None:
        steps.append(f"尚未配置{province}的具体标准，按幅度答复")
        return None
    figure = Decimal(configured)
    if not low <= figure <= high:  # a configuration error, not the litigant's
        raise ValueError(f"provincial figure {province}/{category}={figure} outside {low}–{high}")
    steps.append(f"{province}的具体标准：{_yuan(figure)}元")
    source = provincial_sources.get(province)
    if source:
        steps.append(f"{province}的标准依据：{source}")
    return figure


def _reduction_articles(
    rule: Mapping[str, Any],
    procedure: str,
    closure: str | None,
    counterclaim: bool,
    compound: bool,
    steps: list[str],
) -> list[str]:
    """Articles under which the fee is halved: once in all by default, once per article when
    ``compound`` (see module doc)."""
    reasons = []
    articles = []
    if closure is not None:
        reasons.append("以调解方式结案" if closure == "mediation" else "当事人申请撤诉")
        articles.append(ARTICLE_15)
    if procedure == "simple":
        reasons.append("适用简易程序审理")
        articles.append(ARTICLE_16)
    if counterclaim:
        reasons.append("反诉（或有独立请求权的第三人的诉讼请求）与本诉合并审理")
        articles.append(ARTICLE_18)
    if not articles:
        return []
    if rule["fee_type"] != "acceptance":
        steps.append("申请费不适用第十五条、第十六条、第十八条关于减半交纳案件受理费的规定，不予减半")
        return []
    cited = "、".join(articles)
    if len(articles) == 1:
        steps.append(f"{reasons[0]}：减半交纳（{cited}）")
    elif compound:
        steps.append(f"{'且'.join(reasons)}：按本院规定依{cited}逐项减半，每次减半后四舍五入至分")
    else:
        steps.append(f"{'且'.join(reasons)}：减半交纳，只减半一次，不重复减半（{cited}）")
    return articles


# --- input checks ---------------------------------------------------------------------------


def _category_rule(category: str) -> Mapping[str, Any]:
    if not isinstance(category, str) or category not in SCHEDULE["categories"]:
        raise FeeInputError(
            "unknown_category",
            "抱歉，暂不支持该案件类型。请选择财产案件、离婚案件、劳动争议案件、申请执行等支持的类型。",
            "category",
        )
    return SCHEDULE["categories"][category]


def _checked_amount(amount: Decimal | int | None) -> Decimal | None:
    if amount is None:
        return None
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise FeeInputError("invalid_amount", "请输入有效的金额数字，例如“100000”或“100000.50”。", "amount")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise FeeInputError("invalid_amount", "请输入有效的金额数字，例如“100000”或“100000.50”。", "amount")
    if amount < 0:
        raise FeeInputError("negative_amount", "金额不能为负数，请核对后重新输入。", "amount")
    if amount > MAX_AMOUNT:
        raise FeeInputError(
            "amount_too_large", "金额超出可计算范围（不超过10万亿元），请核对后重新输入。", "amount"
        )
    with localcontext() as context:
        context.prec = 60
        if amount != amount.quantize(CENT):
            raise FeeInputError(
                "amount_precision", "金额最多保留两位小数（精确到分），请核对后重新输入。", "amount"
            )
    return amount


def _check_choice(value: object, allowed: tuple[str, ...], code: str, field: str, message: str) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise FeeInputError(code, message, field)


# --- formatting -----------------------------------------------------------------------------


def _round(value: Decimal | None) -> Decimal | None:
    """Round half-up to 0.01 yuan (the final figures only)."""
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def _money_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _yuan(value: Decimal) -> str:
    """``Decimal('90000.00')`` → ``'90,000'``; keeps every significant decimal (``'0.00025'``)."""
    return f"{value.normalize():,f}"


def _money(value: Decimal) -> str:
    """A final figure: ``Decimal('2300.00')`` → ``'2,300.00'``."""
    return f"{value:,.2f}"


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"
