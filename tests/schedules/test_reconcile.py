"""Reconcile on SQLite and PostgreSQL: the outbox derived from commitments, chats, subscriptions and conflicts —
future milestones only from the subscription on, in the chat's zone; date changes reschedule what is pending and
leave what went out; new conflicts fan out once; downtime; unsubscribing; narrowing; idempotence."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from schedules.plan import PlanOffsets
from schedules.reconcile import ReconcileResult, reconcile
from storage import chats
from storage.db import session_factory
from storage.models import AlertRow, CommitmentRow, ConflictRow, SchedulerStateRow
from tests.conftest import Database
from tests.schedules.helpers import (
    NOTHING,
    UTC_ZONE,
    _by_state,
    _chat,
    _follows,
    _halt,
    _milestones,
    _one_query,
    _run,
    _set_state,
    _states,
    at,
    read_owed,
)

Sessions = async_sessionmaker[AsyncSession]


async def _source_says(sessions: Sessions, cid: int, **values: Any) -> None:
    """The commitment as a later source has it: ``values`` written over the stored ones."""
    async with sessions() as session, session.begin():
        await session.execute(update(CommitmentRow).where(CommitmentRow.id == cid).values(**values))


async def test_subscribing_owes_future_milestones_in_the_chats_zone(sessions: Sessions) -> None:
    cid = await _halt(sessions)
    await _chat(sessions, 1, "UTC")
    await _chat(sessions, 2, "Europe/Berlin")
    await _chat(sessions, 3, "UTC")  # follows nothing
    await chats.subscribe(sessions, 1, cid, at=at("2025-03-20T10:00:00+00:00"))
    await chats.subscribe(sessions, 2, None, at=at("2025-03-20T10:00:00+00:00"))

    result = await _run(sessions, "2025-03-20T10:00:00+00:00")
    assert result == ReconcileResult(created=8)
    owed = await read_owed(sessions)
    assert _milestones(cid, 1, owed) == {
        "halfway": ("pending", at("2025-04-02T00:00:00+00:00")),
        "before_end-3": ("pending", at("2025-04-14T00:00:00+00:00")),
        "before_end-1": ("pending", at("2025-04-16T00:00:00+00:00")),
        "end": ("pending", at("2025-04-17T00:00:00+00:00")),
    }  # the start (18 March) was before the chat subscribed
    assert _milestones(cid, 2, owed) == {
        "halfway": ("pending", at("2025-04-02T00:00:00+02:00")),  # Berlin's midnight, after the DST switch
        "before_end-3": ("pending", at("2025-04-14T00:00:00+02:00")),
        "before_end-1": ("pending", at("2025-04-16T00:00:00+02:00")),
        "end": ("pending", at("2025-04-17T00:00:00+02:00")),
    }
    assert not _milestones(cid, 3, owed)
    async with sessions() as session:
        alert = await session.scalar(select(AlertRow).where(AlertRow.key == f"milestone:{cid}:before_end-3"))
        assert alert is not None
        assert (alert.kind, alert.slug, alert.conflict_id) == ("milestone", "before_end-3", None)
        assert alert.payload == {
            "days_before": 3,
            "extended": False,
            "promised": None,
            "delivered": None,
            "item": {
                "kind": "strike_halt",
                "actors": ["Russia", "Ukraine"],
                "scope": "energy infrastructure",
                "duration_days": 30,
                "quantity": None,
            },
        }

    # Idempotent, whichever way it is asked.
    assert await _run(sessions, "2025-03-20T10:00:01+00:00") == NOTHING
    assert await _run(sessions, "2025-03-20T10:00:01+00:00", chat_ids=[1, 2, 3]) == NOTHING
    assert await _run(sessions, "2025-03-20T10:00:01+00:00", commitment_ids=[cid]) == NOTHING
    assert await read_owed(sessions) == owed


async def test_narrowed_runs_do_what_a_full_run_would(sessions: Sessions) -> None:
    first, second = await _halt(sessions), await _halt(sessions, "2025-03-25", "2025-04-24")
    for chat_id in (1, 2):
        await _chat(sessions, chat_id)
    await chats.subscribe(sessions, 1, first, at=at("2025-03-20T00:00:00+00:00"))
    await chats.subscribe(sessions, 2, None, at=at("2025-03-20T00:00:00+00:00"))

    assert await _run(sessions, "2025-03-20T00:00:00+00:00", chat_ids=[1]) == ReconcileResult(created=4)
    assert await _run(sessions, "2025-03-20T00:00:00+00:00", commitment_ids=[second]) == ReconcileResult(created=5)
    owed = await read_owed(sessions)
    assert len(_milestones(first, 1, owed)) == 4
    assert not _milestones(second, 1, owed)
    assert len(_milestones(second, 2, owed)) == 5
    assert not _milestones(first, 2, owed)
    assert await _run(sessions, "2025-03-20T00:00:00+00:00") == ReconcileResult(created=4)  # chat 2, first halt
    assert await _run(sessions, "2025-03-20T00:00:00+00:00") == NOTHING


async def test_date_change_reschedules_pending_keeps_sent_and_cancels_vanished(sessions: Sessions) -> None:
    cid = await _halt(sessions)
    await _follows(sessions, 1, cid, "2025-03-18T00:00:00+00:00")
    assert (await _run(sessions, "2025-03-18T00:00:00+00:00")).created == 5
    await _set_state(sessions, 1, f"milestone:{cid}:start", "sent")
    await _set_state(sessions, 1, f"milestone:{cid}:halfway", "sent")

    # A later source: the halt runs 40 days, to 27 April.
    await _source_says(sessions, cid, end="2025-04-27", duration_days=40)
    result = await _run(sessions, "2025-04-03T00:00:00+00:00")
    assert result == ReconcileResult(rescheduled=3)
    assert _milestones(cid, 1, await read_owed(sessions)) == {
        "start": ("sent", at("2025-03-18T00:00:00+00:00")),
        "halfway": ("sent", at("2025-04-02T00:00:00+00:00")),  # went out; its new date (7 Apr) changes nothing
        "before_end-3": ("pending", at("2025-04-24T00:00:00+00:00")),
        "before_end-1": ("pending", at("2025-04-26T00:00:00+00:00")),
        "end": ("pending", at("2025-04-27T00:00:00+00:00")),
    }

    # Fewer reminders configured: the 3-day one leaves the plan and its pending delivery is cancelled.
    fewer = await reconcile(
        sessions, now=at("2025-04-03T00:00:00+00:00"), default_tz=UTC_ZONE, offsets=PlanOffsets(before_end_days=(1,))
    )
    assert fewer == ReconcileResult(cancelled=1)
    owed = _milestones(cid, 1, await read_owed(sessions))
    assert owed["before_end-3"][0] == "cancelled"
    assert owed["end"][0] == "pending"

    # A later source drops the end altogether: every pending milestone but the (sent) start goes.
    await _source_says(sessions, cid, end=None, duration_days=None)
    assert await _run(sessions, "2025-04-03T00:00:00+00:00") == ReconcileResult(cancelled=2)
    assert await _states(sessions, cid, 1) == _by_state(
        sent=["start", "halfway"], cancelled=["before_end-3", "before_end-1", "end"]
    )


async def test_sending_and_failed_deliveries_are_never_touched(sessions: Sessions) -> None:
    cid = await _halt(sessions)
    await _follows(sessions, 1, cid, "2025-03-18T00:00:00+00:00")
    await _run(sessions, "2025-03-18T00:00:00+00:00")
    await _set_state(sessions, 1, f"milestone:{cid}:end", "sending")
    await _set_state(sessions, 1, f"milestone:{cid}:before_end-1", "failed")
    await chats.unsubscribe(sessions, 1, cid)
    result = await _run(sessions, "2025-03-19T00:00:00+00:00")
    assert result == ReconcileResult(cancelled=3)
    assert await _states(sessions, cid, 1) == _by_state(
        cancelled=["start", "halfway", "before_end-3"], failed=["before_end-1"], sending=["end"]
    )


async def test_a_chat_subscribed_before_downtime_is_owed_what_passed(sessions: Sessions) -> None:
    cid = await _halt(sessions)
    await _chat(sessions, 1)
    await _chat(sessions, 2)
    await chats.subscribe(sessions, 1, None, at=at("2025-03-19T00:00:00+00:00"))
    await chats.set_enabled(sessions, 2, False, "blocked")
    await chats.subscribe(sessions, 2, cid, at=at("2025-03-19T00:00:00+00:00"))
    # The bot comes back on 20 April: everything from the subscription on is owed, late (paused chats too).
    assert await _run(sessions, "2025-04-20T00:00:00+00:00") == ReconcileResult(created=8)
    for chat_id in (1, 2):
        owed = _milestones(cid, chat_id, await read_owed(sessions))
        assert set(owed) == {"halfway", "before_end-3", "before_end-1", "end"}
        assert all(state == "pending" for state, _ in owed.values())


async def test_unsubscribed_chats_get_nothing_new_and_lose_what_was_pending(sessions: Sessions) -> None:
    cid = await _halt(sessions)
    await _follows(sessions, 1, None, "2025-03-20T00:00:00+00:00")
    assert (await _run(sessions, "2025-03-20T00:00:00+00:00")).created == 4
    await _set_state(sessions, 1, f"milestone:{cid}:halfway", "sent")
    await chats.unsubscribe(sessions, 1, None)
    later = await _halt(sessions, "2025-05-01", "2025-05-31")
    assert await _run(sessions, "2025-04-03T00:00:00+00:00") == ReconcileResult(cancelled=3)
    assert not _milestones(later, 1, await read_owed(sessions))

    # Back on 15 April: what falls due from then on is owed again (the cancelled rows come back), earlier not.
    await chats.subscribe(sessions, 1, None, at=at("2025-04-15T00:00:00+00:00"))
    assert await _run(sessions, "2025-04-15T00:00:00+00:00") == ReconcileResult(created=7)
    states = await _states(sessions, cid, 1)
    assert states == {"halfway": "sent", "before_end-3": "cancelled", "before_end-1": "pending", "end": "pending"}
    assert len(_milestones(later, 1, await read_owed(sessions))) == 5


async def test_a_muted_commitment_owes_nothing_to_a_chat_that_follows_everything(sessions: Sessions) -> None:
    muted, heard = await _halt(sessions), await _halt(sessions, "2025-05-01", "2025-05-31")
    await _follows(sessions, 1, None, "2025-03-20T00:00:00+00:00")
    await _run(sessions, "2025-03-20T00:00:00+00:00")
    assert _milestones(muted, 1, await read_owed(sessions))
    assert await chats.unsubscribe(sessions, 1, muted)  # in a chat that follows everything: a mute
    assert await chats.muted_of(sessions, 1) == [muted]
    assert not await chats.is_subscribed(sessions, 1, muted)
    assert [c.id for c in await chats.subscribers(sessions, muted)] == []
    await _run(sessions, "2025-03-21T00:00:00+00:00")
    states = {state for state, _ in _milestones(muted, 1, await read_owed(sessions)).values()}
    assert states == {"cancelled"}
    assert {state for state, _ in _milestones(heard, 1, await read_owed(sessions)).values()} == {"pending"}
    conflict = await _conflict(sessions, muted, "violation:muted")
    await _run(sessions, "2025-03-22T00:00:00+00:00")
    assert (1, f"conflict:{conflict}") not in await read_owed(sessions)
    # /subscribe ID lifts the mute: what falls due from then on is owed again
    assert await chats.subscribe(sessions, 1, muted, at=at("2025-04-01T00:00:00+00:00"))
    assert await chats.muted_of(sessions, 1) == []
    await _run(sessions, "2025-04-01T00:00:00+00:00")
    assert "pending" in {state for state, _ in _milestones(muted, 1, await read_owed(sessions)).values()}


async def _conflict(sessions: Sessions, commitment_id: int, key: str) -> int:
    async with sessions() as session, session.begin():
        row = ConflictRow(commitment_id=commitment_id, kind="violation", key=key, summary="A says X, B says Y")
        session.add(row)
        await session.flush()
        return row.id


async def test_new_conflicts_fan_out_to_followers_and_history_is_not_news(
    sessions: Sessions, database: Database
) -> None:
    followed, other = await _halt(sessions), await _halt(sessions, "2025-05-01", "2025-05-31")
    old = await _conflict(sessions, followed, "history")
    for chat_id in (1, 2, 3, 4):
        await _chat(sessions, chat_id)
    await chats.subscribe(sessions, 1, followed, at=at("2025-03-20T00:00:00+00:00"))
    await chats.subscribe(sessions, 2, None, at=at("2025-03-20T00:00:00+00:00"))
    await chats.subscribe(sessions, 3, other, at=at("2025-03-20T00:00:00+00:00"))
    await chats.set_enabled(sessions, 2, False, "blocked")  # paused chats still collect what they are owed

    first = await _run(sessions, "2025-03-20T00:00:00+00:00")
    assert first.conflict_alerts == 0  # the watermark starts at the newest conflict
    async with sessions() as session:
        assert await session.get(SchedulerStateRow, "conflict_watermark") is not None
        assert not (await session.scalars(select(AlertRow).where(AlertRow.kind == "conflict"))).all()

    # Another process (its own engine and connections) logs a conflict while the bot runs.
    elsewhere = database.engine()
    try:
        new = await _conflict(session_factory(elsewhere), followed, "violation:1")
    finally:
        await elsewhere.dispose()
    result = await _run(sessions, "2025-03-21T12:00:00+00:00")
    assert result == ReconcileResult(created=2, conflict_alerts=1)
    owed = await read_owed(sessions)
    conflicts = {chat: value for (chat, key), value in owed.items() if key.startswith("conflict:")}
    assert conflicts == {
        1: ("pending", at("2025-03-21T12:00:00+00:00")),
        2: ("pending", at("2025-03-21T12:00:00+00:00")),
    }
    assert (1, f"conflict:{new}") in owed
    assert all(key != f"conflict:{old}" for _, key in owed)
    async with sessions() as session:
        alert = await session.scalar(select(AlertRow).where(AlertRow.key == f"conflict:{new}"))
        assert alert is not None
        assert (alert.kind, alert.commitment_id, alert.conflict_id, alert.slug) == ("conflict", followed, new, None)
        assert alert.payload["conflict_kind"] == "violation"
        assert alert.payload["summary"] == "A says X, B says Y"
        assert alert.payload["sources"] == []  # no articles linked in this test
        assert alert.payload["item"]["kind"] == "strike_halt"

    assert await _run(sessions, "2025-03-21T12:00:01+00:00") == NOTHING
    # A narrowed call picks up new conflicts too.
    await _conflict(sessions, other, "violation:2")
    assert await _run(sessions, "2025-03-22T00:00:00+00:00", chat_ids=[1]) == ReconcileResult(
        created=2, conflict_alerts=1
    )  # chat 3 (follows it) and chat 2 (everything)


async def test_a_timezone_change_moves_pending_deliveries(sessions: Sessions) -> None:
    cid = await _halt(sessions)
    await _follows(sessions, 1, cid, "2025-03-20T00:00:00+00:00")
    await _run(sessions, "2025-03-20T00:00:00+00:00")
    await chats.update_settings(sessions, 1, timezone="Europe/Kyiv")
    assert await _run(sessions, "2025-03-20T00:00:01+00:00") == ReconcileResult(rescheduled=4)
    assert _milestones(cid, 1, await read_owed(sessions))["end"] == ("pending", at("2025-04-17T00:00:00+03:00"))


async def test_an_idle_periodic_run_costs_one_query(sessions: Sessions, engine: AsyncEngine) -> None:
    cid = await _halt(sessions)
    await _follows(sessions, 1, cid, "2025-03-20T00:00:00+00:00")
    await _run(sessions, "2025-03-20T00:00:00+00:00")
    with _one_query(engine):
        assert await _run(sessions, "2025-03-20T00:00:01+00:00") == NOTHING


async def test_a_full_run_redoes_only_what_changed(sessions: Sessions) -> None:
    """Forget the fingerprint (as the periodic safety run does): unchanged plans and chats cost no delivery work,
    a moved commitment is still picked up."""
    first, second = await _halt(sessions), await _halt(sessions, "2025-03-25", "2025-04-24")
    await _follows(sessions, 1, None, "2025-03-20T00:00:00+00:00")
    assert (await _run(sessions, "2025-03-20T00:00:00+00:00")).created == 9

    async def forget() -> None:
        async with sessions() as session, session.begin():
            await session.execute(delete(SchedulerStateRow).where(SchedulerStateRow.key == "reconcile_fingerprint"))

    await forget()
    assert await _run(sessions, "2025-03-20T00:00:01+00:00") == NOTHING
    await _source_says(sessions, second, end="2025-04-25")
    await forget()
    # halfway (by half a day), both reminders and the end of the second halt; nothing of the first.
    assert await _run(sessions, "2025-03-20T00:00:02+00:00") == ReconcileResult(rescheduled=4)
    assert _milestones(second, 1, await read_owed(sessions))["end"][1] == at("2025-04-25T00:00:00+00:00")
    assert _milestones(first, 1, await read_owed(sessions))["end"][1] == at("2025-04-17T00:00:00+00:00")
