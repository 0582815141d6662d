"""Which deployment profile this Rasa process serves, as the channels need to know it.

``COURT_PROFILE=production`` (set by the production launcher for every replica) makes the
channels strict: WeChat only in safe mode with its secrets from the environment, the open
development REST channel off. Anything else — unset in `make run` and the tests — is the embedded
development profile.
"""
from __future__ import annotations

import os
from typing import Mapping

PROFILE_ENV = "COURT_PROFILE"
PRODUCTION = "production"


def is_production(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get(PROFILE_ENV, "").strip().lower() == PRODUCTION
