"""The filing form's questions that depend on earlier answers: the court (suggested from the case
type and the parties' places, with the basis for jurisdiction), the saved draft, the 送达 address."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.ask import ask_out
from bot.court_client import CourtClient, CourtError
from court.rules.competence import LEVEL_NAMES
from court.rules.phone import mask_phone
from bot.readers.parties import parties
from bot.texts import (COURT_BY_NAME, COURT_QUESTION, DRAFT_UNNAMED, E_SERVICE_ADDRESS, E_SERVICE_SAME_PHONE,
                       RESUME_DRAFT, RESUME_DRAFT_BUTTONS, SAME_PHONE_BUTTONS, inform)

log = logging.getLogger(__name__)



SHORT_NAMES = {
    "《中华人民共和国民事诉讼法》": "《民事诉讼法》",
    "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》": "《民诉法解释》",
}


def _short(article: str) -> str:
    for long, short in SHORT_NAMES.items():
        article = article.replace(long, short)
    return article


def level_line(suggestions: List[Dict[str, Any]]) -> Optional[str]:
    """Which level of court the suggested ones are, and why (级别管辖, 民诉法第十八条至第二十一条); the
    amount is checked against the thresholds again when the filing is submitted."""
    levels = {(s.get("court") or {}).get("level") for s in suggestions} - {None}
    if levels == {"basic"}:
        return ("以上均为基层人民法院：第一审民事案件一般由基层人民法院管辖（《民事诉讼法》第十八条）；"
                "诉讼标的额特别大的由中级或高级人民法院管辖（第十九条、第二十条），提交时会按金额再核对。")
    named = "、".join(LEVEL_LABELS[level] for level in sorted(levels) if level in LEVEL_LABELS)
    return f"以上法院包括{named}，提交时会按案由和诉讼标的额核对级别管辖（《民事诉讼法》第十八条至第二十一条）。" if named else None


LEVEL_LABELS = {**LEVEL_NAMES, "special": "专门人民法院"}


def court_suggestion_text(answer: Dict[str, Any]) -> tuple[str, List[Dict[str, str]]]:
    """"以下法院对本案有管辖权" with each court's bases, articles and the facts they depend on, and one
    button per court; conditional bases say their condition rather than being hidden."""
    lines, buttons = ["根据您填写的案由和当事人住所地，以下法院对本案有管辖权："], []
    for i, s in enumerate(answer.get("suggestions") or [], 1):
        court = s["court"]["name"]
        bases = []
        for b in s.get("bases") or [{"basis": s["basis"], "article": s["article"]}]:
            text = f"{b['basis']}，{_short(b['article'])}"
            if b.get("condition"):
                text += f"；前提是{b['condition']}"
            bases.append(text)
        line = f"{i}. {court}（{'；另：'.join(bases)}）"
        if s.get("caution"):
            line += f" 提示：{s['caution']}"
        lines.append(line)
        buttons.append({"title": court, "payload": inform("court", court)})
    level = level_line(answer.get("suggestions") or [])
    if level:
        lines.append(level)
    choice = [n for n in answer.get("notes") or [] if "选择其中一个" in n]
    if len(buttons) > 1 and choice:
        lines.append(_short(choice[0]))
    lines.append("请选择受理法院，也可以输入其他法院的名称。")
    return "\n".join(lines), buttons


class ActionAskCourt(Action):
    def name(self) -> Text:
        return "action_ask_court"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        try:
            answer = await CourtClient.default().suggest_courts(
                tracker.get_slot("case_type") or "",
                defendant_places=[p.get("address", "") for p in parties("defendant", slots)],
                plaintiff_places=[p.get("address", "") for p in parties("plaintiff", slots)])
        except CourtError as err:
            log.info("no court suggestion: %s %s", err.status, err.code)
            answer = {}
        if answer.get("suggestions"):
            text, buttons = court_suggestion_text(answer)
            dispatcher.utter_message(text=text, buttons=buttons)
        elif answer.get("exclusive") and answer.get("notes"):  # e.g. 不动产: the property's court only
            note = _short(answer["notes"][0]).replace("，因此只列出不动产所在地的法院", "")
            dispatcher.utter_message(text=note + "\n" + COURT_BY_NAME)
        else:
            dispatcher.utter_message(text=COURT_QUESTION)
        ask_out(dispatcher, tracker, "court")
        return []


class ActionAskResumeDraft(Action):
    def name(self) -> Text:
        return "action_ask_resume_draft"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        summary = tracker.get_slot("draft_summary") or DRAFT_UNNAMED
        dispatcher.utter_message(text=RESUME_DRAFT.format(summary=summary), buttons=RESUME_DRAFT_BUTTONS)
        return []


class ActionAskEServiceAddress(Action):
    def name(self) -> Text:
        return "action_ask_e_service_address"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        phone = tracker.get_slot("identity_phone")
        text = E_SERVICE_ADDRESS
        buttons = []
        if phone:
            text += E_SERVICE_SAME_PHONE.format(phone=mask_phone(phone))
            buttons = SAME_PHONE_BUTTONS
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
