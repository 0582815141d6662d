"""The backend security tests run on the backend suite's own fixtures (tests/court/conftest.py):
the real app on SQLite and PostgreSQL, migrations, OpenAPI-checked responses, litigant tokens
through the real SMS-code endpoints (tests/court/authflow.py)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

COURT_TESTS = Path(__file__).resolve().parents[2] / "court"
sys.path.insert(0, str(COURT_TESTS))  # authflow, profiles, openapi_check, fake_rasa

_spec = importlib.util.spec_from_file_location("court_test_fixtures", COURT_TESTS / "conftest.py")
_fixtures = importlib.util.module_from_spec(_spec)
sys.modules["court_test_fixtures"] = _fixtures
_spec.loader.exec_module(_fixtures)
globals().update({k: v for k, v in vars(_fixtures).items() if not k.startswith("__")})
