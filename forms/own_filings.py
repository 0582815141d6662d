"""Choosing one of the litigant's own filings by status, shared by the 补正 and upload forms.

The list comes from GetFilingList (only the caller's filings: court/filings.py); a number typed by
the litigant is always checked against it, so nobody reaches someone else's filing from the chat.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

from rasa_sdk import Tracker

from actions.court_client import CourtClient
from forms.status import FILING_NUMBER

NONE = "无"  # the choice when the litigant has no filing in the wanted status: the form ends and says so
MAX_BUTTONS = 6


async def candidates(token: str, statuses: Iterable[str]) -> list[dict[str, Any]]:
    """The litigant's filings in one of `statuses`, newest first (CourtError propagates)."""
    wanted = set(statuses)
    return [f for f in await CourtClient.default().list_filings(token) if f["status"] in wanted]


def pick(found: list[dict[str, Any]], preferred: Optional[str]) -> Optional[str]:
    """NONE when there is nothing to choose, the filing when there is one (or the preferred one), else None."""
    if not found:
        return NONE
    numbers = [f["id"] for f in found]
    if preferred and preferred in numbers:
        return preferred
    return numbers[0] if len(numbers) == 1 else None


def number_in(text: str) -> Optional[str]:
    """A filing number (LA + 14 digits) anywhere in what the litigant typed, in canonical form."""
    found = FILING_NUMBER.search(text or "")
    return "".join(found.group(0).split()).upper() if found else None


def latest_intent(tracker: Tracker) -> Optional[str]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""
