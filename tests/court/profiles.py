"""Settings for the production profile in tests: every piece court/infra/profile.py requires."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.config import Settings
from court.infra.wechatpay_config import WeChatPayConfig
from court.services.payments.wechatpay import WeChatPayProvider

PRODUCTION_SECRET = "a-production-secret-key-of-forty-characters"
PAYMENT_SECRET = "a-production-payment-callback-secret-0123"
BOT_KEY = "the-action-server-key-of-forty-characters"


@dataclass
class RecordingSmsGateway:
    """Stands in for an operator's gateway (a fake provider server, as COMMON.md allows)."""

    sent: list[tuple[str, str]] = field(default_factory=list)

    async def send(self, session: AsyncSession, phone: str, text: str) -> None:
        self.sent.append((phone, text))


@dataclass
class RegistryIdentityProvider:
    """Stands in for a 运营商三要素 service: confirms the triples it was given."""

    people: frozenset = frozenset()

    async def confirm(self, name: str, id_number: str, phone: str) -> str | None:
        return f"registry:{id_number[-4:]}" if (name, id_number, phone) in self.people else None


@lru_cache(maxsize=1)
def idle_wechatpay() -> WeChatPayProvider:
    """A WeChat Pay provider with keys of its own and no server behind it: for production apps that
    take no order (tests/court/test_payments_wechatpay.py runs one against tests/fakes/wechatpay.py)."""
    from tests.fakes.wechatpay import new_key

    config = WeChatPayConfig(mchid="1900000109", appid="wx0000000000000000", merchant_serial="MERCHANT-SERIAL",
                             private_key_path="-", platform_key_path="-", platform_key_id="PUB_KEY_ID_IDLE",
                             apiv3_key="0123456789abcdef0123456789abcdef", notify_url="http://127.0.0.1:9/",
                             api_base="http://127.0.0.1:9")
    return WeChatPayProvider(config, new_key(), new_key().public_key(), timeout_s=1.0)


def production_settings(db_url: str, upload_dir: Path, **overrides: object) -> Settings:
    """COURT_DEV_MODE=0 with a real-looking SMS gateway, identity provider, secret, bot key and WeChat Pay."""
    extra = {"sms_gateway": RecordingSmsGateway(), "secret_key": PRODUCTION_SECRET,
             "identity_provider": RegistryIdentityProvider(), "bot_key": BOT_KEY,
             "payment_provider": idle_wechatpay()}
    extra.update(overrides.pop("extra", {}))  # type: ignore[arg-type]
    values: dict = {"database_url": db_url, "upload_dir": upload_dir, "dev_mode": False,
                    "payment_dev_secret": PAYMENT_SECRET, "extra": extra}
    values.update(overrides)
    return Settings(**values)
