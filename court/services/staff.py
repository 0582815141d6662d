"""Court staff accounts: creation (CLI), password checks (argon2id) and who may see which filings.

Roles: ``clerk`` (立案庭 registrar: reviews and dockets), ``judge`` (may also review and docket),
``admin`` (system administration: reads everything, decides nothing). A clerk or judge with a
``court_code`` sees only that court's filings and cases; without one (or as admin) all courts.

Masking policy (个人信息保护法 art. 6, 最小必要): staff *lists* show ID and mobile numbers masked
for every role — lists end up on screens and in exports; the *full view* of one filing or case
shows them whole to every staff role allowed to open it, because registering a case means
checking the parties' identity against their documents (立案审查).
"""
from __future__ import annotations

import asyncio
import re
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import Staff, Token, utcnow
from court.rules.courts import court_by_code
from court.services.errors import Conflict, InvalidField, Unauthenticated

ROLES = ("clerk", "judge", "admin")
REVIEWERS = {"clerk", "judge"}
MIN_PASSWORD = 8
MAX_PASSWORD = 256
USERNAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{2,31}")  # ≤ 32: "staff:<username>" fits events.actor

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-for-timing")


@dataclass(frozen=True)
class NewStaff:
    username: str
    display_name: str
    role: str
    court_code: Optional[str]
    password: str
    totp_secret: Optional[str] = None


def check_new_staff(username: str, display_name: str, role: str, court: Optional[str], password: str) -> NewStaff:
    """Pure validation of a new account; raises :class:`InvalidField` (messages are bilingual, for the CLI)."""
    if not USERNAME_RE.fullmatch(username or ""):
        raise InvalidField("invalid_username", "用户名应为3至32位字母、数字或 _ . -，并以字母或数字开头。"
                              " / Username: 3-32 letters, digits, _ . - (starting with a letter or digit).", "username")
    display_name = (display_name or "").strip()
    if not display_name or len(display_name) > 64:
        raise InvalidField("invalid_name", "请填写姓名（不超过64字）。 / Name is required (at most 64 characters).", "name")
    if role not in ROLES:
        raise InvalidField("invalid_role", "角色应为 clerk（立案庭）、judge（法官）或 admin（管理员）。 / Role: clerk, judge or admin.",
                           "role")
    court_code = None
    if court:
        found = court_by_code(court)
        if found is None:
            raise InvalidField("unknown_court", f"未找到法院代字“{court}”。 / Unknown court code {court!r}.", "court")
        court_code = found.code
    if len(password) < MIN_PASSWORD:
        raise InvalidField("password_too_short", f"密码过短，至少需要{MIN_PASSWORD}个字符。"
                           f" / Password too short (at least {MIN_PASSWORD} characters).", "password")
    if len(password) > MAX_PASSWORD:
        raise InvalidField("password_too_long", f"密码过长（不超过{MAX_PASSWORD}个字符）。 / Password too long.", "password")
    if password.isdigit() or len(set(password)) < 4:
        raise InvalidField("password_too_weak", "密码过于简单（纯数字或重复字符），请换一个。 / Password too weak.", "password")
    return NewStaff(username, display_name, role, court_code, password)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def create_staff(session: AsyncSession, new: NewStaff) -> Staff:
    """Insert the account (committed); a taken username raises :class:`Conflict`."""
    staff = Staff(username=new.username, display_name=new.display_name, role=new.role,
                  court_code=new.court_code, password_hash=hash_password(new.password), active=True,
                  created_at=utcnow(), totp_secret=new.totp_secret)
    session.add(staff)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise Conflict("username_taken", f"用户名“{new.username}”已存在。 / Username {new.username!r} already exists.",
                       "username") from None
    return staff


async def authenticate(session: AsyncSession, username: str, password: str) -> Optional[Staff]:
    """The active account with this password, or None — the same work whether or not it exists.

    The read transaction is ended before the (slow, threaded) argon2 check, so that on SQLite no
    write lock is held while hashing.
    """
    row = (await session.execute(
        select(Staff.id, Staff.password_hash, Staff.active).where(Staff.username == username)
    )).one_or_none()
    await session.rollback()
    ok = await asyncio.to_thread(_verify, row.password_hash if row is not None else _DUMMY_HASH, password)
    if row is None or not ok or not row.active:
        return None
    return await session.get(Staff, row.id)


TOTP_ISSUER = "法院电子诉讼"
MSG_OTP = "请输入正确的动态口令（身份验证器中的6位数字）。"
MSG_NO_OTP = "该账号尚未绑定动态口令（TOTP），请联系管理员开通后再登录。"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(staff_username: str, secret: str) -> str:
    """The otpauth:// URI an authenticator app scans (printed once by the CLI)."""
    return pyotp.TOTP(secret).provisioning_uri(name=staff_username, issuer_name=TOTP_ISSUER)


def check_second_factor(staff: Staff, otp: Optional[str], at: datetime, *, required: bool) -> None:
    """401 unless the TOTP code is right (±30 s); an account without a secret passes only when
    the factor is not required (development mode)."""
    if staff.totp_secret is None:
        if required:
            raise Unauthenticated("otp_not_enrolled", MSG_NO_OTP)
        return
    if not otp or not pyotp.TOTP(staff.totp_secret).verify(otp, for_time=at, valid_window=1):
        raise Unauthenticated("invalid_otp", MSG_OTP, "otp")


async def revoke_token(session: AsyncSession, token_hash: str) -> None:
    """Logout: the token row goes (the caller commits); a copy of the token is then worthless."""
    await session.execute(delete(Token).where(Token.token_hash == token_hash))


def staff_json(staff: Staff) -> dict[str, Optional[str]]:
    return {"username": staff.username, "name": staff.display_name, "role": staff.role,
            "court_code": staff.court_code}


def court_scope(staff: Staff) -> Optional[str]:
    """The only court this member may see, or None for every court."""
    return staff.court_code if staff.role != "admin" else None


# --- command line -----------------------------------------------------------------------------


def read_password(from_stdin: bool) -> str:
    """One line of stdin (--password-stdin), or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("密码 / Password: ")
    if getpass.getpass("再次输入密码 / Repeat password: ") != first:
        raise InvalidField("password_mismatch", "两次输入的密码不一致。 / The passwords do not match.", "password")
    return first


async def create_staff_cli(database_url: str, new: NewStaff) -> Staff:
    from court.infra.db import make_engine, make_sessionmaker

    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            return await create_staff(session, new)
    finally:
        await engine.dispose()
