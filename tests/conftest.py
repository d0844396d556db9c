"""Database fixtures: every storage test runs on a fresh SQLite file, and on PostgreSQL too when
``TEST_DATABASE_URL`` is set (each test then gets its own schema, so parallel runs never collide)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import create_engine, migrate, session_factory

BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])]


@dataclass(frozen=True)
class Database:
    """Where a test's database lives and how to connect to it."""

    backend: str
    url: str
    connect_args: dict[str, Any] = field(default_factory=dict)

    def engine(self) -> AsyncEngine:
        return create_engine(self.url, connect_args=self.connect_args)


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database: a SQLite file under tmp_path, or a fresh PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield Database("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'db' / 'test.sqlite3'}")
        return
    url = os.environ["TEST_DATABASE_URL"]
    admin = create_engine(url)
    try:
        async with fresh_schema(admin) as schema:
            yield Database("postgresql", url, {"server_settings": {"search_path": schema}})
    finally:
        await admin.dispose()


@asynccontextmanager
async def fresh_schema(engine: AsyncEngine) -> AsyncIterator[str]:
    """A new PostgreSQL schema of a unique name, dropped with all in it on the way out: tests running at the
    same time on one server never see each other's tables or locks."""
    schema = f"test_{uuid.uuid4().hex}"
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield schema
    finally:
        async with engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture
def database_url(database: Database) -> str:
    return database.url


@pytest.fixture
async def engine(database: Database) -> AsyncIterator[AsyncEngine]:
    """An engine on the empty (not yet migrated) database."""
    engine = database.engine()
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
async def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on a database migrated to head, as the app has it after start."""
    await migrate(engine)
    return session_factory(engine)
