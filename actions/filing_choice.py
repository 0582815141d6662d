"""The question "which of your filings?" of 补正, uploads and withdrawal, written once."""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.ask import ask_out
from bot import expiry
from bot.court_client import CourtError, SessionExpired
from bot.own_filings import filing_buttons


async def ask_which_filing(dispatcher: CollectingDispatcher, tracker: Tracker, statuses: Iterable[str],
                           choose: str, help_text: str) -> List[Dict[Text, Any]]:
    """The litigant's filings in `statuses` as buttons under `choose`; `help_text` when there are none
    (or the backend cannot be reached: the litigant can still type a number). A token that stopped
    working asks for identity again instead (bot/expiry.py): the question's events."""
    try:
        buttons = await filing_buttons(tracker.get_slot("litigant_token"), statuses)
    except CourtError:
        buttons = []
    except SessionExpired:
        return expiry.in_question(dispatcher, tracker)
    if buttons:
        dispatcher.utter_message(text=choose, buttons=buttons)
    else:
        dispatcher.utter_message(text=help_text)
    ask_out(dispatcher, tracker, (tracker.get_slot("requested_slot") or ""))
    return []
