"""Normalising what the litigant typed before any reader looks at it."""
from __future__ import annotations

import unicodedata


def normalize_text(text: str) -> str:
    """Full-width digits, letters and punctuation to half-width (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()
