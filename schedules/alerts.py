"""Alert scheduling: APScheduler keeps the outbox in step with the database and wakes the dispatcher on time.

The database is the only source of truth; the scheduler holds no state that a restart could lose:

* ``reconcile`` runs every ``every`` real seconds (and on demand, after /subscribe, /report or an upload): it derives
  deliveries from what is stored — including what another process wrote — then sends whatever is due. Coalesced
  with one instance at a time: if the loop was busy and runs were missed, one catch-up run is enough, because each
  run looks at the whole outbox. Runs never overlap: one asked for while another works (a long fan-out) only
  leaves a note, and the working run goes round once more when it is done (so APScheduler never has to skip one).
* ``wake`` is a one-off job at the next due delivery, or at the next publication on a replay clock (news coming out
  can make a milestone owed), converted from the bot's clock (real or replay) to real time, so a milestone goes out
  at its instant rather than at the next tick. It has no misfire grace limit: an alert that is late is still owed
  (the dispatcher marks it late, or folds it into an offline summary when stale).

At start, before the first run, claims left by a dead process on this host (killed mid-send) go back to pending
(``outbox.reclaim_dead``), so a restart sends them at once instead of after their lease; at most the messages that
process had sent but not yet confirmed go out twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schedules.clock import Clock, run_every
from schedules.dispatch import Dispatcher
from schedules.fingerprint import next_knowledge_change
from schedules.plan import PlanOffsets
from schedules.reconcile import reconcile
from storage import outbox

log = logging.getLogger(__name__)
RECONCILE_JOB = "reconcile"
WAKE_JOB = "wake"


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists on this machine; True when that cannot be known, because a claim wrongly
    thought dead is sent twice while one wrongly thought alive only waits for its lease."""
    if pid <= 0 or pid == os.getpid() or os.name != "posix":  # 0 and -1 address groups; Windows has no signal 0
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, as another user's process
        return True
    return True


@dataclass
class AlertScheduler:
    """``host`` (this machine's name, as in the dispatcher's worker name) turns on the start-up reclaim of dead
    local workers' claims; ``alive`` tells whether a pid on this host still runs; ``reviewers`` get review cards
    (schedules.reconcile)."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    dispatcher: Dispatcher
    default_tz: ZoneInfo
    offsets: PlanOffsets
    every: float = 1.0
    host: str | None = None
    alive: Callable[[int], bool] = pid_alive
    reviewers: Sequence[int] = ()  # admins' user ids: their private chats get the review cards

    ticked_at: float | None = field(default=None, init=False)  # time.monotonic() of the last tick (health check)
    _busy: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)
    _again: bool = field(default=False, init=False, repr=False)
    _rounds: set[asyncio.Task[Any]] = field(default_factory=set, init=False, repr=False)  # ticks running now
    _stopping: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        self.scheduler = AsyncIOScheduler(timezone=UTC)

    async def start(self) -> None:
        """Take back a dead local worker's claims, catch up at once (alerts that fell due while the bot was down),
        then keep ticking."""
        await self._reclaim()
        self.scheduler.start()
        run_every(self.scheduler, self.tick, self.every, RECONCILE_JOB)

    async def stop(self) -> None:
        """No new rounds; the one in flight is cancelled and awaited here, so a clean SIGTERM ends it quietly
        instead of leaving it to the event loop's teardown, where APScheduler logged the CancelledError as an
        ERROR with its traceback. Claims it held go back at the next start (reclaim) or with their lease."""
        self._stopping = True
        self.scheduler.shutdown(wait=False)
        for task in list(self._rounds):
            task.cancel()
        if self._rounds:
            await asyncio.wait(list(self._rounds), timeout=10)

    async def _reclaim(self) -> None:
        if self.host is None:
            return
        try:
            reclaimed = await outbox.reclaim_dead(self.sessions, host=self.host, alive=self.alive)
        except Exception:  # not fatal: the lease brings those claims back later
            log.exception("could not take back the claims of dead workers; their leases will")
            return
        if reclaimed:
            log.info("took back %d deliveries claimed by dead workers on %s", reclaimed, self.host)

    async def tick(self, commitment_ids: Sequence[int] | None = None, chat_ids: Sequence[int] | None = None) -> None:
        """Reconcile, send what is due, and arm the wake-up for the next delivery; while a run is going, only ask it
        to go round once more (a full round covers whatever a narrowed one would have done)."""
        if self._stopping:
            return
        self.ticked_at = time.monotonic()
        if self._busy.locked():
            self._again = True
            return
        task = asyncio.current_task()
        if task is not None:
            self._rounds.add(task)
        try:
            async with self._busy:
                await self._round(commitment_ids, chat_ids)
                while self._again and not self._stopping:
                    self._again = False
                    await self._round(None, None)
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            log.info("alert round cut short by the stop")
        finally:
            self._rounds.discard(task)

    async def _round(self, commitment_ids: Sequence[int] | None, chat_ids: Sequence[int] | None) -> None:
        try:
            await reconcile(
                self.sessions,
                now=self.clock.now(),
                default_tz=self.default_tz,
                offsets=self.offsets,
                commitment_ids=commitment_ids,
                chat_ids=chat_ids,
                reviewers=self.reviewers,
            )
            sent = 0
            while True:
                report = await self.dispatcher.run_due()
                sent += report.sent
                if report.claimed < self.dispatcher.batch:
                    break  # a full batch means more may be due (a large fan-out): keep going in this round
            await self._arm(progressed=sent > 0)
        except Exception:  # one failed round must not stop the schedule; the next one retries from the database
            log.exception("alert tick failed")

    def poke(self, commitment_ids: Sequence[int] | None = None, chat_ids: Sequence[int] | None = None) -> None:
        """Run a tick now (e.g. right after a new conflict was logged through the bot)."""
        self.scheduler.add_job(self.tick, args=(commitment_ids, chat_ids), misfire_grace_time=None)

    async def _arm(self, *, progressed: bool = False) -> None:
        """Wake at the next due delivery or the next publication on the clock, whichever comes first. What fell due
        while this round was sending (the next zone's midnight, a replay's next day) goes round again at once, as
        long as the round sent something; what is due but cannot go yet (waiting for a retry time, quiet hours) is
        left to the periodic tick, so nothing spins."""
        due = await outbox.next_due(self.sessions)
        if progressed and due is not None and self.clock.real_seconds_until(due) <= 0:
            self._again = True
        moments = [due, await next_knowledge_change(self.sessions)]
        waits = [w for w in (self.clock.real_seconds_until(m) for m in moments if m is not None) if w > 0]
        if not waits:
            return
        self.scheduler.add_job(
            self.tick,
            DateTrigger(run_date=datetime.now(UTC) + timedelta(seconds=min(waits)), timezone=UTC),
            id=WAKE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )
