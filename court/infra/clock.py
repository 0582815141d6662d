"""The app's clock: the one seam for every expiry and deadline (tests set ``settings.extra["clock"]``)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable, Optional

from aiohttp import web

from court.infra.app_keys import SETTINGS


def now(app: web.Application) -> datetime:
    """The current time (aware, UTC)."""
    clock: Optional[Callable[[], datetime]] = app[SETTINGS].extra.get("clock") if SETTINGS in app else None
    value = clock() if clock is not None else datetime.now(timezone.utc)
    return value.astimezone(timezone.utc)
