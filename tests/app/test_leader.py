"""Leadership on PostgreSQL in one process: the advisory lock, the fence, losing the connection, schemas apart."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.leader import Leadership, lock_key
from tests.conftest import Database, fresh_schema

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL")


class Duties:
    """Records when it was started and stopped."""

    def __init__(self) -> None:
        self.events: list[str] = []

    async def start(self) -> None:
        self.events.append("start")

    async def stop(self) -> None:
        self.events.append("stop")

    @property
    def running(self) -> bool:
        return self.events[-1:] == ["start"]


@pytest.fixture
def database() -> Database:
    """The server as TEST_DATABASE_URL names it, not one schema of it: each candidate sets its own search path."""
    return Database("postgresql", os.environ["TEST_DATABASE_URL"])


@pytest.fixture
async def schema(engine: AsyncEngine) -> AsyncIterator[str]:
    async with fresh_schema(engine) as name:
        yield name


def leadership(engine: AsyncEngine, schema: str, duties: Duties) -> Leadership:
    args = {"server_settings": {"search_path": schema}}
    return Leadership(engine, duties, connect_args=args, retry=0.1, fence=0.3)


async def until(condition: Callable[[], bool], within: float = 10.0) -> float:
    """Seconds until ``condition`` held (a bounded wait)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < within, f"not within {within} s"
        await asyncio.sleep(0.02)
    return time.monotonic() - started


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


@dataclass
class Two:
    """Two candidates on one schema, the first already leading when the second starts trying."""

    first: Leadership
    first_duties: Duties
    first_task: asyncio.Task[None]
    second: Leadership
    second_duties: Duties


@asynccontextmanager
async def two_candidates(engine: AsyncEngine, schema: str) -> AsyncIterator[Two]:
    first_duties, second_duties = Duties(), Duties()
    first, second = leadership(engine, schema, first_duties), leadership(engine, schema, second_duties)
    first_task = asyncio.create_task(first.run())
    await until(lambda: first.leading)
    second_task = asyncio.create_task(second.run())
    try:
        yield Two(first, first_duties, first_task, second, second_duties)
    finally:
        await stop(first_task)
        await stop(second_task)


async def test_one_leads_and_the_other_takes_over_when_it_stops(engine: AsyncEngine, schema: str) -> None:
    async with two_candidates(engine, schema) as two:
        await asyncio.sleep(1.0)  # several of the second's attempts
        assert two.first.allowed()
        assert not two.second.leading
        assert not two.second.allowed()
        assert two.second_duties.events == []
        await stop(two.first_task)
        assert two.first_duties.events == ["start", "stop"]
        assert not two.first.allowed()
        await until(lambda: two.second.leading)
        assert two.second_duties.running
    assert two.second_duties.events == ["start", "stop"]


@pytest.mark.latency
async def test_a_leader_cut_from_its_connection_stops_and_another_leads(engine: AsyncEngine, schema: str) -> None:
    async with two_candidates(engine, schema) as two:
        await asyncio.sleep(0.5)
        high, low = divmod(lock_key("test", schema) & 0xFFFFFFFFFFFFFFFF, 1 << 32)
        async with engine.begin() as connection:
            hit = await connection.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND classid::bigint = :high AND objid::bigint = :low AND objsubid = 1"
                ),
                {"high": high, "low": low},
            )
        assert hit == 1
        gate_shut = await until(lambda: not two.first.allowed(), within=2.0)
        await until(lambda: two.first_duties.events == ["start", "stop"], within=10)
        await until(lambda: two.second.leading, within=10)
        assert not two.first.leading
    assert gate_shut < 2.0


async def test_each_schema_has_a_leader_of_its_own(engine: AsyncEngine, schema: str) -> None:
    async with fresh_schema(engine) as other:
        here, there = leadership(engine, schema, Duties()), leadership(engine, other, Duties())
        tasks = [asyncio.create_task(here.run()), asyncio.create_task(there.run())]
        try:
            await until(lambda: here.leading and there.leading)
            assert here.key != there.key
        finally:
            for task in tasks:
                await stop(task)
