"""Helpers of the production-profile tests: a REST chat, a tap on Rasa's exchange, polling."""
from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import time
import uuid
from typing import Any, Callable, Optional
from urllib.parse import parse_qs, urlsplit

import aio_pika
import psycopg2
import pytest
import requests

from deploy.profiles import ProductionStack, Services
from deploy.stack import COURT_PYTHON, ROOT


def wait_for(check: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    """Poll until `check()` returns something truthy (background work, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.1)


class Chat:
    """One litigant over the REST channel; each message goes to the URL chosen for it."""

    def __init__(self, prod: ProductionStack) -> None:
        self.prod = prod
        self.sender = f"prod-{uuid.uuid4().hex[:12]}"

    def say(self, text: str, url: Optional[str] = None) -> list[dict]:
        resp = requests.post(f"{url or self.prod.rasa_url}/webhooks/rest/webhook",
                             json={"sender": self.sender, "message": text}, timeout=120)
        resp.raise_for_status()
        return resp.json()

    @staticmethod
    def text(replies: list[dict]) -> str:
        return "\n".join(r.get("text") or "" for r in replies)

    def tracker(self, url: Optional[str] = None) -> dict[str, Any]:
        """The conversation as a replica loads it from the tracker store (Rasa's HTTP API)."""
        resp = requests.get(f"{url or self.prod.rasa_url}/conversations/{self.sender}/tracker",
                            params={"token": self.prod.api_token}, timeout=30)
        resp.raise_for_status()
        return resp.json()

    def db(self, sql: str, *args: Any) -> list[tuple]:
        """A query on the court's PostgreSQL database (`?` placeholders, as tests/e2e/journeys.py writes them)."""
        services = self.prod.services
        with psycopg2.connect(host=services.db_host, port=int(services.db_port), user=services.db_user,
                              dbname=services.court_db) as conn, conn.cursor() as cur:
            cur.execute(sql.replace("?", "%s"), args)
            return cur.fetchall()

    def stored_events(self) -> list[dict]:
        """The events in the PostgreSQL tracker store, in the order they were saved."""
        services = self.prod.services
        with psycopg2.connect(host=services.db_host, port=int(services.db_port), user=services.db_user,
                              dbname=services.rasa_db) as conn, conn.cursor() as cur:
            cur.execute("SELECT data FROM events WHERE sender_id = %s ORDER BY id", (self.sender,))
            return [json.loads(row[0]) for row in cur.fetchall()]


class Tap:
    """A queue of the test's own bound to Rasa's exchange: a copy of every event Rasa publishes.

    RabbitMQ is reached with aio-pika, the client Rasa's pika broker itself uses.
    """

    def __init__(self, services: Services) -> None:
        self.services = services
        self.queue = f"{services.events_queue}_tap"

    def bind(self) -> None:
        async def run() -> None:
            connection = await aio_pika.connect(self.services.amqp_url)
            async with connection:
                channel = await connection.channel()
                queue = await channel.declare_queue(self.queue, durable=False)
                await queue.bind(self.services.exchange, "")
        asyncio.run(run())

    def drain(self) -> list[bytes]:
        """Every message the tap holds now, removed from it."""
        async def run() -> list[bytes]:
            connection = await aio_pika.connect(self.services.amqp_url)
            bodies = []
            async with connection:
                channel = await connection.channel()
                queue = await channel.get_queue(self.queue)
                while (message := await queue.get(no_ack=True, fail=False)) is not None:
                    bodies.append(message.body)
            return bodies
        return asyncio.run(run())

    def publish_to_court(self, body: bytes) -> None:
        """Put a message straight into the court's queue, as a redelivery or a re-publish would."""
        async def run() -> None:
            connection = await aio_pika.connect(self.services.amqp_url)
            async with connection:
                channel = await connection.channel()
                await channel.default_exchange.publish(
                    aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                    routing_key=self.services.events_queue)
        asyncio.run(run())

    def delete(self) -> None:
        async def run() -> None:
            connection = await aio_pika.connect(self.services.amqp_url)
            async with connection:
                channel = await connection.channel()
                await channel.queue_delete(self.queue)
        asyncio.run(run())


def events_of(bodies: list[bytes], sender: str) -> list[dict]:
    return [e for e in (json.loads(b) for b in bodies) if e.get("sender_id") == sender]


def staff_turns(prod: ProductionStack, token: str, sender: str) -> Optional[list[dict]]:
    """The conversation's turns in the staff console's transcript (None before its first event)."""
    resp = requests.get(f"{prod.backend_url}/api/v1/staff/transcripts/{sender}",
                        headers={"Authorization": f"Bearer {token}"}, timeout=30)
    if resp.status_code == 404:
        return None
    resp.raise_for_status()
    return resp.json()["turns"]


def staff_token(prod: ProductionStack, username: str, name: str, role: str, password: str,
                court: Optional[str] = None) -> str:
    """A staff account made with the backend's own command in production mode — which enrols a TOTP
    second factor, as for every production account — logged in with its password and current code."""
    made = subprocess.run([str(COURT_PYTHON), "-m", "court", "create-staff", "--username", username, "--name", name,
                           "--role", role, "--password-stdin", *(["--court", court] if court else [])],
                          input=password + "\n", text=True, cwd=ROOT, capture_output=True, check=True,
                          env={**os.environ, "COURT_DATABASE_URL": prod.database_url, "COURT_DEV_MODE": "0"})
    uri = re.search(r"otpauth://\S+", made.stdout)
    assert uri, made.stdout + made.stderr
    secret = parse_qs(urlsplit(uri.group(0)).query)["secret"][0]
    otp = subprocess.run([str(COURT_PYTHON), "-c", "import pyotp, sys; print(pyotp.TOTP(sys.argv[1]).now())", secret],
                         capture_output=True, text=True, check=True).stdout.strip()  # pyotp: the backend's library
    resp = requests.post(f"{prod.backend_url}/api/v1/staff/session",
                         json={"username": username, "password": password, "otp": otp}, timeout=30)
    resp.raise_for_status()
    return resp.json()["token"]


def sent_codes(prod: ProductionStack, phone: str) -> list[str]:
    """The verification codes the (fake) Aliyun SMS service delivered to `phone`, oldest first."""
    assert prod.fakes and prod.fakes.aliyun, "the SMS provider is real here: its codes reach real phones"
    sent = requests.get(f"{prod.fakes.aliyun_url}/_sent", timeout=10).json()
    return [m["params"]["code"] for m in sent if m["phone"] == phone]


def sms_code_reader(prod: ProductionStack) -> Callable[[Any, str], str]:
    """tests/e2e/journeys.py's sms_code for the production profile: the code from the fake
    operator (there is no development outbox in production)."""
    def sms_code(_chat: Any, phone: str) -> str:
        codes = sent_codes(prod, phone)
        assert codes, "no SMS code was sent"
        return codes[-1]
    return sms_code
