"""Dates with their clock time and zone inside one line, and the moment they name.

Compiled regexes and the calendar tables replace ``dateparser`` here because it costs milliseconds a call and a
page is read in well under one. The words (months, weekdays, 'Uhr', 'a.m.', zone abbreviations) come from the
resource files; this module keeps the shapes. Every pattern is linear: quantifiers are bounded or run over
characters the next token cannot start with, and lines hold single spaces only (see :mod:`.normalise`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from articles.lexicon import guarded, guarded_group
from articles.model import Language, Moment
from articles.page.words import alternation, calendar_union, language_of, page_data, union
from articles.rules import LANGUAGES, common

__all__ = [
    "DAY_SUFFIX",
    "DIGIT",
    "MONTH",
    "MONTHS",
    "ZONE_NAMES",
    "Stamp",
    "clock_of",
    "day_heading",
    "find_dates",
    "is_clock_line",
    "localise",
    "moment",
]

MONTHS: Mapping[str, int] = calendar_union("months")
_WEEKDAYS = (*calendar_union("weekdays"), *calendar_union("weekday_abbreviations"))
# The name lists and the date pattern are led by a lookahead on the letters they start with (`guard`): most
# positions of a line fail there at once instead of trying every month and weekday name.
MONTH = guarded_group(alternation(MONTHS))
_WEEKDAY = guarded_group(alternation(_WEEKDAYS))
DAY_SUFFIX = rf"(?:{alternation(union('date.day_suffixes'))})"
_BEFORE_DAY = alternation(union("date.before_day"))
_BEFORE_MONTH = alternation(union("date.before_month"))

# A year ends the date unless more digits follow, but a clock time the scrape glued to it ('March 11, 20254:38 PM')
# begins after the fourth digit, and so does the same date written again for another screen size ('5 Mar 20245 Mar
# 2024').
_YEAR_END = rf"(?:(?!\d)|(?=\d{{1,2}}[:.]\d{{2}}(?!\d))|(?=\d{{1,2}}\.? ?{MONTH}))"

DIGIT = re.compile(r"\d")  # every shape of a date has digits: a line without one needs no closer look
_DATE_RE = guarded(
    r"(?:(?<![\w.])|(?<=[^\W\d_]\.)"  # not inside a number; a sentence's full stop may touch it ('Schritt.27.07.2025')
    # or glued to a teaser's last word ('in KazanOct 23') or a byline's place or desk ('Neu-Delhi31.10.2024, 06.12 Uhr',
    # 'Africa desk23/12/2022 - 14:20 GMT')
    r"|(?<=[a-zäöüß])(?=[A-ZÄÖÜ]|\d{1,2}\.? [^\W\d_]|\d{1,2}(?:\.\d{1,2}\.|/\d{1,2}/)\d{4}(?!\d)))"
    rf"(?:{_WEEKDAY}\.?,? (?:(?:{_BEFORE_DAY}) )?)?"
    r"(?:"
    r"(?P<iy>\d{4})(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})(?![\d.])"
    r"|(?P<nd>\d{1,2})\. ?(?P<nm>\d{1,2})\. ?(?P<ny>\d{4}|\d{2})(?![\d:])"
    r"|(?P<sd>\d{1,2})(?P<ssep>[/-])(?P<sm>\d{1,2})(?P=ssep)(?P<sy>\d{4}|\d{2})(?![\d:/-])"
    rf"|(?P<wd>\d{{1,2}})(?P<wsuf>{DAY_SUFFIX})?(?: |(?<=\.)(?=[^\W\d_]))(?:(?:{_BEFORE_MONTH}) )?(?P<wm>{MONTH})\.?,? "
    rf"(?P<wy>\d{{4}}){_YEAR_END}"
    rf"|(?P<mm>{MONTH})\.? (?P<md>\d{{1,2}})(?:{DAY_SUFFIX})?,? (?P<my>\d{{4}}){_YEAR_END}"
    r")",
    re.IGNORECASE,
)

# A day and month with no year ('Updated 18 March, 20:51 GMT', 'Di 18.03.'): a stamp only where the page's other
# dates give the year. A year or a number after it makes it a full date (or no date), not this.
_YEARLESS_RE = re.compile(
    rf"(?<![\w.])(?:{_WEEKDAY}\.?,? )?"
    rf"(?:(?P<wd>\d{{1,2}})(?:{DAY_SUFFIX})? (?P<wm>{MONTH})\.?|(?P<mm>{MONTH})\.? (?P<md>\d{{1,2}})(?:st|nd|rd|th)?"
    r"|(?P<nd>\d{1,2})\.(?P<nm>\d{1,2})\.)"
    r"(?![\w.]|,? ?\d{2,4}(?![:.]\d))",
    re.IGNORECASE,
)


def yearless_days(line: str) -> list[tuple[int, int, int, int]]:
    """(start, end, month, day) of each day-and-month without a year in the line."""
    out = []
    for m in _YEARLESS_RE.finditer(line):
        if m.group("nd"):
            month, day = int(m.group("nm")), int(m.group("nd"))
        else:
            month, day = MONTHS[(m.group("wm") or m.group("mm")).lower()], int(m.group("wd") or m.group("md"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            out.append((m.start(), m.end(), month, day))
    return out


_MERIDIEM = alternation((*union("clock.meridiem_am"), *union("clock.meridiem_pm")))
_PM = frozenset(m.lower().replace(" ", "").rstrip(".") for m in union("clock.meridiem_pm"))
_AFTER = alternation(union("clock.after"))
# 'am' or 'pm' ends where no lower-case letter follows: a capital is the next sentence, glued ('7:45 amA German priest')
_END_AP = "(?!(?-i:[a-z]))"
_CLOCK = (
    r"(?:"
    rf"(?P<h>\d{{1,2}})[:.h](?P<mi>\d{{2}})(?::(?P<s>\d{{2}})(?:\.\d{{1,6}})?)?(?: ?(?P<ap>{_MERIDIEM}){_END_AP})?"
    rf"|(?P<h2>\d{{1,2}}) ?(?P<ap2>{_MERIDIEM}){_END_AP}"
    rf"|(?P<h3>\d{{1,2}})(?= ?(?:{_AFTER})\b)"
    r")"
    rf"(?: ?(?P<uhr>{_AFTER})\b)?"
)
_ZONES: Mapping[str, int] = {str(k).upper(): int(v) for k, v in (common("zones").get("fixed") or {}).items()}
# US pages write 'ET'/'PT' for whichever of standard or daylight time applies that day.
_REGIONS: Mapping[str, str] = {str(k).upper(): str(v) for k, v in (common("zones").get("regions") or {}).items()}
_MONTH_FIRST = frozenset(str(z).upper() for z in common("zones").get("month_first") or ())
ZONE_NAMES = frozenset((*_ZONES, *_REGIONS))
_ZONE = (
    r"(?: ?\(? ?(?:"
    rf"(?P<abbr>{alternation((*_ZONES, *_REGIONS))})(?!(?-i:[a-z])) ?(?P<off>[+\-−] ?\d{{1,2}}(?::?\d{{2}})?)?"
    r"|(?P<bare>[+\-−]\d{2}:?\d{2})"
    r") ?\)?)?"
)
_SEPARATOR = r"[ ,|·•/–—-]"
_TIME_AFTER = re.compile(
    rf"(?:{_SEPARATOR}|(?<!\w)(?:{alternation(union('clock.before'))})(?!\w)|T){{0,8}}{_CLOCK}{_ZONE}"
    rf"(?: ?(?:{_AFTER})\b)?",
    re.IGNORECASE,
)
_TIME_BEFORE = re.compile(
    rf"(?<![\d:.]){_CLOCK}{_ZONE}(?:{_SEPARATOR}|(?<!\w)(?:{alternation(union('clock.after_before_date'))})(?!\w))"
    r"{0,8}$",
    re.IGNORECASE,
)
# A live blog's entry stamp on a line of its own ("08:12 Uhr", "14:05 GMT", "+++ 14:05 +++").
_CLOCK_LINE = re.compile(rf"[+ ]*{_CLOCK}{_ZONE}[+ ]*", re.IGNORECASE)


def is_clock_line(line: str) -> bool:
    """Whether the line is only a clock time: a live blog's entry stamp, which ends what stands above it."""
    return _CLOCK_LINE.fullmatch(line.strip()) is not None


# "07:12 Uhr – Das ist heute geplant", "+++ 22:45 Waffenruhe in Kraft +++", "14:05 GMT: Talks resume": an entry
# stamp that opens its line, set off from the heading by a dash, bar or colon (a colon alone after a bare time too)
_ENTRY_CLOCK = re.compile(
    rf"[+ ]*(?P<clock>{_CLOCK}{_ZONE})(?: ?[–—|:-]| ?\+{{3}})? (?!(?:{_AFTER})\b)(?=(?-i:[A-ZÄÖÜ])|[„\"“])",
    re.IGNORECASE,
)


def clock_of(line: str) -> tuple[tuple[int, int], int] | None:
    """The entry stamp a line opens with or consists of, as (hour, minute), and where the rest of the line begins."""
    whole = _CLOCK_LINE.fullmatch(line.strip())
    m = whole or _ENTRY_CLOCK.match(line)
    if m is None:
        return None
    clock = _clock(m)
    if clock is None:
        return None
    return (clock[0], clock[1]), (len(line) if whole else m.end())


# "Samstag, 22. Februar", "Saturday 22 February", "Monday, May 12", "22. Februar 2025": a live blog's day heading
_DAY_HEADING = guarded(
    rf"(?:{_WEEKDAY}\.?,? )?(?:(?P<hd>\d{{1,2}})(?:{DAY_SUFFIX})?\.? (?P<hm>{MONTH})"
    rf"|(?P<hm2>{MONTH}) (?P<hd2>\d{{1,2}})(?:{DAY_SUFFIX})?)(?:,? (?P<hy>\d{{4}}))?",
    re.IGNORECASE,
)


def day_heading(line: str, published: date) -> date | None:
    """The day a line that names only a day stands for: the latest such day up to the publication's when it
    names no year."""
    m = _DAY_HEADING.fullmatch(line.strip(" :"))
    if m is None:
        return None
    month = MONTHS[(m.group("hm") or m.group("hm2")).lower()]
    day = int(m.group("hd") or m.group("hd2"))
    year = int(m.group("hy")) if m.group("hy") else published.year
    try:
        found = date(year, month, day)
        if not m.group("hy") and found > published:
            found = date(year - 1, month, day)
    except ValueError:
        return None
    return found


_BEFORE_WINDOW = 48  # a clock time written before its date stands this close to it


@dataclass(frozen=True, slots=True)
class Stamp:
    """One date (with its clock time and zone when given) found in a line, before the zone is settled."""

    start: int
    end: int
    day: date
    clock: tuple[int, int, int] | None
    zone: tzinfo | None
    language: str | None  # the language whose words ('Uhr', 'März', '3.') wrote it, when only one uses them


def _zone(abbr: str | None, offset: str | None) -> tzinfo | None:
    """Fixed-offset zone from an abbreviation and/or a signed offset ('GMT+3', 'UTC+05:30', '+0100')."""
    if abbr is None and offset is None:
        return None
    if abbr and abbr.upper() in _REGIONS and not offset:
        return ZoneInfo(_REGIONS[abbr.upper()])
    minutes = _ZONES.get(abbr.upper(), 0) if abbr else 0
    if offset:
        sign = -1 if offset[0] in "-−" else 1
        digits = offset[1:].strip().replace(":", "")
        hours, mins = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
        minutes = sign * (int(hours) * 60 + int(mins))
    return timezone(timedelta(minutes=minutes))


def _clock(m: re.Match[str]) -> tuple[int, int, int] | None:
    """Hour, minute, second of a matched clock time, or None when it is not a valid time of day."""
    hour_text = m.group("h") or m.group("h2") or m.group("h3")
    hour, minute = int(hour_text), int(m.group("mi") or 0)
    second = int(m.group("s") or 0)
    meridiem = (m.group("ap") or m.group("ap2") or "").lower().replace(" ", "").rstrip(".")
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem in _PM else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _day(m: re.Match[str]) -> tuple[date, str | None] | None:
    """The calendar day a date match names, and the one language its words belong to (if any)."""
    language: str | None = None
    if m.group("iy"):
        y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
    elif m.group("nd"):
        y, mo, d = int(m.group("ny")), int(m.group("nm")), int(m.group("nd"))
        y += 2000 if len(m.group("ny")) == 2 else 0
    elif m.group("sd"):
        d, mo, y = int(m.group("sd")), int(m.group("sm")), int(m.group("sy"))
        y += 2000 if len(m.group("sy")) == 2 else 0
        if mo > 12 >= d:  # month first after all (US style)
            d, mo = mo, d
    elif m.group("wd"):
        name = m.group("wm").lower()
        d, mo, y = int(m.group("wd")), MONTHS[name], int(m.group("wy"))
        language = language_of("months", name)
        if language is None and m.group("wsuf"):
            language = language_of("date.day_suffixes", m.group("wsuf"))
    else:
        name = m.group("mm").lower()
        d, mo, y = int(m.group("md")), MONTHS[name], int(m.group("my"))
        language = language_of("months", name)
    language = language or language_of("weekdays", m.group(0).split()[0].rstrip(".,"))
    try:
        return date(y, mo, d), language
    except ValueError:
        return None


def _valid_dates(line: str, low: int, high: int) -> Iterator[tuple[re.Match[str], date, str | None]]:
    """Date matches naming real days; after one that does not ('23. 18.03' of '… 23. 18.03.2025') the search goes
    on from its next character, so the real date behind it is still found."""
    if DIGIT.search(line, low, high) is None:
        return  # every shape of a full date has digits; most lines of a page have none
    pos = low
    while (m := _DATE_RE.search(line, pos, high)) is not None:
        parsed = _day(m)
        if parsed is None:
            pos = m.start() + 1
            continue
        yield m, *parsed
        pos = m.end()


def find_dates(line: str, spans: Sequence[tuple[int, int]] = ()) -> list[Stamp]:
    """Every date in the line (or in the given stretches of it) with the clock time and zone attached to it."""
    found: list[Stamp] = []
    for low, high in spans or ((0, len(line)),):
        for m, day, language in _valid_dates(line, low, high):
            found.append(_attach(line, m, day, language, found[-1].end if found else 0))
    return found


def _attach(line: str, m: re.Match[str], day: date, language: str | None, previous: int) -> Stamp:
    """The date with the clock time (and zone) written after it, or else before it (not before ``previous``)."""
    start, end = m.start(), m.end()
    clock: tuple[int, int, int] | None = None
    zone: tzinfo | None = None
    t = _TIME_AFTER.match(line, end)
    if t is None:
        t = _TIME_BEFORE.search(line, max(previous, start - _BEFORE_WINDOW), start)
    if t is not None:
        clock = _clock(t)
        if clock is not None:
            zone = _zone(t.group("abbr"), t.group("off") or t.group("bare"))
            if m.group("sd") and (t.group("abbr") or "").upper() in _MONTH_FIRST and day.day <= 12:
                day = day.replace(month=day.day, day=day.month)  # '3/5/2025 7:00 a.m. ET': a US page, month first
            if t.group("uhr"):
                language = language or language_of("clock.after", t.group("uhr"))
            start, end = min(start, t.start()), max(end, t.end())
    return Stamp(start, end, day, clock, zone, language)


@cache
def _local_zone(language: str | None) -> tzinfo | None:
    """The zone a language's pages give wall-clock times in, when its data names one (German: Berlin)."""
    if language not in LANGUAGES:
        return None
    name = page_data(str(language)).get("local_zone")
    return ZoneInfo(str(name)) if name else None


def localise(naive: datetime, *languages: str | None) -> datetime:
    """A wall-clock time in the local zone of the first language that has one, as a fixed offset (storage sees a
    plain ISO offset); naive when none has one."""
    if naive.tzinfo is not None:
        return naive
    for language in languages:
        zone = _local_zone(language)
        if zone is not None:
            offset = naive.replace(tzinfo=zone).utcoffset()
            return naive.replace(tzinfo=timezone(offset or timedelta(0)))
    return naive


def moment(stamp: Stamp, language: Language) -> Moment:
    """The stamp as a date, a naive datetime, or an aware one (no zone given: the local time of its language)."""
    if stamp.clock is None:
        return stamp.day
    naive = datetime(stamp.day.year, stamp.day.month, stamp.day.day, *stamp.clock)
    if stamp.zone is not None:
        offset = naive.replace(tzinfo=stamp.zone).utcoffset()
        return naive.replace(tzinfo=timezone(offset or timedelta(0)))
    return localise(naive, stamp.language, language)
