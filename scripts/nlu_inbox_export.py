"""`make nlu-inbox-export`: the clerks' labels from the NLU inbox (court/services/nlu_inbox.py) as
training examples in data/nlu/inbox.yml (Rasa NLU YAML), for the next `make train`.

- Reads the backend's database (COURT_DATABASE_URL, as the backend does: court/infra/config.py).
- Keeps what inbox.yml already holds and adds the new labels; the latest label of a text wins.
- Leaves out a text already an example elsewhere in data/nlu (the training data) and any text of
  the held-out sets tests/nlu and tests/nlu-voice2: those are never written to, and never leaked
  into training (they measure the model on words it has not seen).
- "Out of scope" becomes the ``out_of_scope`` intent when the domain has it, else it is skipped.
- Texts are masked already (the label stores the masked text); square brackets and parentheses,
  which Rasa would read as entity markup, are replaced by their full-width forms.

The YAML half (`inbox_yaml`, `existing_examples`) is stdlib + PyYAML, so that the Rasa side's tests
can read the result with Rasa's own reader.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path
from typing import Iterable, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT_OF_SCOPE = "out_of_scope"
HELD_OUT = ("tests/nlu", "tests/nlu-voice2")
INBOX_FILE = "inbox.yml"
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_MARKUP = str.maketrans({"[": "［", "]": "］", "(": "（", ")": "）", "{": "｛", "}": "｝"})
HEADER = ("# Written by `make nlu-inbox-export` (scripts/nlu_inbox_export.py) from the clerks' labels in the\n"
          "# staff console's NLU inbox. Kept and extended by each export; edit by relabelling in the console.\n")


def plain(example: str) -> str:
    """An example's text without entity markup and spaces at the ends: what duplicates are found by."""
    return _ANNOTATION.sub(r"\1", example).strip()


def clean(text: str) -> str:
    """One line, no entity markup."""
    return " ".join(text.split()).translate(_MARKUP)


def _examples(path: Path) -> Iterable[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for block in data.get("nlu") or []:
        if isinstance(block, dict) and "intent" in block:
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    yield block["intent"], plain(line[2:])


def existing_examples(root: Path) -> tuple[dict[str, str], set[str], set[str]]:
    """(inbox.yml's text → intent, every other training text, every held-out text)."""
    inbox: dict[str, str] = {}
    trained: set[str] = set()
    for path in sorted((root / "data" / "nlu").glob("*.yml")):
        for intent, text in _examples(path):
            if path.name == INBOX_FILE:
                inbox[text] = intent
            else:
                trained.add(text)
    held_out = {text for folder in HELD_OUT for path in sorted((root / folder).glob("*.yml"))
                for _intent, text in _examples(path)}
    return inbox, trained, held_out


def merge(inbox: dict[str, str], labels: Iterable[tuple[str, Optional[str]]], trained: set[str], held_out: set[str],
          intents: set[str]) -> tuple[dict[str, str], dict[str, int]]:
    """inbox.yml's examples plus the labels (text, intent or None for out of scope), oldest label first."""
    merged = {text: intent for text, intent in inbox.items() if text not in trained and text not in held_out}
    skipped = {"already_trained": 0, "held_out": 0, "no_out_of_scope_intent": 0, "empty": 0}
    for text, intent in labels:
        text = clean(text)
        intent = intent or OUT_OF_SCOPE
        reason = ("empty" if not text else "already_trained" if text in trained else "held_out" if text in held_out
                  else "no_out_of_scope_intent" if intent not in intents and intent == OUT_OF_SCOPE else None)
        if reason:
            skipped[reason] += 1
            continue
        merged[text] = intent  # the latest label of a text wins
    return merged, skipped


def inbox_yaml(examples: dict[str, str]) -> str:
    """Rasa 3 NLU YAML: one block per intent (sorted), its examples sorted."""
    by_intent: dict[str, list[str]] = {}
    for text, intent in examples.items():
        by_intent.setdefault(intent, []).append(text)
    lines = [HEADER + 'version: "3.1"', "nlu:"]
    for intent in sorted(by_intent):
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {text}" for text in sorted(by_intent[intent])]
    if not by_intent:
        lines[-1] = "nlu: []"
    return "\n".join(lines) + "\n"


def domain_intents(root: Path) -> set[str]:
    sys.path.insert(0, str(root))
    from court.services.nlu_inbox import known_intents

    return set(known_intents(root / "domain.yml", root / "data" / "nlu"))


async def read_labels(database_url: str) -> list[tuple[str, Optional[str]]]:
    from sqlalchemy import select

    from court.infra.db import make_engine, make_sessionmaker
    from court.infra.models import NluLabel

    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            rows = await session.execute(select(NluLabel.text, NluLabel.intent).order_by(NluLabel.labelled_at, NluLabel.id))
            return [(text, intent) for text, intent in rows]
    finally:
        await engine.dispose()


def export(root: Path, database_url: str) -> tuple[Path, int, dict[str, int]]:
    inbox, trained, held_out = existing_examples(root)
    labels = asyncio.run(read_labels(database_url))
    merged, skipped = merge(inbox, labels, trained, held_out, domain_intents(root))
    out = root / "data" / "nlu" / INBOX_FILE
    out.write_text(inbox_yaml(merged), encoding="utf-8")
    return out, len(merged) - len(inbox), skipped


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (data/nlu, tests/nlu, domain.yml)")
    parser.add_argument("--database-url", default=None, help="default: the backend's (COURT_DATABASE_URL)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from court.infra.config import Settings

    url = args.database_url or Settings.from_env().database_url
    out, added, skipped = export(args.root, url)
    print(f"{out}: {added} new examples; skipped {skipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
