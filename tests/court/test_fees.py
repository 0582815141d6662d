"""Tests of court/rules/fees.py against 《诉讼费用交纳办法》 arts. 13–16.

The expected values come from the closed forms of the regulation's band tables (written out here
independently of fee_schedule.json), so a typo in the data shows up as a failing edge.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from court.rules import fees
from court.rules.fees import CATEGORIES, FeeInputError, FeeResult, calculate_fee, parse_amount

D = Decimal
CENT = D("0.01")

# Closed forms: (upper edge of the band or None, rate, constant): fee = rate * x + constant.
PROPERTY_FORMS = [  # art. 13(一)
    (D("10000"), D("0"), D("50")),
    (D("100000"), D("0.025"), D("-200")),
    (D("200000"), D("0.02"), D("300")),
    (D("500000"), D("0.015"), D("1300")),
    (D("1000000"), D("0.01"), D("3800")),
    (D("2000000"), D("0.009"), D("4800")),
    (D("5000000"), D("0.008"), D("6800")),
    (D("10000000"), D("0.007"), D("11800")),
    (D("20000000"), D("0.006"), D("21800")),
    (None, D("0.005"), D("41800")),
]
ENFORCEMENT_FORMS = [  # art. 14(一)2
    (D("10000"), D("0"), D("50")),
    (D("500000"), D("0.015"), D("-100")),
    (D("5000000"), D("0.01"), D("2400")),
    (D("10000000"), D("0.005"), D("27400")),
    (None, D("0.001"), D("67400")),
]
PRESERVATION_FORMS = [  # art. 14(二), before the 5,000 cap
    (D("1000"), D("0"), D("30")),
    (D("100000"), D("0.01"), D("20")),
    (None, D("0.005"), D("520")),
]
PRESERVATION_CAP = D("5000")
SCALES = {
    "property": PROPERTY_FORMS,
    "enforcement": ENFORCEMENT_FORMS,
    "preservation": PRESERVATION_FORMS,
}


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def closed_form(forms: list, amount: Decimal) -> Decimal:
    """Unrounded fee from the closed form of the band that holds ``amount``."""
    for upper, rate, constant in forms:
        if upper is None or amount <= upper:
            return rate * amount + constant
    raise AssertionError("unreachable")


def expected(category: str, amount: Decimal) -> Decimal:
    value = closed_form(SCALES[category], amount)
    if category == "preservation":
        value = min(value, PRESERVATION_CAP)
    return rounded(value)


def edges(forms: list) -> list[Decimal]:
    return [upper for upper, _, _ in forms if upper is not None]


EDGE_CASES = [
    (category, edge + delta)
    for category, forms in SCALES.items()
    for edge in edges(forms)
    for delta in (D("-0.01"), D("0"), D("0.01"))
] + [("preservation", D("896000") + delta) for delta in (D("-0.01"), D("0"), D("0.01"))]


# --- worked values and band edges -----------------------------------------------------------


@pytest.mark.parametrize(
    "amount, fee",
    [
        ("0", "50.00"),
        ("1", "50.00"),
        ("10000", "50.00"),
        ("100000", "2300.00"),
        ("1000000", "13800.00"),
        ("30000000", "191800.00"),
    ],
)
def test_property_worked_values(amount: str, fee: str) -> None:
    assert calculate_fee("property", D(amount)).fee == D(fee)


@pytest.mark.parametrize("category, amount", EDGE_CASES)
def test_band_edges_match_closed_forms(category: str, amount: Decimal) -> None:
    result = calculate_fee(category, amount)
    assert result.fee == expected(category, amount)
    assert result.fee_min is None and result.fee_max is None


@pytest.mark.parametrize("category, forms", SCALES.items())
def test_closed_forms_agree_at_each_edge(category: str, forms: list) -> None:
    # The regulation's bands are cumulative, so neighbouring closed forms meet at the edge.
    for (edge, rate, constant), (_, next_rate, next_constant) in zip(forms, forms[1:]):
        assert rate * edge + constant == next_rate * edge + next_constant, (category, edge)


@pytest.mark.parametrize(
    "category, amount, fee",
    [
        ("enforcement", "10000", "50.00"),
        ("enforcement", "500000", "7400.00"),
        ("enforcement", "5000000", "52400.00"),
        ("enforcement", "10000000", "77400.00"),
        ("enforcement", "20000000", "87400.00"),
        ("preservation", "0", "30.00"),
        ("preservation", "1000", "30.00"),
        ("preservation", "100000", "1020.00"),
        ("preservation", "895998", "4999.99"),
        ("preservation", "895999.99", "5000.00"),  # 4,999.99995 rounds up
        ("preservation", "896000", "5000.00"),
        ("preservation", "10000000000000", "5000.00"),
    ],
)
def test_application_scales(category: str, amount: str, fee: str) -> None:
    assert calculate_fee(category, D(amount)).fee == D(fee)


def test_preservation_without_amount_is_30() -> None:
    result = calculate_fee("preservation", None)
    assert result.fee == D("30.00")
    assert result.basis == "《诉讼费用交纳办法》第十四条第（二）项"


def test_preservation_cap_step_is_explained() -> None:
    result = calculate_fee("preservation", D("1000000"))
    assert result.fee == D("5000.00")
    assert any("最多不超过5,000元" in step for step in result.steps)


# --- payment order, bankruptcy --------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, fee",
    [
        ("10000", "16.67"),  # 50 / 3 = 16.666…
        ("100000", "766.67"),  # 2300 / 3
        ("1000000", "4600.00"),  # 13800 / 3
    ],
)
def test_payment_order_is_a_third_of_property_fee(amount: str, fee: str) -> None:
    result = calculate_fee("payment_order", D(amount))
    assert result.fee == D(fee)
    assert result.basis == "《诉讼费用交纳办法》第十四条第（三）项、第十三条第（一）项"


@pytest.mark.parametrize(
    "amount, fee",
    [
        ("100000", "1150.00"),
        ("100000000", "270900.00"),  # (0.005 × 10^8 + 41,800) / 2
        ("111639999.99", "300000.00"),  # 299,999.999975 rounds up to the cap
        ("111640000", "300000.00"),  # half the property fee reaches the cap exactly here
        ("111640000.01", "300000.00"),
        ("10000000000000", "300000.00"),
    ],
)
def test_bankruptcy_is_half_property_fee_capped(amount: str, fee: str) -> None:
    assert calculate_fee("bankruptcy", D(amount)).fee == D(fee)


def test_bankruptcy_just_below_cap() -> None:
    assert calculate_fee("bankruptcy", D("111639000")).fee == D("299997.50")


# --- per-case figures and ranges ------------------------------------------------------------


@pytest.mark.parametrize(
    "category, fee, basis",
    [
        ("labor", "10.00", "第十三条第（四）项"),
        ("administrative", "50.00", "第十三条第（五）项第2目"),
        ("administrative_special", "100.00", "第十三条第（五）项第1目"),
        ("public_summons", "100.00", "第十四条第（四）项"),
        ("arbitral_award", "400.00", "第十四条第（五）项"),
    ],
)
def test_fixed_figures(category: str, fee: str, basis: str) -> None:
    result = calculate_fee(category, None)
    assert result == FeeResult(
        fee=D(fee), fee_min=None, fee_max=None, basis="《诉讼费用交纳办法》" + basis, steps=result.steps
    )


def test_amount_is_ignored_where_unused() -> None:
    result = calculate_fee("labor", D("500000"))
    assert result.fee == D("10.00")
    assert any("已忽略所填金额" in step for step in result.steps)


@pytest.mark.parametrize(
    "category, amount, fee_min, fee_max",
    [
        ("divorce", None, "50.00", "300.00"),
        ("divorce", "200000", "50.00", "300.00"),
        ("divorce", "200000.01", "50.00", "300.00"),  # + 0.00005
        ("divorce", "300000", "550.00", "800.00"),  # + 0.5% × 100,000
        ("personality_rights", None, "100.00", "500.00"),
        ("personality_rights", "50000", "100.00", "500.00"),
        ("personality_rights", "100000", "600.00", "1000.00"),  # + 1% × 50,000
        ("personality_rights", "200000", "1100.00", "1500.00"),  # + 500 + 0.5% × 100,000
        ("other_non_property", None, "50.00", "100.00"),
        ("ip", None, "500.00", "1000.00"),
        ("jurisdiction_objection", None, "50.00", "100.00"),
        ("enforcement", None, "50.00", "500.00"),
    ],
)
def test_ranges(category: str, amount: str | None, fee_min: str, fee_max: str) -> None:
    result = calculate_fee(category, None if amount is None else D(amount))
    assert (result.fee, result.fee_min, result.fee_max) == (None, D(fee_min), D(fee_max))


def test_enforcement_without_amount_cites_item_1() -> None:
    assert calculate_fee("enforcement", None).basis == "《诉讼费用交纳办法》第十四条第（一）项第1目"
    assert calculate_fee("enforcement", D("1")).basis == "《诉讼费用交纳办法》第十四条第（一）项第2目"


def test_ip_with_amount_uses_property_scale() -> None:
    result = calculate_fee("ip", D("100000"))
    assert (result.fee, result.fee_min, result.fee_max) == (D("2300.00"), None, None)
    assert result.basis == "《诉讼费用交纳办法》第十三条第（三）项、第十三条第（一）项"


# --- provincial figures ---------------------------------------------------------------------

EXAMPLE = fees.SCHEDULE["provincial_figures_example"]


def test_shipped_provincial_config_is_empty_and_example_is_valid() -> None:
    assert fees.PROVINCIAL_FIGURES == {}
    for figures in EXAMPLE.values():
        for category, figure in figures.items():
            rule = fees.SCHEDULE["categories"][category]
            low, high = (D(x) for x in rule.get("without_amount", rule)["range"])
            assert low <= D(figure) <= high


def test_configured_figure_gives_fee_and_keeps_range() -> None:
    result = calculate_fee("divorce", D("300000"), province="示例省", provincial_figures=EXAMPLE)
    assert (result.fee, result.fee_min, result.fee_max) == (D("700.00"), D("550.00"), D("800.00"))
    assert "示例省的具体标准：200元" in result.steps


def test_configured_figure_is_halved_with_the_range() -> None:
    result = calculate_fee(
        "other_non_property", None, procedure="simple", province="示例省", provincial_figures=EXAMPLE
    )
    assert (result.fee, result.fee_min, result.fee_max) == (D("40.00"), D("25.00"), D("50.00"))


def test_unconfigured_province_answers_with_range() -> None:
    result = calculate_fee("divorce", None, province="浙江", provincial_figures=EXAMPLE)
    assert (result.fee, result.fee_min, result.fee_max) == (None, D("50.00"), D("300.00"))
    assert any("尚未配置浙江" in step for step in result.steps)


def test_province_is_irrelevant_for_fixed_figures() -> None:
    assert calculate_fee("labor", None, province="示例省", provincial_figures=EXAMPLE).fee == D("10.00")


def test_figure_outside_range_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="outside"):
        calculate_fee("divorce", None, province="X", provincial_figures={"X": {"divorce": "301"}})


# --- halving (arts. 15, 16) -----------------------------------------------------------------


@pytest.mark.parametrize(
    "procedure, closure, fee, basis",
    [
        ("ordinary", None, "2300.00", "第十三条第（一）项"),
        ("simple", None, "1150.00", "第十三条第（一）项、第十六条"),
        ("ordinary", "mediation", "1150.00", "第十三条第（一）项、第十五条"),
        ("ordinary", "withdrawal", "1150.00", "第十三条第（一）项、第十五条"),
        ("simple", "mediation", "1150.00", "第十三条第（一）项、第十五条、第十六条"),  # once only
        ("simple", "withdrawal", "1150.00", "第十三条第（一）项、第十五条、第十六条"),
    ],
)
def test_halving_applies_once(procedure: str, closure: str | None, fee: str, basis: str) -> None:
    result = calculate_fee("property", D("100000"), procedure=procedure, closure=closure)
    assert result.fee == D(fee)
    assert result.basis == "《诉讼费用交纳办法》" + basis


def test_both_reductions_are_explained() -> None:
    steps = calculate_fee("property", D("100000"), "simple", "mediation").steps
    assert any("不重复减半" in step for step in steps)


@pytest.mark.parametrize("category", ["labor", "administrative", "administrative_special"])
def test_fixed_acceptance_fees_are_halved(category: str) -> None:
    full = calculate_fee(category, None).fee
    assert calculate_fee(category, None, closure="withdrawal").fee == full / 2


def test_ranges_are_halved() -> None:
    result = calculate_fee("divorce", D("300000"), closure="mediation")
    assert (result.fee_min, result.fee_max) == (D("275.00"), D("400.00"))


@pytest.mark.parametrize(
    "category, amount",
    [
        ("enforcement", "100000"),
        ("preservation", "100000"),
        ("payment_order", "100000"),
        ("public_summons", None),
        ("arbitral_award", None),
        ("bankruptcy", "100000"),
    ],
)
def test_application_fees_are_never_halved(category: str, amount: str | None) -> None:
    value = None if amount is None else D(amount)
    full = calculate_fee(category, value)
    reduced = calculate_fee(category, value, procedure="simple", closure="mediation")
    assert reduced.fee == full.fee
    assert reduced.basis == full.basis
    assert any("不予减半" in step for step in reduced.steps)


# --- rounding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, procedure, fee",
    [
        ("10000.20", "ordinary", "50.01"),  # 50.005 → half up, not to even
        ("10000.40", "simple", "25.01"),  # 25.005 → half up
        ("10000.60", "ordinary", "50.02"),  # 50.015
        ("10000.19", "ordinary", "50.00"),  # 50.00475
    ],
)
def test_rounding_is_half_up(amount: str, procedure: str, fee: str) -> None:
    assert calculate_fee("property", D(amount), procedure=procedure).fee == D(fee)


def test_results_have_two_decimals() -> None:
    result = calculate_fee("divorce", D("300000"))
    assert result.fee_min.as_tuple().exponent == -2
    assert calculate_fee("labor", None).fee.as_tuple().exponent == -2


# --- every category, result shape -----------------------------------------------------------

SAMPLE_AMOUNT = {"property": D("100000"), "payment_order": D("100000"), "bankruptcy": D("100000")}


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_answers(category: str) -> None:
    result = calculate_fee(category, SAMPLE_AMOUNT.get(category))
    assert result.basis.startswith("《诉讼费用交纳办法》第十")
    assert result.steps and all(isinstance(step, str) for step in result.steps)
    assert result.fee is not None or (result.fee_min is not None and result.fee_max is not None)


def test_categories_match_the_data() -> None:
    assert set(CATEGORIES) == set(fees.SCHEDULE["categories"])


def test_steps_are_readable() -> None:
    steps = calculate_fee("property", D("100000")).steps
    assert "不超过10,000元的部分：50元" in steps
    assert "超过10,000元至100,000元的部分：90,000元 × 2.5% = 2,250元" in steps
    assert steps[-1] == "应交纳：2,300.00元"


def test_to_json_uses_strings_for_money() -> None:
    assert calculate_fee("property", D("100000")).to_json() == {
        "fee": "2300.00",
        "fee_min": None,
        "fee_max": None,
        "basis": "《诉讼费用交纳办法》第十三条第（一）项",
        "steps": list(calculate_fee("property", D("100000")).steps),
    }
    assert calculate_fee("divorce", None).to_json()["fee_min"] == "50.00"


def test_result_is_frozen() -> None:
    result = calculate_fee("labor", None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.fee = D("0")  # type: ignore[misc]


def test_int_amount_is_accepted() -> None:
    assert calculate_fee("property", 100000).fee == D("2300.00")


def test_amount_at_the_limit_is_accepted() -> None:
    assert calculate_fee("property", D(10) ** 13).fee == D("50000041800.00")


# --- input errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, code, field",
    [
        ({"category": "theft", "amount": None}, "unknown_category", "category"),
        ({"category": None, "amount": None}, "unknown_category", "category"),
        ({"category": "property", "amount": D("-1")}, "negative_amount", "amount"),
        ({"category": "property", "amount": D("-0.01")}, "negative_amount", "amount"),
        ({"category": "labor", "amount": D("-1")}, "negative_amount", "amount"),
        ({"category": "property", "amount": D("NaN")}, "invalid_amount", "amount"),
        ({"category": "property", "amount": D("sNaN")}, "invalid_amount", "amount"),
        ({"category": "property", "amount": D("Infinity")}, "invalid_amount", "amount"),
        ({"category": "property", "amount": D("-Infinity")}, "invalid_amount", "amount"),
        ({"category": "property", "amount": 1.5}, "invalid_amount", "amount"),
        ({"category": "property", "amount": True}, "invalid_amount", "amount"),
        ({"category": "property", "amount": "100"}, "invalid_amount", "amount"),
        ({"category": "property", "amount": D("100.001")}, "amount_precision", "amount"),
        ({"category": "property", "amount": D("1E-7")}, "amount_precision", "amount"),
        ({"category": "property", "amount": D("10000000000000.01")}, "amount_too_large", "amount"),
        ({"category": "property", "amount": D("1E+30")}, "amount_too_large", "amount"),
        ({"category": "property", "amount": None}, "amount_required", "amount"),
        ({"category": "payment_order", "amount": None}, "amount_required", "amount"),
        ({"category": "bankruptcy", "amount": None}, "amount_required", "amount"),
        ({"category": "labor", "amount": None, "procedure": "summary"}, "invalid_procedure", "procedure"),
        ({"category": "labor", "amount": None, "closure": "judgment"}, "invalid_closure", "closure"),
        ({"category": "labor", "amount": None, "province": 33}, "invalid_province", "province"),
    ],
)
def test_input_errors(kwargs: dict, code: str, field: str) -> None:
    with pytest.raises(FeeInputError) as caught:
        calculate_fee(**kwargs)
    assert caught.value.code == code
    assert caught.value.field == field
    assert any("\u4e00" <= char <= "\u9fff" for char in caught.value.message_zh)
    assert str(caught.value) == caught.value.message_zh


def test_amount_required_message_names_the_amount() -> None:
    with pytest.raises(FeeInputError) as caught:
        calculate_fee("bankruptcy", None)
    assert "破产财产总额" in caught.value.message_zh


def test_trailing_zeros_are_not_extra_precision() -> None:
    assert calculate_fee("property", D("100000.000")).fee == D("2300.00")


@pytest.mark.parametrize("text, value", [("100000", "100000"), ("100000.5", "100000.5"), ("0", "0"), ("-5", "-5")])
def test_parse_amount(text: str, value: str) -> None:
    assert parse_amount(text) == D(value)


@pytest.mark.parametrize("text", ["", " 100", "1e5", "1,000", "NaN", "Infinity", "１００", "1.", ".5", "+5", "1" * 41])
def test_parse_amount_rejects(text: str) -> None:
    with pytest.raises(FeeInputError) as caught:
        parse_amount(text)
    assert (caught.value.code, caught.value.field) == ("invalid_amount", "amount")


# --- properties: monotone and continuous ----------------------------------------------------

MAX_RATE = {"property": D("0.025"), "enforcement": D("0.015"), "preservation": D("0.01")}
cents = st.integers(min_value=0, max_value=10**15).map(lambda n: D(n) / 100)  # 0 … 10^13 yuan
small_cents = st.integers(min_value=0, max_value=3 * 10**9).map(lambda n: D(n) / 100)  # 0 … 3×10^7


@settings(max_examples=300)
@given(category=st.sampled_from(sorted(SCALES)), a=st.one_of(cents, small_cents), b=st.one_of(cents, small_cents))
def test_fee_is_monotone(category: str, a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert calculate_fee(category, low).fee <= calculate_fee(category, high).fee


@settings(max_examples=300)
@given(category=st.sampled_from(sorted(SCALES)), amount=small_cents)
def test_fee_matches_closed_form(category: str, amount: Decimal) -> None:
    assert calculate_fee(category, amount).fee == expected(category, amount)


@settings(max_examples=200)
@given(category=st.sampled_from(sorted(SCALES)), data=st.data())
def test_fee_is_continuous_across_edges(category: str, data: st.DataObject) -> None:
    edge = data.draw(st.sampled_from(edges(SCALES[category])))
    below = calculate_fee(category, edge - CENT).fee
    at = calculate_fee(category, edge).fee
    above = calculate_fee(category, edge + CENT).fee
    step = rounded(MAX_RATE[category] * CENT) + CENT  # one cent of rate, plus one cent of rounding
    assert D(0) <= at - below <= step
    assert D(0) <= above - at <= step


@settings(max_examples=300)
@given(category=st.sampled_from(sorted(SCALES)), amount=cents, delta=st.integers(0, 10**6).map(lambda n: D(n) / 100))
def test_fee_grows_no_faster_than_the_highest_rate(category: str, amount: Decimal, delta: Decimal) -> None:
    top = min(amount + delta, fees.MAX_AMOUNT)
    difference = calculate_fee(category, top).fee - calculate_fee(category, amount).fee
    assert D(0) <= difference <= MAX_RATE[category] * (top - amount) + CENT
