"""Opening the database: two processes migrating a new database at once both succeed, and what the app creates
for a SQLite database is readable by its owner only."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import create_engine, describe, migrate, sqlite_path
from tests.conftest import Database

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
TWO_ARTICLES = ("en_putin-trump-call_2025-03-18.txt", "en_prisoner-swap_2025-03-19.txt")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def _load_process(database: Path, article: Path, cwd: Path) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "TELEGRAM_"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{database}", DEFAULT_TIMEZONE="UTC")
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "load", str(article),
        env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_two_loads_on_a_new_database_both_succeed(tmp_path: Path) -> None:
    """`load a.txt` and `load b.txt` started together on a database that does not exist yet both load: the
    migration and the switch to WAL are serialised (unserialised, the second died with "database is locked").
    Three rounds, as the race is lost only now and then."""
    articles = [EXAMPLES / name for name in TWO_ARTICLES]
    assert all(path.is_file() for path in articles)
    for round_ in range(3):
        database = tmp_path / f"round{round_}" / "new.sqlite3"
        processes = [await _load_process(database, article, tmp_path) for article in articles]
        results = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in processes)), timeout=120)
        for process, (out, err) in zip(processes, results, strict=True):
            assert process.returncode == 0, err.decode()[-2000:]
            assert b"loaded as article" in out
        engine = create_engine(f"sqlite+aiosqlite:///{database}")
        try:
            async with engine.connect() as connection:
                stored = (await connection.execute(text("SELECT count(*) FROM articles"))).scalar_one()
        finally:
            await engine.dispose()
        assert stored == 2, "both articles are stored"


async def test_concurrent_migrations_in_one_process(database: Database) -> None:
    """Two engines migrating the same new database from one event loop (the bot and a test, say) both finish."""
    for _ in range(3):
        first, second = database.engine(), database.engine()
        try:
            await asyncio.wait_for(asyncio.gather(migrate(first), migrate(second)), timeout=60)
            await migrate(first)  # and again: a no-op
        finally:
            await first.dispose()
            await second.dispose()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
async def test_a_new_database_is_private_to_its_owner(tmp_path: Path) -> None:
    folder = tmp_path / "fresh" / "data"
    database = folder / "bot.sqlite3"
    old_umask = os.umask(0o022)  # the usual one, under which SQLite alone creates 0644 files in a 0755 folder
    try:
        engine = create_engine(f"sqlite+aiosqlite:///{database}")
        try:
            await migrate(engine)
            async with engine.connect() as connection:  # an open connection keeps -wal and -shm in place
                await connection.execute(text("SELECT count(*) FROM articles"))
                files = {p.name: mode(p) for p in folder.iterdir()}
        finally:
            await engine.dispose()
    finally:
        os.umask(old_umask)
    assert mode(folder) == 0o700
    assert files == {"bot.sqlite3": 0o600, "bot.sqlite3-wal": 0o600, "bot.sqlite3-shm": 0o600}


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
async def test_an_existing_folder_and_database_keep_their_modes(tmp_path: Path) -> None:
    """An operator's choice (a shared group folder, a backup restored 0640) is not overridden."""
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o750)
    folder.chmod(0o750)
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'bot.sqlite3'}")
    try:
        await migrate(engine)
    finally:
        await engine.dispose()
    (folder / "bot.sqlite3").chmod(0o640)
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'bot.sqlite3'}")
    try:
        await migrate(engine)
    finally:
        await engine.dispose()
    assert (mode(folder), mode(folder / "bot.sqlite3")) == (0o750, 0o640)


def test_paths_and_descriptions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert sqlite_path("sqlite+aiosqlite:///data/x.sqlite3") == tmp_path / "data" / "x.sqlite3"
    assert sqlite_path("sqlite:///:memory:") is None
    assert sqlite_path("postgresql+asyncpg://u:pw@localhost/db") is None
    assert "pw" not in describe("postgresql+asyncpg://u:pw@localhost/db")
