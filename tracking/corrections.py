"""What an editor may change on a commitment, how a typed value is read, and what a change implies — pure.

Values are read with the extractor's own parsers, so an editor writes what an article would: ``2025-04-16``,
``2025-04-16 18:00 Europe/Moscow``, ``16 April``, ``30 days`` / ``30 Tage``, ``175``, ``Russia, Ukraine``. A value
that cannot be read comes back as :class:`Invalid` naming what would be accepted; nothing here raises for user
input. :func:`apply` makes the change on a :class:`~tracking.model.Tracked` and lists every field it moved: a new
start or duration also moves an end that follows from them (start + duration), as the loader derives it.

Storage keeps the editor's values and marks the fields as corrected (``Tracked.corrected``); the merge rule
(:func:`tracking.merge.combine`) and the "known at" rule (:func:`tracking.state.known_at`) keep them whatever
sources say, and :func:`tracking.conflicts.editor_overrides` reports a later source that says otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from articles.amounts import MAX_DAYS, MAX_QUANTITY, duration_days, normalise, quantity
from articles.entities import find_parties
from articles.model import COMMITMENT_KINDS, Commitment, CommitmentKind, CommitmentStatus, Moment, iso, parse_moment
from articles.temporal import find_times, plus_days
from tracking.model import CommitmentValues, SourceView, Tracked, day_of

# The names editors type (and their German forms), and the Tracked attribute each one sets.
FIELDS: dict[str, str] = {
    "start": "start",
    "end": "end",
    "due": "due",
    "duration": "duration_days",
    "quantity": "quantity",
    "parties": "actors",
    "scope": "scope",
    "kind": "kind",
    "status": "status",
    "title": "title",
}
ALIASES: dict[str, str] = {
    "beginn": "start", "anfang": "start", "ende": "end", "bis": "end", "fällig": "due", "faellig": "due",
    "frist": "due", "dauer": "duration", "anzahl": "quantity", "zahl": "quantity", "number": "quantity",
    "parteien": "parties", "actors": "parties", "party": "parties", "bereich": "scope", "art": "kind",
    "titel": "title",
}  # fmt: skip
ATTRIBUTES: dict[str, str] = {attribute: name for name, attribute in FIELDS.items()}
DATE_FIELDS = frozenset({"start", "end", "due"})
# Changes to these move milestones, so chats that already had an alert with the old value are told.
TIMING_FIELDS = frozenset({"start", "end", "due", "duration_days"})
STATUSES: tuple[CommitmentStatus, ...] = ("proposed", "agreed", "announced", "in_force")
TEXT_LIMIT = 200
# "-" (or "none") clears a free-text field: the scope, or the editor's own title (the generated one comes back).
CLEAR = frozenset({"-", "none", "keine", "keiner", "—"})

Expected = Literal["field", "date", "duration", "quantity", "parties", "text", "kind", "status", "order", "same"]


@dataclass(frozen=True, slots=True)
class Invalid:
    """A value that cannot be used; ``expected`` names what would be accepted (bot.display words it)."""

    field: str
    value: str
    expected: Expected


@dataclass(frozen=True, slots=True)
class Change:
    """One field moved: its Tracked attribute, the value before and after (as stored: ISO text for dates)."""

    attribute: str
    old: Any
    new: Any
    derived: bool = False  # follows from another change (an end from start + duration)

    @property
    def field(self) -> str:
        """The name editors type for it."""
        return ATTRIBUTES.get(self.attribute, self.attribute)


def field_of(text: str) -> str | None:
    """``end`` / ``Ende`` / ``END`` → ``end``; None for anything that is not an editable field."""
    key = text.strip().lower()
    if key in FIELDS:
        return key
    return ALIASES.get(key)


# --- values ------------------------------------------------------------------------------------------------------

_ISO_DAY = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?(?:\s*(Z|[+-]\d{2}:?\d{2}|[A-Za-z_]+(?:/[A-Za-z_+-]+)*))?$"
)
_PIECES = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\+)\s*", re.IGNORECASE)
_NUMBER = re.compile(r"^\d{1,3}(?:[,. ]\d{3})*$|^\d+$")


def _fixed(moment: dt.datetime) -> dt.datetime:
    """A named zone replaced by its offset on that day, as the extractor stores times (plain ISO text)."""
    offset = moment.utcoffset()
    return moment if offset is None else moment.replace(tzinfo=dt.timezone(offset))


def _zone(name: str) -> dt.tzinfo | None:
    if name.upper() in ("Z", "UTC", "GMT"):
        return dt.UTC
    if re.fullmatch(r"[+-]\d{2}:?\d{2}", name):
        sign = -1 if name[0] == "-" else 1
        digits = name[1:].replace(":", "")
        return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _iso_moment(text: str) -> Moment | Literal[False] | None:
    """``2025-04-16``, ``2025-04-16 18:00``, ``2025-04-16 18:00 Europe/Moscow``, ``2025-04-16T18:00+03:00``;
    None when the text is not written that way, False when it is but names no real day, time or zone."""
    try:
        moment = parse_moment(text)
    except ValueError:
        moment = None
    if moment is not None:
        return _fixed(moment) if isinstance(moment, dt.datetime) else moment
    match = _ISO_DAY.match(text)
    if match is None:
        return None
    day_text, hour, minute, zone_name = match.groups()
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        return False
    if hour is None:
        return day if zone_name is None else False
    zone = _zone(zone_name) if zone_name else None
    if zone_name and zone is None:
        return False
    try:
        moment = dt.datetime(day.year, day.month, day.day, int(hour), int(minute), tzinfo=zone)
    except ValueError:
        return False
    return _fixed(moment)


def parse_date(text: str, anchor: Moment, language: str = "en") -> Moment | None:
    """A day or an instant as an article would give it; ``anchor`` places words without a year ("16 April")."""
    cleaned = " ".join(text.split()).strip(" .")
    found = _iso_moment(cleaned)
    if found is False:
        return None
    if found is not None:
        return found
    zone: dt.tzinfo | None = None
    words = cleaned.rsplit(" ", 1)
    if len(words) == 2 and "/" in words[1]:  # "16 April 18:00 Europe/Moscow": the extractor knows no IANA names
        zone = _zone(words[1])
        if zone is None:
            return None
        cleaned = words[0]
    for lang in _languages(language):
        mentions = find_times(cleaned, anchor, language=lang)
        whole = [m for m in mentions if m.moment is not None and m.start == 0 and m.end >= len(cleaned.rstrip(" ."))]
        if len(whole) == 1 and not whole[0].approximate:
            moment = whole[0].moment
            assert moment is not None
            if zone is not None:
                if not isinstance(moment, dt.datetime) or moment.tzinfo is not None:
                    return None
                moment = _fixed(moment.replace(tzinfo=zone))
            return moment
    return None


def parse_duration(text: str, language: str = "en") -> int | None:
    """Whole days: ``30``, ``30 days``, ``a month``, ``72 hours``, ``30 Tage``."""
    cleaned = " ".join(text.split())
    if cleaned.isdigit():
        days = int(cleaned)
        return days if 0 < days <= MAX_DAYS else None
    return _amount(cleaned, language, duration_days)


def parse_quantity(text: str, language: str = "en") -> int | None:
    """A head count or number: ``175``, ``1,000``, ``175 prisoners``, ``23 Soldaten``."""
    cleaned = " ".join(text.split())
    if _NUMBER.match(cleaned):
        value = int(re.sub(r"\D", "", cleaned))
        return value if 0 < value <= MAX_QUANTITY else None
    return _amount(cleaned, language, quantity)


def _languages(language: str) -> tuple[str, ...]:
    """The languages an editor's words are read in: theirs first, then every one the extractor knows."""
    return tuple(dict.fromkeys((language, "en", "de")))


def _amount(cleaned: str, language: str, read: Callable[[str, str], int | None]) -> int | None:
    """The first reading of ``cleaned`` by one of the extractor's amount readers, in :func:`_languages` order."""
    for lang in _languages(language):
        found = read(normalise(cleaned, lang), lang)
        if found is not None:
            return found
    return None


def parse_parties(text: str, language: str = "en") -> tuple[str, ...] | None:
    """``Russia, Ukraine`` / ``Russland und die Ukraine`` → the extractor's canonical names, in the order given;
    None when a piece names no party the extractor knows (a typo must not become a party)."""
    names: list[str] = []
    for piece in _PIECES.split(text):
        if not piece.strip():
            continue
        found: list[str] = []
        for lang in _languages(language):
            found = [m.name for m in find_parties(piece, lang)]
            if found:
                break
        if not found:
            return None
        names += [name for name in found if name not in names]
    return tuple(names) or None


def parse_kind(text: str) -> CommitmentKind | None:
    key = "_".join(text.strip().lower().replace("-", " ").split())
    return cast(CommitmentKind, key) if key in COMMITMENT_KINDS else None


def parse_status(text: str) -> CommitmentStatus | None:
    key = "_".join(text.strip().lower().replace("-", " ").split())
    return next((status for status in STATUSES if status == key), None)


def _text(text: str) -> str | Literal[False] | None:
    cleaned = " ".join(text.split())
    if cleaned.lower() in CLEAR:
        return None
    return cleaned if 0 < len(cleaned) <= TEXT_LIMIT else False


def parse_value(field: str, text: str, tracked: Tracked, *, anchor: Moment, language: str = "en") -> Any | Invalid:
    """``text`` as the value of ``field`` (a name of :data:`FIELDS`) for ``tracked``: ISO text for a date, an int,
    a tuple of parties, a string (None clears the scope or title); :class:`Invalid` when it cannot be read."""
    if field not in FIELDS:
        return Invalid(field, text, "field")
    if field in DATE_FIELDS:
        current = getattr(tracked, field)
        moment = parse_date(text, current if current is not None else anchor, language)
        return Invalid(field, text, "date") if moment is None else moment
    if field == "duration":
        days = parse_duration(text, language)
        return Invalid(field, text, "duration") if days is None else days
    if field == "quantity":
        count = parse_quantity(text, language)
        return Invalid(field, text, "quantity") if count is None else count
    if field == "parties":
        names = parse_parties(text, language)
        return Invalid(field, text, "parties") if names is None else names
    if field == "kind":
        kind = parse_kind(text)
        return Invalid(field, text, "kind") if kind is None else kind
    if field == "status":
        status = parse_status(text)
        return Invalid(field, text, "status") if status is None else status
    value = _text(text)
    return Invalid(field, text, "text") if value is False else value


# --- applying ----------------------------------------------------------------------------------------------------


def stored(value: Any) -> Any:
    """A value as an edit records it (JSON): dates as ISO text, parties as a list."""
    if isinstance(value, dt.date):
        return iso(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _before(a: Moment, b: Moment) -> bool:
    """Whether ``a`` falls on an earlier day than ``b`` (days compared as the text gave them)."""
    return day_of(a) < day_of(b)


def apply(tracked: Tracked, field: str, value: Any) -> tuple[Tracked, list[Change]] | Invalid:
    """``tracked`` with ``field`` set to ``value`` (from :func:`parse_value`), and every field that moved.

    A start or duration moves an end that follows from them (start + duration), unless an editor set the end.
    An end before the start, or a start after the end, is refused (``expected="order"``); a value equal to the
    current one too (``"same"``), so nothing is recorded that changed nothing.
    """
    attribute = FIELDS[field]
    old = getattr(tracked, attribute)
    if stored(old) == stored(value):
        return Invalid(field, str(stored(value)), "same")
    changed = replace(tracked, **{attribute: value})
    changes = [Change(attribute, stored(old), stored(value))]
    if (
        attribute in ("start", "duration_days")
        and "end" not in tracked.corrected_fields
        and changed.start is not None
        and changed.duration_days is not None
    ):
        end = plus_days(changed.start, changed.duration_days)
        if stored(end) != stored(tracked.end):
            changes.append(Change("end", stored(tracked.end), stored(end), derived=True))
            changed = replace(changed, end=end)
    if changed.start is not None and changed.end is not None and _before(changed.end, changed.start):
        return Invalid(field, str(stored(value)), "order")
    return mark(changed, [c.attribute for c in changes], [s.article_id for s in tracked.sources]), changes


def mark(tracked: Tracked, attributes: Sequence[str], known: Sequence[int]) -> Tracked:
    """``tracked`` with ``attributes`` marked as set by an editor when the articles ``known`` were its sources."""
    corrected = dict(tracked.corrected)
    for attribute in attributes:
        corrected[attribute] = tuple(sorted(set(known)))
    return replace(tracked, corrected=tuple(sorted(corrected.items())))


def corrected_json(tracked: Tracked) -> dict[str, list[int]] | None:
    """``Tracked.corrected`` as storage keeps it; None when no field was corrected."""
    return {name: list(ids) for name, ids in tracked.corrected} or None


def corrected_of(value: Mapping[str, Sequence[int]] | None) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The stored JSON back as ``Tracked.corrected``."""
    return tuple(sorted((name, tuple(int(i) for i in ids)) for name, ids in (value or {}).items()))


def keep_corrected(view: Tracked, corrected_by: Tracked) -> Tracked:
    """``view`` with the editor's values of ``corrected_by`` put back, whatever the sources made of them."""
    if not corrected_by.corrected:
        return view
    values = {name: getattr(corrected_by, name) for name in corrected_by.corrected_fields if hasattr(view, name)}
    return replace(view, corrected=corrected_by.corrected, **values)


def as_commitment(tracked: Tracked, source: SourceView | None = None) -> Commitment:
    """A tracked commitment as if one article had reported it, to merge it with the loader's rule: with its merged
    values, or with those ``source`` gave (a source replayed onto what was known before it)."""
    given: CommitmentValues = tracked if source is None else source
    return Commitment(
        kind=cast(CommitmentKind, tracked.kind),
        actors=tracked.actors,
        scope=tracked.scope,
        start=given.start,
        duration_days=given.duration_days,
        end=given.end,
        due=given.due,
        quantity=given.quantity,
        conditions=tracked.conditions,
        status=cast(CommitmentStatus, given.status),
        evidence="" if source is None else source.evidence,
    )
