"""What the outbox tests read back: every delivery by chat and alert key."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import AlertRow, DeliveryRow

Owed = dict[tuple[int, str], tuple[str, dt.datetime]]


async def read_owed(sessions: async_sessionmaker[AsyncSession]) -> Owed:
    """(chat, alert key) → (state, due_at), whatever the state."""
    async with sessions() as session:
        rows = await session.execute(
            select(DeliveryRow.chat_id, AlertRow.key, DeliveryRow.state, DeliveryRow.due_at).join(
                AlertRow, AlertRow.id == DeliveryRow.alert_id
            )
        )
        return {(chat, key): (state, due) for chat, key, state, due in rows}
