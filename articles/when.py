"""Time expressions in one sentence, resolved against the publication moment.

A sentence is scanned once for small atoms (a weekday, a date, "tomorrow", a clock time, a zone, "the 16th
day"); neighbouring atoms form one expression ("21:45 Khartoum time on Monday"). Each expression gets a role
from the word just before it (from/ab -> start, until/bis -> end, said -> said, ordered/agreed -> ref, else
point) and a direction from the nearest tense cue (began/hatte -> past, will/soll -> future).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from articles.lexicon import Lexicon
from articles.model import Moment

__all__ = ["Direction", "TimeMention", "find_times", "local_zone", "to_date"]

Role = Literal["start", "end", "point", "said", "ref"]
Direction = Literal["past", "future"]

_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "montag": 0,
    "dienstag": 1,
    "mittwoch": 2,
    "donnerstag": 3,
    "freitag": 4,
    "samstag": 5,
    "sonnabend": 5,
    "sonntag": 6,
}
_MONTHS = {
    "january": 1,
    "jan": 1,
    "januar": 1,
    "jänner": 1,
    "february": 2,
    "feb": 2,
    "februar": 2,
    "march": 3,
    "mar": 3,
    "märz": 3,
    "maerz": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "mai": 5,
    "june": 6,
    "jun": 6,
    "juni": 6,
    "july": 7,
    "jul": 7,
    "juli": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
    "dezember": 12,
    "dez": 12,
}
_WD = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MON = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ZONE_NAMES = {
    "moscow": "Europe/Moscow",
    "moskauer": "Europe/Moscow",
    "russian": "Europe/Moscow",
    "kyiv": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
    "kiewer": "Europe/Kyiv",
    "ukrainian": "Europe/Kyiv",
    "khartoum": "Africa/Khartoum",
    "sudanese": "Africa/Khartoum",
    "beirut": "Asia/Beirut",
    "lebanese": "Asia/Beirut",
    "israel": "Asia/Jerusalem",
    "israeli": "Asia/Jerusalem",
    "gaza": "Asia/Jerusalem",
    "jerusalem": "Asia/Jerusalem",
    "eastern": "America/New_York",
    "central european": "Europe/Berlin",
    "mitteleuropäischer": "Europe/Berlin",
    "mitteleuropäische": "Europe/Berlin",
}
_FIXED_ZONES = {"mez": 1, "cet": 1, "mesz": 2, "cest": 2, "eet": 2, "eest": 3, "msk": 3, "est": -5, "edt": -4}
_PLACES = (
    (re.compile(r"\b(?:beirut|lebanon|libanon|südlibanon|lebanese)\b", re.I), "Asia/Beirut"),
    (re.compile(r"\b(?:gaza|gazastreifen\w*|israel|israeli|jerusalem|tel aviv)\b", re.I), "Asia/Jerusalem"),
    (re.compile(r"\b(?:khartoum|khartum|sudan|sudanese|sudanesische\w*|darfur)\b", re.I), "Africa/Khartoum"),
    (re.compile(r"\b(?:kyiv|kiev|kiew|ukraine)\b", re.I), "Europe/Kyiv"),
    (re.compile(r"\b(?:moscow|moskau|russia|russland)\b", re.I), "Europe/Moscow"),
)

_ATOM_RE = re.compile(
    r"(?<![\w.])(?:"
    rf"(?P<night>(?:in\s+der\s+)?nacht\s+(?:zu[mr]?|auf)\s+(?:den\s+|dem\s+)?(?P<nwd>{_WD})"
    rf"|(?:the\s+)?night\s+(?:(?:from|of)\s+(?:{_WD})\s+)?(?:to|into|before)\s+(?P<nwd2>{_WD}))"
    r"|(?P<coming>in\s+the\s+(?:coming|next)\s+(?:few\s+)?days|in\s+den\s+(?:kommenden|nächsten)\s+tagen)"
    r"|(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
    r"|(?P<num>(?P<nd>\d{1,2})\.(?P<nm>\d{1,2})\.(?P<ny>\d{4})?(?!\d))"
    rf"|(?P<dm>(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<dmon>{_MON})\.?(?!\w)(?:\s+(?P<dy>\d{{4}}))?)"
    rf"|(?P<md>(?P<mmon>{_MON})\.?\s+(?P<mday>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<my>\d{{4}}))?)"
    r"|(?P<dayn>(?:the\s+)?(?P<dn>\d{1,3})(?:st|nd|rd|th|\.)\s+(?:day|tag\w*)(?!\w)|day\s+(?P<dn2>\d{1,3})(?!\d))"
    r"|(?P<clock>(?P<ch>\d{1,2})(?:[:.](?P<cm>\d{2}))?\s*(?P<cmer>a\.m\.|p\.m\.|am(?!\w)|pm(?!\w)|uhr(?!\w))"
    r"|(?P<ch2>\d{1,2}):(?P<cm2>\d{2})(?!\d))"
    r"|(?P<noon>midnight|mitternacht|noon|mittag)(?!\w)"
    r"|(?P<zone>(?:moscow|moskauer|kyiv|kiev|kiewer|khartoum|beirut|israeli?|gaza|jerusalem|lebanese|sudanese"
    r"|ukrainian|russian|local|eastern|central\s+european|mitteleuropäischer?)\s+(?:time|zeit)"
    r"|ortszeit|(?:gmt|utc)(?:\s*[+-]\s*\d{1,2})?|(?-i:MEZ|MESZ|CET|CEST|EET|EEST|MSK|EST|EDT))(?!\w)"
    r"|(?P<rel>today|tonight|tomorrow|yesterday|heute|(?-i:morgen)|gestern|übermorgen|immediately"
    r"|with\s+immediate\s+effect|at\s+once|unverzüglich|sofort\w*|umgehend|overnight|last\s+night"
    r"|in\s+der\s+nacht)(?!\w)"
    rf"|(?P<weekday>(?:(?P<wmod>next|last|this|coming|kommenden|nächsten|vergangenen|letzten|morgigen|heutigen"
    rf"|gestrigen|diesen|diesem)\s+)?(?P<wd>{_WD})(?:'s)?(?:abend|morgen|mittag|nachmittag|vormittag|nacht)?)"
    r")(?!\w)",
    re.IGNORECASE,
)
_FILLER_RE = re.compile(
    r"[\s,]*(?:(?:at|on|um|am|the|of|den|dem|morning|evening|afternoon|night|abend|früh|nachmittag|vormittag"
    r"|mittags|abends|morgens|nachts|in\s+der)[\s,]*)*",
    re.IGNORECASE,
)
_ROLE_RE = re.compile(
    r"(?P<start>\b(?:from|starting|beginning|begins?|began|begun|start(?:s|ed)?|takes?\s+effect|took\s+effect"
    r"|effective|since|as\s+of|ab|von|vom|seit|beginn\w*|begann\w*|in\s+kraft)\b)"
    r"|(?P<end>\b(?:until|till|through|to|ends?|ended|ending|expires?|expired|lapses?|bis|endet|enden|endete"
    r"|no\s+later\s+than|by|spätestens)\b)"
    r"|(?P<said>\b(?:said|says|told|stated|reported|claimed|wrote|sagte|erklärte|teilte|mitteilte|hieß\s+es"
    r"|berichtete)\b)"
    r"|(?P<ref>\b(?:ordered|agreed|signed|proposed|declared|announced|angeordnet|vereinbart\w*|unterzeichnet"
    r"|vorgeschlagen|befohlen|verkündet|kündigte)\b)",
    re.IGNORECASE,
)
_START_AFTER_RE = re.compile(
    r"\s*(?:in\s+kraft\s+treten|in\s+kraft|beginnen|begin|take\s+effect|starten)\b", re.IGNORECASE
)
_IMMEDIATE = frozenset({"immediately", "with immediate effect", "at once", "unverzüglich", "sofort", "umgehend"})
_REF_AFTER_RE = re.compile(
    r"\s*(?:[\w-]+\s+)?(?:angeordnet|vereinbart|unterzeichnet|vorgeschlagen|befohlen|verkündet|angekündigt)\b",
    re.IGNORECASE,
)
_FUTURE_CUES = (
    r"will|would|is\s+to|are\s+to|due\s+to|set\s+to|going\s+to|shall|from|until|starting|takes?\s+effect"
    r"|begins|ends|expires|next|planned|scheduled|soll\w*|wird|werden|würde\w*|ab|bis|beginnt|endet|gelten|gilt"
    r"|morgig\w*|kommend\w*|nächst\w*|geplant|wollen"
)
_PAST_CUES = (
    r"began|started|took|ended|expired|was|were|had|has|have|did|said|signed|agreed|accused|attacked|struck|hit"
    r"|held|spoke|met|ordered|announced|last|previous|ago|since|begann|endete|sagte|erklärte|teilte"
    r"|unterzeichnete\w*|vereinbarte\w*|hatte\w*|hat|haben|war|waren|wurde\w*|seit|vergangen\w*|letzt\w*|warf"
    r"|wies|beschuldigte|gestrig\w*|angegriffen|abgeschossen|ordnete|kündigte|reagierte|fragte|griffe?n?|beschoss\w*"
)
_EN_ONLY = frozenset({"was", "were", "had", "has", "have", "did", "hit", "last", "from", "until"})
_DE_ONLY = frozenset({"war", "waren", "hat", "haben", "ab", "bis", "wird"})


def _tense_re(lang: str) -> re.Pattern[str]:
    """Tense cues of one language: English "war" (prisoners of war) is not German "war"."""
    drop = _DE_ONLY if lang == "en" else _EN_ONLY

    def keep(cues: str) -> str:
        """The cue list without the words of the other language."""
        return "|".join(c for c in cues.split("|") if c not in drop)

    return re.compile(rf"(?P<future>\b(?:{keep(_FUTURE_CUES)})\b)|(?P<past>\b(?:{keep(_PAST_CUES)})\b)", re.IGNORECASE)


_TENSE_RES = {"en": _tense_re("en"), "de": _tense_re("de")}
_PAST_AFTER_RE = re.compile(
    r"\s*(?:[\w-]+\s+){0,2}?(?:angeordnet|vereinbart|unterzeichnet|abgeschossen|angegriffen|zurück|hatte|war"
    r"|wurde|ordered|said|signed)\b",
    re.IGNORECASE,
)
_DIGIT_RE = re.compile(r"\d")
# Every atom without digits starts with one of these words (or a weekday or month name).
_TIME_WORDS = Lexicon(
    rf"\b(?:{_WD}|{_MON}|nacht|night|midnight|mitternacht|noon|mittag|today|tonight|tomorrow|yesterday|heute"
    r"|morgen|gestern|übermorgen|immediate|once|unverzüglich|sofort|umgehend|overnight|coming|next|kommenden"
    r"|nächsten)"
)
_DAY_SLOTS = frozenset({"night", "iso", "num", "dm", "md", "dayn", "rel", "weekday", "coming"})


@dataclass(frozen=True, slots=True)
class TimeMention:
    """One resolved time expression: what it is for in the sentence and when it is."""

    role: Role
    moment: Moment | None
    day_number: int | None
    start: int
    end: int
    immediate: bool = False


@dataclass(slots=True)
class _Group:
    """Atoms that together name one moment ("Tuesday at 7 am")."""

    atoms: dict[str, re.Match[str]]
    start: int
    end: int


def local_zone(text: str) -> tzinfo | None:
    """The zone of the first place the text names: what "local time" / "Ortszeit" means there."""
    best: tuple[int, str] | None = None
    for pattern, zone in _PLACES:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), zone)
    return ZoneInfo(best[1]) if best else None


def to_date(moment: Moment | None) -> date | None:
    """The calendar day of a moment (a report's date is a day)."""
    if moment is None:
        return None
    return moment.date() if isinstance(moment, datetime) else moment


def _slot(kind: str) -> str:
    """What an atom contributes to a moment: the day, the clock time or the zone."""
    if kind in _DAY_SLOTS:
        return "day"
    return "clock" if kind in {"clock", "noon"} else "zone"


def _atoms(text: str) -> list[tuple[str, re.Match[str]]]:
    """Every atom of the sentence with its kind, in text order."""
    out: list[tuple[str, re.Match[str]]] = []
    for match in _ATOM_RE.finditer(text):
        kind = next(
            k
            for k in ("night", "coming", "iso", "num", "dm", "md", "dayn", "clock", "noon", "zone", "rel", "weekday")
            if match.group(k) is not None
        )
        out.append((kind, match))
    return out


def _groups(text: str, lang: str) -> list[_Group]:
    """Neighbouring atoms joined by filler words ("on", "at", "um", ",") become one expression."""
    groups: list[_Group] = []
    for kind, match in _atoms(text):
        if kind == "clock" and lang == "de" and (match.group("cmer") or "").lower() == "am":
            continue
        slot = _slot(kind)
        last = groups[-1] if groups else None
        if (
            last is not None
            and slot not in {_slot(k) for k in last.atoms}
            and _FILLER_RE.fullmatch(text, last.end, match.start())
        ):
            last.atoms[kind] = match
            last.end = match.end()
        else:
            groups.append(_Group({kind: match}, match.start(), match.end()))
    return groups


def _role(text: str, group: _Group, floor: int) -> Role:
    """The nearest cue before the expression, within its clause, decides what it is for."""
    lo = max(floor, group.start - 40)
    window = text[lo : group.start]
    comma = max(window.rfind(","), window.rfind(";"))
    if comma >= 0:
        window = window[comma + 1 :]
    cues = list(_ROLE_RE.finditer(window))
    if _REF_AFTER_RE.match(text, group.end):
        return "ref"
    if not cues:
        return "start" if _START_AFTER_RE.match(text, group.end) else "point"
    last = cues[-1]
    if last.lastgroup == "end" and last.group(0).lower() == "to" and window[: last.start()].strip():
        return "point"  # "agreed to ... on Friday": "to" is an end cue only right after a range start
    role = last.lastgroup
    return "point" if role is None else role  # type: ignore[return-value]


def _direction(text: str, group: _Group, default: Direction, lang: str) -> Direction:
    """Past or future for a bare weekday: explicit modifiers, then the nearest tense cue."""
    weekday = group.atoms.get("weekday")
    modifier = (weekday.group("wmod") or "").lower() if weekday else ""
    if modifier in {"last", "vergangenen", "letzten", "gestrigen"}:
        return "past"
    if modifier in {"next", "coming", "kommenden", "nächsten", "morgigen"}:
        return "future"
    tense = _TENSE_RES.get(lang, _TENSE_RES["en"])
    cues = list(tense.finditer(text, max(0, group.start - 60), group.start))
    if cues:
        return "future" if cues[-1].lastgroup == "future" else "past"
    if _PAST_AFTER_RE.match(text, group.end):
        return "past"
    return default


def _weekday_date(anchor: date, weekday: int, direction: Direction, modifier: str) -> date:
    """The weekday nearest the anchor on the given side; the anchor itself when it matches."""
    if direction == "future":
        ahead = (weekday - anchor.weekday()) % 7
        if modifier in {"next"} and ahead == 0:
            ahead = 7
        if modifier == "morgigen" and ahead == 0:
            ahead = 7
        return anchor + timedelta(days=ahead)
    back = (anchor.weekday() - weekday) % 7
    if modifier in {"last", "vergangenen", "letzten"} and back == 0:
        back = 7
    return anchor - timedelta(days=back)


def _nearest_year(anchor: date, month: int, day: int, direction: Direction) -> date | None:
    """The year that puts a bare "March 18" nearest the anchor, preferring the side the tense points to."""
    candidates: list[tuple[int, date]] = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        days = (candidate - anchor).days
        wrong_side = (direction == "past" and days > 0) or (direction == "future" and days < 0)
        candidates.append((abs(days) + (400 if wrong_side else 0), candidate))
    return min(candidates)[1] if candidates else None


def _make_date(year: str | None, month: int, day: int, anchor: date, direction: Direction) -> date | None:
    """A valid date from parts, or None for impossible ones like 31 February."""
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        try:
            return date(full, month, day)
        except ValueError:
            return None
    return _nearest_year(anchor, month, day, direction)


_REL_DAYS = {"tomorrow": 1, "morgen": 1, "yesterday": -1, "gestern": -1, "übermorgen": 2}


def _day(group: _Group, anchor: date, direction: Direction) -> tuple[date | None, int | None]:
    """The calendar day an expression names, or the day number counted from a commitment's start."""
    atoms = group.atoms
    if "rel" in atoms:
        word = atoms["rel"].group(0).lower()
        return anchor + timedelta(days=_REL_DAYS.get(word, 0)), None
    if "night" in atoms:
        name = (atoms["night"].group("nwd") or atoms["night"].group("nwd2")).lower()
        return _weekday_date(anchor, _WEEKDAYS[name], direction, ""), None
    if "weekday" in atoms:
        match = atoms["weekday"]
        modifier = (match.group("wmod") or "").lower()
        day = _weekday_date(anchor, _WEEKDAYS[match.group("wd").lower()], direction, modifier)
        if modifier == "morgigen":
            day = anchor + timedelta(days=1)
        return day, None
    if "iso" in atoms:
        m = atoms["iso"]
        return _make_date(m.group("iy"), int(m.group("im")), int(m.group("id")), anchor, direction), None
    if "num" in atoms:
        m = atoms["num"]
        if not 1 <= int(m.group("nm")) <= 12:
            return None, None
        return _make_date(m.group("ny"), int(m.group("nm")), int(m.group("nd")), anchor, direction), None
    if "dm" in atoms:
        m = atoms["dm"]
        month = _MONTHS[m.group("dmon").lower()]
        return _make_date(m.group("dy"), month, int(m.group("dd")), anchor, direction), None
    if "md" in atoms:
        m = atoms["md"]
        month = _MONTHS[m.group("mmon").lower()]
        return _make_date(m.group("my"), month, int(m.group("mday")), anchor, direction), None
    if "dayn" in atoms:
        m = atoms["dayn"]
        return None, int(m.group("dn") or m.group("dn2"))
    return None, None


def _zone(match: re.Match[str] | None, local: tzinfo | None) -> tzinfo | None:
    """The zone a zone atom names; "local time" means the place the story is about."""
    if match is None:
        return None
    text = " ".join(match.group(0).lower().split())
    if text in {"local time", "ortszeit"}:
        return local
    if text.startswith(("gmt", "utc")):
        offset = text[3:].replace(" ", "")
        return timezone(timedelta(hours=int(offset))) if offset else UTC
    if text in _FIXED_ZONES:
        return timezone(timedelta(hours=_FIXED_ZONES[text]))
    name = text.rsplit(" ", 1)[0]
    return ZoneInfo(_ZONE_NAMES[name]) if name in _ZONE_NAMES else None


def _clock(group: _Group, role: Role) -> tuple[int, int, int] | None:
    """(hour, minute, days to add) of the expression's clock time; 24 Uhr and midnight roll to the next day."""
    if "noon" in group.atoms:
        word = group.atoms["noon"].group(0).lower()
        if word in {"noon", "mittag"}:
            return 12, 0, 0
        return 0, 0, 0 if "night" in group.atoms or role == "start" else 1
    match = group.atoms.get("clock")
    if match is None:
        return None
    hour = int(match.group("ch") or match.group("ch2"))
    minute = int(match.group("cm") or match.group("cm2") or 0)
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


def _fixed(moment: datetime) -> datetime:
    """Replace a named zone by its offset on that day, so the ISO text and equality are plain."""
    offset = moment.utcoffset()
    return moment if offset is None else moment.replace(tzinfo=timezone(offset))


def _published_zone(published: Moment) -> tzinfo | None:
    """The zone of the date line, which a clock time without its own zone shares."""
    return published.tzinfo if isinstance(published, datetime) else None


def find_times(
    text: str,
    published: Moment,
    *,
    lang: str = "en",
    local: tzinfo | None = None,
    default: Direction = "future",
) -> list[TimeMention]:
    """Every time expression of a sentence, resolved; unresolvable ones ("in the coming days") are dropped."""
    anchor = to_date(published)
    assert anchor is not None
    if not _DIGIT_RE.search(text) and not _TIME_WORDS.search(text):
        return []  # most sentences name no time at all; the full scan is the costly part
    groups = _groups(text, lang)
    sentence_zone = next((g.atoms["zone"] for g in groups if "zone" in g.atoms), None)
    out: list[TimeMention] = []
    floor = 0
    for group in groups:
        role = _role(text, group, floor)
        floor = group.end
        if "coming" in group.atoms:
            continue
        day, day_number = _day(group, anchor, _direction(text, group, default, lang))
        clock = _clock(group, role)
        if day is None and day_number is None:
            if clock is None:
                continue
            day = anchor
        moment: Moment | None = day
        if day is not None and clock is not None:
            hour, minute, roll = clock
            zone = _zone(group.atoms.get("zone") or sentence_zone, local) or _published_zone(published)
            moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone) + relativedelta(days=roll)
            moment = _fixed(moment)
        rel = group.atoms.get("rel")
        immediate = rel is not None and " ".join(rel.group(0).lower().split()).startswith(tuple(_IMMEDIATE))
        out.append(TimeMention(role, moment, day_number, group.start, group.end, immediate))
    return out
