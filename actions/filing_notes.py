"""What the litigant is told right after submitting, computed from the backend's answer: the day the
court decides by (民诉法第一百二十六条, the API's decision_due with holidays counted) and, when fee
relief was applied for, the materials to upload (《诉讼费用交纳办法》第四十八条)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Optional

from bot.readers.parties import parties
from bot.readers.relief import KIND_LABELS, natural_persons, relief_request
from bot.texts import CORRECTION_DUE, PENDING_DUE, RELIEF_MATERIALS, SUBMITTED_DUE, SUBMITTED_DUE_UNKNOWN
from court.rules.fee_relief import ReliefError, required_materials

CHINA = timezone(timedelta(hours=8))


def decision_day(decision_due: Optional[str]) -> Optional[str]:
    """A due moment from the API (24:00 China time of its last day) as that day:
    "2026-10-08T16:00:00+00:00" → "2026年10月8日"; None stays None."""
    if not decision_due:
        return None
    try:
        moment = datetime.fromisoformat(decision_due.replace("Z", "+00:00"))
    except ValueError:
        return None
    last = (moment.astimezone(CHINA) - timedelta(microseconds=1)).date()
    return f"{last.year}年{last.month}月{last.day}日"


def due_text(filing: Mapping[str, Any]) -> str:
    day = decision_day(filing.get("decision_due"))
    return SUBMITTED_DUE.format(due=day) if day else SUBMITTED_DUE_UNKNOWN


def relief_materials_text(slots: Mapping[str, Any]) -> Optional[str]:
    """The proof to upload for the relief applied for, or None when none was."""
    relief = relief_request(slots)
    if not relief:
        return None
    try:
        materials = required_materials(relief["kind"], relief["ground"],
                                       natural_persons(parties("plaintiff", slots)))
    except ReliefError:
        return None
    return RELIEF_MATERIALS.format(kind=KIND_LABELS[relief["kind"]], materials="；".join(materials))


def deadline_text(filing: Mapping[str, Any]) -> Optional[str]:
    """The next step with its computed day: the court's decision (pending) or the 指定期限 (需补正);
    None when the API gives no day (the status's usual sentence is said instead)."""
    if filing.get("status") == "pending_review" and decision_day(filing.get("decision_due")):
        return PENDING_DUE.format(due=decision_day(filing.get("decision_due")))
    if filing.get("status") == "needs_correction" and decision_day(filing.get("correction_due")):
        return CORRECTION_DUE.format(due=decision_day(filing.get("correction_due")))
    return None
