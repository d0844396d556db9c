"""The outbox on SQLite and PostgreSQL: the delivery state machine, compare-and-set claims under concurrency,
leases, stale workers, chat migration and /health."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import chats, outbox
from storage.models import AlertRow, CommitmentRow, DeliveryRow, utc_now

Sessions = async_sessionmaker[AsyncSession]

NOW = dt.datetime(2025, 3, 20, 12, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=30)


async def _chat(sessions: Sessions, chat_id: int) -> None:
    await chats.ensure_chat(sessions, chat_id, type="private", title=None, language="en", timezone="UTC")


async def _deliveries(
    sessions: Sessions, chat_ids: Sequence[int], dues: Sequence[dt.datetime], *, slug: str = "end"
) -> list[int]:
    """One milestone alert per due time, owed to every chat; returns the delivery ids in (due, chat) order."""
    for chat_id in chat_ids:
        await _chat(sessions, chat_id)
    async with sessions() as session, session.begin():
        commitment = CommitmentRow(kind="strike_halt", actors=["Russia"], scope=None, conditions=[], status="announced")
        session.add(commitment)
        await session.flush()
        rows: list[DeliveryRow] = []
        for n, due in enumerate(dues):
            alert = AlertRow(
                key=f"milestone:{commitment.id}:{slug}{n}",
                kind="milestone",
                commitment_id=commitment.id,
                slug=f"{slug}{n}",
                payload={"days_before": None},
            )
            session.add(alert)
            await session.flush()
            for chat_id in chat_ids:
                row = DeliveryRow(alert_id=alert.id, chat_id=chat_id, state="pending", due_at=due, attempts=0)
                session.add(row)
                rows.append(row)
        await session.flush()
        return [row.id for row in rows]


async def _states(sessions: Sessions) -> dict[int, tuple[str, int, str | None]]:
    async with sessions() as session:
        rows = await session.execute(
            select(DeliveryRow.id, DeliveryRow.state, DeliveryRow.attempts, DeliveryRow.worker)
        )
        return {i: (state, attempts, worker) for i, state, attempts, worker in rows}


async def _expire_leases(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await session.execute(update(DeliveryRow).values(lease_until=utc_now() - dt.timedelta(seconds=1)))


async def test_claim_then_confirm(sessions: Sessions) -> None:
    due, later = NOW - dt.timedelta(hours=1), NOW + dt.timedelta(hours=1)
    first, second = await _deliveries(sessions, [1], [due, later])

    claimed = await outbox.claim_due(sessions, NOW, worker="w1", lease=LEASE)
    assert [d.id for d in claimed] == [first]  # the future one waits on the bot's clock
    view = claimed[0]
    assert (view.chat_id, view.due_at, view.state, view.attempts) == (1, due, "sending", 0)
    assert view.alert.kind == "milestone"
    assert view.alert.slug == "end0"
    assert view.alert.payload == {"days_before": None}
    assert await outbox.claim_due(sessions, NOW, worker="w2", lease=LEASE) == []  # held by w1

    assert await outbox.confirm_sent(sessions, [first], worker="w1", message_id=77, chat_id=1) == 1
    assert await outbox.confirm_sent(sessions, [first], worker="w1", message_id=78, chat_id=1) == 0
    async with sessions() as session:
        row = await session.get(DeliveryRow, first)
        assert row is not None
        assert (row.state, row.message_id, row.sent_to_chat, row.lease_until) == ("sent", 77, 1, None)
        assert row.sent_at is not None
    await _expire_leases(sessions)
    assert await outbox.claim_due(sessions, NOW, worker="w2", lease=LEASE) == []  # sent is final
    assert await outbox.next_due(sessions) == later
    assert [d.id for d in await outbox.claim_due(sessions, later, worker="w2", lease=LEASE)] == [second]
    assert await outbox.next_due(sessions) is None


async def test_claims_oldest_first_within_limit(sessions: Sessions) -> None:
    dues = [NOW - dt.timedelta(minutes=m) for m in (5, 30, 10)]
    ids = await _deliveries(sessions, [1], dues)
    claimed = await outbox.claim_due(sessions, NOW, worker="w", lease=LEASE, limit=2)
    assert [d.id for d in claimed] == [ids[1], ids[2]]


async def test_retry_later_waits_in_real_time(sessions: Sessions) -> None:
    [delivery] = await _deliveries(sessions, [1], [NOW])
    await outbox.claim_due(sessions, NOW, worker="w", lease=LEASE)
    await outbox.retry_later(sessions, [delivery], worker="w", at=utc_now() + dt.timedelta(hours=1), error="timeout")
    assert (await _states(sessions))[delivery] == ("pending", 1, None)
    assert await outbox.claim_due(sessions, NOW, worker="w", lease=LEASE) == []  # not before its retry time

    async with sessions() as session, session.begin():
        await session.execute(update(DeliveryRow).values(next_attempt_at=utc_now() - dt.timedelta(seconds=1)))
    [again] = await outbox.claim_due(sessions, NOW, worker="w", lease=LEASE)
    assert (again.id, again.attempts) == (delivery, 1)
    health = await outbox.health(sessions)
    assert health.last_error == "timeout"
    assert health.last_error_at is not None


async def test_mark_failed_and_release(sessions: Sessions) -> None:
    failing, released = await _deliveries(sessions, [1, 2], [NOW])
    await outbox.claim_due(sessions, NOW, worker="w", lease=LEASE)
    await outbox.mark_failed(sessions, [failing], worker="w", error="500 Internal Server Error")
    await outbox.release(sessions, [released], worker="w")
    states = await _states(sessions)
    assert states[failing] == ("failed", 1, "w")
    assert states[released] == ("pending", 0, None)
    [again] = await outbox.claim_due(sessions, NOW, worker="w2", lease=LEASE)
    assert again.id == released
    await _expire_leases(sessions)
    assert [d.id for d in await outbox.claim_due(sessions, NOW, worker="w3", lease=LEASE)] == [released]


async def test_expired_lease_is_reclaimed_and_the_stale_worker_refused(sessions: Sessions) -> None:
    [delivery] = await _deliveries(sessions, [1], [NOW])
    await outbox.claim_due(sessions, NOW, worker="dead", lease=LEASE)
    assert await outbox.claim_due(sessions, NOW, worker="w2", lease=LEASE) == []
    await _expire_leases(sessions)

    [taken] = await outbox.claim_due(sessions, NOW, worker="w2", lease=LEASE)
    assert taken.id == delivery
    assert await outbox.confirm_sent(sessions, [delivery], worker="dead", message_id=1, chat_id=1) == 0
    await outbox.retry_later(sessions, [delivery], worker="dead", at=utc_now(), error="late")
    await outbox.mark_failed(sessions, [delivery], worker="dead", error="late")
    await outbox.release(sessions, [delivery], worker="dead")
    assert (await _states(sessions))[delivery] == ("sending", 0, "w2")
    assert await outbox.confirm_sent(sessions, [delivery], worker="w2", message_id=2, chat_id=1) == 1


async def test_paused_chats_are_not_claimed(sessions: Sessions) -> None:
    paused, active = await _deliveries(sessions, [1, 2], [NOW])
    await chats.set_enabled(sessions, 1, False, "blocked")
    assert [d.id for d in await outbox.claim_due(sessions, NOW, worker="w", lease=LEASE)] == [active]
    assert await outbox.next_due(sessions) is None  # the paused chat's pending row wakes nobody
    await chats.set_enabled(sessions, 1, True)
    assert [d.id for d in await outbox.claim_due(sessions, NOW, worker="w", lease=LEASE)] == [paused]
    health = await outbox.health(sessions)
    assert (health.pending, health.sending, health.disabled_chats) == (0, 2, 0)


async def test_concurrent_claimers_never_share_a_delivery(sessions: Sessions) -> None:
    ids = await _deliveries(sessions, list(range(1, 41)), [NOW - dt.timedelta(minutes=m) for m in range(5)])

    async def claimer(name: str) -> list[int]:
        got: list[int] = []
        while batch := await outbox.claim_due(sessions, NOW, worker=name, lease=LEASE, limit=7):
            got += [d.id for d in batch]
            await asyncio.sleep(0)
        return got

    results = await asyncio.gather(*(claimer(f"w{n}") for n in range(4)))
    everything = [i for got in results for i in got]
    assert sorted(everything) == sorted(ids)  # each claimed exactly once
    assert len(set(everything)) == len(everything)
    states = await _states(sessions)
    for name, got in zip((f"w{n}" for n in range(4)), results, strict=True):
        assert all(states[i] == ("sending", 0, name) for i in got)


async def test_concurrent_claimers_race_for_the_same_rows(sessions: Sessions) -> None:
    """Every claimer reads the same candidates at once; the UPDATE's compare-and-set must split them."""
    ids = await _deliveries(sessions, list(range(1, 201)), [NOW])
    results = await asyncio.gather(
        *(outbox.claim_due(sessions, NOW, worker=f"w{n}", lease=LEASE, limit=500) for n in range(5))
    )
    everything = [d.id for batch in results for d in batch]
    assert sorted(everything) == sorted(ids)


async def test_move_chat_follows_a_migrated_group(sessions: Sessions) -> None:
    old, new = -100, -1000100
    await _chat(sessions, old)
    sent, pending, clash = await _deliveries(sessions, [old], [NOW, NOW, NOW])
    [claimed] = await outbox.claim_due(sessions, NOW, worker="w", lease=LEASE, limit=1)
    assert claimed.id == sent
    await outbox.confirm_sent(sessions, [sent], worker="w", message_id=5, chat_id=old)
    [in_flight] = await outbox.claim_due(sessions, NOW, worker="w", lease=LEASE, limit=1)
    assert in_flight.id == pending
    # The new chat already holds a pending copy of the first alert: the old chat's sent row wins.
    await _chat(sessions, new)
    async with sessions() as session, session.begin():
        alert_id = await session.scalar(select(DeliveryRow.alert_id).where(DeliveryRow.id == sent))
        assert alert_id is not None
        session.add(DeliveryRow(alert_id=alert_id, chat_id=new, state="pending", due_at=NOW, attempts=0))

    moved = await chats.migrate_chat(sessions, old, new, on_move=outbox.move_chat)
    assert moved is not None
    async with sessions() as session:
        rows = (await session.execute(select(DeliveryRow.id, DeliveryRow.chat_id, DeliveryRow.state))).all()
    assert sorted(rows) == sorted([(sent, new, "sent"), (pending, new, "sending"), (clash, new, "pending")])
    # The worker that held the migrated delivery still confirms it, now for the new chat.
    assert await outbox.confirm_sent(sessions, [pending], worker="w", message_id=6, chat_id=new) == 1


async def test_health_counts_states_paused_chats_and_the_last_error(sessions: Sessions) -> None:
    empty = await outbox.health(sessions)
    assert empty == outbox.Health(0, 0, 0, 0, 0, None, None)
    a, b, c, d = await _deliveries(sessions, [1, 2, 3, 4], [NOW])
    await chats.set_enabled(sessions, 4, False, "blocked")
    await outbox.claim_due(sessions, NOW, worker="w", lease=LEASE)
    await outbox.confirm_sent(sessions, [a], worker="w", message_id=1, chat_id=1)
    await outbox.mark_failed(sessions, [b], worker="w", error="first")
    await asyncio.sleep(0.01)
    await outbox.retry_later(sessions, [c], worker="w", at=utc_now() + dt.timedelta(hours=1), error="second")
    health = await outbox.health(sessions)
    assert (health.pending, health.sending, health.sent, health.failed) == (2, 0, 1, 1)
    assert health.disabled_chats == 1
    assert health.last_error == "second"
    assert health.last_error_at is not None
    assert health.last_error_at.tzinfo is not None
    assert d


async def test_confirm_many_confirms_held_rows_each_with_its_message(sessions: Sessions) -> None:
    """Several messages in one transaction; every row gets its own message id and chat; rows another worker took
    over, rows handed back and rows already sent stay as they are."""
    first = await _deliveries(sessions, [1, 2, 3], [NOW - dt.timedelta(minutes=1), NOW])
    one_a, two_a, three_a, one_b, two_b, three_b = first
    assert len(await outbox.claim_due(sessions, NOW, worker="w1", lease=LEASE)) == 6
    await outbox.release(sessions, [three_a], worker="w1")
    async with sessions() as session, session.begin():  # taken over after w1's lease ran out
        await session.execute(update(DeliveryRow).where(DeliveryRow.id == three_b).values(worker="w2"))
    assert await outbox.confirm_sent(sessions, [two_b], worker="w1", message_id=7, chat_id=2) == 1

    engine = sessions.kw["bind"]
    transactions: list[str] = []
    event.listen(engine.sync_engine, "begin", lambda connection: transactions.append("begin"))
    confirmed = await outbox.confirm_many(
        sessions,
        [
            outbox.Confirmation([one_a, one_b], 11, 1),  # one message carrying two alerts
            outbox.Confirmation([two_a], 21, -1002),  # the chat had migrated: it went to the new id
            outbox.Confirmation([two_b], 22, 2),  # already sent
            outbox.Confirmation([three_a], 31, 3),  # handed back
            outbox.Confirmation([three_b], 32, 3),  # another worker's now
        ],
        worker="w1",
    )
    assert confirmed == 3
    assert transactions == ["begin"]
    async with sessions() as session:
        rows = await session.execute(
            select(DeliveryRow.id, DeliveryRow.state, DeliveryRow.message_id, DeliveryRow.sent_to_chat)
        )
        found = {i: (state, message_id, sent_to) for i, state, message_id, sent_to in rows}
    assert found == {
        one_a: ("sent", 11, 1),
        one_b: ("sent", 11, 1),
        two_a: ("sent", 21, -1002),
        two_b: ("sent", 7, 2),
        three_a: ("pending", None, None),
        three_b: ("sending", None, None),
    }
    transactions.clear()
    assert await outbox.confirm_many(sessions, [], worker="w1") == 0
    assert transactions == []  # nothing to confirm, no transaction
