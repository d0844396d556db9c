"""Loading one extracted article: merge its commitments, link its reports, store the conflicts they raise.

Each article is one transaction, so a failure leaves nothing of that article behind and the next one still
loads. The decisions themselves are the pure functions in :mod:`tracking`; this module only reads and writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import and_, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from articles.model import Article, Commitment, Moment, iso, parse_moment
from storage.db import SQLITE_IMMEDIATE
from storage.models import (
    ArticleRow,
    CommitmentRow,
    CommitmentSourceRow,
    ConflictArticleRow,
    ConflictReportRow,
    ConflictRow,
    ReportRow,
    utc_now,
)
from storage.queries import UnknownCommitment, tracked_where
from tracking.conflicts import find_conflicts
from tracking.merge import (
    DUE_TOLERANCE_DAYS,
    MENTION_TOLERANCE_DAYS,
    REPORT_MARGIN_DAYS,
    START_TOLERANCE_DAYS,
    combine,
    find_match,
    link_report,
)
from tracking.model import ConflictView, SourceView, Tracked, moment_utc
from tracking.state import title_of

_KEY_LENGTH = 255
# Arbitrary but fixed: the PostgreSQL advisory lock all loaders take (ASCII "ceasefir").
LOAD_LOCK_KEY = 0x6365617365666972
# Candidates are pre-selected in SQL around the article's dates; two extra days absorb day-vs-instant rounding.
CANDIDATE_MARGIN = dt.timedelta(
    days=max(START_TOLERANCE_DAYS, DUE_TOLERANCE_DAYS, REPORT_MARGIN_DAYS, MENTION_TOLERANCE_DAYS) + 2
)


@dataclass(frozen=True, slots=True)
class CommitmentRef:
    """A commitment named in a load summary."""

    id: int
    title: str


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    """What loading one article changed; a duplicate changed nothing and names the article already stored."""

    article_id: int
    title: str
    duplicate: bool = False
    created: list[CommitmentRef] = field(default_factory=list)
    merged: list[CommitmentRef] = field(default_factory=list)
    linked: list[tuple[int, int]] = field(default_factory=list)
    unlinked: list[int] = field(default_factory=list)
    conflicts: list[ConflictView] = field(default_factory=list)


async def load_article(
    sessions: async_sessionmaker[AsyncSession], article: Article, *, pin_reports_to: int | None = None
) -> LoadOutcome:
    """Store ``article`` in one transaction, or report it as a duplicate when its content hash is known.

    ``pin_reports_to`` links every report to that commitment instead of matching: an admin's `/report ID …`
    names its commitment. An unknown id raises UnknownCommitment and writes nothing.
    """
    try:
        async with sessions() as session, session.begin():
            return await _load(session, article, pin_reports_to)
    except IntegrityError:
        # Another process loaded the same article between our check and our commit.
        async with sessions() as session:
            existing = await _stored_article(session, article.content_hash)
        if existing is None:
            raise
        return LoadOutcome(article_id=existing, title=article.title, duplicate=True)


async def _stored_article(session: AsyncSession, content_hash: str) -> int | None:
    found: int | None = await session.scalar(select(ArticleRow.id).where(ArticleRow.content_hash == content_hash))
    return found


def _apply(row: CommitmentRow, tracked: Tracked) -> None:
    """Write the merged fields of ``tracked`` onto its row."""
    row.kind = tracked.kind
    row.actors = list(tracked.actors)
    row.scope = tracked.scope
    row.conditions = list(tracked.conditions)
    row.start, row.start_utc = iso(tracked.start), None if tracked.start is None else moment_utc(tracked.start)
    row.end, row.end_utc = iso(tracked.end), None if tracked.end is None else moment_utc(tracked.end)
    row.due, row.due_utc = iso(tracked.due), None if tracked.due is None else moment_utc(tracked.due)
    row.duration_days = tracked.duration_days
    row.quantity = tracked.quantity
    row.status = tracked.status


def _source_row(commitment_id: int, article_id: int, commitment: Commitment) -> CommitmentSourceRow:
    return CommitmentSourceRow(
        commitment_id=commitment_id,
        article_id=article_id,
        actors=list(commitment.actors),
        scope=commitment.scope,
        conditions=list(commitment.conditions),
        start=iso(commitment.start),
        end=iso(commitment.end),
        due=iso(commitment.due),
        duration_days=commitment.duration_days,
        quantity=commitment.quantity,
        status=commitment.status,
        evidence=commitment.evidence,
    )


def _source_view(article_id: int, article: Article, commitment: Commitment) -> SourceView:
    return SourceView(
        article_id=article_id,
        title=article.title,
        language=article.language,
        published=article.published,
        path=article.path,
        start=commitment.start,
        end=commitment.end,
        due=commitment.due,
        duration_days=commitment.duration_days,
        quantity=commitment.quantity,
        status=commitment.status,
        evidence=commitment.evidence,
    )


def _new_tracked(commitment: Commitment, source: SourceView) -> Tracked:
    return Tracked(
        id=0,
        kind=commitment.kind,
        actors=commitment.actors,
        scope=commitment.scope,
        conditions=commitment.conditions,
        start=commitment.start,
        end=commitment.end,
        due=commitment.due,
        duration_days=commitment.duration_days,
        quantity=commitment.quantity,
        status=commitment.status,
        sources=(source,),
    )


def _stored_key(key: str) -> str:
    """Keys past the column width keep their rule prefix and a digest, which is just as stable."""
    if len(key) <= _KEY_LENGTH:
        return key
    prefix = key.split(":", 1)[0]
    return f"{prefix}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"


async def _serialise(session: AsyncSession) -> None:
    """Loads read the candidates, then write: two at once could both create the same commitment, so they queue
    (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock)."""
    connection = await session.connection(execution_options={SQLITE_IMMEDIATE: True})
    if connection.dialect.name == "postgresql":
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK_KEY})


async def _load(session: AsyncSession, article: Article, pin_reports_to: int | None) -> LoadOutcome:
    await _serialise(session)
    pinned: Tracked | None = None
    if pin_reports_to is not None:
        found = await tracked_where(session, CommitmentRow.id == pin_reports_to, with_facts=False)
        if not found:
            raise UnknownCommitment([pin_reports_to])
        pinned = found[0]
    existing = await _stored_article(session, article.content_hash)
    if existing is not None:
        return LoadOutcome(article_id=existing, title=article.title, duplicate=True)

    article_row = ArticleRow(
        content_hash=article.content_hash,
        path=article.path,
        language=article.language,
        title=article.title,
        published=iso(article.published),
        published_utc=moment_utc(article.published),
        loaded_at=utc_now(),
    )
    session.add(article_row)
    await session.flush()
    article_id = article_row.id

    known = await _candidates(session, article)
    candidates: dict[int, Tracked] = {t.id: t for t in known}
    created_ids, merged_ids = await _merge_commitments(session, article, article_id, candidates)

    linked: list[tuple[int, int]] = []
    unlinked: list[int] = []
    report_rows: list[ReportRow] = []
    for report in article.reports:
        target = pinned or link_report(report, article_id, article.published, list(candidates.values()))
        report_rows.append(
            ReportRow(
                article_id=article_id,
                commitment_id=None if target is None else target.id,
                kind=report.kind,
                about=report.about,
                accused=list(report.accused),
                claimed_by=report.claimed_by,
                date=report.date,
                quantity=report.quantity,
                evidence=report.evidence,
            )
        )
    session.add_all(report_rows)
    await session.flush()
    for report_row in report_rows:
        if report_row.commitment_id is None:
            unlinked.append(report_row.id)
        else:
            linked.append((report_row.id, report_row.commitment_id))

    touched = [candidates[i] for i in (*created_ids, *merged_ids)]
    linked += await _relink_earlier(session, article_id, touched)

    changed = sorted({*created_ids, *merged_ids, *(commitment_id for _, commitment_id in linked)})
    await session.flush()
    session.expire_all()
    current = {t.id: t for t in await tracked_where(session, CommitmentRow.id.in_(changed))} if changed else {}
    conflicts = await _store_conflicts(session, list(current.values()))

    return LoadOutcome(
        article_id=article_id,
        title=article.title,
        created=[CommitmentRef(i, title_of(current[i])) for i in created_ids],
        merged=[CommitmentRef(i, title_of(current[i])) for i in merged_ids],
        linked=linked,
        unlinked=unlinked,
        conflicts=conflicts,
    )


def _window(article: Article) -> tuple[dt.datetime, dt.datetime]:
    """The UTC span every date of the article falls in, widened by the largest tolerance of the merge rules."""
    moments: list[Moment] = [article.published]
    for commitment in article.commitments:
        moments += [m for m in (commitment.start, commitment.end, commitment.due) if m is not None]
    moments += [r.date for r in article.reports if r.date is not None]
    instants = [moment_utc(m) for m in moments]
    return min(instants) - CANDIDATE_MARGIN, max(instants) + CANDIDATE_MARGIN


async def _candidates(session: AsyncSession, article: Article) -> list[Tracked]:
    """Stored commitments the article could merge into or report on: of its kinds and near its dates.

    A superset of what tracking.merge accepts (its tolerances are all below the margin), narrowed in SQL so a
    load reads a handful of rows however many commitments are stored.
    """
    kinds = {c.kind for c in article.commitments} | {r.about for r in article.reports}
    if not kinds:
        return []
    low, high = _window(article)
    mentioned = (
        select(CommitmentSourceRow.id)
        .join(ArticleRow, CommitmentSourceRow.article_id == ArticleRow.id)
        .where(
            CommitmentSourceRow.commitment_id == CommitmentRow.id,
            ArticleRow.published_utc.between(low, high),
        )
        .exists()
    )
    period = and_(
        or_(CommitmentRow.start_utc.is_not(None), CommitmentRow.end_utc.is_not(None)),
        or_(CommitmentRow.start_utc.is_(None), CommitmentRow.start_utc <= high),
        or_(CommitmentRow.end_utc.is_(None), CommitmentRow.end_utc >= low),
    )
    near = or_(CommitmentRow.due_utc.between(low, high), period, mentioned)
    return await tracked_where(session, CommitmentRow.kind.in_(kinds), near, with_facts=False)


async def _merge_commitments(
    session: AsyncSession, article: Article, article_id: int, candidates: dict[int, Tracked]
) -> tuple[list[int], list[int]]:
    """Create or merge each commitment of the article; ``candidates`` is kept up to date for later steps."""
    created: list[int] = []
    merged: list[int] = []
    for commitment in article.commitments:
        source = _source_view(article_id, article, commitment)
        match = find_match(list(candidates.values()), commitment, article.published)
        if match is None:
            tracked = _new_tracked(commitment, source)
            row = CommitmentRow()
            _apply(row, tracked)
            session.add(row)
            await session.flush()
            tracked = replace(tracked, id=row.id)
            session.add(_source_row(row.id, article_id, commitment))
            created.append(row.id)
        else:
            tracked = combine(match, commitment)
            row_or_none = await session.get(CommitmentRow, match.id)
            assert row_or_none is not None
            _apply(row_or_none, tracked)
            # The same article may name one commitment twice; it stays one source.
            if all(s.article_id != article_id for s in match.sources):
                session.add(_source_row(match.id, article_id, commitment))
                tracked = replace(tracked, sources=(*tracked.sources, source))
            if match.id not in created and match.id not in merged:
                merged.append(match.id)
        candidates[tracked.id] = tracked
    await session.flush()
    return created, merged


async def _relink_earlier(session: AsyncSession, article_id: int, touched: Sequence[Tracked]) -> list[tuple[int, int]]:
    """Give earlier reports that found no commitment a second chance now that new or fuller ones exist."""
    if not touched:
        return []
    statement = (
        select(ReportRow, ArticleRow.published)
        .join(ArticleRow, ReportRow.article_id == ArticleRow.id)
        .where(
            ReportRow.commitment_id.is_(None),
            ReportRow.about.in_({t.kind for t in touched}),
            ReportRow.article_id != article_id,
        )
        .order_by(ReportRow.id)
    )
    relinked: list[tuple[int, int]] = []
    for report_row, published in await session.execute(statement):
        moment = parse_moment(published)
        assert moment is not None
        target = link_report(report_row, report_row.article_id, moment, touched)
        if target is not None:
            report_row.commitment_id = target.id
            relinked.append((report_row.id, target.id))
    return relinked


async def _store_conflicts(session: AsyncSession, tracked: Sequence[Tracked]) -> list[ConflictView]:
    """Insert the findings whose key is new for their commitment and return them as views."""
    if not tracked:
        return []
    ids = [t.id for t in tracked]
    statement = select(ConflictRow.commitment_id, ConflictRow.key).where(ConflictRow.commitment_id.in_(ids))
    stored: set[tuple[int, str]] = {(row.commitment_id, row.key) for row in await session.execute(statement)}
    added: list[tuple[ConflictRow, tuple[int, ...], tuple[int, ...]]] = []
    for commitment in tracked:
        for finding in find_conflicts(commitment):
            key = _stored_key(finding.key)
            if (commitment.id, key) in stored:
                continue
            stored.add((commitment.id, key))
            row = ConflictRow(
                commitment_id=commitment.id,
                kind=finding.kind,
                key=key,
                summary=finding.summary,
                created_at=utc_now(),
                report_links=[ConflictReportRow(report_id=i) for i in finding.report_ids],
                article_links=[ConflictArticleRow(article_id=a, position=n) for n, a in enumerate(finding.article_ids)],
            )
            session.add(row)
            added.append((row, finding.report_ids, finding.article_ids))
    await session.flush()
    return [
        ConflictView(id=row.id, kind=row.kind, summary=row.summary, report_ids=reports, article_ids=articles)
        for row, reports, articles in added
    ]
