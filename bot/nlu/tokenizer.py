"""Jieba tokenizer that drops whitespace tokens.

Rasa's JiebaTokenizer keeps blank tokens (rasa issue #7910); they carry no meaning, shift
featurisation and break entity alignment around half-width spaces that people type.
"""
from __future__ import annotations

from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class ChineseTokenizer(JiebaTokenizer):
    """JiebaTokenizer without blank tokens."""

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        return [t for t in super().tokenize(message, attribute) if t.text.strip()]
