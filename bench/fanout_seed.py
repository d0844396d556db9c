"""The fan-out bench's database: N chats following everything, one ceasefire in force, and a new conflict for each
outbox round; then what became of that conflict's deliveries."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from articles.model import iso
from bench.chats import chat_rows
from bench.targets import fresh_schema
from schedules.plan import PlanOffsets
from schedules.reconcile import reconcile
from storage import chats as chat_store
from storage.chats import ChatView
from storage.db import create_engine, session_factory
from storage.models import (
    AlertRow,
    ArticleRow,
    ChatRow,
    CommitmentRow,
    CommitmentSourceRow,
    ConflictArticleRow,
    ConflictRow,
    DeliveryRow,
)
from tracking.model import moment_utc

Sessions = async_sessionmaker[AsyncSession]

FIRST_CHAT = 700_000_001
UTC = ZoneInfo("UTC")


async def seed(sessions: Sessions, chats: int, now: dt.datetime) -> int:
    """``chats`` private chats (bench.chats) following everything since yesterday and the ceasefire of
    :func:`seed_ceasefire`; returns the commitment id."""
    return await seed_ceasefire(sessions, chat_rows(chats, now - dt.timedelta(days=1), first_id=FIRST_CHAT), now)


async def seed_ceasefire(sessions: Sessions, chats: Sequence[Mapping[str, Any]], now: dt.datetime) -> int:
    """The ``chats`` (rows for ``ChatRow``) and one ceasefire in force, loaded yesterday, from ten days before
    ``now`` to sixty after: its milestones all lie ahead, so only the conflicts fan out. Returns the commitment id."""
    since = now - dt.timedelta(days=1)
    start, end = (now - dt.timedelta(days=10)).date(), (now + dt.timedelta(days=60)).date()
    async with sessions() as session, session.begin():
        for index in range(0, len(chats), 1000):
            await session.execute(insert(ChatRow), chats[index : index + 1000])
        article = ArticleRow(
            content_hash="bench-fanout",
            path="bench/fanout.txt",
            language="en",
            title="Ceasefire holds in the north, both sides say",
            published=iso(start),
            published_utc=moment_utc(start),
            loaded_at=since,
        )
        commitment = CommitmentRow(
            kind="ceasefire",
            actors=["Israel", "Hezbollah"],
            scope="southern Lebanon",
            conditions=[],
            start=iso(start),
            end=iso(end),
            start_utc=moment_utc(start),
            end_utc=moment_utc(end),
            status="in_force",
        )
        session.add_all([article, commitment])
        await session.flush()
        session.add(
            CommitmentSourceRow(
                commitment_id=commitment.id,
                article_id=article.id,
                actors=commitment.actors,
                scope=commitment.scope,
                conditions=[],
                start=commitment.start,
                end=commitment.end,
                status="in_force",
                evidence="A 60-day ceasefire took effect on Wednesday.",
            )
        )
        return commitment.id


@asynccontextmanager
async def seeded(url: str, chats: int, now: dt.datetime) -> AsyncIterator[tuple[Sessions, int]]:
    """The database at ``url`` made afresh and seeded, the first reconcile done (watermark set, future milestones
    written), so the next one plans only the conflict a round adds; yields the sessions and the commitment id."""
    engine = create_engine(url)
    try:
        await fresh_schema(engine)
        sessions = session_factory(engine)
        commitment_id = await seed(sessions, chats, now)
        await reconcile(sessions, now=now, default_tz=UTC, offsets=PlanOffsets())
        yield sessions, commitment_id
    finally:
        await engine.dispose()


async def add_conflict(sessions: Sessions, commitment_id: int, n: int) -> int:
    """The same conflict text each time (so every round sends the same texts), a new id (so a new alert)."""
    async with sessions() as session, session.begin():
        article_id = await session.scalar(select(func.min(ArticleRow.id)))
        conflict = ConflictRow(
            commitment_id=commitment_id,
            kind="violation_in_force",
            key=f"bench:{n}",
            summary="Shelling reported near the border while the ceasefire is in force",
            created_at=dt.datetime.now(dt.UTC),
        )
        session.add(conflict)
        await session.flush()
        session.add(ConflictArticleRow(conflict_id=conflict.id, article_id=article_id, position=0))
        return conflict.id


async def sent_deliveries(sessions: Sessions, conflict_id: int) -> tuple[int, int]:
    """(deliveries of the conflict's alert, how many of them are 'sent')."""
    async with sessions() as session:
        rows = (
            await session.execute(
                select(DeliveryRow.state, func.count())
                .join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
                .where(AlertRow.conflict_id == conflict_id)
                .group_by(DeliveryRow.state)
            )
        ).all()
    counts = {state: int(count) for state, count in rows}
    return sum(counts.values()), counts.get("sent", 0)


async def chat_views(sessions: Sessions) -> list[ChatView]:
    async with sessions() as session:
        rows = await session.scalars(select(ChatRow).order_by(ChatRow.id))
        return [chat_store.chat_view(row) for row in rows]


async def last_conflict_alert(sessions: Sessions) -> AlertRow:
    """The alert of the conflict the last round added (its texts are what the bare loops send)."""
    async with sessions() as session:
        row = await session.scalar(select(AlertRow).where(AlertRow.kind == "conflict").order_by(AlertRow.id.desc()))
    assert row is not None
    return row
