"""Real-name verification (实名认证): name + ID number + a mobile that proves itself with an SMS code.

Why this shape: a filing must come from an identified person (民事诉讼法 art. 122, 124), and the
national platform identifies litigants by the holder's own mobile. The code is 6 random digits
(``secrets``), lives 5 minutes, allows 5 wrong tries, and is stored only as
HMAC-SHA256(server secret, challenge_id:code): a copied database does not reveal live codes, and
without the secret the 10^6 possible codes cannot be tried offline.

Binding (issue 9, finding 1): a verified record belongs to the phone it was verified with. A
request naming an existing ID number gets its code on the phone ON RECORD, whatever phone it
gives; only an identity provider's confirmation that name + ID number + the new phone belong
together (court/infra/identity_provider.py) lets a challenge move the record to a new phone or
name. Every successful confirmation revokes the litigant's earlier tokens.

Limits (SMS cost, harassing a stranger's phone, trying many phones for one ID number): codes per
mobile, per ID number and per client address per hour and per day (court/services/limits.py),
answered 429 with when to come back. On PostgreSQL concurrent requests are serialised by advisory
locks; SQLite already serialises every transaction (BEGIN IMMEDIATE, see court/infra/db.py).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional, Sequence

from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.identity_provider import IdentityProvider, ProviderUnavailable
from court.infra.models import IdentityChallenge, Litigant, Token
from court.services import limits
from court.rules.idcard import IdNumberError, mask_id_number, validate_id_number
from court.rules.phone import PhoneError, mask_phone, normalize_phone
from court.services.errors import (
    Conflict, Forbidden, Gone, InvalidField, NotFound, TooManyAttempts, Unavailable, reject_unknown_fields,
)

CODE_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 5
VERIFY_FIELDS = {"name", "id_number", "phone"}
CONFIRM_FIELDS = {"challenge_id", "code", "conversation_id", "channel"}
NAME_MISMATCH = ("您填写的姓名与该身份证号码的登记信息不一致，且未能通过运营商实名核验。"
                 "请您按身份证上的姓名填写；如您已更名，请到法院诉讼服务中心办理。")


@dataclass(frozen=True)
class VerifyInput:
    name: str
    id_number: str
    phone: str


@dataclass(frozen=True)
class ConfirmInput:
    challenge_id: str
    code: str
    conversation_id: Optional[str] = None  # only the action server may name one (court/api/identity.py)
    channel: Optional[str] = None


@dataclass(frozen=True)
class Recipient:
    """Where a challenge's code goes, and what the record becomes when it is confirmed."""

    name: str
    phone: str
    provider_ref: Optional[str]
    on_record: bool  # the phone on record, not the one the request gave

    def message(self, asked_phone: str) -> str:
        if not self.on_record:
            return f"验证码已发送至手机{mask_phone(self.phone)}，5分钟内有效。"
        text = f"验证码已发送至您登记的手机{mask_phone(self.phone)}，5分钟内有效。"
        if asked_phone != self.phone:
            text += "您填写的新号码未能通过运营商实名核验，如需更换登记的手机号码，请使用以本人身份证办理的号码。"
        return text


# --- pure: checking requests ----------------------------------------------------------------


def _unknown(body: dict[str, Any], allowed: set[str]) -> None:
    reject_unknown_fields(body, allowed)


def _string(body: dict[str, Any], key: str, missing: str) -> str:
    value = body.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidField("missing_field", missing, key)
    if not isinstance(value, str):
        raise InvalidField("wrong_type", "请以文字形式填写。", key)
    return value.strip()


def parse_name(raw: str) -> str:
    """A person's name as on the ID card: 1–30 characters, no digits or control characters."""
    name = unicodedata.normalize("NFKC", raw).strip()
    if len(name) > 30:
        raise InvalidField("too_long", "姓名过长，请您按身份证上的姓名填写。", "name")
    if any(ch.isdigit() or not ch.isprintable() for ch in name):
        raise InvalidField("invalid_name", "姓名中不应包含数字或特殊字符，请您按身份证上的姓名填写。", "name")
    return name


def parse_verify(body: dict[str, Any]) -> VerifyInput:
    _unknown(body, VERIFY_FIELDS)
    name = parse_name(_string(body, "name", "请您填写姓名。"))
    try:
        id_number = validate_id_number(_string(body, "id_number", "请您填写身份证号码。")).number
    except IdNumberError as err:
        raise InvalidField(err.code, err.message, "id_number") from None
    try:
        phone = normalize_phone(_string(body, "phone", "请您填写手机号码。"))
    except PhoneError as err:
        raise InvalidField(err.code, err.message, "phone") from None
    return VerifyInput(name=name, id_number=id_number, phone=phone)


def parse_confirm(body: dict[str, Any]) -> ConfirmInput:
    _unknown(body, CONFIRM_FIELDS)
    challenge_id = _string(body, "challenge_id", "请您提供验证请求编号（challenge_id）。")
    code = _string(body, "code", "请您填写短信验证码。")
    code = unicodedata.normalize("NFKC", code).replace(" ", "")
    if len(challenge_id) > 64:
        raise NotFound("challenge_not_found", "未找到该验证请求，请您重新获取验证码。", "challenge_id")
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise InvalidField("invalid_code", "验证码应为6位数字，请您核对短信。", "code")
    conversation_id = _optional(body, "conversation_id", 255)
    channel = _optional(body, "channel", 32)
    return ConfirmInput(challenge_id=challenge_id, code=code, conversation_id=conversation_id, channel=channel)


def _optional(body: dict[str, Any], key: str, max_len: int) -> Optional[str]:
    value = body.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > max_len or not value.isprintable():
        raise InvalidField("invalid_field", f"{key} 格式不正确（至多{max_len}个可见字符）。", key)
    return value


def new_code() -> str:
    return f"{secrets.randbelow(10 ** 6):06d}"


def code_hash(secret: bytes, challenge_id: str, code: str) -> str:
    return hmac.new(secret, f"{challenge_id}:{code}".encode(), hashlib.sha256).hexdigest()


def sms_text(code: str) -> str:
    return f"【电子诉讼服务】您的实名认证验证码为{code}，5分钟内有效。如非您本人操作，请忽略本短信，切勿将验证码告知他人。"


def litigant_json(litigant: Litigant) -> dict[str, str]:
    return {
        "name": litigant.name,
        "id_number_masked": mask_id_number(litigant.id_number),
        "phone_masked": mask_phone(litigant.phone),
    }


# --- database -------------------------------------------------------------------------------


async def _lock(session: AsyncSession, *keys: str) -> None:
    """PostgreSQL: serialise verify requests for one phone, ID number and address so that the limits
    cannot be raced (taken in sorted order: two requests never wait on each other crosswise)."""
    if session.get_bind().dialect.name == "postgresql":
        for name in sorted(keys):
            key = int.from_bytes(hashlib.sha256(f"sms:{name}".encode()).digest()[:8], "big", signed=True)
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


async def check_sms_limits(session: AsyncSession, *, phone: str, id_number: str, address: Optional[str],
                           at: datetime, address_windows: Sequence[limits.Window],
                           phone_windows: Sequence[limits.Window] = limits.SMS_PER_PHONE,
                           id_windows: Sequence[limits.Window] = limits.SMS_PER_ID_NUMBER) -> None:
    """429 with the time to come back when one more code would break a limit (court/services/limits.py)."""
    created = IdentityChallenge.created_at
    await limits.check(session, created, IdentityChallenge.phone == phone, phone_windows, at,
                       code="too_many_requests", subject="该手机号码获取验证码过于频繁", field="phone")
    await limits.check(session, created, IdentityChallenge.id_number == id_number, id_windows, at,
                       code="too_many_requests", subject="该身份证号码获取验证码过于频繁", field="id_number")
    if address is not None:
        await limits.check(session, created, IdentityChallenge.address == address, address_windows, at,
                           code="too_many_requests", subject="您所在网络获取验证码过于频繁", field=None)


async def choose_recipient(
    session: AsyncSession, data: VerifyInput, provider: Optional[IdentityProvider]
) -> Recipient:
    """Who gets the code: the given phone for a new ID number; the phone on record for a known one,
    unless the identity provider confirms that the given name, ID number and phone belong together.

    Ends the read transaction before asking the provider (a network call must not hold a lock).
    """
    litigant = (await session.execute(
        select(Litigant).where(Litigant.id_number == data.id_number))).scalar_one_or_none()
    await session.commit()
    if litigant is None:
        return Recipient(data.name, data.phone, None, on_record=False)
    if litigant.phone == data.phone and litigant.name == data.name:
        return Recipient(litigant.name, litigant.phone, None, on_record=True)
    ref = await _provider_confirms(provider, data)
    if ref is not None:
        return Recipient(data.name, data.phone, ref[:64], on_record=False)
    if litigant.name != data.name:
        raise Forbidden("identity_mismatch", NAME_MISMATCH, "name")
    return Recipient(litigant.name, litigant.phone, None, on_record=True)


async def _provider_confirms(provider: Optional[IdentityProvider], data: VerifyInput) -> Optional[str]:
    if provider is None:
        return None
    try:
        return await provider.confirm(data.name, data.id_number, data.phone)
    except ProviderUnavailable:
        raise Unavailable("identity_provider_unavailable", "实名核验服务暂时无法使用，请您稍后再试。") from None


async def start_challenge(
    session: AsyncSession, data: VerifyInput, *, at: datetime, secret: bytes, to: Recipient,
    address: Optional[str] = None, address_windows: Sequence[limits.Window] = limits.sms_windows(20, 60),
    phone_windows: Sequence[limits.Window] = limits.SMS_PER_PHONE,
    id_windows: Sequence[limits.Window] = limits.SMS_PER_ID_NUMBER,
) -> tuple[IdentityChallenge, str]:
    """Record a new challenge for `to` (committed) and return it with the plain code; 429 over a limit.

    `address` is the client's, counted per address; None for the action server (many litigants)."""
    await _lock(session, f"phone:{to.phone}", f"id:{data.id_number}", *([f"addr:{address}"] if address else []))
    await check_sms_limits(session, phone=to.phone, id_number=data.id_number, address=address, at=at,
                           address_windows=address_windows, phone_windows=phone_windows, id_windows=id_windows)
    challenge_id = secrets.token_urlsafe(24)
    code = new_code()
    challenge = IdentityChallenge(
        challenge_id=challenge_id, name=to.name, id_number=data.id_number, phone=to.phone,
        code_hash=code_hash(secret, challenge_id, code), expires_at=at + CODE_TTL,
        attempts=0, used=False, provider_ref=to.provider_ref, address=address[:64] if address else None,
        created_at=at,
    )
    session.add(challenge)
    await session.commit()
    return challenge, code


async def confirm_challenge(
    session: AsyncSession, data: ConfirmInput, *, at: datetime, secret: bytes
) -> Litigant:
    """Check the code; on success mark the challenge used and upsert the litigant (caller commits).

    A wrong code is committed as an attempt before the 4xx is raised.
    """
    challenge = (await session.execute(
        select(IdentityChallenge).where(IdentityChallenge.challenge_id == data.challenge_id).with_for_update()
    )).scalar_one_or_none()
    if challenge is None:
        raise NotFound("challenge_not_found", "未找到该验证请求，请您重新获取验证码。", "challenge_id")
    if challenge.used:
        raise Gone("challenge_used", "该验证码已经使用过，请您重新获取验证码。", "challenge_id")
    if challenge.attempts >= MAX_ATTEMPTS:
        raise TooManyAttempts("too_many_attempts", "验证码输入错误次数过多，该验证码已失效，请您重新获取。", "code")
    if challenge.expires_at <= at:
        raise Gone("challenge_expired", "验证码已过期（有效期5分钟），请您重新获取验证码。", "code")
    if not hmac.compare_digest(code_hash(secret, challenge.challenge_id, data.code), challenge.code_hash):
        challenge.attempts += 1
        left = MAX_ATTEMPTS - challenge.attempts
        await session.commit()
        if left <= 0:
            raise TooManyAttempts("too_many_attempts", "验证码输入错误次数过多，该验证码已失效，请您重新获取。", "code")
        raise InvalidField("code_mismatch", f"验证码不正确，您还可以再试{left}次。", "code")
    challenge.used = True
    return await _upsert_litigant(session, challenge, at)


async def _upsert_litigant(session: AsyncSession, challenge: IdentityChallenge, at: datetime) -> Litigant:
    """One litigant per ID number. A challenge sent to the phone on record changes nothing; only a
    provider-confirmed one may replace the name and phone. Either way the earlier tokens end."""
    for _ in range(2):
        litigant = (await session.execute(
            select(Litigant).where(Litigant.id_number == challenge.id_number).with_for_update()
        )).scalar_one_or_none()
        if litigant is not None:
            changes = (litigant.name, litigant.phone) != (challenge.name, challenge.phone)
            if changes and challenge.provider_ref is None:  # the record was made or changed meanwhile
                raise Conflict("identity_changed", "该身份信息的登记情况已发生变化，请您重新获取验证码。", "challenge_id")
            litigant.name, litigant.phone = challenge.name, challenge.phone
            await revoke_tokens(session, litigant.id)
            await session.flush()
            return litigant
        try:
            async with session.begin_nested():  # another confirm for this ID may insert first
                litigant = Litigant(name=challenge.name, id_number=challenge.id_number,
                                    phone=challenge.phone, created_at=at)
                session.add(litigant)
            return litigant
        except IntegrityError:
            continue
    raise Conflict("conflict", "系统繁忙，请您稍后重试。")


async def revoke_tokens(session: AsyncSession, litigant_id: int) -> None:
    """End every token of a litigant: a re-verification or a change of phone starts afresh."""
    await session.execute(delete(Token).where(Token.litigant_id == litigant_id))
