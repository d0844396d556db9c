"""Whether a full reconcile has anything to do: one query fingerprints what milestone deliveries derive from; a
run stores it with the span of clock time its knowledge holds for (schedules.reconcile's module doc)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    func,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.fanout import CONFLICT_WATERMARK, FINGERPRINT
from storage.models import (
    ChatCommitment,
    ChatRow,
    CommitmentRow,
    CommitmentSourceRow,
    ConflictRow,
    MuteRow,
    ReportRow,
    SchedulerStateRow,
    SubscriptionRow,
)
from tracking.model import CONFIRMED

# Even with an unchanged fingerprint a full run (digests compared, usually nothing to redo) happens this often in
# real time: the fingerprint uses maxima of timestamps, which two PostgreSQL transactions committing out of order
# could leave unchanged.
FULL_RUN_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Probe:
    fingerprint: str
    stored: str | None
    watermark: int | None
    max_conflict: int


async def read_probe(session: AsyncSession, settings: str) -> Probe:
    """One query: a fingerprint of what milestone deliveries derive from, the stored one, and the conflict ids.

    Chats count by columns that matter here (not ``updated_at``: every message refreshes a chat's title).
    """

    def scalar(expression: Any, *where: ColumnElement[bool]) -> Any:
        return select(expression).where(*where).scalar_subquery()

    def links(table: type[ChatCommitment]) -> list[Any]:
        """A chat–commitment table changes by rows added or removed: count, newest row and id sums see both."""
        return [
            scalar(func.count(table.chat_id)),
            scalar(func.max(table.created_at)),
            scalar(func.sum(table.chat_id)),
            scalar(func.sum(table.commitment_id)),
        ]

    parts = [
        scalar(func.count(CommitmentRow.id)),
        scalar(func.max(CommitmentRow.updated_at)),
        # A new source may leave the merged row as it was, yet change when the commitment becomes known (sources
        # are only ever added, like the articles they come from, so the newest id is enough).
        scalar(func.max(CommitmentSourceRow.id)),
        scalar(func.count(ReportRow.commitment_id)),
        scalar(func.max(ReportRow.id)),
        scalar(func.sum(ReportRow.commitment_id)),
        # Confirming, rejecting or retracting a report changes what counts (a fulfilment moves the plan).
        scalar(func.count(ReportRow.id), ReportRow.review == CONFIRMED),
        *links(SubscriptionRow),
        *links(MuteRow),
        scalar(func.count(ChatRow.id)),
        scalar(func.sum(ChatRow.id)),
        scalar(func.count(ChatRow.id), ChatRow.subscribed_all == true()),
        scalar(func.max(ChatRow.subscribed_since)),
        scalar(func.max(ChatRow.updated_at)),
    ]
    state = SchedulerStateRow
    row = (
        await session.execute(
            select(
                *parts,
                scalar(func.max(ConflictRow.id)),
                scalar(state.value, state.key == FINGERPRINT),
                scalar(state.value, state.key == CONFLICT_WATERMARK),
            )
        )
    ).one()
    *facts, max_conflict, stored, watermark = row
    return Probe(
        fingerprint=json.dumps([settings, *(str(f) for f in facts)]),
        stored=stored,
        watermark=None if watermark is None else int(watermark),
        max_conflict=int(max_conflict or 0),
    )


def is_fresh(probe: Probe, real_now: datetime, now: datetime) -> bool:
    """Whether the last full run saw exactly this state, not too long ago, and knew what is known at ``now``."""
    if probe.stored is None:
        return False
    try:
        fingerprint, at, since, until = json.loads(probe.stored)
    except ValueError:  # stored by an older version
        return False
    if fingerprint != probe.fingerprint or real_now - datetime.fromisoformat(at) >= FULL_RUN_EVERY:
        return False
    if since is not None and now < datetime.fromisoformat(since):
        return False  # the clock went back (a replay started again earlier): less is known
    return until is None or now < datetime.fromisoformat(until)


async def next_knowledge_change(sessions: async_sessionmaker[AsyncSession]) -> datetime | None:
    """The clock instant at which the last full run's knowledge stops holding (the next publication it saw ahead of
    its ``now``), so the scheduler can wake then: on a replay, news coming out can make a milestone owed."""
    async with sessions() as session:
        stored = await session.scalar(select(SchedulerStateRow.value).where(SchedulerStateRow.key == FINGERPRINT))
    if stored is None:
        return None
    try:
        _, _, _, until = json.loads(stored)
    except ValueError:
        return None
    return None if until is None else datetime.fromisoformat(until)
