"""Which profile the backend runs in, and why production refuses to start unsafe (issue 9, finding 5).

Development mode (COURT_DEV_MODE=1, set by `make run`'s embedded stack and by the tests) keeps the
development gateways: the SMS outbox table instead of an operator, the identity registry instead
of a carrier, the dev payment provider (HMAC secret, page `/dev/pay/{order_no}`) instead of WeChat
Pay. It says so at every start. Production mode (the default) refuses to start while any of them,
or a missing/default COURT_SECRET_KEY or COURT_BOT_KEY, would be in use, and names each missing piece.
"""
from __future__ import annotations

import logging
import os

from aiohttp import web

from court.infra.app_keys import SETTINGS
from court.infra.config import Settings
from court.infra.identity_provider import configured_provider
from court.infra.sms import configured_gateway
from court.infra.wechatpay_config import payment_gaps

log = logging.getLogger(__name__)

# Secrets that appear in this repository or its documentation: never a production key.
KNOWN_SECRETS = frozenset({"", "dev", "secret", "changeme", "change-me", Settings.payment_dev_secret})
MIN_SECRET_CHARS = 32

DEV_GATEWAYS = ("短信发件箱 sms_outbox（不发送短信）", "开发支付页 /dev/pay/{order_no}",
                "开发支付机构（HMAC 回调密钥 COURT_PAYMENT_DEV_SECRET）", "开发身份核验名册")


class UnsafeProduction(RuntimeError):
    """Production mode with a development gateway or a missing key: the process must not serve."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__("refusing to start in production mode (COURT_DEV_MODE=0); fix: " + "; ".join(missing))


def secret_key(settings: Settings) -> str | None:
    """The key court.api.auth.server_secret uses: the test hook, else $COURT_SECRET_KEY."""
    configured = settings.extra.get("secret_key") or os.environ.get("COURT_SECRET_KEY")
    return configured.decode() if isinstance(configured, bytes) else configured


def bot_key(settings: Settings) -> str | None:
    """The key court.api.identity checks on X-Court-Bot-Key: the test hook, else $COURT_BOT_KEY."""
    return settings.extra.get("bot_key") or os.environ.get("COURT_BOT_KEY")


def _weak(value: str | None) -> bool:
    return value is None or value.strip() in KNOWN_SECRETS or len(value.strip()) < MIN_SECRET_CHARS


def missing_for_production(settings: Settings) -> list[str]:
    """Each thing production still lacks, named by the variable (or hook) that supplies it."""
    missing = []
    if configured_gateway(settings) is None:
        missing.append("a real SMS gateway (COURT_SMS_PROVIDER=aliyun with COURT_ALIYUN_SMS_*, or "
                       "settings.extra['sms_gateway']): the development outbox only runs with COURT_DEV_MODE=1")
    if _weak(secret_key(settings)):
        missing.append(f"COURT_SECRET_KEY (missing, default or shorter than {MIN_SECRET_CHARS} characters)")
    if configured_provider(settings) is None:
        missing.append("an identity provider (COURT_IDENTITY_PROVIDER=aliyun with COURT_ALIYUN_ID_*, or "
                       "settings.extra['identity_provider']: 运营商三要素 or 人脸核身): "
                       "without it a record's phone can never be changed and the development registry "
                       "only runs with COURT_DEV_MODE=1")
    if _weak(bot_key(settings)):
        missing.append(f"COURT_BOT_KEY (missing or shorter than {MIN_SECRET_CHARS} characters): the action "
                       "server's key that alone may bind a conversation to a litigant at /identity/confirm")
    missing.extend(payment_gaps(settings))
    return missing


def check_profile(settings: Settings) -> None:
    """Dev mode: warn (every start). Production: raise :class:`UnsafeProduction` naming what is missing."""
    if settings.dev_mode:
        log.warning("DEVELOPMENT MODE (COURT_DEV_MODE=1): development gateways are on — %s. "
                    "Never expose this process to litigants.", "; ".join(DEV_GATEWAYS))
        return
    missing = missing_for_production(settings)
    if missing:
        raise UnsafeProduction(missing)


async def check_on_startup(app: web.Application) -> None:
    check_profile(app[SETTINGS])
