"""What the benches share: a figure beside its target with "met" / "NOT met", and the PostgreSQL server to use."""

from __future__ import annotations

import argparse
import asyncio
import os
from dataclasses import dataclass

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import migrate

# The server the storage tests use (trust auth); BENCH_POSTGRES_URL points elsewhere, "" turns PostgreSQL off.
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True, slots=True)
class Target:
    """``limit`` is an upper bound unless ``at_least``."""

    label: str
    limit: float
    unit: str
    at_least: bool = False

    def met(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit


def report(target: Target, value: float, *, indent: str = "", why: str = "") -> bool:
    """Print one figure with its target and verdict; True when met."""
    met = target.met(value)
    sign = "≥" if target.at_least else "≤"
    verdict = "met" if met else "NOT met" + (f" ({why})" if why else "")
    print(f"{indent}target {target.label} {sign} {target.limit:g} {target.unit}: {value:.1f} {target.unit} — {verdict}")
    return met


async def _ensure(server: str, database: str) -> bool:
    try:
        connection = await asyncpg.connect(server, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{database}"')
    finally:
        await connection.close()
    return True


def pg_url(database: str) -> str | None:
    """A SQLAlchemy URL of ``database`` on the PostgreSQL server (created when missing), or None without one."""
    server = os.environ.get("BENCH_POSTGRES_URL", POSTGRES)
    if not server:
        return None
    if not asyncio.run(_ensure(server, database)):
        return None
    base = server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{database}"


def add_backend(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default=default)


def postgres(backend: str, database: str) -> str | None:
    """:func:`pg_url` when ``backend`` (the ``--backend`` option) asks for PostgreSQL; says so when no server
    answers, so each bench's figures read the same whichever server was there."""
    if backend not in ("postgresql", "both"):
        return None
    url = pg_url(database)
    if url is None:
        print("PostgreSQL: no server answers on 127.0.0.1:5432; skipped")
    return url


async def fresh_schema(engine: AsyncEngine) -> None:
    """Migrate; a PostgreSQL bench database is emptied first (it outlives the run, a SQLite file does not)."""
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            await connection.exec_driver_sql("CREATE SCHEMA public")
    await migrate(engine)
