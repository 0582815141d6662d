"""A journey's action that meets a revoked or expired token (issue 9) asks for identity again and then
runs again, instead of showing the backend's 401 text.

`TokenAction` is the base of every action that runs after its form with the litigant's token: on
SessionExpired it clears identity and opens verify_form (bot/expiry.py), remembering itself in
`resume_action`; once verify_form ends (data/rules/verify.yml), `action_resume_journey` runs it again
with the journey's answers untouched and the new token.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, Iterator, List, Text, Type

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import expiry
from bot.court_client import SessionExpired

VERIFY_FORM = "verify_form"


class TokenAction(Action, ABC):
    """An action after a form that calls the backend with the litigant's token."""

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        """The journey's work (what `run` would be)."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        try:
            return await self.act(dispatcher, tracker, domain)
        except SessionExpired:
            return [SlotSet("resume_action", self.name()), *expiry.after_form(dispatcher, VERIFY_FORM, tracker)]


def _token_actions(cls: Type[TokenAction] = TokenAction) -> Iterator[Type[TokenAction]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _token_actions(sub)


class ActionResumeJourney(Action):
    """After verify_form: the action that met the 401, run again here (a FollowupAction would leave the
    policies to guess what follows it)."""

    def name(self) -> Text:
        return "action_resume_journey"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        wanted = tracker.get_slot("resume_action")
        done: List[Dict[Text, Any]] = [SlotSet("resume_action", None)]
        for cls in _token_actions():
            if not getattr(cls, "__abstractmethods__", None) and cls().name() == wanted:
                return done + await cls().run(dispatcher, tracker, domain)
        return done
