"""Chats and their subscriptions: who hears about which commitment, in which language, zone and quiet hours.

Every function is one transaction and hands back plain values, so the bot and the scheduler never hold rows.
Writers take SQLite's write lock at BEGIN (``SQLITE_IMMEDIATE``): the bot, the scheduler and a ``load`` in another
process may write at once, and a deferred transaction that read first would fail instead of waiting its turn.
Inserts that may race (a chat's first two messages, a double tap on "Subscribe") use ON CONFLICT, so they are
idempotent on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from datetime import datetime, time
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, CursorResult, and_, delete, exists, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import insert_for, writing
from storage.models import ChatRow, CommitmentRow, MuteRow, SubscriptionRow, utc_now
from storage.queries import UnknownCommitment


@dataclass(frozen=True, slots=True)
class ChatView:
    """A chat as the bot knows it. ``enabled`` is False after Telegram said the bot may not write there
    (blocked, kicked); ``member`` tracks whether the bot is in the chat at all."""

    id: int
    type: str  # private | group | supergroup | channel
    title: str | None
    language: str  # en | de
    timezone: str  # IANA name
    quiet_start: time | None
    quiet_end: time | None
    enabled: bool
    member: bool
    subscribed_all: bool


class UnknownChat(LookupError):
    """A change was asked for a chat that was never stored (the bot calls ensure_chat on first contact)."""

    def __init__(self, chat_id: int) -> None:
        self.chat_id = chat_id
        super().__init__(f"unknown chat id: {chat_id}")


class _Unset(enum.Enum):
    UNSET = enum.auto()


# "Not given" for update_settings, so ``quiet=None`` can mean "quiet hours off".
UNSET: Final = _Unset.UNSET

# Runs inside migrate_chat's transaction, before the old chat row (and whatever cascades from it) is deleted, so
# tables that reference chats (the outbox's deliveries) can move their rows in the same transaction.
MoveHook = Callable[[AsyncSession, int, int], Awaitable[None]]


# A ChatView's fields are ChatRow's columns of the same names: these columns, so a reader that selects just them
# (schedules.dispatch, for a batch of chats) makes the same view as from a whole row.
CHAT_COLUMNS = tuple(getattr(ChatRow, f.name) for f in fields(ChatView))


def chat_view(row: ChatRow) -> ChatView:
    return ChatView(**{column.key: getattr(row, column.key) for column in CHAT_COLUMNS})


def _changed(result: Any) -> bool:
    assert isinstance(result, CursorResult)
    return bool(result.rowcount)


async def _row(session: AsyncSession, chat_id: int, *, lock: bool = False) -> ChatRow:
    statement = select(ChatRow).where(ChatRow.id == chat_id).execution_options(populate_existing=True)
    row = await session.scalar(statement.with_for_update() if lock else statement)
    if row is None:
        raise UnknownChat(chat_id)
    return row


async def _require_commitment(session: AsyncSession, commitment_id: int) -> None:
    if not await session.scalar(select(exists().where(CommitmentRow.id == commitment_id))):
        raise UnknownCommitment([commitment_id])


def _check_timezone(name: str) -> None:
    """A zone name that ZoneInfo cannot load would break every plan of the chat later; refuse it now."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown timezone: {name!r}") from error


def _check_quiet(quiet: tuple[time, time] | None) -> None:
    if quiet is None:
        return
    start, end = quiet
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError("quiet hours are wall-clock times in the chat's zone, without tzinfo")
    if start == end:
        raise ValueError("quiet hours need different start and end times")


async def ensure_chat(
    sessions: async_sessionmaker[AsyncSession],
    chat_id: int,
    *,
    type: str,
    title: str | None,
    language: str,
    timezone: str,
) -> ChatView:
    """The chat, created on first contact with ``language``/``timezone`` as its starting settings; a known chat
    only gets its Telegram facts (type, title) refreshed, never the settings its users chose."""
    _check_timezone(timezone)
    async with writing(sessions) as session:
        now = utc_now()
        statement = (
            insert_for(session, ChatRow)
            .values(
                id=chat_id,
                type=type,
                title=title,
                language=language,
                timezone=timezone,
                quiet_start=None,
                quiet_end=None,
                enabled=True,
                disabled_reason=None,
                member=True,
                subscribed_all=False,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_update(
                index_elements=[ChatRow.id],
                set_={"type": type, "title": title, "updated_at": now},
                # Only a real change writes (and moves updated_at, which schedules.reconcile watches).
                where=or_(ChatRow.type != type, ChatRow.title.is_distinct_from(title)),
            )
        )
        await session.execute(statement)
        return chat_view(await _row(session, chat_id))


async def get_chat(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> ChatView | None:
    async with sessions() as session:
        row = await session.get(ChatRow, chat_id)
        return None if row is None else chat_view(row)


async def update_settings(
    sessions: async_sessionmaker[AsyncSession],
    chat_id: int,
    *,
    language: str | _Unset = UNSET,
    timezone: str | _Unset = UNSET,
    quiet: tuple[time, time] | _Unset | None = UNSET,
) -> ChatView:
    """Change the given settings only; ``quiet=None`` turns quiet hours off. Raises UnknownChat, and ValueError
    for a zone ZoneInfo cannot load or quiet hours that start when they end."""
    if not isinstance(timezone, _Unset):
        _check_timezone(timezone)
    if not isinstance(quiet, _Unset):
        _check_quiet(quiet)
    async with writing(sessions) as session:
        row = await _row(session, chat_id, lock=True)
        if not isinstance(language, _Unset):
            row.language = language
        if not isinstance(timezone, _Unset):
            row.timezone = timezone
        if not isinstance(quiet, _Unset):
            row.quiet_start, row.quiet_end = (None, None) if quiet is None else quiet
        await session.flush()
        return chat_view(row)


async def set_enabled(
    sessions: async_sessionmaker[AsyncSession], chat_id: int, enabled: bool, reason: str | None = None
) -> ChatView:
    """Pause (Telegram refused: blocked, kicked, chat not found — ``reason`` says which) or resume a chat.
    Subscriptions are kept either way, so /start after a block brings everything back."""
    async with writing(sessions) as session:
        row = await _row(session, chat_id, lock=True)
        row.enabled = enabled
        row.disabled_reason = None if enabled else reason
        await session.flush()
        return chat_view(row)


async def set_member(sessions: async_sessionmaker[AsyncSession], chat_id: int, member: bool) -> ChatView:
    """Record that the bot was added to or removed from the chat (my_chat_member updates)."""
    async with writing(sessions) as session:
        row = await _row(session, chat_id, lock=True)
        row.member = member
        await session.flush()
        return chat_view(row)


async def subscribe(
    sessions: async_sessionmaker[AsyncSession], chat_id: int, commitment_id: int | None, *, at: datetime
) -> bool:
    """Follow one commitment, or with ``None`` everything (also what is loaded later). True when something
    changed; a second tap is a no-op. Raises UnknownChat, and UnknownCommitment for an id that is not stored.

    ``at`` is the moment on the bot's clock (a replay clock's own time, not the wall clock's): milestones from then
    on are owed to the chat, earlier ones are not (schedules.reconcile)."""
    since = at
    if since.tzinfo is None:
        raise ValueError("the subscription moment needs a timezone")
    async with writing(sessions) as session:
        row = await _row(session, chat_id, lock=True)
        if commitment_id is None:
            if row.subscribed_all:
                return False
            row.subscribed_all = True
            row.subscribed_since = since
            await session.execute(delete(MuteRow).where(MuteRow.chat_id == chat_id))  # everything, afresh
            return True
        await _require_commitment(session, commitment_id)
        unmuted = await session.execute(
            delete(MuteRow).where(MuteRow.chat_id == chat_id, MuteRow.commitment_id == commitment_id)
        )
        if row.subscribed_all:
            return _changed(unmuted)  # following everything already: asking for one again lifts its mute
        statement = (
            insert_for(session, SubscriptionRow)
            .values(chat_id=chat_id, commitment_id=commitment_id, created_at=since)
            .on_conflict_do_nothing(index_elements=[SubscriptionRow.chat_id, SubscriptionRow.commitment_id])
        )
        return _changed(await session.execute(statement)) or _changed(unmuted)


async def unsubscribe(sessions: async_sessionmaker[AsyncSession], chat_id: int, commitment_id: int | None) -> bool:
    """Stop following one commitment, or with ``None`` everything (clears "all", every single one and every mute).
    True when something changed. A chat that follows everything mutes the one commitment: it hears about all but
    that one. Raises UnknownChat, and UnknownCommitment for an id that is not stored."""
    async with writing(sessions) as session:
        row = await _row(session, chat_id, lock=True)
        if commitment_id is None:
            was_all = row.subscribed_all
            row.subscribed_all = False
            row.subscribed_since = None
            removed = await session.execute(delete(SubscriptionRow).where(SubscriptionRow.chat_id == chat_id))
            await session.execute(delete(MuteRow).where(MuteRow.chat_id == chat_id))
            return was_all or _changed(removed)
        await _require_commitment(session, commitment_id)
        removed = await session.execute(
            delete(SubscriptionRow).where(
                SubscriptionRow.chat_id == chat_id, SubscriptionRow.commitment_id == commitment_id
            )
        )
        if not row.subscribed_all:
            return _changed(removed)
        muted = await session.execute(
            insert_for(session, MuteRow)
            .values(chat_id=chat_id, commitment_id=commitment_id, created_at=utc_now())
            .on_conflict_do_nothing(index_elements=[MuteRow.chat_id, MuteRow.commitment_id])
        )
        return _changed(muted) or _changed(removed)


async def muted_of(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> list[int]:
    """The commitments a chat that follows everything has muted, in ascending order."""
    async with sessions() as session:
        ids = await session.scalars(
            select(MuteRow.commitment_id).where(MuteRow.chat_id == chat_id).order_by(MuteRow.commitment_id)
        )
        return list(ids)


def hears_everything(chat: type[ChatRow], commitment_id: Any) -> ColumnElement[bool]:
    """The chat follows everything and has not muted the commitment (SQL, for fan-outs and reconcile)."""
    return and_(
        chat.subscribed_all == true(),
        ~exists().where(MuteRow.chat_id == chat.id, MuteRow.commitment_id == commitment_id),
    )


async def subscriptions_of(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> tuple[bool, list[int]]:
    """(subscribed to everything, the single commitment ids in ascending order); an unknown chat follows nothing."""
    async with sessions() as session:
        everything = await session.scalar(select(ChatRow.subscribed_all).where(ChatRow.id == chat_id))
        ids = await session.scalars(
            select(SubscriptionRow.commitment_id)
            .where(SubscriptionRow.chat_id == chat_id)
            .order_by(SubscriptionRow.commitment_id)
        )
        return bool(everything), list(ids)


async def is_subscribed(sessions: async_sessionmaker[AsyncSession], chat_id: int, commitment_id: int) -> bool:
    """Whether the chat hears about the commitment, through "all" or its own row (paused chats included)."""
    async with sessions() as session:
        found = await session.scalar(
            select(
                exists().where(
                    ChatRow.id == chat_id,
                    or_(
                        hears_everything(ChatRow, commitment_id),
                        exists().where(
                            SubscriptionRow.chat_id == chat_id, SubscriptionRow.commitment_id == commitment_id
                        ),
                    ),
                    exists().where(CommitmentRow.id == commitment_id),
                )
            )
        )
        return bool(found)


async def subscribers(
    sessions: async_sessionmaker[AsyncSession], commitment_id: int, *, enabled_only: bool = True
) -> list[ChatView]:
    """The chats that hear about a commitment (through "all" or their own row), in chat id order — the alert
    fan-out. ``enabled_only`` keeps the chats that can receive now: enabled and with the bot still a member.
    An unknown commitment has no subscribers (not even the "all" chats)."""
    own = select(SubscriptionRow.chat_id).where(SubscriptionRow.commitment_id == commitment_id)
    statement = select(ChatRow).where(
        or_(hears_everything(ChatRow, commitment_id), ChatRow.id.in_(own)),
        exists().where(CommitmentRow.id == commitment_id),
    )
    if enabled_only:
        statement = statement.where(ChatRow.enabled == true(), ChatRow.member == true())
    async with sessions() as session:
        rows = await session.scalars(statement.order_by(ChatRow.id))
        return [chat_view(row) for row in rows]


async def migrate_chat(
    sessions: async_sessionmaker[AsyncSession], old_id: int, new_id: int, *, on_move: MoveHook | None = None
) -> ChatView | None:
    """A group became a supergroup (``migrate_to_chat_id``): its settings and subscriptions move to the new id
    in one transaction and the old chat is deleted.

    When the new id is already stored (its first update was seen before the migration notice) the two merge:
    language, zone and quiet hours come from the old chat, because those were chosen by its users while the new
    one only has first-contact defaults; type, title, enabled and member are the new chat's, as Telegram reports
    it now; subscriptions are the union. Moving again is a no-op that returns the new chat; None when neither
    id is stored. ``on_move(session, old_id, new_id)`` runs in the same transaction before the old row goes.
    """
    if old_id == new_id:
        return await get_chat(sessions, new_id)
    async with writing(sessions) as session:
        found = await session.scalars(
            select(ChatRow)
            .where(ChatRow.id.in_([old_id, new_id]))
            .order_by(ChatRow.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        rows = {row.id: row for row in found}
        old, new = rows.get(old_id), rows.get(new_id)
        if old is None:
            return None if new is None else chat_view(new)
        if new is None:
            new = ChatRow(
                id=new_id,
                type="supergroup",
                title=old.title,
                enabled=old.enabled,
                disabled_reason=old.disabled_reason,
                member=old.member,
                created_at=old.created_at,
            )
            session.add(new)
        new.language, new.timezone = old.language, old.timezone
        new.quiet_start, new.quiet_end = old.quiet_start, old.quiet_end
        # Following everything since the earlier of the two moments: the old chat's users asked for it first.
        since = [r.subscribed_since for r in (old, new) if r.subscribed_all and r.subscribed_since is not None]
        new.subscribed_all = new.subscribed_all or old.subscribed_all
        new.subscribed_since = min(since) if since else None
        await session.flush()
        # Subscriptions and mutes move alike; those the new chat already has stay as they are.
        for table in (SubscriptionRow, MuteRow):
            already = select(table.commitment_id).where(table.chat_id == new_id)
            await session.execute(
                update(table)
                .where(table.chat_id == old_id, table.commitment_id.not_in(already))
                .values(chat_id=new_id)
                .execution_options(synchronize_session=False)
            )
        if on_move is not None:
            await on_move(session, old_id, new_id)
        await session.delete(old)  # what both chats had goes with it (ON DELETE CASCADE)
        await session.flush()
        return chat_view(new)
