"""Milestone latency: how long after a milestone falls due its message reaches the Bot API, over a replayed month.

Run: ``.venv/bin/python -m bench.milestones`` (``--help`` for sizes). A fresh SQLite file holds ``--commitments``
commitments whose milestones (start, halfway, 3 and 1 days before the end, end; a due day and the day before it)
fall in the month, most published before it and a fifth during it (a few days before they start, so news coming
out on the replay clock is part of the run), and ``--chats`` private chats in six zones subscribed to everything
since before the month. The real bot — :func:`bot.app.running`, its alert scheduler, dispatcher and Sender — runs
on a replay clock (:class:`schedules.clock.ReplayClock`) that covers the month in ``--seconds`` real seconds,
against the loopback Bot API (:class:`bot.localapi.LocalBotApi`, in this event loop, with Telegram's limits).

For every milestone delivery due in the month the delay is the real time from the instant the replay clock showed
its due moment to the arrival at the server of the message that carried it (deliveries of one chat due in the same
minute share a message). Articles give days, so most milestones fall at a chat's midnight: one message per chat
per day, about 1.4 real seconds apart at the default speed. Instants closer together than the Sender's one second
per chat would be held back by it, which a month squeezed into a minute would then measure instead of the
scheduler.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.settings import Settings
from articles.model import iso
from bench.chats import ZONES, chat_rows
from bench.targets import Target, report
from bot.app import build_application, running
from bot.context import Deps
from bot.localapi import Limits, LocalBotApi
from schedules.clock import ReplayClock
from storage.db import create_engine, migrate, session_factory
from storage.models import AlertRow, ArticleRow, ChatRow, CommitmentRow, CommitmentSourceRow, DeliveryRow
from tracking.model import moment_utc

Sessions = async_sessionmaker[AsyncSession]

MONTH = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)
DAYS = 31
LEAD = dt.timedelta(hours=18)  # the clock starts this long before the month: start-up and the first reconcile
FIRST_CHAT = 800_000_001
TARGET = Target("milestone reaches its chats after due, p95 over a replayed month", 1000.0, "ms")
PERIODS = ("ceasefire", "strike_halt", "maritime_ceasefire", "withdrawal")
ONE_OFFS = ("prisoner_exchange", "release", "negotiations")


@dataclass(frozen=True, slots=True)
class Delay:
    chat_id: int
    due: dt.datetime  # on the replay clock
    ms: float


async def seed(sessions: Sessions, commitments: int, chats: int, rng: random.Random) -> None:
    """Chats subscribed just before the clock starts (so nothing is owed from before); commitments with milestones
    in the month (module doc)."""
    since = MONTH - LEAD - dt.timedelta(hours=1)
    chats_seeded = chat_rows(chats, since, first_id=FIRST_CHAT)
    first = MONTH.date()
    articles: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    for cid in range(1, commitments + 1):
        during = rng.random() < 0.2
        if during:  # news that comes out in the month, two to five days before the commitment begins
            published = MONTH + dt.timedelta(days=rng.uniform(0, DAYS - 12), hours=rng.randint(6, 20))
            begins = published.date() + dt.timedelta(days=rng.randint(2, 5))
        else:
            begins = first + dt.timedelta(days=rng.randint(-25, DAYS - 3))
            published = dt.datetime.combine(min(begins, first) - dt.timedelta(days=rng.randint(1, 5)), dt.time(9))
            published = published.replace(tzinfo=dt.UTC)
        kind = rng.choice(PERIODS if rng.random() < 0.65 else ONE_OFFS)
        start = end = due = None
        duration = None
        if kind in PERIODS:
            start = begins
            duration = rng.choice((4, 6, 14, 30, 42))  # even: halfway falls on a midnight too
            end = start + dt.timedelta(days=duration)
        else:
            due = max(begins, published.date() + dt.timedelta(days=2))
        fields = {
            "start": iso(start),
            "end": iso(end),
            "due": iso(due),
            "duration_days": duration,
            "quantity": rng.choice((None, 23, 175)) if kind in ("prisoner_exchange", "release") else None,
            "status": "agreed",
        }
        articles.append(
            {
                "id": cid,
                "content_hash": f"bench-milestones-{cid}",
                "path": f"bench/milestones/{cid}.txt",
                "language": "en",
                "title": f"Parties agree to {kind.replace('_', ' ')} number {cid}",
                "published": iso(published),
                "published_utc": moment_utc(published),
                "loaded_at": since,
            }
        )
        actors = rng.sample(["Russia", "Ukraine", "Israel", "Hamas", "Hezbollah"], 2)
        rows.append(
            {
                "id": cid,
                "kind": kind,
                "actors": actors,
                "scope": None,
                "conditions": [],
                **fields,
                "start_utc": None if start is None else moment_utc(start),
                "end_utc": None if end is None else moment_utc(end),
                "due_utc": None if due is None else moment_utc(due),
                "created_at": since,
                "updated_at": since,
            }
        )
        sources.append(
            {
                "commitment_id": cid,
                "article_id": cid,
                "actors": actors,
                "scope": None,
                "conditions": [],
                **fields,
                "evidence": f"The sides agreed on commitment {cid}.",
            }
        )
    async with sessions() as session, session.begin():
        for table, data in ((ChatRow, chats_seeded), (ArticleRow, articles), (CommitmentRow, rows)):
            await session.execute(insert(table), data)
        await session.execute(insert(CommitmentSourceRow), sources)


async def delivered(sessions: Sessions) -> list[tuple[int, dt.datetime, str, int | None, int | None]]:
    """(chat, due on the replay clock, state, message id, chat it went to) of every milestone delivery due in the
    month."""
    end = MONTH + dt.timedelta(days=DAYS)
    async with sessions() as session:
        rows = await session.execute(
            select(
                DeliveryRow.chat_id,
                DeliveryRow.due_at,
                DeliveryRow.state,
                DeliveryRow.message_id,
                DeliveryRow.sent_to_chat,
            )
            .join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
            .where(AlertRow.kind == "milestone", DeliveryRow.due_at >= MONTH, DeliveryRow.due_at < end)
        )
        return [(int(c), due.astimezone(dt.UTC), state, m, s) for c, due, state, m, s in rows]


@dataclass(frozen=True, slots=True)
class Replay:
    """What one replayed month gave: the delay of every milestone delivery sent, how many due in the month were
    not sent, the 429s the server answered, the messages it received and the clock's speed."""

    delays: list[Delay]
    missing: int
    rejected: int
    messages: int
    speed: float


async def replay(path: Path, commitments: int, chats: int, seconds: float, seed_value: int) -> Replay:
    """Seed, run the bot over the month (module doc) and match every delivery to the message that carried it."""
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    try:
        await migrate(engine)
        sessions = session_factory(engine)
        await seed(sessions, commitments, chats, random.Random(seed_value))
        speed = (DAYS * 86400 + LEAD.total_seconds()) / seconds
        settings = Settings(database_url=url, default_timezone="UTC", admin_user_ids=(), _env_file=None)  # type: ignore[call-arg]
        clock = ReplayClock(MONTH - LEAD, speed=speed)
        # The real instant (time.monotonic, as the clock and the server's Call.at use) the clock shows MONTH - LEAD.
        origin = time.monotonic() - (clock.now() - (MONTH - LEAD)).total_seconds() / speed
        deps = Deps(settings=settings, sessions=sessions, clock=clock)
        async with LocalBotApi() as api:
            api.limits = Limits()
            application = build_application(deps, token=api.token, base_url=api.base_url, base_file_url=api.file_url)
            async with running(application, poll_timeout=1.0):
                # Until the month is over on the clock, then until every delivery due in it left (bounded).
                await asyncio.sleep(clock.real_seconds_until(MONTH + dt.timedelta(days=DAYS)))
                for _ in range(100):  # 20 s at most
                    if all(state == "sent" for _, _, state, *_ in await delivered(sessions)):
                        break
                    await asyncio.sleep(0.2)
            arrived = {
                (int(call.params["chat_id"]), int(call.result["message_id"])): call
                for call in api.calls
                if call.method == "sendMessage" and isinstance(call.result, dict)
            }
            rejected = api.limits.rejected
        delays: list[Delay] = []
        missing = 0
        for chat_id, due, state, message_id, sent_to in await delivered(sessions):
            call = arrived.get((sent_to or chat_id, message_id or 0))
            if state != "sent" or call is None:
                missing += 1
                continue
            due_real = origin + (due - (MONTH - LEAD)).total_seconds() / speed
            delays.append(Delay(chat_id, due, (call.at - due_real) * 1000))
        return Replay(delays, missing, rejected, len(arrived), speed)
    finally:
        await engine.dispose()


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.milestones", description=__doc__.splitlines()[0])
    parser.add_argument("--commitments", type=int, default=80)
    parser.add_argument("--chats", type=int, default=24, help="private chats, in six zones (default 24)")
    parser.add_argument("--seconds", type=float, default=50.0, help="real seconds the month takes (default 50)")
    parser.add_argument("--seed", type=int, default=20250501)
    args = parser.parse_args(argv)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        run = asyncio.run(
            replay(Path(tmp) / "bench-milestones.sqlite3", args.commitments, args.chats, args.seconds, args.seed)
        )
        took = time.perf_counter() - began
    delays, missing, rejected, messages, speed = run.delays, run.missing, run.rejected, run.messages, run.speed
    ms = sorted(d.ms for d in delays)
    print(
        f"milestones: {args.commitments} commitments, {args.chats} chats in {len(ZONES)} zones, May 2025 replayed at "
        f"{speed:,.0f}× (1 real s = {speed / 3600:.1f} clock hours) in {took:.0f} s; SQLite, Telegram's limits"
    )
    if not ms:
        print("    no milestone was delivered")
        report(TARGET, float("inf"), indent="    ", why="nothing delivered")
        return 1
    over = sum(1 for value in ms if value > TARGET.limit)
    print(
        f"    {len(ms):,} milestone deliveries due in the month, {messages:,} messages; over {TARGET.limit:g} ms: "
        f"{over}; not sent: {missing}; 429s answered: {rejected}"
    )
    print(
        f"    delay after due: p50 {statistics.median(ms):.0f} ms   p95 {_quantile(ms, 0.95):.0f} ms   "
        f"p99 {_quantile(ms, 0.99):.0f} ms   max {ms[-1]:.0f} ms   min {ms[0]:.0f} ms"
    )
    met = report(TARGET, _quantile(ms, 0.95), indent="    ")
    if missing or rejected:
        print(f"    CHECK FAILED: {missing} deliveries not sent, {rejected} × 429")
    return 0 if met and not missing and not rejected else 1


if __name__ == "__main__":
    sys.exit(main())
