"""Reading tracked commitments back as plain :mod:`tracking.model` views.

Everything is fetched with a handful of batched SELECT ... IN queries (selectinload), never one query per row,
so this stays cheap for tens of thousands of commitments and reports. :func:`state_views` is the slim variant for
the /status list: only what :mod:`tracking.state` reads, no text, no reports the state does not depend on.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
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


def _moment(text: str) -> Moment:
    value = parse_moment(text)
    assert value is not None
    return value


def _published(article: ArticleRow) -> Moment:
    return _moment(article.published)


def source_view(row: CommitmentSourceRow) -> SourceView:
    article = row.article
    published = _published(article)
    return SourceView(
        article_id=article.id,
        title=article.title,
        language=article.language,
        published=published,
        path=article.path,
        start=parse_moment(row.start),
        end=parse_moment(row.end),
        due=parse_moment(row.due),
        duration_days=row.duration_days,
        quantity=row.quantity,
        status=row.status,
        evidence=row.evidence,
    )


def report_view(row: ReportRow) -> ReportView:
    return ReportView(
        id=row.id,
        article_id=row.article_id,
        kind=row.kind,
        about=row.about,
        accused=tuple(row.accused),
        claimed_by=row.claimed_by,
        date=row.date,
        quantity=row.quantity,
        evidence=row.evidence,
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
        start=parse_moment(row.start),
        end=parse_moment(row.end),
        due=parse_moment(row.due),
        duration_days=row.duration_days,
        quantity=row.quantity,
        status=row.status,
        sources=tuple(source_view(s) for s in sources),
        reports=tuple(report_view(r) for r in reports),
        conflicts=tuple(conflict_view(c) for c in conflicts),
        review=row.review,
        version=row.version,
        title=row.title,
        corrected=corrected_of(row.corrected),
        alerts_from=row.alerts_from,
    )


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


async def state_views(
    sessions: async_sessionmaker[AsyncSession], *, review: Reviews = VISIBLE
) -> tuple[DataVersion, list[Tracked]]:
    """Every commitment (in one of the ``review`` states) with only what its state needs, and the data version
    read before them.

    The views carry no text (titles, paths, evidence and summaries are empty; actors, scope and conditions too),
    and of the reports only the kinds in ``STATE_REPORT_KINDS`` and those a conflict rests on: enough for
    :class:`tracking.state.Timeline`, which gives the same states as for the full views (a test checks it).
    The version comes first, so a load committed meanwhile can only make the cache look older, never newer.
    """
    # Dates and publication moments repeat a lot across 100,000 rows; parsed values are immutable, so share them.
    parse = functools.lru_cache(maxsize=1 << 16)(parse_moment)

    def moment(text: str) -> Moment:
        value = parse(text)
        assert value is not None
        return value

    async with sessions() as session:
        version = await _version(session)
        shown = [] if review is None else [CommitmentRow.review.in_(list(review))]
        commitments = await session.execute(
            select(
                CommitmentRow.id,
                CommitmentRow.kind,
                CommitmentRow.start,
                CommitmentRow.end,
                CommitmentRow.due,
                CommitmentRow.duration_days,
                CommitmentRow.quantity,
                CommitmentRow.status,
                CommitmentRow.review,
                CommitmentRow.corrected,
            )
            .where(*shown)
            .order_by(CommitmentRow.id)
        )
        sources: defaultdict[int, list[SourceView]] = defaultdict(list)
        source_rows = await session.execute(
            select(
                CommitmentSourceRow.commitment_id,
                CommitmentSourceRow.article_id,
                ArticleRow.published,
                CommitmentSourceRow.start,
                CommitmentSourceRow.end,
                CommitmentSourceRow.due,
                CommitmentSourceRow.duration_days,
                CommitmentSourceRow.quantity,
                CommitmentSourceRow.status,
            ).join(ArticleRow, CommitmentSourceRow.article_id == ArticleRow.id)
        )
        for cid, aid, published, start, end, due, duration, quantity, status in source_rows:
            sources[cid].append(
                SourceView(
                    article_id=aid,
                    title="",
                    language="",
                    published=moment(published),
                    path="",
                    start=parse(start),
                    end=parse(end),
                    due=parse(due),
                    duration_days=duration,
                    quantity=quantity,
                    status=status,
                    evidence="",
                )
            )
        conflicts: defaultdict[int, list[ConflictView]] = defaultdict(list)
        links: defaultdict[int, list[int]] = defaultdict(list)
        # Reports that count for nothing (waiting for review, rejected, retracted), and the conflicts resting on them.
        hidden = set(await session.scalars(select(ReportRow.id).where(ReportRow.review.in_(HIDDEN_REPORTS))))
        unsure: set[int] = set()
        for conflict_id, report_id in await session.execute(
            select(ConflictReportRow.conflict_id, ConflictReportRow.report_id).order_by(ConflictReportRow.report_id)
        ):
            links[conflict_id].append(report_id)
            if report_id in hidden:
                unsure.add(conflict_id)
        cited: defaultdict[int, list[int]] = defaultdict(list)
        for conflict_id, article_id in await session.execute(
            select(ConflictArticleRow.conflict_id, ConflictArticleRow.article_id).order_by(ConflictArticleRow.position)
        ):
            cited[conflict_id].append(article_id)
        for conflict_id, cid in await session.execute(
            select(ConflictRow.id, ConflictRow.commitment_id).order_by(ConflictRow.id)
        ):
            if conflict_id in unsure:
                continue
            conflicts[cid].append(
                ConflictView(conflict_id, "", "", tuple(links[conflict_id]), tuple(cited[conflict_id]))
            )
        reports: defaultdict[int, list[ReportView]] = defaultdict(list)
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
            )
        )
        in_conflicts = (
            select(*report_columns)
            .join(ArticleRow, ReportRow.article_id == ArticleRow.id)
            .join(ConflictReportRow, ConflictReportRow.report_id == ReportRow.id)
            .where(ReportRow.commitment_id.is_not(None), ReportRow.review == CONFIRMED)
        )
        seen: set[int] = set()
        for statement in (wanted, in_conflicts):
            for rid, owner, aid, kind, about, date, published in await session.execute(statement):
                if rid in seen or owner is None:
                    continue
                seen.add(rid)
                reports[owner].append(
                    ReportView(rid, aid, kind, about, (), None, date, None, "", "", "", moment(published))
                )
    return version, [
        Tracked(
            id=cid,
            kind=kind,
            actors=(),
            scope=None,
            conditions=(),
            start=parse(start),
            end=parse(end),
            due=parse(due),
            duration_days=duration,
            quantity=quantity,
            status=status,
            sources=tuple(sources[cid]),
            reports=tuple(sorted(reports[cid], key=lambda r: r.id)),
            conflicts=tuple(conflicts[cid]),
            review=standing,
            corrected=corrected_of(corrected),
        )
        for cid, kind, start, end, due, duration, quantity, status, standing, corrected in commitments
    ]
