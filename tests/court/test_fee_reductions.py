"""Halving (办法 arts. 15, 16, 18) of the rounded fee, compounding as a setting, and art. 21 changes."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from court.rules.fees import calculate_fee, changed_claim


def test_halving_halves_the_rounded_full_fee() -> None:
    """12,345元: full fee 108.625 → 108.63; half of 108.63 is 54.315 → 54.32 (not 54.31)."""
    assert calculate_fee("property", D("12345")).fee == D("108.63")
    result = calculate_fee("property", D("12345"), procedure="simple")
    assert result.fee == D("54.32")
    assert "减半前全额：108.63元" in result.steps
    assert result.steps.index("减半前全额：108.63元") < result.steps.index("应交纳：54.32元")
    assert calculate_fee("property", D("12345"), closure="withdrawal").fee == D("54.32")


def test_by_default_reductions_do_not_compound() -> None:
    result = calculate_fee("property", D("12345"), procedure="simple", closure="mediation")
    assert result.fee == D("54.32")
    assert any("不重复减半" in step for step in result.steps)


def test_compounding_is_a_setting_rounding_after_each_halving() -> None:
    result = calculate_fee(
        "property", D("12345"), procedure="simple", closure="mediation", compound_reductions=True
    )
    assert result.fee == D("27.16")  # 54.32 / 2
    assert result.basis.endswith("第十五条、第十六条")
    assert any("逐项减半" in step for step in result.steps)
    # one article only: the setting changes nothing
    assert calculate_fee("property", D("12345"), procedure="simple", compound_reductions=True).fee == D("54.32")


def test_counterclaim_is_halved_art_18() -> None:
    result = calculate_fee("property", D("100000"), counterclaim=True)
    assert result.fee == D("1150.00")
    assert result.basis == "《诉讼费用交纳办法》第十三条第（一）项、第十八条"
    assert calculate_fee("property", D("100000"), counterclaim=True, procedure="simple").fee == D("1150.00")
    assert calculate_fee(
        "property", D("100000"), counterclaim=True, procedure="simple", compound_reductions=True
    ).fee == D("575.00")


def test_counterclaim_does_not_halve_application_fees() -> None:
    assert calculate_fee("preservation", D("100000"), counterclaim=True).fee == D("1020.00")


def test_halved_range_keeps_the_configured_figure_inside_it() -> None:
    figures = {"示例省": {"divorce": "200"}}
    result = calculate_fee("divorce", None, closure="mediation", province="示例省", provincial_figures=figures)
    assert (result.fee, result.fee_min, result.fee_max) == (D("100.00"), D("25.00"), D("150.00"))


@pytest.mark.parametrize(
    "old, new, difference, action",
    [
        ("100000", "200000", "2000.00", "补交"),  # 2,300 → 4,300
        ("200000", "100000", "-2000.00", "退还"),
        ("5000", "9000", "0.00", "无需调整"),  # both 50
    ],
)
def test_changed_claim_art_21(old: str, new: str, difference: str, action: str) -> None:
    change = changed_claim("property", D(old), D(new))
    assert change.difference == D(difference)
    assert change.action == action
    assert change.basis == "《诉讼费用交纳办法》第二十一条"
    assert action in change.explanation or "不变" in change.explanation


def test_changed_claim_of_a_range_fee_without_provincial_figure() -> None:
    """离婚 with property: 200,000 adds nothing, 400,000 adds 1,000 — the per-case part cancels out."""
    change = changed_claim("divorce", D("200000"), D("400000"))
    assert change.before.fee is None
    assert change.difference == D("1000.00")
    assert "补交1,000.00元" in change.explanation


# --- provincial figures inside the art. 13 ranges -------------------------------------------

FIGURES = {"示例省": {"divorce": "200", "personality_rights": "300", "other_non_property": "80",
                    "ip": "800", "jurisdiction_objection": "80"}}
SOURCES = {"示例省": "《示例省诉讼费用具体交纳标准的通知》（示例〔2007〕1号）"}


@pytest.mark.parametrize(
    "category, low, high, figure",
    [
        ("divorce", "50", "300", "200"),
        ("personality_rights", "100", "500", "300"),
        ("other_non_property", "50", "100", "80"),
        ("ip", "500", "1000", "800"),  # without an amount
        ("jurisdiction_objection", "50", "100", "80"),
    ],
)
def test_range_and_configured_figure_with_its_source(category: str, low: str, high: str, figure: str) -> None:
    configured = calculate_fee(category, None, province="示例省", provincial_figures=FIGURES,
                               provincial_sources=SOURCES)
    assert (configured.fee, configured.fee_min, configured.fee_max) == (D(figure), D(low), D(high))
    assert any(step.endswith("（示例〔2007〕1号）") for step in configured.steps)
    default = calculate_fee(category, None, province="浙江省", provincial_figures=FIGURES)
    assert (default.fee, default.fee_min, default.fee_max) == (None, D(low), D(high))


def test_shipped_configuration_has_no_unsourced_figure() -> None:
    from court.rules import fees

    assert set(fees.PROVINCIAL_FIGURES) <= set(fees.PROVINCIAL_SOURCES)
