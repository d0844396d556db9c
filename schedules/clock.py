"""The one clock every "what time is it" asks: real time, or a replay that starts at a past instant and runs fast.

Status, milestone plans and alert scheduling all read ``clock.now()``; nothing else calls ``datetime.now``. The
replay clock lets an analyst watch a past month unfold in a minute, and lets tests do the same deterministically.

Sending keeps to real time whatever the clock shows (Telegram's limits and flood waits are real seconds): it asks a
:class:`Timekeeper`, never the clock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler


class Clock(Protocol):
    @property
    def speed(self) -> float:
        """Clock seconds per real second: 1 for the real clock; lateness is judged in real seconds."""
        ...

    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...

    def real_seconds_until(self, when: datetime) -> float:
        """How long to wait in real seconds until the clock shows ``when`` (0 when it is past)."""
        ...


@dataclass(frozen=True, slots=True)
class SystemClock:
    @property
    def speed(self) -> float:
        return 1.0

    def now(self) -> datetime:
        return datetime.now(UTC)

    def real_seconds_until(self, when: datetime) -> float:
        return max(0.0, (when - self.now()).total_seconds())


@dataclass(slots=True)
class ReplayClock:
    """Starts at ``start`` and advances ``speed`` clock seconds per real second (43200: half a day per second)."""

    start: datetime
    speed: float = 1.0
    monotonic: Callable[[], float] = time.monotonic
    _origin: float = field(init=False)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("the replay start needs a UTC offset, e.g. 2025-03-18T20:00:00+00:00")
        if not self.speed > 0:
            raise ValueError("the replay speed must be a positive number")
        self.start = self.start.astimezone(UTC)
        self._origin = self.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(self.monotonic() - self._origin) * self.speed)

    def real_seconds_until(self, when: datetime) -> float:
        return max(0.0, (when - self.now()).total_seconds() / self.speed)


class Timekeeper(Protocol):
    """Real time for the code that paces and waits (the Sender, the Dispatcher's lease): one object, so a test
    swaps sleep, monotonic and wall time together for a fake that moves only when slept on, and they never disagree."""

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of real time."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for measuring intervals."""
        ...

    def wall(self) -> datetime:
        """The real instant, timezone-aware (UTC): never the replay clock."""
        ...


@dataclass(frozen=True, slots=True)
class RealTime:
    """The :class:`Timekeeper` of a running bot: asyncio's sleep, ``time.monotonic`` and the system's UTC time."""

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now(UTC)


REAL_TIME = RealTime()


def run_every(
    scheduler: AsyncIOScheduler,
    tick: Callable[[], Awaitable[None]],
    seconds: float,
    job_id: str,
    *,
    replace: bool = False,
) -> None:
    """Run ``tick`` every ``seconds`` of real time (whatever the bot's clock says), the first time at once.

    Coalesced, one run at a time and no misfire limit: each run looks at everything there is to do, so after a
    busy spell one catch-up run is enough, and none is ever dropped for being late.
    """
    from apscheduler.triggers.interval import IntervalTrigger  # only a process that schedules loads APScheduler

    scheduler.add_job(
        tick,
        IntervalTrigger(seconds=seconds, timezone=UTC),
        id=job_id,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        next_run_time=datetime.now(UTC),
        replace_existing=replace,
    )
