"""Sending SMS: a small protocol so that a real operator's gateway can replace the development one.

Choose the gateway with ``settings.extra["sms_gateway"]`` (any object with an async ``send``);
without it, and only in dev mode, the built-in :class:`DevSmsGateway` is used: it writes the full
text to the ``sms_outbox`` table (where a developer or a test reads the code) and logs only that it
did, number masked (138****8000): neither a code nor a full mobile number reaches a log line.
"""
from __future__ import annotations

import logging
from typing import Optional, Protocol, runtime_checkable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.app_keys import SETTINGS
from court.infra.config import Settings
from court.infra.models import SmsOutbox, utcnow
from court.rules.phone import mask_phone

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway could not send; the caller answers 503 and the user may try again."""


@runtime_checkable
class SmsGateway(Protocol):
    async def send(self, session: AsyncSession, phone: str, text: str) -> None:
        """Send ``text`` to the 11-digit ``phone``; raise :class:`SmsError` on failure.

        ``session`` is the request's session with no transaction pending: a gateway that keeps
        a record (like the outbox) adds and commits it there; a network gateway may ignore it.
        """


class DevSmsGateway:
    """Development gateway: the outbox table is the phone."""

    async def send(self, session: AsyncSession, phone: str, text: str) -> None:
        session.add(SmsOutbox(phone=phone, text=text, created_at=utcnow()))
        await session.commit()
        # Never the text: it holds a live code (issue 9). The outbox row is where a developer reads it.
        log.info("dev SMS to %s written to sms_outbox", mask_phone(phone))


_DEFAULT = DevSmsGateway()


def configured_gateway(settings: Settings) -> Optional[SmsGateway]:
    """A real gateway: the test hook ``extra["sms_gateway"]``, else the one the environment names
    (COURT_SMS_PROVIDER=aliyun: court/infra/sms_aliyun.py); None when there is none."""
    from court.infra.sms_aliyun import AliyunSmsGateway  # it imports SmsError from here

    return settings.extra.get("sms_gateway") or AliyunSmsGateway.from_env()


def gateway_for(app: web.Application) -> SmsGateway:
    """The configured gateway; the outbox only in dev mode (production never starts without one)."""
    settings = app[SETTINGS] if SETTINGS in app else None
    configured = configured_gateway(settings) if settings is not None else None
    if configured is not None:
        return configured
    if settings is not None and not settings.dev_mode:
        raise SmsError("no SMS gateway configured outside dev mode")
    return _DEFAULT
