"""Engine, sessions and migrations: one place that knows how to open the database on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
import weakref
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, CursorResult, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_URL = "sqlite+aiosqlite:///data/ceasefire-watch.sqlite3"
SCRIPT_LOCATION = "storage:migrations"
# The newest migration (tests/storage/test_migrations.py checks it against Alembic's head). A database already at it
# is opened without loading Alembic at all, which a long-running bot would otherwise keep in memory for nothing.
HEAD_REVISION = "0007"
# Writers wait this long for a lock instead of failing at once (the bot and a `load` may overlap).
BUSY_TIMEOUT_MS = 30_000

# PostgreSQL advisory lock that queues migrations (storage.loader's load lock is another key).
MIGRATE_LOCK_KEY = 0x6365617365666973
# Modes of what the app creates for a SQLite database: the folder only its owner may enter, the file (and the
# -wal and -shm files SQLite creates with the file's mode) only its owner may read.
FOLDER_MODE = 0o700
FILE_MODE = 0o600

# Users write the plain URL; the app is async, so pick the async driver for them.
_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}


def async_url(url: str | URL) -> URL:
    """``url`` with an async driver: ``sqlite:///x`` → ``sqlite+aiosqlite:///x``, ``postgresql://`` → asyncpg."""
    parsed = make_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    return parsed.set(drivername=driver) if driver else parsed


# Execution option for a transaction that will write after reading: on SQLite it takes the write lock at BEGIN
# (BEGIN IMMEDIATE), so a second writer waits for the busy timeout instead of failing on a stale snapshot.
SQLITE_IMMEDIATE = "sqlite_immediate"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN cannot be IMMEDIATE and skips DDL; _sqlite_begin emits BEGIN instead
    # (the recipe from SQLAlchemy's SQLite dialect notes), which also makes migrations transactional.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(SQLITE_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def sqlite_path(url: str | URL) -> Path | None:
    """The file of a SQLite database URL, made absolute; None for PostgreSQL, in-memory and URI databases."""
    parsed = async_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().absolute()


def describe(url: str | URL) -> str:
    """The URL as it may be printed: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def _create_private(path: Path) -> None:
    """The database file's folder (0700) and an empty file (0600) when they are missing; SQLite would create the
    file world-readable under the usual umask, and its -wal and -shm files take the main file's mode. An existing
    folder or file keeps the mode its owner gave it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))  # no O_TRUNC: an existing database is untouched


def _use_wal(path: Path) -> None:
    """Switch the database file to WAL once, before any pooled connection opens it. The switch needs an exclusive
    lock and SQLite answers "database is locked" at once, without its busy handler, when another process is
    switching or migrating at that moment (1 in 40 concurrent first loads): so retry until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
        finally:
            connection.close()
        time.sleep(0.05)


def create_engine(url: str | URL = DEFAULT_URL, *, connect_args: Mapping[str, Any] | None = None) -> AsyncEngine:
    """An async engine for ``url``; on SQLite WAL mode, enforced foreign keys and a busy timeout, and the
    database file and its folder are created (owner-only) so a fresh clone works without setup."""
    parsed = async_url(url)
    args = dict(connect_args or {})
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            _create_private(path)
            _use_wal(path)
        args.setdefault("timeout", BUSY_TIMEOUT_MS / 1000)
        engine = create_async_engine(parsed, connect_args=args)
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    return create_async_engine(parsed, connect_args=args, pool_pre_ping=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit, so results can be read once the transaction is over."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    """Alembic configured in code: no alembic.ini is needed where the app runs."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def _upgrade(connection: Connection) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def _current(engine: AsyncEngine) -> bool:
    """Whether the schema is at :data:`HEAD_REVISION` already (a plain read; no table yet reads as no)."""
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError:
        return False
    return bool(found == HEAD_REVISION)


# Alembic's migration context is module state: two upgrades interleaved on one event loop would share it.
_in_process: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision; a no-op on an up-to-date database.

    Serialised, so that two processes starting on a new database (two `load`s, the bot and a `load`) both succeed:
    on SQLite the transaction takes the write lock at BEGIN (BEGIN IMMEDIATE; the other waits its busy timeout,
    then finds the schema current), on PostgreSQL a transaction-scoped advisory lock queues them. A deferred BEGIN
    let both read "no alembic_version" and the second fail with "database is locked" at CREATE TABLE."""
    if await _current(engine):
        return
    lock = _in_process.setdefault(asyncio.get_running_loop(), asyncio.Lock())
    async with lock, engine.connect() as connection:
        connection = await connection.execution_options(**{SQLITE_IMMEDIATE: True})
        async with connection.begin():
            if connection.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATE_LOCK_KEY})
            await connection.run_sync(_upgrade)


# --- helpers every writer shares --------------------------------------------------------------------------------


@asynccontextmanager
async def writing(
    sessions: async_sessionmaker[AsyncSession], *, lock_key: int | None = None
) -> AsyncIterator[AsyncSession]:
    """A write transaction that takes SQLite's write lock at BEGIN, so a read-then-update never works on a
    snapshot another writer already changed (PostgreSQL re-checks the WHERE of a blocked UPDATE itself);
    ``lock_key``: on PostgreSQL also a transaction-scoped advisory lock, for work that must not interleave."""
    async with sessions() as session, session.begin():
        connection = await session.connection(execution_options={SQLITE_IMMEDIATE: True})
        if lock_key is not None and connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key})
        yield session


def insert_for(session: AsyncSession, table: Any) -> postgresql.Insert | sqlite.Insert:
    """INSERT with ON CONFLICT support for the session's backend (both dialects spell it the same way)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


async def rowcount(session: AsyncSession, result: Any) -> int:
    """Rows the statement changed. Python's sqlite3 reports -1 for a statement that starts with WITH (it looks at
    the first keyword only), so SQLite is then asked directly."""
    assert isinstance(result, CursorResult)
    if result.rowcount >= 0:
        return int(result.rowcount)
    return int(await session.scalar(text("SELECT changes()")) or 0)


def as_utc(value: Any) -> datetime:
    """An aware UTC datetime from what a query returned: aggregates lose the column type on SQLite (text comes
    back), so read them as UtcDateTime does."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
