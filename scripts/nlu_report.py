"""Print the NLU figures `make eval` promises, from the reports `rasa test nlu` wrote.

Usage: python scripts/nlu_report.py results/nlu   (the folder given to `rasa test nlu --out`)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

F1_FLOOR = 0.85  # every intent's F1 at least this (issue 14)


def _f1_by_intent(report: dict) -> list[tuple[float, str]]:
    """(F1, intent) for every intent of a `rasa test nlu` intent report, weakest first."""
    return sorted((v["f1-score"], k) for k, v in report.items() if isinstance(v, dict) and "f1-score" in v
                  and k not in {"macro avg", "weighted avg", "micro avg"})


def main(folder: str) -> int:
    out = Path(folder)
    intents = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    print(f"intent accuracy   {intents['accuracy']:.3f}")
    print(f"intent macro F1   {intents['macro avg']['f1-score']:.3f}")
    for name in ("DIETClassifier_report.json", "RegexEntityExtractor_report.json", "ValueExtractor_report.json"):
        path = out / name
        if path.exists():
            report = json.loads(path.read_text(encoding="utf-8"))
            avg = report.get("micro avg") or report.get("weighted avg") or {}
            print(f"entity F1 ({name.split('_')[0]:<20}) {avg.get('f1-score', 0):.3f}")
    selector = out / "response_selection_report.json"
    if selector.exists():
        print(f"faq answer accuracy {json.loads(selector.read_text(encoding='utf-8'))['accuracy']:.3f}")
    per_intent = _f1_by_intent(intents)
    print("weakest intents   " + ", ".join(f"{k} {f:.2f}" for f, k in per_intent[:5]))
    # Issue 14's floor for every intent: name the ones under it, or say that none is.
    below = [f"{k} {f:.2f}" for f, k in per_intent if f < F1_FLOOR]
    print(f"F1 under {F1_FLOOR:.2f}     " + (", ".join(below) if below else "none"))
    print(f"plots             {out / 'intent_confusion_matrix.png'}, {out / 'intent_histogram.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/nlu"))
