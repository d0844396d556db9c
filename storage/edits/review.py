"""Review: confirming or rejecting what the extractor found (REVIEW_MODE=review), and what editors read: a
commitment's history, the queue, the candidates to merge into, who decided an item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.conflicts import store_conflicts
from storage.edits.base import (
    EditError,
    Editor,
    EditView,
    Outcome,
    Queue,
    Sessions,
    Target,
    last_editor,
    one,
    record,
    report_row,
)
from storage.loader import serialise
from storage.models import (
    CommitmentRow,
    EditRow,
    ReportRow,
)
from storage.queries import tracked_where
from storage.views import report_view
from tracking.model import CONFIRMED, UNCONFIRMED, ReportView, Tracked, moment_utc


async def decide(
    sessions: Sessions,
    target: Target,
    item_id: int,
    *,
    confirm: bool,
    editor: Editor,
    at: dt.datetime,
    version: int | None = None,
    reason: str | None = None,
) -> Outcome:
    """Confirm or reject an unconfirmed commitment or report, once (see the module doc): ``version`` is the one
    the card showed (None: whatever is stored now, as /review's typed use has it)."""
    state = CONFIRMED if confirm else "rejected"
    async with sessions() as session, session.begin():
        await serialise(session)
        if target == "report":
            return await _decide_report(session, item_id, state, editor, at, reason)
        criteria = [CommitmentRow.id == item_id, CommitmentRow.review == UNCONFIRMED]
        if version is not None:
            criteria.append(CommitmentRow.version == version)
        values: dict[str, Any] = {"review": state, "version": CommitmentRow.version + 1}
        if confirm:
            values["alerts_from"] = at
        won = (
            await session.execute(update(CommitmentRow).where(*criteria).values(**values).returning(CommitmentRow.id))
        ).first()
        if won is None:
            tracked = await one(session, item_id)
            if tracked.review != UNCONFIRMED:
                by = await last_editor(session, item_id)
                raise EditError("already", item_id, state=tracked.review, by=by)
            raise EditError("stale", item_id)
        edit_id = await record(session, editor, at, "confirm" if confirm else "reject", item_id, reason=reason)
        after = await one(session, item_id)
        if confirm:
            await store_conflicts(session, [after])
            after = await one(session, item_id)
    return Outcome(after, (), (edit_id,))


async def _decide_report(
    session: AsyncSession, report_id: int, state: str, editor: Editor, at: dt.datetime, reason: str | None
) -> Outcome:
    won = (
        await session.execute(
            update(ReportRow)
            .where(ReportRow.id == report_id, ReportRow.review == UNCONFIRMED)
            .values(review=state)
            .returning(ReportRow.commitment_id)
        )
    ).first()
    row = await report_row(session, report_id)
    if won is None:
        by = await last_editor(session, row.commitment_id, report_id)
        raise EditError("already", report_id, target="report", state=row.review, by=by)
    action = "confirm" if state == CONFIRMED else "reject"
    edit_id = await record(
        session, editor, at, action, row.commitment_id, report_id=report_id, field="report", reason=reason
    )
    view = report_view(row)
    if row.commitment_id is None:
        return Outcome(None, (), (edit_id,), report=view)
    await session.execute(
        update(CommitmentRow).where(CommitmentRow.id == row.commitment_id).values(version=CommitmentRow.version + 1)
    )
    after = await one(session, row.commitment_id)
    if state == CONFIRMED:
        await store_conflicts(session, [after])  # the conflicts it raises are news now
        after = await one(session, row.commitment_id)
    return Outcome(after, (), (edit_id,), report=view)


async def history(sessions: Sessions, commitment_id: int) -> tuple[Tracked, list[EditView]]:
    """The commitment (any state) and its edits, merges, retractions and reviews, newest first."""
    async with sessions() as session:
        tracked = await one(session, commitment_id)
        rows = await session.scalars(
            select(EditRow).where(EditRow.commitment_id == commitment_id).order_by(EditRow.id.desc())
        )
        edits = [
            EditView(r.id, r.action, r.field, r.old, r.new, r.reason, r.editor, r.at, r.commitment_id, r.report_id)
            for r in rows
        ]
    return tracked, edits


async def queue(sessions: Sessions) -> Queue:
    """Everything that waits for an editor, oldest first."""
    async with sessions() as session:
        commitments = await tracked_where(session, CommitmentRow.review == UNCONFIRMED, review=None)
        rows = list(
            await session.scalars(
                select(ReportRow)
                .where(ReportRow.review == UNCONFIRMED)
                .order_by(ReportRow.id)
                .options(selectinload(ReportRow.article))
            )
        )
        owners = {r.commitment_id for r in rows if r.commitment_id is not None}
        found = {t.id: t for t in await tracked_where(session, CommitmentRow.id.in_(owners), review=None)}
        reports = [(report_view(row), found[row.commitment_id]) for row in rows if row.commitment_id in found]
    return Queue(commitments, reports)


async def commitment(sessions: Sessions, commitment_id: int) -> Tracked:
    """One commitment in any review state (for a review card); unknown ids raise EditError."""
    async with sessions() as session:
        return await one(session, commitment_id)


async def report(sessions: Sessions, report_id: int) -> tuple[ReportView, str, Tracked | None]:
    """One report (any review state, as its card shows it), its review state and its commitment."""
    async with sessions() as session:
        row = await report_row(session, report_id)
        owner = None if row.commitment_id is None else await one(session, row.commitment_id)
        return report_view(row), row.review, owner


async def merge_targets(sessions: Sessions, commitment_id: int, *, limit: int = 5) -> list[Tracked]:
    """Commitments ``commitment_id`` could be merged into, the likeliest first: of its kind, shown, nearest in time."""
    async with sessions() as session:
        tracked = await one(session, commitment_id)
        others = await tracked_where(
            session, CommitmentRow.kind == tracked.kind, CommitmentRow.id != commitment_id, with_facts=False
        )
    anchor = tracked.start or tracked.due or tracked.end

    def distance(other: Tracked) -> tuple[int, int, int]:
        when = other.start or other.due or other.end
        days = abs((moment_utc(when) - moment_utc(anchor)).days) if when is not None and anchor is not None else 10**6
        return (other.review != CONFIRMED, days, -other.id)

    return sorted(others, key=distance)[:limit]


async def reports(sessions: Sessions, ids: Sequence[int]) -> dict[int, ReportView]:
    """Reports by id in any review state (the review cards of a claimed batch), in one query."""
    async with sessions() as session:
        rows = await session.scalars(
            select(ReportRow).where(ReportRow.id.in_(list(ids))).options(selectinload(ReportRow.article))
        )
        return {row.id: report_view(row) for row in rows}


async def decided_by(sessions: Sessions, target: Target, item_id: int) -> tuple[str, str | None]:
    """An item's review state and who decided it last (for a card pressed after someone else acted)."""
    async with sessions() as session:
        if target == "report":
            row = await report_row(session, item_id)
            return row.review, await last_editor(session, row.commitment_id, item_id)
        state = await session.scalar(select(CommitmentRow.review).where(CommitmentRow.id == item_id))
        if state is None:
            raise EditError("unknown", item_id)
        return state, await last_editor(session, item_id)
