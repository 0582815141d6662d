"""A half-finished filing as a draft (待提交) in the backend: what is saved, and what comes back.

Saved after every answer once the litigant is verified (the backend keeps one draft per litigant),
offered when they start a filing again, deleted by the backend when a filing is submitted.
"""
from __future__ import annotations

from typing import Any, Mapping

# What a draft holds: the filing's own answers, never identity slots, tokens or SMS codes.
DRAFT_SLOTS = [
    "case_type", "court", "court_code", "filer_is_plaintiff",
    "plaintiff_name", "plaintiff_id_number", "plaintiff_representative", "plaintiff_phone", "plaintiff_address",
    "plaintiff_kind", "more_plaintiffs", "plaintiffs",
    "defendant_name", "defendant_representative", "defendant_address", "defendant_kind", "more_defendants",
    "defendants", "claims", "amount", "evidence", "facts", "mediation_consent", "e_service_consent",
    "e_service_address", "plaintiff_details", "defendant_details",
    "fee_relief_wanted", "fee_relief_kind", "fee_relief_ground",
]


def draft_data(slots: Mapping[str, Any]) -> dict[str, Any]:
    """The answers worth keeping (empty ones left out)."""
    return {k: slots[k] for k in DRAFT_SLOTS if slots.get(k) not in (None, "", [])}


def worth_saving(slots: Mapping[str, Any]) -> bool:
    """Something beyond the 案由 has been answered, and no older draft is waiting to be offered."""
    if slots.get("filing_confirmed") is True:
        return False  # being submitted: the backend deletes the draft with the new filing
    if slots.get("draft_summary") and slots.get("resume_draft") is None:
        return False  # would overwrite the draft we are about to offer
    return len(draft_data(slots)) > 1


def restored(data: Any) -> dict[str, Any]:
    """Slot values from a draft the backend returned; unknown keys are dropped, not trusted."""
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in DRAFT_SLOTS}
