"""Signed, expiring download links: open a document from a chat message without a bearer header.

The link is `/api/v1/documents/{public_id}/download?expires=<unix seconds>&sig=<hex>`, with
sig = HMAC-SHA256(server secret, "document-download:{public_id}:{expires}") — the same secret as
the SMS codes (court.api.auth.server_secret: COURT_SECRET_KEY). Whoever holds the link can read that
one document until it expires (7 days, rounded up to the hour), like a link in an e-mail; a changed id, time or signature
is refused. Pure: the secret and the time are arguments.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta
from urllib.parse import urlencode

from court.services.errors import Forbidden


LINK_TTL = timedelta(days=7)
_EXPIRES = re.compile(r"^[0-9]{1,12}$")
_SIG = re.compile(r"^[0-9a-f]{64}$")

MSG_INVALID = "下载链接无效，请回到对话中重新获取下载链接。"
MSG_EXPIRED = "下载链接已过期（有效期为7天），请重新查询您的立案申请以获取新的下载链接。"


DOCUMENT, CASE_FILE = "document-download", "case-file"  # what a link opens: a document, a party's case file


def signature(secret: bytes, public_id: str, expires: int, purpose: str = DOCUMENT) -> str:
    message = f"{purpose}:{public_id}:{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def expiry(at: datetime) -> int:
    """At least LINK_TTL from `at`, rounded up to the hour: reads within one hour get the same link."""
    seconds = int((at + LINK_TTL).timestamp())
    return -(-seconds // 3600) * 3600


def download_path(secret: bytes, public_id: str, at: datetime, base_url: str = "") -> str:
    """The link for a document, valid for LINK_TTL from `at`; `base_url` ("" = a path) from settings."""
    expires = expiry(at)
    query = urlencode({"expires": expires, "sig": signature(secret, public_id, expires)})
    return f"{base_url}/api/v1/documents/{public_id}/download?{query}"


def case_file_path(secret: bytes, filing_number: str, at: datetime, base_url: str = "") -> str:
    """The link to the party's copy of a filing's case file (电子卷宗), valid for LINK_TTL from `at`."""
    expires = expiry(at)
    query = urlencode({"expires": expires, "sig": signature(secret, filing_number, expires, CASE_FILE)})
    return f"{base_url}/api/v1/case-files/{filing_number}/download?{query}"


def check(secret: bytes, public_id: str, expires: str | None, sig: str | None, at: datetime,
          purpose: str = DOCUMENT) -> None:
    """403 for a missing, altered or expired link; returns quietly for a good one."""
    if expires is None or sig is None or not _EXPIRES.match(expires) or not _SIG.match(sig):
        raise Forbidden("invalid_link", MSG_INVALID)
    if not hmac.compare_digest(signature(secret, public_id, int(expires), purpose), sig):
        raise Forbidden("invalid_link", MSG_INVALID)
    if int(expires) <= at.timestamp():
        raise Forbidden("link_expired", MSG_EXPIRED)
