"""`ceasefire-watch run` at 10,000 commitments: time to polling, the first /status while the first reconcile runs,
and the resident memory once it is idle; on SQLite and (when a server answers) PostgreSQL.

Run: ``.venv/bin/python -m bench.startup`` (``--help`` for sizes). The database is the one bench.status builds
(10,000 commitments, 100,000 reports) plus ``--chats`` chats following everything in six zones, so the first
reconcile plans every commitment for every zone. Before each start the scheduler's state, alerts and deliveries
are emptied: every start is a first-ever one, the worst case. The bot runs as its own process (``python -m
app.cli run``) against :class:`bot.localapi.LocalBotApi` in this one, and this process times:

* start → polling: from the process being spawned to its first ``getUpdates``;
* first /status: pushed the moment polling starts, from the push to the bot's ``sendMessage``; then one /status
  every 0.25 s until the first reconcile has stored its signatures (the worst of those is "during reconcile");
* idle RSS: VmRSS of the bot's process two seconds after that reconcile and ten warm /status (and VmHWM, the peak).

``--baseline DIR`` runs the code in DIR (e.g. a ``git archive`` of the last commit) the same way, alternating with
this tree, so both see the same machine load; the ratios are this tree / the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import status as status_bench
from bench.chats import chat_rows
from bench.targets import Target, add_backend, fresh_schema, postgres, report
from bot.localapi import Call, Chat, LocalBotApi, User
from storage.db import create_engine
from storage.models import AlertRow, ChatRow, DeliveryRow, SchedulerStateRow

ROOT = Path(__file__).resolve().parent.parent
USER = User(4242, "Bench", "en")
CHAT = Chat(4242)
FIRST_CHAT = 800_000_001
START_TIMEOUT = 60.0
RECONCILE_TIMEOUT = 180.0
TARGETS = {
    "polling": Target("start → polling", 2.0, "s"),
    "first": Target("first /status after polling", 300.0, "ms"),
    "during": Target("worst /status during first reconcile", 300.0, "ms"),
    "rss": Target("idle RSS", 150.0, "MB"),
}


def seeded_chats(chats: int) -> list[dict[str, Any]]:
    return chat_rows(chats, status_bench.NOW, first_id=FIRST_CHAT, quiet_hours=False)


async def build_postgres(url: str, commitments: int, reports: int, chats: int) -> None:
    """The same rows as bench.status.build, in a PostgreSQL database emptied first."""
    engine = create_engine(url)
    try:
        await fresh_schema(engine)
        rows = status_bench.generate(commitments, reports)
        async with engine.begin() as connection:
            for table, data in status_bench.tables(rows):
                for chunk in status_bench.chunks(data):
                    await connection.execute(table.insert(), chunk)
            if chats:  # an empty list would insert one row of defaults
                await connection.execute(sa.insert(ChatRow), seeded_chats(chats))
            for name in ("articles", "commitments", "commitment_sources", "reports", "conflicts"):
                await connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"
                )
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.exec_driver_sql("ANALYZE")
    finally:
        await engine.dispose()


def build_sqlite(path: Path, commitments: int, reports: int, chats: int) -> None:
    status_bench.build(path, commitments, reports)
    sync = sa.create_engine(f"sqlite:///{path}")
    with sync.begin() as connection:
        connection.execute(ChatRow.__table__.insert(), seeded_chats(chats))  # type: ignore[attr-defined]
    sync.dispose()


async def forget_alerts(engine: AsyncEngine) -> None:
    """As if the bot had never run on this database: no scheduler state, alerts or deliveries."""
    async with engine.begin() as connection:
        for table in (DeliveryRow, AlertRow, SchedulerStateRow):
            await connection.execute(sa.delete(table))


async def reconciled(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        found = await connection.scalar(sa.select(sa.func.count()).where(SchedulerStateRow.key == "plan_signatures"))
    return bool(found)


def rss_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of ``pid`` in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


@dataclass
class Start:
    polling: float = 0.0  # s
    first: float = 0.0  # ms
    during: list[float] = field(default_factory=list)  # ms
    reconcile: float = 0.0  # s from polling to the signatures stored
    rss: float = 0.0
    hwm: float = 0.0


class Watch:
    """What the bench needs from the server's calls: when polling started, when a reply reached the user."""

    def __init__(self, api: LocalBotApi) -> None:
        self.polling = asyncio.Event()
        self.polled_at = 0.0
        self.replies: asyncio.Queue[float] = asyncio.Queue()
        api.on_call = self.seen

    def seen(self, call: Call) -> None:
        if call.method == "getUpdates" and not self.polling.is_set():
            self.polled_at = time.perf_counter()
            self.polling.set()
        elif call.method == "sendMessage" and call.chat_id == CHAT.id:
            self.replies.put_nowait(time.perf_counter())


async def ask(api: LocalBotApi, watch: Watch, text: str = "/status") -> float:
    while not watch.replies.empty():
        watch.replies.get_nowait()
    pushed = time.perf_counter()
    api.send_text(CHAT, USER, text)
    arrived = await asyncio.wait_for(watch.replies.get(), 60)
    return (arrived - pushed) * 1000


async def one_start(url: str, code: Path) -> Start:
    engine = create_engine(url)
    result = Start()
    try:
        await forget_alerts(engine)
        async with LocalBotApi() as api:
            watch = Watch(api)
            env = {
                **os.environ,
                "PYTHONPATH": str(code),
                "DATABASE_URL": url,
                "TELEGRAM_BOT_TOKEN": api.token,
                "TELEGRAM_API_BASE_URL": api.base_url,
                "TELEGRAM_API_FILE_URL": api.file_url,
                "DEFAULT_TIMEZONE": "UTC",
                "ADMIN_USER_IDS": "",
            }
            with tempfile.TemporaryDirectory() as cwd:
                spawned = time.perf_counter()
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "app.cli",
                    "run",
                    cwd=cwd,
                    env=env,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                )
                try:
                    await asyncio.wait_for(watch.polling.wait(), START_TIMEOUT)
                    result.polling = watch.polled_at - spawned
                    result.first = await ask(api, watch)
                    deadline = time.perf_counter() + RECONCILE_TIMEOUT
                    while not await reconciled(engine):
                        if time.perf_counter() > deadline:
                            raise TimeoutError("the first reconcile did not finish")
                        result.during.append(await ask(api, watch))
                        await asyncio.sleep(0.25)
                    result.reconcile = time.perf_counter() - watch.polled_at
                    for _ in range(10):
                        await ask(api, watch)
                        await asyncio.sleep(0.05)
                    await asyncio.sleep(2.0)
                    result.rss, result.hwm = rss_mb(process.pid)
                finally:
                    if process.returncode is None:
                        process.terminate()
                        try:
                            await asyncio.wait_for(process.wait(), 20)
                        except TimeoutError:
                            process.kill()
                            await process.wait()
    finally:
        await engine.dispose()
    result.during = result.during or [result.first]
    return result


def summarise(label: str, starts: list[Start]) -> dict[str, float]:
    figures = {
        "polling": statistics.median(s.polling for s in starts),
        "first": statistics.median(s.first for s in starts),
        "during": statistics.median(max(s.during) for s in starts),
        "rss": statistics.median(s.rss for s in starts),
        "hwm": statistics.median(s.hwm for s in starts),
        "reconcile": statistics.median(s.reconcile for s in starts),
    }
    print(
        f"    {label:<10} start→polling {figures['polling']:5.2f} s   first /status {figures['first']:7.1f} ms   "
        f"worst during reconcile {figures['during']:7.1f} ms   reconcile {figures['reconcile']:5.1f} s   "
        f"idle RSS {figures['rss']:5.0f} MB (peak {figures['hwm']:.0f})"
    )
    return figures


async def compare(url: str, rounds: int, baseline: Path | None) -> dict[str, float]:
    codes: list[tuple[str, Path]] = [("this tree", ROOT)]
    if baseline is not None:
        codes.append(("baseline", baseline))
    starts: dict[str, list[Start]] = {label: [] for label, _ in codes}
    for number in range(rounds):
        for label, code in codes if number % 2 == 0 else list(reversed(codes)):
            starts[label].append(await one_start(url, code))
    mine = summarise("this tree", starts["this tree"])
    if baseline is not None:
        theirs = summarise("baseline", starts["baseline"])
        ratios = "   ".join(f"{k} {mine[k] / theirs[k]:.2f}" for k in ("polling", "first", "during", "rss"))
        print(f"    ratio this tree / baseline: {ratios}")
    return mine


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.splitlines()[0])
    status_bench.add_size_options(parser)
    parser.add_argument("--chats", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3, help="starts of each code (default 3)")
    parser.add_argument("--baseline", type=Path, help="a tree of the code to compare with")
    add_backend(parser, "both")
    args = parser.parse_args(argv)
    met = True
    with tempfile.TemporaryDirectory() as tmp:
        backends: list[tuple[str, str]] = []
        if args.backend in ("sqlite", "both"):
            path = Path(tmp) / "bench-startup.sqlite3"
            build_sqlite(path, args.commitments, args.reports, args.chats)
            backends.append(("SQLite", f"sqlite+aiosqlite:///{path}"))
        if (url := postgres(args.backend, "bench_startup")) is not None:
            asyncio.run(build_postgres(url, args.commitments, args.reports, args.chats))
            backends.append(("PostgreSQL", url))
        for name, url in backends:
            print(f"start-up on {name}: {args.commitments:,} commitments, {args.reports:,} reports, {args.chats} chats")
            figures = asyncio.run(compare(url, args.rounds, args.baseline))
            for key, target in TARGETS.items():
                met &= report(target, figures[key], indent="    ")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
