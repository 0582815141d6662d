"""司法救助 — deferral, reduction and waiver of litigation fees (《诉讼费用交纳办法》arts. 44–51).

Why this module exists: a litigant who cannot afford the fee applies for relief with the filing
(art. 48), the clerk decides, and the fee notice follows the decision. The form needs the grounds
and the proof to ask for, the console needs to check a decision against the regulation, and the
fee notice needs the amount payable after it. The grounds are data in ``fee_relief.json``
(article and item beside each); this module applies them.

Rules:
* Art. 44 — relief is 缓交, 减交 or 免交; 免交 is for natural persons only (第二款).
* Art. 45 — grounds for 免交; art. 46 — grounds for 减交, and a reduction of at least 30 %
  (第二款: 减交比例不得低于30%); art. 47 — grounds for 缓交.
* Art. 48 — applied for in writing when filing the complaint or the appeal, with proof of
  hardship; for life hardship or basic living costs also proof of the local hardship standard;
  a refusal is explained in writing.
* Art. 49 — a deferral is decided before the decision to file the case.
* Art. 50 — who bears the fee in the end (the losing opponent; or, if the applicant loses, the
  court may reduce or waive): decided with the judgment, outside this module.
* Art. 51 — a reduction or waiver is stated in the judgment or ruling.

The payable amount after a reduction is the fee times the share left to pay, rounded half-up to
0.01 yuan (the same rounding as fees.py). Money is Decimal. Standard-library only.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from court.rules.errors import RuleError

__all__ = [
    "KINDS",
    "Ground",
    "ReliefDecision",
    "ReliefError",
    "ReliefOutcome",
    "apply_relief",
    "check_application",
    "grounds",
    "required_materials",
]

RELIEF_PATH = Path(__file__).with_name("fee_relief.json")
KINDS = ("deferral", "reduction", "waiver")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class ReliefError(RuleError):
    """An application or decision the regulation does not allow."""


@dataclass(frozen=True)
class Ground:
    kind: str
    code: str
    label: str
    article: str  # 《诉讼费用交纳办法》第四十五条第（一）项
    proof: tuple[str, ...]
    living_hardship: bool
    organisation_only: bool


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return json.loads(RELIEF_PATH.read_text(encoding="utf-8"))


def _regulation() -> str:
    return _data()["regulation"]


def _kind(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise ReliefError("unknown_relief_kind", "司法救助的方式请选择缓交、减交或者免交。")
    return _data()["kinds"][kind]


def grounds(kind: str) -> tuple[Ground, ...]:
    """The grounds of one kind of relief, in the regulation's order (for the form's choices)."""
    entry = _kind(kind)
    return tuple(
        Ground(
            kind=kind,
            code=g["code"],
            label=g["label"],
            article=f"{_regulation()}{entry['article']}{g['item']}",
            proof=tuple(g["proof"]),
            living_hardship=bool(g.get("living_hardship")),
            organisation_only=bool(g.get("organisation_only")),
        )
        for g in entry["grounds"]
    )


def check_application(kind: str, ground_code: str, natural_person: bool) -> Ground:
    """The ground an application relies on, or a refusal naming the article (arts. 44–47)."""
    entry = _kind(kind)
    found = next((g for g in grounds(kind) if g.code == ground_code), None)
    if found is None:
        raise ReliefError(
            "unknown_relief_ground",
            f"所选理由不属于{_regulation()}{entry['article']}规定的{entry['label']}情形，请您重新选择。",
        )
    if kind == "waiver" and not natural_person:
        raise ReliefError(
            "waiver_natural_persons_only",
            f"诉讼费用的免交只适用于自然人（{_regulation()}{entry['natural_person_article']}），"
            "单位可以申请缓交或者减交。",
        )
    if found.organisation_only and natural_person:
        raise ReliefError(
            "ground_for_organisations",
            f"“{found.label}”是社会福利机构和救助管理站适用的情形（{found.article}），请您选择其他理由。",
        )
    return found


def required_materials(kind: str, ground_code: str, natural_person: bool = True) -> tuple[str, ...]:
    """What the applicant submits with the filing (art. 48): the written application, proof of
    hardship, the ground's own proof, and for life hardship the local hardship-standard proof."""
    ground = check_application(kind, ground_code, natural_person)
    application = _data()["application"]
    materials = [*application["materials"], *ground.proof]
    if ground.living_hardship and kind in ("waiver", "reduction"):
        materials.append("本人及家庭经济状况符合当地民政、劳动保障等部门规定的公民经济困难标准的证明")
    return tuple(dict.fromkeys(materials))


@dataclass(frozen=True)
class ReliefDecision:
    """The court's decision on an application. ``reduction_percent``: the share of the fee the
    court remits, for 减交 only (30 ≤ p < 100)."""

    kind: str
    ground_code: str
    granted: bool
    reduction_percent: Optional[Decimal] = None
    natural_person: bool = True


@dataclass(frozen=True)
class ReliefOutcome:
    """What the fee notice says after the decision. ``payable_now`` is what the 7-day deadline of
    art. 22 applies to; ``deferred`` is paid later (缓交); ``remitted`` is not owed."""

    fee: Decimal
    payable_now: Decimal
    deferred: Decimal
    remitted: Decimal
    basis: str
    explanation: str


def apply_relief(fee: Decimal, decision: ReliefDecision) -> ReliefOutcome:
    """The fee after a relief decision. Refuses a decision the regulation does not allow: 免交
    for an organisation (art. 44), a reduction under 30 % (art. 46) or of 100 % (that is 免交)."""
    if isinstance(fee, bool) or not isinstance(fee, Decimal) or not fee.is_finite() or fee < 0:
        raise ReliefError("invalid_fee", "诉讼费用金额不正确。")
    fee = fee.quantize(CENT, rounding=ROUND_HALF_UP)
    ground = check_application(decision.kind, decision.ground_code, decision.natural_person)
    entry = _kind(decision.kind)
    regulation = _regulation()
    if not decision.granted:
        refusal = _data()["application"]
        return ReliefOutcome(
            fee, fee, Decimal("0.00"), Decimal("0.00"),
            f"{regulation}{refusal['refusal_article']}",
            f"司法救助申请未获批准，应按通知交纳诉讼费用{fee}元；法院应书面说明不予批准的理由"
            f"（{regulation}{refusal['refusal_article']}）。",
        )
    if decision.kind == "waiver":
        return ReliefOutcome(
            fee, Decimal("0.00"), Decimal("0.00"), fee,
            f"{ground.article}、{regulation}第五十一条",
            f"准予免交诉讼费用{fee}元（{ground.article}），并在法律文书中载明（{regulation}第五十一条）。",
        )
    if decision.kind == "deferral":
        return ReliefOutcome(
            fee, Decimal("0.00"), fee, Decimal("0.00"),
            f"{ground.article}、{regulation}第四十九条",
            f"准予缓交诉讼费用{fee}元（{ground.article}）；缓交应在决定立案之前决定"
            f"（{regulation}第四十九条）。",
        )
    percent = _reduction_percent(decision.reduction_percent, entry)
    payable = (fee * (HUNDRED - percent) / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    return ReliefOutcome(
        fee, payable, Decimal("0.00"), fee - payable,
        f"{ground.article}、{regulation}{entry['min_reduction_article']}、{regulation}第五十一条",
        f"准予减交诉讼费用{percent.normalize():f}%（{ground.article}），减交{fee - payable}元，"
        f"应交纳{payable}元；减交比例不得低于{entry['min_reduction_percent']}%"
        f"（{regulation}{entry['min_reduction_article']}）。",
    )


def _reduction_percent(value: Optional[Decimal], entry: dict[str, Any]) -> Decimal:
    minimum = Decimal(entry["min_reduction_percent"])
    try:
        percent = Decimal(value) if value is not None and not isinstance(value, (bool, float)) else None
    except (InvalidOperation, TypeError, ValueError):
        percent = None
    if percent is None or not percent.is_finite():
        raise ReliefError("invalid_reduction_percent", "请您填写减交比例（百分数），例如 30。")
    if percent < minimum:
        raise ReliefError(
            "reduction_below_minimum",
            f"减交比例不得低于{minimum.normalize():f}%（{_regulation()}{entry['min_reduction_article']}）。",
        )
    if percent >= HUNDRED:
        raise ReliefError("reduction_is_waiver", "减交比例应低于100%；全部不交的，请按免交处理。")
    return percent
