"""The real backend app, as tests/court uses it: the same fixtures (SQLite and PostgreSQL, every
response checked against the OpenAPI document) and the same helpers (authflow, profiles)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

COURT_TESTS = Path(__file__).resolve().parents[2] / "court"
sys.path.insert(0, str(COURT_TESTS))  # authflow, profiles, openapi_check, fake_rasa

_spec = importlib.util.spec_from_file_location("court_tests_conftest", COURT_TESTS / "conftest.py")
_court = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_court)
globals().update({name: value for name, value in vars(_court).items() if not name.startswith("__")})
