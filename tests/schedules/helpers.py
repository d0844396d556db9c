"""What the reconcile tests set up and read back: a halt, chats following it, a reconcile run at a given moment,
and every delivery by chat and alert key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from schedules.plan import PlanOffsets
from schedules.reconcile import ReconcileResult, reconcile
from storage import chats
from storage.models import AlertRow, CommitmentRow, DeliveryRow

Owed = dict[tuple[int, str], tuple[str, dt.datetime]]
Sessions = async_sessionmaker[AsyncSession]
UTC_ZONE = ZoneInfo("UTC")
OFFSETS = PlanOffsets()
NOTHING = ReconcileResult()


async def read_owed(sessions: async_sessionmaker[AsyncSession]) -> Owed:
    """(chat, alert key) → (state, due_at), whatever the state."""
    async with sessions() as session:
        rows = await session.execute(
            select(DeliveryRow.chat_id, AlertRow.key, DeliveryRow.state, DeliveryRow.due_at).join(
                AlertRow, AlertRow.id == DeliveryRow.alert_id
            )
        )
        return {(chat, key): (state, due) for chat, key, state, due in rows}


def at(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value.astimezone(dt.UTC)


async def _halt(sessions: Sessions, start: str = "2025-03-18", end: str = "2025-04-17", days: int = 30) -> int:
    """A 30-day halt from 18 March 2025, dates only: start, halfway 2 Apr, 3 and 1 days before, end 17 Apr."""
    async with sessions() as session, session.begin():
        row = CommitmentRow(
            kind="strike_halt",
            actors=["Russia", "Ukraine"],
            scope="energy infrastructure",
            conditions=[],
            start=start,
            end=end,
            duration_days=days,
            status="agreed",
        )
        session.add(row)
        await session.flush()
        return row.id


async def _chat(sessions: Sessions, chat_id: int, timezone: str = "UTC") -> None:
    await chats.ensure_chat(sessions, chat_id, type="private", title=None, language="en", timezone=timezone)


async def _follows(sessions: Sessions, chat_id: int, commitment_id: int | None, since: str) -> None:
    """A chat in UTC that follows ``commitment_id`` (None: everything) from ``since`` on."""
    await _chat(sessions, chat_id)
    await chats.subscribe(sessions, chat_id, commitment_id, at=at(since))


async def _run(sessions: Sessions, now: str, **narrow: Any) -> ReconcileResult:
    return await reconcile(sessions, now=at(now), default_tz=UTC_ZONE, offsets=OFFSETS, **narrow)


def _milestones(cid: int, chat_id: int, everything: Owed) -> dict[str, Any]:
    """Slug → (state, due_at) of the milestones of ``cid`` owed to ``chat_id``."""
    prefix = f"milestone:{cid}:"
    return {
        key[len(prefix) :]: value
        for (chat, key), value in everything.items()
        if chat == chat_id and key.startswith(prefix)
    }


async def _states(sessions: Sessions, cid: int, chat_id: int) -> dict[str, str]:
    """Slug → state of the milestones of ``cid`` owed to ``chat_id``."""
    return {slug: state for slug, (state, _) in _milestones(cid, chat_id, await read_owed(sessions)).items()}


def _by_state(**slugs: list[str]) -> dict[str, str]:
    """Slug → state, from the slugs a test expects in each state: a plan's outcome told state by state."""
    return {slug: state for state, group in slugs.items() for slug in group}


async def _set_state(sessions: Sessions, chat_id: int, key: str, state: str) -> None:
    async with sessions() as session, session.begin():
        alert_id = await session.scalar(select(AlertRow.id).where(AlertRow.key == key))
        await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.alert_id == alert_id, DeliveryRow.chat_id == chat_id)
            .values(state=state)
        )


@contextmanager
def _one_query(engine: AsyncEngine) -> Iterator[None]:
    """Asserts that what runs inside reads with one SELECT and writes nothing: what an idle run may cost."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
