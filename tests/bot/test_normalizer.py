"""The text normaliser in front of the tokenizer: one spelling for the NLU, the typed text kept."""
from pathlib import Path

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.normalizer import ORIGINAL_TEXT, TextNormalizer, normalize


@pytest.mark.parametrize(
    "typed, read",
    [
        ("１２３４５", "12345"),  # full-width digits
        ("ＬＡ２０２４０００１２３", "LA2024000123"),  # full-width letters
        ("请问？！（急）", "请问?!(急)"),  # full-width punctuation
        ("我要起訴，請問費用是多少", "我要起诉,请问费用是多少"),  # traditional characters
        ("身份證１１０１０１１９９００３０７１２３ｘ", "身份证11010119900307123X"),
        ("11O10119900307123x", "11010119900307123X"),  # letter O for a zero
        ("身份证号ID110101199003071230", "身份证号ID110101199003071230"),
        ("俺咋整啊", "俺咋整啊"),  # already simplified and half-width: unchanged
    ],
)
def test_normalize(typed, read):
    assert normalize(typed) == read


@pytest.mark.parametrize("typed", ["……㈱½", "我借了他5万…", "ﬁle 第１条", "臺灣銀行"])
def test_length_never_changes_so_entity_offsets_index_the_typed_text(typed):
    assert len(normalize(typed)) == len(typed)


def test_button_payloads_are_not_rewritten():
    payload = '/inform{"person_name":"錢多多"}'
    assert normalize(payload) == payload


def test_digits_that_are_not_an_id_number_keep_their_letters():
    assert normalize("订单号 12345ox") == "订单号 12345ox"


def test_process_rewrites_text_and_keeps_the_typed_text_in_the_output():
    component = TextNormalizer()
    changed, same = Message(data={TEXT: "我要起訴１次"}), Message(data={TEXT: "你好"})
    component.process([changed, same])
    assert changed.get(TEXT) == "我要起诉1次"
    assert changed.as_dict(only_output_properties=True)[ORIGINAL_TEXT] == "我要起訴１次"
    assert same.get(TEXT) == "你好" and same.get(ORIGINAL_TEXT) is None


def test_training_examples_are_normalised_like_messages():
    data = TrainingData([Message(data={TEXT: "撤訴", "intent": "cancel_filing"})])
    TextNormalizer().process_training_data(data)
    assert data.training_examples[0].get(TEXT) == "撤诉"


NLU_DATA = """
version: "3.1"
nlu:
  - intent: start_filing
    examples: |
      - 我要起诉
      - 我想立案
      - 帮我起诉他
  - intent: greet
    examples: |
      - 你好
      - 您好
      - 在吗
"""

DOMAIN = """
version: "3.1"
intents: [start_filing, greet]
"""

CONFIG = """
recipe: default.v1
language: zh
pipeline:
  - name: bot.nlu.normalizer.TextNormalizer
  - name: bot.nlu.tokenizer.ChineseTokenizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 2
  - name: LogisticRegressionClassifier
policies: []
"""


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A small NLU model with the normaliser in its pipeline, trained by Rasa itself."""
    from rasa.model_training import train_nlu

    folder = tmp_path_factory.mktemp("normalizer-model")
    (folder / "nlu.yml").write_text(NLU_DATA, encoding="utf-8")
    (folder / "domain.yml").write_text(DOMAIN, encoding="utf-8")
    (folder / "config.yml").write_text(CONFIG, encoding="utf-8")
    model = train_nlu(str(folder / "config.yml"), str(folder / "nlu.yml"), str(folder / "models"),
                      domain=str(folder / "domain.yml"), fixed_model_name="tiny")
    return Path(model)


@pytest.mark.asyncio
async def test_the_tracker_keeps_what_the_litigant_typed(tiny_model):
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import UserUttered

    agent = Agent.load(str(tiny_model))
    typed = "我要起訴，ＩＤ１１０１０１１９９００３０７１２３ｘ"
    await agent.log_message(UserMessage(typed, sender_id="litigant"))
    tracker = await agent.tracker_store.retrieve("litigant")
    uttered = [e for e in tracker.events if isinstance(e, UserUttered)][-1]
    assert uttered.text == typed  # transcripts and the event broker read this
    assert uttered.parse_data[TEXT] == "我要起诉,ID11010119900307123X"  # what the NLU read
    assert uttered.parse_data[ORIGINAL_TEXT] == typed
    assert uttered.intent["name"] == "start_filing"
