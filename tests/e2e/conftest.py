"""The real stack — court backend, action server, Rasa — started once for the e2e session."""
from __future__ import annotations

import sqlite3
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import requests

from deploy.stack import MODEL, Stack, start_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    # Rasa at DEBUG logs every user message: the masking filter must still hide ID and phone numbers.
    running = start_stack(var_dir=tmp_path_factory.mktemp("stack"), rasa_env={"LOG_LEVEL": "DEBUG"})
    yield running
    running.stop()


class Chat:
    """One litigant talking to Rasa over the REST channel."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.sender = f"e2e-{uuid.uuid4().hex[:12]}"
        self.transcript: list[tuple[str, list[dict]]] = []

    def say(self, text: str) -> list[dict]:
        resp = requests.post(f"{self.stack.rasa_url}/webhooks/rest/webhook",
                             json={"sender": self.sender, "message": text}, timeout=60)
        resp.raise_for_status()
        replies = resp.json()
        self.transcript.append((text, replies))
        return replies

    def delivered(self, contains: str, wait_s: float = 60) -> str:
        """A message the backend sent into this conversation afterwards (a bot event it appended through
        Rasa's API: the REST channel has no push), waited for up to `wait_s` (a bound, not a timing)."""
        for _ in range(int(wait_s / 0.25)):
            resp = requests.get(f"{self.stack.rasa_url}/conversations/{self.sender}/tracker",
                                params={"token": self.stack.api_token}, timeout=30)
            resp.raise_for_status()
            for event in resp.json().get("events", []):
                if (event.get("event") == "bot" and (event.get("metadata") or {}).get("court_delivery")
                        and contains in (event.get("text") or "")):
                    return event["text"]
            time.sleep(0.25)
        raise AssertionError(f"nothing containing {contains!r} was delivered into {self.sender} in {wait_s} s")

    @staticmethod
    def text(replies: list[dict]) -> str:
        return "\n".join(r.get("text", "") for r in replies)

    def db(self, sql: str, *args) -> list[tuple]:
        """Read the backend's SQLite database directly: what is stored is what counts."""
        with sqlite3.connect(Path(self.stack.var_dir) / "court.db") as conn:
            return conn.execute(sql, args).fetchall()


@pytest.fixture
def chat(stack: Stack) -> Chat:
    return Chat(stack)
