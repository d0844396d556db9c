"""Derive the outbox from stored state: which alerts exist and which chat is owed which, by when.

The database is the source of truth, so this is idempotent and safe to run at any time, in any process, as often
as every second: it only inserts what is missing, moves pending deliveries whose date moved, and cancels pending
ones nobody is owed any more. Deliveries that are sending, sent or failed are never touched, so a milestone that
went out is not sent again even when a later source moves its date.

Milestones: for every subscribed (chat, commitment), the plan of the commitment as known at ``now`` in the chat's
zone (:func:`tracking.state.known_at`: only what its sources and reports published by then say, so a replay alerts
nothing from later news; a commitment none of whose sources is out yet has no plan, and its pending deliveries are
cancelled until it is); a delivery is owed when the milestone falls at or after the moment the chat subscribed
(bot clock). A chat that subscribed before a milestone is owed it even when it is already past (the bot was down,
or the news came out after it): the dispatcher sends it late or folds it into the offline summary. Paused chats
keep their pending deliveries (claim_due skips them until /start).

Conflicts: every conflict with an id above the ``conflict_watermark`` becomes an alert due ``now`` for every chat
subscribed to its commitment or to everything; the watermark moves in the same transaction. The first run only
sets the watermark: conflicts logged before alerts existed are history, not news. Conflict ids only grow in commit
order because every writer of conflicts (storage.loader) holds the load lock, so a watermark cannot skip one.

Editors (storage.edits): only confirmed commitments are planned; a commitment that stops being one (retracted,
rejected, merged away) has its pending deliveries cancelled, and no milestone before its ``alerts_from`` (the
moment it was confirmed or re-dated) is owed, so nothing is sent late as if missed. Corrections are alerts the
editor's own transaction writes, with their deliveries; this module leaves them to the dispatcher. Review cards
("review:commitment:<id>", "review:report:<id>") are owed to the reviewers' chats (the admins') for every
unconfirmed item, and cancelled while still pending once the item is decided.

Cost: the fan-out is set-based SQL (plan rows as a VALUES list joined with chats, INSERT ... SELECT ... ON
CONFLICT), so 2,000 chats cost one statement, not 2,000. A periodic call with nothing changed costs one query: a
fingerprint over the tables the outbox derives from is compared with the one stored by the last full run. What is
known also changes without a write, as the clock passes a publication: the last full run stores the span of clock
time its knowledge holds for (from the latest publication it counted to the next one, in every chat zone), and a
``now`` outside it makes the fingerprint stale. With the real clock that span is open-ended once every article is
out, so live operation runs no more often for it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Integer,
    String,
    and_,
    column,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    true,
    update,
    values,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schedules.plan import Milestone, PlanOffsets, milestone_plan
from storage.chats import hears_everything
from storage.db import SQLITE_IMMEDIATE
from storage.models import (
    AlertRow,
    ArticleRow,
    ChatRow,
    CommitmentRow,
    CommitmentSourceRow,
    ConflictArticleRow,
    ConflictRow,
    DeliveryRow,
    MuteRow,
    ReportRow,
    SchedulerStateRow,
    SubscriptionRow,
    UtcDateTime,
    utc_now,
)
from storage.queries import tracked_where
from tracking.model import CONFIRMED, UNCONFIRMED, Tracked
from tracking.state import instant, known_at

log = logging.getLogger(__name__)

CONFLICT_WATERMARK = "conflict_watermark"
# Only confirmed commitments are alerted: unconfirmed ones wait for an editor, the others were thrown out.
ALERTED = (CONFIRMED,)
FINGERPRINT = "reconcile_fingerprint"
# Reconciles queue behind each other on PostgreSQL (SQLite: BEGIN IMMEDIATE); distinct from the loader's key.
RECONCILE_LOCK_KEY = 0x6365617365726563
# Even with an unchanged fingerprint a full run (digests compared, usually nothing to redo) happens this often in
# real time: the fingerprint uses maxima of timestamps, which two PostgreSQL transactions committing out of order
# could leave unchanged.
FULL_RUN_EVERY = timedelta(seconds=60)
# Plan rows per statement: 4 bound parameters each stays far below SQLite's and asyncpg's limits.
_PLAN_CHUNK = 1000
_ID_CHUNK = 5000


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
class _Probe:
    fingerprint: str
    stored: str | None
    watermark: int | None
    max_conflict: int


@dataclass(frozen=True, slots=True)
class _PlanRow:
    commitment_id: int
    slug: str
    zone: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class _Plan:
    """One commitment's milestones in one zone, and the view they were planned from (None: not known yet)."""

    view: Tracked | None
    milestones: list[Milestone]


def _publications(tracked: Tracked) -> list[Any]:
    """Every moment at which something about ``tracked`` becomes known: its sources' and reports' articles."""
    return [s.published for s in tracked.sources] + [r.source_published for r in tracked.reports]


def _zone_free(tracked: Tracked) -> bool:
    """Whether every publication is an instant with an offset, so what is known does not depend on the zone (a
    day alone or a naive time counts from that day's midnight, or that wall time, in the reader's zone)."""
    return all(isinstance(p, datetime) and p.tzinfo is not None for p in _publications(tracked))


@dataclass(slots=True)
class _Known:
    """Commitments as known at the bot's clock, per zone, for one run, and the span of clock time that knowledge
    holds for: ``since`` the latest publication at or before ``now`` (None: none), ``until`` the first after it
    (None: none). Only a run that asked about every commitment in every zone may store the span."""

    now: datetime
    since: datetime | None = None
    until: datetime | None = None
    _views: dict[tuple[int, str], Tracked | None] = field(default_factory=dict)
    _zoned: dict[int, bool] = field(default_factory=dict)

    def view(self, tracked: Tracked, tz: ZoneInfo) -> Tracked | None:
        """``tracked`` as known at ``now`` by a reader in ``tz``; None while none of its sources is published.
        Conflicts are left out: no milestone depends on them."""
        zoned = self._zoned.get(tracked.id)
        if zoned is None:
            zoned = self._zoned[tracked.id] = not _zone_free(tracked)
        key = (tracked.id, tz.key if zoned else "")
        if key in self._views:
            return self._views[key]
        bare = replace(tracked, conflicts=()) if tracked.conflicts else tracked
        view = self._views[key] = known_at(bare, self.now, tz)
        for published in _publications(tracked):
            moment = instant(published, tz)  # the rule known_at applies, to the instant
            if moment <= self.now:
                self.since = moment if self.since is None else max(self.since, moment)
            else:
                self.until = moment if self.until is None else min(self.until, moment)
        return view

    def holds_for(self) -> list[str | None]:
        """The span, as stored beside the fingerprint."""
        return [None if m is None else m.astimezone(UTC).isoformat() for m in (self.since, self.until)]


async def reconcile(
    sessions: async_sessionmaker[AsyncSession],
    *,
    now: datetime,
    default_tz: ZoneInfo,
    offsets: PlanOffsets,
    commitment_ids: Sequence[int] | None = None,
    chat_ids: Sequence[int] | None = None,
    reviewers: Sequence[int] = (),
) -> ReconcileResult:
    """Bring alerts and deliveries in step with commitments, reports, chats, subscriptions and conflicts.

    ``now`` is the bot's clock: conflict alerts fall due then, and milestones are planned from what is known at
    it (see the module doc). ``default_tz`` plans for chats whose stored zone cannot be loaded. ``commitment_ids``
    / ``chat_ids`` narrow the milestone work to what just changed (after /subscribe, /report, an upload); new
    conflicts are always picked up, whoever wrote them. ``reviewers`` (the admins' user ids, which are their
    private chats' ids) get a review card for each unconfirmed commitment or report (REVIEW_MODE=review).
    """
    if now.tzinfo is None:
        raise ValueError("now needs a timezone")
    full = commitment_ids is None and chat_ids is None
    settings = f"{default_tz.key}|{offsets!r}|{sorted(set(reviewers))}"
    real_now = utc_now()
    if full:
        async with sessions() as session:
            probe = await _probe(session, settings)
        if _fresh(probe, real_now, now) and probe.watermark is not None and probe.max_conflict <= probe.watermark:
            return ReconcileResult()
    known = _Known(now)
    async with _writing(sessions) as session:
        probe = await _probe(session, settings)
        result = await _conflicts(session, now, real_now, probe)
        if not full:
            result += await _milestones(
                session, real_now, default_tz, offsets, _ids(commitment_ids), _ids(chat_ids), known, {}, None
            )
            result += await _reviews(session, now, real_now, reviewers)
        elif not _fresh(probe, real_now, now):
            result += await _changed_milestones(session, real_now, default_tz, offsets, settings, known)
            result += await _reviews(session, now, real_now, reviewers)
            stamp = [probe.fingerprint, real_now.isoformat(), *known.holds_for()]
            await _put_state(session, FINGERPRINT, json.dumps(stamp))
    if result != ReconcileResult():
        log.info("reconcile: %s", result)
    return result


def _ids(values: Sequence[int] | None) -> list[int] | None:
    return None if values is None else sorted(set(values))


@asynccontextmanager
async def _writing(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessions() as session, session.begin():
        connection = await session.connection(execution_options={SQLITE_IMMEDIATE: True})
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RECONCILE_LOCK_KEY})
        yield session


async def _rowcount(session: AsyncSession, result: Any) -> int:
    """Rows the last statement changed. Python's sqlite3 reports -1 for a statement that starts with WITH (it
    looks at the first keyword only), so SQLite is asked directly."""
    assert isinstance(result, CursorResult)
    if result.rowcount >= 0:
        return int(result.rowcount)
    return int(await session.scalar(text("SELECT changes()")) or 0)


def _insert(session: AsyncSession, table: Any) -> postgresql.Insert | sqlite.Insert:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- change detection ----------------------------------------------------------------------------------------


async def _probe(session: AsyncSession, settings: str) -> _Probe:
    """One query: a fingerprint of what milestone deliveries derive from, the stored one, and the conflict ids.

    Chats count by columns that matter here (not ``updated_at``: every message refreshes a chat's title).
    """

    def scalar(expression: Any, *where: ColumnElement[bool]) -> Any:
        return select(expression).where(*where).scalar_subquery()

    parts = [
        scalar(func.count(CommitmentRow.id)),
        scalar(func.max(CommitmentRow.updated_at)),
        # A new source may leave the merged row as it was, yet change when the commitment becomes known (sources
        # are only ever added, like the articles they come from, so the newest id is enough).
        scalar(func.max(CommitmentSourceRow.id)),
        scalar(func.count(ReportRow.commitment_id)),
        scalar(func.max(ReportRow.id)),
        scalar(func.sum(ReportRow.commitment_id)),
        # Confirming, rejecting or retracting a report changes what counts (a fulfilment moves the plan).
        scalar(func.count(ReportRow.id), ReportRow.review == CONFIRMED),
        scalar(func.count(SubscriptionRow.chat_id)),
        scalar(func.max(SubscriptionRow.created_at)),
        scalar(func.sum(SubscriptionRow.chat_id)),
        scalar(func.sum(SubscriptionRow.commitment_id)),
        scalar(func.count(MuteRow.chat_id)),
        scalar(func.max(MuteRow.created_at)),
        scalar(func.sum(MuteRow.chat_id)),
        scalar(func.sum(MuteRow.commitment_id)),
        scalar(func.count(ChatRow.id)),
        scalar(func.sum(ChatRow.id)),
        scalar(func.count(ChatRow.id), ChatRow.subscribed_all == true()),
        scalar(func.max(ChatRow.subscribed_since)),
        scalar(func.max(ChatRow.updated_at)),
    ]
    state = SchedulerStateRow
    row = (
        await session.execute(
            select(
                *parts,
                scalar(func.max(ConflictRow.id)),
                scalar(state.value, state.key == FINGERPRINT),
                scalar(state.value, state.key == CONFLICT_WATERMARK),
            )
        )
    ).one()
    *facts, max_conflict, stored, watermark = row
    return _Probe(
        fingerprint=json.dumps([settings, *(str(f) for f in facts)]),
        stored=stored,
        watermark=None if watermark is None else int(watermark),
        max_conflict=int(max_conflict or 0),
    )


def _fresh(probe: _Probe, real_now: datetime, now: datetime) -> bool:
    """Whether the last full run saw exactly this state, not too long ago, and knew what is known at ``now``."""
    if probe.stored is None:
        return False
    try:
        fingerprint, at, since, until = json.loads(probe.stored)
    except ValueError:  # stored by an older version
        return False
    if fingerprint != probe.fingerprint or real_now - datetime.fromisoformat(at) >= FULL_RUN_EVERY:
        return False
    if since is not None and now < datetime.fromisoformat(since):
        return False  # the clock went back (a replay started again earlier): less is known
    return until is None or now < datetime.fromisoformat(until)


async def next_knowledge_change(sessions: async_sessionmaker[AsyncSession]) -> datetime | None:
    """The clock instant at which the last full run's knowledge stops holding (the next publication it saw ahead of
    its ``now``), so the scheduler can wake then: on a replay, news coming out can make a milestone owed."""
    async with sessions() as session:
        stored = await session.scalar(select(SchedulerStateRow.value).where(SchedulerStateRow.key == FINGERPRINT))
    if stored is None:
        return None
    try:
        _, _, _, until = json.loads(stored)
    except ValueError:
        return None
    return None if until is None else datetime.fromisoformat(until)


async def _put_state(session: AsyncSession, key: str, value: str) -> None:
    await session.execute(
        _insert(session, SchedulerStateRow)
        .values(key=key, value=value)
        .on_conflict_do_update(index_elements=[SchedulerStateRow.key], set_={"value": value})
    )


# --- conflicts -----------------------------------------------------------------------------------------------


def _subscribed(chat: type[ChatRow], commitment_id: Any) -> ColumnElement[bool]:
    """The chat follows the commitment, through "everything" or its own subscription (paused chats included)."""
    return or_(
        hears_everything(chat, commitment_id),
        exists().where(SubscriptionRow.chat_id == chat.id, SubscriptionRow.commitment_id == commitment_id),
    )


async def _conflicts(session: AsyncSession, now: datetime, real_now: datetime, probe: _Probe) -> ReconcileResult:
    """Alert the conflicts above the watermark to the chats following their commitment, then move the watermark."""
    if probe.watermark is None:
        await _put_state(session, CONFLICT_WATERMARK, str(probe.max_conflict))
        return ReconcileResult()
    low, high = probe.watermark, probe.max_conflict
    if high <= low:
        return ReconcileResult()
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
                "item": _item(c.kind, c.actors, c.scope, c.duration_days, c.quantity),
            },
            "created_at": real_now,
        }
        for conflict, c in found
    ]
    alerts = 0
    for chunk in _chunks(rows, _ID_CHUNK // 8):
        statement = _insert(session, AlertRow).values(list(chunk)).on_conflict_do_nothing(index_elements=["key"])
        alerts += await _rowcount(session, await session.execute(statement))
    fan_out = (
        select(
            AlertRow.id,
            ChatRow.id,
            literal("pending"),
            literal(now, UtcDateTime),
            literal(0),
            literal(real_now, UtcDateTime),
        )
        .join_from(AlertRow, ChatRow, _subscribed(ChatRow, AlertRow.commitment_id))
        .where(
            AlertRow.kind == "conflict",
            AlertRow.conflict_id > low,
            AlertRow.conflict_id <= high,
            AlertRow.commitment_id.in_(select(CommitmentRow.id).where(CommitmentRow.review == CONFIRMED)),
        )
    )
    created = await session.execute(
        _insert(session, DeliveryRow)
        .from_select(["alert_id", "chat_id", "state", "due_at", "attempts", "updated_at"], fan_out)
        .on_conflict_do_nothing(index_elements=["alert_id", "chat_id"])
    )
    await _put_state(session, CONFLICT_WATERMARK, str(high))
    return ReconcileResult(created=await _rowcount(session, created), conflict_alerts=alerts)


# --- review cards --------------------------------------------------------------------------------------------


async def _reviews(
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
    cancelled = await _cancel(session, real_now, DeliveryRow.alert_id.in_(decided))
    if not waiting:
        return ReconcileResult(cancelled=cancelled)
    rows = [
        {"key": key, "kind": "review", "conflict_id": None, "created_at": real_now, **values}
        for key, values in waiting.items()
    ]
    await session.execute(_insert(session, AlertRow).values(rows).on_conflict_do_nothing(index_elements=["key"]))
    cards = select(AlertRow.id).where(AlertRow.key.in_(list(waiting))).scalar_subquery()
    owed = (
        select(
            AlertRow.id,
            ChatRow.id,
            literal("pending"),
            literal(now, UtcDateTime),
            literal(0),
            literal(real_now, UtcDateTime),
        )
        .join_from(AlertRow, ChatRow, ChatRow.id.in_(sorted(set(reviewers))))
        .where(AlertRow.id.in_(cards))
    )
    created = await session.execute(
        _insert(session, DeliveryRow)
        .from_select(["alert_id", "chat_id", "state", "due_at", "attempts", "updated_at"], owed)
        .on_conflict_do_nothing(index_elements=["alert_id", "chat_id"])
    )
    return ReconcileResult(created=await _rowcount(session, created), cancelled=cancelled)


# --- milestones ----------------------------------------------------------------------------------------------


def _zone(name: str, default_tz: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default_tz


def _item(kind: str, actors: Sequence[str], scope: str | None, duration: int | None, quantity: int | None) -> Any:
    """The commitment's fields the alert's title is built from (bot.display.title), as they were when queued."""
    return {"kind": kind, "actors": list(actors), "scope": scope, "duration_days": duration, "quantity": quantity}


def _payload(milestone: Milestone, commitment: Tracked) -> dict[str, Any]:
    """What the text needs beyond the tables: the milestone's numbers and a snapshot of the commitment's title
    fields (as known at the clock), so rendering needs no database (bot.alerting)."""
    return {
        "days_before": milestone.days_before,
        "extended": milestone.extended,
        "promised": milestone.promised,
        "delivered": milestone.delivered,
        "item": _item(
            commitment.kind, commitment.actors, commitment.scope, commitment.duration_days, commitment.quantity
        ),
    }


PLAN_SIGNATURES = "plan_signatures"
CHAT_SIGNATURES = "chat_signatures"
# Above this many changed ids a run covers everyone instead of listing them (bound-parameter limits).
_NARROW_AT_MOST = 5000


def _digest(value: Any) -> str:
    return hashlib.blake2b(json.dumps(value, default=str).encode(), digest_size=8).hexdigest()


async def _chat_signatures(session: AsyncSession) -> tuple[dict[str, str], set[str]]:
    """A digest per chat of what its deliveries depend on: zone, "everything" and since when, own subscriptions
    and their moments; and the zones chats are in."""
    follows: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for chat_id, commitment_id, created_at in await session.execute(
        select(SubscriptionRow.chat_id, SubscriptionRow.commitment_id, SubscriptionRow.created_at)
    ):
        follows[chat_id].append((commitment_id, created_at.isoformat()))
    for chat_id, commitment_id in await session.execute(select(MuteRow.chat_id, MuteRow.commitment_id)):
        follows[chat_id].append((commitment_id, "muted"))
    signatures: dict[str, str] = {}
    zones: set[str] = set()
    for chat_id, timezone, everything, since in await session.execute(
        select(ChatRow.id, ChatRow.timezone, ChatRow.subscribed_all, ChatRow.subscribed_since)
    ):
        own = sorted(follows.get(chat_id, []))
        signatures[str(chat_id)] = _digest([timezone, everything, None if since is None else since.isoformat(), own])
        zones.add(timezone)
    return signatures, zones


def _plan_signature(settings: str, tracked: Tracked, known: _Known, zones: Sequence[ZoneInfo]) -> str:
    """A digest of what the commitment's plans read: its view as known at the clock in each zone. Sources stay in
    (a reused id is another commitment). When every zone knows the same (always, once everything is published),
    the digest does not depend on which zones there are."""
    texts: dict[int, str] = {}  # by view: a commitment whose publications carry offsets has one for all zones
    by_zone: dict[str, str] = {}
    for tz in zones:
        view = known.view(tracked, tz)
        if id(view) not in texts:
            texts[id(view)] = repr(view)
        by_zone[tz.key] = texts[id(view)]
    distinct = set(by_zone.values())
    if len(distinct) == 1:
        return _digest([settings, *distinct])
    return _digest([settings, *sorted(by_zone.items())])


async def _stored_signatures(session: AsyncSession, key: str) -> dict[str, str] | None:
    value = await session.scalar(select(SchedulerStateRow.value).where(SchedulerStateRow.key == key))
    return None if value is None else dict(json.loads(value))


async def _changed_milestones(
    session: AsyncSession,
    real_now: datetime,
    default_tz: ZoneInfo,
    offsets: PlanOffsets,
    settings: str,
    known: _Known,
) -> ReconcileResult:
    """A full run that only redoes what differs from the last one.

    Every commitment (its dates, status and reports as known at the clock in every chat zone: all a plan reads)
    and every chat (zone, subscriptions and their moments) is digested. Only commitments whose digest changed (for
    all chats) and chats whose digest changed (for all commitments) go through the per-delivery SQL, which is what
    costs with thousands of chats. The digests are stored in the same transaction as the work they describe.
    Asking every commitment in every zone also leaves in ``known`` the span its knowledge holds for.
    """
    chat_signatures, zone_names = await _chat_signatures(session)
    zones = list({tz.key: tz for tz in (_zone(name, default_tz) for name in sorted(zone_names))}.values())
    tracked = {t.id: t for t in await tracked_where(session, review=ALERTED)}
    plan_signatures = {str(i): _plan_signature(settings, t, known, zones or [default_tz]) for i, t in tracked.items()}
    old_plans = await _stored_signatures(session, PLAN_SIGNATURES)
    old_chats = await _stored_signatures(session, CHAT_SIGNATURES)
    cache: dict[tuple[int, str], _Plan] = {}
    result = ReconcileResult()

    async def redo(commitment_ids: list[int] | None, chat_ids: list[int] | None) -> ReconcileResult:
        return await _milestones(
            session, real_now, default_tz, offsets, commitment_ids, chat_ids, known, cache, tracked
        )

    if old_plans is None or old_chats is None:
        result += await redo(None, None)
    else:
        plans = sorted(int(i) for i, sig in plan_signatures.items() if old_plans.get(i) != sig)
        # Gone from the plans (retracted, rejected, merged away): their pending deliveries are cancelled.
        plans = sorted({*plans, *(int(i) for i in old_plans.keys() - plan_signatures.keys())})
        chats = sorted(int(i) for i, sig in chat_signatures.items() if old_chats.get(i) != sig)
        if len(plans) > _NARROW_AT_MOST or len(chats) > _NARROW_AT_MOST:
            result += await redo(None, None)
        else:
            if plans:
                result += await redo(plans, None)
            if chats:
                result += await redo(None, chats)
    await _put_state(session, PLAN_SIGNATURES, json.dumps(plan_signatures))
    await _put_state(session, CHAT_SIGNATURES, json.dumps(chat_signatures))
    return result


async def _milestones(
    session: AsyncSession,
    real_now: datetime,
    default_tz: ZoneInfo,
    offsets: PlanOffsets,
    commitment_ids: list[int] | None,
    chat_ids: list[int] | None,
    known: _Known,
    cache: dict[tuple[int, str], _Plan],
    preloaded: dict[int, Tracked] | None,
) -> ReconcileResult:
    """Milestone deliveries for the (commitment, chat) pairs in scope (None: all). ``known`` gives each commitment
    as known at the clock; ``cache`` holds plans already made by (commitment, zone); ``preloaded`` the commitments
    already read, when the caller has them all."""
    chats_in_scope: list[ColumnElement[bool]] = [] if chat_ids is None else [ChatRow.id.in_(chat_ids)]
    subscription_scope: list[ColumnElement[bool]] = [] if chat_ids is None else [SubscriptionRow.chat_id.in_(chat_ids)]
    if commitment_ids is not None:
        subscription_scope.append(SubscriptionRow.commitment_id.in_(commitment_ids))

    # Who listens, in which zones, and since when at the earliest: plans before that moment owe nobody anything.
    followers = select(SubscriptionRow.chat_id).where(*subscription_scope)
    listening = and_(*chats_in_scope, or_(ChatRow.subscribed_all == true(), ChatRow.id.in_(followers)))
    zones = sorted(set(await session.scalars(select(ChatRow.timezone).where(listening).distinct())))
    all_since = (
        await session.execute(
            select(
                func.count(ChatRow.id), func.count(ChatRow.subscribed_since), func.min(ChatRow.subscribed_since)
            ).where(*chats_in_scope, ChatRow.subscribed_all == true())
        )
    ).one()
    own_since = await session.scalar(select(func.min(SubscriptionRow.created_at)).where(*subscription_scope))
    moments = [_as_utc(m) for m in (all_since[2], own_since) if m is not None]
    anyone_since_always = all_since[0] > all_since[1]
    earliest = None if anyone_since_always or not moments else min(moments)

    # Which commitments to plan: the given ones, else those anyone in scope follows.
    if commitment_ids is not None:
        criteria: list[ColumnElement[bool]] = [CommitmentRow.id.in_(commitment_ids)]
    elif all_since[0]:
        criteria = []
    else:
        criteria = [CommitmentRow.id.in_(select(SubscriptionRow.commitment_id).where(*subscription_scope))]
    if not zones:
        tracked: list[Tracked] = []
    elif preloaded is not None:
        wanted = preloaded.keys() if commitment_ids is None else commitment_ids
        tracked = [preloaded[i] for i in wanted if i in preloaded]
    else:
        tracked = await tracked_where(session, *criteria, review=ALERTED)

    plan_rows: list[_PlanRow] = []
    payloads: dict[tuple[int, str], dict[str, Any]] = {}
    for commitment in tracked:
        for name in zones:
            tz = _zone(name, default_tz)
            made = cache.get((commitment.id, tz.key))
            if made is None:
                view = known.view(commitment, tz)
                made = cache[(commitment.id, tz.key)] = _Plan(
                    view, [] if view is None else milestone_plan(view, tz, offsets)
                )
            begins = commitment.alerts_from  # confirmed or re-dated then: what fell before is not owed late
            for milestone in made.milestones:
                if earliest is not None and milestone.at < earliest:
                    continue  # before anyone in scope subscribed: owed to nobody
                if begins is not None and milestone.at < begins:
                    continue
                plan_rows.append(_PlanRow(commitment.id, milestone.slug, name, milestone.at))
                assert made.view is not None
                payloads.setdefault((commitment.id, milestone.slug), _payload(milestone, made.view))

    alert_ids = await _upsert_alerts(session, real_now, payloads, commitment_ids)
    result = ReconcileResult()
    # Order matters: move what exists first, then cancel what is no longer owed (incl. a date moved before the
    # subscription), and only then insert — new rows are owed by construction, so the cancel scans stay as small
    # as the pending rows that existed (none on a first run).
    chunks = [list(chunk) for chunk in _chunks(plan_rows, _PLAN_CHUNK)]
    for chunk in chunks:
        result += await _apply_plan(session, real_now, chunk, alert_ids, chat_ids, insert=False)
    result += await _cancel_unplanned(session, real_now, plan_rows, alert_ids, zones, commitment_ids, chat_ids)
    result += await _cancel_unsubscribed(session, real_now, commitment_ids, chat_ids)
    for chunk in chunks:
        result += await _apply_plan(session, real_now, chunk, alert_ids, chat_ids, insert=True)
    return result


def _as_utc(value: Any) -> datetime:
    """Aggregates lose the column type on SQLite (text comes back): read them as UtcDateTime does."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def _upsert_alerts(
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
    for chunk in _chunks(missing, _ID_CHUNK // 8):
        inserted = await session.execute(
            _insert(session, AlertRow)
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


async def _apply_plan(
    session: AsyncSession,
    real_now: datetime,
    rows: list[_PlanRow],
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
        return ReconcileResult(rescheduled=await _rowcount(session, moved))
    desired = (
        select(
            plan.c.alert_id,
            ChatRow.id,
            literal("pending"),
            plan.c.due_at,
            literal(0),
            literal(real_now, UtcDateTime),
        )
        .join_from(plan, ChatRow, ChatRow.timezone == plan.c.zone)
        .where(owed, *scope)
    )
    statement = _insert(session, DeliveryRow).from_select(
        ["alert_id", "chat_id", "state", "due_at", "attempts", "updated_at"], desired
    )
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
    return ReconcileResult(created=await _rowcount(session, created))


async def _cancel(session: AsyncSession, real_now: datetime, *criteria: ColumnElement[bool]) -> int:
    result = await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.state == "pending", *criteria)
        .values(state="cancelled", updated_at=real_now)
        .execution_options(synchronize_session=False)
    )
    return await _rowcount(session, result)


async def _cancel_unplanned(
    session: AsyncSession,
    real_now: datetime,
    rows: list[_PlanRow],
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
    for chunk in _chunks(nowhere, _ID_CHUNK):
        cancelled += await _cancel(session, real_now, DeliveryRow.alert_id.in_(list(chunk)), *scope)
    for zone in zones:
        elsewhere = sorted(everywhere - planned[zone])
        for chunk in _chunks(elsewhere, _ID_CHUNK):
            zone_chats = select(ChatRow.id).where(ChatRow.timezone == zone)
            cancelled += await _cancel(
                session, real_now, DeliveryRow.alert_id.in_(list(chunk)), DeliveryRow.chat_id.in_(zone_chats), *scope
            )
    return ReconcileResult(cancelled=cancelled)


async def _cancel_unsubscribed(
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
    cancelled = await _cancel(session, real_now, DeliveryRow.alert_id.in_(alerts), *scope, ~through_all, ~through_own)
    return ReconcileResult(cancelled=cancelled)
