"""One alert fanned out to thousands of chats through the outbox, side by side with a bare send loop.

Run: ``.venv/bin/python -m bench.fanout`` (``--help`` for sizes). Each part uses a fresh SQLite file in a temporary
directory holding N enabled private chats subscribed to everything (English and German, six zones, a quarter with
quiet hours) and one commitment in force, and one :class:`bot.localapi.LocalBotApi`.

(a) Limiter off, 2,000 chats. A conflict is stored and fanned out the way the bot does it: ``reconcile`` writes one
    delivery per chat (one set-based statement), then ``Dispatcher.run_due`` — the real Sender, storage.outbox and
    bot.alerting.render — runs until it claims nothing. The baseline sends the same texts (rendered beforehand) to
    the same chats with bare ``bot.send_message`` calls from as many tasks as the dispatcher runs (``--concurrency``,
    the dispatcher's default), and once one at a time for reference. Both share one ``Application.bot`` made by
    bot.app.build_application (so one HTTPXRequest, PTB's pool of 256 connections). Runs alternate (bare, outbox,
    then outbox, bare, ...) so drift in machine load hits both; each outbox round fans out a new conflict, so its
    deliveries are fresh. Medians are reported, and outbox rate / bare rate. Every outbox round is checked: exactly
    N messages, one per chat, the same (chat, text) pairs as the bare loop sent, and N deliveries ended 'sent'.
    The outbox time runs from the conflict being stored to the last confirmation (reconcile included); the
    dispatch-only time is shown beside it.
(b) Limiter on, 1,000 chats: the same fan-out through an Application from build_application(rate_limit=True) —
    python-telegram-bot's AIORateLimiter exactly as the bot builds it — against LocalBotApi with Telegram's limits
    (``Limits()``): messages per second over the fan-out, and the 429s the server answered. ``--limiter paced``
    (or ``both``) runs it with the evenly pacing limiter proposed for bot.app instead (:func:`paced_limiter`).

(c) ``--hog N``: part (b) again while N bounded CPU hogs (child processes spinning for at most the run's length)
    share the machine, so the event loop stalls as on a loaded host; ``--pacer off`` leaves out the Sender's
    overall pace (schedules.sender.PACE) to compare with. ``--backend postgresql`` (or ``both``) runs the parts on
    PostgreSQL too (127.0.0.1:5432, database bench_fanout), beside SQLite.

The Bot API server runs in a child process by default, with a core of its own as Telegram's servers would have:
then the figures measure the bot's side of the work. ``--in-process`` serves it from the bot's own event loop, as
the tests do. A run takes about a minute and a half with the defaults.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import inspect
import itertools
import logging
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from app.settings import Settings
from articles.model import iso
from bench.chats import chat_rows
from bench.targets import Target, pg_url, report
from bot import alerting
from bot.app import build_application
from bot.context import Deps
from bot.localapi import Limits, LocalBotApi
from schedules.clock import SystemClock
from schedules.dispatch import Dispatcher, in_quiet_hours
from schedules.plan import PlanOffsets
from schedules.reconcile import reconcile
from schedules.sender import PACE, Sender
from storage import chats as chat_store
from storage import outbox
from storage.chats import ChatView
from storage.db import create_engine, migrate, session_factory
from storage.models import (
    AlertRow,
    ArticleRow,
    ChatRow,
    CommitmentRow,
    CommitmentSourceRow,
    ConflictArticleRow,
    ConflictRow,
    DeliveryRow,
)
from tracking.model import moment_utc

Sessions = async_sessionmaker[AsyncSession]
Limiter = Literal["off", "app", "paced"]

FIRST_CHAT = 700_000_001
# The Dispatcher's default: bot.app.build_alerts builds it without the argument.
CONCURRENCY: int = inspect.signature(Dispatcher).parameters["concurrency"].default
TARGET_RATIO = 0.8
TARGET_LIMITED = 29.0
TARGETS = {
    "rate": Target("limited fan-out rate", TARGET_LIMITED, "msg/s", at_least=True),
    "429": Target("429s answered", 0, "× 429"),
}
SERVER_TIMEOUT = 60.0  # seconds the child process may take to start or answer
ROUND_TIMEOUT = 600.0  # seconds one round may take before the bench gives up (a hang, not a slow machine)
UTC = ZoneInfo("UTC")


# --- the Bot API server ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stats:
    """What the server saw since its last reset: successful sendMessage calls per chat, a digest of the sorted
    (chat, text) pairs, the 429s it answered under its limits, and when the first and last message arrived."""

    by_chat: dict[int, int]
    digest: str
    rejected: int
    first: float | None
    last: float | None

    @property
    def messages(self) -> int:
        return sum(self.by_chat.values())


def _stats(api: LocalBotApi) -> dict[str, Any]:
    sent = [c for c in api.calls if c.method == "sendMessage" and c.result is not None]
    pairs = sorted((int(c.params["chat_id"]), str(c.params.get("text", ""))) for c in sent)
    digest = hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]
    times = [c.at for c in sent]
    return {
        "by_chat": dict(Counter(chat for chat, _ in pairs)),
        "digest": digest,
        "rejected": api.limits.rejected if api.limits is not None else 0,
        "first": min(times, default=None),
        "last": max(times, default=None),
    }


def _new_api(limited: bool) -> LocalBotApi:
    api = LocalBotApi()
    if limited:
        api.limits = Limits()
    return api


def _serve(conn: Connection, limited: bool) -> None:
    """The child process: one LocalBotApi until told to stop; answers "stats" and "reset" over the pipe."""
    asyncio.run(_serve_until_stopped(conn, limited))


async def _serve_until_stopped(conn: Connection, limited: bool) -> None:
    async with _new_api(limited) as api:
        conn.send(api.port)
        while (command := await asyncio.to_thread(conn.recv)) != "stop":
            if command == "reset":
                api.calls.clear()
                conn.send(None)
            else:
                conn.send(_stats(api))
    conn.send(None)


class Server(Protocol):
    base_url: str
    file_url: str
    token: str

    async def stats(self) -> Stats: ...

    async def reset(self) -> None: ...


class ChildServer:
    """LocalBotApi in a child process (its own core); the bench asks it for its records over a pipe."""

    def __init__(self, limited: bool) -> None:
        self._limited = limited
        self.token = LocalBotApi().token
        self.base_url = self.file_url = ""

    async def __aenter__(self) -> ChildServer:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, self._limited), daemon=True)
        self._process.start()
        port = await self._receive()
        self.base_url = f"http://127.0.0.1:{port}/bot"
        self.file_url = f"http://127.0.0.1:{port}/file/bot"
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self._ask("stop")
        finally:
            await asyncio.to_thread(self._process.join, 10)
            if self._process.is_alive():
                self._process.terminate()

    async def _receive(self) -> Any:
        if not await asyncio.to_thread(self._conn.poll, SERVER_TIMEOUT):
            raise TimeoutError(f"the Bot API process did not answer within {SERVER_TIMEOUT} s")
        return self._conn.recv()

    async def _ask(self, command: str) -> Any:
        self._conn.send(command)
        return await self._receive()

    async def stats(self) -> Stats:
        return Stats(**await self._ask("stats"))

    async def reset(self) -> None:
        await self._ask("reset")


class LoopServer:
    """LocalBotApi in this event loop, as the tests run it."""

    def __init__(self, limited: bool) -> None:
        self.api = _new_api(limited)
        self.token = self.api.token
        self.base_url = self.file_url = ""

    async def __aenter__(self) -> LoopServer:
        await self.api.start()
        self.base_url, self.file_url = self.api.base_url, self.api.file_url
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.api.stop()

    async def stats(self) -> Stats:
        return Stats(**_stats(self.api))

    async def reset(self) -> None:
        self.api.calls.clear()


# --- the database ------------------------------------------------------------------------------------------------


async def seed(sessions: Sessions, chats: int, now: dt.datetime) -> int:
    """``chats`` private chats following everything since yesterday and one ceasefire in force (its milestones all
    lie ahead, so only the conflicts fan out); returns the commitment id."""
    since = now - dt.timedelta(days=1)
    rows = chat_rows(chats, since, first_id=FIRST_CHAT)
    start, end = (now - dt.timedelta(days=10)).date(), (now + dt.timedelta(days=60)).date()
    async with sessions() as session, session.begin():
        for index in range(0, len(rows), 1000):
            await session.execute(insert(ChatRow), rows[index : index + 1000])
        article = ArticleRow(
            content_hash="bench-fanout",
            path="bench/fanout.txt",
            language="en",
            title="Ceasefire holds in the north, both sides say",
            published=iso(start),
            published_utc=moment_utc(start),
            loaded_at=since,
        )
        commitment = CommitmentRow(
            kind="ceasefire",
            actors=["Israel", "Hezbollah"],
            scope="southern Lebanon",
            conditions=[],
            start=iso(start),
            end=iso(end),
            start_utc=moment_utc(start),
            end_utc=moment_utc(end),
            status="in_force",
        )
        session.add_all([article, commitment])
        await session.flush()
        session.add(
            CommitmentSourceRow(
                commitment_id=commitment.id,
                article_id=article.id,
                actors=commitment.actors,
                scope=commitment.scope,
                conditions=[],
                start=commitment.start,
                end=commitment.end,
                status="in_force",
                evidence="A 60-day ceasefire took effect on Wednesday.",
            )
        )
        return commitment.id


async def add_conflict(sessions: Sessions, commitment_id: int, n: int) -> int:
    """The same conflict text each time (so every round sends the same texts), a new id (so a new alert)."""
    async with sessions() as session, session.begin():
        article_id = await session.scalar(select(func.min(ArticleRow.id)))
        conflict = ConflictRow(
            commitment_id=commitment_id,
            kind="violation_in_force",
            key=f"bench:{n}",
            summary="Shelling reported near the border while the ceasefire is in force",
            created_at=dt.datetime.now(dt.UTC),
        )
        session.add(conflict)
        await session.flush()
        session.add(ConflictArticleRow(conflict_id=conflict.id, article_id=article_id, position=0))
        return conflict.id


async def sent_deliveries(sessions: Sessions, conflict_id: int) -> tuple[int, int]:
    """(deliveries of the conflict's alert, how many of them are 'sent')."""
    async with sessions() as session:
        rows = (
            await session.execute(
                select(DeliveryRow.state, func.count())
                .join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
                .where(AlertRow.conflict_id == conflict_id)
                .group_by(DeliveryRow.state)
            )
        ).all()
    counts = {state: int(count) for state, count in rows}
    return sum(counts.values()), counts.get("sent", 0)


async def chat_views(sessions: Sessions) -> list[ChatView]:
    async with sessions() as session:
        rows = await session.scalars(select(ChatRow).order_by(ChatRow.id))
        return [chat_store.chat_view(row) for row in rows]


# --- the runs ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutboxRun:
    total: float  # seconds: conflict stored → last confirmation
    dispatch: float  # seconds in run_due
    stats: Stats
    deliveries: int
    sent: int


class Fanout:
    """One database, one Application.bot, one server: the outbox path and the bare loops on the same chats."""

    def __init__(
        self, sessions: Sessions, bot: Bot, server: Server, commitment_id: int, concurrency: int, paced: bool = True
    ) -> None:
        self.paced = paced
        self.sessions = sessions
        self.bot = bot
        self.server = server
        self.commitment_id = commitment_id
        self.concurrency = concurrency
        self.clock = SystemClock()
        self._conflicts = 0
        self.texts: dict[int, tuple[str, bool]] = {}

    async def outbox(self) -> OutboxRun:
        """Store a conflict, reconcile, dispatch until nothing is claimed; check what the server received."""
        await self.server.reset()
        self._conflicts += 1
        conflict_id = await add_conflict(self.sessions, self.commitment_id, self._conflicts)
        # One Dispatcher per fan-out, as in a fresh process: no per-chat pacing left over from the last round.
        dispatcher = Dispatcher(
            self.sessions,
            Sender(self.bot, per_second=PACE if self.paced else None),  # as bot.app builds it
            self.clock,
            alerting.render,
            worker=f"bench:{os.getpid()}:{self._conflicts}",
            lease=dt.timedelta(seconds=120),
            concurrency=self.concurrency,
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
        async with self.sessions() as session:
            row = await session.scalar(select(AlertRow).where(AlertRow.kind == "conflict").order_by(AlertRow.id.desc()))
        assert row is not None
        alert = outbox.alert_view(row)
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


def paced_limiter(per_second: float) -> AIORateLimiter:
    """The limiter this bench proposes for bot.app (``--limiter paced``): aiolimiter's bucket holds one request, so
    requests leave evenly, ``per_second`` a second overall and one every 3 s per group (20 a minute), with no
    burst. AIORateLimiter's own defaults hold 30 (and 20 per group): a burst of 30 and then 30 a second puts up to
    59 requests into the first second, which Telegram's limits (and Limits) answer with 429s."""
    return AIORateLimiter(
        overall_max_rate=1, overall_time_period=1 / per_second, group_max_rate=1, group_time_period=3, max_retries=0
    )


@asynccontextmanager
async def fixture(
    path: Path | str,
    chats: int,
    *,
    limiter: Limiter,
    in_process: bool,
    concurrency: int,
    paced: bool | None = None,
) -> AsyncIterator[Fanout]:
    """A seeded database at ``path`` (first reconcile done: watermark set, future milestones written), a server
    (with Telegram's limits unless the limiter is off), and the bot's Application on it. ``limiter``: "off", "app"
    (bot.app.build_application's own) or "paced" (:func:`paced_limiter`, on the Application's bot settings)."""
    limited = limiter != "off"
    paced = limited if paced is None else paced  # the Sender's overall pace: on whenever the bot's limiter is
    url = path if isinstance(path, str) else f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            async with engine.begin() as connection:
                await connection.exec_driver_sql("DROP SCHEMA public CASCADE")
                await connection.exec_driver_sql("CREATE SCHEMA public")
        await migrate(engine)
        sessions = session_factory(engine)
        clock = SystemClock()
        commitment_id = await seed(sessions, chats, clock.now())
        await reconcile(sessions, now=clock.now(), default_tz=UTC, offsets=PlanOffsets())
        settings = Settings(database_url=url, default_timezone="UTC", admin_user_ids=(), _env_file=None)  # type: ignore[call-arg]
        deps = Deps(settings=settings, sessions=sessions, clock=clock)
        server_type: type[ChildServer] | type[LoopServer] = LoopServer if in_process else ChildServer
        async with server_type(limited) as server:
            application = build_application(
                deps,
                token=server.token,
                base_url=server.base_url,
                base_file_url=server.file_url,
                rate_limit=limiter == "app",
            )
            async with application:
                if limiter != "paced":
                    yield Fanout(sessions, application.bot, server, commitment_id, concurrency, paced)
                    return
                app_bot = application.bot
                paced_bot = ExtBot(
                    app_bot.token,
                    base_url=server.base_url,
                    base_file_url=server.file_url,
                    request=HTTPXRequest(connection_pool_size=256),
                    defaults=app_bot.defaults,
                    rate_limiter=paced_limiter(settings.telegram_max_messages_per_second),
                )
                async with paced_bot:
                    yield Fanout(sessions, paced_bot, server, commitment_id, concurrency, paced)
    finally:
        await engine.dispose()


def _median_rate(chats: int, seconds: Sequence[float]) -> str:
    median = statistics.median(seconds)
    rates = [chats / s for s in seconds]
    return f"{median:8.2f} {chats / median:9.0f} {min(rates):7.0f}..{max(rates):.0f}"


async def part_a(path: Path | str, chats: int, rounds: int, concurrency: int, in_process: bool) -> bool:
    """Limiter off: alternate bare and outbox rounds; print medians and the ratio. False when a check failed."""
    async with fixture(path, chats, limiter="off", in_process=in_process, concurrency=concurrency) as fan:
        warm = await fan.outbox()  # untimed: connections, caches, the first texts
        await fan.prepare_texts()
        _, warm_bare = await fan.bare(concurrency)
        problems = [f"warm-up: {p}" for p in check(warm, chats, warm_bare.digest)]
        bare: list[float] = []
        total: list[float] = []
        dispatch: list[float] = []
        sequential: list[float] = []

        async def bare_round() -> None:
            seconds, stats = await fan.bare(concurrency)
            if stats.digest != warm_bare.digest or stats.messages != chats:
                problems.append(f"bare round: {stats.messages} messages, digest {stats.digest}")
            bare.append(seconds)

        async def outbox_round() -> None:
            run = await fan.outbox()
            problems.extend(f"outbox round {len(total) + 1}: {p}" for p in check(run, chats, warm_bare.digest))
            total.append(run.total)
            dispatch.append(run.dispatch)

        for number in range(rounds):
            steps: list[Callable[[], Awaitable[None]]] = [bare_round, outbox_round]
            for step in steps if number % 2 == 0 else reversed(steps):
                await step()
        for _ in range(max(1, rounds // 3)):
            sequential.append((await fan.bare(1))[0])

    where = "in this event loop" if in_process else "in a child process"
    print(f"(a) limiter off: {chats:,} chats, {rounds} alternating rounds, concurrency {concurrency}, server {where}")
    print(f"    {'':<32} {'median s':>8} {'msg/s':>9} {'min..max msg/s':>15}")
    print(f"    {f'bare loop, {concurrency} tasks':<32} {_median_rate(chats, bare)}")
    print(f"    {'outbox: reconcile + dispatch':<32} {_median_rate(chats, total)}")
    print(f"    {'  of which dispatch':<32} {_median_rate(chats, dispatch)}")
    print(f"    {'bare loop, sequential (reference)':<32} {_median_rate(chats, sequential)}")
    ratio = statistics.median(bare) / statistics.median(total)
    ratio_dispatch = statistics.median(bare) / statistics.median(dispatch)
    paired = sorted(b / t for b, t in zip(bare, total, strict=True))  # each round's two runs, side by side in time
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"    ratio outbox / bare (medians): {ratio:.2f}, dispatch only {ratio_dispatch:.2f}", end="")
    print(f"; per round {paired[0]:.2f}..{paired[-1]:.2f}; target >= {TARGET_RATIO}: {verdict}")
    if problems:
        print("    CHECK FAILED: " + "; ".join(problems))
    else:
        print(
            f"    checked every outbox round: {chats:,} messages, one per chat, the bare loop's texts; "
            f"{chats:,} deliveries 'sent'"
        )
    return not problems


def _hog(seconds: float) -> None:
    """One bounded CPU hog: spin until ``seconds`` have passed (the bench ends it sooner when done)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        sum(range(10_000))


async def part_b(
    path: Path | str, chats: int, concurrency: int, in_process: bool, limiter: Limiter, *, hogs: int = 0, paced: bool
) -> bool:
    """Limiter on, Telegram's limits at the server: one fan-out (beside ``hogs`` CPU hogs); print the rate, the 429s
    and how long the last chat waited against chats / 30 s."""
    context = multiprocessing.get_context("spawn")
    bound = 3 * chats / 30 + 60  # seconds: a hog never outlives a slow run by much
    spinning = [context.Process(target=_hog, args=(bound,), daemon=True) for _ in range(hogs)]
    for process in spinning:
        process.start()
    try:
        async with fixture(
            path, chats, limiter=limiter, in_process=in_process, concurrency=concurrency, paced=paced
        ) as fan:
            run = await fan.outbox()
    finally:
        for process in spinning:
            process.terminate()
            process.join(10)
    problems = check(run, chats, None)
    rate = chats / run.total
    first, last = run.stats.first, run.stats.last
    spread = last - first if first is not None and last is not None else 0.0
    arriving = (run.stats.messages - 1) / spread if spread > 0 else 0.0
    which = "AIORateLimiter as bot.app builds it" if limiter == "app" else "the paced limiter proposed here"
    pace = f"Sender pace {PACE}/s" if paced else "no Sender pace"
    where = "PostgreSQL" if isinstance(path, str) else "SQLite"
    load = f", beside {hogs} CPU hog{'s' if hogs != 1 else ''}" if hogs else ""
    print(f"(b) limiter on ({which}; {pace}), Telegram's limits at the server: {chats:,} chats on {where}{load}")
    print(
        f"    {rate:.1f} msg/s over the fan-out ({run.total:.1f} s, reconcile included); "
        f"{arriving:.1f} msg/s first to last arrival at the server; 429s answered: {run.stats.rejected}"
    )
    ideal = chats / 30
    met = report(TARGETS["429"], run.stats.rejected, indent="    ")
    if not hogs:
        met &= report(TARGETS["rate"], rate, indent="    ")
    met &= report(
        Target(f"last chat reached, within 5 % of {chats:,} / 30 s", ideal * 1.05, "s"), run.total, indent="    "
    )
    print(f"    never faster than the limit: {'yes' if arriving <= 30.0 else 'NO'} ({arriving:.2f} msg/s ≤ 30)")
    if problems:
        print("    CHECK FAILED: " + "; ".join(problems))
    return not problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fanout", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chats", type=int, default=2000, help="chats in part (a) (default 2000)")
    parser.add_argument("--limited-chats", type=int, default=1000, help="chats in part (b) (default 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each loop in part (a) (default 5)")
    parser.add_argument(
        "--concurrency", type=int, default=CONCURRENCY, help=f"send tasks, both paths (default {CONCURRENCY})"
    )
    parser.add_argument("--part", choices=("a", "b", "both"), default="both")
    parser.add_argument("--in-process", action="store_true", help="serve the Bot API from the bot's event loop")
    parser.add_argument(
        "--limiter",
        choices=("app", "paced", "both"),
        default="app",
        help="part (b): bot.app's limiter (default), the paced one proposed for it, or one run of each",
    )
    parser.add_argument("--hog", type=int, default=1, help="part (b) again beside N CPU hogs (default 1; 0: not)")
    parser.add_argument("--pacer", choices=("on", "off", "both"), default="on", help="the Sender's overall pace")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    args = parser.parse_args(argv)
    # With max_retries=0, AIORateLimiter logs every 429 with a traceback; part (b) counts them instead.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load} (the figures move with it: compare medians, not single runs)")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        places: list[Path | str] = []
        if args.backend in ("sqlite", "both"):
            places.append(Path(tmp))
        if args.backend in ("postgresql", "both"):
            url = pg_url("bench_fanout")
            if url is None:
                print("PostgreSQL: no server answers on 127.0.0.1:5432; skipped")
            else:
                places.append(url)
        pacers = [True, False] if args.pacer == "both" else [args.pacer == "on"]
        for place in places:
            where = "PostgreSQL" if isinstance(place, str) else "SQLite"
            if args.part in ("a", "both"):
                print(f"on {where}:")
                path = place if isinstance(place, str) else place / "fanout-a.sqlite3"
                ok &= asyncio.run(part_a(path, args.chats, args.rounds, args.concurrency, args.in_process))
            if args.part in ("b", "both"):
                limiters: list[Limiter] = ["app", "paced"] if args.limiter == "both" else [args.limiter]
                for limiter, hogs, paced in itertools.product(limiters, sorted({0, args.hog}), pacers):
                    path = place if isinstance(place, str) else place / f"fanout-b-{limiter}-{hogs}-{paced}.sqlite3"
                    ok &= asyncio.run(
                        part_b(
                            path, args.limited_chats, args.concurrency, args.in_process, limiter, hogs=hogs, paced=paced
                        )
                    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
