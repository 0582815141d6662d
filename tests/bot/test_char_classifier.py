"""The character n-gram second opinion: trained, persisted and loaded through Rasa's model storage, and
averaged with DIET's ranking so that a confidently wrong DIET guess is outvoted."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.char_classifier import FILE, CharNgramIntentClassifier

EXAMPLES = {
    "goodbye": ["再见", "拜拜", "下次再聊", "先这样吧再见", "好的再见", "拜拜啦", "回见", "那我先走了再见"],
    "ask_fee": ["诉讼费多少", "要交多少诉讼费", "诉讼费怎么算", "受理费多少钱", "打官司要交多少钱", "诉讼费大概多少",
                "标的10万诉讼费多少", "离婚案件诉讼费多少"],
    "affirm": ["是的", "对", "好的", "没错", "可以", "嗯嗯", "对的", "是啊"],
}


def _trained(tmp_path: Path, **config) -> tuple[CharNgramIntentClassifier, LocalModelStorage, Resource]:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("char_classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    component = CharNgramIntentClassifier.create({**CharNgramIntentClassifier.get_default_config(), **config},
                                                 storage, resource, context)
    data = TrainingData([Message(data={TEXT: t, INTENT: intent}) for intent, texts in EXAMPLES.items() for t in texts])
    component.train(data)
    return component, storage, resource


def _parsed(text: str, diet: dict[str, float]) -> Message:
    ranking = [{"name": n, "confidence": c} for n, c in sorted(diet.items(), key=lambda x: -x[1])]
    message = Message(data={TEXT: text})
    message.set(INTENT, dict(ranking[0]))
    message.set(INTENT_RANKING_KEY, ranking)
    return message


def test_a_confidently_wrong_diet_guess_is_outvoted_and_the_ranking_is_the_weighted_average(tmp_path):
    component, storage, resource = _trained(tmp_path)
    loaded = CharNgramIntentClassifier.load(component.config, storage, resource, ExecutionContext(GraphSchema({}), "t"))
    assert any(tmp_path.rglob(FILE))
    message = _parsed("那诉讼费要交多少", {"affirm": 0.97, "ask_fee": 0.02, "goodbye": 0.01})
    loaded.process([message])
    ranking = message.get(INTENT_RANKING_KEY)
    assert message.get(INTENT)["name"] == "ask_fee" == ranking[0]["name"]
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    mine = dict(zip(loaded.model["classifier"].classes_,
                    loaded.model["classifier"].predict_proba(loaded._features(["那诉讼费要交多少"], ["那诉讼费要交多少"]))[0]))
    assert ranking[0]["confidence"] == pytest.approx(0.2 * 0.02 + 0.8 * mine["ask_fee"])


def test_agreement_keeps_the_intent_and_weight_zero_is_diet_alone(tmp_path):
    component, _, _ = _trained(tmp_path)
    message = _parsed("好的再见", {"goodbye": 0.9, "affirm": 0.1})
    component.process([message])
    assert message.get(INTENT)["name"] == "goodbye"
    (tmp_path / "w0").mkdir()
    diet_only, _, _ = _trained(tmp_path / "w0", weight=0.0)
    message = _parsed("那诉讼费要交多少", {"affirm": 0.97, "ask_fee": 0.03})
    diet_only.process([message])
    assert message.get(INTENT) == {"name": "affirm", "confidence": pytest.approx(0.97)}


def test_a_message_diet_did_not_classify_and_an_untrained_model_change_nothing(tmp_path):
    component, storage, _ = _trained(tmp_path)
    payload = Message(data={TEXT: "/affirm"})  # no ranking: nothing to average with
    component.process([payload])
    assert payload.get(INTENT) is None
    empty = CharNgramIntentClassifier.load({}, storage, Resource("never_trained"), ExecutionContext(GraphSchema({}), "t"))
    message = _parsed("再见", {"affirm": 0.6, "goodbye": 0.4})
    empty.process([message])
    assert message.get(INTENT)["name"] == "affirm"


def test_the_shape_regexes_of_the_training_data_are_features_of_their_own(tmp_path):
    """A bare name, mobile or case number has a column of its own, as DIET gets from RegexFeaturizer:
    unseen names (聂淑珍, 蒲兴旺) were otherwise read by their characters alone."""
    storage, resource = LocalModelStorage(tmp_path), Resource("shapes")
    component = CharNgramIntentClassifier.create(CharNgramIntentClassifier.get_default_config(), storage, resource,
                                                 ExecutionContext(GraphSchema({}), "test"))
    examples = [Message(data={TEXT: t, INTENT: i}) for i, ts in EXAMPLES.items() for t in ts]
    examples += [Message(data={TEXT: t, INTENT: "inform"}) for t in ["王小明", "王芳", "王建国", "王丽"]]
    component.train(TrainingData(examples, regex_features=[{"name": "name_shaped", "pattern": "^王[\u4e00-\u9fa5]{1,2}$"}]))
    assert component.model["shapes"] == ["^王[\u4e00-\u9fa5]{1,2}$"]
    features = component._features(["王淑珍", "王淑珍是谁"], ["王淑珍", "王淑珍 是 谁"])
    assert features[0, -1] == 1.0 and features[1, -1] == 0.0
