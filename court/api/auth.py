"""Bearer tokens for litigants and staff, and the clock every expiry is measured against.

How handlers use it (other modules import exactly these names and signatures)::

    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)            # 401 if no valid token
        staff = await current_staff(request, session, {"clerk", "judge"})  # 401, or 403 by role

Both take the handler's own session (one AsyncSession per request) instead of opening one, so
the caller's later reads and writes happen in the same transaction as the token check.

Tokens: ``secrets.token_urlsafe(32)`` handed out once; only its SHA-256 is stored (a stolen
database yields no usable token). A litigant token lives 24 hours, a staff token 12 hours
(one working day). A token belongs to exactly one litigant or one staff member; a staff token
is refused where a litigant token is needed and vice versa (401).

The time seam: :func:`now` (court/infra/clock.py) reads ``settings.extra["clock"]`` (a callable returning an aware
datetime) when set, else the real UTC time. Tests replace the clock to test expiry without
sleeping. Calendar dates for the court (fee deadlines, date filters) are Asia/Shanghai dates:
:data:`CHINA_TZ`, :func:`china_date` (court/services/period.py).
"""
from __future__ import annotations

import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.app_keys import SETTINGS
from court.infra.clock import now
from court.infra.models import Litigant, Staff, Token
from court.services.errors import Forbidden, Unauthenticated

log = logging.getLogger(__name__)

LITIGANT_TOKEN_TTL = timedelta(hours=24)
STAFF_TOKEN_TTL = timedelta(hours=12)

# A random secret per process when none is configured: fine for one process in development
# (pending SMS codes die with a restart); production sets COURT_SECRET_KEY.
_PROCESS_SECRET = secrets.token_bytes(32)
_warned_secret = False

MSG_NO_TOKEN = "请您先完成实名认证（或登录）后再进行此操作。"
MSG_BAD_TOKEN = "您的登录凭证无效或已过期，请重新完成实名认证（或重新登录）。"
MSG_FORBIDDEN = "您没有权限进行此操作。"


def server_secret(app: web.Application) -> bytes:
    """HMAC key for SMS codes: settings.extra["secret_key"], else $COURT_SECRET_KEY, else per process."""
    global _warned_secret
    configured = (app[SETTINGS].extra.get("secret_key") if SETTINGS in app else None) or os.environ.get(
        "COURT_SECRET_KEY"
    )
    if configured:
        return configured.encode() if isinstance(configured, str) else configured
    if not _warned_secret:
        _warned_secret = True
        log.warning("COURT_SECRET_KEY is not set: using a per-process secret (development only)")
    return _PROCESS_SECRET


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(
    session: AsyncSession,
    *,
    at: datetime,
    litigant: Optional[Litigant] = None,
    staff: Optional[Staff] = None,
    ttl: Optional[timedelta] = None,
    conversation_id: Optional[str] = None,
    channel: Optional[str] = None,
) -> tuple[str, datetime]:
    """Add a token row for one litigant or one staff member; returns (token, expires_at).

    The caller commits. ``at`` is :func:`now` of the request.
    """
    if (litigant is None) == (staff is None):
        raise ValueError("a token belongs to exactly one litigant or one staff member")
    ttl = ttl or (LITIGANT_TOKEN_TTL if litigant is not None else STAFF_TOKEN_TTL)
    token = secrets.token_urlsafe(32)
    expires_at = at + ttl
    session.add(Token(
        token_hash=hash_token(token),
        litigant_id=litigant.id if litigant is not None else None,
        staff_id=staff.id if staff is not None else None,
        conversation_id=conversation_id, channel=channel,
        expires_at=expires_at, created_at=at,
    ))
    return token, expires_at


def bearer_token(request: web.Request) -> Optional[str]:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _token_hash(request: web.Request) -> str:
    """The SHA-256 of the request's bearer token; 401 when there is none or it cannot be one."""
    token = bearer_token(request)
    if token is None:
        raise Unauthenticated("unauthorized", MSG_NO_TOKEN)
    if len(token) > 256:
        raise Unauthenticated("invalid_token", MSG_BAD_TOKEN)
    return hash_token(token)


def _check_found(request: web.Request, found: Any) -> None:
    """401 for an unknown or expired token (`found`: a row with ``expires_at``, or None)."""
    if found is None:
        raise Unauthenticated("invalid_token", MSG_BAD_TOKEN)
    if found.expires_at <= now(request.app):
        raise Unauthenticated("token_expired", MSG_BAD_TOKEN)


async def _valid_token(request: web.Request, session: AsyncSession) -> Token:
    # Looked up by its SHA-256: the timing of the lookup says nothing about a valid token.
    row = (await session.execute(select(Token).where(Token.token_hash == _token_hash(request)))).scalar_one_or_none()
    _check_found(request, row)
    return row


@dataclass(frozen=True)
class LitigantSession:
    """A litigant token's holder and the conversation it was bound to when identity was confirmed."""

    litigant: Litigant
    token_id: int
    conversation_id: Optional[str]
    channel: Optional[str]


async def current_session(request: web.Request, session: AsyncSession) -> LitigantSession:
    """The litigant token of the request with its bound conversation; 401 in Chinese otherwise."""
    token_hash = _token_hash(request)
    # One query for the token and its litigant: this runs on every litigant request.
    found = (await session.execute(
        select(Token.id, Token.expires_at, Token.conversation_id, Token.channel, Litigant)
        .join(Litigant, Litigant.id == Token.litigant_id)
        .where(Token.token_hash == token_hash)
    )).first()
    _check_found(request, found)
    return LitigantSession(found.Litigant, found.id, found.conversation_id, found.channel)


async def current_litigant(request: web.Request, session: AsyncSession) -> Litigant:
    """The verified litigant of the request's bearer token; 401 in Chinese otherwise."""
    return (await current_session(request, session)).litigant


async def current_staff(
    request: web.Request, session: AsyncSession, roles: set[str] | None = None
) -> Staff:
    """The active staff member of the bearer token (401), holding one of ``roles`` if given (403)."""
    row = await _valid_token(request, session)
    staff = await session.get(Staff, row.staff_id) if row.staff_id is not None else None
    if staff is None or not staff.active:
        raise Unauthenticated("invalid_token", MSG_BAD_TOKEN)
    if roles is not None and staff.role not in roles:
        raise Forbidden("forbidden", MSG_FORBIDDEN)
    return staff
