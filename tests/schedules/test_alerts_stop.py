"""A clean stop (SIGTERM) in the middle of an alert round ends it quietly: no ERROR, no traceback."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.schedules.test_alerts_scheduler import SlowDispatcher, calls, scheduler_with  # noqa: F401  (fixture)


@pytest.mark.usefixtures("calls")  # reconcile and the outbox queries replaced by recorders
async def test_a_stop_mid_round_ends_it_without_an_error(caplog: pytest.LogCaptureFixture) -> None:
    dispatcher = SlowDispatcher(hold=60)  # a long fan-out, or a 429 wait
    scheduler = scheduler_with(dispatcher)
    with caplog.at_level(logging.DEBUG):
        await scheduler.start()
        for _ in range(500):  # bounded: until the first round is sending
            if dispatcher.running:
                break
            await asyncio.sleep(0.01)
        assert dispatcher.running == 1
        await asyncio.wait_for(scheduler.stop(), timeout=15)
        assert dispatcher.running == 0, "the round in flight ended with the stop"
        # What asyncio.run does at the end of the process: cancel whatever is left, and wait for it.
        left = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
        await asyncio.sleep(0)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert dispatcher.runs == 1
    scheduler.poke()  # asking again after the stop starts nothing
    await asyncio.sleep(0.05)
    assert dispatcher.runs == 1
