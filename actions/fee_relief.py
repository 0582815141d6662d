"""The 司法救助 questions of the filing form (forms/filing_relief.py): which relief, then which ground
of 《诉讼费用交纳办法》第四十五条至第四十七条, with one button per ground."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.ask import ask_out
from bot.readers.parties import parties
from bot.readers.relief import KIND_LABELS, natural_persons, offered_grounds
from bot.texts import RELIEF_GROUND_QUESTION, RELIEF_KIND_BUTTONS, RELIEF_KIND_QUESTION, inform

BUTTON_TITLE_MAX = 24


class ActionAskFeeReliefKind(Action):
    def name(self) -> Text:
        return "action_ask_fee_relief_kind"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        buttons = RELIEF_KIND_BUTTONS
        if not natural_persons(parties("plaintiff", tracker.current_slot_values())):
            buttons = [b for b in buttons if b["payload"] != inform("relief_kind", "waiver")]  # 第四十四条第二款
        dispatcher.utter_message(text=RELIEF_KIND_QUESTION, buttons=buttons)
        ask_out(dispatcher, tracker, "fee_relief_kind")
        return []


class ActionAskFeeReliefGround(Action):
    def name(self) -> Text:
        return "action_ask_fee_relief_ground"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kind = tracker.get_slot("fee_relief_kind") or "deferral"
        options = offered_grounds(kind, natural_persons(parties("plaintiff", tracker.current_slot_values())))
        lines = [f"{i}. {g.label}（{g.article}）" for i, g in enumerate(options, 1)]
        buttons = [{"title": g.label if len(g.label) <= BUTTON_TITLE_MAX else g.label[:BUTTON_TITLE_MAX - 1] + "…",
                    "payload": inform("relief_ground", g.code)} for g in options]
        dispatcher.utter_message(text=RELIEF_GROUND_QUESTION.format(kind=KIND_LABELS[kind], grounds="\n".join(lines)),
                                 buttons=buttons)
        ask_out(dispatcher, tracker, "fee_relief_ground")
        return []
