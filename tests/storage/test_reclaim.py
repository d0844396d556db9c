"""Taking back a dead process's claims at start-up (outbox.reclaim_dead), on SQLite and PostgreSQL: only claims
whose worker ran on this host under a pid that is gone; live workers, other hosts and finished rows stay as they are."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schedules.alerts import pid_alive
from storage import chats, outbox
from storage.models import AlertRow, CommitmentRow, DeliveryRow, utc_now

Sessions = async_sessionmaker[AsyncSession]

NOW = dt.datetime(2025, 3, 20, 12, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=2)
HOST = "bot-host"
DEAD, LIVE = 4242, 4343


def alive(pid: int) -> bool:
    return pid != DEAD


async def _owed(sessions: Sessions, chat_ids: list[int]) -> list[int]:
    """One due alert owed to each chat; the delivery ids in chat order."""
    async with sessions() as session, session.begin():
        commitment = CommitmentRow(kind="strike_halt", actors=["Russia"], scope=None, conditions=[], status="announced")
        session.add(commitment)
        await session.flush()
        alert = AlertRow(key=f"milestone:{commitment.id}:start", kind="milestone", commitment_id=commitment.id,
                         slug="start", payload={})  # fmt: skip
        session.add(alert)
        await session.flush()
        rows = [DeliveryRow(alert_id=alert.id, chat_id=c, state="pending", due_at=NOW, attempts=0) for c in chat_ids]
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]


async def _claim_as(sessions: Sessions, worker: str, delivery_id: int) -> None:
    """A claim held by ``worker`` within its lease, as claim_due leaves it."""
    now = utc_now()
    async with sessions() as session, session.begin():
        await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .values(state="sending", worker=worker, claimed_at=now, lease_until=now + LEASE)
        )


async def _row(sessions: Sessions, delivery_id: int) -> tuple[str, str | None, dt.datetime | None, int]:
    async with sessions() as session:
        row = await session.get(DeliveryRow, delivery_id)
        assert row is not None
        return row.state, row.worker, row.lease_until, row.attempts


async def _setup(sessions: Sessions, n: int) -> list[int]:
    chat_ids = list(range(1, n + 1))
    for chat_id in chat_ids:
        await chats.ensure_chat(sessions, chat_id, type="private", title=None, language="en", timezone="UTC")
    return await _owed(sessions, chat_ids)


async def test_a_dead_local_workers_claims_come_back_at_once(sessions: Sessions) -> None:
    ids = await _setup(sessions, 3)
    dead = f"{HOST}:{DEAD}:a1b2c3"
    claimed = await outbox.claim_due(sessions, NOW, worker=dead, lease=LEASE)
    assert len(claimed) == 3
    # Within the lease nobody else may take them...
    assert await outbox.claim_due(sessions, NOW, worker="other", lease=LEASE) == []

    assert await outbox.reclaim_dead(sessions, host=HOST, alive=alive) == 3
    for delivery_id in ids:
        assert await _row(sessions, delivery_id) == ("pending", None, None, 0)  # a crash is not a failed attempt
    # ...after the reclaim the next worker sends them right away, and the dead one can confirm nothing.
    again = await outbox.claim_due(sessions, NOW, worker=f"{HOST}:{LIVE}:d4e5f6", lease=LEASE)
    assert sorted(d.id for d in again) == ids
    assert await outbox.confirm_sent(sessions, ids, worker=dead, message_id=1, chat_id=1) == 0
    assert await outbox.reclaim_dead(sessions, host=HOST, alive=alive) == 0  # the new holder lives


async def test_live_workers_other_hosts_and_odd_names_keep_their_claims(sessions: Sessions) -> None:
    ids = await _setup(sessions, 4)
    holders = [f"{HOST}:{LIVE}:aaaaaa", f"elsewhere:{DEAD}:bbbbbb", f"{HOST}x:{DEAD}:cccccc", "w1"]
    for worker, delivery_id in zip(holders, ids, strict=True):
        await _claim_as(sessions, worker, delivery_id)
    asked: list[int] = []

    def recording(pid: int) -> bool:
        asked.append(pid)
        return alive(pid)

    assert await outbox.reclaim_dead(sessions, host=HOST, alive=recording) == 0
    assert asked == [LIVE], "only pids on this host can be checked"
    assert [(await _row(sessions, i))[:2] for i in ids] == [("sending", w) for w in holders]


async def test_only_sending_rows_are_touched(sessions: Sessions) -> None:
    """A dead worker's confirmed, failed and handed-back rows keep their state; its one open claim comes back."""
    sent, failed, released, open_ = await _setup(sessions, 4)
    dead = f"{HOST}:{DEAD}:abcdef"
    await outbox.claim_due(sessions, NOW, worker=dead, lease=LEASE)
    await outbox.confirm_sent(sessions, [sent], worker=dead, message_id=7, chat_id=1)
    await outbox.mark_failed(sessions, [failed], worker=dead, error="400")
    await outbox.release(sessions, [released], worker=dead)
    before = {i: await _row(sessions, i) for i in (sent, failed, released)}

    assert await outbox.reclaim_dead(sessions, host=HOST, alive=alive) == 1
    assert {i: await _row(sessions, i) for i in (sent, failed, released)} == before
    assert before[sent][:2] == ("sent", dead)
    assert (await _row(sessions, open_))[:3] == ("pending", None, None)


async def test_two_starting_processes_reclaim_each_row_once(sessions: Sessions) -> None:
    """Two bots starting together on the host: the claims come back once, not twice."""
    await _setup(sessions, 5)
    await outbox.claim_due(sessions, NOW, worker=f"{HOST}:{DEAD}:ffffff", lease=LEASE)
    counts = await asyncio.gather(*(outbox.reclaim_dead(sessions, host=HOST, alive=alive) for _ in range(2)))
    assert sorted(counts) == [0, 5]


async def test_pid_alive_tells_a_finished_process_from_a_running_one() -> None:
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await asyncio.wait_for(child.wait(), timeout=30)  # exited and reaped: its pid is free
    assert not pid_alive(child.pid)
    assert pid_alive(os.getpid())
    assert pid_alive(1)  # init: another user's process (PermissionError) or ours, alive either way
    assert pid_alive(0)  # not a process: unsure, so alive
