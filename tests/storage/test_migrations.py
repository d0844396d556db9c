"""The schema comes from Alembic, matches the models exactly, and the engine is set up as the app needs it."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import alembic_config, async_url, create_engine, migrate
from storage.models import Base
from tests.conftest import Database

TABLES = {
    "alembic_version",
    "articles",
    "commitments",
    "commitment_sources",
    "reports",
    "conflicts",
    "conflict_reports",
    "conflict_articles",
    "chats",
    "subscriptions",
    "mutes",
    "alerts",
    "deliveries",
    "scheduler_state",
}
# The newest revision in storage/migrations: what every migrated database must be at.
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))


async def _version(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars())


async def test_migrate_creates_the_schema_on_an_empty_database(engine: AsyncEngine) -> None:
    assert await _tables(engine) == set()
    await migrate(engine)
    assert await _tables(engine) == TABLES
    assert await _version(engine) == [HEAD]


async def test_migrate_on_a_migrated_database_changes_nothing(engine: AsyncEngine) -> None:
    await migrate(engine)
    await migrate(engine)
    assert await _tables(engine) == TABLES
    assert await _version(engine) == [HEAD]


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    await migrate(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(database: Database) -> None:
    if database.backend != "sqlite":
        return
    engine = database.engine()
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 30000
    finally:
        await engine.dispose()


async def test_sqlite_database_directory_is_created(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "dir" / "db.sqlite3"
    engine = create_engine(f"sqlite:///{target}")
    try:
        await migrate(engine)
    finally:
        await engine.dispose()
    assert target.exists()


def test_plain_urls_get_async_drivers() -> None:
    assert str(async_url("sqlite:///data/x.sqlite3")) == "sqlite+aiosqlite:///data/x.sqlite3"
    assert async_url("postgresql://postgres@127.0.0.1/test").drivername == "postgresql+asyncpg"
    assert async_url("postgres://postgres@127.0.0.1/test").drivername == "postgresql+asyncpg"
    assert async_url("postgresql+asyncpg://h/test").drivername == "postgresql+asyncpg"


def _downgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "base")


async def test_initial_revision_downgrades_cleanly(engine: AsyncEngine) -> None:
    await migrate(engine)
    async with engine.begin() as connection:
        await connection.run_sync(_downgrade)
    assert await _tables(engine) == {"alembic_version"}
    await migrate(engine)
    assert await _tables(engine) == TABLES
