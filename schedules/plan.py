"""The milestone plan: a pure function from a tracked commitment (and its reports) to the instants worth an alert.

Why the plan takes the chat's zone: articles often give only a day ("from 18 March for 30 days"). A day begins at
00:00 where the reader lives (as in :mod:`tracking.state`), so the same commitment has different instants for a
chat in Berlin and one in Kyiv; a plan is therefore made per zone (the scheduler groups chats by zone), and the
alert for "the halt lapses today" arrives at the start of the chat's own day. Values with a clock time and an
offset are the same instant everywhere. Day arithmetic ("3 days before", "halfway") runs on the wall clock of the
chat's zone, so a DST switch moves neither a reminder's clock time nor a day boundary.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from articles.model import ONE_OFF_KINDS, Moment
from tracking.model import ReportView, Tracked
from tracking.state import instant, local_day

MilestoneKey = Literal["start", "halfway", "before_end", "end", "due_before", "due", "overdue", "fulfilled"]

# Reminders repeat what another milestone says, so they give way when two fall on the same instant; the others
# are events in their own right and always stay (a fulfilment reported on the due day: "due" and "fulfilled").
_REMINDERS: frozenset[MilestoneKey] = frozenset({"halfway", "before_end", "due_before"})
# Order among milestones at the same instant, and which reminder stays when two collide.
_RANK: dict[MilestoneKey, int] = {
    "start": 0,
    "due": 1,
    "fulfilled": 2,
    "overdue": 3,
    "end": 4,
    "before_end": 5,
    "due_before": 6,
    "halfway": 7,
}


@dataclass(frozen=True, slots=True)
class Milestone:
    """One alert-worthy instant of one commitment.

    ``key`` plus ``days_before`` names it uniquely per commitment (the outbox key in schedules); ``at`` is aware UTC.
    ``extended`` is set on an "end" milestone when an extension was reported; ``delivered`` / ``promised`` carry the
    numbers of a "fulfilled" milestone, so a mismatch (23 promised, 22 handed over) can be shown.
    """

    commitment_id: int
    key: MilestoneKey
    at: datetime
    days_before: int | None = None
    extended: bool = False
    promised: int | None = None
    delivered: int | None = None

    @property
    def slug(self) -> str:
        return f"{self.key}-{self.days_before}" if self.days_before is not None else self.key


@dataclass(frozen=True)
class PlanOffsets:
    """How far ahead reminders go out (configurable in settings). Every offset is a whole number of days ≥ 1:
    0 would put a reminder on the event itself, and "overdue" on the due day is not yet overdue."""

    before_end_days: tuple[int, ...] = (3, 1)
    due_before_days: tuple[int, ...] = (1,)
    overdue_after_days: int = 1

    def __post_init__(self) -> None:
        if any(days < 1 for days in (*self.before_end_days, *self.due_before_days, self.overdue_after_days)):
            raise ValueError("milestone offsets are whole days of at least 1")


def _wall(value: datetime, tz: ZoneInfo) -> datetime:
    """The naive wall-clock reading of ``value`` in ``tz``, for day arithmetic that ignores DST jumps."""
    return value.astimezone(tz).replace(tzinfo=None)


def _utc(wall: datetime, tz: ZoneInfo) -> datetime:
    return wall.replace(tzinfo=tz).astimezone(UTC)


def _end_of(tracked: Tracked, tz: ZoneInfo) -> datetime | None:
    """The end as given, or start + duration (a 30-day halt from 18 March ends on 17 April, 00:00)."""
    if tracked.end is not None:
        return instant(tracked.end, tz)
    if tracked.start is not None and tracked.duration_days is not None:
        return _utc(_wall(instant(tracked.start, tz), tz) + timedelta(days=tracked.duration_days), tz)
    return None


def _first_fulfilment(reports: Sequence[ReportView]) -> ReportView | None:
    """The earliest dated fulfilment report (undated ones only when no dated one exists), ties by id."""
    fulfilments = [r for r in reports if r.kind == "fulfilment"]
    if not fulfilments:
        return None
    return min(fulfilments, key=lambda r: (r.date is None, r.date or date.min, r.id))


def _period(tracked: Tracked, tz: ZoneInfo, offsets: PlanOffsets) -> list[Milestone]:
    start = instant(tracked.start, tz) if tracked.start is not None else None
    end = _end_of(tracked, tz)
    plan: list[Milestone] = []
    if start is not None:
        plan.append(Milestone(tracked.id, "start", start.astimezone(UTC)))
    if end is not None:
        extended = any(r.kind == "extension" for r in tracked.reports)
        plan.append(Milestone(tracked.id, "end", end.astimezone(UTC), extended=extended))
        end_wall = _wall(end, tz)
        for days in offsets.before_end_days:
            plan.append(Milestone(tracked.id, "before_end", _utc(end_wall - timedelta(days=days), tz), days))
        if start is not None:
            start_wall = _wall(start, tz)
            plan.append(Milestone(tracked.id, "halfway", _utc(start_wall + (end_wall - start_wall) / 2, tz)))
    if start is not None:
        begins = start.astimezone(UTC)
        plan = [m for m in plan if m.at >= begins]  # nothing before the commitment comes into force
    return plan


def _one_off(tracked: Tracked, due_value: Moment, tz: ZoneInfo, offsets: PlanOffsets) -> list[Milestone]:
    due = instant(due_value, tz)
    due_wall = _wall(due, tz)
    plan = [Milestone(tracked.id, "due", due.astimezone(UTC))]
    for days in offsets.due_before_days:
        plan.append(Milestone(tracked.id, "due_before", _utc(due_wall - timedelta(days=days), tz), days))
    fulfilment = _first_fulfilment(tracked.reports)
    if fulfilment is None:
        overdue_day = local_day(due_value, tz) + timedelta(days=offsets.overdue_after_days)
        plan.append(Milestone(tracked.id, "overdue", instant(overdue_day, tz).astimezone(UTC)))
        return plan
    # An undated fulfilment report is placed on the due day: it happened, we only lack the day.
    done = instant(fulfilment.date, tz) if fulfilment.date is not None else due
    fulfilled = Milestone(
        tracked.id, "fulfilled", done.astimezone(UTC), promised=tracked.quantity, delivered=fulfilment.quantity
    )
    # Once handed over, "due tomorrow" and "due today" after that day would be stale news.
    return [m for m in plan if m.at <= fulfilled.at] + [fulfilled]


def _without_collisions(plan: list[Milestone]) -> list[Milestone]:
    """Sorted by time; a reminder that lands on the same instant as another milestone is dropped (a 3-day truce
    has no "3 days before": it would be the start)."""
    kept: list[Milestone] = []
    taken: set[datetime] = set()
    ordered = sorted(plan, key=lambda m: (m.key in _REMINDERS, m.at, _RANK[m.key], m.days_before or 0))
    for milestone in ordered:
        if milestone.key in _REMINDERS and milestone.at in taken:
            continue
        kept.append(milestone)
        taken.add(milestone.at)
    return sorted(kept, key=lambda m: (m.at, _RANK[m.key]))


def milestone_plan(tracked: Tracked, tz: ZoneInfo, offsets: PlanOffsets = PlanOffsets()) -> list[Milestone]:
    """The milestones of ``tracked`` for a chat in ``tz`` (see the module doc), sorted by time, ``at`` in UTC.

    A period (start and end, or start + duration): start, halfway, the ``before_end`` reminders, end (``extended``
    when an extension was reported); only a start known: just the start. A one-off act (an exchange, talks on a
    day) with a due date: the ``due_before`` reminders, due, and overdue ``overdue_after_days`` after the due day
    — or, when a fulfilment was reported, "fulfilled" on the report's day with the promised and delivered numbers.
    A proposed commitment (conditions not met yet) has no milestones until a source says it is agreed.
    """
    if tracked.status == "proposed":
        return []
    one_off = tracked.due is not None and (
        tracked.kind in ONE_OFF_KINDS or (tracked.start is None and tracked.end is None)
    )
    if one_off and tracked.due is not None:
        plan = _one_off(tracked, tracked.due, tz, offsets)
    else:
        plan = _period(tracked, tz, offsets)
    return _without_collisions(plan)


def next_milestone(plan: Sequence[Milestone], now: datetime) -> Milestone | None:
    """The first milestone strictly after ``now`` (aware), or None when all have passed. Strictly: a milestone
    firing at ``now`` is the current one, and asking again right after it fired must move on."""
    upcoming = [m for m in plan if m.at > now]
    return min(upcoming, key=lambda m: (m.at, _RANK[m.key]), default=None)


def replan(old: Sequence[Milestone], new: Sequence[Milestone], sent: Collection[str]) -> list[Milestone]:
    """What to schedule after a commitment's dates changed: the new plan without the slugs already sent.

    A milestone that went out is never sent again, even if its instant moved (the outbox key is the slug). ``old``
    does not change the answer; it is taken so the caller holds both plans and can cancel the jobs of
    ``{m.slug for m in old} - {m.slug for m in result}``, the milestones the new dates dropped.
    """
    return sorted((m for m in new if m.slug not in sent), key=lambda m: (m.at, _RANK[m.key]))
