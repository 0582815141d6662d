"""Backend test fixtures: the real app on SQLite and on PostgreSQL, schema made by the migrations.

Every API test runs once per database (`db_url` is parametrised). PostgreSQL is the server on
127.0.0.1:5432 (trust auth); the tests use their own database `court_test` so that nothing else
on the server is touched, and empty every table between tests.

Every response that a test receives through an aiohttp test client (`client`, or any client made
with `aiohttp_client`) is checked against the OpenAPI document (court/openapi/*.yaml, merged by
court/api/openapi.py): the status must be documented for the path and method, and a JSON body must
match the documented schema, naming no property the schema does not. A path under /api/ that the
document does not know fails too. A mismatch raises AssertionError at the request, and is
reported again when the test ends (in case the test swallowed the exception).
"""
from __future__ import annotations

import asyncio
import functools
import os
import shutil
import subprocess
from pathlib import Path

import asyncpg
import pytest
from aiohttp import ClientRequest, ClientResponse, web
from aiohttp.client_middlewares import ClientHandlerType
from aiohttp.test_utils import TestClient
from sqlalchemy import make_url, text

from court.api import openapi
from openapi_check import ResponseChecker, is_json
from court.app import create_app
from fake_rasa import FakeRasa
from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.config import Settings
from court.infra.migrate import upgrade
from court.infra.models import Base

PG_ADMIN = os.environ.get("COURT_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
PG_URL = os.environ.get("COURT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/court_test")

_OPENAPI_PROBLEMS: list[str] = []  # mismatches seen during the current test


@functools.lru_cache(maxsize=1)
def openapi_checker() -> ResponseChecker:
    return ResponseChecker(openapi.spec())


def _app_routes(app: web.Application) -> list:
    """Predicates telling whether the app has a route for a path (to tell a real 404 from an undocumented endpoint)."""
    tests = []
    for resource in app.router.resources():
        info = resource.get_info()
        if "path" in info:
            tests.append(lambda p, path=info["path"]: p == path)
        elif "pattern" in info:
            tests.append(lambda p, pattern=info["pattern"]: pattern.fullmatch(p) is not None)
        elif "prefix" in info:
            tests.append(lambda p, prefix=info["prefix"]: p.startswith(prefix))
    return tests


class OpenApiCheckingClient(TestClient):
    """A TestClient whose every response is checked against the OpenAPI document (a client middleware)."""

    def __init__(self, *args, **kwargs) -> None:
        middlewares = tuple(kwargs.pop("middlewares", None) or ())
        super().__init__(*args, middlewares=(self._check_against_openapi, *middlewares), **kwargs)

    def _app_has_route(self, path: str) -> bool:
        app = getattr(self.server, "app", None)
        if app is None:
            return True
        return any(test(path) for test in _app_routes(app))

    async def _check_against_openapi(self, request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        response = await handler(request)
        content_type = response.headers.get("Content-Type", "")
        # Only JSON bodies are read here (the body stays cached for the test); downloads stay streams.
        body = await response.read() if is_json(content_type) else None
        problems = openapi_checker().check(
            request.method, request.url.path, response.status, content_type, body, self._app_has_route
        )
        if problems:
            _OPENAPI_PROBLEMS.extend(problems)
            raise AssertionError("response does not match the OpenAPI document:\n  " + "\n  ".join(problems))
        return response


@pytest.fixture
def aiohttp_client_cls() -> type[TestClient]:
    return OpenApiCheckingClient


@pytest.fixture
def openapi_problems() -> list[str]:
    """The mismatches seen so far in this test; a test that expects one clears it."""
    return _OPENAPI_PROBLEMS


@pytest.fixture(autouse=True)
def _openapi_mismatches_fail_the_test():
    _OPENAPI_PROBLEMS.clear()
    yield
    problems, _OPENAPI_PROBLEMS[:] = list(_OPENAPI_PROBLEMS), []
    if problems:
        pytest.fail("responses did not match the OpenAPI document:\n  " + "\n  ".join(problems), pytrace=False)


async def _ensure_pg_database() -> None:
    for attempt in range(2):
        try:
            conn = await asyncpg.connect(PG_ADMIN, timeout=5)
            break
        except (OSError, asyncpg.PostgresError):
            if attempt or not shutil.which("pg_ctlcluster"):
                raise
            version = sorted(os.listdir("/etc/postgresql"))[-1]
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
            await asyncio.sleep(2)
    try:
        name = make_url(PG_URL).database  # COURT_TEST_PG_URL may name another (parallel runs)
        # A fresh database every session: one left by an earlier run (another branch's migrations,
        # a half-applied revision) must not decide this run. It is the tests' own database.
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'court.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def pg_url() -> str:
    asyncio.run(_ensure_pg_database())
    upgrade(PG_URL)
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, upload_dir=tmp_path / "uploads", dev_mode=True)


@pytest.fixture
async def client(aiohttp_client, settings: Settings):
    """A test client on the real app; every table emptied first."""
    app = create_app(settings)
    test_client = await aiohttp_client(app)
    async with app[SESSIONMAKER]() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(text(f"DELETE FROM {table.name}"))
        await session.commit()
    return test_client


@pytest.fixture
def db_rows(client):
    """Read the database behind the client directly, to assert what was (not) stored."""

    async def read(sql: str) -> list:
        async with client.app[SESSIONMAKER]() as session:
            return list((await session.execute(text(sql))).all())

    return read


@pytest.fixture
async def rasa(aiohttp_server, client) -> FakeRasa:
    """A fake Rasa API on loopback, wired in as the app's delivery target."""
    fake = FakeRasa()
    server = await aiohttp_server(fake.app())
    client.app[SETTINGS].extra["rasa_url"] = str(server.make_url("")).rstrip("/")
    return fake
