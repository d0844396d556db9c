"""The Dispatcher tests' rigs, on both outboxes or on the fake one alone."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.schedules.dispatch_rig import Rig, make_rig

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture(params=["fake", "real"])
async def rig(sessions: Sessions, request: pytest.FixtureRequest) -> AsyncIterator[Rig]:
    """Both outboxes. With the real one, retry times (FakeTime's wall clock, in 2025) are already past."""
    async with make_rig(sessions, request.param) as rig:
        yield rig


@pytest.fixture
async def fake_rig(sessions: Sessions) -> AsyncIterator[Rig]:
    async with make_rig(sessions, "fake") as rig:
        yield rig
