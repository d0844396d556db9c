"""Calendar arithmetic of the time layer: days from parts, the weekday or year nearest an anchor, days added to a
moment. It knows no words; :mod:`articles.temporal` finds the expressions and calls it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from dateutil.relativedelta import relativedelta

from articles.model import Moment, day_of
from articles.plausible import implausible_date, note, plausible_day

__all__ = ["Direction", "make_date", "nearest_year", "plus_days", "to_date", "weekday_date"]

Direction = Literal["past", "future"]
_MAX_YEAR_GAP = 1  # a date without a year is put within a year of the publication
_TENSE_SLACK_DAYS = 60  # a bare date this close on the other side of the tense still beats one a year away


def to_date(moment: Moment | None) -> date | None:
    """The calendar day of a moment (a report's date is a day)."""
    if moment is None:
        return None
    return day_of(moment)


def plus_days(moment: Moment, days: int) -> Moment:
    """Calendar arithmetic that keeps a date a date and a datetime its wall clock and offset."""
    if isinstance(moment, datetime):
        return moment + relativedelta(days=days)
    return moment + timedelta(days=days)


def weekday_date(anchor: date, weekday: int, direction: Direction) -> date:
    """The weekday nearest the anchor on the given side; the anchor itself when it matches."""
    if direction == "future":
        return anchor + timedelta(days=(weekday - anchor.weekday()) % 7)
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def nearest_year(anchor: date, month: int, day: int, direction: Direction, *, strict: bool = True) -> date | None:
    """The year that puts a bare "March 18" nearest the anchor, preferring the side the tense points to."""
    candidates: list[tuple[int, date]] = []
    for year in range(anchor.year - _MAX_YEAR_GAP, anchor.year + _MAX_YEAR_GAP + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        days = (candidate - anchor).days
        wrong_side = strict and ((direction == "past" and days > 0) or (direction == "future" and days < 0))
        candidates.append((abs(days) + (400 if wrong_side and abs(days) > _TENSE_SLACK_DAYS else 0), candidate))
    return min(candidates)[1] if candidates else None


def make_date(
    year: str | None, month: int, day: int, anchor: date, direction: Direction, *, strict: bool = True
) -> date | None:
    """A valid date from parts, or None for impossible ones like 31 February."""
    if year:
        try:
            found = date(int(year), month, day)
        except ValueError:
            return None
        if not plausible_day(found):  # "1 January 9999": later arithmetic would overflow, and no truce runs then
            note(f"date {implausible_date(found)}")
            return None
        return found
    return nearest_year(anchor, month, day, direction, strict=strict)
