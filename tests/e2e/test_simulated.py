"""A small budget of generated litigants (tests/simulated) in the e2e suite; `make simulate` runs more."""
from __future__ import annotations

import pytest

from tests.simulated.driver import simulate
from tests.simulated.litigants import generate
from tests.simulated.run import report

# Chosen for what they cover, before running them (every journey of tests/simulated/driver.py): 34 types
# everything (lowercase x, traditional characters), leaves the filing as a draft at the court and resumes
# it, changes the amount in words, changes a 补正 item at its read-back and pays after docketing; 43 taps
# the buttons, leaves at the facts, changes the amount through 修改, answers the 补正 and withdraws; 48
# taps, has a full-width ID number and traditional characters, leaves at the court, renames the defendant
# in words and changes a 补正 item by its button.
SEEDS = (34, 43, 48)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_generated_litigant_finishes_every_journey_with_the_right_record(stack, seed):
    outcome = simulate(stack, generate(seed))
    assert outcome.ok, report([outcome])
