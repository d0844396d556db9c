"""One leader: of all `run` processes on one database, exactly one plans alerts, sends them and polls feeds.

On PostgreSQL the leader is whoever holds a session-level advisory lock (``pg_try_advisory_lock``) on a connection
of its own. PostgreSQL lets go of the lock the moment that session ends — the process was killed (the kernel
closes its socket), the connection was cut, the backend terminated — so a follower that retries every
:data:`RETRY` seconds takes over within a few seconds. The key is derived from the database and schema names, so
several bots sharing one server (or the tests' schemas) never lock each other out.

Fencing, so that two processes never send at once:

* The leader checks its lock connection every :data:`HEARTBEAT` seconds (``SELECT 1``, :data:`BEAT_TIMEOUT`) and
  hears at once when asyncpg sees the connection close. Its sends go through a gate (:meth:`Leadership.allowed`)
  that shuts as soon as the connection is known lost *or* has not answered for :data:`VALIDITY` seconds, so a
  leader cut off from its database stops sending within that time even when nothing tells it; then its scheduler
  is stopped and its claims handed back (best effort: the next leader takes them back anyway).
* A new leader waits :data:`FENCE` seconds (longer than VALIDITY) after taking the lock before it starts, so an
  old leader that lost its connection has stopped by then; it then takes back every claim still held
  (storage.takeover), wherever its worker ran, and starts its scheduler. Deliveries stay claimed by compare-and-set,
  so the worst case of a fail-over is the old leader's in-flight window sent twice, never a lost alert.

With long polling the leader is also the one that polls (Telegram answers a second poller with 409 Conflict);
in webhook mode every replica answers the updates the load balancer hands it.

SQLite has one process by construction (app.runlock), which leads from the start (:class:`SoleLeader`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application

from bot.app import build_alerts, build_feeds, poll_updates
from bot.commands import ALERTS_KEY, FEEDS_KEY
from bot.context import deps_of
from schedules.alerts import AlertScheduler
from schedules.feeds import FeedPoller
from schedules.metrics import LEADER, metered_sender, on_feed_poll, pace
from storage.takeover import take_over_claims

log = logging.getLogger(__name__)

RETRY = 1.0  # seconds between a follower's attempts to take the lock
HEARTBEAT = 0.5  # seconds between the leader's checks of its lock connection
BEAT_TIMEOUT = 1.0  # a check that takes longer counts as a lost connection
VALIDITY = 1.8  # a leader whose connection has not answered for this long sends nothing more
FENCE = 3.0  # a new leader waits this long before it starts: an old one cut off has stopped by then
CONNECT_TIMEOUT = 5.0
NAMESPACE = "ceasefire-watch:leader"
# Connection options SQLAlchemy's asyncpg adapter takes for itself; asyncpg.connect does not know them.
_ADAPTER_OPTIONS = ("prepared_statement_cache_size", "prepared_statement_name_func", "async_creator_fn")


def lock_key(database: str, schema: str) -> int:
    """The advisory lock's 64-bit key for one database and schema."""
    digest = hashlib.blake2b(f"{NAMESPACE}:{database}:{schema}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Duties(Protocol):
    """What the leader runs: started when leadership is won, stopped when it is lost."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(eq=False)  # one process's own: equal only to itself, hashable
class LeaderDuties:
    """The alert scheduler and the feed poller of one application, built afresh for each term of leadership.
    ``take_over`` (PostgreSQL) hands every claim still held back to pending first; ``allowed`` gates each send;
    ``polling`` long-polls for updates while leading (Telegram lets one process poll; webhook replicas all answer)."""

    application: Application[Any, Any, Any, Any, Any, Any]
    _: KW_ONLY
    take_over: bool
    allowed: Callable[[], bool] = lambda: True
    polling: bool = False
    every: float = 1.0
    scheduler: AlertScheduler | None = field(default=None, init=False)
    feeds: FeedPoller | None = field(default=None, init=False)

    @property
    def ticked_at(self) -> float | None:
        """When (time.monotonic) the scheduler last ticked; None when not leading."""
        return self.scheduler.ticked_at if self.scheduler is not None else None

    async def start(self) -> None:
        if self.take_over:
            taken = await take_over_claims(deps_of(self.application).sessions)
            if taken:
                log.info("took back %d deliveries claimed by an earlier leader", taken)
        rate = deps_of(self.application).settings.telegram_max_messages_per_second
        scheduler = self.scheduler = build_alerts(
            self.application, every=self.every, sender=metered_sender(self.allowed, pace(rate))
        )
        try:
            await scheduler.start()
            feeds = self.feeds = build_feeds(self.application, scheduler)
            feeds.listeners.append(on_feed_poll)
            feeds.attach(scheduler.scheduler)
            if self.polling:
                await poll_updates(self.application)
        except BaseException:
            await self.stop()
            raise
        self.application.bot_data[ALERTS_KEY] = scheduler
        self.application.bot_data[FEEDS_KEY] = feeds
        LEADER.set(1)

    async def stop(self) -> None:
        LEADER.set(0)
        self.application.bot_data.pop(ALERTS_KEY, None)
        self.application.bot_data.pop(FEEDS_KEY, None)
        scheduler, feeds, self.scheduler, self.feeds = self.scheduler, self.feeds, None, None
        if scheduler is not None:
            await scheduler.stop()
        if feeds is not None:
            await feeds.close()
        updater = self.application.updater
        if self.polling and updater is not None and updater.running:
            await updater.stop()


class SoleLeader:
    """SQLite: the only process (the file lock sees to it) leads from the start until it stops."""

    def __init__(self, duties: Duties) -> None:
        self.duties = duties
        self.leading = False

    def allowed(self) -> bool:
        return True

    async def run(self) -> None:
        await self.duties.start()
        self.leading = True
        try:
            await asyncio.Event().wait()
        finally:
            self.leading = False
            await self.duties.stop()


def connect_options(engine: AsyncEngine, connect_args: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """asyncpg.connect's arguments for the engine's URL (as SQLAlchemy would connect), plus ``connect_args``."""
    _, options = engine.dialect.create_connect_args(engine.url)
    options = {k: v for k, v in options.items() if k not in _ADAPTER_OPTIONS}
    options.update(connect_args or {})
    return options


class Leadership:
    """The advisory lock on PostgreSQL, and the duties that go with it (module doc). ``run`` until cancelled."""

    def __init__(
        self,
        engine: AsyncEngine,
        duties: Duties,
        *,
        connect_args: Mapping[str, Any] | None = None,
        retry: float = RETRY,
        fence: float = FENCE,
    ) -> None:
        self.options = connect_options(engine, connect_args)
        self.duties = duties
        self.retry = retry
        self.fence = fence
        self.leading = False  # the duties run
        self.key: int | None = None
        self._connection: asyncpg.Connection | None = None
        self._holding = False  # the lock is held, as far as this process knows
        self._last_ok = 0.0
        self._lost = asyncio.Event()
        self._failing = False  # the last attempt could not reach the database

    def allowed(self) -> bool:
        """Whether this process may send now: it holds the lock and its connection answered lately."""
        return self._holding and not self._lost.is_set() and time.monotonic() - self._last_ok < VALIDITY

    async def run(self) -> None:
        standing_by = False
        try:
            while True:
                if await self._try_lock():
                    standing_by = False
                    await self._lead()
                elif not standing_by:
                    log.info("another process leads: standing by, trying for leadership every %g s", self.retry)
                    standing_by = True
                await asyncio.sleep(self.retry)
        finally:
            await self._close()

    async def _try_lock(self) -> bool:
        import asyncpg  # only a PostgreSQL deployment elects a leader; SQLite never loads the driver

        try:
            if self._connection is None or self._connection.is_closed():
                await self._close()
                self._connection = await asyncpg.connect(**self.options, timeout=CONNECT_TIMEOUT)
                database, schema = await self._connection.fetchrow("SELECT current_database(), current_schema()")
                self.key = lock_key(str(database), str(schema))
            got = await self._connection.fetchval("SELECT pg_try_advisory_lock($1)", self.key, timeout=BEAT_TIMEOUT)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            if not self._failing:  # once per outage, not once a second
                log.warning(
                    "could not try for leadership (%s); trying again every %g s", type(error).__name__, self.retry
                )
            self._failing = True
            await self._close()
            return False
        if self._failing:
            log.info("the database answers again")
        self._failing = False
        return bool(got)

    async def _lead(self) -> None:
        connection = self._connection
        assert connection is not None
        self._lost.clear()
        connection.add_termination_listener(self._on_closed)
        self._holding, self._last_ok = True, time.monotonic()
        log.info("took the leader lock; leading in %g s (an earlier leader stops sending before then)", self.fence)
        beat = asyncio.create_task(self._heartbeat(connection))
        started = False
        try:
            done, _ = await asyncio.wait({beat}, timeout=self.fence)
            if done:
                return
            await self.duties.start()
            started = self.leading = True
            log.info("leading: alerts, sends and feed polls run in this process")
            await beat
        except Exception:
            log.exception("could not start leading; giving the lock back")
        finally:
            self._holding = self.leading = False
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat
            if started:
                await self.duties.stop()
            await self._close()  # the lock goes with its session, if that still lives

    def _on_closed(self, _connection: object) -> None:
        self._holding = False  # shut the gate before anything else runs
        self._lost.set()

    async def _heartbeat(self, connection: asyncpg.Connection) -> None:
        """Returns when the lock connection is lost (closed, failing, or not answering in time)."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._lost.wait(), HEARTBEAT)
            if self._lost.is_set() or connection.is_closed():
                reason = "connection closed"
                break
            try:
                await connection.fetchval("SELECT 1", timeout=BEAT_TIMEOUT)
            except Exception as error:
                reason = type(error).__name__
                break
            self._last_ok = time.monotonic()
        self._holding = False
        log.warning("lost the database connection that holds leadership (%s): sends stopped", reason)

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            connection.terminate()  # no goodbye round trip on a connection that may be dead
