"""The litigant's own filings by status: the "choose one of my filings" step of 补正, uploads and
withdrawal.

The list comes from GetFilingList (only the caller's filings: court/filings.py); a number typed by
the litigant is always checked against it, so nobody reaches someone else's filing from the chat.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

from bot.court_client import CourtClient
from bot.texts import Button, filing_button

NONE = "无"  # the choice when the litigant has no filing in the wanted status: the form ends and says so
MAX_BUTTONS = 6

NEEDS_CORRECTION = "needs_correction"
# Documents can be added while the court has not decided (court/documents.py refuses closed filings).
OPEN_FOR_UPLOAD = {"pending_review", NEEDS_CORRECTION}
# Only filings not yet docketed can be withdrawn online.
CANCELLABLE = {"pending_review", NEEDS_CORRECTION}
# Every filing has its electronic case file (电子卷宗), whatever became of it.
ANY_STATUS = {"pending_review", NEEDS_CORRECTION, "docketed", "rejected", "withdrawn"}


async def candidates(token: str, statuses: Iterable[str]) -> list[dict[str, Any]]:
    """The litigant's filings in one of `statuses`, newest first (CourtError propagates)."""
    wanted = set(statuses)
    return [f for f in await CourtClient.default().list_filings(token) if f["status"] in wanted]


async def filing_buttons(token: str, statuses: Iterable[str]) -> list[Button]:
    """The first MAX_BUTTONS of those filings as buttons (CourtError propagates)."""
    return [filing_button(f) for f in (await candidates(token, statuses))[:MAX_BUTTONS]]


def pick(found: list[dict[str, Any]], preferred: Optional[str]) -> Optional[str]:
    """NONE when there is nothing to choose, the filing when there is one (or the preferred one), else None."""
    if not found:
        return NONE
    numbers = [f["id"] for f in found]
    if preferred and preferred in numbers:
        return preferred
    return numbers[0] if len(numbers) == 1 else None
