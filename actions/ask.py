"""`action_ask_<slot>`: the form's questions, one small action per slot, texts in bot/texts.py."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text, Type

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.texts import QUESTIONS
from bot.way_out import waiting, way_out


class AskAction(Action, ABC):
    """Asks the question for `slot`; subclasses only set the slot (abstract until they do)."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot whose question this action asks."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if self.slot == "identity_phone" and waiting(tracker.get_slot("sms_retry_at")):
            return []  # the rate limit was just explained, with when to come back
        dispatcher.utter_message(**QUESTIONS[self.slot].kwargs())
        ask_out(dispatcher, tracker, self.slot)
        return []


def ask_out(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, progress: Optional[str] = None) -> None:
    """The third time a question is asked, a way out comes with it (转人工 / 保存草稿 / 退出); `progress`
    as in `bot.way_out.times_asked`."""
    offer = way_out(tracker.events, slot, (tracker.active_loop or {}).get("name"), progress)
    if offer:
        dispatcher.utter_message(**offer)


def _ask_action(slot: str) -> Type[AskAction]:
    return type(f"Ask_{slot}", (AskAction,), {"slot": slot})


ASK_ACTIONS = [_ask_action(slot) for slot in QUESTIONS]
