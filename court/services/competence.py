"""Level and specialised competence of a filing, checked before anything is written (级别管辖、专门管辖,
民诉法第十八条至第二十一条; court/rules/competence.py holds the law).

Why: a complaint filed at a court that cannot hear it (an ordinary loan at 最高人民法院, a high court
or an IP court) would otherwise be docketed there. The parties' provinces come from their addresses
where the address names a place; they matter only between 1亿 and 5亿元, and when they are needed
and unknown the litigant is asked for them (422), never guessed.
"""
from __future__ import annotations

from typing import Optional

from court.rules.competence import CompetenceError, check_competence
from court.rules.courts import court_by_code
from court.rules.places import resolve_place
from court.services.errors import InvalidField
from court.services.filing_input import FilingInput

UNLISTED = "unknown_case_type"  # a cause outside the catalogue: the clerk judges competence on review


def _province(address: Optional[str]) -> Optional[str]:
    if not address:
        return None
    found = resolve_place(address)
    return found.courts[0].province if found.found and found.courts[0].province else None


def refuse_if_not_competent(data: FilingInput) -> None:
    """422 with the reason, the articles and the level that applies, when the court cannot hear it."""
    court = court_by_code(data.court_code)
    if court is None:
        return  # parse_filing refuses unknown courts already
    provinces = [p for p in (_province(getattr(party, "address", None)) for party in data.parties) if p]
    try:
        decision = check_competence(court, data.case_type, data.amount, provinces)
    except CompetenceError as err:
        if err.code == UNLISTED:
            return
        raise InvalidField(err.code, err.message_zh, "court_code") from None
    if not decision.accepted:
        basis = "、".join(decision.basis)
        raise InvalidField("court_not_competent", f"{decision.reason}（依据：{basis}）", "court_code")
