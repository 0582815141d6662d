"""Backend test fixtures: the real app on SQLite and on PostgreSQL, schema made by the migrations.

Every API test runs once per database (`db_url` is parametrised). PostgreSQL is the server on
127.0.0.1:5432 (trust auth); the tests use their own database `court_test` so that nothing else
on the server is touched, and empty every table between tests.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path
from typing import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import text

from court.app import create_app
from court.app_keys import SESSIONMAKER
from court.config import Settings
from court.migrate import upgrade
from court.models import Base

PG_ADMIN = os.environ.get("COURT_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
PG_URL = os.environ.get("COURT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/court_test")


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
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = 'court_test'")
        if not exists:
            await conn.execute("CREATE DATABASE court_test")
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
    return Settings(database_url=db_url, upload_dir=tmp_path / "uploads")


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
