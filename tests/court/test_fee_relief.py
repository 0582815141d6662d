"""司法救助 (办法 arts. 44–51) as pure rules: grounds, materials, decisions and the fee after them."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from court.rules.errors import RuleError
from court.rules.fee_relief import (
    ReliefDecision,
    ReliefError,
    apply_relief,
    check_application,
    grounds,
    required_materials,
)


def test_grounds_follow_the_articles() -> None:
    assert [g.code for g in grounds("waiver")][:2] == ["disabled_no_income", "maintenance_claim"]
    assert grounds("waiver")[0].article == "《诉讼费用交纳办法》第四十五条第（一）项"
    assert len(grounds("waiver")) == 5 and len(grounds("reduction")) == 4 and len(grounds("deferral")) == 4
    assert grounds("deferral")[1].article == "《诉讼费用交纳办法》第四十七条第（二）项"
    assert "交通事故" in grounds("deferral")[1].label
    with pytest.raises(ReliefError):
        grounds("discount")


def test_waiver_is_for_natural_persons_only() -> None:
    with pytest.raises(ReliefError) as caught:
        check_application("waiver", "other_waiver", natural_person=False)
    assert caught.value.code == "waiver_natural_persons_only"
    assert "第四十四条第二款" in caught.value.message
    assert isinstance(caught.value, RuleError)


def test_ground_of_another_kind_is_refused() -> None:
    with pytest.raises(ReliefError) as caught:
        check_application("deferral", "maintenance_claim", natural_person=True)  # a waiver ground
    assert caught.value.code == "unknown_relief_ground"
    assert "第四十七条" in caught.value.message


def test_welfare_institution_ground_is_an_organisations() -> None:
    assert check_application("reduction", "welfare_institution", natural_person=False).code == "welfare_institution"
    with pytest.raises(ReliefError):
        check_application("reduction", "welfare_institution", natural_person=True)


def test_materials_include_hardship_standard_for_living_hardship() -> None:
    materials = required_materials("waiver", "subsistence_recipient")
    assert materials[0] == "书面申请"
    assert any("公民经济困难标准" in m for m in materials)
    legal_aid = required_materials("deferral", "legal_aid")
    assert not any("公民经济困难标准" in m for m in legal_aid)
    assert any("法律援助" in m for m in legal_aid)


def test_waiver_remits_everything() -> None:
    outcome = apply_relief(D("2300.00"), ReliefDecision("waiver", "maintenance_claim", granted=True))
    assert (outcome.payable_now, outcome.deferred, outcome.remitted) == (D("0.00"), D("0.00"), D("2300.00"))
    assert "第五十一条" in outcome.basis


def test_deferral_defers_everything() -> None:
    outcome = apply_relief(D("2300.00"), ReliefDecision("deferral", "accident_victim", granted=True))
    assert (outcome.payable_now, outcome.deferred, outcome.remitted) == (D("0.00"), D("2300.00"), D("0.00"))
    assert "第四十九条" in outcome.explanation


@pytest.mark.parametrize(
    "fee, percent, payable",
    [
        ("2300.00", "30", "1610.00"),
        ("54.32", "30", "38.02"),  # 38.024
        ("108.63", "50", "54.32"),  # 54.315 → half up
        ("100.00", "99.5", "0.50"),
    ],
)
def test_reduction_computed_from_the_decision(fee: str, percent: str, payable: str) -> None:
    outcome = apply_relief(D(fee), ReliefDecision("reduction", "other_reduction", True, D(percent)))
    assert outcome.payable_now == D(payable)
    assert outcome.remitted == D(fee) - D(payable)
    assert outcome.deferred == D("0.00")
    assert "第四十六条第二款" in outcome.basis


@pytest.mark.parametrize("percent, code", [("29.99", "reduction_below_minimum"), ("100", "reduction_is_waiver"),
                                           (None, "invalid_reduction_percent")])
def test_reduction_outside_the_article_is_refused(percent: str | None, code: str) -> None:
    value = None if percent is None else D(percent)
    with pytest.raises(ReliefError) as caught:
        apply_relief(D("2300.00"), ReliefDecision("reduction", "other_reduction", True, value))
    assert caught.value.code == code


def test_refused_application_keeps_the_fee_and_says_why_in_writing() -> None:
    outcome = apply_relief(D("2300"), ReliefDecision("reduction", "other_reduction", granted=False))
    assert outcome.payable_now == D("2300.00")
    assert "书面说明" in outcome.explanation and "第四十八条第三款" in outcome.basis


def test_invalid_fee_refused() -> None:
    for fee in (D("-1"), D("NaN"), 100):
        with pytest.raises(ReliefError):
            apply_relief(fee, ReliefDecision("waiver", "other_waiver", True))  # type: ignore[arg-type]
