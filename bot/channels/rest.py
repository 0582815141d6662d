"""Rasa's REST channel for development and the tests, with the two holes it must not have.

Rasa's `RestInput` takes the sender id and the input channel from the request body, unchecked:
anyone who knows a conversation id continues that conversation. That is acceptable on a developer's
machine and in the tests, and nowhere else, so this channel

* is off in the production profile (``COURT_PROFILE=production``): every request gets 403 and
  the start is logged — litigants there use `litigant_rest.LitigantRestInput`;
* refuses sender ids carrying a channel prefix (``wx:…``, ``rest:…``; see `senders.py`), so
  it cannot speak in a WeChat user's or an authenticated litigant's conversation;
* ignores the body's ``input_channel``: a REST conversation cannot pass itself off as a WeChat
  one and have court notices pushed to an OpenID.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from rasa.core.channels.rest import RestInput
from sanic.exceptions import SanicException
from sanic.request import Request

from bot.channels.profile import is_production
from bot.channels.senders import is_namespaced

logger = logging.getLogger(__name__)

OFF_IN_PRODUCTION = "开发用 REST 通道在生产环境中已关闭。"
RESERVED_SENDER = "会话标识不可用，请更换后重试。"


class DevRestInput(RestInput):
    """`/webhooks/rest/webhook` in the embedded profile only."""

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> "DevRestInput":
        channel = cls()
        if channel.off:
            logger.warning("REST channel /webhooks/rest/webhook is off in the production profile (403)")
        return channel

    def __init__(self) -> None:
        self.off = is_production()

    async def _extract_sender(self, req: Request) -> Optional[str]:
        if self.off:
            raise SanicException(OFF_IN_PRODUCTION, status_code=403)
        sender = await super()._extract_sender(req)
        if not isinstance(sender, str) or not sender or is_namespaced(sender):
            raise SanicException(RESERVED_SENDER, status_code=400)
        return sender

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()
