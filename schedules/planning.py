"""Milestone deliveries per chat zone: each commitment as known at the bot's clock in each zone, its plan, and which
(commitment, chat) pairs changed since the last run (digests), redone in slices that yield to the event loop."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    ColumnElement,
    and_,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession

from schedules.plan import Milestone, PlanOffsets, milestone_plan
from storage.db import as_utc
from storage.fanout import (
    CHAT_SIGNATURES,
    PLAN_CHUNK,
    PLAN_SIGNATURES,
    PlanRow,
    ReconcileResult,
    alert_item,
    apply_plan,
    batches,
    cancel_unplanned,
    cancel_unsubscribed,
    put_state,
    stored_json,
    upsert_alerts,
)
from storage.models import (
    ChatRow,
    CommitmentRow,
    MuteRow,
    SubscriptionRow,
)
from storage.queries import tracked_where
from tracking.model import CONFIRMED, Tracked
from tracking.state import instant, known_at

# Only confirmed commitments are alerted: unconfirmed ones wait for an editor, the others were thrown out.
ALERTED = (CONFIRMED,)


# Commitments read, digested and planned per slice of a run over all of them. A slice holds the event loop for
# tens of milliseconds (reading its reports, planning it per zone); between slices the loop serves updates, so a
# /status is never stuck behind a run over 10,000 commitments, and only one slice of full views is in memory.
SLICE = 100


@dataclass(frozen=True, slots=True)
class Plan:
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
class Known:
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

    def forget(self) -> None:
        """Drop the views read so far (the span stays): a slice done is not asked about again."""
        self._views.clear()
        self._zoned.clear()

    def holds_for(self) -> list[str | None]:
        """The span, as stored beside the fingerprint."""
        return [None if m is None else m.astimezone(UTC).isoformat() for m in (self.since, self.until)]


def chat_zone(name: str, default_tz: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default_tz


def milestone_payload(milestone: Milestone, commitment: Tracked) -> dict[str, Any]:
    """What the text needs beyond the tables: the milestone's numbers and a snapshot of the commitment's title
    fields (as known at the clock), so rendering needs no database (bot.alerting)."""
    return {
        "days_before": milestone.days_before,
        "extended": milestone.extended,
        "promised": milestone.promised,
        "delivered": milestone.delivered,
        "item": alert_item(
            commitment.kind, commitment.actors, commitment.scope, commitment.duration_days, commitment.quantity
        ),
    }


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


def _plan_signature(settings: str, tracked: Tracked, known: Known, zones: Sequence[ZoneInfo]) -> str:
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


@dataclass(frozen=True, slots=True)
class Run:
    """What every step of one reconcile run shares: its transaction, the real time (deliveries' bookkeeping), the
    zone for chats whose own cannot be loaded, the reminder offsets, and the commitments as known at the clock."""

    session: AsyncSession
    real_now: datetime
    default_tz: ZoneInfo
    offsets: PlanOffsets
    known: Known


async def changed_milestones(run: Run, settings: str) -> ReconcileResult:
    """A full run that only redoes what differs from the last one.

    Every commitment (its dates, status and reports as known at the clock in every chat zone: all a plan reads)
    and every chat (zone, subscriptions and their moments) is digested. Only commitments whose digest changed (for
    all chats) and chats whose digest changed (for all commitments) go through the per-delivery SQL, which is what
    costs with thousands of chats. The digests are stored in the same transaction as the work they describe.
    Asking every commitment in every zone also leaves in ``known`` the span its knowledge holds for. Commitments
    are read, digested and redone in slices of ``SLICE`` ids, yielding to the event loop between them.
    """
    session, default_tz, known = run.session, run.default_tz, run.known
    chat_signatures, zone_names = await _chat_signatures(session)
    zones = list({tz.key: tz for tz in (chat_zone(name, default_tz) for name in sorted(zone_names))}.values())
    old_plans = await stored_json(session, PLAN_SIGNATURES)
    old_chats = await stored_json(session, CHAT_SIGNATURES)
    chats: list[int] = []
    everything = old_plans is None or old_chats is None
    if old_plans is not None and old_chats is not None:
        chats = sorted(int(i) for i, sig in chat_signatures.items() if old_chats.get(i) != sig)
        everything = len(chats) > _NARROW_AT_MOST
    plan_signatures: dict[str, str] = {}
    result = ReconcileResult()
    ids = list(await session.scalars(select(CommitmentRow.id).order_by(CommitmentRow.id)))
    for part in batches(ids, SLICE):
        tracked = {t.id: t for t in await tracked_where(session, CommitmentRow.id.in_(list(part)), review=ALERTED)}
        signatures = {str(i): _plan_signature(settings, t, known, zones or [default_tz]) for i, t in tracked.items()}
        plan_signatures.update(signatures)
        cache: dict[tuple[int, str], Plan] = {}
        runs: list[tuple[list[int], list[int] | None]] = [(list(part), None)]
        if not everything:
            # Changed, new, or gone from the plans (retracted, rejected, merged away: pending deliveries cancelled).
            assert old_plans is not None
            changed = [i for i in part if old_plans.get(str(i)) != signatures.get(str(i))]
            runs = [(changed, None)] if changed else []
            if chats:
                runs.append((list(part), chats))
        for commitment_ids, chat_ids in runs:
            result += await plan_milestones(run, Scope(commitment_ids, chat_ids, cache, tracked))
        known.forget()
        await asyncio.sleep(0)  # the loop's turn between slices
    if old_plans is not None and not everything:
        stored = set(ids)
        gone = sorted(int(i) for i in old_plans if int(i) not in stored)  # rows deleted: nothing left to plan
        if gone:
            result += await plan_milestones(run, Scope(gone, preloaded={}))
    await put_state(session, PLAN_SIGNATURES, json.dumps(plan_signatures))
    await put_state(session, CHAT_SIGNATURES, json.dumps(chat_signatures))
    return result


@dataclass(frozen=True, slots=True)
class Scope:
    """The (commitment, chat) pairs one planning pass covers (None: all) and what it may reuse: ``cache`` the plans
    already made by (commitment, zone), ``preloaded`` the commitments already read, when the caller has them all.
    ``whole`` is set on one slice of a larger pass: None when that pass covers every commitment (the slice bounds the
    scope, while which commitments are planned, those anyone in scope follows, is decided as for all of them), the
    pass's own ids otherwise."""

    commitment_ids: list[int] | None
    chat_ids: list[int] | None = None
    cache: dict[tuple[int, str], Plan] = field(default_factory=dict)
    preloaded: dict[int, Tracked] | None = None
    whole: list[int] | bool | None = False


async def plan_milestones(run: Run, scope: Scope) -> ReconcileResult:
    """Milestone deliveries for the pairs in ``scope``, each commitment as ``run.known`` has it at the clock.
    Without preloaded commitments, more than ``SLICE`` of them (or all) are done slice by slice, each read on its
    own, yielding to the event loop between slices."""
    commitment_ids = scope.commitment_ids
    if scope.preloaded is not None or (commitment_ids is not None and len(commitment_ids) <= SLICE):
        return await _milestones_part(run, scope)
    ids = commitment_ids
    if ids is None:  # every stored commitment, whatever its review: their alerts are in scope too
        ids = list(await run.session.scalars(select(CommitmentRow.id).order_by(CommitmentRow.id)))
    result = ReconcileResult()
    for part in batches(ids, SLICE):
        result += await _milestones_part(run, Scope(list(part), scope.chat_ids, whole=commitment_ids))
        run.known.forget()
        await asyncio.sleep(0)  # the loop's turn between slices
    return result


async def _milestones_part(run: Run, scope: Scope) -> ReconcileResult:
    """:func:`plan_milestones` for one set of commitments."""
    commitment_ids, chat_ids, cache, preloaded = scope.commitment_ids, scope.chat_ids, scope.cache, scope.preloaded
    session, real_now, default_tz, offsets, known = run.session, run.real_now, run.default_tz, run.offsets, run.known
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
    moments = [as_utc(m) for m in (all_since[2], own_since) if m is not None]
    anyone_since_always = all_since[0] > all_since[1]
    earliest = None if anyone_since_always or not moments else min(moments)

    # Which commitments to plan: the given ones, else those anyone in scope follows.
    if commitment_ids is not None and scope.whole is not None:
        criteria: list[ColumnElement[bool]] = [CommitmentRow.id.in_(commitment_ids)]
    elif all_since[0]:
        criteria = []
    else:
        criteria = [CommitmentRow.id.in_(select(SubscriptionRow.commitment_id).where(*subscription_scope))]
    if scope.whole is None and commitment_ids is not None:  # one slice of every commitment
        criteria.append(CommitmentRow.id.in_(commitment_ids))
    if not zones:
        tracked: list[Tracked] = []
    elif preloaded is not None:
        wanted = preloaded.keys() if commitment_ids is None else commitment_ids
        tracked = [preloaded[i] for i in wanted if i in preloaded]
    else:
        tracked = await tracked_where(session, *criteria, review=ALERTED)

    plan_rows: list[PlanRow] = []
    payloads: dict[tuple[int, str], dict[str, Any]] = {}
    for commitment in tracked:
        for name in zones:
            tz = chat_zone(name, default_tz)
            made = cache.get((commitment.id, tz.key))
            if made is None:
                view = known.view(commitment, tz)
                made = cache[(commitment.id, tz.key)] = Plan(
                    view, [] if view is None else milestone_plan(view, tz, offsets)
                )
            begins = commitment.alerts_from  # confirmed or re-dated then: what fell before is not owed late
            for milestone in made.milestones:
                if earliest is not None and milestone.at < earliest:
                    continue  # before anyone in scope subscribed: owed to nobody
                if begins is not None and milestone.at < begins:
                    continue
                plan_rows.append(PlanRow(commitment.id, milestone.slug, name, milestone.at))
                assert made.view is not None
                payloads.setdefault((commitment.id, milestone.slug), milestone_payload(milestone, made.view))

    alert_ids = await upsert_alerts(session, real_now, payloads, commitment_ids)
    result = ReconcileResult()
    # Order matters: move what exists first, then cancel what is no longer owed (incl. a date moved before the
    # subscription), and only then insert — new rows are owed by construction, so the cancel scans stay as small
    # as the pending rows that existed (none on a first run).
    chunks = [list(chunk) for chunk in batches(plan_rows, PLAN_CHUNK)]
    for chunk in chunks:
        result += await apply_plan(session, real_now, chunk, alert_ids, chat_ids, insert=False)
    result += await cancel_unplanned(session, real_now, plan_rows, alert_ids, zones, commitment_ids, chat_ids)
    result += await cancel_unsubscribed(session, real_now, commitment_ids, chat_ids)
    for chunk in chunks:
        result += await apply_plan(session, real_now, chunk, alert_ids, chat_ids, insert=True)
    return result
