"""What every editor's change shares: the editor, the errors with their one-line reasons, the outcome and history
views, and the helpers that write a change as edit rows and owe the chats that had alerts a correction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.loader import write_commitment
from storage.models import (
    AlertRow,
    CommitmentRow,
    DeliveryRow,
    EditRow,
    ReportRow,
    utc_now,
)
from storage.queries import tracked_where
from tracking.corrections import (
    Change,
    Invalid,
    corrected_json,
)
from tracking.model import VISIBLE, ReportView, Tracked

Reason = Literal["unknown", "unknown_report", "invalid", "same", "gone", "already", "stale", "empty"]


Target = Literal["commitment", "report"]


# Milestones whose alerts word what a report of this kind made of the commitment (a retraction corrects them).
MILESTONES_OF_REPORT = {"fulfilment": "fulfilled", "extension": "end", "expiry": "end"}


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


async def one(session: AsyncSession, commitment_id: int) -> Tracked:
    """The commitment in any review state, read in this transaction; unknown ids raise."""
    found = await tracked_where(session, CommitmentRow.id == commitment_id, review=None)
    if not found:
        raise EditError("unknown", commitment_id)
    return found[0]


async def last_editor(session: AsyncSession, commitment_id: int | None, report_id: int | None = None) -> str | None:
    where = EditRow.report_id == report_id if report_id is not None else EditRow.commitment_id == commitment_id
    found: str | None = await session.scalar(select(EditRow.editor).where(where).order_by(EditRow.id.desc()).limit(1))
    return found


async def visible(session: AsyncSession, commitment_id: int) -> Tracked:
    """The commitment when an editor may still change it (confirmed or unconfirmed); otherwise why not."""
    tracked = await one(session, commitment_id)
    if tracked.review not in VISIBLE:
        other = await session.scalar(select(CommitmentRow.merged_into_id).where(CommitmentRow.id == commitment_id))
        raise EditError("gone", commitment_id, state=tracked.review, other=other)
    return tracked


def write_row(row: CommitmentRow, tracked: Tracked) -> None:
    """The editable fields of ``tracked`` onto its row (the loader's writer, conditions kept as stored), with the
    editor's own title and corrected fields, and a new version."""
    write_commitment(row, tracked, conditions=False)
    row.title = tracked.title
    row.corrected = corrected_json(tracked)
    row.version = tracked.version + 1


async def record(
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


async def alerted_chats(
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


async def correct(
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


async def report_row(session: AsyncSession, report_id: int) -> ReportRow:
    row = await session.get(ReportRow, report_id)
    if row is None:
        raise EditError("unknown_report", report_id, target="report")
    await session.refresh(row, ["article"])
    return row
