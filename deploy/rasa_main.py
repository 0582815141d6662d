"""`rasa` with one per-turn cost of Rasa 3.6 removed and its tracker store made to fail loudly;
deploy/stack.py starts Rasa through this.

Rasa 3.6 (the last open-source release, no upstream fix to come) checks every action-server answer
with `jsonschema.validate(result, schema)`, which re-validates the large events schema itself
against the JSON-Schema metaschema and builds a new validator on every call: about half of Rasa's
CPU per action call here (py-spy, `make bench-turns --py-spy`). The same check with the validator
built once gives the same answers and the same errors at a fraction of the cost.
"""
from __future__ import annotations

import sys
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _action_result_validator() -> Any:
    from jsonschema.validators import validator_for

    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate does on every call
    return cls(schema)


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with a cached validator (same schema, same message)."""
    from jsonschema.exceptions import best_match

    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_action_result_validator().iter_errors(result))
    if error is not None:
        error.message += (f". Failed to validate Action server response from API, make sure your response from "
                          f"the Action endpoint is valid. For more information about the format visit "
                          f"{DOCS_BASE_URL}/custom-actions")
        raise error
    return True


def refuse_fallback(self: Any, error: Exception) -> None:
    """FailSafeTrackerStore's error hooks, re-raising instead of falling back.

    Rasa answers from an empty in-memory conversation when its tracker store fails (PostgreSQL
    restarting): the litigant's answer meets a bot that forgot the form, and what that replica says
    next is kept in its own memory only, where no other replica and no restart will find it. A turn
    that cannot load or save its conversation fails instead (HTTP 500: the channel shows an error
    and the litigant sends it again), and the conversation goes on where it was once the store is back.
    """
    raise error


def sql_engine_kwargs(url: Any) -> dict[str, Any]:
    """Rasa's engine arguments plus pool_pre_ping: a connection a database restart closed is
    replaced before use, so the first turn after the restart does not fail on it."""
    return {**_rasa_engine_kwargs(url), "pool_pre_ping": True}


def install() -> None:
    from rasa.core import tracker_store
    from rasa.core.actions.action import RemoteAction

    global _rasa_engine_kwargs
    RemoteAction._validate_action_result = validate_action_result
    tracker_store.FailSafeTrackerStore.on_tracker_store_error = refuse_fallback  # save, keys
    tracker_store.FailSafeTrackerStore.on_tracker_store_retrieve_error = refuse_fallback  # retrieve
    if tracker_store.create_engine_kwargs is not sql_engine_kwargs:
        _rasa_engine_kwargs = tracker_store.create_engine_kwargs
        tracker_store.create_engine_kwargs = sql_engine_kwargs


_rasa_engine_kwargs: Any = None


if __name__ == "__main__":
    install()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
