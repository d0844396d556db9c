"""Stored rows as plain :mod:`tracking.model` views: the one mapping from each table's columns to its view.

The loader, the editors and the queries all read rows through these functions, so a column is turned into a
view field in one place (dates from their stored text by ``read``; the /status fast path in
:mod:`storage.queries` builds its slim views from plain rows with the same ``row_terms``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypedDict, TypeVar

from sqlalchemy.orm import InstrumentedAttribute

from articles.model import Moment, Report, parse_moment
from storage.models import ArticleRow, CommitmentRow, CommitmentSourceRow, ConflictRow, ReportRow, StatedTerms
from tracking.corrections import corrected_of
from tracking.model import CONFIRMED, ConflictView, ReportView, SourceView, Tracked


def _moment(text: str) -> Moment:
    value = parse_moment(text)
    assert value is not None
    return value


def _published(article: ArticleRow) -> Moment:
    return _moment(article.published)


T = TypeVar("T")
D = TypeVar("D")
T_co = TypeVar("T_co", covariant=True)


class HasTerms(Protocol[T_co]):
    """Anything that states a commitment's terms, its dates as ``T_co``: a stored row (ISO text), an article's
    commitment, a source or a tracked commitment (moments)."""

    @property
    def start(self) -> T_co | None: ...
    @property
    def end(self) -> T_co | None: ...
    @property
    def due(self) -> T_co | None: ...
    @property
    def duration_days(self) -> int | None: ...
    @property
    def quantity(self) -> int | None: ...
    @property
    def status(self) -> str: ...


class Terms(TypedDict, Generic[D]):
    """What every source states and the merge combines, as keyword arguments: dates as ``D`` (moments for
    :class:`~tracking.model.SourceView` and :class:`~tracking.model.Tracked`, ISO text for a row)."""

    start: D
    end: D
    due: D
    duration_days: int | None
    quantity: int | None
    status: str


def terms(value: HasTerms[T], read: Callable[[T | None], D]) -> Terms[D]:
    """The terms of ``value``, its dates through ``read`` (:func:`parse_moment` from a row, ``iso`` to one): what
    rows, an article's commitments and the views have in common."""
    return row_terms((value.start, value.end, value.due, value.duration_days, value.quantity, value.status), read)


def term_columns(table: type[StatedTerms]) -> tuple[InstrumentedAttribute[Any], ...]:
    """A table's term columns, in the order :func:`row_terms` takes their values: for a select of plain rows."""
    return (table.start, table.end, table.due, table.duration_days, table.quantity, table.status)


def row_terms(values: Sequence[Any], read: Callable[[Any], D]) -> Terms[D]:
    """The terms from their values in :func:`term_columns`' order, dates through ``read``: the one list of the
    fields, for :func:`terms` and for the plain rows the /status fast path reads (:mod:`storage.queries`: tens of
    thousands of slim views from tuples, which have no field names)."""
    start, end, due, duration_days, quantity, status = values
    # A dict display, not Terms(...): the TypedDict's call copies a keyword dict, and this runs per row on /status.
    return {
        "start": read(start),
        "end": read(end),
        "due": read(due),
        "duration_days": duration_days,
        "quantity": quantity,
        "status": status,
    }


class Claim(TypedDict):
    """What a report claims, as keyword arguments: the fields an article's report, its row and its view share
    (``accused`` aside: a list on a row, a tuple elsewhere)."""

    kind: str
    about: str
    claimed_by: str | None
    date: dt.date | None
    quantity: int | None
    evidence: str


def claim(value: Report | ReportRow) -> Claim:
    """The claim of an article's report (to store it) or of a stored one (to view it): the one list of them."""
    return Claim(
        kind=value.kind,
        about=value.about,
        claimed_by=value.claimed_by,
        date=value.date,
        quantity=value.quantity,
        evidence=value.evidence,
    )


def source_view(row: CommitmentSourceRow) -> SourceView:
    article = row.article
    return SourceView(
        article_id=article.id,
        title=article.title,
        language=article.language,
        published=_published(article),
        path=article.path,
        **terms(row, parse_moment),
        evidence=row.evidence,
    )


def report_view(row: ReportRow) -> ReportView:
    return ReportView(
        id=row.id,
        article_id=row.article_id,
        accused=tuple(row.accused),
        **claim(row),
        source_title=row.article.title,
        source_path=row.article.path,
        source_published=_published(row.article),
    )


def conflict_view(row: ConflictRow) -> ConflictView:
    return ConflictView(
        id=row.id,
        kind=row.kind,
        summary=row.summary,
        report_ids=tuple(link.report_id for link in row.report_links),
        article_ids=tuple(link.article_id for link in row.article_links),
        key=row.key,
    )


def tracked_view(row: CommitmentRow, *, with_facts: bool = True) -> Tracked:
    """The view of one loaded row; ``with_facts=False`` leaves out reports and conflicts (not loaded).

    Only confirmed reports count (one waiting for review, rejected or retracted is not a fact yet, or no more), and
    so only the conflicts that rest on confirmed reports alone.
    """
    sources = sorted(row.sources, key=lambda s: (s.article.published_utc, s.article_id))
    reports: list[ReportRow] = []
    conflicts: list[ConflictRow] = []
    if with_facts:
        hidden = {r.id for r in row.reports if r.review != CONFIRMED}
        reports = sorted((r for r in row.reports if r.id not in hidden), key=lambda r: r.id)
        conflicts = sorted(
            (c for c in row.conflicts if not any(link.report_id in hidden for link in c.report_links)),
            key=lambda c: c.id,
        )
    return Tracked(
        id=row.id,
        kind=row.kind,
        actors=tuple(row.actors),
        scope=row.scope,
        conditions=tuple(row.conditions),
        **terms(row, parse_moment),
        sources=tuple(source_view(s) for s in sources),
        reports=tuple(report_view(r) for r in reports),
        conflicts=tuple(conflict_view(c) for c in conflicts),
        review=row.review,
        version=row.version,
        title=row.title,
        corrected=corrected_of(row.corrected),
        alerts_from=row.alerts_from,
    )
