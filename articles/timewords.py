"""The time words of one language compiled into one scanner: the atoms a time expression is made of (weekdays,
dates, clock times, zones, "tomorrow", "the 16th day") and the tables that give them values, all read from
``resources/<lang>/calendar.yaml`` and ``temporal.yaml`` (the temporal stage applies them; it knows no words)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from articles.lexicon import Lexicon, guarded
from articles.rules import common, data, rules

__all__ = ["Vocabulary", "vocabulary"]


def _alternation(words: object) -> str:
    """A regex alternation of words (spaces match any whitespace), longest first so "September" beats "Sep"."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The compiled time words of one language."""

    language: str
    atoms: re.Pattern[str]
    filler: re.Pattern[str]
    # "at 7 p.m. (1600 GMT)", "um 3.30 Uhr Ortszeit (2.30 Uhr MESZ)": wire copy gives the time in a zone it names
    # beside the local one, which fixes the local offset whatever the place
    utc_beside: re.Pattern[str]
    gate: Lexicon
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]
    immediate: frozenset[str]
    times_of_day: dict[str, tuple[int, int]]
    modifiers: dict[str, str]
    zones: dict[str, str]
    local_words: frozenset[str]
    month_parts: dict[str, int]


@cache
def vocabulary(language: str) -> Vocabulary:
    """Build the scanner of one language from its data files."""
    cal = data(language, "calendar")
    cues = rules(language)
    frag = cues.fragments
    extra = cues.data
    months: dict[str, int] = cal["months"]
    weekdays: dict[str, int] = cal["weekdays"]
    relative: dict[str, int] = extra["relative"]
    times_of_day = {k: (int(v[0]), int(v[1])) for k, v in extra["times_of_day"].items()}
    modifiers: dict[str, str] = extra["weekday_modifiers"]
    month_parts: dict[str, int] = extra["month_parts"]
    zones: dict[str, str] = cal["zones"]
    local_words = frozenset(" ".join(w.split()) for w in cal["local_time"])
    fixed = common("zones")["fixed"]
    wd, mon = _alternation(weekdays), _alternation(months)
    abbreviations = "|".join(sorted(fixed, key=len, reverse=True))
    pattern = (
        r"(?<![\w.])(?:"
        rf"(?P<night>(?:{frag['night_before']})\s*(?:(?P<nwd>{wd})|(?P<nd2>\d{{1,2}})\.?\s*(?P<nmon>{mon})\.?))"
        rf"|(?P<coming>{frag['coming']})"
        r"|(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
        r"|(?P<num>(?P<nd>\d{1,2})\.(?P<nm>\d{1,2})\.(?P<ny>\d{4})?(?!\d))"
        # "vom 8. bis zum 10. Mai", "from 8 to 10 May": the first day of a span takes the month named after it
        rf"|(?P<sd>(?P<sdd>\d{{1,2}})(?:st|nd|rd|th)?\.?(?=\s+(?:{frag['span_joiner']})\s+\d{{1,2}}(?:st|nd|rd|th)?\.?"
        rf"\s+(?:of\s+)?(?P<smon>{mon})\.?(?!\w)(?:\s+(?P<sdy>\d{{4}}))?))"
        rf"|(?P<dm>(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\.?(?:(?:{frag['day_joiner']})(?P<dd2>\d{{1,2}})(?:st|nd|rd|th)?\.?)?"
        rf"\s+(?:of\s+)?(?P<dmon>{mon})\.?(?!\w)(?:\s+(?P<dy>\d{{4}}))?)"
        rf"|(?P<md>(?P<mmon>{mon})\.?\s+(?P<mday>\d{{1,2}})(?:st|nd|rd|th)?"
        rf"(?:(?:{frag['day_joiner']})(?:(?:{mon})\.?\s+)?(?P<mday2>\d{{1,2}}))?"
        r"(?!\d)(?:,?\s+(?P<my>\d{4}))?)"
        rf"|(?P<part>(?P<ppart>{_alternation(month_parts)})[\s-]+(?P<pmon>{mon})\.?"
        rf"(?:\s+(?P<py>\d{{4}})|\s+(?P<pnext>{frag['next_year']})|\s+(?P<plast>{frag['last_year']}))?)"
        rf"|(?P<yearend>{frag['year_end']})"
        rf"|(?P<dayn>{frag['day_number']})"
        rf"|(?P<clock>(?P<ch>\d{{1,2}})(?:[:.](?P<cm>\d{{2}}))?\s*(?P<cmer>{frag['clock_suffix']})"
        r"|(?P<ch2>\d{1,2}):(?P<cm2>\d{2})(?!\d)|(?P<ch3>[01]\d|2[0-4])(?P<cm3>[0-5]\d)\s*(?:"
        rf"{frag['hours_word']})\b)"
        rf"|(?P<noon>{_alternation(times_of_day)})(?!\w)"
        rf"|(?P<zone>(?:{_alternation(zones)}|local)\s+{frag['time_word']}|{_alternation(local_words)}"
        rf"|(?:gmt|utc)(?:\s*[+-]\s*\d{{1,2}})?|(?-i:{abbreviations}))(?!\w)"
        rf"|{frag['relative_guard']}(?P<rel>{_alternation(relative)})(?!\w)"
        rf"|(?P<same>{frag['same_day']})"
        rf"|(?P<weekday>(?:(?P<wmod>{_alternation(modifiers)})\s+)?(?P<wd>{wd})(?:'s)?(?:{frag['weekday_suffix']})?)"
        r")(?!\w)"
    )
    gate_words = [*weekdays, *months, *relative, *times_of_day, *local_words, "night", "nacht", "overnight"]
    gate_words += [w.split()[0] for w in re.findall(r"[a-zäöüß]+(?:\s+[a-zäöüß]+)*", frag["coming"])[:1]]
    gate_words += re.findall(r"[a-zäöüß]+", frag["same_day"])
    gate = Lexicon(rf"\b(?:{_alternation(gate_words)}|{frag['gate_phrase']}|{frag['year_end']})")
    return Vocabulary(
        language=language,
        atoms=guarded(pattern, re.IGNORECASE),  # the same matches; most positions fail at once
        filler=re.compile(rf"[\s,]*(?:(?:{frag['filler']})[\s,]*)*", re.IGNORECASE),
        utc_beside=re.compile(
            rf"\(\s*(?P<h>\d{{1,2}})[:.h]?(?P<m>\d{{2}})\s*(?:(?:{frag['clock_suffix']})\s*)?(?P<zone>{abbreviations})\s*\)",
            re.IGNORECASE,
        ),
        gate=gate,
        months=months,
        weekdays=weekdays,
        relative=relative,
        immediate=frozenset(" ".join(w.split()) for w in extra["immediate"]),
        times_of_day=times_of_day,
        modifiers=modifiers,
        zones=zones,
        local_words=local_words,
        month_parts=month_parts,
    )
