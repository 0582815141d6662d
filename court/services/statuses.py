"""Filing statuses as the national platform shows them (litigation-rules §3), and the allowed moves."""
from __future__ import annotations

PENDING = "pending_review"
NEEDS_CORRECTION = "needs_correction"
REJECTED = "rejected"
DOCKETED = "docketed"
WITHDRAWN = "withdrawn"

LABELS = {
    PENDING: "待审核",
    NEEDS_CORRECTION: "需补正",
    REJECTED: "不予立案",
    DOCKETED: "已立案",
    WITHDRAWN: "已撤回",
}

# A filing can be withdrawn (CancelFiling) only before docketing.
TRANSITIONS = {
    PENDING: {NEEDS_CORRECTION, REJECTED, DOCKETED, WITHDRAWN},
    NEEDS_CORRECTION: {PENDING, WITHDRAWN},
    REJECTED: set(),
    DOCKETED: set(),
    WITHDRAWN: set(),
}


def can_move(before: str, after: str) -> bool:
    return after in TRANSITIONS.get(before, set())
