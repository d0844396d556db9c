"""The rig the Dispatcher tests run on: real chats in SQLite, the real Sender and telegram.Bot against LocalBotApi,
and the outbox twice — storage.outbox itself, and an in-memory fake with its binding signatures whose real-time clock
the tests can move (for retry times and leases). Sleeps are fake: they advance the clock at once."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime, time, timedelta
from typing import Any, NamedTuple

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.localapi import Fault, LocalBotApi
from schedules.dispatch import Dispatcher, DispatchSettings, MessageKind, Outbox
from schedules.sender import Sender, SendSettings
from storage import chats
from storage import outbox as outbox_module
from storage.chats import ChatView
from storage.models import AlertRow, CommitmentRow, DeliveryRow
from storage.outbox import AlertView, Confirmation, DeliveryState, DeliveryView
from tests.bot.harness import FixedClock
from tests.schedules.test_sender import FakeTime, make_bot

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2025, 3, 22, 12, 0, 30, tzinfo=UTC)
WORKER = "test-worker"
PRIVATE = 5001
GROUP = -1001000000042
MIGRATED_TO = -1002000000042


@dataclass
class Row:
    id: int
    alert: AlertView
    chat_id: int
    due_at: datetime
    attempts: int = 0
    state: DeliveryState = "pending"
    worker: str | None = None
    lease_until: datetime | None = None
    next_attempt_at: datetime | None = None
    message_id: int | None = None
    sent_to: int | None = None
    error: str | None = None

    def view(self) -> DeliveryView:
        return DeliveryView(self.id, self.alert, self.chat_id, self.due_at, self.attempts, self.state)


class FakeOutbox:
    """storage.outbox's contract in memory: compare-and-set claims with a lease (on the real clock ``real_now``),
    confirmation only by the claiming worker, retries with a real time, and chats' rows following a migration."""

    def __init__(self, real_now: Callable[[], datetime], *, check_chats: bool = True) -> None:
        self.rows: dict[int, Row] = {}
        self.real_now = real_now
        self.check_chats = check_chats
        self.confirm_writes: list[list[list[int]]] = []  # per confirm_many call: the delivery ids of each message
        self.events: list[str] = []  # "confirm" and "move", in the order they reached the outbox
        self.failing_writes = 0  # this many confirm_many calls fail (a database error), then they work again
        self._ids = itertools.count(1)

    def add(self, key: str, chat_id: int, due_at: datetime) -> int:
        row_id = next(self._ids)
        alert = AlertView(row_id, key, "milestone", 1, key, None)
        self.rows[row_id] = Row(row_id, alert, chat_id, due_at)
        return row_id

    def fan_out(self, key: str, chat_ids: Sequence[int], due_at: datetime) -> None:
        """One alert owed to every chat in ``chat_ids``."""
        alert = AlertView(next(self._ids), key, "milestone", 1, key, None)
        for chat_id in chat_ids:
            row_id = next(self._ids)
            self.rows[row_id] = Row(row_id, alert, chat_id, due_at)

    def in_state(self, state: DeliveryState) -> list[Row]:
        return [r for r in self.rows.values() if r.state == state]

    def _claimed(self, ids: Sequence[int], worker: str) -> list[Row]:
        rows = [self.rows[i] for i in ids]
        assert all(r.state == "sending" and r.worker == worker for r in rows), "touched a row it did not hold"
        return rows

    async def claim_due(
        self, sessions: Sessions, now: datetime, *, worker: str, lease: timedelta, limit: int = 500
    ) -> list[DeliveryView]:
        real = self.real_now()
        claimed: list[DeliveryView] = []
        for row in sorted(self.rows.values(), key=lambda r: (r.due_at, r.id)):
            if len(claimed) >= limit:
                break
            free = row.state == "pending" or (
                row.state == "sending" and row.lease_until is not None and row.lease_until <= real
            )
            if not free or row.due_at > now or (row.next_attempt_at is not None and row.next_attempt_at > real):
                continue
            if self.check_chats:
                chat = await chats.get_chat(sessions, row.chat_id)
                if chat is None or not chat.enabled or not chat.member:
                    continue
            row.state, row.worker, row.lease_until = "sending", worker, real + lease
            claimed.append(row.view())
        return claimed

    async def confirm_many(self, sessions: Sessions, confirmations: Sequence[Confirmation], *, worker: str) -> int:
        await asyncio.sleep(0)  # a write takes a turn of the loop, as a real one does
        if self.failing_writes > 0:
            self.failing_writes -= 1
            raise RuntimeError("database is locked")
        self.confirm_writes.append([list(c.delivery_ids) for c in confirmations])
        self.events.append("confirm")
        confirmed = 0
        for delivery_ids, message_id, chat_id in confirmations:
            rows = [self.rows[i] for i in delivery_ids]
            mine = [r for r in rows if r.state == "sending" and r.worker == worker]
            for row in mine:
                row.state, row.message_id, row.sent_to, row.worker = "sent", message_id, chat_id, None
            confirmed += len(mine)
        return confirmed

    async def retry_later(
        self, sessions: Sessions, delivery_ids: Sequence[int], *, worker: str, at: datetime, error: str
    ) -> None:
        for row in self._claimed(delivery_ids, worker):
            row.state, row.worker, row.attempts, row.next_attempt_at, row.error = (
                "pending",
                None,
                row.attempts + 1,
                at,
                error,
            )

    async def mark_failed(self, sessions: Sessions, delivery_ids: Sequence[int], *, worker: str, error: str) -> None:
        for row in self._claimed(delivery_ids, worker):
            row.state, row.worker, row.error = "failed", None, error

    async def release(self, sessions: Sessions, delivery_ids: Sequence[int], *, worker: str) -> None:
        for row in self._claimed(delivery_ids, worker):
            row.state, row.worker = "pending", None

    async def move_chat(self, session: AsyncSession, old_id: int, new_id: int) -> None:
        self.events.append("move")
        for row in self.rows.values():
            if row.chat_id == old_id:
                row.chat_id = new_id


class Snapshot(NamedTuple):
    """A delivery as the test inspects it, whichever outbox holds it."""

    key: str
    chat_id: int
    state: str
    attempts: int
    next_attempt_at: datetime | None
    message_id: int | None
    sent_to: int | None
    error: str | None


class FakeStore:
    def __init__(self, outbox: FakeOutbox) -> None:
        self.outbox = outbox

    async def add(self, key: str, chat_id: int, due_at: datetime) -> None:
        self.outbox.add(key, chat_id, due_at)

    async def fan_out(self, key: str, chat_ids: Sequence[int], due_at: datetime) -> None:
        self.outbox.fan_out(key, chat_ids, due_at)

    async def rows(self, state: str | None = None) -> list[Snapshot]:
        return [
            Snapshot(r.alert.key, r.chat_id, r.state, r.attempts, r.next_attempt_at, r.message_id, r.sent_to, r.error)
            for r in sorted(self.outbox.rows.values(), key=lambda r: r.id)
            if state is None or r.state == state
        ]


class RealStore:
    """storage.outbox on the test's database; alerts and deliveries are inserted the way reconcile would."""

    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions
        self.outbox: Outbox = outbox_module
        self._commitment: int | None = None

    async def add(self, key: str, chat_id: int, due_at: datetime) -> None:
        await self.fan_out(key, [chat_id], due_at)

    async def fan_out(self, key: str, chat_ids: Sequence[int], due_at: datetime) -> None:
        """One alert owed to every chat in ``chat_ids``."""
        async with self.sessions() as session, session.begin():
            if self._commitment is None:
                commitment = CommitmentRow(kind="ceasefire", actors=[], conditions=[], status="agreed")
                session.add(commitment)
                await session.flush()
                self._commitment = commitment.id
            alert = AlertRow(key=key, kind="milestone", commitment_id=self._commitment, slug=key, payload={})
            session.add(alert)
            await session.flush()
            for chat_id in chat_ids:
                session.add(DeliveryRow(alert_id=alert.id, chat_id=chat_id, state="pending", due_at=due_at, attempts=0))

    async def rows(self, state: str | None = None) -> list[Snapshot]:
        statement = select(DeliveryRow, AlertRow).join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
        if state is not None:
            statement = statement.where(DeliveryRow.state == state)
        async with self.sessions() as session:
            found = await session.execute(statement.order_by(DeliveryRow.id))
            return [
                Snapshot(
                    a.key, d.chat_id, d.state, d.attempts, d.next_attempt_at, d.message_id, d.sent_to_chat, d.last_error
                )
                for d, a in found
            ]


Store = FakeStore | RealStore


@dataclass
class Rig:
    api: LocalBotApi
    bot: Bot
    sessions: Sessions
    clock: FixedClock
    time: FakeTime
    store: Store

    def dispatcher(self, *, render: Callable[..., str] | None = None, **options: Any) -> Dispatcher:
        """A dispatcher on the rig's bot, clock and store; ``options`` are SendSettings and DispatchSettings fields."""
        sending = {f.name: options.pop(f.name) for f in fields(SendSettings) if f.name in options}
        sender = Sender(
            self.bot,
            settings=SendSettings(per_chat_interval=1.0, **sending),
            backoff=lambda n: 2.0 ** (n + 1),
            time=self.time,
        )
        return Dispatcher(
            self.sessions,
            sender,
            self.clock,
            render or label,
            worker=WORKER,
            settings=DispatchSettings(**options),
            outbox=self.store.outbox,
            time=self.time,
        )

    @property
    def fake(self) -> FakeOutbox:
        assert isinstance(self.store, FakeStore), "this test moves the outbox's clock: fake outbox only"
        return self.store.outbox

    async def cancel_while_sending(self, stalled: int, **options: Any) -> Dispatcher:
        """Runs one chat at a time and cancels the run while ``stalled``'s first message hangs in flight."""
        self.api.faults.append(Fault("sendMessage", chat_id=stalled, delay=30.0))
        await self.bot.shutdown()
        self.bot = await make_bot(self.api, read_timeout=None)  # no timeout: the stalled request hangs until cancelled
        dispatcher = self.dispatcher(concurrency=1, **options)
        run = asyncio.create_task(dispatcher.run_due())
        await self.api.wait_for(lambda calls: any(c.chat_id == stalled and c.method == "sendMessage" for c in calls))
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
        return dispatcher

    async def keys(self, state: str) -> list[str]:
        return [r.key for r in await self.store.rows(state)]

    def texts(self, chat_id: int) -> list[str]:
        return [str(c.params["text"]) for c in self.api.sent(chat_id, "sendMessage")]

    def calls(self, chat_id: int) -> list[dict[str, Any]]:
        return [c.params for c in self.api.sent(chat_id, "sendMessage")]


def label(chat: ChatView, deliveries: Sequence[DeliveryView], kind: MessageKind) -> str:
    """A render that shows what the dispatcher decided: the kind and the alert keys, in order."""
    return f"{kind}:" + ",".join(d.alert.key for d in deliveries)


async def add_chat(
    sessions: Sessions, chat_id: int, *, tz: str = "UTC", quiet: tuple[time, time] | None = None
) -> None:
    kind = "private" if chat_id > 0 else "supergroup"
    await chats.ensure_chat(sessions, chat_id, type=kind, title=None, language="en", timezone=tz)
    if quiet is not None:
        await chats.update_settings(sessions, chat_id, quiet=quiet)


@asynccontextmanager
async def make_rig(sessions: Sessions, outbox: str) -> AsyncIterator[Rig]:
    api = LocalBotApi()
    bot = await make_bot(api, read_timeout=0.01)
    fake = FakeTime(NOW)
    store: Store = FakeStore(FakeOutbox(fake.wall)) if outbox == "fake" else RealStore(sessions)
    rig = Rig(api, bot, sessions, FixedClock(NOW), fake, store)
    try:
        yield rig
    finally:
        await rig.bot.shutdown()


async def add_chats(rig: Rig, count: int, *, per_chat: int = 1) -> list[int]:
    """``count`` private chats, each owed ``per_chat`` alerts a minute apart (keys "<chat>-<n>")."""
    ids = [PRIVATE + n for n in range(count)]
    for chat_id in ids:
        await add_chat(rig.sessions, chat_id)
        for n in range(per_chat):
            await rig.store.add(f"{chat_id}-{n}", chat_id, NOW - timedelta(minutes=per_chat - n))
    return ids
