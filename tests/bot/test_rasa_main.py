"""deploy/rasa_main.py: Rasa's check of action-server answers, with the validator built once, still checks."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError, validate

from deploy.rasa_main import install
from rasa.core.actions.action import RemoteAction


@pytest.fixture
def action(monkeypatch: pytest.MonkeyPatch) -> RemoteAction:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    install()
    return RemoteAction("action_submit_filing", None)


def test_a_well_formed_answer_passes(action: RemoteAction) -> None:
    answer = {"events": [{"event": "slot", "name": "case_type", "value": "民间借贷纠纷", "timestamp": None}],
              "responses": [{"text": "您好"}]}
    assert action._validate_action_result(answer) is True


@pytest.mark.parametrize("answer", [{"events": [{"event": "no_such_event"}]}, {"responses": "您好"},
                                    {"events": "slot"}])
def test_a_malformed_answer_is_refused_as_rasa_refuses_it(action: RemoteAction, answer: dict) -> None:
    with pytest.raises(ValidationError) as original:
        validate(answer, RemoteAction.action_response_format_spec())  # what Rasa itself calls
    with pytest.raises(ValidationError) as refused:
        action._validate_action_result(answer)
    assert refused.value.message.startswith(original.value.message)
    assert "Failed to validate Action server response" in refused.value.message


def test_install_replaces_rasas_check(action: RemoteAction) -> None:
    from deploy.rasa_main import validate_action_result

    assert RemoteAction._validate_action_result is validate_action_result
