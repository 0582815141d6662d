"""The migrations and the models agree: a database made by `alembic upgrade head` has every table,
column, index and constraint the models declare, and nothing else (alembic's autogenerate compare).

Why: the schema is only ever made by migrations (court/infra/migrate.py), while the code reads and writes
through the models. A table declared outside the models' metadata, or a column added to a model
without its migration, shows up here as a difference.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from court.infra.migrate import upgrade
from court.infra.models import Base


def _compare(conn) -> list:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


async def _differences(url: str) -> list:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_compare)
    finally:
        await engine.dispose()


def test_models_declare_every_table_the_app_uses() -> None:
    import court.app  # noqa: F401  (everything the app imports, so a table declared elsewhere would register)

    assert {"transcript_conversations", "transcript_turns", "transcript_cursors", "conversation_deliveries",
            "transcript_inbox", "filings", "parties"} <= set(Base.metadata.tables)


async def test_a_fresh_sqlite_database_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    await asyncio.to_thread(upgrade, url)
    assert await _differences(url) == []


async def test_the_postgresql_database_matches_the_models(pg_url: str) -> None:
    assert await _differences(pg_url) == []


async def test_the_compare_sees_a_table_missing_from_the_migrations(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await asyncio.to_thread(upgrade, url, "0003_doc_content_type")  # before the transcript tables existed
    added = {diff[1].name for diff in await _differences(url) if diff[0] == "add_table"}
    assert {"transcript_conversations", "conversation_deliveries", "transcript_inbox"} <= added
