"""Staff login limits (issue 9, finding 6): a password cannot be guessed without end.

Every failed login is a row of ``staff_login_failures``. Before the password is even checked:
* an account with ``ACCOUNT_LIMIT`` failures within ``WINDOW`` is locked for ``LOCKOUT`` after the
  last of them — the right password is refused too, until the time passes or an admin unlocks it
  (``DELETE /api/v1/staff/accounts/{username}/lockout`` or ``python -m court unlock-staff``);
* a client address with ``ADDRESS_LIMIT`` failures within ``WINDOW`` (any accounts) waits until the
  oldest of them leaves the window — guessing across many usernames from one place.
Both answer 429 with a Chinese message and Retry-After. A successful login clears its account's rows.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import StaffLoginFailure
from court.services.errors import TooManyAttempts

WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20

MSG_LOCKED = "该账号登录失败次数过多，已被暂时锁定，请{minutes}分钟后再试，或请管理员解锁。"
MSG_ADDRESS = "您所在网络的登录失败次数过多，请{minutes}分钟后再试。"


def _seconds(until: datetime, at: datetime) -> int:
    return max(1, math.ceil((until - at).total_seconds()))


async def _recent(session: AsyncSession, column, value: str, at: datetime) -> tuple[int, datetime | None, datetime | None]:
    """(count, oldest, newest) of the failures for this username or address within the window."""
    row = (await session.execute(
        select(func.count(), func.min(StaffLoginFailure.at), func.max(StaffLoginFailure.at))
        .where(column == value, StaffLoginFailure.at > at - WINDOW)
    )).one()
    return row[0], row[1], row[2]


def _refuse(code: str, message: str, until: datetime, at: datetime) -> TooManyAttempts:
    seconds = _seconds(until, at)
    return TooManyAttempts(code, message.format(minutes=math.ceil(seconds / 60)), retry_after=seconds)


async def check_login_allowed(session: AsyncSession, username: str, address: str, at: datetime) -> None:
    """Raise :class:`TooManyAttempts` (429) when the account is locked or the address throttled."""
    count, _oldest, newest = await _recent(session, StaffLoginFailure.username, username, at)
    if count >= ACCOUNT_LIMIT and newest is not None and newest + LOCKOUT > at:
        raise _refuse("account_locked", MSG_LOCKED, newest + LOCKOUT, at)
    count, oldest, _newest = await _recent(session, StaffLoginFailure.address, address, at)
    if count >= ADDRESS_LIMIT and oldest is not None:
        raise _refuse("too_many_logins", MSG_ADDRESS, oldest + WINDOW, at)


async def record_failure(session: AsyncSession, username: str, address: str, at: datetime) -> None:
    """Count one failed login (committed)."""
    session.add(StaffLoginFailure(username=username, address=address[:64], at=at))
    await session.commit()


async def clear_failures(session: AsyncSession, username: str) -> int:
    """Forget the account's failures — a successful login, or an admin's unlock (the caller commits)."""
    result = await session.execute(delete(StaffLoginFailure).where(StaffLoginFailure.username == username))
    return result.rowcount or 0
