"""The Dispatcher: real chats in SQLite, the real Sender and telegram.Bot against LocalBotApi, and the outbox twice —
storage.outbox itself, and an in-memory fake with its binding signatures whose real-time clock the tests can move
(for retry times and leases). Sleeps are fake: they advance the clock at once."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.localapi import Call, Fault, LocalBotApi
from schedules.confirmations import Confirmations
from schedules.dispatch import (
    Dispatcher,
    DispatchReport,
    MessageKind,
    Outbox,
    in_quiet_hours,
    plan_messages,
)
from schedules.sender import Sender
from storage import chats
from storage import outbox as outbox_module
from storage.chats import ChatView
from storage.models import AlertRow, CommitmentRow, DeliveryRow
from storage.outbox import AlertView, Confirmation, DeliveryState, DeliveryView
from tests.bot.harness import FixedClock
from tests.schedules.test_sender import FakeTime, flood, make_bot, upgraded

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


@dataclass(frozen=True, slots=True)
class Snapshot:
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
                for d, a in found.tuples()
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
        sender_options = {k: options.pop(k) for k in ("max_attempts", "max_flood_wait") if k in options}
        sender = Sender(
            self.bot,
            per_chat_interval=1.0,
            backoff=lambda n: 2.0 ** (n + 1),
            sleep=self.time.sleep,
            monotonic=self.time.monotonic,
            wall=self.time.wall,
            **sender_options,
        )
        options.setdefault("monotonic", self.time.monotonic)
        return Dispatcher(
            self.sessions, sender, self.clock, render or label, worker=WORKER, outbox=self.store.outbox, **options
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


@pytest.fixture(params=["fake", "real"])
async def rig(sessions: Sessions, request: pytest.FixtureRequest) -> AsyncIterator[Rig]:
    """Both outboxes. With the real one, retry times (FakeTime's wall clock, in 2025) are already past."""
    async with make_rig(sessions, request.param) as rig:
        yield rig


@pytest.fixture
async def fake_rig(sessions: Sessions) -> AsyncIterator[Rig]:
    async with make_rig(sessions, "fake") as rig:
        yield rig


# -- planning (pure) ------------------------------------------------------------------------------------------------


def delivery(n: int, due_at: datetime, chat_id: int = PRIVATE) -> DeliveryView:
    return DeliveryView(n, AlertView(n, f"a{n}", "milestone", 1, f"s{n}", None), chat_id, due_at, 0, "sending")


def test_alerts_due_in_one_minute_share_a_message() -> None:
    base = datetime(2025, 3, 22, 12, 0, tzinfo=UTC)
    ds = [delivery(1, base + timedelta(seconds=5)), delivery(2, base + timedelta(seconds=59)),
          delivery(3, base + timedelta(seconds=60)), delivery(4, base + timedelta(seconds=2))]  # fmt: skip
    plan = plan_messages(
        ds, base + timedelta(minutes=2), staleness=timedelta(hours=24), late_after=timedelta(minutes=5)
    )
    assert [(m.kind, m.ids) for m in plan] == [("on_time", [4, 1, 2]), ("on_time", [3])]


def test_late_and_stale_alerts() -> None:
    now = datetime(2025, 3, 22, 12, 0, tzinfo=UTC)
    ds = [
        delivery(1, now - timedelta(days=3)),
        delivery(2, now - timedelta(hours=24, seconds=1)),
        delivery(3, now - timedelta(hours=23)),
        delivery(4, now - timedelta(minutes=5, seconds=1)),
        delivery(5, now - timedelta(minutes=4)),
    ]
    plan = plan_messages(ds, now, staleness=timedelta(hours=24), late_after=timedelta(minutes=5))
    assert [(m.kind, m.ids) for m in plan] == [
        ("offline_summary", [1, 2]),
        ("late", [3]),
        ("late", [4]),
        ("on_time", [5]),
    ]


def test_a_crowded_minute_is_split() -> None:
    at = datetime(2025, 3, 22, 12, 0, tzinfo=UTC)
    plan = plan_messages(
        [delivery(n, at) for n in range(1, 8)], at, staleness=timedelta(days=1), late_after=timedelta(0),
        max_per_message=3,
    )  # fmt: skip
    assert [m.ids for m in plan] == [[1, 2, 3], [4, 5, 6], [7]]


def chat_view(tz: str, start: time | None, end: time | None) -> ChatView:
    return ChatView(1, "private", None, "en", tz, start, end, True, True, False)


@pytest.mark.parametrize(
    ("at", "start", "end", "quiet"),
    [
        (datetime(2025, 3, 22, 20, 59, tzinfo=UTC), time(22), time(7), False),  # 21:59 CET
        (datetime(2025, 3, 22, 21, 30, tzinfo=UTC), time(22), time(7), True),  # 22:30 CET
        (datetime(2025, 3, 22, 21, 0, tzinfo=UTC), time(22), time(7), True),  # 22:00 CET: the start is inside
        (datetime(2025, 3, 23, 5, 59, tzinfo=UTC), time(22), time(7), True),  # 06:59 CET, past midnight
        (datetime(2025, 3, 23, 6, 0, tzinfo=UTC), time(22), time(7), False),  # 07:00 CET: the end is outside
        (datetime(2025, 3, 22, 12, 0, tzinfo=UTC), time(12), time(14), True),  # 13:00 CET, window within a day
        (datetime(2025, 3, 22, 13, 0, tzinfo=UTC), time(12), time(14), False),  # 14:00 CET
        (datetime(2025, 3, 22, 12, 0, tzinfo=UTC), None, None, False),
    ],
)
def test_quiet_hours_on_the_chats_wall_clock(at: datetime, start: time | None, end: time | None, quiet: bool) -> None:
    assert in_quiet_hours(chat_view("Europe/Berlin", start, end), at) is quiet


# -- runs against LocalBotApi ---------------------------------------------------------------------------------------


async def test_grouping_late_and_offline_summary_in_one_run(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    minute = NOW.replace(second=0)
    for key, due in [
        ("old1", NOW - timedelta(days=2)),
        ("old2", NOW - timedelta(hours=30)),
        ("late", NOW - timedelta(hours=2)),
        ("now1", minute),
        ("now2", minute + timedelta(seconds=20)),
    ]:
        await rig.store.add(key, PRIVATE, due)
    await rig.store.add("future", PRIVATE, NOW + timedelta(minutes=1))
    report = await rig.dispatcher().run_due()
    assert rig.texts(PRIVATE) == ["offline_summary:old1,old2", "late:late", "on_time:now1,now2"]
    assert report == DispatchReport(claimed=5, sent=5, messages=3)
    sent = await rig.store.rows("sent")
    assert {r.key: r.message_id for r in sent} == {"old1": 1, "old2": 1, "late": 2, "now1": 3, "now2": 3}
    assert await rig.keys("pending") == ["future"]
    assert rig.time.slept == [1.0, 1.0]  # one chat, three messages: paced one second apart


async def test_lateness_is_judged_in_real_seconds_on_a_replay_clock(rig: Rig) -> None:
    rig.clock.speed = 600.0  # ten clock minutes per real second
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("a", PRIVATE, NOW - timedelta(hours=1))  # 6 real seconds ago: on time
    await rig.store.add("b", PRIVATE, NOW - timedelta(hours=2))  # 12 real seconds ago: still on time
    await rig.store.add("c", PRIVATE, NOW - timedelta(days=3))  # 432 real seconds: late, not stale
    await rig.store.add("d", PRIVATE, NOW - timedelta(days=601))  # 86,560 real seconds: stale
    await rig.dispatcher().run_due()
    assert rig.texts(PRIVATE) == ["offline_summary:d", "late:c", "on_time:b", "on_time:a"]


async def test_quiet_hours_send_silently(rig: Rig) -> None:
    rig.clock.at = datetime(2025, 3, 22, 23, 30, tzinfo=UTC)  # 00:30 in Berlin
    await add_chat(rig.sessions, PRIVATE, tz="Europe/Berlin", quiet=(time(22), time(7)))
    await add_chat(rig.sessions, PRIVATE + 1, tz="Europe/Berlin")
    await add_chat(rig.sessions, PRIVATE + 2, tz="America/New_York", quiet=(time(22), time(7)))  # 19:30 there
    for chat_id in (PRIVATE, PRIVATE + 1, PRIVATE + 2):
        await rig.store.add(f"k{chat_id}", chat_id, rig.clock.at)
    await rig.dispatcher().run_due()
    assert [c["disable_notification"] for c in rig.calls(PRIVATE)] == [True]
    assert [c.get("disable_notification", False) for c in rig.calls(PRIVATE + 1)] == [False]
    assert [c.get("disable_notification", False) for c in rig.calls(PRIVATE + 2)] == [False]


async def test_a_blocked_chat_is_disabled_and_its_alerts_kept_until_start(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("first", PRIVATE, NOW - timedelta(minutes=3))
    await rig.store.add("second", PRIVATE, NOW)
    rig.api.faults.append(
        Fault("sendMessage", chat_id=PRIVATE, error_code=403, description="Forbidden: bot was blocked by the user")
    )
    dispatcher = rig.dispatcher()
    report = await dispatcher.run_due()
    assert report == DispatchReport(claimed=2, released=2, disabled=1)
    chat = await chats.get_chat(rig.sessions, PRIVATE)
    assert chat is not None
    assert not chat.enabled
    assert set(await rig.keys("pending")) == {"first", "second"}  # paused, not lost
    assert (await dispatcher.run_due()).claimed == 0  # nothing goes to a paused chat
    await chats.set_enabled(rig.sessions, PRIVATE, True)  # what /start does
    rig.time.advance(5)
    report = await dispatcher.run_due()
    assert rig.texts(PRIVATE) == ["on_time:first", "on_time:second"]
    assert report.sent == 2


async def test_chat_not_found_disables_too(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("x", PRIVATE, NOW)
    rig.api.faults.append(Fault("sendMessage", error_code=400, description="Bad Request: chat not found"))
    assert (await rig.dispatcher().run_due()).disabled == 1
    chat = await chats.get_chat(rig.sessions, PRIVATE)
    assert chat is not None
    assert not chat.enabled


async def test_a_migrated_group_is_moved_and_sent_to_the_new_id(rig: Rig) -> None:
    await add_chat(rig.sessions, GROUP, quiet=(time(11), time(13)))
    await rig.store.add("first", GROUP, NOW - timedelta(minutes=2))
    await rig.store.add("second", GROUP, NOW)
    rig.api.faults.append(upgraded(GROUP, MIGRATED_TO))
    report = await rig.dispatcher().run_due()
    assert report == DispatchReport(claimed=2, sent=2, migrated=1, messages=2)
    assert rig.texts(GROUP) == []
    assert rig.texts(MIGRATED_TO) == ["on_time:first", "on_time:second"]
    assert [c["disable_notification"] for c in rig.calls(MIGRATED_TO)] == [True, True]  # settings moved along
    assert await chats.get_chat(rig.sessions, GROUP) is None
    moved = await chats.get_chat(rig.sessions, MIGRATED_TO)
    assert moved is not None
    assert moved.quiet_start == time(11)
    assert {(r.chat_id, r.sent_to) for r in await rig.store.rows()} == {(MIGRATED_TO, MIGRATED_TO)}


async def test_a_long_flood_wait_hands_the_chats_messages_back_in_order(fake_rig: Rig) -> None:
    rig = fake_rig
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("first", PRIVATE, NOW - timedelta(minutes=2))
    await rig.store.add("second", PRIVATE, NOW)
    rig.api.faults.append(flood(PRIVATE, 300))
    dispatcher = rig.dispatcher()
    report = await dispatcher.run_due()
    assert report == DispatchReport(claimed=2, retried=2)
    assert {r.next_attempt_at for r in await rig.store.rows("pending")} == {rig.time.wall() + timedelta(seconds=300)}
    rig.time.advance(299)
    rig.clock.at += timedelta(seconds=299)
    assert (await dispatcher.run_due()).claimed == 0
    rig.time.advance(1)
    rig.clock.at += timedelta(seconds=1)
    assert (await dispatcher.run_due()).sent == 2
    assert rig.texts(PRIVATE) == ["late:first", "on_time:second"]


async def test_transient_errors_exhausted_mark_failed_and_the_chat_goes_on(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("first", PRIVATE, NOW - timedelta(minutes=2))
    await rig.store.add("second", PRIVATE, NOW)
    rig.api.faults.append(Fault("sendMessage", chat_id=PRIVATE, error_code=500, times=3))
    report = await rig.dispatcher(max_attempts=3).run_due()
    assert report == DispatchReport(claimed=2, sent=1, failed=1, messages=1)
    [failed] = await rig.store.rows("failed")
    assert failed.key == "first"
    assert failed.error == "NetworkError: Internal Server Error"
    assert rig.texts(PRIVATE) == ["on_time:second"]


async def test_a_render_bug_fails_that_message_only(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("bad", PRIVATE, NOW - timedelta(minutes=2))
    await rig.store.add("good", PRIVATE, NOW)

    def render(chat: ChatView, deliveries: Sequence[DeliveryView], kind: MessageKind) -> str:
        if deliveries[0].alert.key == "bad":
            raise KeyError("title")
        return label(chat, deliveries, kind)

    report = await rig.dispatcher(render=render).run_due()
    assert report == DispatchReport(claimed=2, sent=1, failed=1, messages=1)
    assert (await rig.store.rows("failed"))[0].error == "render: KeyError('title')"


async def test_paused_chats_handed_out_anyway_are_released(fake_rig: Rig) -> None:
    rig = fake_rig
    rig.fake.check_chats = False
    await add_chat(rig.sessions, PRIVATE)
    await chats.set_enabled(rig.sessions, PRIVATE, False, "blocked")
    await rig.store.add("x", PRIVATE, NOW)
    await rig.store.add("y", PRIVATE + 7, NOW)  # a chat that was never stored
    report = await rig.dispatcher().run_due()
    assert report == DispatchReport(claimed=2, released=2)
    assert rig.api.sent() == []
    assert len(await rig.store.rows("pending")) == 2


async def test_a_run_that_outlives_half_its_lease_sends_nothing_more(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("first", PRIVATE, NOW - timedelta(minutes=2))
    await rig.store.add("second", PRIVATE, NOW)
    rig.api.faults.append(flood(PRIVATE, 40))
    report = await rig.dispatcher(lease=timedelta(seconds=60)).run_due()
    # The first message waited 40 s and went; by then a second run could take the claim back: release the rest.
    assert report == DispatchReport(claimed=2, sent=1, released=1, messages=1)
    assert await rig.keys("pending") == ["second"]


async def test_chats_run_concurrently_each_in_order(rig: Rig) -> None:
    ids = [PRIVATE + n for n in range(6)]
    for chat_id in ids:
        await add_chat(rig.sessions, chat_id)
        await rig.store.add(f"{chat_id}-1", chat_id, NOW - timedelta(minutes=1))
        await rig.store.add(f"{chat_id}-2", chat_id, NOW)
    running = 0
    most = 0
    original = rig.api.dispatch

    async def counting(method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            await asyncio.sleep(0.001)
            return await original(method, params, files)
        finally:
            running -= 1

    rig.api.dispatch = counting  # type: ignore[method-assign]
    report = await rig.dispatcher(concurrency=3).run_due()
    assert report.sent == 12
    assert most == 3
    for chat_id in ids:
        assert rig.texts(chat_id) == [f"on_time:{chat_id}-1", f"on_time:{chat_id}-2"]


async def test_overlapping_runs_take_turns(rig: Rig) -> None:
    """The scheduler's interval tick and a poke may fire together: the second run waits, then finds nothing."""
    for chat_id in (PRIVATE, PRIVATE + 1):
        await add_chat(rig.sessions, chat_id)
        await rig.store.add(f"{chat_id}", chat_id, NOW)
    dispatcher = rig.dispatcher()
    first, second = await asyncio.gather(dispatcher.run_due(), dispatcher.run_due())
    assert (first.sent, second.claimed) == (2, 0)
    assert [rig.texts(c) for c in (PRIVATE, PRIVATE + 1)] == [[f"on_time:{PRIVATE}"], [f"on_time:{PRIVATE + 1}"]]


async def test_a_cancelled_run_hands_back_what_it_did_not_confirm(rig: Rig) -> None:
    ids = await add_chats(rig, 5, per_chat=2)
    # One chat at a time, so the moment of the cancel is known: the first chat done, the second one's first message
    # in flight, its second message and three more chats not started.
    dispatcher = await rig.cancel_while_sending(ids[1])
    assert await rig.keys("sent") == [f"{ids[0]}-0", f"{ids[0]}-1"]
    assert await rig.keys("pending") == [f"{c}-{n}" for c in ids[1:] for n in (0, 1)]
    assert not await rig.store.rows("sending")
    rig.api.faults.clear()
    rig.time.advance(5)
    report = await dispatcher.run_due()
    assert (report.claimed, report.sent) == (8, 8)
    for chat_id in ids:
        assert rig.texts(chat_id) == [f"on_time:{chat_id}-0", f"on_time:{chat_id}-1"]  # once each, in order


async def test_a_dead_workers_claim_comes_back_after_its_lease(rig: Rig) -> None:
    """What a SIGKILL leaves: rows claimed by a worker that will never confirm them."""
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("first", PRIVATE, NOW - timedelta(minutes=1))
    await rig.store.add("second", PRIVATE, NOW)
    lease = timedelta(seconds=0.2)  # real time for the real outbox, the fake wall clock for the fake one
    dead = await rig.store.outbox.claim_due(rig.sessions, NOW, worker="dead", lease=lease)
    assert len(dead) == 2
    dispatcher = rig.dispatcher(lease=timedelta(seconds=60))
    assert (await dispatcher.run_due()).claimed == 0  # not while the dead worker's lease holds
    await asyncio.sleep(lease.total_seconds() + 0.05)
    rig.time.advance(1)
    report = await dispatcher.run_due()
    assert (report.claimed, report.sent, report.messages) == (2, 2, 2)
    assert rig.texts(PRIVATE) == ["on_time:first", "on_time:second"]


async def test_every_deliverable_alert_exactly_once_under_faults(rig: Rig) -> None:
    """Every deliverable alert exactly once, whatever Telegram answers: 429s (short and long), 500s, timeouts, a
    block, a migration."""
    ids = [PRIVATE + n for n in range(10)] + [GROUP]
    blocked = ids[5]
    for chat_id in ids:
        await add_chat(rig.sessions, chat_id)
        for n, age in enumerate((timedelta(minutes=30), timedelta(minutes=10), timedelta(0))):
            await rig.store.add(f"{chat_id}-{n}", chat_id, NOW - age)
    rig.api.faults += [
        flood(ids[0], 2, times=2),
        flood(ids[1], 90),
        Fault("sendMessage", chat_id=ids[2], error_code=500, times=3),
        Fault("sendMessage", chat_id=ids[3], error_code=502, description="Bad Gateway", times=2),
        Fault("sendMessage", chat_id=ids[4], delay=0.05, times=3),  # timeouts that delivered nothing
        Fault("sendMessage", chat_id=blocked, error_code=403, description="Forbidden: bot was blocked by the user"),
        upgraded(GROUP, MIGRATED_TO),
        Fault("sendMessage", error_code=500, times=4),  # whoever comes first
        Fault("sendMessage", delay=0.05, times=2),
    ]
    dispatcher = rig.dispatcher(concurrency=4)
    for _ in range(10):
        await dispatcher.run_due()
        rig.time.advance(30)
    delivered: dict[str, list[int]] = {}
    for call in rig.api.sent(method="sendMessage"):
        for key in str(call.params["text"]).split(":", 1)[1].split(","):
            delivered.setdefault(key, []).append(int(call.params["chat_id"]))
    expected = {
        f"{chat_id}-{n}": [MIGRATED_TO if chat_id == GROUP else chat_id]
        for chat_id in ids
        if chat_id != blocked
        for n in range(3)
    }
    assert delivered == expected  # each exactly once, to the chat it belongs to now
    assert len(await rig.store.rows("sent")) == 30
    assert set(await rig.keys("pending")) == {f"{blocked}-{n}" for n in range(3)}
    assert not await rig.store.rows("failed")
    assert not await rig.store.rows("sending")
    chat = await chats.get_chat(rig.sessions, blocked)
    assert chat is not None
    assert not chat.enabled
    assert await chats.get_chat(rig.sessions, GROUP) is None
    assert await chats.get_chat(rig.sessions, MIGRATED_TO) is not None
    assert all(f.times <= 0 for f in rig.api.faults)  # every injected fault was met
    assert [r for r in await rig.store.rows() if r.attempts] == [
        r for r in await rig.store.rows() if r.chat_id == ids[1]
    ]  # only the long flood wait went back to the outbox


# -- batched confirmations ------------------------------------------------------------------------------------------

# A delay that never passes in a test: what is written, is written because a batch filled or the run ended.
NEVER = 60.0


async def add_chats(rig: Rig, count: int, *, per_chat: int = 1) -> list[int]:
    """``count`` private chats, each owed ``per_chat`` alerts a minute apart (keys "<chat>-<n>")."""
    ids = [PRIVATE + n for n in range(count)]
    for chat_id in ids:
        await add_chat(rig.sessions, chat_id)
        for n in range(per_chat):
            await rig.store.add(f"{chat_id}-{n}", chat_id, NOW - timedelta(minutes=per_chat - n))
    return ids


async def test_everything_sent_is_confirmed_when_run_due_returns(rig: Rig) -> None:
    ids = await add_chats(rig, 6, per_chat=2)
    report = await rig.dispatcher(confirm_batch=1000, confirm_delay=NEVER, concurrency=3).run_due()
    assert report == DispatchReport(claimed=12, sent=12, messages=12)
    assert not await rig.store.rows("sending")
    # Each row has its own message's id and chat, though all were written together.
    assert {(r.key, r.message_id, r.sent_to) for r in await rig.store.rows("sent")} == {
        (f"{chat_id}-{n}", n + 1, chat_id) for chat_id in ids for n in range(2)
    }
    if isinstance(rig.store, FakeStore):
        assert len(rig.fake.confirm_writes) == 1


async def test_confirmations_are_written_while_sending_and_stay_bounded(fake_rig: Rig) -> None:
    rig = fake_rig
    await add_chats(rig, 12, per_chat=2)
    report = await rig.dispatcher(confirm_batch=4, confirm_delay=NEVER, concurrency=3).run_due()
    assert report == DispatchReport(claimed=24, sent=24, messages=24)
    writes = rig.fake.confirm_writes
    assert len(writes) > 1  # the buffer filled: written during the run, not only at its end
    assert sorted(i for write in writes for message in write for i in message) == sorted(rig.fake.rows)
    # At most confirm_batch - 1 waiting, plus one more per sender that then waits for the write.
    assert max(len(write) for write in writes) <= 4 - 1 + 3


async def test_a_cancelled_run_confirms_what_went_out(rig: Rig) -> None:
    """Nothing is written while the run goes; cancelling it still writes the confirmations it holds."""
    ids = await add_chats(rig, 3, per_chat=2)
    await rig.cancel_while_sending(ids[1], confirm_batch=1000, confirm_delay=NEVER)
    assert await rig.keys("sent") == [f"{ids[0]}-0", f"{ids[0]}-1"]
    assert await rig.keys("pending") == [f"{c}-{n}" for c in ids[1:] for n in (0, 1)]
    assert not await rig.store.rows("sending")


async def test_a_write_that_fails_is_tried_again(fake_rig: Rig) -> None:
    rig = fake_rig
    rig.fake.failing_writes = 1
    await add_chats(rig, 4)
    report = await rig.dispatcher(confirm_batch=2, confirm_delay=NEVER, concurrency=1).run_due()
    assert (report.sent, report.messages) == (4, 4)
    assert len(rig.fake.in_state("sent")) == 4
    confirmed = [i for write in rig.fake.confirm_writes for message in write for i in message]
    assert sorted(confirmed) == sorted(rig.fake.rows)  # each written once, the failed ones by a later write


async def test_writes_that_keep_failing_end_the_run_and_leave_the_rows_claimed(
    fake_rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    """What a database that stays down leaves: the messages went out, their rows stay claimed until the lease (then
    they go out again — the crash case), and the run still ends."""
    rig = fake_rig
    rig.fake.failing_writes = 1_000_000
    await add_chats(rig, 4)
    report = await asyncio.wait_for(rig.dispatcher(confirm_batch=2, confirm_delay=0.0).run_due(), 10)
    assert (report.sent, report.messages) == (0, 4)
    assert len(rig.fake.in_state("sending")) == 4
    assert "they go out again after their lease" in caplog.text


async def test_a_migration_waits_for_the_chats_sent_messages_to_be_confirmed(rig: Rig) -> None:
    """The move rewrites the chat's rows: the message that already went to the old id is confirmed first."""
    await add_chat(rig.sessions, GROUP)
    await rig.store.add("first", GROUP, NOW - timedelta(minutes=2))
    await rig.store.add("second", GROUP, NOW)
    seen: list[int] = []

    def migrate_on_the_second_send(call: Call) -> None:
        if call.method == "sendMessage" and call.chat_id == GROUP:
            seen.append(GROUP)
            if len(seen) == 2:
                rig.api.faults.append(upgraded(GROUP, MIGRATED_TO))

    rig.api.on_call = migrate_on_the_second_send
    report = await rig.dispatcher(confirm_batch=1000, confirm_delay=NEVER).run_due()
    assert report == DispatchReport(claimed=2, sent=2, migrated=1, messages=2)
    assert rig.texts(GROUP) == ["on_time:first"]
    assert rig.texts(MIGRATED_TO) == ["on_time:second"]
    rows = {r.key: (r.chat_id, r.state, r.sent_to) for r in await rig.store.rows()}
    assert rows == {"first": (MIGRATED_TO, "sent", GROUP), "second": (MIGRATED_TO, "sent", MIGRATED_TO)}
    if isinstance(rig.store, FakeStore):
        assert rig.fake.events == ["confirm", "move", "confirm"]


@pytest.mark.parametrize("turns", range(6))
async def test_closing_the_buffer_never_waits_for_a_writer_that_missed_its_cancel(turns: int) -> None:
    """Python 3.11's wait_for loses a cancel that lands as its awaitable completes: a writer woken by a half-full
    buffer and cancelled in the same turns of the loop must still stop, and the last write take everything."""
    written: list[int] = []

    async def write(batch: Sequence[Confirmation]) -> int:
        written.extend(i for c in batch for i in c.delivery_ids)
        return sum(len(c.delivery_ids) for c in batch)

    tally = DispatchReport()
    buffer = Confirmations(write, tally, size=4, delay=NEVER)
    buffer.add(Confirmation([1], 1, PRIVATE))
    for _ in range(5):
        await asyncio.sleep(0)  # the writer now waits for the buffer to fill, or the delay
    buffer.add(Confirmation([2], 2, PRIVATE))  # half full: the writer is woken
    for _ in range(turns):
        await asyncio.sleep(0)
    await asyncio.wait_for(buffer.close(), 5)
    assert sorted(written) == [1, 2]
    assert tally.sent == 2


async def test_a_fan_out_is_rendered_once_per_language_and_zone(rig: Rig) -> None:
    settings = [("en", "UTC"), ("en", "UTC"), ("de", "UTC"), ("en", "Europe/Berlin"), ("de", "UTC")]
    ids = [PRIVATE + n for n in range(len(settings))]
    for chat_id, (language, tz) in zip(ids, settings, strict=True):
        await add_chat(rig.sessions, chat_id, tz=tz)
        await chats.update_settings(rig.sessions, chat_id, language=language)
    await rig.store.fan_out("news", ids, NOW)
    rendered: list[tuple[str, str]] = []

    def render(chat: ChatView, deliveries: Sequence[DeliveryView], kind: MessageKind) -> str:
        rendered.append((chat.language, chat.timezone))
        return f"{chat.language} {chat.timezone} " + label(chat, deliveries, kind)

    report = await rig.dispatcher(render=render).run_due()
    assert report == DispatchReport(claimed=5, sent=5, messages=5)
    assert sorted(rendered) == [("de", "UTC"), ("en", "Europe/Berlin"), ("en", "UTC")]
    assert [rig.texts(chat_id) for chat_id in ids] == [[f"{language} {tz} on_time:news"] for language, tz in settings]
