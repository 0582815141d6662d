"""Every button a litigant can tap carries its meaning, never words for the NLU to guess (issue 14):
a payload is `/intent` or `/intent{"entity":"value"}`, handled by the policies and validators without
classification. Scanned in the domain's responses, in every button of bot/texts.py, and in every
`"payload": …` written in the actions and validators (a constant, an f-string or a call to inform())."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from rasa.shared.core.constants import DEFAULT_INTENTS

import bot.texts as texts

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$")
# the domain's intents and Rasa's own (/restart: RulePolicy runs action_restart, no NLU)
INTENTS = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"]) | set(DEFAULT_INTENTS)
ENTITIES = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["entities"])


def meaningful(payload: str) -> bool:
    """An intent of the domain, and entities (if any) that are the domain's, as JSON."""
    found = PAYLOAD.match(payload)
    if not found or found["intent"] not in INTENTS:
        return False
    return found["entities"] is None or set(json.loads(found["entities"])) <= ENTITIES


def buttons_in(value: Any) -> Iterator[dict]:
    if isinstance(value, texts.Message):
        yield from value.buttons
    elif isinstance(value, dict) and "payload" in value:
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from buttons_in(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from buttons_in(v)


def test_the_domains_responses():
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    payloads = [b["payload"] for variants in responses.values() for v in variants for b in v.get("buttons", [])]
    assert payloads and [p for p in payloads if not meaningful(p)] == []


def test_every_button_of_the_bots_words():
    payloads = [b["payload"] for name in dir(texts) if name.isupper() for b in buttons_in(getattr(texts, name))]
    assert len(payloads) > 30
    assert [p for p in payloads if not meaningful(p)] == []


def _written_payloads() -> Iterator[tuple[str, ast.AST]]:
    for folder in ("actions", "forms", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            if "nlu" in path.parts or "channels" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Dict):
                    for key, value in zip(node.keys, node.values):
                        if isinstance(key, ast.Constant) and key.value == "payload":
                            yield f"{path.relative_to(ROOT)}:{value.lineno}", value


def _is_meaningful_expression(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and meaningful(node.value)
    if isinstance(node, ast.JoinedStr):  # f"/{name}": a slash first
        first = node.values[0]
        return isinstance(first, ast.Constant) and str(first.value).startswith("/")
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == "inform"


def test_every_payload_written_in_the_actions_and_validators():
    written = list(_written_payloads())
    assert len(written) > 10
    assert [where for where, node in written if not _is_meaningful_expression(node)] == []


@pytest.mark.parametrize("payload", ["修改", "1", "免交", "没有", "/nonsense", '/inform{"unknown":"x"}'])
def test_words_or_unknown_names_are_not_payloads(payload):
    assert not meaningful(payload)
