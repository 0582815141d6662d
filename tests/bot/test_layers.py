"""The Rasa side's layers point only down (docs/architecture.md):

    bot.action_server (entry)  →  actions, forms  →  floor (bot/…)  →  court.rules

Actions never import validators (forms) and validators never import actions; the floor imports
neither; and of the backend only the pure rules in court.rules and the shapes in court.shapes are imported. Imports are read
with ast from every module, including imports inside functions.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]
# bot/ modules that sit above the floor: the entry module, the NLU components, the channels.
ABOVE_FLOOR = ("bot.action_server", "bot.nlu", "bot.channels")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def layer(name: str) -> Optional[str]:
    """The layer of a first-party module, or None for the standard library and third parties."""
    if is_under(name, ("actions",)):
        return "actions"
    if is_under(name, ("forms",)):
        return "forms"
    if is_under(name, ABOVE_FLOOR):
        return "entry"
    if is_under(name, ("bot",)):
        return "floor"
    if is_under(name, ("deploy",)):
        return "deploy"
    # court.shapes declares the party's fields once, standard library only, for both runtimes.
    if is_under(name, ("court.rules", "court.shapes")):
        return "rules"
    if is_under(name, ("court",)):
        return "backend"
    return None


# What each layer may import (besides the standard library and third parties).
ALLOWED = {
    "actions": {"actions", "floor", "rules"},
    "forms": {"forms", "floor", "rules"},
    "floor": {"floor", "rules"},
}


def imported(source: str, name: str) -> Iterator[str]:
    """Every module named by an import statement anywhere in `source` (module `name`)."""
    package = name.rsplit(".", 1)[0] if "." in name else name
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                yield ".".join(base + ([node.module] if node.module else []))
            elif node.module:
                yield node.module


def upward_arrows(source: str, name: str) -> list[str]:
    """"a → b" for every import of `name` that its layer may not make."""
    own = layer(name)
    allowed = ALLOWED.get(own or "", set())
    return [f"{name} ({own}) → {target} ({layer(target)})" for target in imported(source, name)
            if layer(target) is not None and layer(target) not in allowed]


def checked_modules() -> list[Path]:
    paths = sorted((ROOT / "actions").rglob("*.py")) + sorted((ROOT / "forms").rglob("*.py"))
    paths += [p for p in sorted((ROOT / "bot").rglob("*.py")) if layer(module_name(p)) == "floor"]
    return paths


def test_the_floor_actions_and_forms_are_all_checked():
    names = {module_name(p) for p in checked_modules()}
    assert {"bot.court_client", "bot.texts", "bot.tracker", "bot.readers.values", "actions.filing",
            "forms.filing"} <= names
    assert not any(is_under(n, ABOVE_FLOOR) for n in names)


@pytest.mark.parametrize("path", checked_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_points_up_or_sideways(path: Path):
    assert upward_arrows(path.read_text(encoding="utf-8"), module_name(path)) == []


def test_the_entry_module_names_both_packages():
    targets = set(imported((ROOT / "bot" / "action_server.py").read_text(encoding="utf-8"), "bot.action_server"))
    assert {"actions", "forms"} <= targets


@pytest.mark.parametrize("name, source, arrow", [
    ("actions.filing", "from forms.drafts import draft_data", "actions.filing (actions) → forms.drafts (forms)"),
    ("forms.upload", "def f():\n    import actions.upload", "forms.upload (forms) → actions.upload (actions)"),
    ("bot.texts", "from actions.messages import QUESTIONS", "bot.texts (floor) → actions.messages (actions)"),
    ("bot.readers.lists", "from . import forms_like\nfrom bot.channels import wechat",
     "bot.readers.lists (floor) → bot.channels (entry)"),
    ("actions.fees", "from court.fees import calculate", "actions.fees (actions) → court.fees (backend)"),
    ("bot.court_client", "from deploy.stack import ROOT", "bot.court_client (floor) → deploy.stack (deploy)"),
])
def test_the_check_finds_an_arrow_that_points_up(name, source, arrow):
    assert arrow in upward_arrows(source, name)


def test_downward_imports_pass_the_check():
    source = ("from bot.court_client import CourtClient\nfrom court.rules.phone import mask_phone\n"
              "import rasa_sdk\nfrom actions.upload import on_widget")
    assert upward_arrows(source, "actions.correction") == []
