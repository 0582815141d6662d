"""The credential the backend shows Rasa's HTTP API: a short-lived HS256 JWT with Rasa's admin role.

Rasa 3.6 (``rasa run --jwt-secret … --jwt-method HS256``) lets a token whose ``user.role`` is
``admin`` call every endpoint. One minute of validity: a token that leaks from a log is soon
useless. PyJWT only, so that the channel tests (Rasa's virtualenv) can check this very token
against Rasa's own server (tests/channels/test_court_rasa_jwt.py).
"""
from __future__ import annotations

import time
from typing import Optional

import jwt

JWT_USER = "court-backend"
JWT_LIFETIME_S = 60


def admin_jwt(secret: str, at: Optional[float] = None) -> str:
    """A token with ``{"user": {"username": "court-backend", "role": "admin"}}``, valid one minute."""
    issued = int(at if at is not None else time.time())
    return jwt.encode({"user": {"username": JWT_USER, "role": "admin"}, "iat": issued,
                       "exp": issued + JWT_LIFETIME_S}, secret, algorithm="HS256")
