"""Take due deliveries from the outbox, turn them into as few messages as Telegram's limits allow, send, and record.

One :meth:`Dispatcher.run_due` is one claimed batch:

* claim (compare-and-set, with a lease) → group by chat → per chat, plan the messages (:func:`plan_messages`):
  deliveries older than ``staleness`` fold into one "while the bot was offline" summary; the rest go out one
  message per minute of ``due_at`` (several alerts falling due together arrive together), marked late when they
  fell due more than ``late_after`` ago (the bot was down or behind);
* chats run concurrently (at most ``concurrency`` at once), each chat's messages in order, one at a time;
* confirmations are written in batches (:class:`Confirmations`): a message that went out waits in a small buffer
  that a writer task writes in one transaction (``outbox.confirm_many``) once half of ``confirm_batch`` wait or
  ``confirm_delay`` real seconds after the first of them; senders only wait for it when ``confirm_batch`` wait.
  The buffer is always written before the run returns — also when it is cancelled (best effort) — and before a
  migration moves the chat's rows. One write transaction per message was what capped a fan-out (SQLite has one
  writer, and every transaction is several trips to its thread); a batch costs about what one message did.

Crash semantics. A message is sent twice only when the process dies after Telegram took it and before its
confirmation was written: those deliveries are still claimed, come back to ``claim_due`` after the lease (or at
once through ``outbox.reclaim_dead`` at the next start) and go out again. That covers the sends in flight (at most
one per running chat, ``concurrency``) and the buffer: fewer than ``confirm_batch`` + ``concurrency`` waiting and
as many being written, so at most about 2 × (``confirm_batch`` + ``concurrency``) + ``concurrency`` messages (224
with the defaults). In practice it is the messages of the last ``confirm_delay`` and one write: one or two at
Telegram's 30 messages per second, a few dozen at loopback speed (bench/fanout.py). A cancelled run hands back at
once what it had not sent (the same bound, without the lease).

Outcomes (see :mod:`schedules.sender`): sent → confirmed with the message id; retry (a long flood wait) → the
message and the rest of the chat's messages go back with the time to try again, so the chat's order holds;
failed → marked failed (shown in /health), the chat's next message still goes; disabled → the chat is paused
(storage.chats.set_enabled) and its deliveries released: they stay pending, unclaimable until /start re-enables
the chat; migrated → storage.chats.migrate_chat moves the chat and, through ``outbox.move_chat``, its deliveries,
and the same message is sent to the new id in the same run.

All user-facing text comes from the ``render`` callable (bot.display), so this module holds none.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import groupby
from typing import Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schedules.clock import REAL_TIME, Clock, Timekeeper
from schedules.confirmations import Confirmations
from schedules.sender import Outcome, Sender
from storage import chats
from storage import outbox as storage_outbox
from storage.chats import ChatView
from storage.models import ChatRow
from storage.outbox import Confirmation, DeliveryView

log = logging.getLogger(__name__)

MessageKind = Literal["on_time", "late", "offline_summary"]
REVIEW = "review"  # the alert kind of a review card (storage.edits, schedules.reconcile)
# Builds a message's text (HTML, at most one Telegram message long) for a chat in its language and zone. The bot
# provides it from bot.display; an "offline_summary" may fold many alerts and must shorten itself to fit. The text
# depends on nothing but the chat's language and zone, the kind, and the deliveries' alerts and due times: within a
# run each such combination is rendered once (a fan-out is one alert to thousands of chats in a few languages).
Render = Callable[[ChatView, Sequence[DeliveryView], MessageKind], str]
# What a text depends on (Render): language, zone, kind, and each delivery's alert id and due time.
_TextKey = tuple[str, str, MessageKind, tuple[tuple[int, datetime], ...]]
Sessions = async_sessionmaker[AsyncSession]

# A chat that keeps migrating within one run is not followed further (Telegram migrates a group once).
_MAX_MIGRATIONS = 2
# Chat rows are read in chunks, so a batch stays below SQLite's bound-parameter limit.
_CHAT_CHUNK = 500
# Confirmations: at most this many wait to be written (a write starts at half of it, or this many real seconds after
# the first one): small, because each one waiting is a possible duplicate after a crash (module doc).
CONFIRM_BATCH = 100
CONFIRM_DELAY = 0.05


class SendingStopped(Exception):
    """Raised by the sender when this process may no longer send at all (a leader that lost its lock): the chat's
    messages go back to the outbox untouched and nothing is logged as a failure."""


class Outbox(Protocol):
    """The part of storage.outbox the dispatcher uses (its binding API); tests pass an in-memory fake."""

    async def claim_due(
        self, sessions: Sessions, now: datetime, *, worker: str, lease: timedelta, limit: int = 500
    ) -> list[DeliveryView]: ...

    async def confirm_many(self, sessions: Sessions, confirmations: Sequence[Confirmation], *, worker: str) -> int: ...

    async def retry_later(
        self, sessions: Sessions, delivery_ids: Sequence[int], *, worker: str, at: datetime, error: str
    ) -> None: ...

    async def mark_failed(
        self, sessions: Sessions, delivery_ids: Sequence[int], *, worker: str, error: str
    ) -> None: ...

    async def release(self, sessions: Sessions, delivery_ids: Sequence[int], *, worker: str) -> None: ...

    async def move_chat(self, session: AsyncSession, old_id: int, new_id: int) -> None: ...


@dataclass(frozen=True, slots=True)
class Message:
    """One Telegram message to be: what kind of text, and the deliveries it carries (oldest first)."""

    kind: MessageKind
    deliveries: tuple[DeliveryView, ...]

    @property
    def ids(self) -> list[int]:
        return [d.id for d in self.deliveries]


@dataclass(slots=True)
class DispatchReport:
    """What one run did. ``claimed``, ``sent``, ``retried``, ``failed`` and ``released`` count deliveries
    (``released``: handed back untouched — paused chats, a run out of time, a cancelled run, an unexpected error);
    ``disabled`` and ``migrated`` count chats; ``messages`` counts Telegram messages that went out. Counted up while
    the run goes (its chat tasks share one event loop, so no lock); the caller gets a copy at the end."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    disabled: int = 0
    migrated: int = 0
    messages: int = 0


def plan_messages(
    deliveries: Iterable[DeliveryView],
    now: datetime,
    *,
    staleness: timedelta,
    late_after: timedelta,
    max_per_message: int = 10,
) -> list[Message]:
    """One chat's deliveries as messages, in the order they go out.

    Older than ``now - staleness``: one "offline_summary" first (old news, told once, briefly). The rest by the
    minute of ``due_at`` (UTC; every zone in use has a whole-minute offset, so a minute is the same everywhere):
    one message per minute, "late" when its first alert fell due before ``now - late_after``, else "on_time".
    ``max_per_message`` caps a minute's message so its text stays well inside Telegram's 4096 characters.
    A review card (alert kind "review", for admins) is always a message of its own, last: its buttons act on
    that one item, and an old card is still a task, not news to fold away.
    """
    ordered = sorted(deliveries, key=lambda d: (d.due_at, d.id))
    cards = [d for d in ordered if d.alert.kind == REVIEW]
    ordered = [d for d in ordered if d.alert.kind != REVIEW]
    stale_before = now - staleness
    late_before = now - late_after
    stale = tuple(d for d in ordered if d.due_at < stale_before)
    messages = [Message("offline_summary", stale)] if stale else []
    fresh = (d for d in ordered if d.due_at >= stale_before)
    for _, minute in groupby(fresh, key=lambda d: d.due_at.astimezone(UTC).replace(second=0, microsecond=0)):
        group = list(minute)
        kind: MessageKind = "late" if group[0].due_at < late_before else "on_time"
        for start in range(0, len(group), max_per_message):
            messages.append(Message(kind, tuple(group[start : start + max_per_message])))
    messages += [Message("on_time", (card,)) for card in cards]
    return messages


def in_quiet_hours(chat: ChatView, at: datetime) -> bool:
    """Whether ``at`` falls in the chat's quiet hours, read on the chat's wall clock; a window whose end is
    earlier than its start runs over midnight (22:00–07:00). Start is inside the window, end is not."""
    start, end = chat.quiet_start, chat.quiet_end
    if start is None or end is None:
        return False
    try:
        zone = ZoneInfo(chat.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")  # chats.py refuses unknown zones; a stored one that vanished must not stop alerts
    local = at.astimezone(zone).time().replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end


# Far beyond any replay speed in use (a week per second is 604,800): keeps ``now - staleness * speed`` inside the
# calendar (24 h at 740,000× already reaches back before year 1).
_LONGEST = timedelta(days=365 * 1000)


def _scaled(real: timedelta, speed: float) -> timedelta:
    """A real duration on the bot's clock (a replay at ``speed``), capped so date arithmetic cannot overflow."""
    return _LONGEST if real.total_seconds() * speed >= _LONGEST.total_seconds() else real * speed


@dataclass(frozen=True, slots=True, kw_only=True)
class DispatchSettings:
    """How a :class:`Dispatcher` claims, plans and confirms: one value, checked when it is made, so a dispatcher is
    never given no workers, an empty claim or message, or a negative delay, and the defaults are written once.

    ``lease`` is how long a claim holds before another run may take it back; ``batch`` bounds one claim;
    ``concurrency`` is how many chats are sent to at once. ``staleness``, ``late_after`` and ``max_per_message``
    shape the messages (:func:`plan_messages`); the two durations are real time (scaled by the clock's speed on a
    replay). ``confirm_batch`` and ``confirm_delay`` (real seconds) bound the confirmations waiting to be written
    (module doc)."""

    lease: timedelta = timedelta(seconds=60)
    staleness: timedelta = timedelta(hours=24)
    late_after: timedelta = timedelta(minutes=5)
    batch: int = 500
    concurrency: int = 8
    max_per_message: int = 10
    confirm_batch: int = CONFIRM_BATCH
    confirm_delay: float = CONFIRM_DELAY

    def __post_init__(self) -> None:
        if min(self.concurrency, self.batch, self.max_per_message, self.confirm_batch) < 1:
            raise ValueError("concurrency, batch, max_per_message and confirm_batch must be at least 1")
        if self.confirm_delay < 0:
            raise ValueError("confirm_delay cannot be negative")


class Dispatcher:
    """Sends what is due from the outbox (module doc). One instance per process; ``run_due`` calls never overlap."""

    def __init__(
        self,
        sessions: Sessions,
        sender: Sender,
        clock: Clock,
        render: Render,
        *,
        worker: str,
        settings: DispatchSettings = DispatchSettings(),
        outbox: Outbox | None = None,
        time: Timekeeper = REAL_TIME,
    ) -> None:
        """``worker`` names this process in the claims (unique per process: host and pid). ``outbox`` defaults to
        storage.outbox; ``time`` (real time, as the Sender's) measures how long the claim has been held."""
        self._sessions = sessions
        self._sender = sender
        self._clock = clock
        self._render = render
        self._worker = worker
        self._settings = settings
        # storage.outbox itself satisfies the protocol: its module-level functions are the methods.
        self._outbox: Outbox = outbox if outbox is not None else storage_outbox
        self._time = time
        self._confirmations: Confirmations | None = None  # the running run's
        self._texts: dict[_TextKey, str] = {}  # the running run's rendered texts
        self._lock = asyncio.Lock()

    @property
    def batch(self) -> int:
        """A run that claimed this many may have left more due: the caller runs again at once."""
        return self._settings.batch

    async def run_due(self) -> DispatchReport:
        """Claim what is due on the bot's clock, send it, record each outcome; returns what happened."""
        async with self._lock:
            now = self._clock.now()
            claimed = await self._outbox.claim_due(
                self._sessions, now, worker=self._worker, lease=self._settings.lease, limit=self._settings.batch
            )
            tally = DispatchReport(claimed=len(claimed))
            if not claimed:
                return replace(tally)
            started = self._time.monotonic()
            # Lateness is a matter of real seconds: on a replay clock running 43200 times fast, an alert 5 clock
            # minutes past due is 7 ms late, not late.
            speed = self._clock.speed
            by_chat: dict[int, list[DeliveryView]] = {}
            for delivery in claimed:  # claim order is oldest due first: so is the chats' order
                by_chat.setdefault(delivery.chat_id, []).append(delivery)
            views = await self._chats(by_chat)
            queue = deque(by_chat.items())

            async def work() -> None:
                while queue:
                    chat_id, deliveries = queue.popleft()
                    plan = plan_messages(
                        deliveries,
                        now,
                        staleness=_scaled(self._settings.staleness, speed),
                        late_after=_scaled(self._settings.late_after, speed),
                        max_per_message=self._settings.max_per_message,
                    )
                    await self._run_chat(views.get(chat_id), chat_id, plan, started, tally)

            confirmations = self._confirmations = Confirmations(
                self._confirm, tally, size=self._settings.confirm_batch, delay=self._settings.confirm_delay
            )
            self._texts = {}
            try:
                async with asyncio.TaskGroup() as group:
                    for _ in range(min(self._settings.concurrency, len(queue))):
                        group.create_task(work())
            except asyncio.CancelledError:
                # Chats no task had started yet: hand them back now rather than after the lease (best effort: if
                # that fails too, the lease still brings them back).
                with contextlib.suppress(Exception):
                    await self._hand_back([d.id for _, ds in queue for d in ds], tally)
                raise
            finally:
                # What went out is confirmed before the run ends, however it ends (cancelled: best effort).
                self._confirmations = None
                self._texts = {}
                await confirmations.close()
            return replace(tally)

    async def _confirm(self, confirmations: Sequence[Confirmation]) -> int:
        return await self._outbox.confirm_many(self._sessions, confirmations, worker=self._worker)

    async def _chats(self, ids: Iterable[int]) -> dict[int, ChatView]:
        """The batch's chats in a few queries (get_chat per chat would be one query per send), read as plain
        columns: ORM objects for 500 chats cost more than the query."""
        wanted = list(ids)
        found: dict[int, ChatView] = {}
        async with self._sessions() as session:
            for start in range(0, len(wanted), _CHAT_CHUNK):
                rows = await session.execute(
                    select(*chats.CHAT_COLUMNS).where(ChatRow.id.in_(wanted[start : start + _CHAT_CHUNK]))
                )
                found.update((row.id, ChatView(**row._mapping)) for row in rows)
        return found

    async def _run_chat(
        self, chat: ChatView | None, chat_id: int, plan: list[Message], started: float, tally: DispatchReport
    ) -> None:
        """Send one chat's messages in order; stop at the first outcome that concerns the whole chat."""
        if chat is None or not chat.enabled or not chat.member:
            # claim_due should not hand these out; if it did (a race with /stop or a block), keep them pending.
            log.warning("chat %s is unknown, paused or left: releasing its %d messages", chat_id, len(plan))
            await self._release(plan, tally)
            return
        index = 0
        try:
            while index < len(plan):
                if self._time.monotonic() - started >= self._settings.lease.total_seconds() / 2:
                    # Past half the lease another run may take these back: send nothing more from this claim.
                    await self._release(plan[index:], tally)
                    return
                keep_going, chat = await self._deliver(chat, plan[index], plan[index + 1 :], tally)
                index += 1  # sent messages wait in the buffer: from here on, they are not this chat's to hand back
                await self._buffer().make_room()
                if not keep_going:
                    return
        except asyncio.CancelledError:
            # Everything not confirmed goes back now, the message in flight included: it may have reached Telegram
            # (the bounded duplicate, as after a crash), but holding it back until its lease ran out while the
            # ones behind it went out would break the chat's order. A release that fails leaves it to the lease.
            with contextlib.suppress(Exception):
                await self._release(plan[index:], tally)
            raise
        except SendingStopped:
            with contextlib.suppress(Exception):
                await self._release(plan[index:], tally)
        except Exception:
            log.exception("dispatch to chat %s failed; handing back its unconfirmed messages", chat_id)
            with contextlib.suppress(Exception):
                await self._release(plan[index:], tally)

    async def _deliver(
        self, chat: ChatView, message: Message, rest: Sequence[Message], tally: DispatchReport
    ) -> tuple[bool, ChatView]:
        """Send one message (following a migration) and record its outcome; returns (go on with this chat,
        the chat as it now is)."""
        ids = message.ids
        for _ in range(_MAX_MIGRATIONS + 1):
            try:
                text = self._text(chat, message)
            except Exception as error:  # a rendering bug: visible as failed in /health, not retried forever
                log.exception("could not render %s for chat %s", message.kind, chat.id)
                await self._outbox.mark_failed(self._sessions, ids, worker=self._worker, error=f"render: {error!r}")
                tally.failed += len(ids)
                return True, chat
            silent = in_quiet_hours(chat, self._clock.now())
            outcome = await self._sender.send(chat.id, text, silent=silent)
            if outcome.status != "migrated":
                return await self._record(chat, message, rest, outcome, tally), chat
            await self._buffer().flush()  # the move rewrites the chat's rows, the ones just sent among them
            moved = await self._migrate(chat.id, outcome, tally)
            if moved is None or not moved.enabled or not moved.member:
                await self._release([message, *rest], tally)
                return False, moved or chat
            chat = moved
        log.warning("chat %s keeps migrating; trying again later", chat.id)
        await self._release([message, *rest], tally)
        return False, chat

    async def _record(
        self, chat: ChatView, message: Message, rest: Sequence[Message], outcome: Outcome, tally: DispatchReport
    ) -> bool:
        """Store a non-migration outcome; True when the chat's next message should still go."""
        ids = message.ids
        error = outcome.error or outcome.status
        if outcome.status == "sent":
            assert outcome.message_id is not None
            self._buffer().add(Confirmation(ids, outcome.message_id, outcome.chat_id))
            tally.messages += 1
            return True
        if outcome.status == "retry":
            assert outcome.retry_at is not None
            later = [i for m in (message, *rest) for i in m.ids]  # the rest too: the chat's order holds
            await self._outbox.retry_later(self._sessions, later, worker=self._worker, at=outcome.retry_at, error=error)
            tally.retried += len(later)
            return False
        if outcome.status == "failed":
            await self._outbox.mark_failed(self._sessions, ids, worker=self._worker, error=error)
            tally.failed += len(ids)
            return True
        # disabled: Telegram will not take anything for this chat until someone sends /start again.
        await chats.set_enabled(self._sessions, chat.id, False, error)
        tally.disabled += 1
        await self._release([message, *rest], tally)
        return False

    def _text(self, chat: ChatView, message: Message) -> str:
        key: _TextKey = (
            chat.language,
            chat.timezone,
            message.kind,
            tuple((d.alert.id, d.due_at) for d in message.deliveries),
        )
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = self._render(chat, message.deliveries, message.kind)
        return text

    def _buffer(self) -> Confirmations:
        assert self._confirmations is not None, "only within run_due"
        return self._confirmations

    async def _migrate(self, old_id: int, outcome: Outcome, tally: DispatchReport) -> ChatView | None:
        assert outcome.new_chat_id is not None
        log.info("chat %s migrated to %s: moving it and sending there", old_id, outcome.new_chat_id)
        moved = await chats.migrate_chat(self._sessions, old_id, outcome.new_chat_id, on_move=self._outbox.move_chat)
        tally.migrated += 1
        return moved

    async def _release(self, messages: Sequence[Message], tally: DispatchReport) -> None:
        await self._hand_back([i for m in messages for i in m.ids], tally)

    async def _hand_back(self, ids: list[int], tally: DispatchReport) -> None:
        if ids:
            await self._outbox.release(self._sessions, ids, worker=self._worker)
            tally.released += len(ids)
