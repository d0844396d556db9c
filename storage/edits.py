"""Editors' changes: correct, merge, retract, confirm and reject what the extractor found, each kept as an edit.

Every operation is one transaction that queues behind loads (:func:`storage.loader.serialise`: both write
commitments and conflicts) and either does all it says or nothing: a value that cannot be read, an unknown id, a
merge into itself, a retraction of what is already retracted raise :class:`EditError` before anything is written.
Each change adds :class:`~storage.models.EditRow` rows (who, when on the bot's clock, field, old and new value,
reason), so /history can show them and the status cache (storage.queries.data_version) sees them.

What subscribers hear follows in the same transaction, through the outbox, so it is sent once and survives a
restart: a corrected date (or duration) tells every chat that already had a milestone alert of the commitment, in
one "correction" alert; a retraction tells every chat that had any alert about it, and cancels what was still
pending. Moving the pending milestones themselves is schedules.reconcile's work, which the bot asks for at once
(the CLI's changes are seen by the running bot's next tick: they change the reconcile fingerprint).

Review (REVIEW_MODE=review): confirming and rejecting are compare-and-set updates on the item's review state and,
for a commitment, its ``version``: of two admins pressing at once, one changes the row and the other is told it
was already done; a card sent before the item changed carries an old version and is refused as stale. Confirming
a commitment plans its alerts from that instant (``alerts_from``: milestones already past are not owed) and stores
its conflicts then; confirming a report stores the conflicts it raises, so their alerts go out only now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from sqlalchemy import Integer, delete, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from articles.model import iso
from storage.conflicts import store_conflicts
from storage.loader import serialise
from storage.models import (
    AlertRow,
    CommitmentRow,
    CommitmentSourceRow,
    ConflictReportRow,
    ConflictRow,
    DeliveryRow,
    EditRow,
    MuteRow,
    ReportRow,
    SubscriptionRow,
    UtcDateTime,
    utc_now,
)
from storage.queries import report_view, tracked_where
from tracking.corrections import (
    TIMING_FIELDS,
    Change,
    Invalid,
    apply,
    as_commitment,
    corrected_json,
    field_of,
    parse_value,
    stored,
)
from tracking.merge import combine
from tracking.model import CONFIRMED, UNCONFIRMED, VISIBLE, ReportView, Tracked, moment_utc
from tracking.state import title_fields

Reason = Literal["unknown", "unknown_report", "invalid", "same", "gone", "already", "stale", "empty"]
Target = Literal["commitment", "report"]
# Milestones whose alerts word what a report of this kind made of the commitment (a retraction corrects them).
_MILESTONES_OF_REPORT = {"fulfilment": "fulfilled", "extension": "end", "expiry": "end"}


@dataclass(frozen=True, slots=True)
class Editor:
    """Who changes something: a name to show in /history and, for a Telegram admin, the user id."""

    name: str
    user_id: int | None = None


class EditError(Exception):
    """A refused change; nothing was written. ``reason`` says why (bot.display words it in one line):

    unknown / unknown_report (no such id) · invalid (``invalid`` says which value and what would be accepted) ·
    same (a merge into itself) · gone (merged, rejected or retracted: ``state``, and ``other`` for a merge) ·
    already (retracted, confirmed or rejected before: ``state`` and ``by``) · stale (the item changed since the
    card was sent) · empty (nothing to change).
    """

    def __init__(
        self,
        reason: Reason,
        item_id: int,
        *,
        target: Target = "commitment",
        invalid: Invalid | None = None,
        state: str | None = None,
        other: int | None = None,
        by: str | None = None,
    ) -> None:
        self.reason: Reason = reason
        self.item_id = item_id
        self.target: Target = target
        self.invalid = invalid
        self.state = state
        self.other = other
        self.by = by
        super().__init__(f"{reason}: {target} {item_id}" + (f" ({invalid})" if invalid else ""))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a change did: the commitment (as it is now), the fields that moved, the edits recorded, how many chats
    get a correction, and for a merge the commitment that went into it."""

    commitment: Tracked | None
    changes: tuple[Change, ...] = ()
    edit_ids: tuple[int, ...] = ()
    told: int = 0
    merged: Tracked | None = None
    report: ReportView | None = None


@dataclass(frozen=True, slots=True)
class EditView:
    """One line of /history."""

    id: int
    action: str
    field: str | None
    old: Any
    new: Any
    reason: str | None
    editor: str
    at: dt.datetime
    commitment_id: int | None
    report_id: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "action": self.action,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "reason": self.reason,
            "editor": self.editor,
            "at": self.at.isoformat(),
            "commitment": self.commitment_id,
            "report": self.report_id,
        }


@dataclass(frozen=True, slots=True)
class Queue:
    """What waits for an editor: unconfirmed commitments and reports (with the commitment each is about)."""

    commitments: list[Tracked] = field(default_factory=list)
    reports: list[tuple[ReportView, Tracked]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.commitments) + len(self.reports)


Sessions = async_sessionmaker[AsyncSession]


async def _one(session: AsyncSession, commitment_id: int) -> Tracked:
    """The commitment in any review state, read in this transaction; unknown ids raise."""
    found = await tracked_where(session, CommitmentRow.id == commitment_id, review=None)
    if not found:
        raise EditError("unknown", commitment_id)
    return found[0]


async def _last_editor(session: AsyncSession, commitment_id: int | None, report_id: int | None = None) -> str | None:
    where = EditRow.report_id == report_id if report_id is not None else EditRow.commitment_id == commitment_id
    found: str | None = await session.scalar(select(EditRow.editor).where(where).order_by(EditRow.id.desc()).limit(1))
    return found


async def _visible(session: AsyncSession, commitment_id: int) -> Tracked:
    """The commitment when an editor may still change it (confirmed or unconfirmed); otherwise why not."""
    tracked = await _one(session, commitment_id)
    if tracked.review not in VISIBLE:
        other = await session.scalar(select(CommitmentRow.merged_into_id).where(CommitmentRow.id == commitment_id))
        raise EditError("gone", commitment_id, state=tracked.review, other=other)
    return tracked


def _write(row: CommitmentRow, tracked: Tracked) -> None:
    """The editable fields of ``tracked`` onto its row (dates with their UTC columns), and a new version."""
    row.kind = tracked.kind
    row.actors = list(tracked.actors)
    row.scope = tracked.scope
    row.start, row.start_utc = iso(tracked.start), None if tracked.start is None else moment_utc(tracked.start)
    row.end, row.end_utc = iso(tracked.end), None if tracked.end is None else moment_utc(tracked.end)
    row.due, row.due_utc = iso(tracked.due), None if tracked.due is None else moment_utc(tracked.due)
    row.duration_days = tracked.duration_days
    row.quantity = tracked.quantity
    row.status = tracked.status
    row.title = tracked.title
    row.corrected = corrected_json(tracked)
    row.version = tracked.version + 1


async def _record(
    session: AsyncSession,
    editor: Editor,
    at: dt.datetime,
    action: str,
    commitment_id: int | None,
    *,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    reason: str | None = None,
    report_id: int | None = None,
) -> int:
    row = EditRow(
        commitment_id=commitment_id,
        report_id=report_id,
        action=action,
        field=field,
        old=old,
        new=new,
        reason=reason,
        editor=editor.name,
        editor_id=editor.user_id,
        at=at,
        created_at=utc_now(),
    )
    session.add(row)
    await session.flush()
    return row.id


async def _told(
    session: AsyncSession, commitment_id: int, *, kinds: Sequence[str], slugs: Sequence[str] = ()
) -> list[int]:
    """Chats that already got an alert of ``kinds`` about the commitment (of those ``slugs`` only, when given)."""
    statement = (
        select(DeliveryRow.chat_id)
        .join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
        .where(AlertRow.commitment_id == commitment_id, AlertRow.kind.in_(list(kinds)), DeliveryRow.state == "sent")
        .distinct()
    )
    if slugs:
        statement = statement.where(AlertRow.slug.in_(list(slugs)))
    return sorted(set(await session.scalars(statement)))


async def _correct(
    session: AsyncSession, edit_id: int, commitment_id: int, chats: Sequence[int], at: dt.datetime, payload: Any
) -> int:
    """One correction alert (key "correction:<edit id>") owed now to each of ``chats``; returns how many."""
    if not chats:
        return 0
    real_now = utc_now()
    alert = AlertRow(
        key=f"correction:{edit_id}",
        kind="correction",
        commitment_id=commitment_id,
        slug=None,
        conflict_id=None,
        payload=payload,
        created_at=real_now,
    )
    session.add(alert)
    await session.flush()
    await session.execute(
        insert(DeliveryRow),
        [
            {
                "alert_id": alert.id,
                "chat_id": chat,
                "state": "pending",
                "due_at": at,
                "attempts": 0,
                "updated_at": real_now,
            }
            for chat in chats
        ],
    )
    return len(chats)


async def _cancel_pending(session: AsyncSession, alerts: Any) -> None:
    await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.state == "pending", DeliveryRow.alert_id.in_(alerts))
        .values(state="cancelled", updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )


# --- corrections -------------------------------------------------------------------------------------------------


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
        before = await _visible(session, commitment_id)
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
        _write(row, current)
        retimed = any(change.attribute in TIMING_FIELDS for change in moved)
        if retimed and before.review == CONFIRMED:
            # Milestones that the new dates put in the past are not owed late; pending ones move (reconcile).
            row.alerts_from = at if before.alerts_from is None else max(before.alerts_from, at)
        ids = [
            await _record(
                session, editor, at, "edit", commitment_id, field=c.field, old=c.old, new=c.new, reason=reason
            )
            for c in moved
        ]
        told = 0
        if retimed and before.review == CONFIRMED:
            chats = await _told(session, commitment_id, kinds=("milestone",))
            payload = {
                "what": "dates",
                "changes": [
                    {"field": c.field, "old": c.old, "new": c.new} for c in moved if c.attribute in TIMING_FIELDS
                ],
                "reason": reason,
                "item": title_fields(current),
            }
            told = await _correct(session, ids[0], commitment_id, chats, at, payload)
        after = await _one(session, commitment_id)
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
        other = await _visible(session, commitment_id)
        into = await _visible(session, into_id)
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
        await _cancel_pending(
            session,
            select(AlertRow.id).where(AlertRow.commitment_id == commitment_id, AlertRow.kind != "correction"),
        )

        row = await session.get(CommitmentRow, into_id)
        gone = await session.get(CommitmentRow, commitment_id)
        assert row is not None
        assert gone is not None
        _write(row, combined)
        if confirmed and into.review != CONFIRMED:
            row.review, row.alerts_from = CONFIRMED, at
        gone.review, gone.merged_into_id, gone.version = "merged", into_id, other.version + 1
        ids = [
            await _record(session, editor, at, "merge", into_id, field="merged_from", new=commitment_id, reason=reason),
            await _record(session, editor, at, "merge", commitment_id, field="merged_into", new=into_id, reason=reason),
        ]
        ids += [
            await _record(session, editor, at, "edit", into_id, field=c.field, old=c.old, new=c.new, reason=reason)
            for c in moved
        ]
        await session.flush()
        session.expire_all()
        after = await _one(session, into_id)
        await store_conflicts(session, [after])  # what only the two together show (dates that now disagree)
        after = await _one(session, into_id)
        went = await _one(session, commitment_id)
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
        tracked = await _one(session, commitment_id)
        if tracked.review == "retracted":
            by = await _last_editor(session, commitment_id)
            raise EditError("already", commitment_id, state="retracted", by=by)
        if tracked.review not in VISIBLE:
            other = await session.scalar(select(CommitmentRow.merged_into_id).where(CommitmentRow.id == commitment_id))
            raise EditError("gone", commitment_id, state=tracked.review, other=other)
        await session.execute(
            update(CommitmentRow)
            .where(CommitmentRow.id == commitment_id)
            .values(review="retracted", version=CommitmentRow.version + 1)
        )
        edit_id = await _record(session, editor, at, "retract", commitment_id, reason=reason)
        await _cancel_pending(session, select(AlertRow.id).where(AlertRow.commitment_id == commitment_id))
        # Nothing more to follow or mute: /subscriptions lists what can still be shown.
        await session.execute(delete(SubscriptionRow).where(SubscriptionRow.commitment_id == commitment_id))
        await session.execute(delete(MuteRow).where(MuteRow.commitment_id == commitment_id))
        chats = await _told(session, commitment_id, kinds=("milestone", "conflict"))
        payload = {"what": "retracted", "reason": reason, "item": title_fields(tracked)}
        told = await _correct(session, edit_id, commitment_id, chats, at, payload)
        after = await _one(session, commitment_id)
    return Outcome(after, (), (edit_id,), told)


async def _report(session: AsyncSession, report_id: int) -> ReportRow:
    row = await session.get(ReportRow, report_id)
    if row is None:
        raise EditError("unknown_report", report_id, target="report")
    await session.refresh(row, ["article"])
    return row


async def retract_report(
    sessions: Sessions, report_id: int, *, editor: Editor, at: dt.datetime, reason: str | None = None
) -> Outcome:
    """Withdraw a report: it counts for nothing from now on (state, plans, conflicts); the pending alerts of the
    conflicts resting on it are cancelled, and chats that had one of those, or a milestone alert it made (carried
    out, ended with an extension), get one correction."""
    async with sessions() as session, session.begin():
        await serialise(session)
        row = await _report(session, report_id)
        if row.review == "retracted":
            by = await _last_editor(session, row.commitment_id, report_id)
            raise EditError("already", report_id, target="report", state="retracted", by=by)
        view = report_view(row)
        row.review = "retracted"
        edit_id = await _record(
            session, editor, at, "retract", row.commitment_id, report_id=report_id, field="report", reason=reason
        )
        told = 0
        commitment_id = row.commitment_id
        if commitment_id is not None:
            resting = select(ConflictReportRow.conflict_id).where(ConflictReportRow.report_id == report_id)
            alerts = select(AlertRow.id).where(AlertRow.conflict_id.in_(resting))
            await _cancel_pending(session, alerts)
            chats = set(
                await session.scalars(
                    select(DeliveryRow.chat_id).where(DeliveryRow.alert_id.in_(alerts), DeliveryRow.state == "sent")
                )
            )
            slug = _MILESTONES_OF_REPORT.get(row.kind)
            if slug is not None:
                chats |= set(await _told(session, commitment_id, kinds=("milestone",), slugs=(slug,)))
            await session.execute(
                update(CommitmentRow).where(CommitmentRow.id == commitment_id).values(version=CommitmentRow.version + 1)
            )
            tracked = await _one(session, commitment_id)
            payload = {
                "what": "report_retracted",
                "report": {"kind": row.kind, "date": iso(row.date), "claimed_by": row.claimed_by},
                "reason": reason,
                "item": title_fields(tracked),
            }
            told = await _correct(session, edit_id, commitment_id, sorted(chats), at, payload)
            after = tracked
        else:
            after = None
    return Outcome(after, (), (edit_id,), told, report=view)


# --- review --------------------------------------------------------------------------------------------------------


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
            tracked = await _one(session, item_id)
            if tracked.review != UNCONFIRMED:
                by = await _last_editor(session, item_id)
                raise EditError("already", item_id, state=tracked.review, by=by)
            raise EditError("stale", item_id)
        edit_id = await _record(session, editor, at, "confirm" if confirm else "reject", item_id, reason=reason)
        after = await _one(session, item_id)
        if confirm:
            await store_conflicts(session, [after])
            after = await _one(session, item_id)
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
    row = await _report(session, report_id)
    if won is None:
        by = await _last_editor(session, row.commitment_id, report_id)
        raise EditError("already", report_id, target="report", state=row.review, by=by)
    action = "confirm" if state == CONFIRMED else "reject"
    edit_id = await _record(
        session, editor, at, action, row.commitment_id, report_id=report_id, field="report", reason=reason
    )
    view = report_view(row)
    if row.commitment_id is None:
        return Outcome(None, (), (edit_id,), report=view)
    await session.execute(
        update(CommitmentRow).where(CommitmentRow.id == row.commitment_id).values(version=CommitmentRow.version + 1)
    )
    after = await _one(session, row.commitment_id)
    if state == CONFIRMED:
        await store_conflicts(session, [after])  # the conflicts it raises are news now
        after = await _one(session, row.commitment_id)
    return Outcome(after, (), (edit_id,), report=view)


# --- reading -------------------------------------------------------------------------------------------------------


async def history(sessions: Sessions, commitment_id: int) -> tuple[Tracked, list[EditView]]:
    """The commitment (any state) and its edits, merges, retractions and reviews, newest first."""
    async with sessions() as session:
        tracked = await _one(session, commitment_id)
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
        return await _one(session, commitment_id)


async def report(sessions: Sessions, report_id: int) -> tuple[ReportView, str, Tracked | None]:
    """One report (any review state, as its card shows it), its review state and its commitment."""
    async with sessions() as session:
        row = await _report(session, report_id)
        owner = None if row.commitment_id is None else await _one(session, row.commitment_id)
        return report_view(row), row.review, owner


async def merge_targets(sessions: Sessions, commitment_id: int, *, limit: int = 5) -> list[Tracked]:
    """Commitments ``commitment_id`` could be merged into, the likeliest first: of its kind, shown, nearest in time."""
    async with sessions() as session:
        tracked = await _one(session, commitment_id)
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
            row = await _report(session, item_id)
            return row.review, await _last_editor(session, row.commitment_id, item_id)
        state = await session.scalar(select(CommitmentRow.review).where(CommitmentRow.id == item_id))
        if state is None:
            raise EditError("unknown", item_id)
        return state, await _last_editor(session, item_id)
