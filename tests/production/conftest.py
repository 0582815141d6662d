"""The production profile started once for the session: two Rasa replicas on the real PostgreSQL,
Redis and RabbitMQ, nginx in front, the backend on PostgreSQL consuming the event queue.

For the fault tests (test_faults.py) the stack reaches PostgreSQL and RabbitMQ through relays that
can be cut (tests/production/faultkit.py: the machine's servers are shared, never stopped), Redis is
a server of the session's own that can be restarted (the machine's when no redis-server binary is
found), and the action server reaches the backend through a relay too.

Each run has private names — databases ``rasa_test_<run>`` / ``court_test_<run>``, exchange and
queue ``rasa_*_test_<run>``, Redis key prefix ``test<run>`` — so that runs on one machine do not
collide; they are dropped at the end. A service that does not answer is started as on a fresh
development machine (platform notes); if it still does not answer, the session fails saying which.
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import time
import uuid
from typing import Iterator

import aio_pika
import pytest
import redis

from deploy.profiles import (NGINX, ProductionStack, Services, consecutive_free_ports, drop_databases,
                             start_production, unreachable)
from deploy.stack import MODEL, Ports
from faultkit import PrivateRedis, Relay
from prodkit import Chat, Tap, sms_code_reader, staff_token
from tests.e2e import journeys


RUN = uuid.uuid4().hex[:8]
ADMIN = ("prodadmin", "生产测试管理员", "Prod-profile-2026")

# How to start each service when it is down (the commands of the platform notes).
START = {
    "PostgreSQL": lambda: subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", sorted(os.listdir("/etc/postgresql"))[-1], "main", "start"],
        check=False, capture_output=True),
    "Redis": lambda: subprocess.run(
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "",
         "--appendonly", "no"], check=False, capture_output=True),
    "RabbitMQ": lambda: subprocess.run(["rabbitmq-server", "-detached"], check=False, capture_output=True),
}


def _services_running(services: Services) -> None:
    down = unreachable(services)
    for entry in down:
        name = entry.split()[0]
        try:
            START[name]()
        except (OSError, IndexError):
            pass
    deadline = time.monotonic() + 90
    while down and time.monotonic() < deadline:
        time.sleep(1)
        down = unreachable(services)
    if down:
        pytest.fail("the production profile needs these services, and they do not answer: " + ", ".join(down),
                    pytrace=False)


def _drop_private(services: Services) -> None:
    """Drop this run's databases, queue and lock keys."""
    drop_databases(services)
    red = redis.Redis(host=services.redis_host, port=int(services.redis_port), db=int(services.redis_db))
    for key in red.scan_iter(f"{services.lock_prefix}:*"):
        red.delete(key)

    async def drop_queue_and_exchange() -> None:
        connection = await aio_pika.connect(services.amqp_url)
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(services.events_queue)
            await channel.exchange_delete(services.exchange)

    asyncio.run(drop_queue_and_exchange())


class Faults:
    """The cuttable relays and the restartable Redis the session's stack runs on."""

    def __init__(self, machine: Services, backend_port: int) -> None:
        self.postgres = Relay(machine.db_host, int(machine.db_port))
        self.rabbitmq = Relay(machine.amqp_host, int(machine.amqp_port))
        self.backend = Relay("127.0.0.1", backend_port)  # the action server's way to the backend
        self.redis = PrivateRedis() if PrivateRedis().binary else None
        if self.redis:
            self.redis.start()

    def overrides(self) -> dict[str, str]:
        ports = {"db_host": "127.0.0.1", "db_port": str(self.postgres.port),
                 "amqp_host": "127.0.0.1", "amqp_port": str(self.rabbitmq.port)}
        if self.redis:
            ports.update(redis_host="127.0.0.1", redis_port=str(self.redis.port))
        return ports

    def close(self) -> None:
        for relay in (self.postgres, self.rabbitmq, self.backend):
            relay.close()
        if self.redis:
            self.redis.stop()


PORTS = Ports.free()


@pytest.fixture(scope="session")
def faults() -> Iterator[Faults]:
    machine = Services.from_env()
    _services_running(machine)
    kit = Faults(machine, PORTS.backend)
    try:
        yield kit
    finally:
        kit.close()


@pytest.fixture(scope="session")
def services(faults: Faults) -> Services:
    return Services.from_env(rasa_db=f"rasa_test_{RUN}", court_db=f"court_test_{RUN}", lock_prefix=f"test{RUN}",
                             exchange=f"rasa_exchange_test_{RUN}", events_queue=f"rasa_events_test_{RUN}",
                             **faults.overrides())


@pytest.fixture(scope="session")
def prod(services: Services, faults: Faults, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProductionStack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)", pytrace=False)
    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing: run `make nginx`", pytrace=False)
    stack = start_production(PORTS, tmp_path_factory.mktemp("prod-stack"),
                             replica_ports=consecutive_free_ports(2), services=services,
                             actions_backend_url=f"http://127.0.0.1:{faults.backend.port}")
    patch = pytest.MonkeyPatch()
    patch.setattr(journeys, "sms_code", sms_code_reader(stack))  # codes come from the (fake) operator
    try:
        yield stack
    finally:
        patch.undo()
        stack.stop()
        for relay in (faults.postgres, faults.rabbitmq):
            relay.restore()  # should a fault test have failed while its service was cut
        _drop_private(services)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that leave the stack with one replica fewer (marker `kills_replica`) run last."""
    items.sort(key=lambda item: item.get_closest_marker("kills_replica") is not None)


@pytest.fixture
def chat(prod: ProductionStack) -> Chat:
    return Chat(prod)


@pytest.fixture(scope="session")
def admin_token(prod: ProductionStack) -> str:
    """A court administrator on the production backend's PostgreSQL database, logged in (TOTP too)."""
    username, name, password = ADMIN
    return staff_token(prod, username, name, "admin", password)


@pytest.fixture
def tap(prod: ProductionStack) -> Iterator[Tap]:
    t = Tap(prod.services)
    t.bind()
    yield t
    t.delete()
