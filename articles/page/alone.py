"""Lines that are nothing but a date: a live blog's day heading, an aggregator's stamp below the story, the day
under the credit that signs a regional story. Kept apart from :mod:`.stamp`, which weighs dates among words."""

from __future__ import annotations

import re
from collections.abc import Sequence

from articles.page.dates import DIGIT, Stamp, find_dates

__all__ = ["SEPARATORS", "bare_stamp", "date_alone", "only_date_alone"]

_MAX_BARE_STAMP = 40  # characters of a line that is only a date and a time
SEPARATORS = " ,;:|·•–—-/"  # what may stand between a date and the rest of its line
# the credit that signs a story at its end: the desk and its site ('red, noe-regional.at'), an agency's initials
_SIGNATURE = re.compile(
    r"(?:red|redaktion|text|bearbeitung)\b[,.:]?\s+[\w./-]{2,30}$|\(?[a-z]{2,5}(?:/[a-z]{2,5})*\)?$"
)


def date_alone(line: str) -> Stamp | None:
    """The date of a short line that is nothing but one date (with or without its clock time)."""
    if len(line) > _MAX_BARE_STAMP or not DIGIT.search(line):
        return None
    stamps = find_dates(line, ())
    if len(stamps) != 1 or (line[: stamps[0].start] + line[stamps[0].end :]).strip(SEPARATORS):
        return None
    return stamps[0]


def bare_stamp(line: str) -> bool:
    """A line that is nothing but a day with its year and a clock time ('Mon 11 Dec 2023 14:26'): a stamp wherever
    it stands, as aggregators put it below the story."""
    alone = date_alone(line)
    return alone is not None and alone.clock is not None


def only_date_alone(lines: Sequence[str]) -> tuple[int, Stamp] | None:
    """A line of nothing but a day with its year, no clock time, right under the credit that signs the story
    ('red, noe-regional.at' / '21.10.2025'): the last resort when no stamp was found. A day alone elsewhere in the
    page is the story's."""
    previous = ""
    for i, line in enumerate(lines):
        if not line:
            continue
        if _SIGNATURE.match(previous) and (alone := date_alone(line)) is not None:
            return i, alone
        previous = line
    return None
