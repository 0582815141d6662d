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


def test_event_types_resolve_as_rasa_resolves_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.shared.core.events import Event, SlotSet
    from rasa.shared.utils.common import all_subclasses

    import deploy.rasa_main as rasa_main

    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])  # restored afterwards
    install()
    rasas = rasa_main._rasa_resolve_by_type
    assert Event.resolve_by_type is rasa_main.resolve_event_type
    assert rasas.__module__ == "rasa.shared.core.events"
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is rasas(cls.type_name)
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


class Answering:
    """A loopback aiohttp server that notes the client port (the connection) of every call."""

    def __init__(self, handler) -> None:
        self.handler, self.client_ports = handler, set()

    async def __aenter__(self) -> str:
        from aiohttp import web

        async def noting(request: web.Request) -> web.Response:
            self.client_ports.add(request.transport.get_extra_info("peername")[1])
            return await self.handler(request)

        app = web.Application()
        app.router.add_post("/webhook", noting)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/webhook"

    async def __aexit__(self, *_) -> None:
        await self.runner.cleanup()


async def test_action_calls_share_one_kept_alive_connection_and_answer_as_rasas(monkeypatch) -> None:
    from aiohttp import web

    from rasa.utils.endpoints import ClientResponseError, EndpointConfig

    monkeypatch.setattr(EndpointConfig, "request", EndpointConfig.request)
    install()

    async def handler(request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("next_action") == "refused":
            return web.json_response({"error": "不行", "action_name": "refused"}, status=400)
        return web.json_response({"events": [], "responses": [{"text": body["next_action"]}],
                                  "token": request.query.get("token")})

    server = Answering(handler)
    async with server as url:
        endpoint = EndpointConfig(url, token="s3cret")
        for name in ("action_a", "action_b", "action_c"):
            answer = await endpoint.request(json={"next_action": name}, method="post")
            assert answer == {"events": [], "responses": [{"text": name}], "token": "s3cret"}
        with pytest.raises(ClientResponseError) as refused:
            await endpoint.request(json={"next_action": "refused"}, method="post")
        assert refused.value.status == 400 and b"action_name" in refused.value.text
    assert len(server.client_ports) == 1  # Rasa's own opens a connection per call


async def test_a_call_cut_while_being_sent_is_sent_again_and_one_cut_while_answering_is_not(monkeypatch) -> None:
    import aiohttp

    import deploy.rasa_main as rasa_main
    from rasa.utils.endpoints import EndpointConfig

    monkeypatch.setattr(EndpointConfig, "request", EndpointConfig.request)
    install()
    attempts = []

    class Cut:
        def __init__(self, error: Exception) -> None:
            self.error = error

        def request(self, *args, **kwargs):
            attempts.append(self.error)
            raise self.error

    body_not_written = aiohttp.ClientOSError(None, "Can not write request body for http://127.0.0.1:9/webhook")
    body_not_written.__cause__ = ConnectionResetError("Cannot write to closing transport")  # as aiohttp 3.9 raises it
    for error, tries in ((aiohttp.ClientOSError("Cannot write to closing transport"), 2), (body_not_written, 2),
                         (aiohttp.ClientOSError(104, "Connection reset by peer"), 1)):
        attempts.clear()
        monkeypatch.setattr(rasa_main, "_pooled_session", lambda: Cut(error))
        with pytest.raises(aiohttp.ClientOSError):
            await EndpointConfig("http://127.0.0.1:9/webhook").request(json={}, method="post")
        assert len(attempts) == tries
