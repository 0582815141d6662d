"""Settings for the production profile in tests: every piece court/infra/profile.py requires."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.config import Settings

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


def production_settings(db_url: str, upload_dir: Path, **overrides: object) -> Settings:
    """COURT_DEV_MODE=0 with a real-looking SMS gateway, identity provider, secret, bot key and payment secret."""
    extra = {"sms_gateway": RecordingSmsGateway(), "secret_key": PRODUCTION_SECRET,
             "identity_provider": RegistryIdentityProvider(), "bot_key": BOT_KEY}
    extra.update(overrides.pop("extra", {}))  # type: ignore[arg-type]
    values: dict = {"database_url": db_url, "upload_dir": upload_dir, "dev_mode": False,
                    "payment_dev_secret": PAYMENT_SECRET, "extra": extra}
    values.update(overrides)
    return Settings(**values)
