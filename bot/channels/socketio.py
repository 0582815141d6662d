"""Rasa's socket.io channel for the web widget, with each socket held to its own session.

Rasa's `SocketIOInput` accepts any ``session_id`` a client names, in ``session_request`` and
again in every ``user_uttered``: a socket could ask for ``wx:<openid>`` and speak in a WeChat
user's conversation, or name another widget's session in a message. Here

* a session id is the widget's own random 32 lower-case hex digits (``uuid4().hex``; a new one
  is made when none or another shape is asked for), so no other channel's id can be used;
* a socket speaks only in the session it was confirmed in: a message naming another session, or
  sent before ``session_request``, is dropped.

What still protects a widget session is the secrecy of its 128-bit id, kept in the litigant's
browser: whoever has it can ask for it. Binding it to the litigant needs a token the backend
issues (Rasa's ``jwt_key`` on this channel checks a JWT at connect time); see
docs/threat-model-channels.md.
"""
from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[0-9a-f]{32}")


class SessionSocketIOInput(SocketIOInput):
    """`SocketIOInput` whose handlers check the session id before Rasa's own run."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = super().blueprint(on_new_message)
        namespace = self.namespace or "/"
        handlers = self.sio.handlers[namespace]
        confirm, utter = handlers["session_request"], handlers[self.user_message_evt]
        bound: dict[str, str] = {}  # socket id → its session (this process: sockets are sticky)

        async def session_request(sid: str, data: Optional[dict[str, Any]]) -> None:
            asked = (data or {}).get("session_id") if isinstance(data, dict) else None
            session = asked if isinstance(asked, str) and SESSION_ID.fullmatch(asked) else uuid.uuid4().hex
            bound[sid] = session
            await confirm(sid, {"session_id": session})

        async def user_uttered(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or bound.get(sid) is None or data.get("session_id") != bound[sid]:
                logger.warning("socket.io: dropped a message naming a session its socket was not confirmed in")
                return
            await utter(sid, data)

        disconnect = handlers.get("disconnect")

        async def disconnected(sid: str, *args: Any) -> None:
            bound.pop(sid, None)
            if disconnect is not None:
                await disconnect(sid, *args)

        handlers.update({"session_request": session_request, self.user_message_evt: user_uttered,
                         "disconnect": disconnected})
        return bp
