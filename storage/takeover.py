"""A new leader takes back what earlier leaders had claimed and not confirmed.

Only the leader claims deliveries (app.leader). When a process becomes leader, every other process has lost the
lock and stopped sending (a leader that loses its lock connection stops within a second or two, and the new one
waits that long before it starts), so a claim held by another worker belongs to a leader that is gone or has
stepped down: it goes back to pending at once instead of waiting out its lease, wherever that worker ran (the
start-up reclaim of storage.outbox only knows pids on this host). A message the old leader had sent but not yet
confirmed goes out again: the in-flight window, never a lost alert.
"""

from __future__ import annotations

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import DeliveryRow, utc_now


async def take_over_claims(sessions: async_sessionmaker[AsyncSession]) -> int:
    """sending → pending for every claim (called before this leader's own dispatcher claims anything, so all of
    them are earlier leaders'); returns how many went back."""
    async with sessions() as session, session.begin():
        result = await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.state == "sending")
            .values(state="pending", worker=None, lease_until=None, updated_at=utc_now())
            .execution_options(synchronize_session=False)
        )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
