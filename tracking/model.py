"""Read-only views of tracked commitments: what storage hands to the pure rules, the CLI and the bot."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from articles.model import Moment

_UTC = dt.UTC


@dataclass(frozen=True, slots=True, kw_only=True)
class CommitmentValues:
    """The dates, count and status of a commitment: as one source gave them (:class:`SourceView`) or as merged over
    all of them (:class:`Tracked`). The state rules replay the sources one by one, so both must offer the same."""

    start: Moment | None
    end: Moment | None
    due: Moment | None
    duration_days: int | None
    quantity: int | None
    status: str


@dataclass(frozen=True, slots=True)
class SourceView(CommitmentValues):
    """What one article said about a commitment; kept per source so disagreements between sources stay visible."""

    article_id: int
    title: str
    language: str
    published: Moment
    path: str
    evidence: str


@dataclass(frozen=True, slots=True)
class ReportView:
    """A stored claim about a commitment, with the article it came from.

    ``source_published`` is that article's publication moment: a report is known only from then on (a replay of a
    past day must not show claims printed later), so the state rules need it beside the day the claim is about.
    """

    id: int
    article_id: int
    kind: str
    about: str
    accused: tuple[str, ...]
    claimed_by: str | None
    date: dt.date | None
    quantity: int | None
    evidence: str
    source_title: str
    source_path: str
    source_published: Moment


@dataclass(frozen=True, slots=True)
class ConflictFacts:
    """What a conflict is about, as values and never as a sentence: the bot words it in each reader's language,
    the command line in English. Stored as :meth:`record` (canonical JSON), which also tells when the rules see a
    stored conflict differently after a later load.

    ``commitment_kind`` is the kind of commitment it is about. Which fields are set depends on ``kind``: a
    violation in force has ``claimant``, ``accused`` and ``day``; a quantity mismatch ``promised``, ``delivered``
    and ``day``; a date disagreement ``dates`` (per field, the days the sources give, earliest first); a denied
    claim ``claim`` (the claim's report kind), ``claimant``, ``accused``, ``day``, ``delivered`` (a fulfilment's
    number) and ``denier``; a source against an editor's correction ``field`` (start, end, due, duration,
    quantity), ``said`` (the source's value) and ``corrected`` (the editor's), both as stored (ISO text for a
    date).
    """

    kind: str
    commitment_kind: str | None = None
    claimant: str | None = None
    accused: tuple[str, ...] = ()
    day: dt.date | None = None
    promised: int | None = None
    delivered: int | None = None
    claim: str | None = None
    denier: str | None = None
    dates: tuple[tuple[str, tuple[dt.date, ...]], ...] = ()
    field: str | None = None
    said: str | int | None = None
    corrected: str | int | None = None

    def record(self) -> str:
        """The facts as canonical JSON: dates as ISO text, keys sorted, unset fields left out."""
        values = {k: v for k, v in asdict(self).items() if v not in (None, (), [])}
        return json.dumps(values, default=_iso, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def as_json(self) -> dict[str, Any]:
        """The record as a JSON object (what ``--json`` and the status document carry)."""
        values: dict[str, Any] = json.loads(self.record())
        return values

    @classmethod
    def from_record(cls, text: str | None) -> ConflictFacts | None:
        """The facts a :meth:`record` holds; None for anything else (a conflict stored as an English sentence by an
        earlier version, or damaged text)."""
        if not text or not text.startswith("{"):
            return None
        try:
            raw = json.loads(text)
        except ValueError:
            return None
        return cls.from_mapping(raw) if isinstance(raw, dict) else None

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> ConflictFacts | None:
        """The facts from the parsed record (as the status document carries them); None when it is not one."""
        try:
            day = raw.get("day")
            return cls(
                kind=str(raw["kind"]),
                commitment_kind=raw.get("commitment_kind"),
                claimant=raw.get("claimant"),
                accused=tuple(raw.get("accused") or ()),
                day=dt.date.fromisoformat(day) if day else None,
                promised=raw.get("promised"),
                delivered=raw.get("delivered"),
                claim=raw.get("claim"),
                denier=raw.get("denier"),
                dates=tuple((f, tuple(dt.date.fromisoformat(d) for d in days)) for f, days in raw.get("dates") or ()),
                field=raw.get("field"),
                said=raw.get("said"),
                corrected=raw.get("corrected"),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


@dataclass(frozen=True, slots=True)
class ConflictView:
    """A stored conflict finding and the reports and articles it rests on; ``summary`` is the record of its facts
    (:class:`ConflictFacts`), ``key`` the rule's stable key ("corrected_by_editor:end:7" says which field), empty
    where the view was built without it."""

    id: int
    kind: str
    summary: str
    report_ids: tuple[int, ...]
    article_ids: tuple[int, ...]
    key: str = ""

    @property
    def facts(self) -> ConflictFacts | None:
        """The stored facts (``summary`` holds their record); None for a conflict stored as a sentence."""
        return ConflictFacts.from_record(self.summary)


# Which commitments are shown and alerted: confirmed ones to everyone, unconfirmed ones (REVIEW_MODE=review, not yet
# looked at by an editor) to admins only and never alerted; rejected, retracted and merged ones to nobody.
CONFIRMED = "confirmed"
UNCONFIRMED = "unconfirmed"
REVIEWS: tuple[str, ...] = (CONFIRMED, UNCONFIRMED, "rejected", "retracted", "merged")
VISIBLE: tuple[str, ...] = (CONFIRMED, UNCONFIRMED)


@dataclass(frozen=True, slots=True)
class Tracked(CommitmentValues):
    """One commitment as merged over all its sources, with the reports linked to it and the conflicts found.

    What editors decided rides along (storage.edits): ``review`` (one of :data:`REVIEWS`), ``version`` (bumped by
    every change), ``title`` (an editor's headline, else None), ``corrected`` (the fields an editor set, as
    (field, ids of the articles known then) pairs sorted by field: those values win over every source, and a
    source that came later and says otherwise is a conflict) and ``alerts_from`` (no milestone before it is owed).
    """

    id: int
    kind: str
    actors: tuple[str, ...]
    scope: str | None
    conditions: tuple[str, ...]
    sources: tuple[SourceView, ...] = ()
    reports: tuple[ReportView, ...] = ()
    conflicts: tuple[ConflictView, ...] = ()
    review: str = CONFIRMED
    version: int = 1
    title: str | None = None
    corrected: tuple[tuple[str, tuple[int, ...]], ...] = ()
    alerts_from: dt.datetime | None = None

    @property
    def corrected_fields(self) -> frozenset[str]:
        """The fields an editor set (names of this class's attributes: ``duration_days``, ``actors`` …)."""
        return frozenset(name for name, _ in self.corrected)


def moment_utc(value: Moment) -> dt.datetime:
    """An aware UTC instant for ordering and indexing; a day counts from its midnight and naive times as UTC.

    Only for sorting and coarse indexes: the exact reading of a day or a naive time depends on the reader's zone.
    """
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=_UTC) if value.tzinfo is None else value.astimezone(_UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)


def day_of(value: Moment) -> dt.date:
    """The calendar day a moment names, in the zone the text gave it in (so a 23:00 +03:00 start stays that day)."""
    return value.date() if isinstance(value, dt.datetime) else value
