"""Masking ID and mobile numbers wherever text leaves the system in a log line.

Stdlib only: the backend, the action server and Rasa (via its logging config) all install
`MaskingFilter` on their log handlers, so a number typed by a litigant never reaches a log
file unmasked, whatever the logger or its level.
"""
from __future__ import annotations

import logging
import re

from court.rules.phone import WRITTEN_MOBILE_PATTERN, PhoneError, normalize_phone

# 18-character ID numbers (GB 11643) and mainland mobiles however written, not inside longer digit runs.
_ID = re.compile(r"(?<![0-9])([1-9][0-9]{2})[0-9]{11}([0-9]{3}[0-9Xx])(?![0-9])")
_PHONE = re.compile(WRITTEN_MOBILE_PATTERN)


def _hide_middle(m: re.Match[str]) -> str:
    """The number as 11 digits with the middle four hidden, however it was written."""
    try:
        digits = normalize_phone(m.group(0))
    except PhoneError:  # matched the shape but is no number: hide the middle where it stands
        start, end = m.start("middle") - m.start(), m.end("middle") - m.start()
        return m.group(0)[:start] + "****" + m.group(0)[end:]
    return digits[:3] + "****" + digits[-4:]


def mask_pii(text: str) -> str:
    """110105194912310021 → 110***********0021; 13800138000, 138 0013 8000, +86 138-0013-8000 → 138****8000."""
    text = _ID.sub(lambda m: m.group(1) + "*" * 11 + m.group(2), text)
    return _PHONE.sub(_hide_middle, text)


def phones_in(text: str) -> list[str]:
    """Every mobile number said in the text, however written, as 11 digits (the transcripts index
    them for search)."""
    found = []
    for m in _PHONE.finditer(text):
        try:
            found.append(normalize_phone(m.group(0)))
        except PhoneError:
            continue
    return found


class MaskingFilter(logging.Filter):
    """Rewrites each record's message with numbers masked (arguments are merged in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        masked = mask_pii(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_text:
            record.exc_text = mask_pii(record.exc_text)
        return True


def install(root: logging.Logger | None = None) -> None:
    """Add the filter to every handler of the root logger (call after logging is configured)."""
    for handler in (root or logging.getLogger()).handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
