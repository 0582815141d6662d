"""What `make nlu-inbox-export` writes (scripts/nlu_inbox_export.py) is NLU data Rasa reads as meant:
every labelled text an example of its intent, none read as entity markup."""
from __future__ import annotations

from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from scripts.nlu_inbox_export import inbox_yaml, merge


def test_rasa_reads_the_exported_examples_with_their_intents() -> None:
    labels = [("那个钱要交多少", "ask_fee"), ("我的手机138****8000换了", None), ("[原告](person_name) 是谁 (问)", "inform"),
              ("你好", "greet"), ("那个钱要交多少", "pay_fee")]
    merged, skipped = merge({}, labels, trained={"你好"}, held_out=set(), intents={"ask_fee", "out_of_scope"})
    data = RasaYAMLReader().reads(inbox_yaml(merged))
    found = {m.get("text"): m.get("intent") for m in data.intent_examples}
    assert found == {"那个钱要交多少": "pay_fee", "我的手机138****8000换了": "out_of_scope",
                     "［原告］（person_name） 是谁 （问）": "inform"}
    assert data.entity_examples == [] and skipped["already_trained"] == 1


def test_an_empty_inbox_is_valid_nlu_data() -> None:
    assert RasaYAMLReader().reads(inbox_yaml({})).intent_examples == []
