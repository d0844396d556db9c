"""Fixtures for the bot: a database with our example articles (built once, copied per test) and a running bot."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.settings import Settings
from articles.extract import extract_file
from bot.context import Deps
from bot.localapi import LocalBotApi
from storage.db import create_engine, migrate, session_factory
from storage.loader import load_article
from tests.bot.harness import ADMIN, App, FixedClock, PolledBot, polled_bot, recording_application
from tests.examples import first_examples

NOW = datetime(2025, 3, 22, 12, 0, tzinfo=UTC)


async def _build_template(path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await migrate(engine)
        sessions = session_factory(engine)
        for path in first_examples():
            await load_article(sessions, extract_file(str(path)))
        async with engine.begin() as connection:
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "examples.sqlite3"
    asyncio.run(_build_template(path))
    return path


@pytest.fixture
def settings(tmp_path: Path, template_db: Path) -> Settings:
    db = tmp_path / "bot.sqlite3"
    shutil.copy(template_db, db)
    return Settings(
        database_url=f"sqlite+aiosqlite:///{db}",
        default_timezone="UTC",
        admin_user_ids=(ADMIN.id,),
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
async def sessions(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(settings.database_url)
    await migrate(engine)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
def deps(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Deps:
    return Deps(settings=settings, sessions=sessions, clock=FixedClock(NOW))


@pytest.fixture
async def bot(deps: Deps) -> AsyncIterator[PolledBot]:
    async with polled_bot(deps) as running:
        yield running


@pytest.fixture
async def recorded(deps: Deps) -> AsyncIterator[tuple[LocalBotApi, App]]:
    """The application with its recording Bot API, for handler tests without polling."""
    api = LocalBotApi()
    async with recording_application(deps, api) as application:
        yield api, application
