"""Court notices of a web-widget conversation, for the widget to show what arrived while it was closed.

POST /api/v1/conversations/notices      {"session_id": "<the widget's socket.io session id>"}

Why: a court notice (电子送达, court/services/deliveries.py) is appended to the conversation in Rasa and
pushed over socket.io to whoever is in the conversation's room at that moment. A page that was
closed (or offline) misses the push, and Rasa's socket.io channel replays nothing when the page
comes back — the widget shows the history it kept itself. So the widget asks here, and shows each
notice it has not shown yet.

Who may read: whoever holds the session id. It is the widget's conversation credential already —
with it Rasa's socket.io channel lets anyone continue the conversation and receive its pushes —
a random 32-hex id (uuid4, made by Rasa) kept in that browser's localStorage. So only ids of that
shape and only deliveries made to the socket.io channel are answered (a WeChat OpenID or a REST
sender id, chosen elsewhere and shorter, never is). An id with no notices, or one that does not
exist, gets the same empty list. The id travels in the body, not the URL, to stay out of access
logs. Only notices that reached Rasa (status ``sent``) are listed.
"""
from __future__ import annotations

import re
from typing import Any

from aiohttp import web
from sqlalchemy import select

from court.infra.app_keys import SESSIONMAKER
from court.infra.errors import read_json
from court.infra.models import Delivery
from court.services.errors import InvalidField, reject_unknown_fields

routes = web.RouteTableDef()
WIDGET_CHANNEL = "socketio"
SESSION_ID = re.compile(r"[0-9a-f]{32}")  # uuid.uuid4().hex, as Rasa's socket.io channel makes it
MAX_NOTICES = 100


def parse_session_id(body: dict[str, Any]) -> str:
    """The widget's session id from the body; 400/422 in Chinese for anything else."""
    reject_unknown_fields(body, {"session_id"})
    value = body.get("session_id")
    if not isinstance(value, str) or not SESSION_ID.fullmatch(value):
        raise InvalidField("invalid_session_id", "会话标识格式不正确，请刷新页面后重试。", "session_id")
    return value


def notice_json(row: Delivery) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "text": row.text,
            "sent_at": row.sent_at.isoformat() if row.sent_at else None}


@routes.post("/api/v1/conversations/notices")
async def list_notices(request: web.Request) -> web.Response:
    session_id = parse_session_id(await read_json(request))
    async with request.app[SESSIONMAKER]() as session:
        rows = list((await session.execute(
            select(Delivery).where(Delivery.conversation_id == session_id, Delivery.channel == WIDGET_CHANNEL,
                                   Delivery.status == "sent")
            .order_by(Delivery.sent_at.desc(), Delivery.id.desc()).limit(MAX_NOTICES)
        )).scalars())
    rows.reverse()  # oldest first, as they were said
    return web.json_response({"notices": [notice_json(row) for row in rows]},
                             headers={"Cache-Control": "no-store"})
