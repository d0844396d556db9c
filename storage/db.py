"""Engine, sessions and migrations: one place that knows how to open the database on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

DEFAULT_URL = "sqlite+aiosqlite:///data/ceasefire-watch.sqlite3"
SCRIPT_LOCATION = "storage:migrations"
# Writers wait this long for a lock instead of failing at once (the bot and a `load` may overlap).
BUSY_TIMEOUT_MS = 30_000

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
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(SQLITE_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine(url: str | URL = DEFAULT_URL, *, connect_args: Mapping[str, Any] | None = None) -> AsyncEngine:
    """An async engine for ``url``; on SQLite WAL mode, enforced foreign keys and a busy timeout, and the
    database file's directory is created so a fresh clone works without setup."""
    parsed = async_url(url)
    args = dict(connect_args or {})
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
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
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision; a no-op on an up-to-date database."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
