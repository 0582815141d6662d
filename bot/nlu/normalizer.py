"""Text normalisation that runs first in the NLU pipeline, before the tokenizer.

Litigants type full-width digits and letters (phone keyboards), traditional characters and ID numbers
with a lowercase x or a letter O for a zero. The classifier, the featurizers and the value extractor
should see one spelling of each, so the message's TEXT is rewritten here — for training examples and
for every parsed message alike.

The rewrite keeps the length of the text, character for character, so that entity offsets found on
the normalised text also index what the litigant typed. What the litigant typed stays untouched where
Rasa keeps it: the tracker's `UserUttered.text` (and so transcripts and the event broker) comes from
the incoming `UserMessage`, not from the pipeline; the parse data also carries it as `text_original`
when it differs.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

import opencc
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

ORIGINAL_TEXT = "text_original"

# A mainland ID number as typed: 17 digits (a letter O slipped in for a zero) and a check digit or x.
_ID_TYPED = re.compile(r"(?<![0-9])[1-9][0-9Oo]{16}[0-9XxOo](?![0-9A-Za-z])")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    """Traditional → simplified converter; built once, its dictionaries are loaded lazily."""
    return opencc.OpenCC("t2s")


def _nfkc_per_char(text: str) -> str:
    """NFKC for every character whose normal form is one character (full-width → half-width).

    Characters that NFKC expands (…, ㈱, ½) are kept as typed, so that the length never changes.
    """
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def _simplified(text: str) -> str:
    """Traditional characters to simplified ones, phrase-aware, falling back per character."""
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    out = []
    for ch in text:
        one = _t2s().convert(ch)
        out.append(one if len(one) == 1 else ch)
    return "".join(out)


def _id_numbers(text: str) -> str:
    """ID numbers in one spelling: O for zero becomes 0, a trailing x becomes X."""
    def fix(match: re.Match) -> str:
        typed = match.group(0)
        body = typed[:17].replace("O", "0").replace("o", "0")
        last = typed[17].upper().replace("O", "0")
        return body + last

    return _ID_TYPED.sub(fix, text)


def normalize(text: str) -> str:
    """The spelling the NLU reads: half-width, simplified, ID numbers with 0 and X; same length."""
    if not text or text.startswith("/"):
        # "/intent{...}" payloads of buttons are read by Rasa itself, never rewritten.
        return text
    return _id_numbers(_simplified(_nfkc_per_char(text)))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class TextNormalizer(GraphComponent):
    """Rewrites TEXT before the tokenizer; placed first in the pipeline."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TextNormalizer":
        return cls()

    def _normalize(self, message: Message, keep_original: bool) -> None:
        text: Optional[str] = message.get(TEXT)
        if not text:
            return
        normalized = normalize(text)
        if normalized != text:
            message.set(TEXT, normalized)
            if keep_original:
                message.set(ORIGINAL_TEXT, text, add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._normalize(example, keep_original=False)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalize(message, keep_original=True)
        return messages
