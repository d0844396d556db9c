"""The fan-out bench's two paths on the same chats: the outbox (reconcile, then the real Dispatcher and Sender until
nothing is claimed) and bare ``send_message`` loops with the same texts, each checked against what the server got."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from telegram import Bot
from telegram.constants import ParseMode

from app.settings import Settings
from bench.fanout_api import ChildServer, LoopServer, Server, Stats
from bench.fanout_seed import UTC, Sessions, add_conflict, chat_views, last_conflict_alert, seeded, sent_deliveries
from bot import alerting
from bot.app import build_application
from bot.context import Deps
from schedules.clock import SystemClock
from schedules.dispatch import Dispatcher, DispatchSettings, in_quiet_hours
from schedules.plan import PlanOffsets
from schedules.reconcile import reconcile
from schedules.sender import PACE, Sender, SendSettings
from storage import outbox

# The Dispatcher's default: bot.app.build_alerts leaves it as it is.
CONCURRENCY = DispatchSettings().concurrency
ROUND_TIMEOUT = 600.0  # seconds one round may take before the bench gives up (a hang, not a slow machine)


@dataclass(frozen=True, slots=True)
class OutboxRun:
    total: float  # seconds: conflict stored → last confirmation
    dispatch: float  # seconds in run_due
    stats: Stats
    deliveries: int
    sent: int


@dataclass
class Fanout:
    """One database, one Application.bot, one server: the outbox path and the bare loops on the same chats.
    ``paced``: the Sender keeps its overall pace (:data:`~schedules.sender.PACE`), as `run` builds it."""

    sessions: Sessions
    bot: Bot
    server: Server
    commitment_id: int
    concurrency: int
    paced: bool = True
    clock: SystemClock = field(default_factory=SystemClock)
    texts: dict[int, tuple[str, bool]] = field(default_factory=dict, init=False)  # chat → (text, silent): bare loops
    _conflicts: int = field(default=0, init=False)

    async def outbox(self) -> OutboxRun:
        """Store a conflict, reconcile, dispatch until nothing is claimed; check what the server received."""
        await self.server.reset()
        self._conflicts += 1
        conflict_id = await add_conflict(self.sessions, self.commitment_id, self._conflicts)
        # One Dispatcher per fan-out, as in a fresh process: no per-chat pacing left over from the last round.
        dispatcher = Dispatcher(
            self.sessions,
            Sender(self.bot, settings=SendSettings(per_second=PACE if self.paced else None)),
            self.clock,
            alerting.render,
            worker=f"bench:{os.getpid()}:{self._conflicts}",
            settings=DispatchSettings(lease=dt.timedelta(seconds=120), concurrency=self.concurrency),
        )
        async with asyncio.timeout(ROUND_TIMEOUT):
            started = time.perf_counter()
            await reconcile(self.sessions, now=self.clock.now(), default_tz=UTC, offsets=PlanOffsets())
            sending = time.perf_counter()
            while (await dispatcher.run_due()).claimed:
                pass
            done = time.perf_counter()
        deliveries, sent = await sent_deliveries(self.sessions, conflict_id)
        return OutboxRun(done - started, done - sending, await self.server.stats(), deliveries, sent)

    async def prepare_texts(self) -> None:
        """What the outbox sends each chat, rendered beforehand for the bare loops (the last conflict's alert)."""
        alert = outbox.alert_view(await last_conflict_alert(self.sessions))
        now = self.clock.now()
        for chat in await chat_views(self.sessions):
            delivery = outbox.DeliveryView(0, alert, chat.id, now, 0, "sending")
            self.texts[chat.id] = (alerting.render(chat, [delivery], "on_time"), in_quiet_hours(chat, now))

    async def _send(self, chat_id: int) -> None:
        text, silent = self.texts[chat_id]
        await self.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, disable_notification=silent)

    async def bare(self, concurrency: int) -> tuple[float, Stats]:
        """The same texts to the same chats, ``concurrency`` tasks taking chats from one shared iterator."""
        await self.server.reset()
        pending = iter(list(self.texts))

        async def work() -> None:
            for chat_id in pending:
                await self._send(chat_id)

        started = time.perf_counter()
        async with asyncio.timeout(ROUND_TIMEOUT), asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(work())
        elapsed = time.perf_counter() - started
        return elapsed, await self.server.stats()


def check(run: OutboxRun, chats: int, digest: str | None) -> list[str]:
    """What is wrong with an outbox round: messages not one per chat, texts unlike the bare loop's, rows not sent."""
    problems = []
    counts = Counter(run.stats.by_chat.values())
    if run.stats.messages != chats or len(run.stats.by_chat) != chats or set(counts) != {1}:
        problems.append(f"{run.stats.messages} messages to {len(run.stats.by_chat)} chats (per chat: {dict(counts)})")
    if digest is not None and run.stats.digest != digest:
        problems.append("texts differ from the bare loop's")
    if (run.deliveries, run.sent) != (chats, chats):
        problems.append(f"{run.sent} of {run.deliveries} deliveries sent")
    return problems


@asynccontextmanager
async def fixture(
    path: Path | str,
    chats: int,
    *,
    limited: bool,
    in_process: bool,
    concurrency: int,
    paced: bool | None = None,
) -> AsyncIterator[Fanout]:
    """A seeded database at ``path`` (a file, or a PostgreSQL URL), a server, and the bot's Application on it.
    ``limited``: the Application has the bot's rate limiter (bot.app.build_application's own) and the server
    Telegram's limits; ``paced`` (the Sender's overall pace) follows it unless given."""
    paced = limited if paced is None else paced
    url = path if isinstance(path, str) else f"sqlite+aiosqlite:///{path}"
    clock = SystemClock()
    async with seeded(url, chats, clock.now()) as (sessions, commitment_id):
        settings = Settings(database_url=url, default_timezone="UTC", admin_user_ids=(), _env_file=None)  # type: ignore[call-arg]
        deps = Deps(settings=settings, sessions=sessions, clock=clock)
        server_type: type[ChildServer] | type[LoopServer] = LoopServer if in_process else ChildServer
        async with server_type(limited) as server:
            application = build_application(
                deps, token=server.token, base_url=server.base_url, base_file_url=server.file_url, rate_limit=limited
            )
            async with application:
                yield Fanout(sessions, application.bot, server, commitment_id, concurrency, paced)
