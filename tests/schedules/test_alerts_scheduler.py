"""AlertScheduler's own rules, with reconcile, the dispatcher and the outbox queries replaced by recorders: rounds
never overlap (a tick during a long fan-out asks for one more round instead), and the wake-up goes to the
earliest of the next due delivery and the next publication on the clock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from schedules import alerts
from schedules.alerts import WAKE_JOB, AlertScheduler
from schedules.clock import ReplayClock
from schedules.dispatch import DispatchReport
from schedules.plan import PlanOffsets
from storage import outbox

START = datetime(2025, 3, 18, tzinfo=UTC)


@dataclass
class SlowDispatcher:
    """Each run_due takes ``hold`` seconds, like a fan-out to many chats; counts runs and overlaps."""

    hold: float = 0.0
    batch: int = 500
    runs: int = 0
    running: int = 0
    most_at_once: int = 0

    async def run_due(self) -> DispatchReport:
        self.runs += 1
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await asyncio.sleep(self.hold)
        finally:
            self.running -= 1
        return DispatchReport()


@dataclass
class Calls:
    reconciles: list[tuple[Any, Any]] = field(default_factory=list)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    recorded = Calls()

    async def reconcile(sessions: object, **kwargs: Any) -> None:
        recorded.reconciles.append((kwargs["commitment_ids"], kwargs["chat_ids"]))

    async def nothing(sessions: object) -> None:
        return None

    monkeypatch.setattr(alerts, "reconcile", reconcile)
    monkeypatch.setattr(outbox, "next_due", nothing)
    monkeypatch.setattr(alerts, "next_knowledge_change", nothing)
    return recorded


def scheduler_with(dispatcher: SlowDispatcher, clock: ReplayClock | None = None) -> AlertScheduler:
    return AlertScheduler(
        sessions=None,  # type: ignore[arg-type]  # never opened: the queries are replaced
        clock=clock or ReplayClock(START, 1.0),
        dispatcher=dispatcher,  # type: ignore[arg-type]  # duck-typed: run_due and batch
        default_tz=ZoneInfo("UTC"),
        offsets=PlanOffsets(),
    )


async def test_ticks_during_a_long_round_leave_one_more_round_not_an_overlap(calls: Calls) -> None:
    dispatcher = SlowDispatcher(hold=0.2)
    scheduler = scheduler_with(dispatcher)
    first = asyncio.create_task(scheduler.tick(commitment_ids=[7]))
    await asyncio.sleep(0.05)
    for _ in range(5):  # the periodic tick and pokes arriving meanwhile return at once
        await asyncio.wait_for(scheduler.tick(chat_ids=[1]), timeout=0.05)
    await asyncio.wait_for(first, timeout=5)
    assert dispatcher.most_at_once == 1
    assert dispatcher.runs == 2
    # the first round as asked; the one more round is a full one (it covers whatever the skipped ones asked for)
    assert calls.reconciles == [([7], None), (None, None)]


async def test_a_tick_with_nothing_running_is_one_round(calls: Calls) -> None:
    dispatcher = SlowDispatcher()
    scheduler = scheduler_with(dispatcher)
    await scheduler.tick()
    await scheduler.tick()
    assert dispatcher.runs == 2
    assert calls.reconciles == [(None, None), (None, None)]


@pytest.mark.latency
@pytest.mark.parametrize(
    ("due", "published", "expected"),
    [
        (timedelta(hours=6), timedelta(hours=2), 2.0),  # the publication comes first
        (timedelta(hours=1), timedelta(hours=5), 1.0),  # the delivery comes first
        (None, timedelta(hours=3), 3.0),  # only news ahead
        (-timedelta(hours=1), timedelta(hours=4), 4.0),  # already due: left to the tick
    ],
)
async def test_the_wake_up_is_at_the_earliest_of_due_and_publication(
    calls: Calls,
    monkeypatch: pytest.MonkeyPatch,
    due: timedelta | None,
    published: timedelta,
    expected: float,
) -> None:
    clock = ReplayClock(START, 3600.0)  # an hour of clock per real second

    async def next_due(sessions: object) -> datetime | None:
        return None if due is None else clock.now() + due

    async def next_change(sessions: object) -> datetime | None:
        return clock.now() + published

    monkeypatch.setattr(outbox, "next_due", next_due)
    monkeypatch.setattr(alerts, "next_knowledge_change", next_change)
    scheduler = scheduler_with(SlowDispatcher(), clock)
    scheduler.scheduler.start(paused=True)
    try:
        await scheduler.tick()
        job = scheduler.scheduler.get_job(WAKE_JOB)
        assert job is not None
        wait = (job.next_run_time - datetime.now(UTC)).total_seconds()
        assert expected - 0.5 < wait <= expected
    finally:
        scheduler.scheduler.shutdown(wait=False)


async def test_no_wake_up_when_nothing_lies_ahead(calls: Calls) -> None:
    scheduler = scheduler_with(SlowDispatcher())
    scheduler.scheduler.start(paused=True)
    try:
        await scheduler.tick()
        assert scheduler.scheduler.get_job(WAKE_JOB) is None
    finally:
        scheduler.scheduler.shutdown(wait=False)
