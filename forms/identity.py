"""实名认证 inside any form that needs it: name, ID number, mobile, then the SMS code.

Every journey that touches a litigant's own filings (filing, status, payment, upload, cancel)
starts with these four questions unless this conversation has already verified someone; the
backend issues the litigant token that the later calls carry.
"""
from __future__ import annotations

import re
from abc import abstractmethod
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot import expiry
from bot.court_client import CourtClient, CourtError, SessionExpired
from bot.texts import (BACKEND_DOWN, IDENTITY_NAME_HELP, REVERIFY_OTHER_PERSON,
                       REVERIFY_OTHER_PERSON_BUTTONS, SMS_CODE_HELP, SMS_CODE_RESENT,
                       VERIFIED_THANKS)
from bot.readers.answers import (REQUEST_INTENTS, clean_name, looks_like_person, name_despite_intent,
                                 read_id_number)
from bot.readers.phone import read_phone
from bot.readers.values import normalize_text
from bot.tracker import latest_intent, latest_text
from bot.way_out import retry_at, too_many_codes
from forms.digression import AnswerFirst

IDENTITY_SLOTS = ["identity_name", "identity_id_number", "identity_phone", "sms_code"]
VERIFIED = "已验证"


def is_verified(tracker: Tracker) -> bool:
    """Identity is asked once per conversation: a token means it is done."""
    return bool(tracker.get_slot("litigant_token"))


def _court_error(dispatcher: CollectingDispatcher, err: CourtError) -> None:
    dispatcher.utter_message(text=BACKEND_DOWN if err.status in (0, 500, 502, 503) else err.message)


def _rate_limited(dispatcher: CollectingDispatcher, err: CourtError) -> Optional[Dict[Text, Any]]:
    """Five codes an hour: say when to come back and what to do meanwhile; the phone question then
    stays silent until that time (actions/ask.py), instead of being asked again at once."""
    if err.status != 429 or not err.retry_after:
        return None
    dispatcher.utter_message(**too_many_codes(err.retry_after))
    return {"identity_phone": None, "sms_code": None, "identity_challenge": None,
            "sms_retry_at": retry_at(err.retry_after)}


def name_extractor(slot: str) -> Callable[..., Awaitable[Dict[Text, Any]]]:
    """`extract_<slot>` for a name: asked for a name, the answer wins over a guessed greeting or thanks
    (谢芳 → thank, 孙七 → greet); the slot's from_text mapping skips those intents, so it is taken here."""
    async def extract_slot(self: FormValidationAction, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != slot:
            return {}
        name = name_despite_intent(latest_text(tracker), latest_intent(tracker))
        return {slot: name} if name else {}
    return extract_slot


class IdentityFormValidation(AnswerFirst, FormValidationAction):
    """A form validator whose form begins with 实名认证; subclasses add their own slots. Every turn is
    tried as the answer first (forms/digression.py); a token refused on the way (revoked, expired)
    asks for identity again and keeps the other answers (bot/expiry.py)."""

    @abstractmethod
    def name(self) -> Text:
        """Abstract: rasa_sdk registers only concrete validators."""

    async def validate_turn(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> List[Dict[Text, Any]]:
        try:
            return await super().validate_turn(dispatcher, tracker, domain)
        except SessionExpired:
            return expiry.in_validator(dispatcher, tracker)

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        if is_verified(tracker):
            return [s for s in domain_slots if s not in IDENTITY_SLOTS]
        return domain_slots

    async def validate_identity_name(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"identity_name": None}
        name = clean_name(str(value))
        if name and latest_intent(tracker) in REQUEST_INTENTS and not looks_like_person(name):
            name = None  # "我想起诉" while asked the name: not a name (a 居民身份证 name is a person's)
        if name is None:
            dispatcher.utter_message(text=IDENTITY_NAME_HELP)
        return {"identity_name": name}

    async def validate_identity_id_number(self, value: Any, dispatcher: CollectingDispatcher,
                                          tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"identity_id_number": None}
        number, problem = read_id_number(str(value))
        if problem:
            dispatcher.utter_message(text=problem)
        owner = tracker.get_slot(expiry.OWNER)
        if number and owner and number != owner:  # these answers are another person's (bot/expiry.py)
            dispatcher.utter_message(text=REVERIFY_OTHER_PERSON, buttons=REVERIFY_OTHER_PERSON_BUTTONS)
            return {"identity_id_number": None}
        return {"identity_id_number": number}

    async def validate_identity_phone(self, value: Any, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"identity_phone": None}
        phone, problem = read_phone(str(value))
        if problem:
            dispatcher.utter_message(text=problem)
            return {"identity_phone": None}
        if is_verified(tracker):
            return {"identity_phone": phone}
        try:  # the backend texts a 6-digit code to this phone; the next question asks for it
            challenge = await CourtClient.default().start_identity(
                tracker.get_slot("identity_name"), tracker.get_slot("identity_id_number"), phone)
        except CourtError as err:
            limited = _rate_limited(dispatcher, err)
            if limited:
                return limited
            _court_error(dispatcher, err)
            return {"identity_phone": None}
        if challenge.get("sent_to_record"):  # an ID number verified before: its own phone gets the code
            dispatcher.utter_message(text=challenge["message"])
        return {"identity_phone": phone, "identity_challenge": challenge["challenge_id"], "sms_code": None}

    async def validate_sms_code(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value or value == VERIFIED:
            return {"sms_code": value or None}
        found = re.search(r"(?<![0-9])[0-9]{6}(?![0-9])", normalize_text(str(value)))
        if found is None:
            dispatcher.utter_message(text=SMS_CODE_HELP)
            return {"sms_code": None}
        client = CourtClient.default()
        try:
            answer = await client.confirm_identity(tracker.get_slot("identity_challenge") or "", found.group(0),
                                                   tracker.sender_id, tracker.get_latest_input_channel())
        except CourtError as err:
            if err.status not in (410, 429):
                _court_error(dispatcher, err)
                return {"sms_code": None}
            try:  # expired, used or too many tries: a fresh code
                challenge = await client.start_identity(tracker.get_slot("identity_name"),
                                                        tracker.get_slot("identity_id_number"),
                                                        tracker.get_slot("identity_phone"))
            except CourtError as again:
                limited = _rate_limited(dispatcher, again)
                if limited:
                    return limited
                _court_error(dispatcher, again)
                return {"sms_code": None}
            dispatcher.utter_message(text=SMS_CODE_RESENT)
            return {"sms_code": None, "identity_challenge": challenge["challenge_id"]}
        dispatcher.utter_message(text=VERIFIED_THANKS)
        return {"sms_code": VERIFIED, "litigant_token": answer["token"], "identity_challenge": None,
                "sms_retry_at": None, expiry.OWNER: None}


IdentityFormValidation.extract_identity_name = name_extractor("identity_name")  # type: ignore[attr-defined]


def known_identity(tracker: Tracker) -> Optional[dict[str, str]]:
    """The verified person's name, ID number and phone, to fill in the plaintiff when filing for oneself."""
    if not is_verified(tracker):
        return None
    return {"name": tracker.get_slot("identity_name"), "id_number": tracker.get_slot("identity_id_number"),
            "phone": tracker.get_slot("identity_phone")}


class ValidateVerifyForm(IdentityFormValidation):
    """重新认证 (issue 9): identity alone, after a journey's action found the token revoked or expired;
    the journey's action then runs again (actions/reverify.py)."""

    def name(self) -> Text:
        return "validate_verify_form"
