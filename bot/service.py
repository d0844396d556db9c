"""What the handlers ask of the stored data, as plain values: the status items, pages, plans.

Handlers stay thin (parse → ask here → render with bot.display). Everything is shown as known at the bot's clock
(:func:`tracking.status.known_items`), so a replay does not show what was published later.

The /status list is the hot path: with 10,000 commitments and 100,000 reports, loading them all and rendering
each would take seconds. It orders slim :class:`~tracking.state.Timeline` values instead (the same state rule,
prepared once per zone: a request then costs a few comparisons per commitment), and loads the full views of the
eight commitments on the page only. The prepared timelines are cached per database; every request first reads the
data version (one indexed lookup per table), so a `ceasefire-watch load` in another process, or an admin upload
in this one, is seen by the next request, which prepares again only the commitments whose rows changed.
"""

from __future__ import annotations

import asyncio
import bisect
import functools
import logging
import math
import weakref
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from articles.model import parse_moment
from bot.context import Deps
from bot.i18n import Ctx
from bot.keyboards import PAGE_SIZE
from schedules.plan import Milestone, milestone_plan, next_milestone
from storage.queries import (
    Counts,
    DataVersion,
    StateRows,
    UnknownCommitment,
    data_version,
    read_state,
    state_view,
    tracked,
)
from tracking.model import UNCONFIRMED, Tracked
from tracking.state import URGENCY, Timeline, When
from tracking.status import known_items

log = logging.getLogger(__name__)
Item = dict[str, Any]
# Zones whose prepared timelines are kept at once (each is one Timeline per commitment).
_ZONES_KEPT = 8


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Mapping[str, Any]]
    page: int
    pages: int
    total: int


@dataclass(slots=True)
class _Index:
    """What is cached for one database: the timelines per zone (least recently used zone dropped), and the read
    they were prepared from (its version, its counts, a digest of each commitment's state rows); the full views
    of commitments asked for in detail, for ``version`` only. The slim views are not kept (twice the memory of
    one zone's timelines)."""

    version: DataVersion | None = None  # the data version seen last: the full views are of it
    zones: dict[str, Prepared] = field(default_factory=dict)
    read: tuple[DataVersion, Counts] | None = None  # of the read the zones are up to date with
    digests: dict[int, int] = field(default_factory=dict)
    full: dict[int, Tracked] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


_indexes: weakref.WeakKeyDictionary[async_sessionmaker[AsyncSession], _Index] = weakref.WeakKeyDictionary()
# Full views kept per data version (a page needs 8; detail views add one each).
_FULL_KEPT = 512


async def _current(sessions: async_sessionmaker[AsyncSession]) -> _Index:
    """The cache of ``sessions``' database, its full views dropped when the data version moved (call with its lock
    held)."""
    index = _indexes.setdefault(sessions, _Index())
    version = await data_version(sessions)
    if version != index.version:
        index.version = version
        index.full.clear()
    return index


async def timelines(sessions: async_sessionmaker[AsyncSession], tz: ZoneInfo) -> Prepared:
    """Every commitment's timeline for readers in ``tz``, fresh for the data as stored now.

    After a load (in any process) only the commitments it may have changed are read again
    (:func:`storage.queries.read_state`), and of those only the ones whose state rows differ (by digest) get new
    views and timelines: preparing all 10,000 is most of what a request after a change used to cost.
    """
    lock = _indexes.setdefault(sessions, _Index()).lock
    async with lock:
        index = await _current(sessions)
        prepared = index.zones.pop(tz.key, None)
        if prepared is not None:
            index.zones[tz.key] = prepared  # (re)inserted last: the most recently used
            if index.read is not None and index.read[0] == index.version:
                return prepared
        # A zone not prepared yet needs every commitment; otherwise only what changed since the last read.
        read = await read_state(sessions, index.read if prepared is not None else None)
        if read.version != index.version:  # a load committed since the version was looked at: it is read here
            index.version = read.version
            index.full.clear()
        digests = {cid: hash(rows) for cid, rows in read.rows.items()}
        if read.touched is None:
            changed = {cid for cid, digest in digests.items() if index.digests.get(cid) != digest}
            changed.update(index.digests.keys() - digests.keys())
            index.digests = digests
        else:
            changed = {cid for cid in read.touched if index.digests.get(cid) != digests.get(cid)}
            for cid in read.touched:
                if cid in digests:
                    index.digests[cid] = digests[cid]
                else:
                    index.digests.pop(cid, None)
        if changed and index.zones:
            views = {cid: state_view(read.rows[cid]) for cid in changed if cid in read.rows}
            for key, other in index.zones.items():
                index.zones[key] = other.patched(changed, views, ZoneInfo(key))
        index.read = (read.version, read.counts)
        prepared = index.zones.get(tz.key)
        if prepared is None:
            assert read.touched is None  # a zone not cached: everything was read
            prepared = Prepared.consuming(read.rows, tz)
            if len(index.zones) >= _ZONES_KEPT:
                index.zones.pop(next(iter(index.zones)))
            index.zones[tz.key] = prepared
        return prepared


async def warm(deps: Deps) -> None:
    """Prepare the list for the default zone before the bot takes updates, so the first /status after a start is
    answered from it instead of reading every commitment while the first reconcile runs. Never fatal: a request
    prepares what is missing."""
    try:
        await timelines(deps.sessions, ZoneInfo(deps.settings.default_timezone))
    except Exception:  # a database that is not there yet, say: the first request will tell
        log.warning("could not prepare the status list ahead of the first request", exc_info=True)


async def full_views(sessions: async_sessionmaker[AsyncSession], ids: Sequence[int]) -> list[Tracked]:
    """The full views of ``ids`` (in id order), from the cache while the data version holds; raises
    UnknownCommitment for ids not stored."""
    lock = _indexes.setdefault(sessions, _Index()).lock
    async with lock:
        index = await _current(sessions)
        missing = sorted(set(ids) - index.full.keys())
        if missing:
            if len(index.full) + len(missing) > _FULL_KEPT:
                index.full.clear()
            index.full.update((t.id, t) for t in await tracked(sessions, missing))
        return [index.full[i] for i in sorted(set(ids))]


async def items(deps: Deps, ctx: Ctx, ids: Sequence[int] | None = None) -> tuple[list[Tracked], list[Item]]:
    """Commitments known at the bot's clock, as known then, and their status items, in the chat's zone.

    Raises UnknownCommitment for ids not stored; ids stored but not yet known at the clock are left out, and so
    are those waiting for review (they are for admins' /status only, not charts, calendars or lists).
    """
    found = [t for t in await tracked(deps.sessions, ids) if t.review != UNCONFIRMED]
    pairs = known_items(found, deps.clock.now(), ctx.tz)
    return [view for view, _ in pairs], [item for _, item in pairs]


def _urgency(state: str, days_left: int | None, commitment_id: int) -> tuple[int, int, int]:
    """The list's sort key, as :func:`bot.display.ordered` sorts items (a test checks they agree)."""
    return (URGENCY.get(state, 9), days_left if days_left is not None else 10**6, commitment_id)


@dataclass(slots=True)
class Prepared:
    """The timelines of one data version for one zone, ordered by when each one's course is over
    (``Timeline.settles``), with each one's settled sort key; ``_sorted`` keeps the sorted keys of the last
    settled prefix, which stays valid until another commitment settles."""

    timelines: list[Timeline]
    settles: list[datetime]
    keys: list[tuple[int, int, int]]
    _sorted: tuple[int, list[tuple[int, int, int]]] = (0, [])
    unconfirmed: frozenset[int] = frozenset()  # waiting for review: listed for admins only

    @classmethod
    def of(cls, views: Sequence[Tracked], tz: ZoneInfo) -> Prepared:
        waiting = frozenset(view.id for view in views if view.review == UNCONFIRMED)
        return cls._sorted_from([Timeline.of(view, tz) for view in views], waiting)

    @classmethod
    def consuming(cls, rows: dict[int, StateRows], tz: ZoneInfo) -> Prepared:
        """The timelines of every commitment in ``rows``, which are emptied on the way: each one's rows and view
        are let go as soon as its timeline is made, so 10,000 views never sit in memory at once (the peak stays
        as low as the process's resident size after it)."""
        parse = functools.lru_cache(maxsize=1 << 16)(parse_moment)  # dates repeat: share the parsed ones
        made: list[Timeline] = []
        waiting: set[int] = set()
        for cid in list(rows):
            view = state_view(rows.pop(cid), parse)
            if view.review == UNCONFIRMED:
                waiting.add(cid)
            made.append(Timeline.of(view, tz))
        return cls._sorted_from(made, frozenset(waiting))

    @classmethod
    def _sorted_from(cls, made: list[Timeline], waiting: frozenset[int]) -> Prepared:
        made.sort(key=lambda t: t.settles)
        return cls(made, [t.settles for t in made], [_urgency(*t.settled, t.id) for t in made], unconfirmed=waiting)

    def patched(self, changed: Collection[int], views: Mapping[int, Tracked], tz: ZoneInfo) -> Prepared:
        """These timelines with those of ``changed`` commitments made again from ``views`` (a changed id without
        a view is gone: no longer in a state the list shows). The others' sort keys are kept, not made again:
        10,000 new tuples a request would soon make the garbage collector scan the whole heap."""
        pairs = [(t, key) for t, key in zip(self.timelines, self.keys, strict=True) if t.id not in changed]
        for view in views.values():
            timeline = Timeline.of(view, tz)
            pairs.append((timeline, _urgency(*timeline.settled, timeline.id)))
        pairs.sort(key=lambda pair: pair[0].settles)
        made = [t for t, _ in pairs]
        waiting = (self.unconfirmed - frozenset(changed)) | {v.id for v in views.values() if v.review == UNCONFIRMED}
        return Prepared(made, [t.settles for t in made], [key for _, key in pairs], unconfirmed=frozenset(waiting))

    def settled_keys(self, count: int) -> list[tuple[int, int, int]]:
        if self._sorted[0] != count or count == 0:
            self._sorted = (count, sorted(self.keys[:count]))
        return self._sorted[1]


def ordered_ids(prepared: Prepared, at: datetime, tz: ZoneInfo) -> list[int]:
    """Ids of the commitments known at ``at``, most urgent first. Those whose course is over keep their settled
    key (sorted once per set of settled ones); only the running ones are evaluated."""
    when = When.of(at, tz)
    settled = bisect.bisect_right(prepared.settles, when.utc)
    running: list[tuple[int, int, int]] = []
    for timeline in prepared.timelines[settled:]:
        current = timeline.state(when)
        if current is not None:
            running.append(_urgency(current.state, current.days_left, timeline.id))
    running.sort()
    keys = prepared.settled_keys(settled) + running
    keys.sort()  # two sorted runs: one linear merge
    return [key[2] for key in keys]


async def status_page(deps: Deps, ctx: Ctx, page: int, *, admin: bool = False) -> Page:
    """One page of the status list, most urgent first; a page past the end shows the last one. Commitments that
    wait for review are listed for an ``admin`` only (marked as such by bot.display)."""
    now = deps.clock.now()
    prepared = await timelines(deps.sessions, ctx.tz)
    order = ordered_ids(prepared, now, ctx.tz)
    if not admin and prepared.unconfirmed:
        order = [i for i in order if i not in prepared.unconfirmed]
    pages = max(1, math.ceil(len(order) / PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    wanted = order[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    # Only stored data is read, and nothing deletes it, so the ids are all there.
    by_id = {int(item["id"]): item for _, item in known_items(await full_views(deps.sessions, wanted), now, ctx.tz)}
    return Page([by_id[i] for i in wanted if i in by_id], page, pages, len(order))


async def detail(
    deps: Deps, ctx: Ctx, commitment_id: int, *, admin: bool = False
) -> tuple[Item, Milestone | None] | None:
    """One commitment's item and its next milestone, or None when the id is unknown (or not yet known then, or
    waiting for review and the reader no ``admin``)."""
    try:
        found = await full_views(deps.sessions, [commitment_id])
    except UnknownCommitment:
        return None
    if not admin and found[0].review == UNCONFIRMED:
        return None
    now = deps.clock.now()
    pairs = known_items(found, now, ctx.tz)
    if not pairs:
        return None
    view, item = pairs[0]
    plan = milestone_plan(view, ctx.tz, deps.offsets)
    return item, next_milestone(plan, now)


async def plans(
    deps: Deps, ctx: Ctx, ids: Sequence[int] | None = None
) -> tuple[list[Item], dict[int, list[Milestone]]]:
    """Status items and milestone plans of the commitments known at the bot's clock (as known then)."""
    found, found_items = await items(deps, ctx, ids)
    return found_items, {t.id: milestone_plan(t, ctx.tz, deps.offsets) for t in found}
