"""Alembic environment. The app passes an open connection (see storage.db.migrate); the ``alembic`` command line
may instead give a URL via ``-x url=...`` or ``DATABASE_URL``, and then an async engine is made here."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection

import storage.feeds  # noqa: F401  (the feed tables join Base.metadata on import)
from storage.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table for later migrations.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_url(url: str) -> None:
    from storage.db import create_engine

    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from storage.db import DEFAULT_URL

    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    asyncio.run(_run_with_url(url))


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run them against a database")
run_migrations_online()
