"""Time expressions in one sentence: tagged, normalised and anchored on the publication moment.

A sentence is scanned once for small atoms (a weekday, a date, "tomorrow", a clock time, a zone, "the 16th
day"); neighbouring atoms form one expression ("21:45 Khartoum time on Monday"). Each expression gets a role from
the nearest cue before it (from -> start, until -> end, said -> said, agreed -> ref, else point) and a direction
from the nearest tense cue (began -> past, will -> future). The words come from ``resources/<lang>/calendar.yaml``
and ``temporal.yaml``; this module only knows the shapes of dates and clocks, and :mod:`articles.days` the
calendar arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from articles.days import Direction, make_date, plus_days, to_date, weekday_date
from articles.model import Moment
from articles.rules import RuleSet, common, rules
from articles.timewords import Vocabulary, vocabulary

__all__ = ["Direction", "Role", "TimeMention", "find_times", "plus_days", "to_date"]

Role = Literal["start", "end", "point", "said", "ref"]
_TENSES: tuple[tuple[str, Direction], ...] = (("future_tense", "future"), ("past_tense", "past"))

_KINDS = (
    "night",
    "coming",
    "iso",
    "num",
    "sd",
    "dm",
    "md",
    "part",
    "yearend",
    "dayn",
    "clock",
    "noon",
    "zone",
    "rel",
    "same",
    "weekday",
)
# "18 March"/"18-19 March" and "March 18"/"March 18-19": (atom, day, second day, month, year) group names
_DAY_MONTH_GROUPS = (
    ("sd", ("sdd", "sdd", "smon", "sdy")),
    ("dm", ("dd", "dd2", "dmon", "dy")),
    ("md", ("mday", "mday2", "mmon", "my")),
)
_DAY_SLOTS = frozenset(
    {"night", "iso", "num", "sd", "dm", "md", "part", "yearend", "dayn", "rel", "same", "weekday", "coming"}
)
_CALENDAR_DATES = frozenset({"iso", "num", "dm", "md"})  # a date that names its month
_DIGIT_RE = re.compile(r"\d")
_DAY_MINUTES = 24 * 60
_MAX_EAST = 14 * 60  # UTC+14 is the easternmost offset
_WEAK_REACH = 1  # words between "from"/"ab" and the time it introduces ("from late Saturday", "ab kommendem Montag")


@dataclass(frozen=True, slots=True)
class TimeMention:
    """One resolved time expression: what it is for in the sentence and when it is."""

    role: Role
    moment: Moment | None
    day_number: int | None
    start: int
    end: int
    immediate: bool = False
    approximate: bool = False  # "the end of January": a day only roughly named


@dataclass(slots=True)
class _Group:
    """Atoms that together name one moment ("Tuesday at 7 am")."""

    atoms: dict[str, re.Match[str]]
    start: int
    end: int


_LEND_DAYS = 7  # a start longer ago than this lends its day to no bare clock time after it


def _slot(kind: str) -> str:
    if kind in _DAY_SLOTS:
        return "day"
    return "clock" if kind in {"clock", "noon"} else "zone"


def _groups(text: str, vocab: Vocabulary) -> list[_Group]:
    """Neighbouring atoms joined by filler words ("on", "at", "um", ",") become one expression."""
    groups: list[_Group] = []
    for match in vocab.atoms.finditer(text):
        kind = next(k for k in _KINDS if match.group(k) is not None)
        slot = _slot(kind)
        last = groups[-1] if groups else None
        if last is None or not vocab.filler.fullmatch(text, last.end, match.start()):
            groups.append(_Group({kind: match}, match.start(), match.end()))
        elif slot not in {_slot(k) for k in last.atoms}:
            last.atoms[kind] = match
            last.end = match.end()
        elif (
            kind in _CALENDAR_DATES and "weekday" in last.atoms and _DAY_SLOTS.isdisjoint(set(last.atoms) - {"weekday"})
        ):
            del last.atoms["weekday"]  # "on Saturday, 7 January": the date says which Saturday
            last.atoms[kind] = match
            last.end = match.end()
    return groups


_FRONTED_WORDS = 2  # words before a time that still opens its sentence ("Late on Tuesday", "But on Monday")


def _role(text: str, group: _Group, floor: int, language: str) -> Role:
    """The nearest cue before the expression, within its clause, decides what it is for."""
    cues = rules(language)
    lo = max(floor, group.start - 40)
    window = text[lo : group.start]
    comma = max(window.rfind(","), window.rfind(";"))
    if comma >= 0:
        window = window[comma + 1 :]
    if cues.cue("ref_after").match(text, group.end):
        return "ref"
    best: tuple[int, str] | None = None
    for rule in cues.ranked("role_cues"):
        for match in rule.pattern.finditer(window):
            if best is None or match.start() > best[0]:
                best = (match.start(), str(rule.label))
    if best is None:
        if cues.cue("start_after").match(text, group.end):
            return "start"
        head = text[max(text.rfind(c, 0, group.start) for c in ",;:") + 1 : group.start]
        if len(head.split()) <= _FRONTED_WORDS and cues.cue("said_after").match(text, group.end):
            return "said"  # "Late on Tuesday the BLA said it would …": when it was said, not when it is due
        return "point"
    position, role = best
    if role == "ref" and cues.cue("act_after").match(text, group.end):
        return "said"  # "agreed on Thursday to continue the truce": when it was agreed, not when it is due
    if role == "end" and window[position : position + 2].lower() == "to" and window[:position].strip():
        return "point"  # "agreed to ... on Friday": "to" ends a range only right after its start
    return role  # type: ignore[return-value]


def _direction(text: str, group: _Group, default: Direction, vocab: Vocabulary) -> tuple[Direction, bool]:
    """Past or future for a bare weekday or date: explicit modifiers, then the nearest tense cue. The flag says
    only a weak cue ("from", "ab") decided: it fixes a weekday's week, but a date may still lie on either side."""
    weekday = group.atoms.get("weekday")
    modifier = vocab.modifiers.get((weekday.group("wmod") or "").lower(), "") if weekday else ""
    if modifier in {"past", "yesterday"}:
        return "past", False
    if modifier in {"future", "tomorrow"}:
        return "future", False
    cues = rules(vocab.language)
    if cues.cue("future_after").match(text, group.end):
        return "future", False  # "eine Waffenruhe, die am 3. August beginnt": the clause's own verb, at its end
    lo = max(0, group.start - 60)
    ahead = cues.cue("starts_ahead").search(text, max(0, group.start - 30), group.start)
    if ahead is not None and cues.cue("pluperfect").search(text, lo, group.start) is None:
        return "future", True  # "agreed to a ceasefire starting on Wednesday": the span's own participle
    found: list[tuple[int, Direction]] = []
    for name, tense in _TENSES:
        found += [(match.start(), tense) for match in cues.cue(name).finditer(text, lo, group.start)]
    # "from"/"ab" speaks of a time only right before it: "its withdrawal from Niger by December 22" has none
    found = [(at, d) for at, d in found if not _weak_and_apart(text, at, group.start, cues)]
    found.sort()
    if found:
        position, direction = found[-1]
        if direction == "future" and cues.cue("weak_future").match(text, position):
            if cues.cue("pluperfect").search(text, lo, position):
                return "past", False  # "had observed the truce from 18:00 on Saturday"
            # "declared the withdrawal from the right bank complete on Friday": a clause whose verbs are all past
            # looks back, though speech alone does not ("said the truce runs from Saturday")
            strong = [
                d
                for at, d in found[:-1]
                if not cues.cue("weak_future").match(text, at) and not cues.cue("speech").match(text, at)
            ]
            return ("past", False) if strong and "future" not in strong else ("future", True)
        return direction, False
    if cues.cue("past_after").match(text, group.end):
        return "past", False
    if cues.cue("past_after_fronted").match(text, group.end) and len(text[: group.start].split()) <= 1:
        return "past", False  # "On Thursday, Putin ordered …": the day fronted before the subject
    return default, False


def _weak_and_apart(text: str, at: int, start: int, cues: RuleSet) -> bool:
    weak = cues.cue("weak_future").match(text, at)
    return weak is not None and len(text[weak.end() : start].split()) > _WEAK_REACH


def _starts_ahead(text: str, group: _Group, vocab: Vocabulary) -> bool:
    """ "agreed to a ceasefire starting at midnight": the span's own participle looks ahead, whatever the tense;
    so does "announced a ceasefire from midnight" when the sentence tells of no start that has passed."""
    cues = rules(vocab.language)
    if cues.cue("starts_ahead").search(text, max(0, group.start - 30), group.start) is not None:
        return True
    weak = list(cues.cue("weak_future").finditer(text, max(0, group.start - 8), group.start))
    return bool(weak) and not text[weak[-1].end() : group.start].strip() and cues.cue("started").search(text) is None


def _day(
    group: _Group, anchor: date, direction: Direction, vocab: Vocabulary, *, strict: bool = True
) -> tuple[date | None, int | None]:
    """The calendar day an expression names, or the day number counted from a commitment's start. A date without
    its year is taken on the side of the tense unless ``strict`` is off, then simply the nearest."""
    atoms = group.atoms
    if "rel" in atoms:
        word = " ".join(atoms["rel"].group(0).lower().split())
        return anchor + timedelta(days=vocab.relative.get(word, 0)), None
    if "night" in atoms:
        m = atoms["night"]
        if m.group("nwd"):
            return weekday_date(anchor, vocab.weekdays[m.group("nwd").lower()], direction), None
        month = vocab.months[m.group("nmon").lower()]
        return make_date(None, month, int(m.group("nd2")), anchor, direction, strict=strict), None
    if "weekday" in atoms:
        match = atoms["weekday"]
        modifier = vocab.modifiers.get((match.group("wmod") or "").lower(), "")
        if modifier == "tomorrow":
            return anchor + timedelta(days=1), None
        if modifier == "today":
            return anchor, None
        if modifier == "yesterday":
            return anchor - timedelta(days=1), None
        day = weekday_date(anchor, vocab.weekdays[match.group("wd").lower()], direction)
        if day == anchor and (match.group("wmod") or "").lower() in {"next", "last", "vergangenen", "letzten"}:
            day += timedelta(days=7 if direction == "future" else -7)
        return day, None
    if "iso" in atoms:
        m = atoms["iso"]
        return make_date(m.group("iy"), int(m.group("im")), int(m.group("id")), anchor, direction, strict=strict), None
    if "num" in atoms:
        m = atoms["num"]
        if not 1 <= int(m.group("nm")) <= 12:
            return None, None
        return make_date(m.group("ny"), int(m.group("nm")), int(m.group("nd")), anchor, direction, strict=strict), None
    for kind, (day_group, second_group, month_group, year_group) in _DAY_MONTH_GROUPS:
        if kind in atoms:
            m = atoms[kind]
            # "the midnight of May 7-8" is the second day's beginning, "the night of April 28-29" ends on it (the
            # night is looked for only when the span names a second day)
            ends = bool(m.group(second_group)) and (
                "noon" in atoms
                or rules(vocab.language).cue("night_of").search(m.string, max(0, group.start - 20), group.start)
                is not None
            )
            number = m.group(second_group) if ends else m.group(day_group)
            month = vocab.months[m.group(month_group).lower()]
            return make_date(m.group(year_group), month, int(number), anchor, direction, strict=strict), None
    if "part" in atoms:
        m = atoms["part"]
        month = vocab.months[m.group("pmon").lower()]
        nth = vocab.month_parts[" ".join(m.group("ppart").lower().split())]
        shift = 1 if m.group("pnext") else -1 if m.group("plast") else 0
        if shift:  # "the end of September next year": the year after the anchor's, whatever the tense
            opening = date(anchor.year + shift, month, 1)
            last = (opening + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            return (last if nth < 0 else opening.replace(day=nth)), None
        if nth < 0:  # the month's last day: the day before the next month's first
            first = make_date(m.group("py"), month, 1, anchor, direction, strict=strict)
            return (None if first is None else (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)), None
        return make_date(m.group("py"), month, nth, anchor, direction, strict=strict), None
    if "yearend" in atoms:  # "by the end of the year": its last day
        return make_date(atoms["yearend"].group("yey"), 12, 31, anchor, direction, strict=strict), None
    if "dayn" in atoms:
        m = atoms["dayn"]
        return None, int(m.group("dn") or m.group("dn2"))
    return None, None


def _zone(match: re.Match[str] | None, local: tzinfo | None, vocab: Vocabulary) -> tzinfo | None:
    """The zone a zone atom names; "local time" means the place the story is about."""
    if match is None:
        return None
    text = " ".join(match.group(0).split())
    lowered = text.lower()
    if lowered in vocab.local_words or lowered.startswith("local "):
        return local
    if lowered.startswith(("gmt", "utc")):
        offset = lowered[3:].replace(" ", "")
        return timezone(timedelta(hours=int(offset))) if offset else UTC
    fixed = common("zones")["fixed"]
    if text in fixed:
        return timezone(timedelta(minutes=int(fixed[text])))
    name = lowered.rsplit(" ", 1)[0]
    zone = vocab.zones.get(name)
    return ZoneInfo(zone) if zone else None


def _clock(group: _Group, role: Role, vocab: Vocabulary) -> tuple[int, int, int] | None:
    """(hour, minute, days to add) of the expression's clock time; 24:00 and an ending midnight roll over."""
    if "noon" in group.atoms:
        hour, minute = vocab.times_of_day[" ".join(group.atoms["noon"].group(0).lower().split())]
        if hour == 0 and minute == 0:
            # "until midnight on Sunday" ends as Monday begins; "midnight on May 7-8" and "the night to Monday"
            # already name the day that begins, and a start at midnight begins the day it names
            ranged = any(group.atoms[k].group(g) for k, g in (("dm", "dd2"), ("md", "mday2")) if k in group.atoms)
            return 0, 0, 0 if ("night" in group.atoms or ranged or role == "start") else 1
        return hour, minute, 0
    match = group.atoms.get("clock")
    if match is None:
        return None
    hour = int(match.group("ch") or match.group("ch2") or match.group("ch3"))
    minute = int(match.group("cm") or match.group("cm2") or match.group("cm3") or 0)
    meridiem = (match.group("cmer") or "").lower().replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if hour == 24 and minute == 0:
        return 0, 0, 1
    if hour > 23 or minute > 59:
        return None
    return hour, minute, 0


def _offset(clock: tuple[int, int, int], beside: re.Match[str]) -> tzinfo:
    """The offset that makes the local clock time and the one in brackets, in the zone it names, the same instant."""
    hour, minute, _ = clock
    named = int(common("zones")["fixed"][beside.group("zone").upper()])
    minutes = (hour * 60 + minute - int(beside.group("h")) * 60 - int(beside.group("m")) + named) % _DAY_MINUTES
    return timezone(timedelta(minutes=minutes - _DAY_MINUTES if minutes > _MAX_EAST else minutes))


def _fixed(moment: datetime) -> datetime:
    """Replace a named zone by its offset on that day, so the ISO text and equality are plain."""
    offset = moment.utcoffset()
    return moment if offset is None else moment.replace(tzinfo=timezone(offset))


def find_times(
    text: str,
    published: Moment,
    *,
    language: str = "en",
    local: tzinfo | None = None,
    default: Direction = "future",
) -> list[TimeMention]:
    """Every time expression of a sentence, resolved; unresolvable ones ("in the coming days") are dropped.

    A clock time takes its own zone, else the zone named elsewhere in the sentence, else none: an unknown zone
    is left open rather than guessed from the page's stamp.
    """
    anchor = to_date(published)
    assert anchor is not None
    vocab = vocabulary(language)
    if not _DIGIT_RE.search(text) and not vocab.gate.search(text):
        return []  # most sentences name no time at all; the full scan is the costly part
    beside = {m.start(): m for m in vocab.utc_beside.finditer(text)}
    for m in beside.values():  # blanked, not cut: the day after the bracket still joins the clock before it
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    groups = _groups(text, vocab)
    sentence_zone = next((g.atoms["zone"] for g in groups if "zone" in g.atoms), None)
    out: list[TimeMention] = []
    guessed: set[int] = set()  # positions in out of bare weekdays whose week came from the tense alone
    floor = 0
    named: date | None = None  # a clock time alone is on the day last named ("agreed on Friday ... from 4 p.m.")
    named_before = False  # the day last named is when it was agreed or said: a bare midnight to come follows it
    said: date | None = None  # the past day the sentence's speaker spoke on
    for group in groups:
        rel = group.atoms.get("rel")
        word = " ".join(rel.group(0).lower().split()) if rel is not None else ""
        immediate = rel is not None and word in vocab.immediate
        role = _role(text, group, floor, language)
        if role == "end" and immediate:
            role = "start"  # "agreed on Monday to an immediate truce": "immediate" ends no range, it starts the truce
        floor = group.end
        if "coming" in group.atoms:
            continue
        # "die Ende Juli vereinbarte Waffenruhe", "the truce agreed on Tuesday": what was agreed lies behind
        direction: Direction
        # ... and a day something was said on lies behind too
        direction, weak = ("past", False) if role in ("ref", "said") else _direction(text, group, default, vocab)
        day: date | None
        if "same" in group.atoms:  # "with effect from the same day": the day the sentence just named, if it did
            day, day_number = named, None
        else:
            day, day_number = _day(group, anchor, direction, vocab, strict=not weak)
        if said is not None and direction == "future" and _bare_weekday(group, vocab):
            # "said late on Monday that it would observe a truce from Tuesday", read on Wednesday: the Tuesday after
            # the Monday it was said, not the next one
            day = weekday_date(
                said + timedelta(days=1), vocab.weekdays[group.atoms["weekday"].group("wd").lower()], "future"
            )
        if said is not None and rel is not None and not immediate and role != "said":
            # "said on Saturday that Tajik forces had kept shelling overnight": the night before it was said
            day = said + timedelta(days=vocab.relative.get(word, 0))
        if role == "said" and day is not None and day < anchor:
            said = day
        clock = _clock(group, role, vocab)
        if day is None and day_number is None:
            if clock is None:
                continue
            ahead = direction == "future" or _starts_ahead(text, group, vocab)
            if (named is None or named_before) and clock == (0, 0, 0) and ahead and "noon" in group.atoms:
                clock = (0, 0, 1)  # "soll um Mitternacht beginnen", no day named: the midnight to come
                direction = "future"
            day = named or anchor
        elif day is not None and not immediate and not (role == "start" and (anchor - day).days > _LEND_DAYS):
            # "an immediate truce from midnight" names no day for the midnight; "agreed on Monday to a truce from
            # midnight" names the day the midnight after it follows; "held since April 23, … handed over at 10:30"
            # does not: a bare clock time is of these days
            named, named_before = day, role in ("ref", "said")
        moment: Moment | None = day
        if day is not None and clock is not None:
            hour, minute, roll = clock
            if roll and direction == "past" and day + timedelta(days=roll) > anchor:
                roll = 0  # "came into force at midnight on Thursday" in Thursday's paper: the night it began
            utc = next((m for at, m in beside.items() if group.start <= at and not text[group.end : at].strip()), None)
            zone = _zone(group.atoms.get("zone") or sentence_zone, local, vocab) if utc is None else _offset(clock, utc)
            moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone) + relativedelta(days=roll)
            moment = _fixed(moment)
        if _bare_weekday(group, vocab):
            guessed.add(len(out))
        out.append(TimeMention(role, moment, day_number, group.start, group.end, immediate, "part" in group.atoms))
    return _ordered_range(out, guessed)


def _shifted(moment: Moment | None, by: timedelta) -> Moment | None:
    return None if moment is None else moment + by


def _bare_weekday(group: _Group, vocab: Vocabulary) -> bool:
    """A weekday with no date and no word that fixes its week ("on Saturday", not "next Saturday" or "tomorrow")."""
    match = group.atoms.get("weekday")
    return match is not None and not match.group("wmod") and "rel" not in group.atoms


def _ordered_range(out: list[TimeMention], guessed: set[int]) -> list[TimeMention]:
    """A span starts before it ends: "declared a truce from Saturday until midnight on Sunday" in Sunday's paper
    began yesterday, though "from" alone points ahead. Only a weekday whose week was guessed moves, by one week."""
    i = next((k for k, t in enumerate(out) if t.role == "start"), None)
    j = None if i is None else next((k for k in range(i + 1, len(out)) if out[k].role == "end"), None)
    if i is None or j is None:
        return out
    start, end = to_date(out[i].moment), to_date(out[j].moment)
    if start is None or end is None or start <= end:
        return out
    week = timedelta(days=7)
    if i in guessed and start - week <= end:
        out[i] = replace(out[i], moment=_shifted(out[i].moment, -week))
    elif j in guessed and end + week >= start:
        out[j] = replace(out[j], moment=_shifted(out[j].moment, week))
    return out
