"""The alert outbox: one row per alert (unique key), one row per (alert, chat) delivery with its own state.

Deliveries move pending → sending (claimed with a compare-and-set update) → sent (confirmed with Telegram's message
id) or failed; a claim whose lease ran out (the process died mid-send) goes back to pending. The database is the
only copy of what is owed to whom, so restarts neither lose nor repeat confirmed alerts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple, cast, get_args

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Text,
    Update,
    and_,
    bindparam,
    column,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from storage.db import as_utc, rowcount, writing
from storage.models import AlertRow, ChatRow, DeliveryRow, UtcDateTime, utc_now

AlertKind = Literal["milestone", "conflict", "correction", "review"]
ALERT_KINDS: tuple[AlertKind, ...] = get_args(AlertKind)
DeliveryState = Literal["pending", "sending", "sent", "failed", "cancelled"]


@dataclass(frozen=True, slots=True)
class AlertView:
    """What an alert is about. Milestone alerts: key "milestone:<commitment id>:<slug>"; conflict alerts:
    key "conflict:<conflict id>"; an editor's correction "correction:<edit id>"; a review card for admins
    "review:commitment:<id>" or "review:report:<id>". ``payload`` holds what the text needs that is not in the
    tables (the milestone's days_before / extended / promised / delivered, what was corrected, what to review)."""

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


class Confirmation(NamedTuple):
    """One message Telegram took: the deliveries it carries, its message id, and the chat it really went to."""

    delivery_ids: Sequence[int]
    message_id: int
    chat_id: int


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
# async def confirm_many(sessions, confirmations: Sequence[Confirmation], *, worker: str) -> int
#     confirm_sent for several messages in one write transaction (the dispatcher buffers confirmations).
# async def retry_later(sessions, delivery_ids, *, worker: str, at: datetime, error: str) -> None
#     sending → pending, attempts + 1, next_attempt_at = at (real time); keeps the error for /health.
# async def mark_failed(sessions, delivery_ids, *, worker: str, error: str) -> None      # sending → failed
# async def release(sessions, delivery_ids, *, worker: str) -> None                      # sending → pending, untouched
# async def move_chat(session: AsyncSession, old_id: int, new_id: int) -> None
#     A MoveHook for storage.chats.migrate_chat: the chat's deliveries follow it (pending ones are resent there).
# async def reclaim_dead(sessions, *, host: str, alive: Callable[[int], bool]) -> int
#     At start-up: claims of workers on this host whose pid is gone go back to pending at once (not after the lease).
# async def next_due(sessions) -> datetime | None            # earliest due_at among pending deliveries (bot clock)
# async def health(sessions) -> Health


# --- implementation --------------------------------------------------------------------------------------------


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"{name} needs a timezone")
    return value


def alert_view(row: AlertRow) -> AlertView:
    kind: AlertKind = next((k for k in ALERT_KINDS if k == row.kind), "milestone")
    return AlertView(
        id=row.id,
        key=row.key,
        kind=kind,
        commitment_id=row.commitment_id,
        slug=row.slug,
        conflict_id=row.conflict_id,
        payload=dict(row.payload or {}),
    )


# What claim_due reads back, as plain columns: ORM objects for a 500-row claim cost more than its statements.
_CLAIMED_COLUMNS = (
    DeliveryRow.id,
    DeliveryRow.alert_id,
    DeliveryRow.chat_id,
    DeliveryRow.due_at,
    DeliveryRow.attempts,
    DeliveryRow.state,
)


async def _delivery_views(session: AsyncSession, claimed: set[int]) -> list[DeliveryView]:
    """The claimed rows as views, oldest due first. Alerts are read once each and shared by their deliveries: a
    fan-out is one alert for hundreds of rows, and its payload need not be decoded hundreds of times."""
    rows = (
        await session.execute(
            select(*_CLAIMED_COLUMNS).where(DeliveryRow.id.in_(claimed)).order_by(DeliveryRow.due_at, DeliveryRow.id)
        )
    ).all()
    wanted = sorted({alert_id for _, alert_id, *_ in rows})
    alerts = {row.id: alert_view(row) for row in await session.scalars(select(AlertRow).where(AlertRow.id.in_(wanted)))}
    return [
        DeliveryView(delivery_id, alerts[alert_id], chat_id, due_at, attempts, cast(DeliveryState, state))
        for delivery_id, alert_id, chat_id, due_at, attempts, state in rows
    ]


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
    async with writing(sessions) as session:
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
        return await _delivery_views(session, claimed)


def _held(delivery_ids: Sequence[int], worker: str) -> ColumnElement[bool]:
    """Still claimed by ``worker``: a worker whose lease ran out and whose rows were taken over changes nothing."""
    return and_(DeliveryRow.id.in_(list(delivery_ids)), DeliveryRow.state == "sending", DeliveryRow.worker == worker)


async def _finish(
    sessions: async_sessionmaker[AsyncSession], delivery_ids: Sequence[int], worker: str, values: dict[str, Any]
) -> int:
    if not delivery_ids:
        return 0
    async with writing(sessions) as session:
        result = await session.execute(
            update(DeliveryRow)
            .where(_held(delivery_ids, worker))
            .values(lease_until=None, updated_at=utc_now(), **values)
            .execution_options(synchronize_session=False)
        )
        return await rowcount(session, result)


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
    return await confirm_many(sessions, [Confirmation(delivery_ids, message_id, chat_id)], worker=worker)


def _confirm_statement(dialect: str) -> Update:
    """sending → sent for the rows of one JSON parameter ([{"id", "message_id", "chat_id"}, ...]) joined as a
    table: one statement whatever the number of messages, compiled once per dialect, and a single step for SQLite
    (an executemany steps once per row, and in aiosqlite's thread each step waits for the GIL a busy loop holds)."""
    if dialect == "postgresql":
        rows = (
            func.jsonb_to_recordset(sql_cast(bindparam("b_rows", type_=Text), JSONB))
            .table_valued(column("id", Integer), column("message_id", BigInteger), column("chat_id", BigInteger))
            .render_derived(name="confirmed", with_types=True)
        )
        keys: tuple[ColumnElement[Any], ...] = (rows.c.id, rows.c.message_id, rows.c.chat_id)
    else:
        value = func.json_each(bindparam("b_rows", type_=Text)).table_valued("value", name="confirmed").c.value
        keys = tuple(func.json_extract(value, f"$.{key}") for key in ("id", "message_id", "chat_id"))
    delivery, message, chat = keys
    at = bindparam("b_at", type_=UtcDateTime)
    return (
        update(DeliveryRow)
        .where(
            DeliveryRow.id == delivery,
            # Wrapped so SQLite drives the join from the JSON rows (primary key), not from every "sending" row.
            func.coalesce(DeliveryRow.state, "") == "sending",
            DeliveryRow.worker == bindparam("b_worker"),
        )
        .values(state="sent", sent_at=at, message_id=message, sent_to_chat=chat, lease_until=None, updated_at=at)
    )


_CONFIRM = {dialect: _confirm_statement(dialect) for dialect in ("sqlite", "postgresql")}


async def confirm_many(
    sessions: async_sessionmaker[AsyncSession], confirmations: Sequence[Confirmation], *, worker: str
) -> int:
    """confirm_sent for several messages in ONE write transaction and one statement: with SQLite's single writer, a
    transaction per message was what capped a fan-out. Each row gets its own message's id and chat; only rows
    ``worker`` still holds change. Returns how many deliveries were confirmed."""
    rows = [
        {"id": delivery_id, "message_id": c.message_id, "chat_id": c.chat_id}
        for c in confirmations
        for delivery_id in c.delivery_ids
    ]
    if not rows:
        return 0
    async with writing(sessions) as session:
        connection = await session.connection()
        result = await connection.execute(
            _CONFIRM[connection.dialect.name],
            {"b_rows": json.dumps(rows, separators=(",", ":")), "b_worker": worker, "b_at": utc_now()},
        )
        return await rowcount(session, result)


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
    return as_utc(found)


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


# --- claims of a dead process (start-up) -----------------------------------------------------------------------


def _local_pid(worker: str, host: str) -> int | None:
    """The pid in a worker name "host:pid:random" (bot.app.build_alerts) when it runs on ``host``, else None."""
    parts = worker.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
        return None
    return int(parts[1])


async def reclaim_dead(sessions: async_sessionmaker[AsyncSession], *, host: str, alive: Callable[[int], bool]) -> int:
    """sending → pending, at once, for claims of workers on ``host`` whose process is gone (``alive(pid)`` False):
    after a SIGKILL or a crash their rows would otherwise wait out the lease before anyone sends them. Only pids on
    this host can be checked, so other hosts' claims keep waiting for their lease; ``alive`` should answer True when
    unsure (a pid reused since only costs that wait). Returns how many deliveries were handed back.

    A message the dead worker had sent but not yet confirmed goes out again: the bounded duplicate of a crash."""
    async with writing(sessions) as session:
        workers = await session.scalars(
            select(DeliveryRow.worker).where(DeliveryRow.state == "sending", DeliveryRow.worker.is_not(None)).distinct()
        )
        dead = [
            worker
            for worker in workers
            if worker is not None and (pid := _local_pid(worker, host)) is not None and not alive(pid)
        ]
        if not dead:
            return 0
        result = await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.state == "sending", DeliveryRow.worker.in_(dead))
            .values(state="pending", worker=None, lease_until=None, updated_at=utc_now())
            .execution_options(synchronize_session=False)
        )
        return await rowcount(session, result)
