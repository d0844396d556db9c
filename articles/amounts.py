"""Numbers in running text: number words to digits, periods, and head counts of people.

Everything downstream reads the *normalised* sentence, so "dreißig Tage", "30-tägige", "thirty days" and "30 days"
all look alike to one duration pattern. The unit and people words come from ``resources/<lang>/amounts.yaml``;
number words are the ``text2num`` library's. Every pattern here is linear: numbers are bounded in length and
looked at only where they start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from text_to_num import alpha2digit, text2num

from articles.lexicon import Lexicon
from articles.plausible import MAX_DAYS, MAX_QUANTITY, note
from articles.rules import rules

__all__ = [
    "MAX_DAYS",
    "MAX_QUANTITY",
    "Period",
    "duration_days",
    "normalise",
    "parse_int",
    "period",
    "quantity",
    "within_days",
]
_UNITS = (("hour", 0), ("day", 1), ("week", 7), ("month", 30), ("year", 365))
# a count, never the minutes of a clock time ('+++ 09:25 Hamas übergibt Geiseln +++')
# not inside a name with digits ("M23", "Il-76", "F-16"): those count nothing
_NUMBER = r"(?<![\d,.:])(?<![^\W\d_])(?<![^\W\d_]-)(?:\d{1,3}(?:[,.\u202f ]\d{3}){1,3}(?![\d,])|\d{1,7}(?![\d:]))"
_NON_DIGIT_RE = re.compile(r"\D")
_MILITARY_CLOCK = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")  # "1700 hours": four digits, an hour and its minutes


@dataclass(frozen=True, slots=True)
class Period:
    """A stated length: whole days, or hours when the text gave hours (36 hours is a day and a half)."""

    days: int | None
    hours: int | None


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Lexicons, not bare regexes: every sentence is normalised and measured, and most name no period or count."""

    duration: Lexicon
    compound: Lexicon
    long: Lexicon
    quantity: Lexicon
    swap: Lexicon
    per_side: Lexicon
    standing: Lexicon
    joiner: re.Pattern[str]
    single: re.Pattern[str]  # one person joined to a head count ("and a police officer")
    vague: Lexicon
    plural_numbers: re.Pattern[str]
    respell: re.Pattern[str]  # "a fortnight", "ein halbes Jahr": lengths and counts without a number
    respelt: Mapping[str, str]  # each of those phrases (lower case, single spaces) as its counted form


@cache
def _patterns(language: str) -> _Patterns:
    frag = rules(language).fragments
    respelt: Mapping[str, str] = rules(language).data.get("respell") or {}
    units = "|".join(f"(?P<{name}>{frag['unit_' + name]})" for name, _ in _UNITS)
    duration = (
        rf"(?:(?P<n>{_NUMBER})|\b(?P<one>{frag['one']}))(?:\s+(?:{frag['more']}))?(?:\s{{1,3}}|\s?-\s?)(?:{units})\b"
    )
    return _Patterns(
        duration=Lexicon(duration, re.IGNORECASE),
        compound=Lexicon(frag["compound"], re.IGNORECASE),
        long=Lexicon(frag["long"], re.IGNORECASE),
        # the words between number and people hold no number of their own ("in 2 Etappen 10 Geiseln": 10 people)
        # and count nothing else ("the 2 countries exchanged prisoners": no head count); an abbreviation with its
        # dots is one word ("7 jailed U.S. citizens"); a year before a participle dates someone ("des 2014 getöteten")
        quantity=Lexicon(
            rf"(?!{frag['dated_person']})"
            rf"(?P<n>{_NUMBER})\s+(?:(?!\d|(?:{frag['counted_things']})\b)(?:[\w-]+(?:\.[\w-]+)+\.?|[\w-]+)\s+){{0,3}}?"
            rf"(?:{frag['counted_people']})\b",
            re.IGNORECASE,
        ),
        # "1,000 for 1,000", "a 1,000-for-1,000 exchange"
        swap=Lexicon(
            rf"(?P<n>{_NUMBER})(?:\s+|\s?-\s?)(?:{frag['swap_joiner']})(?:\s+{_NUMBER}|\s?-\s?\d)", re.IGNORECASE
        ),
        per_side=Lexicon(frag["per_side"].replace("NUMBER", _NUMBER), re.IGNORECASE),
        standing=Lexicon(frag["standing_count"].replace("NUMBER", _NUMBER), re.IGNORECASE),
        joiner=re.compile(rf"\s+(?:{frag['count_joiner']})\s+", re.IGNORECASE),
        single=re.compile(rf"(?:{frag['one']})\s+(?:[\w-]+\s+){{0,2}}?(?:{frag['counted_people']})\b", re.IGNORECASE),
        vague=Lexicon(rf"\b(?:{frag['vague']})\s+$", re.IGNORECASE),
        plural_numbers=re.compile(rf"\b((?:{frag['plural_numbers']}))\b", re.IGNORECASE),
        respell=re.compile(_phrases(respelt), re.IGNORECASE),
        respelt=respelt,
    )


def _phrases(words: Iterable[str]) -> str:
    """One alternation of the phrases, longest first, any run of spaces between their words; none: matches nothing."""
    spaced = [r"\s+".join(map(re.escape, p.split())) for p in sorted(words, key=len, reverse=True)]
    return rf"\b(?:{'|'.join(spaced)})\b" if spaced else r"(?!)"


def parse_int(text: str) -> int:
    """Digits with thousands separators ("1,000", "1.000", "1 000") as an int."""
    return int(_NON_DIGIT_RE.sub("", text))


def _word_number(word: str, language: str) -> int | None:
    try:
        return int(text2num(word.lower(), language))
    except ValueError:
        return None


def normalise(text: str, language: str) -> str:
    """Number words and compounds as digits ("dreitägige" -> "3-tägige", "seven-day" -> "7-day")."""
    patterns = _patterns(language)

    def compound(match: re.Match[str]) -> str:
        value = _word_number(match.group("word"), language)
        if value is None:
            return match.group(0)
        rest = match.groupdict().get("rest") or ""
        return f"{value}-{match.group('unit')}{rest}"

    if patterns.respelt:  # "a fortnight" -> "2 weeks", "ein halbes Jahr" -> "6 Monate"
        text = patterns.respell.sub(lambda m: patterns.respelt[" ".join(m.group(0).lower().split())], text)
    text = patterns.long.sub(lambda m: f"1-{m.group('unit')}", text)
    text = patterns.compound.sub(compound, text)
    # "hundreds of soldiers" is no count: the library would make it "100", so plural number words stay apart
    pieces = patterns.plural_numbers.split(text)
    return "".join(piece if i % 2 else _digits(piece, language) for i, piece in enumerate(pieces))


def _digits(text: str, language: str) -> str:
    try:
        return str(alpha2digit(text, language, threshold=2))
    except (ValueError, IndexError):  # the library can trip over odd token runs; digits still work then
        return text


def period(text: str, language: str) -> Period | None:
    """The first period the sentence states; skips extensions ("by two days"), offsets and long ago."""
    cues = rules(language)
    for match in _patterns(language).duration.finditer(text):
        unit = next(name for name, _ in _UNITS if match.group(name) is not None)
        amount = parse_int(match.group("n")) if match.group("n") else 1
        if not match.group("n") and unit in {"day", "hour"}:
            continue  # "a day after", "ein Tag" are not periods worth keeping
        if cues.cue("not_duration_before").search(text, max(0, match.start() - 30), match.start()):
            continue
        if cues.cue("not_duration_after").match(text, match.end()) and not cues.cue("within").search(
            text, max(0, match.start() - 30), match.start()
        ):
            continue  # "48 hours after signing" is an offset; "within 60 days after ..." is still a period
        if unit == "hour":
            if match.group("n") and _MILITARY_CLOCK.fullmatch(match.group("n")):
                continue  # "from 1700 hours IST": a clock time written the military way, not a length
            if not 0 < amount <= 24 * MAX_DAYS:
                _implausible_period(match, amount)
                continue
            return Period(amount // 24 if amount % 24 == 0 else None, amount)
        days = amount * dict(_UNITS)[unit]
        if 0 < days <= MAX_DAYS:
            return Period(days, None)
        _implausible_period(match, amount)
    return None


def _implausible_period(match: re.Match[str], amount: int) -> None:
    if amount > 0:
        note(f"period “{match.group(0)}” is over {MAX_DAYS // 366} years")


def within_days(text: str, language: str, near: int | None = None) -> int | None:
    """ "Within five days", "binnen 14 Tagen": a deadline counted from now, in whole days; with ``near``, the one
    closest to that position ("disarmed within 30 days, and commanders are to meet within five days")."""
    cues = rules(language)
    best: tuple[int, int] | None = None
    for match in _patterns(language).duration.finditer(text):
        if not cues.cue("within").search(text, max(0, match.start() - 30), match.start()):
            continue
        found = period(text[match.start() :], language)
        if found is not None and found.days:
            if near is None:
                return found.days
            distance = abs(match.start() - near)
            if best is None or distance < best[0]:
                best = (distance, found.days)
    return best[1] if best else None


def duration_days(text: str, language: str = "en") -> int | None:
    """The first period in whole days (hours only when they make whole days: 72 hours, not 30)."""
    found = period(text, language)
    return found.days if found else None


_TOTAL_REACH = 30  # characters between a running total's words and its count
_COMPANION_REACH = 30  # characters before a count where "along with" joins it to someone named


def _joined_count(text: str, match: re.Match[str], patterns: _Patterns) -> int:
    """The people counted right after a head count and joined to it ("270 servicemen and 120 civilians", "five
    soldiers and a police officer"): one act's people, told in two groups."""
    joiner = patterns.joiner.match(text, match.end())
    if joiner is None:
        return 0
    joined = patterns.quantity.match(text, joiner.end())
    if joined is not None:
        return parse_int(joined.group("n"))
    return 1 if patterns.single.match(text, joiner.end()) is not None else 0  # "fünf Soldaten und einen Polizisten"


def _companion(text: str, match: re.Match[str], language: str) -> int:
    """One more for the person named before "along with five other prisoners", "gemeinsam mit fünf weiteren": the
    count leaves out who it is joined to."""
    cues = rules(language)
    if cues.cue("companion_count").match(match.group(0)) and cues.cue("companions").search(
        text, max(0, match.start() - _COMPANION_REACH), match.start()
    ):
        return 1
    return 0


def quantity(text: str, language: str = "en") -> int | None:
    """The first head count: "175 prisoners", "23 schwer verwundete Soldaten", "1,000 for 1,000", "je 205 auf
    beiden Seiten", "the 7 would be set free"."""
    patterns = _patterns(language)
    found: list[re.Match[str]] = []
    head: re.Match[str] | None = None  # the count of people named: another group may be joined to it
    for pattern in (patterns.quantity, patterns.swap, patterns.per_side, patterns.standing):
        for match in pattern.finditer(text):
            if not patterns.vague.search(text, max(0, match.start() - 20), match.start()):
                found.append(match)
                if pattern is patterns.quantity:
                    head = match
                break
    # "With today's return, 3,956 Ukrainians have been freed", "bislang 4000": a running total counts no one act
    totals = [m.span() for m in rules(language).cue("running_total").finditer(text)]
    for match in sorted(found, key=lambda m: m.start()):
        if any(a - _TOTAL_REACH <= match.start() <= b + _TOTAL_REACH for a, b in totals):
            continue
        value = parse_int(match.group("n"))
        if match is head:
            value += _joined_count(text, match, patterns) + _companion(text, match, language)
        if 0 < value <= MAX_QUANTITY:
            return value
        if value > MAX_QUANTITY:
            note(f"number “{match.group(0)}” is over {MAX_QUANTITY:,}")
    return None
