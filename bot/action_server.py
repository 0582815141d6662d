"""The action server's entry module: `rasa run actions --actions bot.action_server`.

It names both packages of custom code — `actions` (the journeys' actions) and `forms` (their
validators) — and imports every module in them, so that rasa_sdk registers each Action subclass.
Neither package imports the other to be found (docs/architecture.md).
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import actions
import forms

PACKAGES: tuple[ModuleType, ...] = (actions, forms)


def import_all(package: ModuleType) -> list[str]:
    """Import every module of `package` (rasa_sdk registers the Action subclasses it finds loaded)."""
    names = [info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    for name in names:
        importlib.import_module(name)
    return names


for _package in PACKAGES:
    import_all(_package)
