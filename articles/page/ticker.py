"""A live blog's entries: the moment each paragraph was written, so that "today" or "am heutigen Samstag" in an
entry counts from that entry and not from the page's last update.

A page is a ticker when at least three of its lines open with an entry stamp ("07:12 Uhr – …", "14:05 GMT", a
clock alone on its line). An entry's day is the last day heading above it ("Samstag, 22. Februar"); without
headings it is worked out from the order of the stamps: newest first (the common case) or oldest first, a
stamp later than the one before it (in reading order, against that order) crossing a midnight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from articles.model import Moment, day_of
from articles.page.dates import clock_of

__all__ = ["Entry", "is_ticker", "moments"]

_MIN_ENTRIES = 3

Clock = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Entry:
    """What stands above a paragraph: the entry it belongs to (its number and stamp) and the last day heading."""

    number: int  # -1: above the first entry (the page's lead)
    clock: Clock | None
    heading_day: date | None


def is_ticker(lines: Sequence[str | None]) -> bool:
    """Enough lines open with an entry stamp to read the page as a live blog."""
    count = 0
    for line in lines:
        if line and clock_of(line) is not None:
            count += 1
            if count >= _MIN_ENTRIES:
                return True
    return False


def moments(entries: Sequence[Entry], published: Moment) -> list[Moment | None]:
    """The moment of each paragraph's entry (None above the first entry): its day and, when the publication
    has a clock, its time in the publication's zone."""
    published_day = day_of(published)
    stamps: dict[int, Clock] = {e.number: e.clock for e in entries if e.number >= 0 and e.clock is not None}
    days = _days(stamps, published_day) if not any(e.heading_day for e in entries) else {}
    out: list[Moment | None] = []
    for entry in entries:
        if entry.number < 0 or entry.clock is None:
            out.append(None)
            continue
        day = entry.heading_day or days.get(entry.number) or published_day
        if isinstance(published, datetime):
            out.append(datetime.combine(day, time(*entry.clock), tzinfo=published.tzinfo))
        else:
            out.append(day)
    return out


def _days(stamps: dict[int, Clock], day: date) -> dict[int, date]:
    """Days of entries without headings: the newest entry is on the publication's day; each step back across a
    midnight is a day earlier."""
    numbers = sorted(stamps)
    clocks = [stamps[n] for n in numbers]
    pairs = list(pairwise(clocks))
    newest_first = sum(a > b for a, b in pairs) >= sum(a < b for a, b in pairs)
    order = numbers if newest_first else numbers[::-1]  # from the newest entry back
    # the newest entry is of the publication's day (``day``) even when its time is later: the stamp a blog shows
    # may be when it was first published
    out: dict[int, date] = {}
    previous: Clock | None = None
    for number in order:
        clock = stamps[number]
        if previous is not None and clock > previous:
            day -= timedelta(days=1)
        out[number] = day
        previous = clock
    return out
