"""The "which of my filings?" question of the 补正 and upload forms, written once.

The filing is chosen at once when the litigant has exactly one in the wanted statuses (or none:
the form then ends and says so); otherwise a number typed or tapped is taken, and the question's
help is said when the answer holds none.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.court_client import CourtError
from bot.own_filings import candidates, pick
from bot.readers.answers import DIGRESSIONS
from bot.readers.lookup_numbers import number_in
from bot.tracker import latest_intent, latest_text
from forms.identity import is_verified


async def chosen_filing(tracker: Tracker, token: str, statuses: Iterable[str]) -> Optional[str]:
    """The only (or the looked-up) filing, NONE when there is none, None when the litigant must choose
    or the backend cannot be reached (the question then asks and explains)."""
    try:
        return pick(await candidates(token, statuses), tracker.get_slot("lookup_number"))
    except CourtError:
        return None


async def choose_once_verified(result: Dict[Text, Any], tracker: Tracker, slot: str,
                               statuses: Iterable[str]) -> Dict[Text, Any]:
    """After the SMS code (``result`` of validate_sms_code): the filing is chosen at once when there
    is one (or none), so that the litigant is not asked."""
    token = result.get("litigant_token")
    if token and not tracker.get_slot(slot):
        choice = await chosen_filing(tracker, token, statuses)
        if choice:
            result[slot] = choice
    return result


async def extract_filing_choice(slot: str, statuses: Iterable[str], help_text: str,
                                dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    """The filing for `slot`: a number in the answer, or the only candidate when the form starts."""
    if tracker.get_slot(slot) or not is_verified(tracker):
        return {}
    requested = tracker.get_slot("requested_slot")
    number = number_in(latest_text(tracker))
    if requested == slot:
        if number:  # the answer first: a number typed is the answer, whatever intent was guessed
            return {slot: number}
        if latest_intent(tracker) in DIGRESSIONS:
            return {}
        dispatcher.utter_message(text=help_text)
        return {slot: None}
    if requested is None:  # the form starts and the litigant is already verified
        if number:
            return {slot: number}
        choice = await chosen_filing(tracker, tracker.get_slot("litigant_token"), statuses)
        return {slot: choice} if choice else {}
    return {}
