"""Alert scheduling: APScheduler keeps the outbox in step with the database and wakes the dispatcher on time.

The database is the only source of truth; the scheduler holds no state that a restart could lose:

* ``reconcile`` runs every ``every`` real seconds (and on demand, after /subscribe, /report or an upload): it derives
  deliveries from what is stored — including what another process wrote — then sends whatever is due. Coalesced
  with one instance at a time: if the loop was busy and runs were missed, one catch-up run is enough, because each
  run looks at the whole outbox.
* ``wake`` is a one-off job at the next due delivery, converted from the bot's clock (real or replay) to real time,
  so a milestone goes out at its instant rather than at the next tick. It has no misfire grace limit: an alert
  that is late is still owed (the dispatcher marks it late, or folds it into an offline summary when stale).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schedules.clock import Clock
from schedules.dispatch import Dispatcher
from schedules.plan import PlanOffsets
from schedules.reconcile import reconcile
from storage import outbox

log = logging.getLogger(__name__)
RECONCILE_JOB = "reconcile"
WAKE_JOB = "wake"


@dataclass
class AlertScheduler:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    dispatcher: Dispatcher
    default_tz: ZoneInfo
    offsets: PlanOffsets
    every: float = 1.0

    def __post_init__(self) -> None:
        self.scheduler = AsyncIOScheduler(timezone=UTC)

    async def start(self) -> None:
        """Catch up at once (alerts that fell due while the bot was down), then keep ticking."""
        self.scheduler.start()
        self.scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self.every, timezone=UTC),
            id=RECONCILE_JOB,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),
        )

    async def stop(self) -> None:
        self.scheduler.shutdown(wait=False)

    async def tick(self, commitment_ids: Sequence[int] | None = None, chat_ids: Sequence[int] | None = None) -> None:
        """Reconcile, send what is due, and arm the wake-up for the next delivery."""
        try:
            await reconcile(
                self.sessions,
                now=self.clock.now(),
                default_tz=self.default_tz,
                offsets=self.offsets,
                commitment_ids=commitment_ids,
                chat_ids=chat_ids,
            )
            while (await self.dispatcher.run_due()).claimed >= self.dispatcher.batch:
                pass  # a full batch means more may be due (a large fan-out): keep going in this tick
            await self._arm()
        except Exception:  # one failed tick must not stop the schedule; the next one retries from the database
            log.exception("alert tick failed")

    def poke(self, commitment_ids: Sequence[int] | None = None, chat_ids: Sequence[int] | None = None) -> None:
        """Run a tick now (e.g. right after a new conflict was logged through the bot)."""
        self.scheduler.add_job(self.tick, args=(commitment_ids, chat_ids), misfire_grace_time=None)

    async def _arm(self) -> None:
        due = await outbox.next_due(self.sessions)
        if due is None:
            return
        wait = self.clock.real_seconds_until(due)
        if wait <= 0:
            return  # already due (e.g. waiting for a retry time): the periodic tick takes it
        self.scheduler.add_job(
            self.tick,
            DateTrigger(run_date=datetime.now(UTC) + timedelta(seconds=wait), timezone=UTC),
            id=WAKE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )
