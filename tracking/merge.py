"""When two articles describe the same commitment, how their fields combine, and where a report belongs.

Pure functions over :class:`~tracking.model.Tracked`; the loader feeds them candidates and writes the outcome.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Protocol

from articles.model import ONE_OFF_KINDS, Commitment, Moment
from tracking.corrections import keep_corrected
from tracking.model import Tracked, day_of

# Sources of one period commitment may count its start differently ("from March 18" vs. "from March 25"): they
# still describe the same halt, and the difference becomes a date_disagreement conflict instead of a second row.
START_TOLERANCE_DAYS = 14
# One-off acts (an exchange "on Wednesday") are pinned tighter: a week later it is another exchange.
DUE_TOLERANCE_DAYS = 3
# How far outside a commitment's period or due day a report from another article may be dated and still refer
# to it (reactions come before the start, expiry notes after the end).
REPORT_MARGIN_DAYS = 14
# A commitment reported without dates is placed at the day it was reported on, give or take this much.
MENTION_TOLERANCE_DAYS = 14

STATUS_RANK: dict[str, int] = {"proposed": 0, "announced": 1, "agreed": 1, "in_force": 2}


class ReportLike(Protocol):
    """What linking needs from a report: both fresh extractions and stored reports provide it."""

    @property
    def about(self) -> str: ...

    @property
    def accused(self) -> Sequence[str]: ...

    @property
    def claimed_by(self) -> str | None: ...

    @property
    def date(self) -> dt.date | None: ...


def normalise_scope(scope: str | None) -> str | None:
    """Lower-case words only, so "Energy infrastructure." and "energy  infrastructure" compare equal."""
    if scope is None:
        return None
    words = re.findall(r"\w+", scope.casefold())
    return " ".join(words) or None


def days_apart(a: Moment, b: Moment) -> int:
    """Whole calendar days between the days two moments name."""
    return abs((day_of(a) - day_of(b)).days)


def _overlap(a: Iterable[str], b: Iterable[str]) -> int:
    return len(set(a) & set(b))


def _length_days(duration: int | None, start: Moment | None, end: Moment | None) -> float | None:
    """The stated duration, or the one start and end imply (the Easter truce: 30 hours, not 30 days)."""
    if duration is not None:
        return float(duration)
    if start is None or end is None:
        return None
    if (
        isinstance(start, dt.datetime)
        and isinstance(end, dt.datetime)
        and (start.tzinfo is None) == (end.tzinfo is None)
    ):
        return (end - start) / dt.timedelta(days=1)
    return float((day_of(end) - day_of(start)).days)


def _dated(kind: str, start: Moment | None, end: Moment | None, due: Moment | None) -> bool:
    return due is not None if kind in ONE_OFF_KINDS else start is not None or end is not None


def _fits(day: dt.date, kind: str, start: Moment | None, end: Moment | None, due: Moment | None) -> bool:
    """Whether a commitment mentioned on ``day`` without dates can be the one with these dates."""
    if kind in ONE_OFF_KINDS:
        return due is None or abs((day - day_of(due)).days) <= MENTION_TOLERANCE_DAYS
    if start is not None and (day_of(start) - day).days > MENTION_TOLERANCE_DAYS:
        return False
    return end is None or (day - day_of(end)).days <= MENTION_TOLERANCE_DAYS


def is_same(tracked: Tracked, new: Commitment, published: Moment | None = None) -> bool:
    """Whether ``new`` (from an article published at ``published``) describes ``tracked``.

    Same kind, shared actors, compatible scope and length; starts (due days for one-off acts) close together.
    When one side names no date, the day it was reported on stands in for it, so "the 30-day ceasefire Trump
    proposed" in March and the Easter truce in April stay apart.
    """
    if tracked.kind != new.kind:
        return False
    if tracked.actors and new.actors and not _overlap(tracked.actors, new.actors):
        return False
    scope_a, scope_b = normalise_scope(tracked.scope), normalise_scope(new.scope)
    if scope_a is not None and scope_b is not None and scope_a != scope_b:
        return False
    if new.kind in ONE_OFF_KINDS:
        if tracked.due is not None and new.due is not None:
            return days_apart(tracked.due, new.due) <= DUE_TOLERANCE_DAYS
    else:
        stated = (tracked.duration_days, new.duration_days)
        if None not in stated and stated[0] != stated[1]:
            return False
        # A length implied by start and end may be off by the hours of a start "at 6 pm".
        length_a = _length_days(tracked.duration_days, tracked.start, tracked.end)
        length_b = _length_days(new.duration_days, new.start, new.end)
        if length_a is not None and length_b is not None and abs(length_a - length_b) > 1:
            return False
        if tracked.start is not None and new.start is not None:
            return days_apart(tracked.start, new.start) <= START_TOLERANCE_DAYS
        if tracked.end is not None and new.end is not None:
            return days_apart(tracked.end, new.end) <= START_TOLERANCE_DAYS
    if published is None or not tracked.sources:
        return True
    mentioned = day_of(published)
    mentions = [day_of(s.published) for s in tracked.sources]
    tracked_dated = _dated(tracked.kind, tracked.start, tracked.end, tracked.due)
    new_dated = _dated(new.kind, new.start, new.end, new.due)
    if tracked_dated and not new_dated:
        return _fits(mentioned, tracked.kind, tracked.start, tracked.end, tracked.due)
    if new_dated and not tracked_dated:
        return any(_fits(day, new.kind, new.start, new.end, new.due) for day in mentions)
    if not tracked_dated and not new_dated:
        return any(abs((day - mentioned).days) <= MENTION_TOLERANCE_DAYS for day in mentions)
    return True


def _date_distance(tracked: Tracked, new: Commitment) -> int:
    """Distance of the most telling date both sides have: the start, else the due day, else the end."""
    pairs = ((tracked.start, new.start), (tracked.due, new.due), (tracked.end, new.end))
    return next((days_apart(a, b) for a, b in pairs if a is not None and b is not None), 0)


def find_match(candidates: Sequence[Tracked], new: Commitment, published: Moment | None = None) -> Tracked | None:
    """The tracked commitment ``new`` repeats, preferring more shared actors, then the closest dates."""
    matches = [t for t in candidates if is_same(t, new, published)]
    if not matches:
        return None
    return max(
        matches,
        key=lambda t: (
            _overlap(t.actors, new.actors),
            normalise_scope(t.scope) == normalise_scope(new.scope),
            -_date_distance(t, new),
            -t.id,
        ),
    )


def stronger_status(a: str, b: str) -> str:
    """Status only moves forward: proposed < announced/agreed < in_force; on a tie the first one stays."""
    return b if STATUS_RANK.get(b, 0) > STATUS_RANK.get(a, 0) else a


def _union(a: Sequence[str], b: Sequence[str]) -> tuple[str, ...]:
    seen = {x.casefold() for x in a}
    extra = []
    for item in b:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            extra.append(item)
    return (*a, *extra)


def combine(tracked: Tracked, new: Commitment, *, earliest: bool = False) -> Tracked:
    """``tracked`` with the gaps ``new`` can fill; the first source's dates stay (each source keeps its own), and
    so does every value an editor set (``Tracked.corrected``), whatever ``new`` says.

    "First" is the first published, not the first loaded: with ``earliest`` (``new`` was published before every
    source so far) its values, parties and conditions come first, as they would had it been loaded first. The
    same articles then give the same commitment in any load order (a halt counted from 18 March by the first
    reports stays so when a later article that counts it from 25 March happened to be loaded before them).
    """
    a, b = (new, tracked) if earliest else (tracked, new)  # a's values win, b fills the gaps
    start = a.start if a.start is not None else b.start
    duration = a.duration_days if a.duration_days is not None else b.duration_days
    end = a.end
    if end is None:
        # Derive from the kept start when we can, so another source's differing start does not skew the end.
        end = start + dt.timedelta(days=duration) if start is not None and duration is not None else b.end
    combined = replace(
        tracked,
        actors=_union(a.actors, b.actors),
        scope=a.scope if a.scope is not None else b.scope,
        conditions=_union(a.conditions, b.conditions),
        start=start,
        end=end,
        due=a.due if a.due is not None else b.due,
        duration_days=duration,
        quantity=a.quantity if a.quantity is not None else b.quantity,
        status=stronger_status(tracked.status, new.status),
    )
    return keep_corrected(combined, tracked)


def report_distance(tracked: Tracked, when: dt.date) -> int | None:
    """Days between ``when`` and the commitment's period or due day (0 inside); for a commitment without dates
    the days it was reported on stand in. None when nothing places it in time."""
    distances: list[int] = []
    if tracked.due is not None:
        distances.append(abs((when - day_of(tracked.due)).days))
    if tracked.start is not None or tracked.end is not None:
        before = (day_of(tracked.start) - when).days if tracked.start is not None else 0
        after = (when - day_of(tracked.end)).days if tracked.end is not None else 0
        distances.append(max(before, after, 0))
    if not distances:
        distances = [abs((when - day_of(s.published)).days) for s in tracked.sources]
    return min(distances) if distances else None


def link_report(
    report: ReportLike, article_id: int, published: Moment, candidates: Sequence[Tracked]
) -> Tracked | None:
    """The commitment a report is about, or None.

    A commitment from the report's own article comes first. Otherwise the kind must match, the report's date
    (the publication day when it has none) must fall inside or near the period or due day, and the accused or
    the claimant must be among the actors: that is how "the moratorium Putin ordered on Tuesday" finds its way.
    A report that accuses nobody and comes from an outside party ("Kyiv says 22 soldiers came home" about a
    Russian handover) links only when exactly one commitment of that kind fits the date.
    """
    when = report.date if report.date is not None else day_of(published)
    parties = set(report.accused) | ({report.claimed_by} if report.claimed_by else set())
    best: tuple[tuple[bool, int, int, int], Tracked] | None = None
    outsiders: list[Tracked] = []
    for tracked in candidates:
        if tracked.kind != report.about:
            continue
        same_article = any(source.article_id == article_id for source in tracked.sources)
        overlap = _overlap(parties, tracked.actors)
        distance = report_distance(tracked, when)
        if not same_article:
            if distance is not None and distance > REPORT_MARGIN_DAYS:
                continue
            if parties and tracked.actors and not overlap:
                if not report.accused:
                    outsiders.append(tracked)
                continue
        score = (same_article, -(distance or 0), overlap, tracked.id)
        if best is None or score > best[0]:
            best = (score, tracked)
    if best is None and len(outsiders) == 1:
        return outsiders[0]
    return None if best is None else best[1]


def better_link(
    report: ReportLike, article_id: int, published: Moment, current: Tracked | None, candidates: Sequence[Tracked]
) -> Tracked | None:
    """One of ``candidates`` that fits a report linked to ``current`` strictly better, or None (it stays).

    A report is reconsidered only when its commitment was not in force on its day (a report inside the period, or
    from the commitment's own article, is where it belongs); it moves to a candidate that :func:`link_report`
    prefers over ``current`` and that lies nearer its day. Ties stay where they are, so a later load never moves a
    report on a coin toss.
    """
    if current is None or any(source.article_id == article_id for source in current.sources):
        return None
    when = report.date if report.date is not None else day_of(published)
    distance = report_distance(current, when)
    if not distance:  # in force on its day (0), or nothing places the commitment in time (None)
        return None
    others = [t for t in candidates if t.id != current.id]
    best = link_report(report, article_id, published, [current, *others])
    if best is None or best.id == current.id:
        return None
    nearer = report_distance(best, when)
    return best if nearer is not None and nearer < distance else None
