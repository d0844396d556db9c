"""Reading tracked commitments back as plain :mod:`tracking.model` views.

Everything is fetched with a handful of batched SELECT ... IN queries (selectinload), never one query per row,
so this stays cheap for tens of thousands of commitments and reports. :func:`state_views` is the slim variant for
the /status list: only what :mod:`tracking.state` reads, no text, no reports the state does not depend on;
:func:`read_state` reads the same as plain rows, after a load only for the commitments it may have changed.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, cast, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from articles.model import Moment, parse_moment
from storage.models import (
    ArticleRow,
    CommitmentRow,
    CommitmentSourceRow,
    ConflictArticleRow,
    ConflictReportRow,
    ConflictRow,
    EditRow,
    ReportRow,
)
from storage.views import row_terms, term_columns, tracked_view
from tracking.corrections import corrected_of
from tracking.model import CONFIRMED, VISIBLE, ConflictView, ReportView, SourceView, Tracked
from tracking.state import STATE_REPORT_KINDS

# Which commitments a query reads, by review state (tracking.model.REVIEWS); None reads them all.
Reviews = Sequence[str] | None
# Report states that count for nothing: waiting for an editor, rejected by one, or retracted.
HIDDEN_REPORTS = ("unconfirmed", "rejected", "retracted")

# The highest id of every table the status reads. The loader only ever adds rows, and each load that changes
# anything adds an article in the same transaction; every change an editor makes adds an edit row in the same
# transaction (storage.edits). So a different tuple means different data (any process).
DataVersion = tuple[int, ...]


class UnknownCommitment(LookupError):
    """Asked for commitment ids that are not stored; ``ids`` lists the missing ones."""

    def __init__(self, ids: Sequence[int]) -> None:
        self.ids = tuple(ids)
        names = ", ".join(str(i) for i in self.ids)
        super().__init__(f"unknown commitment id{'s' if len(self.ids) > 1 else ''}: {names}")


def _load_options(with_facts: bool) -> list[Any]:
    options: list[Any] = [selectinload(CommitmentRow.sources).selectinload(CommitmentSourceRow.article)]
    if with_facts:
        options += [
            selectinload(CommitmentRow.reports).selectinload(ReportRow.article),
            selectinload(CommitmentRow.conflicts).selectinload(ConflictRow.report_links),
            selectinload(CommitmentRow.conflicts).selectinload(ConflictRow.article_links),
        ]
    return options


async def tracked_where(
    session: AsyncSession, *criteria: ColumnElement[bool], with_facts: bool = True, review: Reviews = VISIBLE
) -> list[Tracked]:
    """Tracked commitments matching ``criteria`` and in one of the ``review`` states (default: confirmed and
    unconfirmed; None: any), ordered by id, read fresh from the database."""
    if review is not None:
        criteria = (*criteria, CommitmentRow.review.in_(list(review)))
    statement = (
        select(CommitmentRow)
        .where(*criteria)
        .order_by(CommitmentRow.id)
        .options(*_load_options(with_facts))
        .execution_options(populate_existing=True)
    )
    rows = (await session.scalars(statement)).all()
    return [tracked_view(row, with_facts=with_facts) for row in rows]


async def tracked(
    sessions: async_sessionmaker[AsyncSession], ids: Sequence[int] | None = None, *, review: Reviews = VISIBLE
) -> list[Tracked]:
    """Every tracked commitment (or those with ``ids``, in id order) in one of the ``review`` states (default:
    confirmed and unconfirmed; None: any); raises UnknownCommitment for missing ids (or ids in another state)."""
    async with sessions() as session:
        if ids is None:
            return await tracked_where(session, review=review)
        wanted = sorted(set(ids))
        found = await tracked_where(session, CommitmentRow.id.in_(wanted), review=review) if wanted else []
    missing = sorted(set(wanted) - {t.id for t in found})
    if missing:
        raise UnknownCommitment(missing)
    return found


_VERSIONED = (ArticleRow.id, CommitmentRow.id, CommitmentSourceRow.id, ReportRow.id, ConflictRow.id, EditRow.id)


async def _version(session: AsyncSession) -> DataVersion:
    row = (await session.execute(select(*(select(func.max(c)).scalar_subquery() for c in _VERSIONED)))).one()
    return tuple(value or 0 for value in row)


async def data_version(sessions: async_sessionmaker[AsyncSession]) -> DataVersion:
    """A cheap token (one indexed lookup per table) that changes whenever a load changed the tracked data."""
    async with sessions() as session:
        return await _version(session)


# One commitment's inputs to its slim view, as plain hashable values (``corrected`` as its stored JSON text): the
# commitment's columns, its sources, its reports and its conflicts (id, report ids, cited article ids). Equal rows
# give an equal view, so a cache can compare them to tell which commitments changed.
StateRows = tuple[
    tuple[Any, ...], tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...]
]
Parse = Callable[[str | None], Moment | None]


async def _state_rows(
    connection: AsyncConnection, review: Reviews, ids: Collection[int] | None
) -> dict[int, StateRows]:
    """The state rows of every commitment in one of the ``review`` states, or of those among ``ids``."""

    async def fetch(statement: Select[*tuple[Any, ...]]) -> Sequence[Any]:
        return (await connection.execute(statement)).all()  # all at once: iterating fetches row by row

    wanted_ids = None if ids is None else sorted(ids)

    def among(column: Any) -> list[ColumnElement[bool]]:
        return [] if wanted_ids is None else [column.in_(wanted_ids)]

    shown: list[ColumnElement[bool]] = [] if review is None else [CommitmentRow.review.in_(list(review))]
    shown += among(CommitmentRow.id)
    commitments = await fetch(
        select(
            CommitmentRow.id,
            CommitmentRow.kind,
            *term_columns(CommitmentRow),
            CommitmentRow.review,
            cast(CommitmentRow.corrected, Text),  # the JSON text: decoded for the views built only
        )
        .where(*shown)
        .order_by(CommitmentRow.id)
    )
    sources: defaultdict[int, list[tuple[Any, ...]]] = defaultdict(list)
    source_rows = await fetch(
        select(
            CommitmentSourceRow.commitment_id,
            CommitmentSourceRow.article_id,
            ArticleRow.published,
            *term_columns(CommitmentSourceRow),
        )
        .join(ArticleRow, CommitmentSourceRow.article_id == ArticleRow.id)
        .where(*among(CommitmentSourceRow.commitment_id))
        .order_by(CommitmentSourceRow.id)
    )
    for cid, *source in source_rows:
        sources[cid].append(tuple(source))
    conflicts: defaultdict[int, list[tuple[Any, ...]]] = defaultdict(list)
    links: defaultdict[int, list[int]] = defaultdict(list)
    # Reports that count for nothing (waiting for review, rejected, retracted), and the conflicts resting on them.
    hidden = set(await connection.scalars(select(ReportRow.id).where(ReportRow.review.in_(HIDDEN_REPORTS))))
    unsure: set[int] = set()
    for conflict_id, report_id in await fetch(
        select(ConflictReportRow.conflict_id, ConflictReportRow.report_id)
        .join(ConflictRow, ConflictRow.id == ConflictReportRow.conflict_id)
        .where(*among(ConflictRow.commitment_id))
        .order_by(ConflictReportRow.report_id)
    ):
        links[conflict_id].append(report_id)
        if report_id in hidden:
            unsure.add(conflict_id)
    cited: defaultdict[int, list[int]] = defaultdict(list)
    for conflict_id, article_id in await fetch(
        select(ConflictArticleRow.conflict_id, ConflictArticleRow.article_id)
        .join(ConflictRow, ConflictRow.id == ConflictArticleRow.conflict_id)
        .where(*among(ConflictRow.commitment_id))
        .order_by(ConflictArticleRow.conflict_id, ConflictArticleRow.position)
    ):
        cited[conflict_id].append(article_id)
    for conflict_id, cid in await fetch(
        select(ConflictRow.id, ConflictRow.commitment_id)
        .where(*among(ConflictRow.commitment_id))
        .order_by(ConflictRow.id)
    ):
        if conflict_id not in unsure:
            conflicts[cid].append((conflict_id, tuple(links[conflict_id]), tuple(cited[conflict_id])))
    reports: defaultdict[int, list[tuple[Any, ...]]] = defaultdict(list)
    report_columns = (
        ReportRow.id,
        ReportRow.commitment_id,
        ReportRow.article_id,
        ReportRow.kind,
        ReportRow.about,
        ReportRow.date,
        ArticleRow.published,
    )
    wanted = (
        select(*report_columns)
        .join(ArticleRow, ReportRow.article_id == ArticleRow.id)
        .where(
            ReportRow.kind.in_(sorted(STATE_REPORT_KINDS)),
            ReportRow.commitment_id.is_not(None),
            ReportRow.review == CONFIRMED,
            *among(ReportRow.commitment_id),
        )
    )
    in_conflicts = (
        select(*report_columns)
        .join(ArticleRow, ReportRow.article_id == ArticleRow.id)
        .join(ConflictReportRow, ConflictReportRow.report_id == ReportRow.id)
        .where(ReportRow.commitment_id.is_not(None), ReportRow.review == CONFIRMED, *among(ReportRow.commitment_id))
    )
    seen: set[int] = set()
    for statement in (wanted, in_conflicts):
        for rid, owner, aid, kind, about, date, published in await fetch(statement):
            if rid in seen or owner is None:
                continue
            seen.add(rid)
            reports[owner].append((rid, aid, kind, about, date, published))
    empty: list[tuple[Any, ...]] = []
    found: dict[int, StateRows] = {}
    for row in commitments:
        cid = row[0]
        found[cid] = (
            tuple(row),
            tuple(sources.get(cid, empty)),
            tuple(sorted(reports.get(cid, empty))),
            tuple(conflicts.get(cid, empty)),
        )

    return found


# Per commitment: how many reports are linked to it and how many conflicts are stored on it (as one number,
# reports << 32 | conflicts: plain ints are no work for the garbage collector). A load moves an earlier report to a
# better commitment (and drops the conflicts resting on it there) without adding a row to the one it left: only
# these counts show that commitment changed.
Counts = dict[int, int]


async def _counts(connection: AsyncConnection) -> Counts:
    found: Counts = {}
    for cid, count in (
        await connection.execute(
            select(ReportRow.commitment_id, func.count())
            .where(ReportRow.commitment_id.is_not(None))
            .group_by(ReportRow.commitment_id)
        )
    ).all():
        if cid is not None:  # (the WHERE leaves none out; for the type checker)
            found[cid] = count << 32
    for cid, count in (
        await connection.execute(select(ConflictRow.commitment_id, func.count()).group_by(ConflictRow.commitment_id))
    ).all():
        found[cid] = found.get(cid, 0) | count
    return found


async def _touched(connection: AsyncConnection, since: DataVersion) -> set[int]:
    """Commitments a load after ``since`` added a row to: new ones, new sources, reports and conflicts."""
    _, commitment, source, report, conflict, _ = since
    found: set[int] = set()
    for statement in (
        select(CommitmentRow.id).where(CommitmentRow.id > commitment),
        select(CommitmentSourceRow.commitment_id).where(CommitmentSourceRow.id > source),
        select(ReportRow.commitment_id).where(ReportRow.id > report, ReportRow.commitment_id.is_not(None)),
        select(ConflictRow.commitment_id).where(ConflictRow.id > conflict),
    ):
        found.update(int(cid) for cid in (await connection.scalars(statement)).all() if cid is not None)
    return found


@dataclass(frozen=True, slots=True)
class StateRead:
    """One consistent read: the data ``version``, the state rows of the commitments read (every one shown when
    ``touched`` is None, else those among ``touched``: an id there without rows is no longer shown), and the
    report and conflict counts per commitment, all as of that version."""

    version: DataVersion
    rows: dict[int, StateRows]
    counts: Counts
    touched: frozenset[int] | None


async def read_state(
    sessions: async_sessionmaker[AsyncSession],
    since: tuple[DataVersion, Counts] | None = None,
    *,
    review: Reviews = VISIBLE,
    most: int = 1000,
) -> StateRead:
    """The state rows of every commitment, or, given the version and counts of an earlier read (``since``), of
    those that may have changed since: the loader only adds rows, except that it moves earlier reports to the
    commitments it touches and drops conflicts on the ones they left, which the counts show. An editor's change
    (a new edit row), a version that went back, or more than ``most`` touched commitments read everything.
    One snapshot (a SQLite transaction, REPEATABLE READ on PostgreSQL), so version, counts and rows agree."""
    async with sessions() as session:
        options = {"isolation_level": "REPEATABLE READ"} if session.get_bind().dialect.name == "postgresql" else {}
        connection = await session.connection(execution_options=options)
        version = await _version(session)
        counts = await _counts(connection)
        touched: set[int] | None = None
        if since is not None:
            old, old_counts = since
            if version[-1] == old[-1] and all(new >= was for new, was in zip(version, old, strict=True)):
                touched = await _touched(connection, old)
                touched.update(c for c in counts.keys() | old_counts.keys() if counts.get(c) != old_counts.get(c))
                if len(touched) > most:
                    touched = None
        rows = await _state_rows(connection, review, touched)
    return StateRead(version, rows, counts, None if touched is None else frozenset(touched))


def state_view(rows: StateRows, parse: Parse = parse_moment) -> Tracked:
    """The slim view of one commitment's :data:`StateRows`: no text (titles, paths, evidence, summaries, actors,
    scope and conditions are empty), and of the reports only the kinds in ``STATE_REPORT_KINDS`` and those a
    conflict rests on. Enough for :class:`tracking.state.Timeline`, which gives the same states as for the full
    views (a test checks it). ``parse`` may be a cached :func:`articles.model.parse_moment`."""

    def moment(text: str) -> Moment:
        value = parse(text)
        assert value is not None
        return value

    commitment, sources, reports, conflicts = rows
    cid, kind, *stated, standing, corrected = commitment
    return Tracked(
        id=cid,
        kind=kind,
        actors=(),
        scope=None,
        conditions=(),
        **row_terms(stated, parse),
        sources=tuple(
            SourceView(
                article_id=aid,
                title="",
                language="",
                published=moment(published),
                path="",
                **row_terms(said, parse),
                evidence="",
            )
            for aid, published, *said in sources
        ),
        reports=tuple(
            ReportView(rid, aid, r_kind, about, (), None, date, None, "", "", "", moment(published))
            for rid, aid, r_kind, about, date, published in reports
        ),
        conflicts=tuple(ConflictView(conflict_id, "", "", links, cited) for conflict_id, links, cited in conflicts),
        review=standing,
        corrected=corrected_of(json.loads(corrected)) if corrected else (),
    )


async def state_views(
    sessions: async_sessionmaker[AsyncSession], *, review: Reviews = VISIBLE
) -> tuple[DataVersion, list[Tracked]]:
    """Every commitment (in one of the ``review`` states, by id) as its slim :func:`state_view`, and the data
    version read before them."""
    # Dates and publication moments repeat a lot across 100,000 rows; parsed values are immutable, so share them.
    parse = functools.lru_cache(maxsize=1 << 16)(parse_moment)
    read = await read_state(sessions, review=review)
    return read.version, [state_view(rows, parse) for rows in read.rows.values()]
