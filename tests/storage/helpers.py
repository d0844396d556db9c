"""Small database helpers shared by the storage tests."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import (
    ArticleRow,
    Base,
    CommitmentRow,
    CommitmentSourceRow,
    ConflictArticleRow,
    ConflictReportRow,
    ConflictRow,
    ReportRow,
)

ROW_TYPES: tuple[type[Base], ...] = (
    ArticleRow,
    CommitmentRow,
    CommitmentSourceRow,
    ReportRow,
    ConflictRow,
    ConflictReportRow,
    ConflictArticleRow,
)


async def row_counts(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Rows per table, to show that something changed nothing."""
    async with sessions() as session:
        counts = {}
        for row_type in ROW_TYPES:
            counts[row_type.__tablename__] = await session.scalar(select(func.count()).select_from(row_type)) or 0
        return counts
