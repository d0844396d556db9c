"""Conflicts as stored: the rules' findings (tracking.conflicts) inserted when new for their commitment, restated when
the same finding rests on other articles now, dropped when the report they rested on moved to another commitment.
Called inside a load's or an editor's transaction (behind the load lock), never on their own."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ConflictArticleRow,
    ConflictReportRow,
    ConflictRow,
    utc_now,
)
from tracking.conflicts import find_conflicts
from tracking.model import CONFIRMED, ConflictView, Tracked

# The width of conflicts.key.
_KEY_LENGTH = 255


def _stored_key(key: str) -> str:
    """Keys past the column width keep their rule prefix and a digest, which is just as stable."""
    if len(key) <= _KEY_LENGTH:
        return key
    prefix = key.split(":", 1)[0]
    return f"{prefix}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"


async def drop_conflicts_on(session: AsyncSession, moved: Sequence[tuple[int, int]]) -> None:
    """Delete the conflicts a moved report raised on the commitment it left: they were about a misreading."""
    for report_id, left in moved:
        cited = select(ConflictReportRow.conflict_id).where(ConflictReportRow.report_id == report_id)
        await session.execute(delete(ConflictRow).where(ConflictRow.commitment_id == left, ConflictRow.id.in_(cited)))


async def store_conflicts(session: AsyncSession, tracked: Sequence[Tracked]) -> list[ConflictView]:
    """Insert the findings whose key is new for their commitment and return them as views.

    Only for confirmed commitments: what waits for an editor (or was thrown out) raises nothing that would alert
    subscribers; confirming one stores its conflicts then (storage.edits), so they are news at that moment.
    """
    tracked = [t for t in tracked if t.review == CONFIRMED]
    if not tracked:
        return []
    ids = [t.id for t in tracked]
    statement = select(ConflictRow.id, ConflictRow.commitment_id, ConflictRow.key, ConflictRow.summary).where(
        ConflictRow.commitment_id.in_(ids)
    )
    known = {(row.commitment_id, row.key): (row.id, row.summary) for row in await session.execute(statement)}
    cited = await _cited_articles(session, [conflict_id for conflict_id, _ in known.values()])
    stored: set[tuple[int, str]] = set(known)
    added: list[tuple[ConflictRow, tuple[int, ...], tuple[int, ...]]] = []
    for commitment in tracked:
        for finding in find_conflicts(commitment):
            key = _stored_key(finding.key)
            if (commitment.id, key) in known:
                conflict_id, summary = known[(commitment.id, key)]
                if summary != finding.summary or cited.get(conflict_id, ()) != finding.article_ids:
                    await _restate(session, conflict_id, finding.summary, finding.article_ids)
                continue
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
        ConflictView(
            id=row.id, kind=row.kind, summary=row.summary, report_ids=reports, article_ids=articles, key=row.key
        )
        for row, reports, articles in added
    ]


async def _cited_articles(session: AsyncSession, conflict_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    """The articles each stored conflict names, in the order its summary names them."""
    if not conflict_ids:
        return {}
    statement = (
        select(ConflictArticleRow.conflict_id, ConflictArticleRow.article_id)
        .where(ConflictArticleRow.conflict_id.in_(conflict_ids))
        .order_by(ConflictArticleRow.conflict_id, ConflictArticleRow.position)
    )
    found: dict[int, tuple[int, ...]] = {}
    for conflict_id, article in await session.execute(statement):
        found[conflict_id] = (*found.get(conflict_id, ()), article)
    return found


async def _restate(session: AsyncSession, conflict_id: int, summary: str, articles: Sequence[int]) -> None:
    """Word a stored conflict as the rules word it now: the same finding, but the commitment has more sources
    than when it was first found ("the commitment in A" becomes "in A and B"), so every load order ends with the
    same text. Its id, its time and the alerts already sent for it stay."""
    await session.execute(update(ConflictRow).where(ConflictRow.id == conflict_id).values(summary=summary))
    await session.execute(delete(ConflictArticleRow).where(ConflictArticleRow.conflict_id == conflict_id))
    if articles:
        await session.execute(
            insert(ConflictArticleRow),
            [{"conflict_id": conflict_id, "article_id": a, "position": n} for n, a in enumerate(articles)],
        )
