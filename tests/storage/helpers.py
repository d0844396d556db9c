"""Small database helpers shared by the storage tests."""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.status import Rows, tables

# The tables the loader writes, in the order foreign keys need: the ones the bench's generator fills.
LOADED_TABLES = tuple(table for table, _ in tables(Rows(*([] for _ in fields(Rows)))))


async def row_counts(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Rows per table the loader writes, to show that something changed nothing."""
    async with sessions() as session:
        counts = {}
        for table in LOADED_TABLES:
            counts[table.name] = await session.scalar(select(func.count()).select_from(table)) or 0
        return counts


async def insert_generated(sessions: async_sessionmaker[AsyncSession], rows: Rows) -> None:
    """The bench's generated rows in one transaction: a large sample without the loader's cost."""
    async with sessions() as session, session.begin():
        for table, data in tables(rows):
            await session.execute(table.insert(), data)
