"""Conversation ids per channel, so that one channel's user can never speak as another's.

Rasa keys a conversation by its sender id alone. A WeChat OpenID used as it is would be a valid
REST sender or socket.io session id too, and whoever posted it there would continue that WeChat
user's conversation. So each channel that knows who its user is prefixes the id it vouches for
(``wx:<openid>``), and the channels that take an id from the client refuse ids with a prefix
(``:`` is reserved for them).
"""
from __future__ import annotations

WECHAT = "wx:"
LITIGANT_REST = "rest:"
SEPARATOR = ":"


def wechat_conversation(openid: str) -> str:
    return WECHAT + openid


def wechat_openid(conversation_id: str) -> str:
    """The OpenID behind a WeChat conversation id; ValueError for any other conversation."""
    if not conversation_id.startswith(WECHAT) or len(conversation_id) == len(WECHAT):
        raise ValueError("not a WeChat conversation")
    return conversation_id[len(WECHAT):]


def is_namespaced(sender_id: str) -> bool:
    """True for ids only an authenticating channel may use (a client must not choose them)."""
    return SEPARATOR in sender_id
