"""The production profile started once for the session: two Rasa replicas on the real PostgreSQL,
Redis and RabbitMQ, nginx in front, the backend on PostgreSQL consuming the event queue.

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
import psycopg2
import pytest
import redis
import requests

from deploy.profiles import NGINX, ProductionStack, Services, consecutive_free_ports, start_production, unreachable
from deploy.stack import COURT_PYTHON, MODEL, ROOT, Ports
from prodkit import Chat, Tap


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
    conn = psycopg2.connect(host=services.db_host, port=int(services.db_port), user=services.db_user,
                            dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        for name in (services.rasa_db, services.court_db):
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()
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


@pytest.fixture(scope="session")
def services() -> Services:
    return Services.from_env(rasa_db=f"rasa_test_{RUN}", court_db=f"court_test_{RUN}", lock_prefix=f"test{RUN}",
                             exchange=f"rasa_exchange_test_{RUN}", events_queue=f"rasa_events_test_{RUN}")


@pytest.fixture(scope="session")
def prod(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProductionStack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)", pytrace=False)
    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing: run `make nginx`", pytrace=False)
    _services_running(services)
    stack = start_production(Ports.free(), tmp_path_factory.mktemp("prod-stack"),
                             replica_ports=consecutive_free_ports(2), services=services)
    try:
        yield stack
    finally:
        stack.stop()
        _drop_private(services)


@pytest.fixture
def chat(prod: ProductionStack) -> Chat:
    return Chat(prod)


@pytest.fixture(scope="session")
def admin_token(prod: ProductionStack) -> str:
    """A court administrator on the production backend's PostgreSQL database, logged in."""
    username, name, password = ADMIN
    subprocess.run([str(COURT_PYTHON), "-m", "court", "create-staff", "--username", username, "--name", name,
                    "--role", "admin", "--password-stdin"], input=password + "\n", text=True, check=True,
                   cwd=ROOT, env={**os.environ, "COURT_DATABASE_URL": prod.database_url, "COURT_DEV_MODE": "1"}, capture_output=True)
    resp = requests.post(f"{prod.backend_url}/api/v1/staff/session",
                         json={"username": username, "password": password}, timeout=30)
    resp.raise_for_status()
    return resp.json()["token"]


@pytest.fixture
def tap(prod: ProductionStack) -> Iterator[Tap]:
    t = Tap(prod.services)
    t.bind()
    yield t
    t.delete()
