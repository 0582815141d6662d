"""Identity providers: does a name, an ID number and a mobile belong to one person?

Why: an SMS code proves only that someone holds a phone. Moving a verified litigant record to a
new phone, or to another name, needs a third party that knows who the phone's subscriber is
(运营商三要素: the carrier confirms name + ID number + mobile) or who is in front of the camera
(人脸核身 against the 公安部 photo: 公安部公民网络身份识别 CTID, WeChat 人脸核身). This module is the
seam where such a provider plugs in, the way court/infra/sms.py is for SMS gateways.

Choose the provider with ``settings.extra["identity_provider"]`` (any object with an async
``confirm``). Without one, development mode uses :class:`DevRegistryProvider` (a small fixture
registry, court/data/identity_registry.json); outside development mode there is none and a
record change is refused with 503 until one is configured.
"""
from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Optional, Protocol, runtime_checkable

from aiohttp import web

from court.infra.app_keys import SETTINGS
from court.infra.config import Settings

log = logging.getLogger(__name__)
REGISTRY = Path(__file__).resolve().parent.parent / "data" / "identity_registry.json"


class ProviderUnavailable(Exception):
    """The provider could not answer; the caller answers 503 and the litigant may try later."""


@runtime_checkable
class IdentityProvider(Protocol):
    async def confirm(self, name: str, id_number: str, phone: str) -> Optional[str]:
        """A reference for the provider's record when the three belong to one person, else None.

        Raise :class:`ProviderUnavailable` when the provider cannot say.
        """


class DevRegistryProvider:
    """Development provider: the fixture registry stands in for the carriers' records."""

    def __init__(self, path: Path = REGISTRY) -> None:
        self.people = _load(path)

    async def confirm(self, name: str, id_number: str, phone: str) -> Optional[str]:
        if (name, id_number, phone) in self.people:
            return f"dev-registry:{id_number[-4:]}"
        return None


@lru_cache(maxsize=4)
def _load(path: Path) -> frozenset[tuple[str, str, str]]:
    people = json.loads(path.read_text(encoding="utf-8"))["people"]
    return frozenset((p["name"], p["id_number"], p["phone"]) for p in people)


def configured_provider(settings: Settings) -> Optional[IdentityProvider]:
    """A real provider: the test hook ``extra["identity_provider"]``, else the one the environment
    names (COURT_IDENTITY_PROVIDER=aliyun: court/infra/identity_aliyun.py); None when there is none."""
    from court.infra.identity_aliyun import AliyunThreeElements  # it imports ProviderUnavailable from here

    return settings.extra.get("identity_provider") or AliyunThreeElements.from_env()


def provider_for(app: web.Application) -> Optional[IdentityProvider]:
    """The configured provider; the development registry in development mode; else None."""
    settings = app[SETTINGS] if SETTINGS in app else None
    configured = configured_provider(settings) if settings is not None else None
    if configured is not None:
        return configured
    if settings is not None and settings.dev_mode:
        return DevRegistryProvider()
    return None
