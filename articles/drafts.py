"""A commitment while an article is read: mentions merge into one draft, later ones only filling gaps, and the
finished drafts resolve what depends on each other (day numbers, anchored periods, ends from lengths)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import datetime, time, timedelta

from articles.model import ONE_OFF_KINDS, Commitment, Moment
from articles.plausible import MAX_DAYS
from articles.temporal import TimeMention, plus_days, to_date

__all__ = ["FIELDS", "HALTS", "Draft", "compatible", "fill", "finish", "first_time", "phases"]

FIELDS = ("scope", "start", "duration_days", "end", "due", "quantity")
MOMENTS = ("start", "end", "due")
HALTS: frozenset[str] = frozenset({"ceasefire", "strike_halt", "maritime_ceasefire"})


@dataclass(frozen=True, slots=True)
class Draft(Commitment):
    """A commitment while the article is read: its output fields, then bookkeeping that :func:`finish` resolves."""

    day_number: int | None = None  # "the 16th day": counted from the ceasefire's start, resolved at the end
    anchored: bool = False  # "within 60 days of the truce taking effect": starts with the ceasefire
    weight: int = -1  # filled fields of the evidence sentence; -1 when it did not name the kind
    hours: int | None = None  # a period given in hours ("a 36-hour truce"): the end follows from a clock start
    rough_end: bool = False  # the end was named roughly ("Ende Januar"): a stated length gives it exactly
    dated: Moment | None = None  # the day the agreement is dated ("on October 15 they agreed to a 48-hour truce")
    sided: str | None = None  # "one" for a unilateral halt, "both" for one signed with the other side; None: unsaid


def compatible(old: Draft, new: Draft, side: Callable[[str], str] = str) -> bool:
    """Same kind, no field that disagrees, and not two different sets of parties.

    ``side`` names the side of the story's conflict a party is on, so "Sudan" and "the Sudanese Armed Forces"
    (one side) are the same party here.
    """
    if old.kind != new.kind:
        return False
    mine, theirs = {side(a) for a in old.actors}, {side(a) for a in new.actors}
    if mine and theirs and (not mine & theirs or not (mine <= theirs or theirs <= mine)):
        return False  # Colombia with the ELN and Colombia with the EMC are two truces
    if _span_differs(old, new) or _span_differs(new, old):
        return False  # an Easter truce from Saturday 18:00 to Monday 00:00 and a 30-day truce proposed beside it
    if _proposed_length(old, new) or _proposed_length(new, old):
        return False  # "Kiew schlage vor, diese auf 30 Tage auszudehnen": a longer truce proposed, not the one made
    if _one_and_both(old, new) or _one_and_both(new, old):
        return False  # "the unilateral truce it declared after the earthquake" is not the ceasefire signed in January
    return all(_agree(getattr(old, name), getattr(new, name)) for name in FIELDS)


def _one_and_both(one: Draft, other: Draft) -> bool:
    """A halt one side calls its own against one it says was made with the other side."""
    return one.sided == "one" and other.sided == "both"


def _proposed_length(made: Draft, proposed: Draft) -> bool:
    """A length only proposed for a promise already made, which names none of its own."""
    return (
        made.status != "proposed"
        and proposed.status == "proposed"
        and made.duration_days is None
        and proposed.duration_days is not None
        and made.start is not None
    )


def _span_differs(period: Draft, other: Draft) -> bool:
    """A mention with both ends of its period against a length that period does not have."""
    if period.start is None or period.end is None or other.duration_days is None:
        return False
    start, end = to_date(period.start), to_date(period.end)
    return start is not None and end is not None and abs((end - start).days - other.duration_days) > 1


def _agree(old: object, new: object) -> bool:
    """Two mentions of one field agree when one is silent, both are equal, or one says the other more exactly: a
    time on the day the other names ("on Thursday" and "at midnight"), or a zone on the other's clock time ("at
    11:15" and "at 11:15 local time")."""
    if old is None or new is None or old == new:
        return True
    return _sharper(old, new) or _sharper(new, old)


def _sharper(vague: object, moment: object) -> bool:
    """Whether ``moment`` says ``vague`` more exactly: a time on the bare day, or the bare clock time in a zone."""
    if not isinstance(moment, datetime):
        return False
    if not isinstance(vague, datetime):
        return to_date(moment) == vague
    return vague.tzinfo is None and moment.tzinfo is not None and moment.replace(tzinfo=None) == vague


def fill(old: Draft, new: Draft) -> Draft:
    """Gaps of the earlier mention filled by the later; the evidence is the mention that says the most."""
    changes: dict[str, object] = {
        name: getattr(new, name)
        for name in (*FIELDS, "day_number", "hours", "dated", "sided")
        if getattr(old, name) is None or (name in MOMENTS and _sharper(getattr(old, name), getattr(new, name)))
    }
    if not old.actors or (old.kind == "negotiations" and set(old.actors) < set(new.actors)):
        changes["actors"] = new.actors  # talks "with the US" said first are talks between all the sides
    if not old.conditions:
        changes["conditions"] = new.conditions
    if new.weight > old.weight:
        changes["evidence"] = new.evidence
        changes["weight"] = new.weight
        if old.weight <= 0 and len(new.actors) >= len(old.actors):
            changes["actors"] = new.actors  # the mention that states terms names as many parties, more exactly
    changes["anchored"] = old.anchored or new.anchored
    if old.end is None:
        changes["rough_end"] = new.rough_end
    return replace(old, **changes)  # type: ignore[arg-type]


def phases(draft: Draft, times: list[TimeMention]) -> list[Draft]:
    """ "Armenia returns Kalbajar by 15 November, Agdam by 20 November and Lachin by 1 December": a withdrawal
    with several deadlines in one sentence is one withdrawal per deadline."""
    ends = [t.moment for t in times if t.role == "end" and t.moment is not None]
    if draft.kind != "withdrawal" or len(ends) < 2:
        return [draft]
    return [replace(draft, end=end) for end in dict.fromkeys(ends)]


def first_time(times: list[TimeMention], *wanted: str) -> TimeMention | None:
    """The first mention with the most wanted role: the roles are tried in order of preference."""
    for role in wanted:
        for mention in times:
            if mention.role == role:
                return mention
    return None


def finish(drafts: list[Draft], published: Moment) -> tuple[Commitment, ...]:
    """Resolve day numbers and anchored periods against the ceasefire's start; end = start + duration.

    A halt agreed, ordered or in force with no start of its own begins on the day the story dates the agreement;
    with a length but no such day, on the day it was reported. A withdrawal by a day with no start of its own falls
    due on that day.
    """
    anchor = next((d.start for d in drafts if d.start is not None and d.kind not in ONE_OFF_KINDS), None)
    out: list[Commitment] = []
    for draft in drafts:
        due, start = draft.due, draft.start
        if due is None and draft.day_number is not None and anchor is not None:
            due = to_date(plus_days(anchor, draft.day_number - 1))  # day 1 is the first day
        if start is None and draft.anchored:
            start = anchor
        if (
            start is None
            and draft.kind in HALTS
            and draft.status != "proposed"
            and (draft.duration_days or draft.hours)
            and draft.end is None
        ):
            start = to_date(draft.dated or published)
        elif start is None and draft.kind in HALTS and draft.status != "proposed" and draft.dated and draft.end is None:
            start = to_date(draft.dated)  # agreed on a day the story names, with no start of its own: began then
        end = draft.end
        if (end is None or draft.rough_end) and start is not None and draft.duration_days:
            end = plus_days(start, draft.duration_days)
        if end is None and isinstance(start, datetime) and draft.hours and not draft.duration_days:
            end = start + timedelta(hours=draft.hours)  # "a 36-hour truce from noon on Friday"
        if draft.kind == "withdrawal" and due is None and end is not None and not draft.anchored:
            # "the troops leave by 15 September": the day the pull-out falls due is the day it must end, whenever it
            # began; "within 60 days of the truce taking effect" is a period of the truce's, with no day of its own
            due = end
        terms = {f.name: getattr(draft, f.name) for f in fields(Commitment)}
        days = draft.duration_days if draft.duration_days is not None else _whole_days(start, end)
        out.append(Commitment(**(terms | {"start": start, "end": end, "due": due, "duration_days": days})))
    return tuple(out)


def _whole_days(start: Moment | None, end: Moment | None) -> int | None:
    """ "From midnight on 10 March until midnight on 15 March": a period told by its two ends is as long as the days
    between them, when it ends at a midnight (or at the clock time it began); an end told as a day alone may be its
    last day or the day after, and tells no length."""
    if start is None or not isinstance(end, datetime):
        return None
    if end.time() != (start.time() if isinstance(start, datetime) else time(0)):
        return None
    first = to_date(start)
    days = (end.date() - first).days if first is not None else 0
    return days if 0 < days <= MAX_DAYS else None
