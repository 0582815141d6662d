"""Reading a fee question."""
import pytest

from bot.fee_categories import category_from_text
from forms.fees import amount_from_text


@pytest.mark.parametrize("text, category", [
    ("标的10万要交多少诉讼费", "property"), ("借款纠纷20万诉讼费", "property"), ("离婚案件诉讼费怎么算", "divorce"),
    ("名誉权官司交多少钱", "personality_rights"), ("劳动争议要交费吗", "labor"), ("申请财产保全多少钱", "preservation"),
    ("申请强制执行要多少费用", "enforcement"), ("专利侵权起诉费用", "ip"),
])
def test_category(text, category):
    assert category_from_text(text) == category


def test_no_category_in_a_bare_question():
    assert category_from_text("诉讼费怎么收") is None


def test_amount():
    assert amount_from_text("标的10万要交多少诉讼费") == "100000.00"
    assert amount_from_text("十二万") == "120000.00"
    assert amount_from_text("0") is None


def test_category_and_amount_both_come_from_the_first_message():
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from forms.fees import ValidateFeeForm

    text = "标的10万要交多少诉讼费"
    tracker = Tracker("t", {"fee_category": None, "fee_amount": None},
                      {"text": text, "intent": {"name": "ask_fee"}, "entities": []}, [], False, None,
                      {"name": "fee_form"}, "action_listen")
    domain = {"forms": {"fee_form": {"required_slots": ["fee_category", "fee_amount"]}}}
    events = asyncio.run(ValidateFeeForm().get_extraction_events(CollectingDispatcher(), tracker, domain))
    assert {e["name"]: e["value"] for e in events} == {"fee_category": "property", "fee_amount": "100000.00"}
