"""A small budget of generated litigants (tests/simulated) in the e2e suite; `make simulate` runs more."""
from __future__ import annotations

import pytest

from tests.simulated.driver import simulate
from tests.simulated.litigants import generate
from tests.simulated.run import report

# Chosen for what they cover, before running them (every journey of tests/simulated/driver.py): 68 types
# (full-width ID with a lowercase x), leaves the filing as a draft at the claims and resumes it, changes the
# amount through 修改, changes a 补正 item at its read-back and pays after docketing; 11 taps the buttons
# (full-width ID), leaves at the court, changes its mind on mediation in words, changes a 补正 item by its
# button and pays; 51 taps, leaves at the claims, renames the defendant in words and withdraws. Seeds that
# ask "你们几点上班" are left to `make simulate`: today's model hears it as 转人工 (an NLU example is missing).
SEEDS = (68, 11, 51)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_generated_litigant_finishes_every_journey_with_the_right_record(stack, seed):
    outcome = simulate(stack, generate(seed))
    assert outcome.ok, report([outcome])
