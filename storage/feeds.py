"""Feeds and the items they brought: what to poll when, what was seen already, and each feed's health.

A feed row keeps its polling state (the next poll on the bot's clock, the validators for a conditional GET, the
failures in a row and whether the admins were told); an item row remembers one entry of one feed for good, whether
it was loaded, a duplicate, off-topic or (for a few more polls) failing, so an item is read once. Times here are on
the bot's clock (a replay runs fast), like the deliveries' due times.

Every function is one short transaction; the article an item brings is loaded by :mod:`storage.loader` in its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Subquery,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import SQLITE_IMMEDIATE
from storage.models import Base, UtcDateTime, utc_now

ItemState = Literal["loaded", "duplicate", "off_topic", "failed"]
# An item whose page failed is tried again on this many polls in all, then left alone.
ITEM_ATTEMPTS = 3
FAILURES_BEFORE_ALERT = 5


class FeedRow(Base):
    """A feed an admin added. ``url_key`` (a digest of the canonical URL) makes adding it twice one feed."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    url_key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    interval_seconds: Mapped[int] = mapped_column(Integer)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(64))
    next_poll_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    last_polled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_new_item_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error_kind: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The admins were told of the current run of failures; they hear once more when it ends.
    alerted: Mapped[bool] = mapped_column(Boolean, default=False)


class FeedItemRow(Base):
    """One entry of one feed, remembered so it is read once: by its key within the feed, and by its canonical
    URL (``url_key``) and content hash across feeds. ``article_id`` is the article it loaded or duplicated."""

    __tablename__ = "feed_items"
    __table_args__ = (
        UniqueConstraint("feed_id", "entry_key"),
        Index("ix_feed_items_url_key", "url_key"),
        Index("ix_feed_items_content_hash", "content_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    url_key: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str | None] = mapped_column(String(128))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True, slots=True)
class FeedView:
    """A feed as plain values, for the poller, /feeds and the command line."""

    id: int
    url: str
    title: str | None
    interval: dt.timedelta
    paused: bool
    next_poll_at: dt.datetime
    last_polled_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_new_item_at: dt.datetime | None
    failures: int
    last_error_kind: str | None
    last_error: str | None
    alerted: bool
    etag: str | None
    last_modified: str | None
    loaded: int = 0  # articles this feed brought in

    @property
    def name(self) -> str:
        return self.title or self.url


class FeedExists(Exception):
    """The feed is tracked already (under this view)."""

    def __init__(self, feed: FeedView) -> None:
        super().__init__(f"feed #{feed.id} already has {feed.url}")
        self.feed = feed


async def _write_lock(session: AsyncSession) -> None:
    """A transaction that reads and then writes takes SQLite's write lock at BEGIN (as storage.loader does), so
    two at once queue for the busy timeout instead of failing."""
    await session.connection(execution_options={SQLITE_IMMEDIATE: True})


def url_key(url: str) -> str:
    """The digest a canonical URL is looked up by (URLs can be longer than an index allows)."""
    return hashlib.sha256(url.encode()).hexdigest()


def _view(row: FeedRow, loaded: int = 0) -> FeedView:
    return FeedView(
        id=row.id,
        url=row.url,
        title=row.title,
        interval=dt.timedelta(seconds=row.interval_seconds),
        paused=row.paused,
        next_poll_at=row.next_poll_at,
        last_polled_at=row.last_polled_at,
        last_success_at=row.last_success_at,
        last_new_item_at=row.last_new_item_at,
        failures=row.failures,
        last_error_kind=row.last_error_kind,
        last_error=row.last_error,
        alerted=row.alerted,
        etag=row.etag,
        last_modified=row.last_modified,
        loaded=loaded,
    )


async def add_feed(
    sessions: async_sessionmaker[AsyncSession],
    url: str,
    *,
    title: str | None,
    interval: dt.timedelta,
    now: dt.datetime,
    added_by: int | None = None,
) -> FeedView:
    """Track ``url`` (canonical already), first polled at ``now``; raises FeedExists when it is tracked."""
    key = url_key(url)
    row = FeedRow(
        url=url,
        url_key=key,
        title=title,
        interval_seconds=int(interval.total_seconds()),
        paused=False,
        added_by=added_by,
        next_poll_at=now,
        failures=0,
        alerted=False,
    )
    try:
        async with sessions() as session, session.begin():
            await _write_lock(session)
            session.add(row)
    except IntegrityError:
        async with sessions() as session:
            existing = await session.scalar(select(FeedRow).where(FeedRow.url_key == key))
        if existing is None:
            raise
        raise FeedExists(_view(existing)) from None
    return _view(row)


def _loaded_counts() -> Subquery:
    return (
        select(FeedItemRow.feed_id, func.count().label("loaded"))
        .where(FeedItemRow.state == "loaded")
        .group_by(FeedItemRow.feed_id)
        .subquery()
    )


async def list_feeds(sessions: async_sessionmaker[AsyncSession], ids: Collection[int] | None = None) -> list[FeedView]:
    """Every feed (or those of ``ids``) in id order, with how many articles each brought in."""
    counts = _loaded_counts()
    statement = (
        select(FeedRow, func.coalesce(counts.c.loaded, 0))
        .outerjoin(counts, counts.c.feed_id == FeedRow.id)
        .order_by(FeedRow.id)
    )
    if ids is not None:
        statement = statement.where(FeedRow.id.in_(list(ids)))
    async with sessions() as session:
        return [_view(row, int(loaded)) for row, loaded in await session.execute(statement)]


async def get_feed(sessions: async_sessionmaker[AsyncSession], feed_id: int) -> FeedView | None:
    found = await list_feeds(sessions, [feed_id])
    return found[0] if found else None


async def remove_feed(sessions: async_sessionmaker[AsyncSession], feed_id: int) -> FeedView | None:
    """Stop tracking a feed; its items go with it, the articles they loaded stay. None when it is unknown."""
    async with sessions() as session, session.begin():
        await _write_lock(session)
        row = await session.get(FeedRow, feed_id)
        if row is None:
            return None
        view = _view(row)
        await session.delete(row)
    return view


async def set_paused(
    sessions: async_sessionmaker[AsyncSession], feed_id: int, paused: bool, *, now: dt.datetime
) -> FeedView | None:
    """Pause or resume a feed (a resumed one is polled at once, its failures forgotten); None when unknown."""
    async with sessions() as session, session.begin():
        await _write_lock(session)
        row = await session.get(FeedRow, feed_id)
        if row is None:
            return None
        row.paused = paused
        if not paused:
            row.next_poll_at = now
            row.failures = 0
        view = _view(row)
    return view


async def due_feeds(
    sessions: async_sessionmaker[AsyncSession], now: dt.datetime, *, exclude: Collection[int] = ()
) -> list[FeedView]:
    """Feeds not paused whose next poll is at or before ``now``, the most overdue first."""
    statement = select(FeedRow).where(FeedRow.paused.is_(False), FeedRow.next_poll_at <= now)
    if exclude:
        statement = statement.where(FeedRow.id.not_in(list(exclude)))
    async with sessions() as session:
        rows = (await session.scalars(statement.order_by(FeedRow.next_poll_at, FeedRow.id))).all()
        return [_view(row) for row in rows]


async def seen(
    sessions: async_sessionmaker[AsyncSession], feed_id: int, keys: Sequence[str], urls: Sequence[str]
) -> tuple[set[str], set[str]]:
    """Which of ``keys`` this feed has settled (an item that failed fewer than ITEM_ATTEMPTS times is not
    settled: it is tried again), and which canonical ``urls`` any feed has settled."""
    settled = (FeedItemRow.state != "failed") | (FeedItemRow.attempts >= ITEM_ATTEMPTS)
    wanted = {url_key(url): url for url in urls}
    async with sessions() as session:
        known_keys: set[str] = set()
        for chunk in _chunks(list(keys)):
            found = select(FeedItemRow.entry_key).where(
                FeedItemRow.feed_id == feed_id, FeedItemRow.entry_key.in_(chunk), settled
            )
            known_keys.update(await session.scalars(found))
        known_urls: set[str] = set()
        for chunk in _chunks(list(wanted)):
            by_url = select(FeedItemRow.url_key).where(FeedItemRow.url_key.in_(chunk), FeedItemRow.state != "failed")
            known_urls.update(wanted[key] for key in await session.scalars(by_url) if key is not None)
    return known_keys, known_urls


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


async def record_item(
    sessions: async_sessionmaker[AsyncSession],
    feed_id: int,
    *,
    key: str,
    url: str | None,
    title: str,
    state: ItemState,
    now: dt.datetime,
    content_hash: str | None = None,
    article_id: int | None = None,
    error: str | None = None,
) -> int:
    """Remember one entry; an entry seen before (a failed one tried again) is updated, its attempts counted.
    Returns how many times it has been tried."""
    async with sessions() as session, session.begin():
        await _write_lock(session)
        row = await session.scalar(
            select(FeedItemRow).where(FeedItemRow.feed_id == feed_id, FeedItemRow.entry_key == key)
        )
        if row is None:
            row = FeedItemRow(feed_id=feed_id, entry_key=key, attempts=0)
            session.add(row)
        row.url = url
        row.url_key = url_key(url) if url else None
        row.title = title
        row.state = state
        row.content_hash = content_hash
        row.article_id = article_id
        row.error = error
        row.attempts = (row.attempts or 0) + 1
        row.seen_at = now
        attempts = row.attempts
    return attempts


async def record_success(
    sessions: async_sessionmaker[AsyncSession],
    feed_id: int,
    *,
    now: dt.datetime,
    next_poll_at: dt.datetime,
    etag: str | None,
    last_modified: str | None,
    title: str | None = None,
    new_items: bool = False,
) -> tuple[FeedView, bool] | None:
    """A poll that worked (a 304 too): validators kept, failures cleared, next poll set. Returns the feed and
    whether it recovered from a run of failures the admins were told about; None when it was removed meanwhile."""
    async with sessions() as session, session.begin():
        await _write_lock(session)
        row = await session.get(FeedRow, feed_id)
        if row is None:
            return None
        recovered = row.alerted
        row.etag, row.last_modified = etag, (last_modified or None) and last_modified[:64]
        if title:
            row.title = title
        row.last_polled_at = row.last_success_at = now
        if new_items:
            row.last_new_item_at = now
        row.failures = 0
        row.alerted = False
        row.next_poll_at = next_poll_at
        view = _view(row)
    return view, recovered


async def record_failure(
    sessions: async_sessionmaker[AsyncSession],
    feed_id: int,
    *,
    now: dt.datetime,
    kind: str,
    detail: str,
    backoff: Callable[[FeedView], dt.timedelta],
) -> tuple[FeedView, bool] | None:
    """A poll that failed: one more failure in a row, the next poll put off by ``backoff(feed)`` (the feed with
    its new count). Returns the feed and whether the admins are to be told now (the run just reached
    FAILURES_BEFORE_ALERT); None when the feed was removed meanwhile."""
    async with sessions() as session, session.begin():
        await _write_lock(session)
        row = await session.get(FeedRow, feed_id)
        if row is None:
            return None
        row.failures = (row.failures or 0) + 1
        row.last_polled_at = row.last_error_at = now
        row.last_error_kind = kind[:32]
        row.last_error = detail[:1000]
        tell = row.failures >= FAILURES_BEFORE_ALERT and not row.alerted
        if tell:
            row.alerted = True
        row.next_poll_at = now + backoff(_view(row))
        view = _view(row)
    return view, tell


async def item_counts(sessions: async_sessionmaker[AsyncSession], feed_id: int) -> dict[str, int]:
    """How many of a feed's items are in each state."""
    async with sessions() as session:
        rows = await session.execute(
            select(FeedItemRow.state, func.count()).where(FeedItemRow.feed_id == feed_id).group_by(FeedItemRow.state)
        )
        return {str(state): int(count) for state, count in rows}
