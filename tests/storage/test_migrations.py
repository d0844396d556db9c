"""The schema comes from Alembic, matches the models exactly, and the engine is set up as the app needs it."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import HEAD_REVISION, alembic_config, async_url, create_engine, migrate, session_factory
from storage.feeds import FeedRow  # noqa: F401  (its tables join Base.metadata on import)
from storage.models import Base
from storage.queries import tracked
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
    "edits",
    "alerts",
    "deliveries",
    "scheduler_state",
    "feeds",
    "feed_items",
}
# The newest revision in storage/migrations: what every migrated database must be at.
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))


async def _version(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars())


def test_the_head_the_app_knows_is_alembics() -> None:
    assert HEAD_REVISION == HEAD, "set storage.db.HEAD_REVISION to the new migration's revision"


async def test_a_current_database_opens_without_loading_alembic(tmp_path: Path) -> None:
    """A bot that restarts on its own database keeps ~11 MB less: Alembic is loaded only to migrate."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'current.sqlite3'}"
    engine = create_engine(url)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()
    script = (
        "import asyncio, sys\n"
        "from storage.db import create_engine, migrate\n"
        f"engine = create_engine({url!r})\n"
        "asyncio.run(migrate(engine))\n"
        "print('alembic' in sys.modules)\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert (process.returncode, out.decode().strip()) == (0, "False"), err.decode()[-2000:]


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


def _to(revision: str, *, down: bool = False) -> Callable[[Connection], None]:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)

    return run


# A database as revision 0005 (the previous release) left it: an article, a commitment with a source, a report and
# a conflict resting on it, a chat that follows it, and an alert that went out. Plain SQL, not the models: the
# models are the new release's.
_PREVIOUS_RELEASE = [
    "INSERT INTO articles (id, content_hash, path, language, title, published, published_utc, loaded_at) VALUES "
    "(1, 'h1', 'a.txt', 'en', 'Kremlin pauses strikes', '2025-03-18', '2025-03-18 00:00:00', '2025-03-18 20:00:00')",
    'INSERT INTO commitments (id, kind, actors, scope, conditions, start, "end", due, start_utc, end_utc, due_utc, '
    "duration_days, quantity, status, created_at, updated_at) VALUES (1, 'strike_halt', '[\"Russia\"]', "
    "'energy infrastructure', '[]', '2025-03-18', '2025-04-17', NULL, '2025-03-18 00:00:00', '2025-04-17 00:00:00', "
    "NULL, 30, NULL, 'announced', '2025-03-18 20:00:00', '2025-03-18 20:00:00')",
    'INSERT INTO commitment_sources (id, commitment_id, article_id, actors, scope, conditions, start, "end", due, '
    "duration_days, quantity, status, evidence) VALUES (1, 1, 1, '[\"Russia\"]', 'energy infrastructure', '[]', "
    "'2025-03-18', '2025-04-17', NULL, 30, NULL, 'announced', 'Putin ordered a halt.')",
    "INSERT INTO reports (id, article_id, commitment_id, kind, about, accused, claimed_by, date, quantity, evidence) "
    "VALUES (1, 1, 1, 'violation', 'strike_halt', '[\"Russia\"]', 'Ukraine', '2025-03-19', NULL, 'Drones hit.')",
    "INSERT INTO conflicts (id, commitment_id, kind, key, summary, created_at) VALUES "
    "(1, 1, 'violation_in_force', 'violation_in_force:1', 'Ukraine accuses Russia.', '2025-03-19 10:00:00')",
    "INSERT INTO conflict_reports (conflict_id, report_id) VALUES (1, 1)",
    "INSERT INTO chats (id, type, title, language, timezone, enabled, member, subscribed_all, created_at, updated_at) "
    "VALUES (42, 'private', NULL, 'en', 'UTC', true, true, false, '2025-03-17 10:00:00', '2025-03-17 10:00:00')",
    "INSERT INTO subscriptions (chat_id, commitment_id, created_at) VALUES (42, 1, '2025-03-17 10:00:00')",
    "INSERT INTO alerts (id, key, kind, commitment_id, slug, conflict_id, payload, created_at) VALUES "
    "(1, 'milestone:1:start', 'milestone', 1, 'start', NULL, '{}', '2025-03-18 00:00:00')",
    "INSERT INTO deliveries (id, alert_id, chat_id, state, due_at, attempts, updated_at, message_id) VALUES "
    "(1, 1, 42, 'sent', '2025-03-18 00:00:00', 1, '2025-03-18 00:00:01', 7)",
]
_KEPT = {
    "articles": 1,
    "commitments": 1,
    "commitment_sources": 1,
    "reports": 1,
    "conflicts": 1,
    "conflict_reports": 1,
    "chats": 1,
    "subscriptions": 1,
    "alerts": 1,
    "deliveries": 1,
}


async def _counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        return {t: int((await connection.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one()) for t in _KEPT}


async def test_a_database_of_the_previous_release_upgrades_and_keeps_everything(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_to("0005"))
    async with engine.begin() as connection:
        for statement in _PREVIOUS_RELEASE:
            await connection.execute(text(statement))
    assert await _counts(engine) == _KEPT

    await migrate(engine)
    assert await _version(engine) == [HEAD]
    assert await _counts(engine) == _KEPT, "adding the columns rebuilt no table (a rebuild would cascade)"
    sessions = session_factory(engine)
    [halt] = await tracked(sessions)
    assert (halt.review, halt.version, halt.title, halt.corrected, halt.alerts_from) == ("confirmed", 1, None, (), None)
    assert [r.id for r in halt.reports] == [1], "reports of the previous release count, as before"
    assert [c.id for c in halt.conflicts] == [1]
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM edits"))).scalar_one() == 0

    async with engine.begin() as connection:
        await connection.run_sync(_to("0005", down=True))
    assert await _version(engine) == ["0005"]
    assert await _counts(engine) == _KEPT, "going back to the previous release keeps the data too"
    await migrate(engine)
    assert await _counts(engine) == _KEPT
