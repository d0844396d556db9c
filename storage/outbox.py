"""The alert outbox: one row per alert (unique key), one row per (alert, chat) delivery with its own state.

Deliveries move pending → sending (claimed with a compare-and-set update) → sent (confirmed with Telegram's message
id) or failed; a claim whose lease ran out (the process died mid-send) goes back to pending. The database is the
only copy of what is owed to whom, so restarts neither lose nor repeat confirmed alerts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, CursorResult, and_, delete, exists, false, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from storage.db import SQLITE_IMMEDIATE
from storage.models import AlertRow, ChatRow, DeliveryRow, utc_now

AlertKind = Literal["milestone", "conflict"]
DeliveryState = Literal["pending", "sending", "sent", "failed", "cancelled"]


@dataclass(frozen=True, slots=True)
class AlertView:
    """What an alert is about. Milestone alerts: key "milestone:<commitment id>:<slug>"; conflict alerts:
    key "conflict:<conflict id>". ``payload`` holds what the text needs that is not in the tables (the milestone's
    days_before / extended / promised / delivered)."""

    id: int
    key: str
    kind: AlertKind
    commitment_id: int
    slug: str | None
    conflict_id: int | None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """One alert owed to one chat; ``due_at`` is aware UTC on the bot's clock (chat zones shift date-only days)."""

    id: int
    alert: AlertView
    chat_id: int
    due_at: datetime
    attempts: int
    state: DeliveryState


@dataclass(frozen=True, slots=True)
class Health:
    pending: int
    sending: int
    sent: int
    failed: int
    disabled_chats: int
    last_error: str | None
    last_error_at: datetime | None


# --- API (implemented by the outbox engineer; the dispatcher and the bot code against exactly these) -------------
#
# async def claim_due(sessions, now: datetime, *, worker: str, lease: timedelta, limit: int = 500) -> list[DeliveryView]
#     Compare-and-set pending → sending for deliveries with due_at <= now (bot clock) and next_attempt_at <= real
#     now, whose chat is enabled and a member; also takes back "sending" rows whose lease expired (their worker
#     died). Rows another worker claimed first are not returned. Oldest due first.
# async def confirm_sent(sessions, delivery_ids: Sequence[int], *, worker: str, message_id: int, chat_id: int) -> int
#     sending → sent with Telegram's message id (and the chat id it really went to), only while still claimed by
#     ``worker``; returns how many rows it confirmed.
# async def retry_later(sessions, delivery_ids, *, worker: str, at: datetime, error: str) -> None
#     sending → pending, attempts + 1, next_attempt_at = at (real time); keeps the error for /health.
# async def mark_failed(sessions, delivery_ids, *, worker: str, error: str) -> None      # sending → failed
# async def release(sessions, delivery_ids, *, worker: str) -> None                      # sending → pending, untouched
# async def move_chat(session: AsyncSession, old_id: int, new_id: int) -> None
#     A MoveHook for storage.chats.migrate_chat: the chat's deliveries follow it (pending ones are resent there).
# async def next_due(sessions) -> datetime | None            # earliest due_at among pending deliveries (bot clock)
# async def health(sessions) -> Health


# --- implementation --------------------------------------------------------------------------------------------


@asynccontextmanager
async def _writing(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A write transaction that takes SQLite's write lock at BEGIN, so a read-then-update never works on a
    snapshot another writer already changed (PostgreSQL re-checks the WHERE of a blocked UPDATE itself)."""
    async with sessions() as session, session.begin():
        await session.connection(execution_options={SQLITE_IMMEDIATE: True})
        yield session


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"{name} needs a timezone")
    return value


def alert_view(row: AlertRow) -> AlertView:
    kind: AlertKind = "conflict" if row.kind == "conflict" else "milestone"
    return AlertView(
        id=row.id,
        key=row.key,
        kind=kind,
        commitment_id=row.commitment_id,
        slug=row.slug,
        conflict_id=row.conflict_id,
        payload=dict(row.payload or {}),
    )


def _delivery_view(row: DeliveryRow, alert: AlertRow) -> DeliveryView:
    state = cast(DeliveryState, row.state)
    return DeliveryView(
        id=row.id, alert=alert_view(alert), chat_id=row.chat_id, due_at=row.due_at, attempts=row.attempts, state=state
    )


def _claimable(now: datetime, real_now: datetime) -> ColumnElement[bool]:
    """Due on the bot's clock, and either pending and past its retry time, or claimed by a worker whose lease ran
    out in real time (it died mid-send)."""
    return and_(
        DeliveryRow.due_at <= now,
        or_(
            and_(
                DeliveryRow.state == "pending",
                or_(DeliveryRow.next_attempt_at.is_(None), DeliveryRow.next_attempt_at <= real_now),
            ),
            and_(DeliveryRow.state == "sending", DeliveryRow.lease_until < real_now),
        ),
    )


async def claim_due(
    sessions: async_sessionmaker[AsyncSession], now: datetime, *, worker: str, lease: timedelta, limit: int = 500
) -> list[DeliveryView]:
    """Claim up to ``limit`` due deliveries for ``worker`` (see the API above), oldest due first.

    Compare-and-set: the candidates are read, then one UPDATE flips only those still claimable and RETURNING
    names exactly the rows this statement changed, so two workers racing for the same rows split them and never
    share one (PostgreSQL re-evaluates the WHERE after waiting on a row lock; SQLite runs writers one at a time).
    """
    _aware(now, "now")
    real_now = utc_now()
    async with _writing(sessions) as session:
        candidates = list(
            await session.scalars(
                select(DeliveryRow.id)
                .join(ChatRow, ChatRow.id == DeliveryRow.chat_id)
                .where(_claimable(now, real_now), ChatRow.enabled == true(), ChatRow.member == true())
                .order_by(DeliveryRow.due_at, DeliveryRow.id)
                .limit(limit)
            )
        )
        if not candidates:
            return []
        claimed = set(
            await session.scalars(
                update(DeliveryRow)
                .where(DeliveryRow.id.in_(candidates), _claimable(now, real_now))
                .values(
                    state="sending",
                    worker=worker,
                    claimed_at=real_now,
                    lease_until=real_now + lease,
                    updated_at=real_now,
                )
                .returning(DeliveryRow.id)
                .execution_options(synchronize_session=False)
            )
        )
        if not claimed:
            return []
        rows = await session.execute(
            select(DeliveryRow, AlertRow)
            .join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
            .where(DeliveryRow.id.in_(claimed))
            .order_by(DeliveryRow.due_at, DeliveryRow.id)
            .execution_options(populate_existing=True)
        )
        return [_delivery_view(delivery, alert) for delivery, alert in rows]


def _held(delivery_ids: Sequence[int], worker: str) -> ColumnElement[bool]:
    """Still claimed by ``worker``: a worker whose lease ran out and whose rows were taken over changes nothing."""
    return and_(DeliveryRow.id.in_(list(delivery_ids)), DeliveryRow.state == "sending", DeliveryRow.worker == worker)


async def _finish(
    sessions: async_sessionmaker[AsyncSession], delivery_ids: Sequence[int], worker: str, values: dict[str, Any]
) -> int:
    if not delivery_ids:
        return 0
    async with _writing(sessions) as session:
        result = await session.execute(
            update(DeliveryRow)
            .where(_held(delivery_ids, worker))
            .values(lease_until=None, updated_at=utc_now(), **values)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result)


async def confirm_sent(
    sessions: async_sessionmaker[AsyncSession],
    delivery_ids: Sequence[int],
    *,
    worker: str,
    message_id: int,
    chat_id: int,
) -> int:
    """sending → sent with Telegram's message id and the chat it really went to (several deliveries may share one
    message); only rows ``worker`` still holds. Returns how many were confirmed. A lease that ran out but was not
    taken over still confirms: the message did go out, and confirming is what prevents a second one."""
    return await _finish(
        sessions,
        delivery_ids,
        worker,
        {"state": "sent", "sent_at": utc_now(), "message_id": message_id, "sent_to_chat": chat_id},
    )


async def retry_later(
    sessions: async_sessionmaker[AsyncSession], delivery_ids: Sequence[int], *, worker: str, at: datetime, error: str
) -> None:
    """sending → pending, one more attempt counted, not claimable before ``at`` (real time); the error is kept."""
    _aware(at, "at")
    now = utc_now()
    await _finish(
        sessions,
        delivery_ids,
        worker,
        {
            "state": "pending",
            "worker": None,
            "attempts": DeliveryRow.attempts + 1,
            "next_attempt_at": at,
            "last_error": error,
            "last_error_at": now,
        },
    )


async def mark_failed(
    sessions: async_sessionmaker[AsyncSession], delivery_ids: Sequence[int], *, worker: str, error: str
) -> None:
    """sending → failed (retries used up, or a fault that no retry fixes); stays visible in /health."""
    await _finish(
        sessions,
        delivery_ids,
        worker,
        {"state": "failed", "attempts": DeliveryRow.attempts + 1, "last_error": error, "last_error_at": utc_now()},
    )


async def release(sessions: async_sessionmaker[AsyncSession], delivery_ids: Sequence[int], *, worker: str) -> None:
    """sending → pending with nothing counted (shutdown, or a send that never started): claimable again at once."""
    await _finish(sessions, delivery_ids, worker, {"state": "pending", "worker": None})


async def move_chat(session: AsyncSession, old_id: int, new_id: int) -> None:
    """A MoveHook for storage.chats.migrate_chat: the old chat's deliveries now belong to the new id, whatever
    their state (pending ones go out there; sent ones keep proving they went out; a claimed one can still be
    confirmed by its worker). Where both chats hold a delivery of the same alert, the one further along wins: a
    pending or cancelled copy on the new chat gives way to the old chat's, so nothing is sent twice; otherwise the
    new chat's copy stays and the old one goes with the old chat (ON DELETE CASCADE)."""
    old = aliased(DeliveryRow)
    await session.execute(
        delete(DeliveryRow)
        .where(
            DeliveryRow.chat_id == new_id,
            DeliveryRow.state.in_(["pending", "cancelled"]),
            exists().where(old.chat_id == old_id, old.alert_id == DeliveryRow.alert_id),
        )
        .execution_options(synchronize_session=False)
    )
    taken = select(DeliveryRow.alert_id).where(DeliveryRow.chat_id == new_id).scalar_subquery()
    await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.chat_id == old_id, DeliveryRow.alert_id.not_in(taken))
        .values(chat_id=new_id, updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )


async def next_due(sessions: async_sessionmaker[AsyncSession]) -> datetime | None:
    """The earliest ``due_at`` (bot clock) among pending deliveries of chats that can receive (paused chats would
    otherwise keep the dispatcher awake for nothing). It may lie in the past for a row waiting for its retry time
    (real time, not comparable here): callers should wait at least their polling interval."""
    async with sessions() as session:
        found = await session.scalar(
            select(func.min(DeliveryRow.due_at))
            .join(ChatRow, ChatRow.id == DeliveryRow.chat_id)
            .where(DeliveryRow.state == "pending", ChatRow.enabled == true(), ChatRow.member == true())
        )
    if found is None:
        return None
    # func.min loses the column type (SQLite hands back text): read it back the way UtcDateTime does.
    return _as_utc(found)


def _as_utc(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def health(sessions: async_sessionmaker[AsyncSession]) -> Health:
    """For admins' /health: deliveries per state, paused chats, and the most recent delivery error."""
    async with sessions() as session:
        counts = dict(
            (await session.execute(select(DeliveryRow.state, func.count()).group_by(DeliveryRow.state))).all()
        )
        disabled = await session.scalar(select(func.count()).select_from(ChatRow).where(ChatRow.enabled == false()))
        last = (
            await session.execute(
                select(DeliveryRow.last_error, DeliveryRow.last_error_at)
                .where(DeliveryRow.last_error.is_not(None))
                .order_by(DeliveryRow.last_error_at.desc(), DeliveryRow.id.desc())
                .limit(1)
            )
        ).first()
    return Health(
        pending=counts.get("pending", 0),
        sending=counts.get("sending", 0),
        sent=counts.get("sent", 0),
        failed=counts.get("failed", 0),
        disabled_chats=disabled or 0,
        last_error=None if last is None else last[0],
        last_error_at=None if last is None else last[1],
    )
