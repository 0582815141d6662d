"""Masking ID and mobile numbers wherever text leaves the system in a log line.

Stdlib only: the backend, the action server and Rasa (via its logging config) all install
`MaskingFilter` on their log handlers, so a number typed by a litigant never reaches a log
file unmasked, whatever the logger or its level.
"""
from __future__ import annotations

import logging
import re

# 18-character ID numbers (GB 11643) and mainland mobiles, not inside longer digit runs.
_ID = re.compile(r"(?<![0-9])([1-9][0-9]{2})[0-9]{11}([0-9]{3}[0-9Xx])(?![0-9])")
# A mobile in free text (《电信网编号计划（2017年版）》: 1, then 3–9, 11 digits), also as typed with
# spaces or dashes: 138 0013 8000, 138-0013-8000. The one pattern for finding mobiles in text.
_PHONE = re.compile(r"(?<![0-9])(1[3-9][0-9])[ \-]?([0-9]{4})[ \-]?([0-9]{4})(?![0-9])")


def mask_pii(text: str) -> str:
    """110105194912310021 → 110***********0021; 13800138000 (or 138 0013 8000) → 138****8000."""
    text = _ID.sub(lambda m: m.group(1) + "*" * 11 + m.group(2), text)
    return _PHONE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


def phones_in(text: str) -> list[str]:
    """Every mobile number said in the text, as 11 digits (the transcripts index them for search)."""
    return ["".join(m.groups()) for m in _PHONE.finditer(text)]


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
