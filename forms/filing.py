"""Validation of the filing form (立案): one question at a time, each answer checked and explained.

The form follows 民事诉讼法 (2023) art. 124: every plaintiff and defendant (persons or organisations),
the claims (a list, each with its amount), the facts and reasons, the evidence; then consent to
诉前调解 (art. 125) and 电子送达 (art. 90). Identity comes right after the 案由, so that a draft kept in
the backend can be offered before anything is asked twice.

Validators may be called with None and may run twice (rasa #11790, #11595): each is a pure
function of the value and the latest message, apart from the backend calls over HTTP.
"""
from __future__ import annotations

import logging
import re
from decimal import Decimal
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import expiry
from bot.court_client import CourtClient, CourtError, SessionExpired
from bot.texts import (
    AMOUNT_NOT_POSITIVE, AMOUNT_TOO_LARGE, AMOUNT_UNREADABLE, BACKEND_DOWN, CASE_TYPE_GUESS, CASE_TYPE_UNKNOWN,
    COURT_AGAIN, COURT_GUESS, NONE_OF_THE_GUESSES,
    CLAIMS_TOO_LARGE, CLAIMS_TOO_LONG, CLAIMS_TOO_VAGUE, COURT_NOT_FOUND, COURT_WHICH,
    DEFENDANT_IS_PLAINTIFF, DRAFT_DISCARDED, DRAFT_RESTORED, DRAFT_UNNAMED, EVIDENCE_HELP,
    E_SERVICE_ADDRESS_HELP, FACTS_TOO_LONG, FACTS_TOO_SHORT, FILER_IS_PLAINTIFF_HELP,
    PARTY_NAME_HELP, PARTY_TWICE, ROLE_LABELS, TOO_MANY_CLAIMS, TOO_MANY_EVIDENCE,
    TOO_MANY_PARTIES, WHAT_TO_CHANGE, YES_NO_HELP, inform,
)
from bot.drafts import draft_data, restored, worth_saving
from bot.readers.answers import (DIGRESSIONS, clean_name, party_kind, read_confirmation,
                                 read_id_number, read_is_self)
from bot.readers.fuzzy import guesses, known
from bot.readers.lists import claims_total, find_email, is_none_answer, parse_claims, parse_evidence, read_yes_no
from bot.readers.parties import (LIST_SLOT, MORE_SLOT, add_current, clear_role, parties, read_address,
                                 read_representative)
from bot.readers.phone import read_phone
from bot.readers.read_back import CHANGEABLE, Change, asks_question, read_change, renamed_party
from bot.readers.values import find_amounts, normalize_text, parse_amount
from bot.tracker import latest_entity, latest_intent, latest_text
from forms.filing_details import PartyDetailsValidation
from forms.filing_relief import FeeReliefValidation
from forms.digression import faq_answer
from forms.identity import IdentityFormValidation, known_identity, name_extractor

log = logging.getLogger(__name__)

# Above 100 亿元 an online filing is almost surely a typing slip (一千亿); such a claim, if real,
# belongs at the court's service centre, where the clerk can check it with the litigant.
MAX_AMOUNT = Decimal("10000000000")
NO_AMOUNT = "无"  # a non-property case (离婚, 名誉权 …): the fee is per case, not by amount
MAX_CLAIMS, MAX_EVIDENCE, MAX_PARTIES = 20, 30, 20
# What a correction at the read-back clears, beyond the field itself.
COMPANIONS = {
    "court": {"court_code": None},
    "plaintiff_name": clear_role("plaintiff"),
    "defendant_name": clear_role("defendant"),
    "claims": {"amount": None},
    "e_service_consent": {"e_service_address": None},
}
SELF_SLOTS = ["plaintiff_name", "plaintiff_id_number", "plaintiff_phone", "plaintiff_representative"]
SAME_PHONE = re.compile(r"同上|就用|用这个|认证的手机|本人手机|这个号|本机|原手机|上面的")


def _read(slot: str, value: Any, dispatcher: CollectingDispatcher,
          reader: Callable[[str], tuple[Optional[str], Optional[str]]]) -> Dict[Text, Any]:
    """An answer read by a reader of the floor: its value, or its Chinese problem said and the slot cleared."""
    if not value:
        return {slot: None}
    read, problem = reader(str(value))
    if problem:
        dispatcher.utter_message(text=problem)
    return {slot: read}


def _party_name(role: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    """A plaintiff's or defendant's name (the NLU's entity first) and whether a person or organisation;
    never a party already named in that role, and a defendant is never one of the plaintiffs."""
    # a defendant's kind goes with its name; a plaintiff's stays until the party is added (add_current)
    empty = {"defendant_name": None, "defendant_kind": None} if role == "defendant" else {"plaintiff_name": None}
    if not value:
        return empty
    typed = clean_name(str(value))
    entity = latest_entity(tracker, "org_name") or latest_entity(tracker, "person_name")
    # The model's entity can cut a short name (钱多多 → 多多): what was typed wins when it holds the
    # entity and is itself a person's name; the entity wins inside a longer sentence.
    shortened = bool(typed and entity and entity != typed and entity in typed and len(typed) <= 4)
    name = typed if shortened else (entity or typed)
    if name is None:
        dispatcher.utter_message(text=PARTY_NAME_HELP[role])
        return empty
    if role == "defendant" and name in {p["name"] for p in parties("plaintiff", tracker.slots)}:
        dispatcher.utter_message(text=DEFENDANT_IS_PLAINTIFF)
        return empty
    if name in {p["name"] for p in tracker.get_slot(LIST_SLOT[role]) or []}:
        dispatcher.utter_message(text=PARTY_TWICE.format(name=name, role=ROLE_LABELS[role]))
        return empty
    return {f"{role}_name": name, f"{role}_kind": party_kind(name)}


def _representative(role: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    """法定代表人: required of an organisation that sues, "不清楚" allowed for one that is sued."""
    return _read(f"{role}_representative", value, dispatcher,
                 lambda text: read_representative(text, required=role == "plaintiff"))


def _address(role: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    return _read(f"{role}_address", value, dispatcher, read_address)


def _more_parties(role: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    """"还有" keeps the party being asked about and asks for the next one, up to MAX_PARTIES."""
    if value is None:
        return {MORE_SLOT[role]: None}
    if value and len(parties(role, tracker.slots)) >= MAX_PARTIES:
        dispatcher.utter_message(text=TOO_MANY_PARTIES.format(limit=MAX_PARTIES, role=ROLE_LABELS[role]))
        value = False
    return add_current(role, tracker.slots, bool(value))


async def draft_offer(token: str) -> Dict[Text, Any]:
    """Slots that make the form offer the litigant's saved draft, if the backend has one."""
    try:
        draft = await CourtClient.default().get_draft(token)
    except CourtError as err:
        log.warning("draft lookup failed: %s %s", err.status, err.code)
        draft = None
    if not draft or not restored(draft.get("data")):
        return {"draft_checked": True}
    return {"draft_checked": True, "draft_summary": draft.get("summary") or DRAFT_UNNAMED,
            "draft_data": restored(draft.get("data"))}


class ValidateFilingForm(PartyDetailsValidation, FeeReliefValidation, IdentityFormValidation):
    def name(self) -> Text:
        return "validate_filing_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        """A FAQ inside the form is tried as the answer first (forms/digression.py)."""
        noticed = self.notice_relief(tracker)
        if noticed:  # 交不起诉讼费: the general answer, then kind and ground next (办法第四十八条)
            answer = faq_answer(tracker)
            if answer:
                dispatcher.utter_message(text=answer)
            return noticed + await self.validate_turn(dispatcher, tracker, domain)
        return await super().run(dispatcher, tracker, domain)

    async def validate_turn(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> List[Dict[Text, Any]]:
        """Also: offer a saved draft once per conversation, and keep the draft up to date."""
        events: List[Dict[Text, Any]] = []
        token = tracker.get_slot("litigant_token")
        try:
            if token and not tracker.get_slot("draft_checked"):
                offer = await draft_offer(token)
                events = [SlotSet(k, v) for k, v in offer.items()]
                tracker.slots.update(offer)
        except SessionExpired:
            return expiry.in_validator(dispatcher, tracker)
        events += await super().validate_turn(dispatcher, tracker, domain)
        token = tracker.get_slot("litigant_token")
        if token and worth_saving(tracker.slots) and not any(
                e.get("event") == "slot" and e.get("name") == "litigant_token" and e.get("value") is None
                for e in events):
            client = CourtClient.default()
            if await client.draft_save_expired(token):
                # the previous answer's save (sent while its reply went out) met a revoked token: this
                # answer is kept; identity is asked next, and the draft saved after it
                events = expiry.without_requested_slot(events) + expiry.in_validator(dispatcher, tracker)
            else:  # saved while the answer goes out (bot/court_client.py)
                client.save_draft_soon(token, draft_data(tracker.slots), tracker.sender_id,
                                       tracker.get_latest_input_channel())
        return events

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        """Only the questions this filing needs: no draft offer without a draft, no ID number for a
        company, no 法定代表人 for a person, no 送达地址 without consent, no repeat of one's own details."""
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        skip = set()
        if not tracker.get_slot("draft_summary"):
            skip.add("resume_draft")
        if tracker.get_slot("filer_is_plaintiff") and not tracker.get_slot("plaintiffs"):
            skip.update(SELF_SLOTS)  # the first plaintiff is the verified filer
        skip.add("plaintiff_id_number" if tracker.get_slot("plaintiff_kind") == "organisation"
                 else "plaintiff_representative")
        if tracker.get_slot("defendant_kind") != "organisation":
            skip.add("defendant_representative")
        if tracker.get_slot("e_service_consent") is not True:
            skip.add("e_service_address")
        return [s for s in slots if s not in skip]

    # --- yes/no questions (buttons or words) ---

    async def _yes_no(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != slot or latest_intent(tracker) in DIGRESSIONS:
            return {}
        answer = read_yes_no(latest_text(tracker), latest_intent(tracker))
        if answer is None:
            dispatcher.utter_message(text=YES_NO_HELP[slot])
        return {slot: answer}

    async def extract_more_plaintiffs(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        return await self._yes_no("more_plaintiffs", dispatcher, tracker)

    async def extract_more_defendants(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        return await self._yes_no("more_defendants", dispatcher, tracker)

    async def extract_mediation_consent(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: DomainDict) -> Dict[Text, Any]:
        return await self._yes_no("mediation_consent", dispatcher, tracker)

    async def extract_e_service_consent(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: DomainDict) -> Dict[Text, Any]:
        return await self._yes_no("e_service_consent", dispatcher, tracker)

    async def extract_resume_draft(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        return await self._yes_no("resume_draft", dispatcher, tracker)

    async def validate_resume_draft(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if value is None:
            return {"resume_draft": None}
        if value:
            dispatcher.utter_message(text=DRAFT_RESTORED)
            return {**restored(tracker.get_slot("draft_data")), "resume_draft": True, "draft_data": None}
        try:
            await CourtClient.default().delete_draft(tracker.get_slot("litigant_token") or "")
        except CourtError as err:
            log.warning("draft not deleted: %s %s", err.status, err.code)
        dispatcher.utter_message(text=DRAFT_DISCARDED)
        return {"resume_draft": False, "draft_data": None}

    async def validate_sms_code(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """Right after 实名认证: the saved draft, if any, is offered next."""
        result = await super().validate_sms_code(value, dispatcher, tracker, domain)
        if result.get("litigant_token") and not tracker.get_slot("draft_checked"):
            result.update(await draft_offer(result["litigant_token"]))
        return result

    # --- plaintiffs ---

    async def extract_filer_is_plaintiff(self, dispatcher: CollectingDispatcher,
                                         tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "filer_is_plaintiff" or latest_intent(tracker) in DIGRESSIONS:
            return {}
        is_self = read_is_self(latest_text(tracker), latest_intent(tracker))
        if is_self is None:
            dispatcher.utter_message(text=FILER_IS_PLAINTIFF_HELP)
        return {"filer_is_plaintiff": is_self}

    async def validate_filer_is_plaintiff(self, value: Any, dispatcher: CollectingDispatcher,
                                          tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        me = known_identity(tracker)
        if value is True and me and not tracker.get_slot("plaintiffs"):
            # filing for oneself: the verified identity is the first plaintiff
            return {"filer_is_plaintiff": True, "plaintiff_name": me["name"], "plaintiff_kind": "person",
                    "plaintiff_id_number": me["id_number"], "plaintiff_phone": me["phone"]}
        return {"filer_is_plaintiff": value if value is not None else None}

    # validate_plaintiff_name … validate_more_defendants: one validator per field for both roles,
    # attached below the class (rasa_sdk finds a slot's validator by its name).

    # --- the case, the court, the claims ---

    async def validate_case_type(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"case_type": None}
        if latest_intent(tracker) == "deny":  # 都不是: none of the guessed 案由
            dispatcher.utter_message(text=CASE_TYPE_UNKNOWN)
            return {"case_type": None}
        # The lookup table and synonyms give the canonical 案由 (借钱不还 → 民间借贷纠纷).
        entity = latest_entity(tracker, "case_type")
        if entity and not known(entity, "case_type"):
            entity = None  # a piece of the typed 案由 (买卖 in 买卖和同纠纷): what was typed is read instead
        case_type = entity or normalize_text(str(value))
        if not entity and _offer_guesses(dispatcher, case_type, "case_type", CASE_TYPE_GUESS):
            return {"case_type": None}
        if not re.fullmatch(r"[\u4e00-\u9fff、]{2,30}", case_type) or not re.search(r"(纠纷|争议)$", case_type):
            dispatcher.utter_message(text=CASE_TYPE_UNKNOWN)
            return {"case_type": None}
        return {"case_type": case_type}

    async def validate_court(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"court": None, "court_code": None}
        if latest_intent(tracker) == "deny":  # 都不是: none of the guessed courts
            dispatcher.utter_message(text=COURT_AGAIN)
            return {"court": None, "court_code": None}
        fragment = latest_entity(tracker, "court") or normalize_text(str(value))[:40]
        try:
            courts = await CourtClient.default().search_courts(fragment)
        except CourtError:
            dispatcher.utter_message(text=BACKEND_DOWN)
            return {"court": None, "court_code": None}
        exact = [c for c in courts if c.name == fragment]
        if len(exact) == 1 or len(courts) == 1:
            court = (exact or courts)[0]
            return {"court": court.name, "court_code": court.code}
        if not courts:
            if not _offer_guesses(dispatcher, fragment, "court", COURT_GUESS):
                dispatcher.utter_message(text=COURT_NOT_FOUND)
        else:
            dispatcher.utter_message(
                text=COURT_WHICH,
                buttons=[{"title": c.name, "payload": inform("court", c.name)} for c in courts[:6]],
            )
        return {"court": None, "court_code": None}

    async def validate_plaintiff_id_number(self, value: Any, dispatcher: CollectingDispatcher,
                                           tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return _read("plaintiff_id_number", value, dispatcher, read_id_number)

    async def validate_plaintiff_phone(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return _read("plaintiff_phone", value, dispatcher, read_phone)

    async def validate_amount(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"amount": None}
        text = str(value)
        if text == NO_AMOUNT or is_none_answer(text) or re.search(r"不涉及|没有金额|无金额", text):
            return {"amount": NO_AMOUNT}
        amount = parse_amount(text)
        if amount is None:
            found = find_amounts(text)
            amount = Decimal(found[0].value) if len(found) == 1 else None
        if amount is None:
            dispatcher.utter_message(text=AMOUNT_UNREADABLE)
            return {"amount": None}
        if amount <= 0:
            dispatcher.utter_message(text=AMOUNT_NOT_POSITIVE)
            return {"amount": None}
        if amount > MAX_AMOUNT:
            dispatcher.utter_message(text=AMOUNT_TOO_LARGE.format(amount=amount))
            return {"amount": None}
        return {"amount": f"{amount:.2f}"}

    async def validate_facts(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"facts": None}
        facts = str(value).strip()
        if len(facts) < 10:
            dispatcher.utter_message(text=FACTS_TOO_SHORT)
            return {"facts": None}
        if len(facts) > 5000:
            dispatcher.utter_message(text=FACTS_TOO_LONG)
            return {"facts": None}
        return {"facts": facts}

    async def validate_claims(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """The claims as a list, each with its amount; the amount in dispute is their sum."""
        if not value:
            return {"claims": None}
        if isinstance(value, list):  # restored from a draft: already a list
            return {"claims": value}
        text = str(value).strip()
        if len(text) > 2000:
            dispatcher.utter_message(text=CLAIMS_TOO_LONG)
            return {"claims": None}
        claims = parse_claims(text)
        if not claims or all(len(c["text"]) < 4 for c in claims):
            dispatcher.utter_message(text=CLAIMS_TOO_VAGUE)
            return {"claims": None}
        if len(claims) > MAX_CLAIMS:
            dispatcher.utter_message(text=TOO_MANY_CLAIMS.format(limit=MAX_CLAIMS))
            return {"claims": None}
        total = claims_total(claims)
        if total is not None and total > MAX_AMOUNT:
            dispatcher.utter_message(text=CLAIMS_TOO_LARGE.format(amount=total))
            return {"claims": None}
        # A claim that names money sets the amount in dispute; otherwise it is asked.
        return {"claims": claims, "amount": f"{total:.2f}" if total is not None else None}

    async def validate_evidence(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """民事诉讼法 art. 124(四): the evidence and its source; "暂无" is a valid answer."""
        if value is None:
            return {"evidence": None}
        if isinstance(value, list):
            return {"evidence": value}
        items = parse_evidence(str(value))
        if not items and not is_none_answer(str(value)):
            dispatcher.utter_message(text=EVIDENCE_HELP)
            return {"evidence": None}
        if len(items) > MAX_EVIDENCE:
            dispatcher.utter_message(text=TOO_MANY_EVIDENCE.format(limit=MAX_EVIDENCE))
            return {"evidence": None}
        return {"evidence": items}

    async def validate_e_service_address(self, value: Any, dispatcher: CollectingDispatcher,
                                         tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """A mobile number or e-mail address that can confirm receipt (民事诉讼法 art. 90)."""
        if not value:
            return {"e_service_address": None}
        text = normalize_text(str(value))
        same = SAME_PHONE.search(text) or latest_intent(tracker) == "affirm"  # the 同上 button
        if same and tracker.get_slot("identity_phone"):
            return {"e_service_address": tracker.get_slot("identity_phone")}
        email = find_email(text)
        if email:
            return {"e_service_address": email}
        phone, problem = read_phone(text)
        if problem:
            dispatcher.utter_message(text=E_SERVICE_ADDRESS_HELP)
        return {"e_service_address": phone}

    def read_back(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        """The read-back step: confirm, or change a field (a 修改 button's field, or free words naming a
        field with or without its new value). A change said in words wins over a guessed FAQ intent
        ("我改主意了，同意诉前调解"); a question that changes nothing is left to the digression."""
        if tracker.get_slot("requested_slot") != "filing_confirmed":
            return {}
        cached = getattr(tracker, "_read_back", None)  # run() and the validator read the same message once
        if cached is not None:
            return cached
        text, intent = latest_text(tracker), latest_intent(tracker)
        button = latest_entity(tracker, "field")
        change = Change(button) if button in CHANGEABLE else read_change(text)
        if change and intent in DIGRESSIONS and (change.value is None or asks_question(text)):
            change = None  # "调解是什么意思？" is a question about the field, not a change
        if change and change.field == "none":  # 不改了: read back again
            result: Dict[Text, Any] = {"filing_confirmed": None, "correcting": False}
        elif change:
            result = {"filing_confirmed": None, "correcting": False, **self._change(change, text, tracker)}
        elif intent in DIGRESSIONS:
            result = {}
        elif read_confirmation(text, intent).confirmed:
            result = {"filing_confirmed": True, "correcting": False}
        else:
            dispatcher.utter_message(**WHAT_TO_CHANGE.kwargs())
            result = {"filing_confirmed": None, "correcting": True}
        setattr(tracker, "_read_back", result)
        return result

    @staticmethod
    def _change(change: Change, text: str, tracker: Tracker) -> Dict[Text, Any]:
        """The slots a change sets: its new value (checked by the field's validator next), or the field
        and what hangs together with it cleared, so that its question is asked again."""
        if change.value is not None and change.field in ("plaintiff_name", "defendant_name"):
            role = change.field.split("_")[0]
            renamed = renamed_party(role, tracker.slots, normalize_text(text), change.value)
            if renamed:
                return renamed
        elif change.value is not None:
            return {change.field: change.value}
        return {change.field: None, **COMPANIONS.get(change.field, {})}

    async def extract_filing_confirmed(self, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """filing_confirmed first, then the changed questions of the form (their validators check the new
        value next); rasa_sdk drops any other extracted slot, so validate_filing_confirmed returns those."""
        result = self.read_back(tracker, dispatcher)
        if not result:
            return {}
        asked = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return {"filing_confirmed": result.get("filing_confirmed"),
                **{k: v for k, v in result.items() if k in asked and k != "filing_confirmed"}}

    async def validate_filing_confirmed(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """Also keeps what a change sets outside the form's questions: rasa_sdk keeps only validated
        slots of the form (get_validation_events), so lists such as `defendants` and the `correcting`
        flag are returned here. Runs before the changed field's own validator (it comes first)."""
        if value is True:
            return {"filing_confirmed": True, "correcting": False}
        return {**self.read_back(tracker, dispatcher), "filing_confirmed": None}


def _offer_guesses(dispatcher: CollectingDispatcher, typed: str, kind: str, text: str) -> bool:
    """A near miss of a known 案由 or court offered with buttons (yes: the name, no: /deny); False if none."""
    options = guesses(typed, kind)
    if options:
        dispatcher.utter_message(text=text.format(typed=typed),
                                 buttons=[{"title": o, "payload": inform(kind, o)} for o in options]
                                 + [NONE_OF_THE_GUESSES])
    return bool(options)


PartyValidator = Callable[[str, Any, CollectingDispatcher, Tracker], Dict[Text, Any]]


def _for_role(role: str, validate: PartyValidator) -> Callable[..., Awaitable[Dict[Text, Any]]]:
    async def validate_slot(self: ValidateFilingForm, value: Any, dispatcher: CollectingDispatcher,
                            tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return validate(role, value, dispatcher, tracker)
    return validate_slot


# Plaintiffs and defendants are asked the same questions: their validators are written once.
for _role in ("plaintiff", "defendant"):
    setattr(ValidateFilingForm, f"extract_{_role}_name", name_extractor(f"{_role}_name"))
    for _slot, _validate in ((f"{_role}_name", _party_name), (f"{_role}_representative", _representative),
                             (f"{_role}_address", _address), (MORE_SLOT[_role], _more_parties)):
        setattr(ValidateFilingForm, f"validate_{_slot}", _for_role(_role, _validate))
