"""No loops (issue 14): a question asked a third time offers a way out, and an SMS rate limit says when
to come back instead of asking for the phone again at once. Pure functions over the tracker's events."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping, Optional
from zoneinfo import ZoneInfo

from bot.readers.answers import DIGRESSIONS
from bot.texts import SMS_TOO_MANY, SMS_TOO_MANY_BUTTONS, WAY_OUT, WAY_OUT_BUTTONS, WAY_OUT_FILING_BUTTONS

ASKED_BEFORE_WAY_OUT = 2  # the third time a question is asked, the way out comes with it
CHINA = ZoneInfo("Asia/Shanghai")


def _intent(event: Mapping[str, Any]) -> Optional[str]:
    return (((event.get("parse_data") or {}).get("intent")) or {}).get("name")


def times_asked(events: Iterable[Mapping[str, Any]], slot: str, progress: Optional[str] = None) -> int:
    """How many answers the litigant has given to `slot` since the form began asking it (0: first ask).

    `progress` is for a slot asked once per item (补正's `correction_input`): a new value of the
    `progress` slot means the item was answered and the next one asked, so the count starts again."""
    asking, answers = False, 0
    for event in events:
        kind = event.get("event")
        if kind == "slot" and progress and event.get("name") == progress:
            answers = 0
        elif kind == "slot" and event.get("name") == "requested_slot":
            if event.get("value") != slot:
                asking = False
            elif not asking:
                asking, answers = True, 0
        elif kind == "active_loop" and not event.get("name"):
            asking = False
        elif kind == "user" and asking and _intent(event) not in DIGRESSIONS:
            answers += 1  # a question in between is not an answer
    return answers if asking else 0


def way_out(events: Iterable[Mapping[str, Any]], slot: str, form: Optional[str],
            progress: Optional[str] = None) -> Optional[dict[str, Any]]:
    """The way-out message for the third ask of the same question, else None."""
    if times_asked(events, slot, progress) < ASKED_BEFORE_WAY_OUT:
        return None
    return {"text": WAY_OUT, "buttons": WAY_OUT_FILING_BUTTONS if form == "filing_form" else WAY_OUT_BUTTONS}


def retry_at(retry_after: int, now: Optional[datetime] = None) -> str:
    """When a rate-limited phone may ask for a code again, as an ISO time (the slot sms_retry_at)."""
    return ((now or datetime.now(timezone.utc)) + timedelta(seconds=retry_after)).isoformat()


def waiting(value: Optional[str], now: Optional[datetime] = None) -> bool:
    """Still inside the wait that sms_retry_at records."""
    if not value:
        return False
    try:
        return datetime.fromisoformat(value) > (now or datetime.now(timezone.utc))
    except ValueError:
        return False


def too_many_codes(retry_after: int, now: Optional[datetime] = None) -> dict[str, Any]:
    """"请在21:35以后再试（约35分钟后）", in China's time, with what the litigant can do meanwhile."""
    at = datetime.fromisoformat(retry_at(retry_after, now)).astimezone(CHINA)
    if at.second or at.microsecond:  # "以后" must be true: up to the next whole minute
        at = at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    minutes = max(1, -(-retry_after // 60))
    return {"text": SMS_TOO_MANY.format(time=at.strftime("%H:%M"), minutes=minutes), "buttons": SMS_TOO_MANY_BUTTONS}
