"""`make simulate`: N generated litigants (seeded) through every journey against the real stack;
prints each failure with the end of its transcript and the success rate (goal: 100 %).

    python -m tests.simulated.run --litigants 20 --seed 1
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from deploy.stack import start_stack
from tests.simulated.driver import Outcome, simulate
from tests.simulated.litigants import generate


def report(outcomes: list[Outcome]) -> str:
    lines = []
    for o in outcomes:
        if not o.ok:
            lines.append(f"✗ seed {o.litigant.seed} ({o.litigant.name}, change={o.litigant.change}, "
                         f"leaves_at={o.litigant.leaves_at}, messy={sorted(o.litigant.messy)}): {o.problem}")
            lines += [f"    > {said}\n    < {reply[:160]}" for said, reply in o.transcript[-3:]]
    done = sum(o.ok for o in outcomes)
    by_journey: dict[str, list[bool]] = {}
    for o in outcomes:
        for journey, ok in o.journeys.items():
            by_journey.setdefault(journey, []).append(ok)
    lines.append("journeys: " + ", ".join(f"{j} {sum(v)}/{len(v)}" for j, v in by_journey.items()))
    lines.append(f"success rate: {done}/{len(outcomes)} = {100 * done / max(1, len(outcomes)):.0f}%")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--litigants", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="simulate-"))
    stack = start_stack(var_dir=var)
    try:
        outcomes = []
        for i in range(args.litigants):  # one line per litigant as it finishes: a long run can be followed
            outcomes.append(simulate(stack, generate(args.seed * 1000 + i)))
            o = outcomes[-1]
            print(f"{'✓' if o.ok else '✗'} seed {o.litigant.seed}: {', '.join(o.journeys)}"
                  f"{'' if o.ok else ' — ' + o.problem[:120]}", flush=True)
    finally:
        stack.stop()
    print(report(outcomes))


if __name__ == "__main__":
    main()
