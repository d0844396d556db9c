"""Two `ceasefire-watch run` replicas on one PostgreSQL database: one leads, the other takes over when it dies.

Each test makes a database of its own on the TEST_DATABASE_URL server, with 2,000 private chats subscribed to
everything and one ceasefire in force, and starts two real `run` processes against the loopback Bot API served
here, each through its own base URL so the API knows who sent what (``LocalBotApi.origin_url``) and records every
message that arrives while the other process still has one in flight (``overlaps``: must stay empty). Replica A
starts first and leads; B starts once A leads and stands by. Then one conflict is logged: the leader owes its
alert to all 2,000 chats. When A has sent 900 of them, it is taken away:

* ``test_sigkill_of_the_leader`` — SIGKILL, as when its machine dies;
* ``test_leader_cut_from_its_lock_connection`` — ``pg_terminate_backend`` on the connection holding its advisory
  lock: A lives on, must stop sending within 2 s and stand by; then A's /healthz says follower, B's leader, and
  B's /metrics counts the 2,000 deliveries sent (each replica runs with --metrics-port).

B must take over within 10 s and every chat must end with the alert. Duplicates (chats with two messages) must stay
within A's in-flight window: chats A's sends reached whose delivery A's own worker never confirmed (the database
keeps which worker confirmed each delivery). Figures are printed (``pytest -s``) and recorded as test properties.

Figures of seven runs on a busy 2-core machine (loopback API at 10 ms per send, TELEGRAM_MAX_MESSAGES_PER_SECOND
1000; about 23 s per test):

* SIGKILL — A sent 899, B 1,102 to 1,147; B's first send 3.3 to 4.2 s after the kill; A's in-flight window 1 to 46
  chats and exactly that many duplicates; no overlap of senders.
* pg_terminate_backend — A's last send 0.00 to 0.03 s after the cut (its gate shuts when asyncpg sees the
  connection close); B's first send 3.2 to 4.1 s after; in-flight window 0 to 8, duplicates the same; no overlap.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import socket
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from app.leader import lock_key
from bench.chats import chat_rows
from bench.fanout_seed import Sessions, add_conflict, seed_ceasefire
from bot.localapi import Call, LocalBotApi
from storage.db import create_engine, migrate, session_factory
from storage.models import AlertRow, DeliveryRow

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL")

CHATS = 2_000
FIRST_CHAT = 7_000_001
TAKE_AWAY_AT = 900  # the leader's sendMessage on which it is taken away
LATENCY = 0.01  # seconds each sendMessage takes at the API, so sends are in flight when the leader goes
TOKEN = "987654321:AAF-leader-test-token_not-secret"


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    """A database of its own (advisory locks are per database), dropped afterwards; yields its URL."""
    server = os.environ["TEST_DATABASE_URL"]
    name = f"cw_leader_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server)
    try:
        async with admin.connect() as connection:
            await (await connection.execution_options(isolation_level="AUTOCOMMIT")).execute(
                text(f'CREATE DATABASE "{name}"')
            )
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await (await connection.execution_options(isolation_level="AUTOCOMMIT")).execute(
                text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
        await admin.dispose()


async def seed(sessions: Sessions) -> int:
    """2,000 chats in UTC without quiet hours, following everything since yesterday, and the fan-out bench's
    ceasefire in force whose milestones lie ahead (so only the conflict fans out); returns the commitment id."""
    now = datetime.now(UTC)
    rows = chat_rows(CHATS, now - timedelta(days=1), first_id=FIRST_CHAT, quiet_hours=False)
    return await seed_ceasefire(sessions, [{**row, "timezone": "UTC"} for row in rows], now)


async def confirmations(sessions: Sessions, conflict_id: int) -> dict[int, tuple[str, str | None]]:
    """chat → (state, worker) of the conflict alert's delivery."""
    alert = select(AlertRow.id).where(AlertRow.conflict_id == conflict_id)
    async with sessions() as session:
        rows = await session.execute(
            select(DeliveryRow.chat_id, DeliveryRow.state, DeliveryRow.worker).where(DeliveryRow.alert_id.in_(alert))
        )
        return {chat: (state, worker) for chat, state, worker in rows}


@dataclass
class Replica:
    name: str
    process: asyncio.subprocess.Process
    log: Path
    metrics_port: int

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    @property
    def worker(self) -> str:
        """The part of the dispatcher's worker name (host:pid:random) that is this process's."""
        return f":{self.process.pid}:"


@dataclass
class Cluster:
    api: LocalBotApi
    url: str
    tmp: Path
    replicas: dict[str, Replica] = field(default_factory=dict)

    async def start(self, name: str) -> Replica:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_", "DATABASE_", "LOG_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=self.api.token,
            TELEGRAM_API_BASE_URL=self.api.origin_url(name),
            TELEGRAM_MAX_MESSAGES_PER_SECOND="1000",
            DATABASE_URL=self.url,
            DEFAULT_TIMEZONE="UTC",
        )
        log = self.tmp / f"{name}.log"
        port = free_port()
        with log.open("ab") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "app.cli", "run", "--metrics-port", str(port),
                env=env, cwd=self.tmp, stdout=out, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
        replica = self.replicas[name] = Replica(name, process, log, port)
        return replica

    def sends(self, origin: str | None = None) -> list[Call]:
        return [c for c in self.api.calls if c.method == "sendMessage" and (origin is None or c.origin == origin)]

    async def stop_all(self) -> None:
        for replica in self.replicas.values():
            if replica.process.returncode is None:
                replica.process.send_signal(signal.SIGTERM)
        for replica in self.replicas.values():
            try:
                await asyncio.wait_for(replica.process.wait(), timeout=30)
            except TimeoutError:
                replica.process.kill()
                await replica.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def until(predicate: Callable[[], bool], within: float, what: str | Callable[[], str]) -> None:
    """Until ``predicate()`` holds; ``what`` (or what it returns, at the failure) names the wait."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what() if callable(what) else what}: not within {within} s")
        await asyncio.sleep(0.05)


async def log_line(replica: Replica, needle: str) -> None:
    """Until ``replica`` logs ``needle``; fails at once, with its log, when it exits first."""

    def seen() -> bool:
        if replica.process.returncode is not None:
            raise AssertionError(f"{replica.name} exited with {replica.process.returncode}:\n{replica.text()[-3000:]}")
        return needle in replica.text()

    await until(seen, 60, lambda: f"{replica.name} logs {needle!r}:\n{replica.text()[-3000:]}")


@asynccontextmanager
async def two_replicas(tmp_path: Path) -> AsyncIterator[tuple[Cluster, Sessions, int]]:
    """A leading, B standing by, the chats seeded; yields the cluster, sessions and the commitment id."""
    async with fresh_database() as url:
        engine = create_engine(url)
        try:
            await migrate(engine)
            sessions = session_factory(engine)
            commitment = await seed(sessions)
            async with LocalBotApi(token=TOKEN) as api:
                api.latency["sendMessage"] = LATENCY
                cluster = Cluster(api, url, tmp_path)
                try:
                    await log_line(await cluster.start("a"), "leading:")
                    await log_line(await cluster.start("b"), "standing by")
                    yield cluster, sessions, commitment
                finally:
                    await cluster.stop_all()
        finally:
            await engine.dispose()


@dataclass
class Figures:
    taken_away: float  # monotonic, as Call.at
    first_b: float
    last_a: float
    sent_by_a: int
    sent_by_b: int
    in_flight: int
    duplicates: int

    @property
    def takeover(self) -> float:
        return self.first_b - self.taken_away

    @property
    def a_stopped_after(self) -> float:
        return max(0.0, self.last_a - self.taken_away)


async def fan_out_and_take_away(
    cluster: Cluster, sessions: Sessions, commitment: int, take_away: Callable[[], object]
) -> Figures:
    """Log the conflict, call ``take_away`` on A's TAKE_AWAY_AT-th send, and wait until every chat has the alert."""
    api = cluster.api
    at: dict[str, float] = {}
    taking = asyncio.Event()

    def on_call(call: Call) -> None:
        # on_call runs before the call is appended: this is send number len(…) + 1
        if (
            call.method == "sendMessage"
            and call.origin == "a"
            and not at
            and len(cluster.sends("a")) + 1 >= TAKE_AWAY_AT
        ):
            at["taken_away"] = time.monotonic()
            take_away()
            taking.set()

    api.on_call = on_call
    conflict = await add_conflict(sessions, commitment, 1)
    everyone = set(range(FIRST_CHAT, FIRST_CHAT + CHATS))

    def covered() -> bool:
        return {c.chat_id for c in cluster.sends() if c.result is not None} >= everyone

    a, b = cluster.replicas["a"], cluster.replicas["b"]

    def logs() -> str:
        sent = len({c.chat_id for c in cluster.sends() if c.result is not None})
        return f"{sent} of {CHATS} chats have it\nA:\n{a.text()[-2000:]}\nB:\n{b.text()[-2000:]}"

    await until(taking.is_set, 60, lambda: f"A reached the kill point; {logs()}")
    await until(covered, 60, lambda: f"every chat has the alert; {logs()}")
    await until(lambda: not api.unanswered("sendMessage"), 10, "the API answered every send")
    api.on_call = None
    b_worker = cluster.replicas["b"].worker

    async def all_confirmed() -> bool:
        states = await confirmations(sessions, conflict)
        return len(states) == CHATS and all(state == "sent" for state, _ in states.values())

    deadline = time.monotonic() + 30
    while not await all_confirmed():
        assert time.monotonic() < deadline, "deliveries not all confirmed within 30 s"
        await asyncio.sleep(0.2)
    states = await confirmations(sessions, conflict)
    a_worker = cluster.replicas["a"].worker
    confirmed_by_a = {chat for chat, (_, worker) in states.items() if worker and a_worker in worker}
    assert all(worker and (a_worker in worker or b_worker in worker) for _, worker in states.values())
    delivered = [c for c in cluster.sends() if c.result is not None]
    per_chat = Counter(c.chat_id for c in delivered)
    a_sends, b_sends = cluster.sends("a"), cluster.sends("b")
    assert b_sends, "B never sent"
    return Figures(
        taken_away=at["taken_away"],
        first_b=min(c.at for c in b_sends),
        last_a=max(c.at for c in a_sends),
        sent_by_a=sum(1 for c in a_sends if c.result is not None),
        sent_by_b=sum(1 for c in b_sends if c.result is not None),
        in_flight=len({c.chat_id for c in a_sends} - confirmed_by_a),
        duplicates=sum(n - 1 for n in per_chat.values()),
    )


def report(kind: str, figures: Figures, record_property: Callable[[str, object], None]) -> None:
    print(
        f"\n{kind}: {CHATS} chats; A sent {figures.sent_by_a}, B sent {figures.sent_by_b}; A's last send "
        f"{figures.a_stopped_after:.2f} s after it was taken away; B's first {figures.takeover:.2f} s after; "
        f"in flight {figures.in_flight}, duplicates {figures.duplicates}"
    )
    for name in ("sent_by_a", "sent_by_b", "in_flight", "duplicates"):
        record_property(name, getattr(figures, name))
    record_property("takeover_seconds", round(figures.takeover, 2))
    record_property("a_stopped_after_seconds", round(figures.a_stopped_after, 2))


async def test_sigkill_of_the_leader(tmp_path: Path, record_property: Callable[[str, object], None]) -> None:
    async with two_replicas(tmp_path) as (cluster, sessions, commitment):
        a = cluster.replicas["a"]
        figures = await fan_out_and_take_away(
            cluster, sessions, commitment, lambda: os.kill(a.process.pid, signal.SIGKILL)
        )
        assert await asyncio.wait_for(a.process.wait(), 10) == -signal.SIGKILL
        b = cluster.replicas["b"]
        assert "leading:" in b.text(), b.text()[-3000:]
        overlaps = list(cluster.api.overlaps)
    report("SIGKILL", figures, record_property)
    assert not overlaps, f"two processes sent at once: {overlaps[:3]}"
    assert figures.takeover < 10
    assert figures.duplicates <= figures.in_flight
    assert b.process.returncode == 0, b.text()[-3000:]
    assert TOKEN not in a.text() + b.text()


async def terminate_lock_backend(url: str, done: list[float]) -> int:
    """pg_terminate_backend on the session that holds the leader's advisory lock; returns how many it hit and
    appends to ``done`` the instant (time.monotonic) it returned."""
    key = lock_key(make_url(url).database or "", "public") & 0xFFFFFFFFFFFFFFFF
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            hit = await connection.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                    "AND classid::bigint = :high AND objid::bigint = :low AND objsubid = 1"
                ),
                {"high": key >> 32, "low": key & 0xFFFFFFFF},
            )
        done.append(time.monotonic())
        return int(hit or 0)
    finally:
        await engine.dispose()


async def test_leader_cut_from_its_lock_connection(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    async with two_replicas(tmp_path) as (cluster, sessions, commitment):
        terminated: list[asyncio.Task[int]] = []
        cut_at: list[float] = []

        def cut() -> None:
            terminated.append(asyncio.get_running_loop().create_task(terminate_lock_backend(cluster.url, cut_at)))

        figures = await fan_out_and_take_away(cluster, sessions, commitment, cut)
        assert await terminated[0] == 1, "the leader's lock session was found and terminated"
        # Timed from the moment the backend was terminated, not from asking for it (a busy machine takes a while
        # to connect and ask): A may send until then.
        figures = dataclasses.replace(figures, taken_away=cut_at[0])
        a, b = cluster.replicas["a"], cluster.replicas["b"]
        assert a.process.returncode is None, "A lives on after losing its lock connection"
        await until(lambda: "standing by" in a.text().split("lost the database connection")[-1], 30, "A stands by")
        overlaps = list(cluster.api.overlaps)
        async with httpx.AsyncClient(timeout=10) as http:
            health = {r.name: (await http.get(f"http://127.0.0.1:{r.metrics_port}/healthz")) for r in (a, b)}
            metrics = (await http.get(f"http://127.0.0.1:{b.metrics_port}/metrics")).text
    report("pg_terminate_backend", figures, record_property)
    assert "lost the database connection that holds leadership" in a.text()
    assert [(health[n].status_code, health[n].json()["leader"]) for n in "ab"] == [(200, False), (200, True)]
    assert "ceasefire_watch_leader 1.0" in metrics
    assert f'ceasefire_watch_deliveries{{state="sent"}} {float(CHATS)}' in metrics
    assert "leading:" in b.text()
    assert not overlaps, f"two processes sent at once: {overlaps[:3]}"
    assert figures.a_stopped_after <= 2.0
    assert figures.takeover < 10
    assert figures.duplicates <= figures.in_flight
    assert [replica.process.returncode for replica in (a, b)] == [0, 0], "both stop cleanly on SIGTERM"
