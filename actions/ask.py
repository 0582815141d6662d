"""`action_ask_<slot>`: the form's questions, one small action per slot, texts in bot/texts.py."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text, Type

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.texts import QUESTIONS


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
        dispatcher.utter_message(**QUESTIONS[self.slot].kwargs())
        return []


def _ask_action(slot: str) -> Type[AskAction]:
    return type(f"Ask_{slot}", (AskAction,), {"slot": slot})


ASK_ACTIONS = [_ask_action(slot) for slot in QUESTIONS]
