"""`rasa` with per-turn and start-up costs of Rasa 3.6 removed and its tracker store made to fail
loudly; deploy/stack.py starts Rasa through this.

Rasa 3.6 (the last open-source release, no upstream fix to come) checks every action-server answer
with `jsonschema.validate(result, schema)`, which re-validates the large events schema itself
against the JSON-Schema metaschema and builds a new validator on every call: about half of Rasa's
CPU per action call here (py-spy, `make bench-turns --py-spy`). The same check with the validator
built once gives the same answers and the same errors at a fraction of the cost.

Rasa finds the class of every event it deserialises by walking all subclasses of Event; a turn
deserialises the whole conversation: :func:`resolve_event_type` looks the class up in a table.

At start, Rasa 3.6 builds each TensorFlow model (DIET, ResponseSelector, TED) by *training* it one
step on one example — tracing the whole training graph, gradients and optimizer included — only to
give its variables their shapes before it loads the trained weights over them: most of `rasa run`'s
start-up (py-spy). :func:`load_for_prediction` creates the same variables with one eager pass of the
model's loss on that example instead, then loads the same weights and warms up prediction as Rasa
does (tests/e2e/test_model_load.py: same variables, same values, same parses). Fine-tuning
(`rasa train --finetune`) needs the optimizer's state and keeps Rasa's own loader.

Rasa 3.6 opens a new aiohttp session — a new connection — for every action-server call (two or
more a turn). :func:`request` sends them over one kept-alive pool per event loop instead. The pool
lets a connection rest at most KEEPALIVE_S, less than the action server's own keep-alive (Sanic's
KEEP_ALIVE_TIMEOUT, 5 s), so it never writes to a connection the server has just closed ("Cannot
write to closing transport"); a call that still fails while being *sent* (the server cannot have
run the action without the whole request) is sent once more on a fresh connection.
"""
from __future__ import annotations

import asyncio
import sys
import weakref
from functools import lru_cache
from typing import Any, Optional

KEEPALIVE_S = 2.0  # below Sanic's KEEP_ALIVE_TIMEOUT (5 s), the action server's
# aiohttp's words when the connection closed while the request was written (the body's write error
# carries the transport's as its cause); seen with Rasa's own client at 20 concurrent (bench/TURNS.md).
NOT_SENT = ("Cannot write to closing transport", "Can not write request body")


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


_sessions: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any]" = weakref.WeakKeyDictionary()


def _pooled_session() -> Any:
    """The event loop's kept-alive client session (created on first use)."""
    import aiohttp

    loop = asyncio.get_running_loop()
    session = _sessions.get(loop)
    if session is None or session.closed:
        connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEPALIVE_S)
        session = _sessions[loop] = aiohttp.ClientSession(connector=connector)
    return session


async def request(self: Any, method: str = "post", subpath: Optional[str] = None,
                  content_type: Optional[str] = "application/json", compress: bool = False, **kwargs: Any) -> Any:
    """EndpointConfig.request (same headers, parameters, auth, timeout, errors, answer) on a pooled connection."""
    import ssl

    import aiohttp
    from aiohttp.client_exceptions import ContentTypeError

    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
    from rasa.utils.endpoints import ClientResponseError, concat_url

    headers = {"Content-Type": content_type} if content_type else {}
    headers.update(kwargs.pop("headers", None) or {})
    headers.update(self.headers or {})
    auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
    sslcontext = ssl.create_default_context(cafile=self.cafile) if self.cafile else None
    kwargs.setdefault("timeout", aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT))
    params = self.combine_parameters(kwargs)
    for attempt in (1, 2):
        try:
            async with _pooled_session().request(method, concat_url(self.url, subpath), headers=headers,
                                                 params=params, compress=compress, ssl=sslcontext, auth=auth,
                                                 **kwargs) as response:
                if response.status >= 400:
                    raise ClientResponseError(response.status, response.reason, await response.content.read())
                try:
                    return await response.json()
                except ContentTypeError:
                    return None
        except aiohttp.ClientOSError as err:
            if attempt == 2 or not _not_sent(err):
                raise


def _not_sent(err: Exception) -> bool:
    """The call failed before the action server could have read it: no connection, or the connection
    closed while the request was written (aiohttp's http_writer). A failure while reading the answer is
    not retried: the action may have run."""
    import aiohttp

    if isinstance(err, aiohttp.ClientConnectorError):
        return True
    said = [str(arg) for e in (err, err.__cause__) if e is not None for arg in e.args]
    return any(text.startswith(NOT_SENT) for text in said)


_event_classes: dict[str, Any] = {}


def resolve_event_type(type_name: str, default: Any = None) -> Any:
    """Event.resolve_by_type from a table of the event classes instead of a walk of the class tree.

    Rasa walks every subclass of Event (with ``inspect.isabstract`` on each) for every event it
    deserialises: a conversation's events are deserialised at least twice a turn (the tracker store
    loads it, and loads it again to find the new events for the event broker), ≈ 30 CPU-ms a turn at
    the end of a filing (py-spy). The table holds the class Rasa's walk finds first for each name
    and is built again when a name is not in it (an event class imported later).
    """
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    cls = _event_classes.get(type_name)
    if cls is None:
        _event_classes.clear()
        for subclass in reversed(all_subclasses(Event)):  # reversed: the first one found wins
            _event_classes[subclass.type_name] = subclass
        cls = _event_classes.get(type_name)
    if cls is not None:
        return cls
    return _rasa_resolve_by_type(type_name, default)  # Rasa's own answer: None, the default or its error


def load_for_prediction(cls: Any, model_file_name: str, model_data_example: Any, predict_data_example: Any = None,
                        finetune_mode: bool = False, *args: Any, **kwargs: Any) -> Any:
    """RasaModel.load without the traced training step (the same weights, loaded for prediction)."""
    if finetune_mode:
        return _rasa_model_load.__func__(cls, model_file_name, model_data_example, predict_data_example,
                                         finetune_mode, *args, **kwargs)
    import tensorflow as tf

    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get("learning_rate", 0.001)),
                  run_eagerly=config.get("run_eagerly"))
    batch = RasaBatchDataGenerator(model_data_example, batch_size=1)[0][0]
    model._training = True  # as in train_step: every layer the loss uses creates its variables
    model.batch_loss(batch)
    model._training = None
    # The checkpoint also holds the optimizer's state, which prediction never reads.
    model.load_weights(model_file_name).expect_partial()
    if predict_data_example:  # as Rasa: the first prediction traces the predict graph
        model.run_inference(predict_data_example)
    return model


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
    from rasa.shared.core.events import Event
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.tensorflow.models import RasaModel

    global _rasa_engine_kwargs, _rasa_model_load, _rasa_resolve_by_type
    RemoteAction._validate_action_result = validate_action_result
    EndpointConfig.request = request
    tracker_store.FailSafeTrackerStore.on_tracker_store_error = refuse_fallback  # save, keys
    tracker_store.FailSafeTrackerStore.on_tracker_store_retrieve_error = refuse_fallback  # retrieve
    if tracker_store.create_engine_kwargs is not sql_engine_kwargs:
        _rasa_engine_kwargs = tracker_store.create_engine_kwargs
        tracker_store.create_engine_kwargs = sql_engine_kwargs
    if RasaModel.__dict__["load"].__func__ is not load_for_prediction:
        _rasa_model_load = RasaModel.__dict__["load"]
        RasaModel.load = classmethod(load_for_prediction)
    if Event.__dict__["resolve_by_type"].__func__ is not resolve_event_type:
        _rasa_resolve_by_type = Event.resolve_by_type
        Event.resolve_by_type = staticmethod(resolve_event_type)


_rasa_engine_kwargs: Any = None
_rasa_model_load: Any = None
_rasa_resolve_by_type: Any = None


if __name__ == "__main__":
    install()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
