"""The backend's layers point down only (docs/architecture.md (Backend)):

    court/api  →  court/services  →  court/rules, court/infra, court/data
    court/jobs →  court/services

Read from the source with `ast`, so a forbidden import fails here even if nothing runs it:
services and rules never import the HTTP layer (court.api, court.app, aiohttp's web), the jobs
or each other's callers; rules import only the standard library (the Rasa action server imports
them too, on another Python); infra (HTTP plumbing may use aiohttp) imports
no handler, job or service but the domain errors.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

COURT = Path(__file__).resolve().parents[2] / "court"
HTTP = ("court.api", "court.app", "aiohttp.web")
UPWARD = HTTP + ("court.jobs", "court.__main__")


def _module(path: Path) -> str:
    parts = path.relative_to(COURT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module the file imports (``from aiohttp import web`` counts as ``aiohttp.web``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _files(package: str) -> list[Path]:
    return sorted((COURT / package).rglob("*.py"))


def _hits(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [f"{_module(f)} imports {name}" for f in files for name in sorted(imports_of(f))
            if any(name == bad or name.startswith(bad + ".") for bad in forbidden)]


def test_services_import_neither_handlers_nor_jobs() -> None:
    assert _hits(_files("services"), UPWARD) == []


def test_rules_and_shapes_import_only_the_standard_library_and_the_rules() -> None:
    pure = _files("rules") + [COURT / "shapes.py"]  # the Rasa action server imports these too
    outside = [f"{_module(f)} imports {name}" for f in pure for name in sorted(imports_of(f))
               if name.split(".")[0] not in sys.stdlib_module_names and not name.startswith("court.rules")
               and name != "__future__" and not name.startswith("__future__.")]
    assert outside == []


def test_infra_imports_no_service_but_the_domain_errors() -> None:
    services = [hit for hit in _hits(_files("infra"), ("court.api", "court.app", "court.jobs", "court.services"))
                if not hit.endswith("court.services.errors") and ".services.errors." not in hit]
    assert services == []


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from aiohttp import web\nimport court.api.filings\n", encoding="utf-8")
    assert {"aiohttp.web", "court.api.filings"} <= imports_of(sample)


@pytest.mark.parametrize("package", ["api", "services", "jobs", "infra", "rules"])
def test_no_module_name_is_both_at_the_top_and_in_a_package(package: str) -> None:
    top = {p.stem for p in COURT.glob("*.py")} - {"__init__", "__main__"}
    assert top & {p.stem for p in _files(package)} == set()
