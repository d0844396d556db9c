"""What a news article can plausibly state, and the screen that drops the rest with a reason.

A page that dates a truce to the year 9999, promises the release of ten billion people or a halt of 999,999 days
states nothing a reader could act on, and such values break what comes after (date arithmetic overflows, SQLite
refuses integers past 2**63, a chart cannot draw year 10000). Extraction drops them here, saying why; the
renderers clamp to the same range for anything an older database may still hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import TypeVar

from articles.model import Article, Commitment, Moment, Report, day_of, iso

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_DAYS",
    "MAX_QUANTITY",
    "clamp",
    "implausible_date",
    "note",
    "noting",
    "plausible_day",
    "screen",
]

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
MAX_DAYS = 3660  # ten years: anything longer is a misreading, not a truce
MAX_QUANTITY = 10_000_000  # more people than any exchange or release on record, by far

_FIRST = dt.datetime(FIRST_DAY.year, 1, 1, tzinfo=dt.UTC)
_LAST = dt.datetime(LAST_DAY.year, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
_Item = TypeVar("_Item", Commitment, Report)
# What the stages deep inside one extraction left out and why ("a year 9999", "999999 days"): they cannot return
# it through the values they produce, so they note it here and extract_text hands it on with the article.
_notes: ContextVar[list[str] | None] = ContextVar("plausible_notes", default=None)


@contextmanager
def noting() -> Iterator[list[str]]:
    """Collect the notes of the extraction run inside the block (nested runs keep their own)."""
    collected: list[str] = []
    token = _notes.set(collected)
    try:
        yield collected
    finally:
        _notes.reset(token)


def note(reason: str) -> None:
    """Record why a value was left out; a no-op outside :func:`noting` (a stage tested on its own)."""
    collected = _notes.get()
    if collected is not None and reason not in collected:
        collected.append(reason)


def plausible_day(day: dt.date) -> bool:
    """Whether a calendar day lies in 1900–2100 (a datetime is judged by the day its own wall clock shows)."""
    return FIRST_DAY <= day_of(day) <= LAST_DAY


def implausible_date(moment: Moment) -> str:
    """The reason a date is dropped, for the load output."""
    return f"{iso(moment)} is outside {FIRST_DAY.year}–{LAST_DAY.year}"


def clamp(moment: dt.datetime) -> dt.datetime:
    """An aware instant moved into 1900–2100 (UTC): what a chart or a calendar can still draw and compute with."""
    return min(max(moment, _FIRST), _LAST)


def _check_int(value: int | None, limit: int, what: str, notes: list[str]) -> int | None:
    if value is None or 0 <= value <= limit:
        return value
    notes.append(f"{what} {value:,} is over {limit:,}")
    return None


def _screen_item(item: _Item, kind: str, fields: tuple[str, ...], notes: list[str]) -> _Item:
    """``item`` with every implausible field set to None, one note per field dropped."""
    changes: dict[str, object] = {}
    for name in fields:
        value = getattr(item, name)
        if value is not None and not plausible_day(value):
            notes.append(f"{kind}: {name} {implausible_date(value)}")
            changes[name] = None
    limited: tuple[tuple[str, int, str], ...] = (("quantity", MAX_QUANTITY, "quantity"),)
    if isinstance(item, Commitment):
        limited += (("duration_days", MAX_DAYS, "duration in days"),)
    for name, limit, words in limited:
        value = getattr(item, name)
        if _check_int(value, limit, f"{kind}: {words}", notes) is None and value is not None:
            changes[name] = None
    return replace(item, **changes) if changes else item  # type: ignore[arg-type]


def screen(article: Article) -> Article:
    """``article`` without implausible dates, durations and quantities; ``notes`` say what went and why.

    Only the field goes: a truce dated to 9999 is still a truce, just one without a start.
    """
    notes: list[str] = list(article.notes)
    commitments = tuple(
        _screen_item(c, c.kind.replace("_", " "), ("start", "end", "due"), notes) for c in article.commitments
    )
    reports = tuple(
        _screen_item(r, f"{r.kind} report on the {r.about.replace('_', ' ')}", ("date",), notes)
        for r in article.reports
    )
    if len(notes) == len(article.notes):
        return article
    return replace(article, commitments=commitments, reports=reports, notes=tuple(notes))
