"""The two-stage fallback's words (data/rules/fallback.yml runs action_two_stage_fallback on nlu_fallback).

Stage 1 (action_default_ask_affirmation): the message's best 2–3 guesses from its intent_ranking,
as buttons with plain Chinese labels and intent payloads, plus "都不是" (/out_of_scope, which Rasa's
loop reads as a denial). Stage 2 (action_default_ask_rephrase): please say it another way. If that
fails too, action_default_fallback offers a person. Intent names are never shown.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from bot.texts import (
    ASK_AFFIRMATION, ASK_REPHRASE, DEFAULT_GUESSES, GIVE_UP, INTENT_LABELS, NONE_OF_THESE, Button,
)

MAX_GUESSES = 3
MIN_CONFIDENCE = 0.05  # a guess the model gives less than this is noise, not a guess


def guesses(intent_ranking: Optional[List[Mapping[str, Any]]], limit: int = MAX_GUESSES) -> List[str]:
    """The best-ranked intents that are something the assistant can do (have a label), best first.

    Chit-chat, yes/no, inform, faq (its answer needs the original message) and nlu_fallback itself
    are skipped. With no usable guess, the three most asked-for services are offered instead.
    """
    found: List[str] = []
    for entry in intent_ranking or []:
        name = entry.get("name")
        if name in INTENT_LABELS and name not in found and float(entry.get("confidence") or 0) >= MIN_CONFIDENCE:
            found.append(name)
        if len(found) == limit:
            break
    if len(found) < 2:
        found += [name for name in DEFAULT_GUESSES if name not in found][: max(0, 2 - len(found))]
    return found[:limit]


def guess_buttons(intent_ranking: Optional[List[Mapping[str, Any]]]) -> List[Button]:
    return [{"title": INTENT_LABELS[name], "payload": f"/{name}"} for name in guesses(intent_ranking)] + [NONE_OF_THESE]


class ActionDefaultAskAffirmation(Action):
    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        ranking = (tracker.latest_message or {}).get("intent_ranking")
        dispatcher.utter_message(text=ASK_AFFIRMATION, buttons=guess_buttons(ranking))
        return []


class ActionDefaultAskRephrase(Action):
    def name(self) -> Text:
        return "action_default_ask_rephrase"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=ASK_REPHRASE)
        return []


class ActionDefaultFallback(Action):
    """The last resort (after two unclear tries, or when no action is confident): a person can help.

    Like Rasa's own default it reverts the unclear message, so the conversation goes on as before it.
    """

    def name(self) -> Text:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=GIVE_UP)
        return [UserUtteranceReverted()]
