"""The staff console's view of conversations: who sees ID and mobile numbers whole, and masking
through what litigants typed (slot values, entities, custom payloads)."""
from __future__ import annotations

from typing import Any, Optional

from court.rules.privacy import mask_pii

UNMASKED_ROLES = {"clerk", "judge"}  # 立案审查 checks identities; an administrator needs no numbers


def can_see_numbers(role: str) -> bool:
    return role in UNMASKED_ROLES


def mask_text(text: Optional[str]) -> Optional[str]:
    """ID and mobile numbers masked, also a mobile typed with spaces (138 0013 8000 → 138****8000)."""
    return None if text is None else mask_pii(text)


def mask_value(value: Any) -> Any:
    """mask_text through lists and dicts (slot values, entities, custom payloads)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    return value


def words(column_value: str) -> list[str]:
    """The numbers kept space-delimited in a conversation's ``phones`` / ``filing_numbers``."""
    return column_value.split()
