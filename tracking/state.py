"""Where a commitment stands at a given moment: a pure function of the stored facts and the time asked about.

Date-only values mean 00:00 of that day in the reader's zone and naive datetimes are read in that zone, so the
same data gives the same answer for every reader in one zone, and a day boundary falls where that reader has it.

"Known at T": a status at T shows only what had been published by T, so a replay of a past day is not spoiled by
later news. A commitment appears once one of its sources is published; its dates, duration, quantity and status
are then those its known sources give (merged with the loader's own rule, :func:`tracking.merge.combine`, in
publication order; once every source is known, the stored merged values). Actors, scope and conditions stay as
stored: they name the commitment rather than describe its course. A report counts from its article's publication
(and, for the state, from the day it is about); a conflict counts once all its reports and articles are known.
A publication given as a day alone counts from that day's midnight in the reader's zone, like every other day.

The rule is written once, as :class:`_Rule` (one commitment, one set of field values, one zone). :func:`state_at`
evaluates it for one instant; :class:`Timeline` prepares it per known-source step so the /status list can ask
10,000 commitments for their state with a few comparisons each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from articles.model import ONE_OFF_KINDS, Moment
from tracking.corrections import as_commitment, keep_corrected
from tracking.merge import combine
from tracking.model import ConflictView, ReportView, SourceView, Tracked

State = Literal["proposed", "upcoming", "active", "lapsed", "due", "overdue", "fulfilled"]
STATES: tuple[State, ...] = ("proposed", "upcoming", "active", "lapsed", "due", "overdue", "fulfilled")
_DAY = dt.timedelta(days=1)
_UTC = dt.UTC
# Thresholds as aware UTC instants, so the hot comparisons need no None checks and no zone conversion.
_ALWAYS = dt.datetime.min.replace(tzinfo=_UTC)
_NEVER = dt.datetime.max.replace(tzinfo=_UTC)
_SETTLED_FLOOR = dt.datetime(1900, 1, 1, tzinfo=_UTC)
# The report kinds the state depends on (besides the reports a conflict rests on): storage's slim list query
# loads exactly these, so a rule that starts reading another kind must be added here.
STATE_REPORT_KINDS: frozenset[str] = frozenset({"fulfilment", "expiry"})
# Kinds that concern people handed over, so a quantity reads as a head count in titles.
# Most urgent first: what needs attention today, then what runs, then what is settled (lists, charts, the CLI).
URGENCY = {"overdue": 0, "due": 1, "active": 2, "upcoming": 3, "proposed": 4, "fulfilled": 5, "lapsed": 6}
PEOPLE_KINDS = frozenset({"prisoner_exchange", "release"})


class CommitmentState(NamedTuple):
    """The state at one moment; ``days_elapsed`` + 1 is "day N" of a running period.

    A named tuple rather than a dataclass: the /status list builds one per commitment per request.
    """

    state: State
    disputed: bool
    days_elapsed: int | None
    days_left: int | None


def instant(value: Moment, tz: ZoneInfo) -> dt.datetime:
    """An aware datetime: a day starts at its midnight in ``tz``; a naive time is read in ``tz``."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return dt.datetime(value.year, value.month, value.day, tzinfo=tz)


def local_day(value: Moment, tz: ZoneInfo) -> dt.date:
    """The day ``value`` falls on for a reader in ``tz``."""
    if isinstance(value, dt.datetime):
        return instant(value, tz).astimezone(tz).date()
    return value


def _utc(value: Moment, tz: ZoneInfo) -> dt.datetime:
    return instant(value, tz).astimezone(_UTC)


def _wall(value: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return value.astimezone(tz).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class When:
    """One instant as the rules read it in one zone; made once per request and shared by every commitment."""

    utc: dt.datetime
    wall: dt.datetime  # naive wall-clock time in the zone: days are counted on it, so DST loses no day
    today: dt.date

    @classmethod
    def of(cls, at: dt.datetime, tz: ZoneInfo) -> When:
        """``at`` (a naive one read in ``tz``) for readers in ``tz``."""
        utc = instant(at, tz).astimezone(_UTC)
        wall = _wall(utc, tz)
        return cls(utc, wall, wall.date())


def listed_from(report: ReportView, tz: ZoneInfo) -> dt.datetime:
    """When a report becomes known: its article's publication."""
    return _utc(report.source_published, tz)


def _counts_from(report: ReportView, tz: ZoneInfo) -> dt.datetime:
    """When a report starts to count for the state: published, and the day it is about has come."""
    published = listed_from(report, tz)
    return published if report.date is None else max(published, _utc(report.date, tz))


def _source_times(sources: Sequence[SourceView], tz: ZoneInfo) -> dict[int, dt.datetime]:
    return {s.article_id: _utc(s.published, tz) for s in sources}


def conflict_from(
    conflict: ConflictView,
    reports: Mapping[int, ReportView],
    sources: Mapping[int, dt.datetime],
    tz: ZoneInfo,
    *,
    for_state: bool = False,
) -> dt.datetime:
    """When a conflict becomes known: all its reports and all its articles published (``for_state``: and the days
    its claims are about have come). An article is placed by a source of the commitment or by one of the
    conflict's own reports (the conflict rules cite no others); one that cannot be placed is never known."""
    moments: list[dt.datetime] = []
    own: dict[int, dt.datetime] = {}
    for report_id in conflict.report_ids:
        report = reports.get(report_id)
        if report is None:
            return _NEVER
        published = listed_from(report, tz)
        own[report.article_id] = published
        moments.append(_counts_from(report, tz) if for_state else published)
    for article_id in conflict.article_ids:
        placed = sources.get(article_id, own.get(article_id))
        if placed is None:
            return _NEVER
        moments.append(placed)
    return max(moments, default=_ALWAYS)


@dataclass(frozen=True, slots=True)
class _Rule:
    """The state rule for one commitment with fixed field values, prepared for one zone: instants converted once,
    so :meth:`state` only compares. ``mode`` says which branch the dates allow."""

    mode: Literal["proposed", "due", "upcoming", "active", "period"]
    begins: dt.datetime | None
    ends: dt.datetime | None
    begins_wall: dt.datetime | None
    ends_wall: dt.datetime | None
    due_day: dt.date | None
    fulfilled_from: dt.datetime
    expired_from: dt.datetime
    disputed_from: dt.datetime

    @classmethod
    def of(cls, tracked: Tracked, tz: ZoneInfo) -> _Rule:
        fulfilled, expired = _NEVER, _NEVER
        for report in tracked.reports:
            if report.kind == "fulfilment":
                fulfilled = min(fulfilled, _counts_from(report, tz))
            elif report.kind == "expiry":
                expired = min(expired, _counts_from(report, tz))
        disputed = _NEVER
        if tracked.conflicts:
            by_id = {r.id: r for r in tracked.reports}
            sources = _source_times(tracked.sources, tz)
            for conflict in tracked.conflicts:
                disputed = min(disputed, conflict_from(conflict, by_id, sources, tz, for_state=True))
        start, end, due = tracked.start, tracked.end, tracked.due
        begins = _utc(start, tz) if start is not None else None
        ends = _utc(end, tz) if end is not None else None
        mode: Literal["proposed", "due", "upcoming", "active", "period"] = "period"
        if tracked.status == "proposed":
            mode = "proposed"
        elif start is None and end is None:
            # A one-off act without a day is still awaited; a period without dates counts as running.
            mode = "due" if due is not None else "upcoming" if tracked.kind in ONE_OFF_KINDS else "active"
        return cls(
            mode=mode,
            begins=begins,
            ends=ends,
            begins_wall=_wall(begins, tz) if begins is not None else None,
            ends_wall=_wall(ends, tz) if ends is not None else None,
            due_day=local_day(due, tz) if due is not None else None,
            fulfilled_from=fulfilled,
            expired_from=expired,
            disputed_from=disputed,
        )

    def settles(self, tz: ZoneInfo) -> dt.datetime:
        """The last instant at which ``state`` may change its state or ``days_left`` (``disputed`` aside); a list
        can keep the answer for every later instant. A reported fulfilment ends everything; an expiry is the
        last change unless the period's end (also "lapsed") comes first; a due day is followed by "overdue"."""
        if self.fulfilled_from != _NEVER:
            return self.fulfilled_from
        if self.mode == "proposed":
            return _ALWAYS
        expiry = self.expired_from if self.expired_from != _NEVER else None
        if self.mode == "period" and self.ends is not None:
            return min(self.ends, self.expired_from)
        if expiry is not None:
            return expiry
        if self.mode == "due":
            assert self.due_day is not None
            return _utc(self.due_day + _DAY, tz)
        return self.begins or _ALWAYS

    def state(self, when: When) -> CommitmentState:
        at = when.utc
        disputed = self.disputed_from <= at
        if self.fulfilled_from <= at:
            return CommitmentState("fulfilled", disputed, None, None)
        mode = self.mode
        if mode == "proposed":
            return CommitmentState("proposed", disputed, None, None)
        if self.expired_from <= at:
            return CommitmentState("lapsed", disputed, None, None)
        if mode == "due":
            assert self.due_day is not None
            today = when.today
            if today < self.due_day:
                return CommitmentState("upcoming", disputed, None, (self.due_day - today).days)
            if today == self.due_day:
                return CommitmentState("due", disputed, None, 0)
            return CommitmentState("overdue", disputed, None, None)
        if mode != "period":
            return CommitmentState(mode, disputed, None, None)
        if self.begins is not None and at < self.begins:
            return CommitmentState("upcoming", disputed, None, None)
        if self.ends is not None and at >= self.ends:
            return CommitmentState("lapsed", disputed, None, None)
        elapsed = (when.wall - self.begins_wall) // _DAY if self.begins_wall is not None else None
        left = (self.ends_wall - when.wall) // _DAY if self.ends_wall is not None else None
        return CommitmentState("active", disputed, elapsed, left)


def state_at(tracked: Tracked, at: dt.datetime, tz: ZoneInfo) -> CommitmentState:
    """The state of ``tracked`` at ``at`` (a naive ``at`` is read in ``tz``); see the module doc for days.

    Reports and conflicts count only once known at ``at``. The fields are taken as given: pass the view
    :func:`known_at` returns, so later sources do not change them either.
    """
    return _Rule.of(tracked, tz).state(When.of(at, tz))


def _source_order(tracked: Tracked, tz: ZoneInfo) -> list[tuple[dt.datetime, SourceView]]:
    return sorted(((_utc(s.published, tz), s) for s in tracked.sources), key=lambda pair: (pair[0], pair[1].article_id))


def _fields_from(tracked: Tracked, known: Sequence[SourceView]) -> Tracked:
    """``tracked`` with the dates, duration, quantity and status its ``known`` sources give (publication order),
    merged as the loader merges them; the fields an editor set keep the editor's values."""
    first = known[0]
    view = replace(
        tracked,
        start=first.start,
        end=first.end,
        due=first.due,
        duration_days=first.duration_days,
        quantity=first.quantity,
        status=first.status,
    )
    for source in known[1:]:
        view = combine(view, as_commitment(tracked, source))
    return keep_corrected(view, tracked)  # an editor's values hold from the first source on


def _published_by(published: Moment, now: dt.datetime, tz: ZoneInfo) -> bool:
    """``_utc(published, tz) <= now`` without converting an aware time (the common case, and /timeline asks it
    of every report)."""
    if isinstance(published, dt.datetime) and published.tzinfo is not None:
        return published <= now
    return _utc(published, tz) <= now


def known_at(tracked: Tracked, at: dt.datetime, tz: ZoneInfo) -> Tracked | None:
    """``tracked`` as it was known at ``at``, or None before its first source was published (see the module doc).

    A commitment without sources (never stored so, only built in tests) counts as always known.
    """
    now = When.of(at, tz).utc
    order = _source_order(tracked, tz)
    known = [source for published, source in order if published <= now]
    if order and not known:
        return None
    reports = tuple(r for r in tracked.reports if _published_by(r.source_published, now, tz))
    conflicts = tracked.conflicts
    if conflicts:
        by_id = {r.id: r for r in tracked.reports}
        sources = _source_times(tracked.sources, tz)
        conflicts = tuple(c for c in conflicts if conflict_from(c, by_id, sources, tz) <= now)
    complete = len(known) == len(order)
    if complete and len(reports) == len(tracked.reports) and len(conflicts) == len(tracked.conflicts):
        return tracked
    view = tracked if complete else _fields_from(tracked, known)
    kept = {s.article_id for s in known}
    return replace(
        view,
        sources=tuple(s for s in tracked.sources if s.article_id in kept),
        reports=reports,
        conflicts=conflicts,
    )


@dataclass(frozen=True, slots=True)
class Timeline:
    """A commitment's state as a function of time for readers in one zone: one prepared rule per step of
    known sources, so ``state`` is ``state_at(known_at(tracked, at, tz), at, tz)`` at the cost of a few
    comparisons (the /status list asks it of every commitment on every request)."""

    id: int
    steps: tuple[tuple[dt.datetime, _Rule], ...]
    # From ``settles`` on, ``state`` always gives ``settled`` (state and days_left; disputed may still change).
    settles: dt.datetime
    settled: tuple[State, int | None]

    @classmethod
    def of(cls, tracked: Tracked, tz: ZoneInfo) -> Timeline:
        order = _source_order(tracked, tz)
        if not order:
            return cls._of(tracked.id, ((_ALWAYS, _Rule.of(tracked, tz)),), tz)
        steps: list[tuple[dt.datetime, _Rule]] = []
        for index, (published, _) in enumerate(order):
            if index + 1 < len(order) and order[index + 1][0] == published:
                continue  # published at the same instant: both become known together
            last = index == len(order) - 1
            view = tracked if last else _fields_from(tracked, [s for _, s in order[: index + 1]])
            steps.append((published, _Rule.of(view, tz)))
        return cls._of(tracked.id, tuple(steps), tz)

    @classmethod
    def _of(cls, id: int, steps: tuple[tuple[dt.datetime, _Rule], ...], tz: ZoneInfo) -> Timeline:
        known_from, rule = steps[-1]
        settles = max(known_from, rule.settles(tz))
        # Evaluated where the zone conversion cannot overflow; the state is the same at any later instant.
        final = rule.state(When.of(max(settles, _SETTLED_FLOOR), tz))
        return cls(id, steps, settles, (final.state, final.days_left))

    def state(self, when: When) -> CommitmentState | None:
        """The state at ``when``, or None while no source is published yet."""
        at = when.utc
        steps = self.steps
        known_from, rule = steps[-1]
        if known_from <= at:  # the common case: every source already published
            return rule.state(when)
        for known_from, rule in reversed(steps[:-1]):
            if known_from <= at:
                return rule.state(when)
        return None


def title_fields(tracked: Tracked) -> dict[str, Any]:
    """What a title is worded from, as the status document names it: readers' titles are worded in their
    language from these (bot.display.title)."""
    return {
        "kind": tracked.kind,
        "actors": list(tracked.actors),
        "scope": tracked.scope,
        "duration_days": tracked.duration_days,
        "quantity": tracked.quantity,
        "headline": tracked.title,
    }


def title_of(tracked: Tracked) -> str:
    """A short generated headline such as "Russia: strike halt — energy infrastructure, 30 days"."""
    actors = ", ".join(tracked.actors) or "Unnamed parties"
    title = f"{actors}: {tracked.kind.replace('_', ' ')}"
    if tracked.scope:
        title += f" — {tracked.scope}"
    if tracked.duration_days is not None:
        title += f", {tracked.duration_days} day" + ("" if tracked.duration_days == 1 else "s")
    if tracked.quantity is not None:
        title += f", {tracked.quantity}" + (" people" if tracked.kind in PEOPLE_KINDS else "")
    return title
