"""/status round trip at scale: 10,000 commitments, 100,000 reports in SQLite, the real bot on loopback.

Run: ``.venv/bin/python -m bench.status`` (``--help`` for sizes). It builds the database with bulk inserts
(deterministic seed, a realistic spread of kinds, dates, states, extra sources and conflicts), starts the real
``Application`` against :class:`bot.localapi.LocalBotApi` and times, from the user's message being pushed to the
bot's ``sendMessage`` arriving: /help (baseline: the same path without commitment data), /status (the list), and
/status ID (one commitment in detail). /status is timed warm (the prepared timelines cached for the data version)
and cold (before each request another connection writes what a `ceasefire-watch load` elsewhere would: an article
with a report that changes a commitment's state, every other time a new commitment too; so the cache must be
brought up to date). Beside them, untimed by a target: preparing the list for a zone no chat asked for before
(every commitment's timeline made; what a cold request cost before only changed commitments were prepared again).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.settings import Settings
from articles.model import ONE_OFF_KINDS, iso
from bench.targets import Target, add_backend, postgres, report
from bot import service
from bot.app import build_application, register_commands
from bot.context import Deps
from bot.localapi import Call, Chat, LocalBotApi, User
from schedules.clock import ReplayClock
from storage.db import create_engine, migrate, session_factory
from storage.models import ArticleRow, Base, CommitmentRow, CommitmentSourceRow, ReportRow
from tracking.model import moment_utc

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
SEED = 20250318
KINDS = (
    ("ceasefire", 25),
    ("strike_halt", 10),
    ("maritime_ceasefire", 5),
    ("prisoner_exchange", 15),
    ("release", 10),
    ("withdrawal", 10),
    ("negotiations", 15),
    ("other", 10),
)
REPORT_KINDS = (
    ("violation", 38),
    ("compliance", 10),
    ("fulfilment", 6),
    ("expiry", 4),
    ("extension", 3),
    ("denial", 12),
    ("reaction", 27),
)
STATUSES = (("proposed", 10), ("announced", 40), ("agreed", 20), ("in_force", 30))
PARTIES = ("Russia", "Ukraine", "Israel", "Hamas", "Hezbollah", "United States", "Lebanon", "Qatar")
USER = User(4242, "Bench", "en")
PAUSE = 0.05  # seconds between requests
CHAT = Chat(4242)
TARGETS = {
    "/status": Target("/status p95 (warm)", 50.0, "ms"),
    "/status ID": Target("/status ID p95", 50.0, "ms"),
    "/status cold": Target("/status p95 (cold: data changed before each)", 300.0, "ms"),
}


def add_size_options(parser: argparse.ArgumentParser) -> None:
    """The size of :func:`generate`'s database; bench.startup starts the bot on the same one."""
    parser.add_argument("--commitments", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=100_000)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


@dataclass(slots=True)
class Rows:
    """Every row to insert, by table, ids assigned here so the bulk inserts need no round trips."""

    articles: list[dict[str, Any]]
    commitments: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    reports: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    conflict_reports: list[dict[str, Any]]
    conflict_articles: list[dict[str, Any]]


def generate(commitments: int, reports: int, seed: int = SEED) -> Rows:
    """Deterministic rows around ``NOW``: first publications over two years (a few after NOW, so not yet known),
    30 % with a second and 8 % with a third source (some with another start), reports dated around their
    commitment and published up to two days later, 5 % unlinked, and conflicts of three kinds."""
    rng = random.Random(seed)
    rows = Rows([], [], [], [], [], [], [])
    loaded = NOW

    def article(published: dt.datetime | dt.date, title: str) -> int:
        article_id = len(rows.articles) + 1
        rows.articles.append(
            {
                "id": article_id,
                "content_hash": f"bench-{article_id}",
                "path": f"bench/{article_id}.txt",
                "language": rng.choice(("en", "de")),
                "title": title,
                "published": iso(published),
                "published_utc": moment_utc(published),
                "loaded_at": loaded,
            }
        )
        return article_id

    def publication(at: dt.datetime) -> dt.datetime | dt.date:
        return at.date() if rng.random() < 0.1 else at.replace(second=0, microsecond=0)

    spans: list[tuple[int, str, dt.date, list[int], dt.date | None]] = []
    for cid in range(1, commitments + 1):
        kind = _pick(rng, KINDS)
        first = NOW - dt.timedelta(days=rng.uniform(-20, 720))
        day = first.date()
        start = end = due = None
        duration = None
        if kind in ONE_OFF_KINDS:
            due = None if rng.random() < 0.1 else day + dt.timedelta(days=rng.randint(0, 14))
        else:
            start = day + dt.timedelta(days=rng.randint(-2, 10)) if rng.random() < 0.9 else None
            duration = rng.choice((3, 30, 42, 60, None))
            end = start + dt.timedelta(days=duration) if start is not None and duration is not None else None
        quantity = rng.choice((None, None, 23, 175, 1000)) if kind in ("prisoner_exchange", "release") else None
        status = _pick(rng, STATUSES)
        actors = rng.sample(PARTIES, rng.randint(1, 2))
        rows.commitments.append(
            {
                "id": cid,
                "kind": kind,
                "actors": actors,
                "scope": None,
                "conditions": ["if the other side does the same"] if status == "proposed" else [],
                "start": iso(start),
                "end": iso(end),
                "due": iso(due),
                "start_utc": None if start is None else moment_utc(start),
                "end_utc": None if end is None else moment_utc(end),
                "due_utc": None if due is None else moment_utc(due),
                "duration_days": duration,
                "quantity": quantity,
                "status": status,
                "created_at": loaded,
                "updated_at": loaded,
            }
        )
        extra = 2 if rng.random() < 0.08 else 1 if rng.random() < 0.33 else 0
        source_articles = []
        for n in range(1 + extra):
            published = first + dt.timedelta(days=rng.uniform(0, 10) if n else 0)
            aid = article(publication(published), f"Commitment {cid}, source {n + 1}")
            source_articles.append(aid)
            shifted = start + dt.timedelta(days=7) if n and start is not None and rng.random() < 0.1 else start
            rows.sources.append(
                {
                    "commitment_id": cid,
                    "article_id": aid,
                    "actors": actors,
                    "scope": None,
                    "conditions": [],
                    "start": iso(shifted),
                    "end": iso(end),
                    "due": iso(due),
                    "duration_days": duration,
                    "quantity": quantity,
                    "status": status if n == extra else rng.choice(("announced", status)),
                    "evidence": f"Evidence for {cid}",
                }
            )
            if shifted != start and len(rows.conflicts) < commitments // 3:
                conflict_id = len(rows.conflicts) + 1
                rows.conflicts.append(_conflict(conflict_id, cid, "date_disagreement", loaded))
                rows.conflict_articles += [
                    {"conflict_id": conflict_id, "article_id": source_articles[0], "position": 0},
                    {"conflict_id": conflict_id, "article_id": aid, "position": 1},
                ]
        spans.append((cid, kind, start or due or day, source_articles, end))

    report_id = 0
    while report_id < reports:
        cid, kind, begins, source_articles, end = rng.choice(spans)
        batch = rng.randint(1, 5)
        published = dt.datetime.combine(begins, dt.time(rng.randint(6, 22)), dt.UTC) + dt.timedelta(
            days=rng.randint(0, 40)
        )
        aid = article(publication(published), f"Reports on commitment {cid}")
        violation: int | None = None
        for _ in range(min(batch, reports - report_id)):
            report_id += 1
            report_kind = _pick(rng, REPORT_KINDS)
            when = None if rng.random() < 0.1 else (published - dt.timedelta(days=rng.randint(0, 2))).date()
            linked = rng.random() >= 0.05
            rows.reports.append(
                {
                    "id": report_id,
                    "article_id": aid,
                    "commitment_id": cid if linked else None,
                    "kind": report_kind,
                    "about": kind,
                    "accused": [rng.choice(PARTIES)] if report_kind == "violation" else [],
                    "claimed_by": rng.choice(PARTIES),
                    "date": when,
                    "quantity": rng.choice((None, 22)) if report_kind == "fulfilment" else None,
                    "evidence": f"Report {report_id} on commitment {cid}",
                }
            )
            if not linked or len(rows.conflicts) >= commitments // 3 or rng.random() > 0.08:
                continue
            conflict_id = len(rows.conflicts) + 1
            if report_kind == "violation":
                violation = report_id
                rows.conflicts.append(_conflict(conflict_id, cid, "violation_in_force", loaded))
                rows.conflict_reports.append({"conflict_id": conflict_id, "report_id": report_id})
                cited = [aid, *source_articles]
                rows.conflict_articles += [
                    {"conflict_id": conflict_id, "article_id": a, "position": n} for n, a in enumerate(cited)
                ]
            elif report_kind == "denial" and violation is not None:
                rows.conflicts.append(_conflict(conflict_id, cid, "claim_denied", loaded))
                rows.conflict_reports += [
                    {"conflict_id": conflict_id, "report_id": violation},
                    {"conflict_id": conflict_id, "report_id": report_id},
                ]
                rows.conflict_articles.append({"conflict_id": conflict_id, "article_id": aid, "position": 0})
    return rows


def _conflict(conflict_id: int, commitment_id: int, kind: str, at: dt.datetime) -> dict[str, Any]:
    return {
        "id": conflict_id,
        "commitment_id": commitment_id,
        "kind": kind,
        "key": f"bench:{conflict_id}",
        "summary": f"Bench conflict {conflict_id} ({kind})",
        "created_at": at,
    }


def chunks(rows: list[dict[str, Any]], size: int = 5000) -> Iterator[list[dict[str, Any]]]:
    for index in range(0, len(rows), size):
        yield rows[index : index + size]


def tables(rows: Rows) -> list[tuple[sa.Table, list[dict[str, Any]]]]:
    """The generated rows by table, in the order foreign keys need."""
    table = Base.metadata.tables
    return [
        (table["articles"], rows.articles),
        (table["commitments"], rows.commitments),
        (table["commitment_sources"], rows.sources),
        (table["reports"], rows.reports),
        (table["conflicts"], rows.conflicts),
        (table["conflict_reports"], rows.conflict_reports),
        (table["conflict_articles"], rows.conflict_articles),
    ]


async def _migrate(path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await migrate(engine)
    finally:
        await engine.dispose()


def build(path: Path, commitments: int, reports: int, seed: int = SEED) -> Rows:
    """A migrated SQLite file at ``path`` holding the generated rows (bulk inserts in one transaction)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    asyncio.run(_migrate(path))
    rows = generate(commitments, reports, seed)
    sync = sa.create_engine(f"sqlite:///{path}")
    with sync.begin() as connection:
        for table, data in tables(rows):
            for chunk in chunks(data):
                connection.execute(table.insert(), chunk)
    with sync.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    sync.dispose()
    return rows


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    return f"p50 {median:7.1f} ms   p95 {p95:7.1f} ms   max {ordered[-1]:7.1f} ms   (n={len(ordered)})"


class RoundTrips:
    """Times user message pushed → the bot's sendMessage received, one request at a time."""

    def __init__(self, api: LocalBotApi) -> None:
        self.api = api
        self.arrived: asyncio.Queue[float] = asyncio.Queue()
        api.on_call = self._seen

    def _seen(self, call: Call) -> None:
        if call.method == "sendMessage" and call.chat_id == CHAT.id:
            self.arrived.put_nowait(time.perf_counter())

    async def once(self, text: str) -> float:
        while not self.arrived.empty():
            self.arrived.get_nowait()
        pushed = time.perf_counter()
        self.api.send_text(CHAT, USER, text)
        arrived = await asyncio.wait_for(self.arrived.get(), 30)
        # Like a user, not a flood: the bot's rate limiter (Telegram's ~30 messages/s) would otherwise pace the
        # replies and every command would measure ~33 ms, whatever its data path costs.
        await asyncio.sleep(PAUSE)
        return (arrived - pushed) * 1000

    async def many(self, texts: list[str]) -> list[float]:
        return [await self.once(text) for text in texts]


def _bump_elsewhere(url: str, n: int, commitment_id: int) -> None:
    """:func:`_bump` in a worker process, as a `ceasefire-watch load` elsewhere would write it (its garbage is not
    the bot's to collect)."""
    asyncio.run(_bump(url, n, commitment_id))


async def _bump(url: str, n: int, commitment_id: int) -> None:
    """What another process's `ceasefire-watch load` writes: one article with a fulfilment report on a known
    commitment (its state changes), and every other time a new commitment in force from that article too."""
    engine = create_engine(url)
    day = NOW.date() - dt.timedelta(days=1)
    try:
        async with engine.begin() as connection:
            article = await connection.scalar(
                sa.insert(ArticleRow).returning(ArticleRow.id),
                {
                    "content_hash": f"bump-{n}",
                    "path": f"bump/{n}.txt",
                    "language": "en",
                    "title": f"Later story {n}",
                    "published": iso(day),
                    "published_utc": moment_utc(day),
                    "loaded_at": NOW,
                },
            )
            await connection.execute(
                sa.insert(ReportRow),
                {
                    "article_id": article,
                    "commitment_id": commitment_id,
                    "kind": "fulfilment",
                    "about": "prisoner_exchange",
                    "accused": [],
                    "claimed_by": "Ukraine",
                    "date": day,
                    "quantity": None,
                    "evidence": f"Later report {n}",
                },
            )
            if n % 2:
                return
            fields = {"actors": ["Russia"], "scope": None, "conditions": [], "start": iso(day), "end": None}
            fields |= {"due": None, "duration_days": None, "quantity": None, "status": "in_force"}
            commitment = await connection.scalar(
                sa.insert(CommitmentRow).returning(CommitmentRow.id),
                {"kind": "ceasefire", **fields, "start_utc": moment_utc(day), "created_at": NOW, "updated_at": NOW},
            )
            await connection.execute(
                sa.insert(CommitmentSourceRow),
                {"commitment_id": commitment, "article_id": article, **fields, "evidence": f"Truce {n}"},
            )
    finally:
        await engine.dispose()


async def measure(url: str, commitments: int, rounds: int, warmup: int, cold: int, seed: int) -> dict[str, list[float]]:
    """Start the bot on the database at ``url`` (``commitments`` of them) and time each command; returns the
    samples in ms by label."""
    settings = Settings(
        database_url=url,
        default_timezone="UTC",
        admin_user_ids=(),
        _env_file=None,  # type: ignore[call-arg]
    )
    engine = create_engine(settings.database_url)
    rng = random.Random(seed)
    results: dict[str, list[float]] = {}
    try:
        deps = Deps(settings=settings, sessions=session_factory(engine), clock=ReplayClock(NOW, speed=60.0))
        async with LocalBotApi() as api:
            application = build_application(deps, token=api.token, base_url=api.base_url, base_file_url=api.file_url)
            async with application:
                await register_commands(application)
                await application.start()
                assert application.updater is not None
                await application.updater.start_polling(timeout=1, poll_interval=0.0)
                try:
                    trips = RoundTrips(api)
                    await trips.many(["/start", "/help", "/status", *(["/status", "/help"] * warmup)])
                    # Interleaved, so both see the same machine load (2 cores may be shared).
                    help_samples: list[float] = []
                    status_samples: list[float] = []
                    for _ in range(rounds):
                        help_samples.append(await trips.once("/help"))
                        status_samples.append(await trips.once("/status"))
                    results["/help"] = help_samples
                    results["/status"] = status_samples
                    ids = [rng.randint(1, commitments) for _ in range(rounds)]
                    results["/status ID"] = await trips.many([f"/status {i}" for i in ids])
                    cold_samples = []
                    with multiprocessing.get_context("spawn").Pool(1) as other:
                        for n in range(cold):
                            await asyncio.to_thread(other.apply, _bump_elsewhere, (url, n, rng.randint(1, commitments)))
                            cold_samples.append(await trips.once("/status"))
                    results["/status cold"] = cold_samples
                    # The one path still preparing every commitment: a zone no chat asked for since the start.
                    fresh = []
                    for hours in range(1, 6):
                        began = time.perf_counter()
                        await service.timelines(deps.sessions, ZoneInfo(f"Etc/GMT-{hours}"))
                        fresh.append((time.perf_counter() - began) * 1000)
                    results["new zone"] = fresh
                finally:
                    await application.updater.stop()
                    await application.stop()
    finally:
        await engine.dispose()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.status", description=__doc__.splitlines()[0])
    add_size_options(parser)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--cold", type=int, default=10)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--database", type=Path, help="where to build it (default: a temporary file)")
    add_backend(parser, "both")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        places: list[tuple[str, str]] = []
        if args.backend in ("sqlite", "both"):
            path = args.database or Path(tmp) / "bench-status.sqlite3"
            began = time.perf_counter()
            rows = build(path, args.commitments, args.reports, args.seed)
            built = time.perf_counter() - began
            print(
                f"database: {len(rows.commitments):,} commitments, {len(rows.sources):,} sources, "
                f"{len(rows.reports):,} reports, {len(rows.conflicts):,} conflicts, {len(rows.articles):,} articles; "
                f"built in {built:.1f} s ({path.stat().st_size / 1e6:.0f} MB)"
            )
            places.append(("SQLite", f"sqlite+aiosqlite:///{path}"))
            del rows  # 300,000 generated rows would make every full garbage collection of the bot's process slow
        if (url := postgres(args.backend, "bench_status")) is not None:
            from bench.startup import build_postgres

            asyncio.run(build_postgres(url, args.commitments, args.reports, 0))
            places.append(("PostgreSQL", url))
        gc.collect()
        met = True
        for name, url in places:
            results = asyncio.run(measure(url, args.commitments, args.rounds, args.warmup, args.cold, args.seed))
            print(f"on {name}:")
            for label in ("/help", "/status", "/status ID", "/status cold"):
                print(f"    {label:<13} {_percentiles(results[label])}")
            print(f"    list for a zone never asked (no round trip) {_percentiles(results['new zone'])}")
            ratio = statistics.median(results["/status"]) / statistics.median(results["/help"])
            print(f"    /status ÷ /help (p50): {ratio:.2f}")
            for label, target in TARGETS.items():
                ordered = sorted(results[label])
                p95 = ordered[round(0.95 * (len(ordered) - 1))]
                met &= report(target, p95, indent="    ")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
