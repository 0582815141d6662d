"""A small budget of generated litigants (tests/simulated) in the e2e suite; `make simulate` runs more."""
from __future__ import annotations

import pytest

from tests.simulated.driver import simulate
from tests.simulated.litigants import generate
from tests.simulated.run import report

# Chosen for what they cover, before running them: 1 taps buttons and changes the amount through 修改
# (traditional characters); 14 types everything messy (full-width ID and phone, traditional, a typo in
# the 案由) and changes the amount in words; 27 renames the defendant in words at the read-back.
SEEDS = (1, 14, 27)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_generated_litigant_finishes_every_journey_with_the_right_record(stack, seed):
    outcome = simulate(stack, generate(seed))
    assert outcome.ok, report([outcome])
