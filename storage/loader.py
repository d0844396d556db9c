"""Loading one extracted article: merge its commitments, link its reports, store the conflicts they raise.

Each article is one transaction, so a failure leaves nothing of that article behind and the next one still
loads. The decisions themselves are the pure functions in :mod:`tracking`; this module only reads and writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import and_, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from articles.model import Article, Commitment, Moment, iso, parse_moment
from articles.plausible import implausible_date, plausible_day
from storage.conflicts import drop_conflicts_on, store_conflicts
from storage.db import SQLITE_IMMEDIATE
from storage.models import (
    ArticleRow,
    CommitmentRow,
    CommitmentSourceRow,
    ReportRow,
    utc_now,
)
from storage.queries import UnknownCommitment, tracked_where
from storage.views import claim, terms
from tracking.merge import (
    DUE_TOLERANCE_DAYS,
    MENTION_TOLERANCE_DAYS,
    REPORT_MARGIN_DAYS,
    START_TOLERANCE_DAYS,
    better_link,
    combine,
    find_match,
    link_report,
)
from tracking.model import CONFIRMED, UNCONFIRMED, ConflictView, SourceView, Tracked, moment_utc
from tracking.state import title_fields, title_of

# Arbitrary but fixed: the PostgreSQL advisory lock all loaders take (ASCII "ceasefir").
LOAD_LOCK_KEY = 0x6365617365666972
# Candidates are pre-selected in SQL around the article's dates; two extra days absorb day-vs-instant rounding.
CANDIDATE_MARGIN = dt.timedelta(
    days=max(START_TOLERANCE_DAYS, DUE_TOLERANCE_DAYS, REPORT_MARGIN_DAYS, MENTION_TOLERANCE_DAYS) + 2
)


@dataclass(frozen=True, slots=True)
class CommitmentRef:
    """A commitment named in a load summary: its English title (the command line's) and the fields a reader's
    title is worded from (tracking.state.title_fields)."""

    id: int
    title: str
    fields: Mapping[str, Any] = field(default_factory=dict, compare=False)


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
    sessions: async_sessionmaker[AsyncSession],
    article: Article,
    *,
    pin_reports_to: int | None = None,
    review: bool = False,
) -> LoadOutcome:
    """Store ``article`` in one transaction, or report it as a duplicate when its content hash is known.

    ``pin_reports_to`` links every report to that commitment instead of matching: an admin's `/report ID …`
    names its commitment. An unknown id raises UnknownCommitment and writes nothing.

    ``review`` (REVIEW_MODE=review): what the article is first to report waits for an editor — a new commitment
    is stored unconfirmed, and so is a report on a confirmed one (storage.edits confirms or rejects them).
    """
    check_storable(article)
    try:
        async with sessions() as session, session.begin():
            return await _load(session, article, pin_reports_to, review)
    except IntegrityError:
        # Another process loaded the same article between our check and our commit.
        async with sessions() as session:
            existing = await _stored_article(session, article.content_hash)
        if existing is None:
            raise
        return LoadOutcome(article_id=existing, title=article.title, duplicate=True)


class UnstorableArticle(ValueError):
    """An article with a value no column can hold or no date rule can compute with; ``reason`` is one line."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


_MAX_INTEGER = 2**31 - 1  # the Integer columns are 32-bit on PostgreSQL (SQLite refuses past 2**63)


def check_storable(article: Article) -> None:
    """Refuse, before anything is written, what extraction would have dropped as implausible (an Article built
    elsewhere, or by an older extractor): dates outside 1900–2100 overflow the candidate window, and integers past
    the columns' width abort the transaction with a driver error that names no field."""
    moments: list[tuple[str, Moment | None]] = [("publication date", article.published)]
    numbers: list[tuple[str, int | None]] = []
    for c in article.commitments:
        moments += [(f"{c.kind} {name}", getattr(c, name)) for name in ("start", "end", "due")]
        numbers += [(f"{c.kind} quantity", c.quantity), (f"{c.kind} duration", c.duration_days)]
    for r in article.reports:
        moments.append((f"{r.kind} report date", r.date))
        numbers.append((f"{r.kind} report quantity", r.quantity))
    for what, moment in moments:
        if moment is not None and not plausible_day(moment):
            raise UnstorableArticle(article.path, f"{what} {implausible_date(moment)}")
    for what, number in numbers:
        if number is not None and not -_MAX_INTEGER <= number <= _MAX_INTEGER:
            raise UnstorableArticle(article.path, f"{what} {number} is too large to store")


async def _stored_article(session: AsyncSession, content_hash: str) -> int | None:
    found: int | None = await session.scalar(select(ArticleRow.id).where(ArticleRow.content_hash == content_hash))
    return found


def _stored(moment: Moment | None) -> tuple[str | None, dt.datetime | None]:
    """A date as the row keeps it: the text the source wrote and the UTC instant it is ordered by."""
    return iso(moment), None if moment is None else moment_utc(moment)


def write_commitment(row: CommitmentRow, tracked: Tracked, *, conditions: bool = True) -> None:
    """Write the fields of ``tracked`` that sources state onto its row, dates with their UTC columns: the loader
    after a merge, editors (storage.edits) after a change. ``conditions=False`` leaves the stored conditions as
    they are (editors: no editor sets them)."""
    row.kind = tracked.kind
    row.actors = list(tracked.actors)
    row.scope = tracked.scope
    if conditions:
        row.conditions = list(tracked.conditions)
    row.start, row.start_utc = _stored(tracked.start)
    row.end, row.end_utc = _stored(tracked.end)
    row.due, row.due_utc = _stored(tracked.due)
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
        **terms(commitment, iso),
        evidence=commitment.evidence,
    )


def _as_written(moment: Moment | None) -> Moment | None:
    """An article's own dates are moments already (storage.views.terms reads a row's text)."""
    return moment


def _source_view(article_id: int, article: Article, commitment: Commitment) -> SourceView:
    return SourceView(
        article_id=article_id,
        title=article.title,
        language=article.language,
        published=article.published,
        path=article.path,
        **terms(commitment, _as_written),
        evidence=commitment.evidence,
    )


def _new_tracked(commitment: Commitment, source: SourceView) -> Tracked:
    return Tracked(
        id=0,
        kind=commitment.kind,
        actors=commitment.actors,
        scope=commitment.scope,
        conditions=commitment.conditions,
        **terms(commitment, _as_written),
        sources=(source,),
    )


async def serialise(session: AsyncSession) -> None:
    """Loads read the candidates, then write: two at once could both create the same commitment, so they queue
    (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock). Editors' changes (storage.edits)
    queue the same way: they write commitments and conflicts too."""
    connection = await session.connection(execution_options={SQLITE_IMMEDIATE: True})
    if connection.dialect.name == "postgresql":
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK_KEY})


async def _load(session: AsyncSession, article: Article, pin_reports_to: int | None, review: bool) -> LoadOutcome:
    await serialise(session)
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
    created_ids, merged_ids = await _merge_commitments(session, article, article_id, candidates, review)

    linked: list[tuple[int, int]] = []
    unlinked: list[int] = []
    report_rows: list[ReportRow] = []
    for report in article.reports:
        target = pinned or link_report(report, article_id, article.published, list(candidates.values()))
        report_rows.append(
            ReportRow(
                article_id=article_id,
                commitment_id=None if target is None else target.id,
                accused=list(report.accused),
                **claim(report),
                review=_report_review(review and pinned is None, target),
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
    linked += await _relink_earlier(session, article_id, touched, review)

    changed = sorted({*created_ids, *merged_ids, *(commitment_id for _, commitment_id in linked)})
    await session.flush()
    session.expire_all()
    current = (
        {t.id: t for t in await tracked_where(session, CommitmentRow.id.in_(changed), review=None)} if changed else {}
    )
    conflicts = await store_conflicts(session, list(current.values()))

    return LoadOutcome(
        article_id=article_id,
        title=article.title,
        created=[CommitmentRef(i, title_of(current[i]), title_fields(current[i])) for i in created_ids],
        merged=[CommitmentRef(i, title_of(current[i]), title_fields(current[i])) for i in merged_ids],
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
    # Rejected and retracted ones too: an article repeating what an editor threw out joins it (and stays out)
    # rather than bringing it back; a merged one is gone (its sources went with it).
    return await tracked_where(session, CommitmentRow.kind.in_(kinds), near, with_facts=False, review=NOT_MERGED)


NOT_MERGED = ("confirmed", "unconfirmed", "rejected", "retracted")


def _report_review(review: bool, target: Tracked | None) -> str:
    """A report waits for an editor in review mode when it is on a confirmed commitment (one on an unconfirmed
    commitment is looked at with it; one on no commitment counts for nothing until it is linked)."""
    return UNCONFIRMED if review and target is not None and target.review == CONFIRMED else CONFIRMED


def _merged_fields(tracked: Tracked) -> tuple[object, ...]:
    """What a merge may change on a row (compared before and after, to count a version)."""
    return (tracked.actors, tracked.scope, tracked.conditions, tracked.start, tracked.end, tracked.due,
            tracked.duration_days, tracked.quantity, tracked.status)  # fmt: skip


async def _merge_commitments(
    session: AsyncSession, article: Article, article_id: int, candidates: dict[int, Tracked], review: bool
) -> tuple[list[int], list[int]]:
    """Create or merge each commitment of the article; ``candidates`` is kept up to date for later steps."""
    created: list[int] = []
    merged: list[int] = []
    for commitment in article.commitments:
        source = _source_view(article_id, article, commitment)
        match = find_match(list(candidates.values()), commitment, article.published)
        if match is None:
            tracked = _new_tracked(commitment, source)
            if review:
                tracked = replace(tracked, review=UNCONFIRMED)
            row = CommitmentRow(review=tracked.review, version=1)
            write_commitment(row, tracked)
            session.add(row)
            await session.flush()
            tracked = replace(tracked, id=row.id)
            session.add(_source_row(row.id, article_id, commitment))
            created.append(row.id)
        else:
            published = moment_utc(article.published)
            earliest = all(published < moment_utc(s.published) for s in match.sources)
            tracked = combine(match, commitment, earliest=earliest)
            row_or_none = await session.get(CommitmentRow, match.id)
            assert row_or_none is not None
            write_commitment(row_or_none, tracked)
            bumped = _merged_fields(tracked) != _merged_fields(match)
            # The same article may name one commitment twice; it stays one source.
            if all(s.article_id != article_id for s in match.sources):
                session.add(_source_row(match.id, article_id, commitment))
                tracked = replace(tracked, sources=(*tracked.sources, source))
                bumped = True
            if bumped:  # a review card sent before this shows what it no longer is
                row_or_none.version = match.version + 1
                tracked = replace(tracked, version=match.version + 1)
            if match.id not in created and match.id not in merged:
                merged.append(match.id)
        candidates[tracked.id] = tracked
    await session.flush()
    return created, merged


async def _relink_earlier(
    session: AsyncSession, article_id: int, touched: Sequence[Tracked], review: bool = False
) -> list[tuple[int, int]]:
    """Give earlier reports a second chance now that new or fuller commitments exist (in review mode one that now
    lands on a confirmed commitment waits for an editor, as a new one would).

    Reports that found no commitment are matched against the touched ones. So are reports that found one only
    near their day, not in force on it (the Easter truce's violations, loaded before the truce, went to a truce
    proposed for a week later): they move when a touched commitment fits their day strictly better, and the
    conflicts they raised where they were go with them. Without this the same articles loaded in another order
    gave other links and conflicts. An admin's `/report ID` names its commitment and is never moved.
    """
    if not touched:
        return []
    kinds = {t.kind for t in touched}
    touched_ids = [t.id for t in touched]
    low, high = _reach(touched)
    near = or_(
        ReportRow.date.between(low.date(), high.date()),
        and_(ReportRow.date.is_(None), ArticleRow.published_utc.between(low, high)),
    )
    linked_elsewhere = and_(
        ReportRow.commitment_id.not_in(touched_ids), near, ArticleRow.path.not_like(f"{PINNED_PREFIX}%")
    )
    statement = (
        select(ReportRow, ArticleRow.published)
        .join(ArticleRow, ReportRow.article_id == ArticleRow.id)
        .where(
            or_(ReportRow.commitment_id.is_(None), linked_elsewhere),
            ReportRow.about.in_(kinds),
            ReportRow.article_id != article_id,
        )
        .order_by(ReportRow.id)
    )
    rows = list(await session.execute(statement))
    current_ids = sorted({row.commitment_id for row, _ in rows if row.commitment_id is not None})
    current = (
        {t.id: t for t in await tracked_where(session, CommitmentRow.id.in_(current_ids), with_facts=False)}
        if current_ids
        else {}
    )
    relinked: list[tuple[int, int]] = []
    moved: list[tuple[int, int]] = []  # (report, the commitment it left)
    for report_row, published in rows:
        moment = parse_moment(published)
        assert moment is not None
        if report_row.commitment_id is None:
            target = link_report(report_row, report_row.article_id, moment, touched)
        else:
            target = better_link(report_row, report_row.article_id, moment, current.get(report_row.commitment_id),
                                 touched)  # fmt: skip
            if target is not None:
                moved.append((report_row.id, report_row.commitment_id))
        if target is not None:
            report_row.commitment_id = target.id
            report_row.review = _report_review(review, target)
            relinked.append((report_row.id, target.id))
    await drop_conflicts_on(session, moved)
    return relinked


# Reports an admin logged with `/report ID …` (bot.commands.report) come from articles with these paths: they name
# their commitment, so a better fit found later does not move them.
PINNED_PREFIX = "telegram:report/"


def _reach(touched: Sequence[Tracked]) -> tuple[dt.datetime, dt.datetime]:
    """The UTC span in which a report can be about one of ``touched`` (tracking.merge.report_distance)."""
    moments: list[Moment] = []
    for commitment in touched:
        moments += [m for m in (commitment.start, commitment.end, commitment.due) if m is not None]
        moments += [source.published for source in commitment.sources]
    instants = [moment_utc(m) for m in moments] or [utc_now()]
    return min(instants) - CANDIDATE_MARGIN, max(instants) + CANDIDATE_MARGIN
