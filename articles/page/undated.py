"""Dates of a page that is not stamped the usual way, tried in this order when no stamp is found: a wire dateline
('KHARTOUM, May 20 (Reuters) -'), a stamp line without a year ('Updated 18 March, 20:51 GMT'), a photo caption's day,
dateparser on a keyword-led line, the page's own address and a news agency's item number. A day without a year takes
the year nearest the page's other dates, else its copyright year; with neither the page stays undated."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from functools import lru_cache

from articles.model import Moment
from articles.page.boilerplate import is_caption
from articles.page.dates import DAY_SUFFIX, DIGIT, MONTH, MONTHS, Stamp, find_dates, yearless_days
from articles.page.words import alternation, common_list, union
from articles.rules import LANGUAGES

__all__ = [
    "MAX_STAMP_LINE",
    "WINDOW",
    "Undated",
    "caption_date",
    "chronology",
    "dateline",
    "fallback",
    "item_number_date",
    "top",
    "url_date",
    "yearless",
]

Undated = tuple[int, Stamp]  # the line and the stamp read from it
WINDOW = 20  # non-empty lines from the top where a stamp needs no keyword
DATELINE_WINDOW = 40
MAX_STAMP_LINE = 160
_ARCHIVE = re.compile(rf"(?<!\w)(?:{alternation(union('archive_tags'))}|archive|archiv)", re.IGNORECASE)
_DATELINE = re.compile(
    r"(?P<place>[A-ZÄÖÜ][\w'.-]*(?:[ /][A-ZÄÖÜ][\w'.-]*){0,3})(?:, [A-ZÄÖÜ][\w'.-]*){0,2}, "  # 'Bissau/Dakar, …'
    rf"(?:(?P<mm>(?i:{MONTH}))\.? (?P<md>\d{{1,2}})|(?P<wd>\d{{1,2}})(?:{DAY_SUFFIX})? (?P<wm>(?i:{MONTH}))"
    r"|(?P<nd>\d{1,2})\.(?P<nm>\d{1,2})\.(?P<ny>(?:19|20)\d\d)?)"  # 'Kiew, 18.03.2025 (dpa) -'
    r"(?:,? (?P<year>(?:19|20)\d\d))?"  # 'KYIV, April 14, 2025 (AFP) -': a dateline that gives its year
    r"(?:,? (?P<clock>\d{1,2}[:.]\d\d)(?: [^\W\d]{1,4}){0,2})?"  # '…, 5. August 2022, 11:42 Uhr MESZ (ntd) –'
    r"(?: \([^()]{1,30}\))?(?: ?[-–—] |\. /[A-Z]{2,10}/\. )"  # '(Reuters) - ' or a news agency's '. /TASS/. '
)
# an address alone on its line whose path holds the day: '/2026/01/14/' or '/2026-01-14/'
_URL_DATE = re.compile(
    r"^(?:source:\s*)?https?://\S*?/(?P<y>(?:19|20)\d\d)(?P<sep>[/-])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?:[/-]|\.html?\b)\S*$",
    re.IGNORECASE,
)
# a news agency's item number that holds its day (year, month, day), as syndicated pages print it at the bottom:
# 'dpa:240305-99-123456/2'
_ITEM_NUMBER = re.compile(r"(?<!\w)dpa:(?P<y>\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)-\d\d-\d{3,}", re.IGNORECASE)
_COPYRIGHT_YEAR = re.compile(  # '© 2023 Wire', '© TASS 1999-2025': the owner's name may stand before the years
    rf"(?:{alternation(common_list('copyright'))})\s*(?:[^\W\d]+\.?\s+){{0,3}}(?:\d{{4}}\s*[-–]\s*)?((?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_FALLBACK_LEAD = re.compile(
    rf"(?:{alternation((*union('stamp.published'), *union('stamp.leads')))})(?!\w)", re.IGNORECASE
)
_MERIDIEM = alternation((*union("clock.meridiem_am"), *union("clock.meridiem_pm"), *union("clock.after")))
_FALLBACK_CLOCK = re.compile(
    rf"\d[:.]\d\d(?!\d)|\d ?(?:{_MERIDIEM})(?!\w)|(?<!\w)(?:{alternation(union('clock.named'))})(?!\w)",
    re.IGNORECASE,
)


def _page_days(lines: Sequence[str], others: Sequence[date]) -> list[date]:
    """Dates to take a year from: the days of the other stamps found, else every full date on the page."""
    if others:
        return list(others)
    return [s.day for line in lines if DIGIT.search(line) for s in find_dates(line)]


def top(lines: Sequence[str], window: int) -> Iterator[tuple[int, str]]:
    """The first ``window`` non-empty lines with their indexes."""
    nonempty = ((i, line) for i, line in enumerate(lines) if line)
    return itertools.islice(nonempty, window)


def dateline(lines: Sequence[str], others: Sequence[date]) -> Undated | None:
    """A wire dateline near the top ('KHARTOUM, May 20 (Reuters) -'), dated in the year nearest the page's dates."""
    for i, line in top(lines, DATELINE_WINDOW):
        m = _DATELINE.match(line)
        if m is None:
            continue
        if m.group("nd"):
            month, day = int(m.group("nm")), int(m.group("nd"))
        else:
            month, day = MONTHS[(m.group("mm") or m.group("wm")).lower()], int(m.group("md") or m.group("wd"))
        year = m.group("year") or m.group("ny")
        if year:
            found = _in_year(int(year), month, day)
            dated = found[1] if found else None
        else:
            dated = _nearest_year(lines, others, month, day)
        if dated is None:
            return None
        if m.group("clock"):  # the clock and zone as a stamp reads them, when it reads the same day
            timed = [found for found in find_dates(m.group(0)) if found.day == dated and found.clock is not None]
            if timed:
                return i, Stamp(m.start(), m.end(), dated, timed[0].clock, timed[0].zone, timed[0].language)
        return i, Stamp(m.start(), m.end(), dated, None, None, None)
    return None


def yearless(lines: Sequence[str], others: Sequence[date], absorbable: Callable[[str], bool]) -> Undated | None:
    """A stamp line with no year ('Updated 18 March, 20:51 GMT', 'Di 18.03.'), dated in the year nearest the
    page's dates: every other word of the line a stamp's (a keyword, a clock, a zone)."""
    for i, line in top(lines, WINDOW):
        if not DIGIT.search(line) or len(line) > MAX_STAMP_LINE:
            continue
        for start, end, month, day in yearless_days(line):
            if all(absorbable(token) for token in (line[:start] + " " + line[end:]).split()):
                dated = _nearest_year(lines, others, month, day)
                if dated is not None:
                    return i, Stamp(start, end, dated, None, None, None)
    return None


def caption_date(lines: Sequence[str]) -> Undated | None:
    """With no stamp at all, the day a photo caption near the top names ('… after the swap, 18 March 2025.
    (Photo: AFP)'): the picture of the story is taken the day it is told, unless it is marked as archive."""
    for i, line in top(lines, WINDOW):
        if DIGIT.search(line) and is_caption(line) and not _ARCHIVE.search(line):
            stamps = find_dates(line)
            if stamps:
                return i, stamps[0]
    return None


def _nearest_year(lines: Sequence[str], others: Sequence[date], month: int, day: int) -> date | None:
    """The day and month in the year that puts them nearest the page's dates; with no full date anywhere, in the
    year of the page's copyright line ('© 2023 Wire'), that year only."""
    refs = _page_days(lines, others)
    if not refs:
        years = [int(y) for line in lines if DIGIT.search(line) for y in _COPYRIGHT_YEAR.findall(line)]
        found = _in_year(years[-1], month, day) if years else None
        return found[1] if found else None
    best: tuple[int, date] | None = None
    for ref in refs:
        for year in (ref.year - 1, ref.year, ref.year + 1):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            distance = abs((candidate - ref).days)
            if best is None or distance < best[0]:
                best = distance, candidate
    return best[1] if best else None


def _in_year(year: int, month: int, day: int) -> tuple[int, date] | None:
    try:
        return 0, date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _dateparser_parse() -> Callable[..., object]:
    """Imported on first use only: dateparser is slow to import and only a last resort here."""
    import dateparser

    parse: Callable[..., object] = dateparser.parse
    return parse


def fallback(lines: Sequence[str]) -> tuple[int, Moment] | None:
    """Last resort for keyword-led lines the regexes do not cover ('Published: 3rd of May, 2025 at noon')."""
    for i, line in top(lines, WINDOW):
        m = _FALLBACK_LEAD.match(line)
        if m and DIGIT.search(line) and len(line) <= MAX_STAMP_LINE:
            value = _dateparser_parse()(line[m.end() :].lstrip(" :"), languages=list(LANGUAGES))
            if isinstance(value, datetime):
                return i, value if _FALLBACK_CLOCK.search(line) else value.date()
    return None


def url_date(lines: Sequence[str]) -> tuple[int, Moment] | None:
    """The very last resort: the page's own address near the top, dated in its path
    ('https://news.example/world/2026/01/14/azerbaijan-frees-…', an aggregator's only date)."""
    for i, line in top(lines, WINDOW):
        m = _URL_DATE.search(line) if "/" in line and DIGIT.search(line) else None
        if m is not None:
            try:
                return i, date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
    return None


def item_number_date(lines: Sequence[str]) -> tuple[int, Moment] | None:
    """After the address: the day in a news agency's item number, wherever the page prints it (at the bottom of a
    regional paper's copy of a dpa story, its only date)."""
    for i, line in enumerate(lines):
        m = _ITEM_NUMBER.search(line) if ":" in line else None
        if m is not None:
            try:
                return i, date(2000 + int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
    return None


_STEP_LABEL = re.compile(r" ?[–—-] ?[^\W\d_]")  # '7. Februar 2020 – Die Festnahme': a dash, then a step's label


def chronology(lines: Sequence[str], dated: Sequence[Undated]) -> frozenset[int]:
    """A chronology's headings ('7. Februar 2020 – Die Festnahme', '8. Dezember 2021 – Frei, aber …'): lines that open
    with a day and go on after a dash with a label, on two or more days, are steps of the story, none the page's
    stamp."""
    steps = [(i, s) for i, s in dated if s.start == 0 and _STEP_LABEL.match(lines[i], s.end)]
    return frozenset(i for i, _ in steps) if len({s.day for _, s in steps}) >= 2 else frozenset()
