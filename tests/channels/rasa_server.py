"""Rasa's own HTTP server (`rasa.server.create_app`) with the WeChat channel registered the way
`rasa run` registers it, and an agent whose only stand-in is the message processor (no model).

What stays Rasa's: the webhook mount (`register`, which also sets `app.ctx.input_channels`), the
agent's lock store around a turn, the tracker store, `POST /conversations/{id}/tracker/events`
with its auth token, event parsing, the choice of output channel for `output_channel=latest`
(`_get_output_channel` → `tracker.get_latest_input_channel()` → the channel's
`get_output_channel()`), and the sending of `bot` events (`MessageProcessor._send_bot_messages`).
What the stub does instead of a trained model: a user message is recorded as Rasa records it
(`UserUttered` with its input channel) and answered with "收到：…".
"""
from __future__ import annotations

import uuid
from typing import Any, Optional

from rasa.core.agent import Agent
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage, register
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.server import create_app
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from bot.channels.wechat import WeChatInput
from tests.channels.sanic_server import LoopbackSanic

API_TOKEN = "rasa-api-token"


class StubProcessor:
    """The parts of `MessageProcessor` that the webhook and the events endpoint call."""

    def __init__(self, tracker_store: InMemoryTrackerStore, domain: Domain) -> None:
        self.tracker_store, self.domain = tracker_store, domain

    async def get_tracker(self, conversation_id: str) -> DialogueStateTracker:
        return await self.tracker_store.get_or_create_tracker(conversation_id)

    async def fetch_tracker_with_initial_session(self, conversation_id: str, *_: Any, **__: Any) -> DialogueStateTracker:
        return await self.get_tracker(conversation_id)

    async def handle_message(self, message: UserMessage) -> None:
        tracker = await self.get_tracker(message.sender_id)
        tracker.update(UserUttered(message.text, input_channel=message.input_channel, message_id=message.message_id))
        reply = {"text": f"收到：{message.text}"}
        await message.output_channel.send_response(message.sender_id, dict(reply))
        tracker.update(BotUttered(reply["text"]))
        await self.tracker_store.save(tracker)

    async def execute_side_effects(self, events: list[Event], tracker: DialogueStateTracker,
                                   output_channel: OutputChannel) -> None:
        await MessageProcessor._send_bot_messages(events, tracker, output_channel)


class RasaServer(LoopbackSanic):
    """`rasa run --enable-api --auth-token …` with the WeChat channel (and any others), on 127.0.0.1."""

    def __init__(self, channel: WeChatInput, *others: InputChannel) -> None:
        super().__init__()
        self.channel = channel
        self.channels = [channel, *others]
        domain = Domain.empty()
        self.tracker_store = InMemoryTrackerStore(domain)
        self.agent = Agent(domain=domain, tracker_store=self.tracker_store, lock_store=InMemoryLockStore())
        self.agent.processor = StubProcessor(self.tracker_store, domain)  # type: ignore[assignment]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def make_app(self) -> Sanic:
        app = create_app(agent=self.agent, auth_token=API_TOKEN)
        app.name = f"rasa_test_{uuid.uuid4().hex[:8]}"
        register(self.channels, app, route="/webhooks/")
        return app

    async def latest_channel(self, conversation_id: str, channel: str) -> None:
        """A conversation whose last user message came in on `channel` (as an earlier turn leaves it)."""
        tracker = await self.tracker_store.get_or_create_tracker(conversation_id)
        tracker.update(UserUttered("你好", input_channel=channel))
        await self.tracker_store.save(tracker)

    async def deliver(self, conversation_id: str, text: str, *, token: str = API_TOKEN,
                      data: Optional[dict[str, Any]] = None) -> tuple[int, dict[str, Any]]:
        """What the court backend posts for a delivery (court/infra/rasa_client.py)."""
        assert self._http is not None
        event: dict[str, Any] = {"event": "bot", "text": text, "timestamp": 1772330400.0,
                                 "metadata": {"court_delivery": "fee_notice_issued:event:7"}}
        if data is not None:
            event["data"] = data
        async with self._http.post(f"{self.url}/conversations/{conversation_id}/tracker/events",
                                   params={"output_channel": "latest", "execute_side_effects": "true", "token": token},
                                   json=[event]) as resp:
            return resp.status, await resp.json(content_type=None)

    async def user_texts(self) -> dict[str, list[Optional[str]]]:
        """Every conversation's user messages, by conversation id: what Rasa processed."""
        texts = {}
        for key in await self.tracker_store.keys():
            tracker = await self.tracker_store.retrieve(key)
            texts[key] = [e.text for e in tracker.events if isinstance(e, UserUttered)] if tracker else []
        return texts

    async def bot_texts(self, conversation_id: str) -> list[Optional[str]]:
        tracker = await self.tracker_store.retrieve(conversation_id)
        return [e.text for e in tracker.events if isinstance(e, BotUttered)] if tracker else []
