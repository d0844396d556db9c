"""Which conflicts are news: every conflict with an id above the stored watermark is alerted once, and the watermark
moves in the same transaction. The first run only sets it: conflicts logged before alerts existed are history.
Conflict ids grow in commit order because every writer of conflicts (storage.loader) holds the load lock, so a
watermark cannot skip one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from schedules.fingerprint import Probe
from storage.fanout import CONFLICT_WATERMARK, ReconcileResult, conflict_alerts, put_state


async def alert_new_conflicts(
    session: AsyncSession, now: datetime, real_now: datetime, probe: Probe
) -> ReconcileResult:
    """Alert the conflicts above the watermark to the chats following their commitment, then move the watermark."""
    if probe.watermark is None:
        await put_state(session, CONFLICT_WATERMARK, str(probe.max_conflict))
        return ReconcileResult()
    low, high = probe.watermark, probe.max_conflict
    if high <= low:
        return ReconcileResult()
    result = await conflict_alerts(session, low, high, now, real_now)
    await put_state(session, CONFLICT_WATERMARK, str(high))
    return result
