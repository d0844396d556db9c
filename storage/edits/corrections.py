"""Editors' corrections: a field's new value, two commitments merged into one, a commitment or a report retracted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import Integer, delete, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from articles.model import iso
from storage.conflicts import store_conflicts
from storage.edits.base import (
    MILESTONES_OF_REPORT,
    EditError,
    Editor,
    Outcome,
    Sessions,
    alerted_chats,
    correct,
    last_editor,
    one,
    record,
    report_row,
    visible,
    write_row,
)
from storage.fanout import cancel_pending
from storage.loader import serialise
from storage.models import (
    AlertRow,
    CommitmentRow,
    CommitmentSourceRow,
    ConflictReportRow,
    ConflictRow,
    DeliveryRow,
    MuteRow,
    ReportRow,
    SubscriptionRow,
    UtcDateTime,
    utc_now,
)
from storage.views import report_view
from tracking.corrections import (
    TIMING_FIELDS,
    Change,
    Invalid,
    apply,
    as_commitment,
    field_of,
    parse_value,
    stored,
)
from tracking.merge import combine
from tracking.model import CONFIRMED, VISIBLE
from tracking.state import title_fields


async def edit(
    sessions: Sessions,
    commitment_id: int,
    changes: Sequence[tuple[str, str]],
    *,
    editor: Editor,
    at: dt.datetime,
    reason: str | None = None,
    language: str = "en",
) -> Outcome:
    """Set each (field, typed value) of ``changes`` on the commitment, all or none; see the module doc."""
    if not changes:
        raise EditError("empty", commitment_id)
    async with sessions() as session, session.begin():
        await serialise(session)
        before = await visible(session, commitment_id)
        current = before
        moved: list[Change] = []
        for name, text in changes:
            wanted = field_of(name)
            if wanted is None:
                raise EditError("invalid", commitment_id, invalid=Invalid(name, text, "field"))
            value = parse_value(wanted, text, current, anchor=at, language=language)
            if isinstance(value, Invalid):
                raise EditError("invalid", commitment_id, invalid=value)
            done = apply(current, wanted, value)
            if isinstance(done, Invalid):
                raise EditError("invalid", commitment_id, invalid=done)
            current, made = done
            moved += made
        row = await session.get(CommitmentRow, commitment_id)
        assert row is not None
        write_row(row, current)
        retimed = any(change.attribute in TIMING_FIELDS for change in moved)
        if retimed and before.review == CONFIRMED:
            # Milestones that the new dates put in the past are not owed late; pending ones move (reconcile).
            row.alerts_from = at if before.alerts_from is None else max(before.alerts_from, at)
        ids = [
            await record(session, editor, at, "edit", commitment_id, field=c.field, old=c.old, new=c.new, reason=reason)
            for c in moved
        ]
        told = 0
        if retimed and before.review == CONFIRMED:
            chats = await alerted_chats(session, commitment_id, kinds=("milestone",))
            payload = {
                "what": "dates",
                "changes": [
                    {"field": c.field, "old": c.old, "new": c.new} for c in moved if c.attribute in TIMING_FIELDS
                ],
                "reason": reason,
                "item": title_fields(current),
            }
            told = await correct(session, ids[0], commitment_id, chats, at, payload)
        after = await one(session, commitment_id)
    return Outcome(after, tuple(moved), tuple(ids), told)


async def merge(
    sessions: Sessions,
    commitment_id: int,
    into_id: int,
    *,
    editor: Editor,
    at: dt.datetime,
    reason: str | None = None,
) -> Outcome:
    """Merge commitment ``commitment_id`` into ``into_id``: one commitment with the sources, reports, conflicts,
    subscriptions and mutes of both; the other one is kept as "merged into" (its /history says where it went).

    The fields combine as the loader combines a new source (``into_id`` keeps its values and gains what it lacked;
    an editor's corrections on either side hold, ``into_id``'s first). Confirmed if either was: merging what
    waited for review into a confirmed commitment is an editor's decision about it.
    """
    if commitment_id == into_id:
        raise EditError("same", commitment_id, other=into_id)
    async with sessions() as session, session.begin():
        await serialise(session)
        other = await visible(session, commitment_id)
        into = await visible(session, into_id)
        session.expunge_all()  # the rows are rewritten in bulk below; the views above are plain values
        combined = combine(into, as_commitment(other))
        corrected = dict(other.corrected) | dict(into.corrected)
        combined = replace(combined, corrected=tuple(sorted(corrected.items())), title=into.title or other.title)
        confirmed = CONFIRMED in (into.review, other.review)
        moved = [
            Change(name, stored(getattr(into, name)), stored(getattr(combined, name)))
            for name in ("actors", "scope", "start", "end", "due", "duration_days", "quantity", "status", "title")
            if stored(getattr(into, name)) != stored(getattr(combined, name))
        ]

        have = set(
            await session.scalars(
                select(CommitmentSourceRow.article_id).where(CommitmentSourceRow.commitment_id == into_id)
            )
        )
        await session.execute(
            update(CommitmentSourceRow)
            .where(CommitmentSourceRow.commitment_id == commitment_id, CommitmentSourceRow.article_id.not_in(have))
            .values(commitment_id=into_id)
        )
        await session.execute(delete(CommitmentSourceRow).where(CommitmentSourceRow.commitment_id == commitment_id))
        await session.execute(
            update(ReportRow).where(ReportRow.commitment_id == commitment_id).values(commitment_id=into_id)
        )
        keys = set(await session.scalars(select(ConflictRow.key).where(ConflictRow.commitment_id == into_id)))
        conflicts = list(
            await session.scalars(
                select(ConflictRow.id).where(ConflictRow.commitment_id == commitment_id, ConflictRow.key.not_in(keys))
            )
        )
        if conflicts:  # they keep their ids, below the alert watermark: subscribers are not told them again
            await session.execute(
                update(ConflictRow).where(ConflictRow.id.in_(conflicts)).values(commitment_id=into_id)
            )
            await session.execute(
                update(AlertRow).where(AlertRow.conflict_id.in_(conflicts)).values(commitment_id=into_id)
            )
        await _move_followers(session, SubscriptionRow, commitment_id, into_id, at)
        await _move_followers(session, MuteRow, commitment_id, into_id, at)
        # A chat that muted one and follows the other hears about the merged one: a subscription wins.
        await session.execute(
            delete(MuteRow).where(
                MuteRow.commitment_id == into_id,
                MuteRow.chat_id.in_(select(SubscriptionRow.chat_id).where(SubscriptionRow.commitment_id == into_id)),
            )
        )
        # Pending alerts of the one that went are not owed any more (its own milestones, its remaining conflicts);
        # a correction already owed about it still tells what it says.
        its_alerts = select(AlertRow.id).where(AlertRow.commitment_id == commitment_id, AlertRow.kind != "correction")
        await cancel_pending(session, utc_now(), DeliveryRow.alert_id.in_(its_alerts))

        row = await session.get(CommitmentRow, into_id)
        gone = await session.get(CommitmentRow, commitment_id)
        assert row is not None
        assert gone is not None
        write_row(row, combined)
        if confirmed and into.review != CONFIRMED:
            row.review, row.alerts_from = CONFIRMED, at
        gone.review, gone.merged_into_id, gone.version = "merged", into_id, other.version + 1
        ids = [
            await record(session, editor, at, "merge", into_id, field="merged_from", new=commitment_id, reason=reason),
            await record(session, editor, at, "merge", commitment_id, field="merged_into", new=into_id, reason=reason),
        ]
        ids += [
            await record(session, editor, at, "edit", into_id, field=c.field, old=c.old, new=c.new, reason=reason)
            for c in moved
        ]
        await session.flush()
        session.expire_all()
        after = await one(session, into_id)
        await store_conflicts(session, [after])  # what only the two together show (dates that now disagree)
        after = await one(session, into_id)
        went = await one(session, commitment_id)
    return Outcome(after, tuple(moved), tuple(ids), merged=went)


async def _move_followers(
    session: AsyncSession, table: type[SubscriptionRow] | type[MuteRow], source_id: int, into_id: int, at: dt.datetime
) -> None:
    """The chats following (or muting) ``source_id`` now follow (or mute) ``into_id``, from ``at`` on: the merged
    one's milestones before the merge were not theirs to miss, so they are not sent late."""
    taken = select(table.chat_id).where(table.commitment_id == into_id)
    await session.execute(
        insert(table).from_select(
            ["chat_id", "commitment_id", "created_at"],
            select(table.chat_id, literal(into_id, Integer), literal(at, UtcDateTime)).where(
                table.commitment_id == source_id, table.chat_id.not_in(taken)
            ),
        )
    )
    await session.execute(delete(table).where(table.commitment_id == source_id))


async def retract(
    sessions: Sessions, commitment_id: int, *, editor: Editor, at: dt.datetime, reason: str | None = None
) -> Outcome:
    """Withdraw a commitment: it leaves /status, the timeline and the calendar; its pending alerts are cancelled;
    every chat that had an alert about it gets one correction saying so."""
    async with sessions() as session, session.begin():
        await serialise(session)
        tracked = await one(session, commitment_id)
        if tracked.review == "retracted":
            by = await last_editor(session, commitment_id)
            raise EditError("already", commitment_id, state="retracted", by=by)
        if tracked.review not in VISIBLE:
            other = await session.scalar(select(CommitmentRow.merged_into_id).where(CommitmentRow.id == commitment_id))
            raise EditError("gone", commitment_id, state=tracked.review, other=other)
        await session.execute(
            update(CommitmentRow)
            .where(CommitmentRow.id == commitment_id)
            .values(review="retracted", version=CommitmentRow.version + 1)
        )
        edit_id = await record(session, editor, at, "retract", commitment_id, reason=reason)
        alerts = select(AlertRow.id).where(AlertRow.commitment_id == commitment_id)
        await cancel_pending(session, utc_now(), DeliveryRow.alert_id.in_(alerts))
        # Nothing more to follow or mute: /subscriptions lists what can still be shown.
        await session.execute(delete(SubscriptionRow).where(SubscriptionRow.commitment_id == commitment_id))
        await session.execute(delete(MuteRow).where(MuteRow.commitment_id == commitment_id))
        chats = await alerted_chats(session, commitment_id, kinds=("milestone", "conflict"))
        payload = {"what": "retracted", "reason": reason, "item": title_fields(tracked)}
        told = await correct(session, edit_id, commitment_id, chats, at, payload)
        after = await one(session, commitment_id)
    return Outcome(after, (), (edit_id,), told)


async def retract_report(
    sessions: Sessions, report_id: int, *, editor: Editor, at: dt.datetime, reason: str | None = None
) -> Outcome:
    """Withdraw a report: it counts for nothing from now on (state, plans, conflicts); the pending alerts of the
    conflicts resting on it are cancelled, and chats that had one of those, or a milestone alert it made (carried
    out, ended with an extension), get one correction."""
    async with sessions() as session, session.begin():
        await serialise(session)
        row = await report_row(session, report_id)
        if row.review == "retracted":
            by = await last_editor(session, row.commitment_id, report_id)
            raise EditError("already", report_id, target="report", state="retracted", by=by)
        view = report_view(row)
        row.review = "retracted"
        edit_id = await record(
            session, editor, at, "retract", row.commitment_id, report_id=report_id, field="report", reason=reason
        )
        told = 0
        commitment_id = row.commitment_id
        if commitment_id is not None:
            resting = select(ConflictReportRow.conflict_id).where(ConflictReportRow.report_id == report_id)
            alerts = select(AlertRow.id).where(AlertRow.conflict_id.in_(resting))
            await cancel_pending(session, utc_now(), DeliveryRow.alert_id.in_(alerts))
            chats = set(
                await session.scalars(
                    select(DeliveryRow.chat_id).where(DeliveryRow.alert_id.in_(alerts), DeliveryRow.state == "sent")
                )
            )
            slug = MILESTONES_OF_REPORT.get(row.kind)
            if slug is not None:
                chats |= set(await alerted_chats(session, commitment_id, kinds=("milestone",), slugs=(slug,)))
            await session.execute(
                update(CommitmentRow).where(CommitmentRow.id == commitment_id).values(version=CommitmentRow.version + 1)
            )
            tracked = await one(session, commitment_id)
            payload = {
                "what": "report_retracted",
                "report": {"kind": row.kind, "date": iso(row.date), "claimed_by": row.claimed_by},
                "reason": reason,
                "item": title_fields(tracked),
            }
            told = await correct(session, edit_id, commitment_id, sorted(chats), at, payload)
            after = tracked
        else:
            after = None
    return Outcome(after, (), (edit_id,), told, report=view)
