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


async def test_a_failing_tracker_store_fails_the_turn_instead_of_forgetting_the_conversation(monkeypatch) -> None:
    from rasa.core import tracker_store
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    for hook in ("on_tracker_store_error", "on_tracker_store_retrieve_error"):
        monkeypatch.setattr(tracker_store.FailSafeTrackerStore, hook, getattr(tracker_store.FailSafeTrackerStore, hook))
    monkeypatch.setattr(tracker_store, "create_engine_kwargs", tracker_store.create_engine_kwargs)
    install()

    class Down(tracker_store.InMemoryTrackerStore):
        async def retrieve(self, sender_id):
            raise ConnectionError("PostgreSQL is restarting")

        async def save(self, tracker):
            raise ConnectionError("PostgreSQL is restarting")

    store = tracker_store.FailSafeTrackerStore(Down(Domain.empty()))
    with pytest.raises(ConnectionError):  # Rasa's own would answer from an empty in-memory tracker
        await store.retrieve("litigant-1")
    with pytest.raises(ConnectionError):  # … and keep the turn in this replica's memory only
        await store.save(DialogueStateTracker("litigant-1", slots=[]))
    kwargs = tracker_store.create_engine_kwargs("postgresql://u@127.0.0.1:5432/rasa")
    assert kwargs["pool_pre_ping"] is True and kwargs["pool_size"] >= 1
