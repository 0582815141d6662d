"""The court's reference data, loaded in one place: the causes of action it accepts
(``case_types.json``, 《民事案件案由规定》 with aliases and fee categories). The court list
(``courts.csv``) is read by court/rules/courts.py, which owns its rules."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent
CASE_TYPES_FILE = DATA_DIR / "case_types.json"


@lru_cache(maxsize=1)
def case_type_catalogue() -> dict[str, Any]:
    """The whole file: ``regulation`` and ``case_types`` (each with name, aliases, part, fee_category…)."""
    with CASE_TYPES_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def case_types() -> list[dict[str, Any]]:
    return case_type_catalogue()["case_types"]


@lru_cache(maxsize=1)
def case_type_index() -> dict[str, dict[str, Any]]:
    """Name or alias → the cause's entry (a name wins over another cause's alias)."""
    entries = case_types()
    index: dict[str, dict[str, Any]] = {}
    for entry in entries:
        for alias in entry.get("aliases", []):
            index.setdefault(alias, entry)
    for entry in entries:
        index[entry["name"]] = entry
    return index
