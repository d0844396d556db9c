"""Plain data that extraction hands to storage; no I/O, so every later stage can be tested on it directly."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, ClassVar, Literal, get_args

CommitmentKind = Literal[
    "ceasefire",
    "strike_halt",
    "maritime_ceasefire",
    "prisoner_exchange",
    "release",
    "withdrawal",
    "negotiations",
    "other",
]
CommitmentStatus = Literal["proposed", "agreed", "announced", "in_force"]
ReportKind = Literal["violation", "compliance", "fulfilment", "expiry", "extension", "denial", "reaction"]
Language = Literal["en", "de"]

COMMITMENT_KINDS: tuple[str, ...] = get_args(CommitmentKind)
REPORT_KINDS: tuple[str, ...] = get_args(ReportKind)
# One-off acts fall due on a day; the other kinds run over a period.
ONE_OFF_KINDS: frozenset[str] = frozenset({"prisoner_exchange", "release", "negotiations"})

# A point in time as the text gave it: a date when it named only the day, a datetime (aware when the text named a
# zone or the publication line had one, naive otherwise) when it named a clock time.
Moment = date | datetime


def day_of(moment: Moment) -> date:
    """The calendar day of a moment, as its own wall clock shows it."""
    return moment.date() if isinstance(moment, datetime) else moment


def iso(value: Moment | None) -> str | None:
    """ISO 8601 text that keeps the difference between a day and an instant."""
    return None if value is None else value.isoformat()


def as_json(item: Any, *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """The JSON form of an output record, field by field: the extraction contract is the records' own fields, so a
    field added to one is in its JSON without a second list to keep in step."""
    return {f.name: _plain(getattr(item, f.name)) for f in fields(item) if f.name not in leave_out}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):  # a datetime is a date too
        return iso(value)
    if hasattr(value, "to_json"):
        return value.to_json()
    return value


def parse_moment(text: str | None) -> Moment | None:
    """Inverse of :func:`iso`: a date stays a date, a datetime keeps its offset (or its lack of one)."""
    if text is None:
        return None
    if "T" in text:
        return datetime.fromisoformat(text)
    return date.fromisoformat(text)


class JsonRecord:
    """An output record whose JSON form is its own fields (:func:`as_json`) less ``JSON_LEAVES_OUT``: written once
    here rather than as the same one-line method in every record."""

    __slots__ = ()  # the records are slotted dataclasses: an empty base keeps them free of a __dict__
    JSON_LEAVES_OUT: ClassVar[tuple[str, ...]] = ()

    def to_json(self) -> dict[str, Any]:
        return as_json(self, leave_out=self.JSON_LEAVES_OUT)


@dataclass(frozen=True, slots=True)
class Commitment(JsonRecord):
    """Something a party said it will do (or already does), as one article reports it."""

    kind: CommitmentKind
    actors: tuple[str, ...]
    scope: str | None
    start: Moment | None
    duration_days: int | None
    end: Moment | None
    due: Moment | None
    quantity: int | None
    conditions: tuple[str, ...]
    status: CommitmentStatus
    evidence: str


@dataclass(frozen=True, slots=True)
class Report(JsonRecord):
    """A later claim about a commitment: violated, kept, fulfilled, lapsed, extended, denied or reacted to."""

    kind: ReportKind
    about: CommitmentKind
    accused: tuple[str, ...]
    claimed_by: str | None
    date: date | None
    quantity: int | None
    evidence: str


@dataclass(frozen=True, slots=True)
class Article(JsonRecord):
    """One news article after extraction. ``content_hash`` identifies the story regardless of file name."""

    path: str
    language: Language
    published: Moment
    title: str
    content_hash: str
    commitments: tuple[Commitment, ...] = field(default=())
    reports: tuple[Report, ...] = field(default=())
    # What extraction left out as implausible, and why ("date 9999-01-05 is outside 1900–2100"); not part of the
    # extraction contract, shown by `load`.
    notes: tuple[str, ...] = field(default=())

    JSON_LEAVES_OUT = ("content_hash", "notes")


class ArticleError(ValueError):
    """An input that cannot become an article; ``reason`` is one short line meant for the user."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[ArticleError], tuple[str, str]]:
        """Rebuilt from path and reason, so it crosses a process boundary (the bot extracts in a worker)."""
        return (type(self), (self.path, self.reason))
