"""What a story read to its end yields: its commitments, dated and counted by its reports, and the reports that
still stand once every promise's start is known.

These decisions look at the whole story (a swap's count comes from the handover told later; a breach told before
the halt's start waits for that start), so they run once, after the last sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from articles import promises
from articles.drafts import finish
from articles.model import Commitment, Report
from articles.temporal import to_date

if TYPE_CHECKING:
    from articles.discourse import Story

__all__ = ["breach_key", "commitments", "reports"]

_PAST_ACTS = frozenset({"prisoner_exchange", "release", "negotiations"})
_PAST_DUE_DAYS = 14  # a one-off act due this long before the publication is history (a pull-out's deadline is not)


def commitments(story: Story, told: Sequence[Report]) -> tuple[Commitment, ...]:
    """The story's promises, a one-off act without a day dated by its handover (``told``: the story's
    :func:`reports`), one long due dropped."""
    finished = finish(story.drafts, story.published)
    done = [r for r in told if r.kind == "fulfilment" and r.date is not None]
    dated = (
        replace(c, due=promises.due_when_done(story, d, done)) if c.due is None else c
        for d, c in zip(story.drafts, finished, strict=True)
    )
    kept = tuple(_counted(c, done) for c in dated if not _long_due(story, c))
    fulfilled = [r for r, _ in story.claims.items if r.kind == "fulfilment"]
    implied = promises.act_done(story, fulfilled, {c.kind for c in kept}) if story.screened else None
    lapsed = [r for r, _ in story.claims.items if r.kind == "expiry"]
    ended = promises.halt_lapsed(story, lapsed, {c.kind for c in kept}) if story.screened else None
    return tuple(c for c in (*kept, implied, ended) if c is not None)


def reports(story: Story) -> tuple[Report, ...]:
    """Reports in order; one that names no day happened, as far as the story tells, on its publication day."""
    day = to_date(story.published)
    return tuple(r for r in story.claims.dated(day) if not _before_start(story, r))


def breach_key(report: Report) -> tuple[object, ...]:
    """One breach claim, however many sentences tell it: what was broken, by whom, as whom tells it."""
    return (report.about, report.claimed_by, report.accused)


def _long_due(story: Story, commitment: Commitment) -> bool:
    """A swap, a release or talks that fell due weeks before the page ("FEBRUARY 5, 2025 - Each side frees 150
    prisoners" in a factbox) is the story's history, not a promise it tells of (an editor's line is meant)."""
    due, published = to_date(commitment.due), to_date(story.published)
    if not story.screened or commitment.kind not in _PAST_ACTS or due is None or published is None:
        return False
    if commitment.status != "in_force":
        return False  # what was promised stays a promise, whatever day a clause about the past lent it
    return (published - due).days > _PAST_DUE_DAYS


def _before_start(story: Story, report: Report) -> bool:
    """A breach dated before the promise it names began ("Moscow blames Ukrainian shelling for the damage of 23
    September", under a truce of 18 October) is a story of the war, not a claim that the promise was broken;
    an attack told before the story said when its halt began stands only once the story has said it, or when it
    happened on the day of a page that tells of the halt as standing ("the truce is in danger")."""
    if report.kind != "violation" or report.date is None:
        return False
    if not story.breaches.get(breach_key(report), True):
        began = [to_date(d.start or d.dated) for d in story.drafts if d.kind == report.about]
        known = [day for day in began if day is not None]
        if not known:
            return report.date != to_date(story.published)
        return report.date < min(known)
    starts = [to_date(d.start) for d in story.drafts if d.kind == report.about]
    return bool(starts) and None not in starts and report.date < min(s for s in starts if s is not None)


def _counted(commitment: Commitment, done: Sequence[Report]) -> Commitment:
    """A swap the story promised without a number ("the second exchange within weeks") counts the people its
    handover on the day it fell due brought home ("103 each returned on Saturday")."""
    if commitment.quantity is not None or commitment.kind != "prisoner_exchange":
        return commitment  # a release's count may be the other side's ("3 hostages for 369 prisoners")
    due = to_date(commitment.due)
    counts = {r.quantity for r in done if r.about == commitment.kind and r.date == due and r.quantity is not None}
    return replace(commitment, quantity=counts.pop()) if len(counts) == 1 else commitment
