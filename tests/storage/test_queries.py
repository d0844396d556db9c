"""Reading tracked commitments: by id, unknown ids, and a fixed number of queries however many rows there are."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.loader import load_article
from storage.queries import UnknownCommitment, tracked
from tests.tracking.factories import D, article, commitment, report

Sessions = async_sessionmaker[AsyncSession]


async def _load_halts(sessions: Sessions, count: int, offset: int = 0) -> None:
    """``count`` unrelated halts (a year apart), each with a violation report and its conflict."""
    for n in range(offset, offset + count):
        start = D(2000 + n, 3, 18)
        await load_article(
            sessions,
            article(
                f"Halt number {n}",
                commitments=(commitment(start=start, end=start + dt.timedelta(days=30)),),
                reports=(report(date=start + dt.timedelta(days=1)),),
                published=start,
            ),
        )


async def test_tracked_by_id_in_id_order(sessions: Sessions) -> None:
    await _load_halts(sessions, 3)
    every = await tracked(sessions)
    assert [t.id for t in every] == sorted(t.id for t in every)
    assert len(every) == 3
    picked = await tracked(sessions, [every[2].id, every[0].id, every[0].id])
    assert picked == [every[0], every[2]]
    assert await tracked(sessions, []) == []


async def test_unknown_ids_raise(sessions: Sessions) -> None:
    await _load_halts(sessions, 1)
    [known] = await tracked(sessions)
    with pytest.raises(UnknownCommitment, match="unknown commitment ids: 998, 999") as raised:
        await tracked(sessions, [known.id, 999, 998])
    assert raised.value.ids == (998, 999)
    assert isinstance(raised.value, LookupError)


async def test_reading_takes_the_same_number_of_queries_for_more_rows(sessions: Sessions, engine: AsyncEngine) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    await _load_halts(sessions, 2)
    event.listen(engine.sync_engine, "before_cursor_execute", count)
    few = await tracked(sessions)
    few_queries = len(statements)
    event.remove(engine.sync_engine, "before_cursor_execute", count)

    await _load_halts(sessions, 10, offset=2)
    statements.clear()
    event.listen(engine.sync_engine, "before_cursor_execute", count)
    many = await tracked(sessions)
    event.remove(engine.sync_engine, "before_cursor_execute", count)

    assert len(few) == 2
    assert len(many) == 12
    assert all(len(t.reports) == 1 and len(t.conflicts) == 1 for t in many)
    assert len(statements) == few_queries
    assert few_queries <= 10  # BEGIN, commitments, then one batch per relationship
