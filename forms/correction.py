"""The 补正 form (correction_form): identity, the filing to correct, every item in turn, the read-back.

When the clerk asks for more (需补正), the notice lists every missing item at once (一次性告知:
《最高人民法院关于人民法院登记立案若干问题的规定》 art. 7; registration itself: 民事诉讼法 (2023) art. 126).
The form shows them all, then takes them one by one through the one slot `correction_input` (asked
again until every item has an answer in `correction_answers`): typed items are checked here
(bot/readers/correction_items.py), an upload is confirmed by looking for a new document on the filing.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.texts import (
    CORRECTION_CONFIRM_BUTTONS, CORRECTION_NOT_NEEDED, CORRECTION_TARGET_HELP, DOCUMENT_ONLY, LATER, NOT_MINE, NOTHING_NEW,
    TYPE_THIS_ITEM, UNCLEAR_CONFIRMATION, UPLOADED, WHICH_ITEM, court_error_text, inform,
)
from bot.corrections import DONE, answers_of, items_of
from bot.court_client import CourtClient, CourtError
from bot.own_filings import NEEDS_CORRECTION, NONE, candidates
from bot.readers.correction_items import (DOCUMENT, classify_item, classify_items, edit_index, next_item, notice_text,
                                          read_text_answer)
from bot.readers.values import normalize_text
from bot.tracker import latest_intent, tapped
from forms.filing_choice import chosen_filing, extract_filing_choice
from forms.identity import IDENTITY_SLOTS, IdentityFormValidation

_UPLOADED = re.compile(r"已上传|上传了|上传好|上传完|传好|传完|传了|已经传|已发|发好|发了|好了|完成|搞定")
_NOT_YET = re.compile(r"还没|没有|没传|未上传|没上传|没带|找不到|不在身边")
_LATER = re.compile(r"稍后|晚点|晚些|以后|下次|回头|等会|等一下|暂时|跳过|还没|没有|没传|未上传|没上传|没带|找不到|不在身边")
_CONFIRM = re.compile(r"^(?:确认|确认提交|提交|确定|没问题|对|对的|是的|是|好|好的|可以|没错|无误|ok|嗯+)[。.!！\s]*$",
                      re.IGNORECASE)
_CHANGE = re.compile(r"修改|改一下|改成|改为|要改|不对|错了|写错|有误|更正|重新")


def _after_answer(items: list[dict[str, Any]], answers: dict[str, Any]) -> Dict[Text, Any]:
    done = next_item(items, answers) is None
    return {"correction_answers": answers, "correction_input": DONE if done else None}


def _say_error(dispatcher: CollectingDispatcher, err: CourtError) -> None:
    dispatcher.utter_message(text=court_error_text(err))


class ValidateCorrectionForm(IdentityFormValidation):
    def name(self) -> Text:
        return "validate_correction_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        if tracker.get_slot("correction_target") == NONE:  # nothing to correct: the form ends and says so
            return [s for s in slots if s in IDENTITY_SLOTS or s == "correction_target"]
        return slots

    # --- which filing -------------------------------------------------------------------------

    async def validate_sms_code(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """Identity confirmed just now: choose the filing at once when there is only one (or none)."""
        result = await super().validate_sms_code(value, dispatcher, tracker, domain)
        token = result.get("litigant_token")
        if token and not tracker.get_slot("correction_target"):
            result.update(await self._choose_for(dispatcher, tracker, token))
        return result

    async def _choose_for(self, dispatcher: CollectingDispatcher, tracker: Tracker, token: str) -> Dict[Text, Any]:
        choice = await chosen_filing(tracker, token, {NEEDS_CORRECTION})
        if choice is None:  # to choose, or the backend is down: the question asks and explains
            return {}
        if choice == NONE:
            return {"correction_target": NONE}
        return await self._load(dispatcher, token, choice)

    async def extract_correction_target(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: DomainDict) -> Dict[Text, Any]:
        return await extract_filing_choice("correction_target", {NEEDS_CORRECTION}, CORRECTION_TARGET_HELP,
                                           dispatcher, tracker)

    async def validate_correction_target(self, value: Any, dispatcher: CollectingDispatcher,
                                         tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value or value == NONE:
            return {"correction_target": value or None}
        loaded = tracker.get_slot("correction_items")
        if isinstance(loaded, dict) and loaded.get("filing") == value:
            return {"correction_target": value}  # resumed after a failed submission: answers are kept
        return await self._load(dispatcher, tracker.get_slot("litigant_token"), str(value))

    @staticmethod
    async def _ask_again_or_end(token: str) -> Optional[str]:
        """After a wrong number: ask again (None) if another filing needs correcting, else end (NONE)."""
        try:
            others = await candidates(token, {NEEDS_CORRECTION})
        except CourtError:
            return None
        return None if others else NONE

    async def _load(self, dispatcher: CollectingDispatcher, token: str, number: str) -> Dict[Text, Any]:
        """The chosen filing's notice: every item at once (一次性告知), and the documents already there."""
        client = CourtClient.default()
        try:
            filing = await client.get_filing(token, number)
        except CourtError as err:
            if err.status != 404:
                _say_error(dispatcher, err)
                return {"correction_target": None}
            dispatcher.utter_message(text=NOT_MINE.format(filing_id=number))
            return {"correction_target": await self._ask_again_or_end(token)}
        if filing["status"] != NEEDS_CORRECTION:
            dispatcher.utter_message(text=CORRECTION_NOT_NEEDED.format(filing_id=number,
                                                                     status_label=filing["status_label"]))
            return {"correction_target": await self._ask_again_or_end(token)}
        review = filing.get("review") or {}
        items = classify_items(list(review.get("items") or []), review.get("reason"))
        if not items:
            items = [classify_item("请按法院的补正通知补充说明")]
        try:
            seen = [d["id"] for d in await client.list_documents(token, number)]
        except CourtError:
            seen = []
        reason = review.get("reason") if review.get("items") else None
        dispatcher.utter_message(text=notice_text(number, items, reason))
        return {"correction_target": number, "correction_items": {"filing": number, "items": items},
                "correction_answers": {}, "correction_seen_docs": seen, "correction_input": None,
                "correction_confirmed": None, "correction_choosing": None}

    # --- the items, one by one ----------------------------------------------------------------

    async def validate_correction_input(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if value == DONE:
            return {"correction_input": DONE}
        items, answers = items_of(tracker), answers_of(tracker)
        index = next_item(items, answers)
        if index is None:
            return {"correction_input": DONE}
        if not value:
            return {"correction_input": None}
        item = items[index]
        if item["kind"] == DOCUMENT:
            return await self._document_answer(dispatcher, tracker, items, answers, index, str(value))
        if latest_intent(tracker) in ("submit_correction", "upload_evidence", "file_case"):
            dispatcher.utter_message(text=TYPE_THIS_ITEM.format(n=index + 1))
            return {"correction_input": None}
        answer, problem = read_text_answer(item, str(value))
        if answer is None:
            dispatcher.utter_message(text=problem)
            return {"correction_input": None}
        answers[str(index)] = answer
        return _after_answer(items, answers)

    async def _document_answer(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               items: list[dict[str, Any]], answers: dict[str, Any], index: int,
                               text: str) -> Dict[Text, Any]:
        """已上传 is checked against the filing's documents; 稍后上传 is recorded as such."""
        s, intent = normalize_text(text), latest_intent(tracker)
        uploaded = intent == "affirm" or (intent != "deny" and _UPLOADED.search(s) and not _NOT_YET.search(s))
        if not uploaded and (intent == "deny" or _LATER.search(s)):
            answers[str(index)] = {"files": [], "later": True}
            dispatcher.utter_message(text=LATER)
            return _after_answer(items, answers)
        if not uploaded:
            dispatcher.utter_message(text=DOCUMENT_ONLY)  # the question, asked again next, has the buttons
            return {"correction_input": None}
        number = tracker.get_slot("correction_target")
        try:
            documents = await CourtClient.default().list_documents(tracker.get_slot("litigant_token"), number)
        except CourtError as err:
            _say_error(dispatcher, err)
            return {"correction_input": None}
        seen = list(tracker.get_slot("correction_seen_docs") or [])
        new = [d for d in documents if d["id"] not in seen]
        if not new:
            dispatcher.utter_message(text=NOTHING_NEW)
            return {"correction_input": None}
        files = [d["filename"] for d in new]
        answers[str(index)] = {"files": files}
        dispatcher.utter_message(text=UPLOADED.format(files="、".join(files)))
        return {**_after_answer(items, answers), "correction_seen_docs": seen + [d["id"] for d in new]}

    # --- the read-back --------------------------------------------------------------------------

    async def validate_correction_confirmed(self, value: Any, dispatcher: CollectingDispatcher,
                                            tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if value is True:
            return {"correction_confirmed": True}
        if not value:
            return {"correction_confirmed": None}
        items, answers = items_of(tracker), answers_of(tracker)
        s, intent = normalize_text(str(value)), latest_intent(tracker)
        button = tapped(tracker, "item")  # a 修改 button's payload: the item's number
        if button and button.isdigit() and 1 <= int(button) <= len(items):
            index: Optional[int] = int(button) - 1
        else:
            index = edit_index(s, len(items), bool(tracker.get_slot("correction_choosing")))
        if index is None and len(items) == 1 and (intent == "deny" or _CHANGE.search(s)):
            index = 0
        if index is not None:  # asked again for that item; the read-back follows once it is answered
            answers.pop(str(index), None)
            return {"correction_confirmed": None, "correction_choosing": None, "correction_input": None,
                    "correction_answers": answers}
        if intent == "affirm" or (_CONFIRM.match(s) and not _CHANGE.search(s)):
            return {"correction_confirmed": True, "correction_choosing": None}
        if intent == "deny" or _CHANGE.search(s):
            buttons = [{"title": f"第{i + 1}项：{item['text'][:14]}", "payload": inform("item", str(i + 1))}
                       for i, item in enumerate(items)][:10]
            dispatcher.utter_message(text=WHICH_ITEM, buttons=buttons)
            return {"correction_confirmed": None, "correction_choosing": True}
        dispatcher.utter_message(text=UNCLEAR_CONFIRMATION, buttons=CORRECTION_CONFIRM_BUTTONS)
        return {"correction_confirmed": None, "correction_choosing": True}
