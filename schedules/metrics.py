"""Prometheus metrics of one bot process, and the thin wrappers that count what goes through the alert path.

The counters live in prometheus-client's default registry, so ``/metrics`` (app.health) also shows the process and
Python collectors. Counters count what this process did since it started (Prometheus' ``rate()`` copes with
restarts); what the database knows — deliveries per state, how deep the due outbox is and how old its oldest due
delivery — is read at scrape time (:func:`refresh_outbox`), so every replica reports the same, leader or not.

The sending wrappers stay outside :mod:`schedules.sender` so that its fault handling is measured, not changed:
:class:`MeteredSender` counts each message's outcome, :class:`CountingBot` times every request and counts 429s,
and refuses to send at all while ``allowed()`` says this process may not (a leader that lost its lock).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, cast

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, Update
from telegram.error import RetryAfter

from schedules.dispatch import SendingStopped
from schedules.feeds import PollResult
from schedules.sender import PACE, Outcome, Sender, SendSettings
from storage.models import DeliveryRow

PREFIX = "ceasefire_watch"

UPDATES = Counter(f"{PREFIX}_updates", "Telegram updates handled, by command (or kind of update)", ["command"])
ALERT_MESSAGES = Counter(
    f"{PREFIX}_alert_messages", "Alert messages by outcome: sent, retry (a long 429), failed, disabled, migrated",
    ["outcome"],
)  # fmt: skip
SEND_SECONDS = Histogram(
    f"{PREFIX}_send_seconds",
    "Seconds one sendMessage request of an alert took, answered or not",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
FLOOD_WAITS = Counter(f"{PREFIX}_flood_waits", "Alert sends Telegram answered with 429 (retry after)")
REFUSED_SENDS = Counter(f"{PREFIX}_refused_sends", "Alert sends refused here because this process is not the leader")
FEED_POLLS = Counter(
    f"{PREFIX}_feed_polls", "Feed polls by result: new, unchanged, not_modified, failed, gone", ["status"]
)
FEED_ERRORS = Counter(f"{PREFIX}_feed_errors", "Feed polls that failed (unreachable, 4xx/5xx, not a feed, …)")
DELIVERIES = Gauge(f"{PREFIX}_deliveries", "Deliveries in the outbox by state (read from the database)", ["state"])
OUTBOX_DUE = Gauge(f"{PREFIX}_outbox_due", "Pending deliveries already due on the bot's clock")
OLDEST_DUE_AGE = Gauge(
    f"{PREFIX}_outbox_oldest_due_age_seconds", "How long the oldest pending due delivery has been due (bot clock)"
)
LEADER = Gauge(f"{PREFIX}_leader", "1 while this process runs the alert plan, the sends and the feed polls")
LAST_TICK_AGE = Gauge(
    f"{PREFIX}_scheduler_last_tick_age_seconds", "Seconds since the alert scheduler last ticked (leader only; -1 else)"
)

DELIVERY_STATES = ("pending", "sending", "sent", "failed", "cancelled")
# Label values for updates that are not a known command: the label set stays bounded whatever users type.
_KINDS = ("button", "document", "message", "member", "other", "unknown_command")


def update_kind(update: object, commands: frozenset[str]) -> str:
    """The label an update is counted under: its command when it is one of ``commands``, else its kind."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "button"
    if update.my_chat_member is not None:
        return "member"
    message = update.effective_message
    if message is None:
        return "other"
    if message.document is not None:
        return "document"
    text = message.text or ""
    if text.startswith("/"):
        name = text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else ""
        return name if name in commands else "unknown_command"
    return "message"


def counter_of_updates(commands: frozenset[str]) -> Callable[[object, object], Any]:
    """A handler callback (for a TypeHandler in an early group) that counts every update by :func:`update_kind`."""

    async def count(update: object, _context: object) -> None:
        UPDATES.labels(update_kind(update, commands)).inc()

    return count


def on_feed_poll(result: PollResult) -> None:
    """A FeedPoller listener: one poll counted by its result."""
    FEED_POLLS.labels(result.status).inc()
    if result.status == "failed":
        FEED_ERRORS.inc()


class NotLeader(SendingStopped):
    """A send attempted while this process may not send (it lost leadership): nothing was sent."""


class CountingBot:
    """The bot the Sender uses: times each ``send_message``, counts 429s, and refuses to send when ``allowed()``
    is False. Only ``send_message`` is wrapped; the Sender calls nothing else."""

    def __init__(self, bot: Bot, allowed: Callable[[], bool] = lambda: True) -> None:
        self._bot = bot
        self._allowed = allowed

    async def send_message(self, *args: Any, **kwargs: Any) -> Any:
        if not self._allowed():
            REFUSED_SENDS.inc()
            raise NotLeader("not the leader: alert sends stopped")
        started = time.monotonic()
        try:
            return await self._bot.send_message(*args, **kwargs)
        except RetryAfter:
            FLOOD_WAITS.inc()
            raise
        finally:
            SEND_SECONDS.observe(time.monotonic() - started)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bot, name)


class MeteredSender(Sender):
    """A Sender whose outcomes are counted (``ceasefire_watch_alert_messages_total``)."""

    async def send(self, chat_id: int, text: str, *, silent: bool) -> Outcome:
        outcome = await super().send(chat_id, text, silent=silent)
        ALERT_MESSAGES.labels(outcome.status).inc()
        return outcome


def pace(allowed_per_second: float) -> float:
    """The Sender's overall pace for a configured rate (TELEGRAM_MAX_MESSAGES_PER_SECOND): the same margin under
    it as :data:`~schedules.sender.PACE` keeps under Telegram's 30."""
    return allowed_per_second * PACE / 30


def metered_sender(
    allowed: Callable[[], bool] = lambda: True, per_second: float | None = PACE
) -> Callable[[Bot], Sender]:
    """What bot.app.build_alerts builds its Sender with: counted outcomes over a :class:`CountingBot`, paced at
    ``per_second`` overall (None: the bot's rate limiter alone)."""
    return lambda bot: MeteredSender(cast(Bot, CountingBot(bot, allowed)), settings=SendSettings(per_second=per_second))


async def refresh_outbox(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    """Set the outbox gauges from the database: deliveries per state, and the due ones at ``now`` (bot clock)."""
    async with sessions() as session:
        rows = await session.execute(select(DeliveryRow.state, func.count()).group_by(DeliveryRow.state))
        counts: Mapping[str, int] = {str(state): int(count) for state, count in rows}
        due, oldest = (
            await session.execute(
                select(func.count(), func.min(DeliveryRow.due_at)).where(
                    DeliveryRow.state == "pending", DeliveryRow.due_at <= now
                )
            )
        ).one()
    for state in sorted({*DELIVERY_STATES, *counts}):
        DELIVERIES.labels(state).set(counts.get(state, 0))
    OUTBOX_DUE.set(due or 0)
    if oldest is None:
        OLDEST_DUE_AGE.set(0)
    else:
        oldest = oldest if oldest.tzinfo is not None else oldest.replace(tzinfo=UTC)  # min() keeps UtcDateTime
        OLDEST_DUE_AGE.set(max(0.0, (now - oldest).total_seconds()))
