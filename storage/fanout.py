"""The outbox's writes for the alert planner (schedules.reconcile): alerts and their deliveries inserted set-based,
pending deliveries moved or cancelled, conflict alerts fanned out to the chats that follow them, review cards, and
the scheduler's own state rows. The planning decisions are schedules'; the SQL is here."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    column,
    exists,
    func,
    literal,
    or_,
    select,
    update,
    values,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.chats import hears_everything
from storage.db import insert_for, rowcount
from storage.models import (
    AlertRow,
    ArticleRow,
    ChatRow,
    CommitmentRow,
    ConflictArticleRow,
    ConflictRow,
    DeliveryRow,
    ReportRow,
    SchedulerStateRow,
    SubscriptionRow,
    UtcDateTime,
)
from tracking.model import CONFIRMED, UNCONFIRMED

CONFLICT_WATERMARK = "conflict_watermark"


FINGERPRINT = "reconcile_fingerprint"


# Plan rows per statement: 4 bound parameters each stays far below SQLite's and asyncpg's limits.
PLAN_CHUNK = 1000


ID_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    """What one run did: deliveries created (milestones and conflicts, incl. cancelled ones owed again), pending
    deliveries moved to a new date, pending deliveries cancelled, and new conflict alerts."""

    created: int = 0
    rescheduled: int = 0
    cancelled: int = 0
    conflict_alerts: int = 0

    def __add__(self, other: ReconcileResult) -> ReconcileResult:
        return ReconcileResult(
            self.created + other.created,
            self.rescheduled + other.rescheduled,
            self.cancelled + other.cancelled,
            self.conflict_alerts + other.conflict_alerts,
        )


@dataclass(frozen=True, slots=True)
class PlanRow:
    commitment_id: int
    slug: str
    zone: str
    due_at: datetime


def batches(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# The columns a new delivery is inserted with, in the order of :func:`pending`.
DELIVERY_COLUMNS = ["alert_id", "chat_id", "state", "due_at", "attempts", "updated_at"]


def pending(alert_id: Any, chat_id: Any, due_at: Any, real_now: datetime) -> tuple[Any, ...]:
    """The values of a new pending delivery, as columns of an INSERT ... SELECT (see :data:`DELIVERY_COLUMNS`)."""
    return (alert_id, chat_id, literal("pending"), due_at, literal(0), literal(real_now, UtcDateTime))


async def owe_once(session: AsyncSession, owed: Any) -> int:
    """Insert the deliveries ``owed`` selects (:func:`pending` rows); one that exists already stays as it is."""
    created = await session.execute(
        insert_for(session, DeliveryRow)
        .from_select(DELIVERY_COLUMNS, owed)
        .on_conflict_do_nothing(index_elements=["alert_id", "chat_id"])
    )
    return await rowcount(session, created)


async def put_state(session: AsyncSession, key: str, value: str) -> None:
    await session.execute(
        insert_for(session, SchedulerStateRow)
        .values(key=key, value=value)
        .on_conflict_do_update(index_elements=[SchedulerStateRow.key], set_={"value": value})
    )


def follows(chat: type[ChatRow], commitment_id: Any) -> ColumnElement[bool]:
    """The chat follows the commitment, through "everything" or its own subscription (paused chats included)."""
    return or_(
        hears_everything(chat, commitment_id),
        exists().where(SubscriptionRow.chat_id == chat.id, SubscriptionRow.commitment_id == commitment_id),
    )


async def conflict_alerts(
    session: AsyncSession, low: int, high: int, now: datetime, real_now: datetime
) -> ReconcileResult:
    """An alert for each conflict with an id in (``low``, ``high``] of a confirmed commitment, due ``now``, to every
    chat following the commitment (schedules.watermark says which ids are news)."""
    found = (
        await session.execute(
            select(ConflictRow, CommitmentRow)
            .join(CommitmentRow, CommitmentRow.id == ConflictRow.commitment_id)
            .where(ConflictRow.id > low, ConflictRow.id <= high, CommitmentRow.review == CONFIRMED)
            .order_by(ConflictRow.id)
        )
    ).all()
    sources: dict[int, list[str]] = defaultdict(list)
    for conflict_id, title in await session.execute(
        select(ConflictArticleRow.conflict_id, ArticleRow.title)
        .join(ArticleRow, ArticleRow.id == ConflictArticleRow.article_id)
        .where(ConflictArticleRow.conflict_id > low, ConflictArticleRow.conflict_id <= high)
        .order_by(ConflictArticleRow.conflict_id, ConflictArticleRow.position)
    ):
        sources[conflict_id].append(title)
    rows: list[dict[str, Any]] = [
        {
            "key": f"conflict:{conflict.id}",
            "kind": "conflict",
            "commitment_id": conflict.commitment_id,
            "slug": None,
            "conflict_id": conflict.id,
            # What conflicts with what, and the sources it rests on, as logged (bot.alerting renders it).
            "payload": {
                "conflict_kind": conflict.kind,
                "summary": conflict.summary,
                "sources": sources.get(conflict.id, []),
                "item": alert_item(c.kind, c.actors, c.scope, c.duration_days, c.quantity),
            },
            "created_at": real_now,
        }
        for conflict, c in found
    ]
    alerts = 0
    for chunk in batches(rows, ID_CHUNK // 8):
        statement = insert_for(session, AlertRow).values(list(chunk)).on_conflict_do_nothing(index_elements=["key"])
        alerts += await rowcount(session, await session.execute(statement))
    fan_out = (
        select(*pending(AlertRow.id, ChatRow.id, literal(now, UtcDateTime), real_now))
        .join_from(AlertRow, ChatRow, follows(ChatRow, AlertRow.commitment_id))
        .where(
            AlertRow.kind == "conflict",
            AlertRow.conflict_id > low,
            AlertRow.conflict_id <= high,
            AlertRow.commitment_id.in_(select(CommitmentRow.id).where(CommitmentRow.review == CONFIRMED)),
        )
    )
    return ReconcileResult(created=await owe_once(session, fan_out), conflict_alerts=alerts)


async def review_cards(
    session: AsyncSession, now: datetime, real_now: datetime, reviewers: Sequence[int]
) -> ReconcileResult:
    """A review card for each unconfirmed commitment and report (alert "review:commitment:<id>" or
    "review:report:<id>"), owed now to every reviewer who has a chat with the bot; cards still pending for an item
    that was decided meanwhile (another admin, the command line) are cancelled. The queue is small: a few rows."""
    if not reviewers:
        return ReconcileResult()
    waiting: dict[str, dict[str, Any]] = {}
    for commitment_id, kind in await session.execute(
        select(CommitmentRow.id, CommitmentRow.kind).where(CommitmentRow.review == UNCONFIRMED)
    ):
        waiting[f"review:commitment:{commitment_id}"] = {
            "commitment_id": commitment_id,
            "slug": "commitment",
            "payload": {"target": "commitment", "id": commitment_id, "kind": kind},
        }
    for report_id, owner, kind in await session.execute(
        select(ReportRow.id, ReportRow.commitment_id, ReportRow.kind).where(
            ReportRow.review == UNCONFIRMED, ReportRow.commitment_id.is_not(None)
        )
    ):
        waiting[f"review:report:{report_id}"] = {
            "commitment_id": owner,
            "slug": f"report:{report_id}",
            "payload": {"target": "report", "id": report_id, "kind": kind},
        }
    decided = select(AlertRow.id).where(AlertRow.kind == "review", AlertRow.key.not_in(list(waiting)))
    cancelled = await cancel_pending(session, real_now, DeliveryRow.alert_id.in_(decided))
    if not waiting:
        return ReconcileResult(cancelled=cancelled)
    rows = [
        {"key": key, "kind": "review", "conflict_id": None, "created_at": real_now, **values}
        for key, values in waiting.items()
    ]
    await session.execute(insert_for(session, AlertRow).values(rows).on_conflict_do_nothing(index_elements=["key"]))
    cards = select(AlertRow.id).where(AlertRow.key.in_(list(waiting))).scalar_subquery()
    owed = (
        select(*pending(AlertRow.id, ChatRow.id, literal(now, UtcDateTime), real_now))
        .join_from(AlertRow, ChatRow, ChatRow.id.in_(sorted(set(reviewers))))
        .where(AlertRow.id.in_(cards))
    )
    return ReconcileResult(created=await owe_once(session, owed), cancelled=cancelled)


def alert_item(kind: str, actors: Sequence[str], scope: str | None, duration: int | None, quantity: int | None) -> Any:
    """The commitment's fields the alert's title is built from (bot.display.title), as they were when queued."""
    return {"kind": kind, "actors": list(actors), "scope": scope, "duration_days": duration, "quantity": quantity}


PLAN_SIGNATURES = "plan_signatures"


CHAT_SIGNATURES = "chat_signatures"


async def stored_json(session: AsyncSession, key: str) -> dict[str, str] | None:
    value = await session.scalar(select(SchedulerStateRow.value).where(SchedulerStateRow.key == key))
    return None if value is None else dict(json.loads(value))


async def upsert_alerts(
    session: AsyncSession,
    real_now: datetime,
    payloads: dict[tuple[int, str], dict[str, Any]],
    commitment_ids: list[int] | None,
) -> dict[tuple[int, str], int]:
    """Every milestone alert of the commitments in scope, by (commitment, slug); missing planned ones are
    inserted, changed payloads (an extension reported, numbers delivered) updated."""
    statement = select(AlertRow.id, AlertRow.commitment_id, AlertRow.slug, AlertRow.payload).where(
        AlertRow.kind == "milestone"
    )
    if commitment_ids is not None:
        statement = statement.where(AlertRow.commitment_id.in_(commitment_ids))
    stored: dict[tuple[int, str], tuple[int, dict[str, Any]]] = {}
    for alert_id, commitment_id, slug, payload in await session.execute(statement):
        if slug is not None:
            stored[(commitment_id, slug)] = (alert_id, payload)
    missing = [
        {
            "key": f"milestone:{commitment_id}:{slug}",
            "kind": "milestone",
            "commitment_id": commitment_id,
            "slug": slug,
            "conflict_id": None,
            "payload": payload,
            "created_at": real_now,
        }
        for (commitment_id, slug), payload in payloads.items()
        if (commitment_id, slug) not in stored
    ]
    for chunk in batches(missing, ID_CHUNK // 8):
        inserted = await session.execute(
            insert_for(session, AlertRow)
            .values(list(chunk))
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(AlertRow.id, AlertRow.commitment_id, AlertRow.slug)
        )
        for alert_id, commitment_id, slug in inserted:
            assert slug is not None
            stored[(commitment_id, slug)] = (alert_id, payloads[(commitment_id, slug)])
    for (commitment_id, slug), payload in payloads.items():
        alert_id, old = stored[(commitment_id, slug)]
        if old != payload:
            await session.execute(update(AlertRow).where(AlertRow.id == alert_id).values(payload=payload))
    return {key: alert_id for key, (alert_id, _) in stored.items()}


async def apply_plan(
    session: AsyncSession,
    real_now: datetime,
    rows: list[PlanRow],
    alert_ids: dict[tuple[int, str], int],
    chat_ids: list[int] | None,
    *,
    insert: bool,
) -> ReconcileResult:
    """For one chunk of plan rows: move pending deliveries whose date changed, or (``insert``) insert the missing
    ones (and owe cancelled ones again) for every chat in the row's zone that subscribed by the milestone."""
    plan = (
        values(
            column("alert_id", Integer),
            column("commitment_id", Integer),
            column("zone", String),
            column("due_at", UtcDateTime),
            name="plan",
        )
        .data([(alert_ids[(r.commitment_id, r.slug)], r.commitment_id, r.zone, r.due_at) for r in rows])
        .cte("plan")
    )
    scope: list[ColumnElement[bool]] = [] if chat_ids is None else [ChatRow.id.in_(chat_ids)]
    since = or_(ChatRow.subscribed_since.is_(None), ChatRow.subscribed_since <= plan.c.due_at)
    owed = or_(
        and_(hears_everything(ChatRow, plan.c.commitment_id), since),
        exists().where(
            SubscriptionRow.chat_id == ChatRow.id,
            SubscriptionRow.commitment_id == plan.c.commitment_id,
            SubscriptionRow.created_at <= plan.c.due_at,
        ),
    )
    if not insert:
        moved = await session.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.alert_id == plan.c.alert_id,
                DeliveryRow.chat_id == ChatRow.id,
                ChatRow.timezone == plan.c.zone,
                # Wrapped so SQLite drives the join from the plan rows (alert_id index), not every pending row.
                func.coalesce(DeliveryRow.state, "") == "pending",
                DeliveryRow.due_at != plan.c.due_at,
                *scope,
            )
            .values(due_at=plan.c.due_at, updated_at=real_now)
            .add_cte(plan)
            .execution_options(synchronize_session=False)
        )
        return ReconcileResult(rescheduled=await rowcount(session, moved))
    desired = (
        select(*pending(plan.c.alert_id, ChatRow.id, plan.c.due_at, real_now))
        .join_from(plan, ChatRow, ChatRow.timezone == plan.c.zone)
        .where(owed, *scope)
    )
    statement = insert_for(session, DeliveryRow).from_select(DELIVERY_COLUMNS, desired)
    created = await session.execute(
        statement.on_conflict_do_update(
            index_elements=["alert_id", "chat_id"],
            set_={
                "state": "pending",
                "due_at": statement.excluded.due_at,
                "next_attempt_at": None,
                "updated_at": real_now,
            },
            where=DeliveryRow.state == "cancelled",
        ).add_cte(plan)
    )
    return ReconcileResult(created=await rowcount(session, created))


async def cancel_pending(session: AsyncSession, real_now: datetime, *criteria: ColumnElement[bool]) -> int:
    result = await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.state == "pending", *criteria)
        .values(state="cancelled", updated_at=real_now)
        .execution_options(synchronize_session=False)
    )
    return await rowcount(session, result)


async def cancel_unplanned(
    session: AsyncSession,
    real_now: datetime,
    rows: list[PlanRow],
    alert_ids: dict[tuple[int, str], int],
    zones: list[str],
    commitment_ids: list[int] | None,
    chat_ids: list[int] | None,
) -> ReconcileResult:
    """Pending milestone deliveries whose slug left the plan (in the chat's zone): the new dates dropped it."""
    planned: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        planned[row.zone].add(alert_ids[(row.commitment_id, row.slug)])
    everywhere = set().union(*planned.values()) if planned else set()
    in_scope = {alert_id for (commitment_id, _), alert_id in alert_ids.items()}
    if commitment_ids is not None:
        wanted = set(commitment_ids)
        in_scope = {alert_id for (commitment_id, _), alert_id in alert_ids.items() if commitment_id in wanted}
    scope: list[ColumnElement[bool]] = [] if chat_ids is None else [DeliveryRow.chat_id.in_(chat_ids)]
    cancelled = 0
    nowhere = sorted(in_scope - everywhere)
    for chunk in batches(nowhere, ID_CHUNK):
        cancelled += await cancel_pending(session, real_now, DeliveryRow.alert_id.in_(list(chunk)), *scope)
    for zone in zones:
        elsewhere = sorted(everywhere - planned[zone])
        for chunk in batches(elsewhere, ID_CHUNK):
            zone_chats = select(ChatRow.id).where(ChatRow.timezone == zone)
            cancelled += await cancel_pending(
                session, real_now, DeliveryRow.alert_id.in_(list(chunk)), DeliveryRow.chat_id.in_(zone_chats), *scope
            )
    return ReconcileResult(cancelled=cancelled)


async def cancel_unsubscribed(
    session: AsyncSession, real_now: datetime, commitment_ids: list[int] | None, chat_ids: list[int] | None
) -> ReconcileResult:
    """Pending milestone deliveries the chat is no longer owed: it unsubscribed, or subscribed again later than
    the milestone (a new subscription moment)."""
    alerts = select(AlertRow.id).where(AlertRow.kind == "milestone")
    if commitment_ids is not None:
        alerts = alerts.where(AlertRow.commitment_id.in_(commitment_ids))
    scope: list[ColumnElement[bool]] = [] if chat_ids is None else [DeliveryRow.chat_id.in_(chat_ids)]
    through_all = exists().where(
        ChatRow.id == DeliveryRow.chat_id,
        AlertRow.id == DeliveryRow.alert_id,
        hears_everything(ChatRow, AlertRow.commitment_id),
        or_(ChatRow.subscribed_since.is_(None), ChatRow.subscribed_since <= DeliveryRow.due_at),
    )
    through_own = exists().where(
        AlertRow.id == DeliveryRow.alert_id,
        SubscriptionRow.chat_id == DeliveryRow.chat_id,
        SubscriptionRow.commitment_id == AlertRow.commitment_id,
        SubscriptionRow.created_at <= DeliveryRow.due_at,
    )
    cancelled = await cancel_pending(
        session, real_now, DeliveryRow.alert_id.in_(alerts), *scope, ~through_all, ~through_own
    )
    return ReconcileResult(cancelled=cancelled)
