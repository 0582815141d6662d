"""Rasa component that reports money, dates, phone, ID, filing and case numbers as entities.

Their `value` is normalised (五万 → 50000.00, （2024）京0105民初1234号 in canonical form), so that
slots, stories and the backend see one spelling. The rules live in `bot.readers.values`.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.readers.values import find_values


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ValueExtractor(GraphComponent, EntityExtractorMixin):
    """Rule-based entities with normalised values; needs no training."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ValueExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            entities = [
                {"entity": f.entity, "start": f.start, "end": f.end, "value": f.value, "confidence": 1.0,
                 "extractor": self.__class__.__name__}
                for f in find_values(text)
            ]
            # DIET may have tagged the same span: the normalised rule-based value wins.
            kept = [e for e in message.get(ENTITIES, []) if e.get("entity") not in {f["entity"] for f in entities}]
            message.set(ENTITIES, kept + entities, add_to_output=True)
        return messages
