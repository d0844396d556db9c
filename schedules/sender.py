"""Send one alert message to one chat and say what became of it, so the outbox can record the right state.

Telegram answers a send in five ways that matter to delivery: :func:`classify` names what an error means, and
:class:`Sender` acts on it (waits, retries, or ends with one :class:`Outcome` status):

* ``sent`` — Telegram took it; the message id confirms the delivery.
* ``retry`` — flood control (429) asked for a wait longer than we hold a claim for; the outbox keeps the delivery
  and tries again at ``retry_at`` (real time). Shorter 429 waits are served here: wait exactly ``retry_after``,
  send the same message again, and do not count it as a failed attempt — Telegram did nothing wrong, we were fast.
* ``failed`` — a request Telegram refused for good (a 400 other than "chat not found", e.g. a malformed text), or
  transient errors (timeouts, network errors, 5xx) that outlasted ``max_attempts`` tries with exponential backoff,
  then shown in /health. The retries run here, in-process, rather than as later outbox rounds: they keep one
  chat's messages in order and a claim short, and an outage that outlasts them (4–8 s of backoff plus five request
  timeouts with the defaults) is one an admin should see.
* ``disabled`` — the bot may not write to the chat any more (``Forbidden``: blocked, kicked, user deactivated;
  or "chat not found"): the chat is paused until /start.
* ``migrated`` — the group became a supergroup; the caller moves the chat and sends again to ``new_chat_id``.

Timeouts and duplicates. A ``TimedOut`` on sendMessage is ambiguous: the request may have reached Telegram and only
the answer was lost, and the Bot API has no idempotency key. We choose at-least-once: a timed-out send is sent again
(a reader would rather see an alert twice than miss a lapse), so a message can be duplicated only when Telegram did
deliver it *and* the answer was lost, at most ``max_attempts - 1`` times per message. When the request never
arrived (a connect or pool timeout, or the loopback API's stall fault, which answers with an error after its delay)
the retry is the only copy, so delivery stays exactly-once. Keep the bot's read timeout well above Telegram's usual
latency (PTB's default is 5 s) so the ambiguous case stays rare.

Limits. Telegram allows about one message per second per chat, 20 per minute per group and 30 per second overall.
The last two are the job of python-telegram-bot's ``AIORateLimiter``, which the bot's ``Application`` is built with
(with ``max_retries=0``, so 429s reach this class, which bounds and reports the waits). The per-chat pace is kept
here: every attempt reserves the chat's next free slot before it awaits anything, so concurrent sends — to the
same chat or to different ones — never put two requests into one chat less than ``per_chat_interval`` apart, and
sends to different chats never wait for each other.

Overall pace (``per_second``). A limiter that hands out slots ahead of time lets the sends whose slots fell inside
a stall of the event loop (a busy machine, a long handler) all go at once when it ends: the server then counts
more than 30 in one second and answers 429. With ``per_second`` set, sends pass one at a time on an even schedule
of ``1 / per_second``, and one that leaves late (after a stall) starts the schedule again from then, so lost time
is never made up by sending faster. Set a little under Telegram's 30 (:data:`PACE`), the jitter between leaving here
and arriving there does not add up to a 31st message in a second.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from schedules.clock import REAL_TIME, Timekeeper

log = logging.getLogger(__name__)

Status = Literal["sent", "retry", "failed", "disabled", "migrated"]

# Telegram's description for a chat id that does not (or no longer) exist; PTB strips the "Bad Request: " prefix.
_CHAT_NOT_FOUND = "chat not found"
# Keep per-chat pacing state bounded: entries whose slot has passed carry no information and are dropped.
_PRUNE_FROM = 4096
# Alert sends per second, all chats together: Telegram's 30 less about 1 %, the margin for arrival jitter.
PACE = 29.6
# A send that leaves at most this late keeps to the even schedule (a sleep overshoots by a millisecond or so);
# later than this, the schedule starts again from when it left: lost time is not made up.
_ON_TIME = 0.002


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one :meth:`Sender.send` came to.

    ``chat_id`` is the chat the message went to (``sent``) or was addressed to (the rest); ``message_id`` is set
    for ``sent``, ``retry_at`` (aware, real time) for ``retry``, ``new_chat_id`` for ``migrated``, ``error`` for
    everything but ``sent``. ``requests`` counts the sendMessage calls made and ``flood_wait`` the seconds slept on
    429s, so callers and tests can see what the faults cost.
    """

    status: Status
    chat_id: int
    message_id: int | None = None
    retry_at: datetime | None = None
    new_chat_id: int | None = None
    error: str | None = None
    requests: int = 0
    flood_wait: float = 0.0


def exponential_backoff(failures: int, *, base: float = 0.5, cap: float = 30.0) -> float:
    """Seconds to wait after the ``failures``-th consecutive transient error (0-based): ``base * 2**n`` bounded by
    ``cap``, with "equal jitter" (half fixed, half random) so chats that failed together do not retry together."""
    bound = min(cap, base * 2.0**failures)
    return bound / 2 + random.uniform(0, bound / 2)


def retry_after_seconds(error: RetryAfter) -> float:
    """The flood-control wait in seconds. PTB 22 returns int or timedelta depending on ``PTB_TIMEDELTA`` and warns
    about the int form; either way we want a float and no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: float | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class SendSettings:
    """How fast a :class:`Sender` goes and how long it keeps trying: one value, checked when it is made, so a
    sender is never given no attempts, a negative wait or a pace of zero, and the defaults are written once.

    ``per_chat_interval`` is the least time in seconds between two sends to one chat; ``max_attempts`` bounds the
    requests one message may spend on transient errors (429s do not count); ``max_flood_wait`` bounds the seconds
    one message may wait on 429s before it is handed back as ``retry``; ``per_second`` turns on the overall pace
    (module doc), None leaves it to the bot's rate limiter alone."""

    per_chat_interval: float = 1.0
    max_attempts: int = 5
    max_flood_wait: float = 60.0
    per_second: float | None = None

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.per_chat_interval < 0 or self.max_flood_wait < 0:
            raise ValueError("per_chat_interval and max_flood_wait cannot be negative")
        if self.per_second is not None and self.per_second <= 0:
            raise ValueError("per_second must be positive")


class Sender:
    """Sends alert texts through a ``telegram.Bot``, pacing each chat and classifying the outcome (module doc)."""

    def __init__(
        self,
        bot: Bot,
        *,
        settings: SendSettings = SendSettings(),
        backoff: Callable[[int], float] = exponential_backoff,
        parse_mode: str | None = ParseMode.HTML,
        time: Timekeeper = REAL_TIME,
    ) -> None:
        """``backoff`` gives the wait after the n-th transient error in a row; ``parse_mode`` is HTML because
        bot.display renders HTML; ``time`` (real time, never the replay clock) paces, waits and dates a retry, and
        is injectable so tests run without waiting."""
        self._bot = bot
        self._settings = settings
        self._backoff = backoff
        self._parse_mode = parse_mode
        self._time = time
        self._next_free: dict[int, float] = {}  # chat id → monotonic time of its next free send slot
        self._prune_at = _PRUNE_FROM
        self._gap = None if settings.per_second is None else 1.0 / settings.per_second
        self._turn = asyncio.Lock()
        self._left = -math.inf  # monotonic time the last send left the overall pace

    async def send(self, chat_id: int, text: str, *, silent: bool) -> Outcome:
        """Send ``text`` to ``chat_id`` (``silent``: without a notification sound) and classify the result.

        Raises only for what is not about this delivery: cancellation, and a token Telegram does not know
        (``InvalidToken``) — marking alerts failed for a configuration error would lose them."""
        tally = _Tally(chat_id)
        while True:
            await self._pace(chat_id)
            await self._overall()
            tally.requests += 1
            try:
                message = await self._bot.send_message(
                    chat_id, text, parse_mode=self._parse_mode, disable_notification=silent
                )
            except TelegramError as error:
                verdict = classify(error)
                if verdict == "fatal":
                    raise
                if isinstance(error, RetryAfter):  # verdict "flood"
                    seconds = retry_after_seconds(error)
                    self._hold(chat_id, seconds)
                    if tally.waited + seconds > self._settings.max_flood_wait:
                        return tally.ended("retry", error, retry_at=self._time.wall() + timedelta(seconds=seconds))
                    log.info("flood control for chat %s: waiting %.1f s, then sending again", chat_id, seconds)
                    await self._time.sleep(seconds)
                    tally.waited += seconds
                    continue
                if verdict in ("transient", "flood"):  # a "flood" here is a 429 that names no wait
                    tally.failures += 1
                    if tally.failures >= self._settings.max_attempts:
                        return tally.ended("failed", error)
                    delay = self._backoff(tally.failures - 1)
                    log.info(
                        "sending to chat %s failed (%s); try %d in %.1f s", chat_id, error, tally.failures + 1, delay
                    )
                    await self._time.sleep(delay)
                    continue
                new_chat_id = int(error.new_chat_id) if isinstance(error, ChatMigrated) else None
                return tally.ended(_ENDS[verdict], error, new_chat_id=new_chat_id)
            return Outcome(
                "sent",
                message.chat.id,
                message_id=message.message_id,
                requests=tally.requests,
                flood_wait=tally.waited,
            )

    async def _pace(self, chat_id: int) -> None:
        """Wait for the chat's next free slot. The slot is taken before the first await, so two concurrent sends to
        one chat can never both see it free."""
        now = self._time.monotonic()
        start = max(now, self._next_free.get(chat_id, now))
        self._next_free[chat_id] = start + self._settings.per_chat_interval
        if len(self._next_free) >= self._prune_at:
            self._prune(now)
        if start > now:
            await self._time.sleep(start - now)

    async def _overall(self) -> None:
        """One send at a time, on an even schedule of ``1 / per_second``; a send that leaves late (a stall) starts
        the schedule again from then, so what follows is delayed instead of bunching up. Any 31 sends in a row
        thus span at least ``30 / per_second - _ON_TIME``, more than a second."""
        if self._gap is None:
            return
        async with self._turn:
            slot = max(self._left + self._gap, self._time.monotonic())
            while (wait := slot - self._time.monotonic()) > 0:
                await self._time.sleep(wait)
            now = self._time.monotonic()
            self._left = slot if now - slot <= _ON_TIME else now

    def _hold(self, chat_id: int, seconds: float) -> None:
        """Flood control for a chat: no send to it (from any caller) before ``seconds`` have passed."""
        until = self._time.monotonic() + seconds
        self._next_free[chat_id] = max(until, self._next_free.get(chat_id, until))

    def _prune(self, now: float) -> None:
        self._next_free = {chat: at for chat, at in self._next_free.items() if at > now}
        self._prune_at = max(_PRUNE_FROM, 2 * len(self._next_free))


Verdict = Literal["flood", "transient", "migrated", "disabled", "failed", "fatal"]


def classify(error: TelegramError) -> Verdict:
    """What Telegram's refusal of one send means for the delivery (module doc): ``flood`` a 429 to wait out,
    ``transient`` a fault worth another try (timeouts, network errors, 5xx, an answer that did not parse),
    ``migrated`` a group that became a supergroup, ``disabled`` a chat the bot may not write to any more (blocked,
    kicked, deactivated, not found), ``failed`` a request refused for good, ``fatal`` not about this delivery at all
    (a token Telegram does not know, a wrong endpoint: marking alerts failed for it would lose them)."""
    if isinstance(error, RetryAfter):
        return "flood"
    if isinstance(error, ChatMigrated):
        return "migrated"
    if isinstance(error, Forbidden):
        return "disabled"
    if isinstance(error, BadRequest):  # before NetworkError: BadRequest is one of its subclasses in PTB
        return "disabled" if _CHAT_NOT_FOUND in error.message.lower() else "failed"
    if isinstance(error, InvalidToken | EndPointNotFound):
        return "fatal"
    return "transient"


# The verdicts that end a send, and the outcome each ends in.
_ENDS: dict[Verdict, Status] = {"migrated": "migrated", "disabled": "disabled", "failed": "failed"}


@dataclass(slots=True)
class _Tally:
    """What one message's sending has cost so far, so every ending reports the same counts."""

    chat_id: int
    failures: int = 0  # transient errors in a row
    requests: int = 0
    waited: float = 0.0  # seconds slept on 429s

    def ended(
        self, status: Status, error: TelegramError, *, retry_at: datetime | None = None, new_chat_id: int | None = None
    ) -> Outcome:
        """The outcome of a send that did not go through, with what it cost."""
        return Outcome(
            status,
            self.chat_id,
            retry_at=retry_at,
            new_chat_id=new_chat_id,
            error=_describe(error),
            requests=self.requests,
            flood_wait=self.waited,
        )


def _describe(error: TelegramError) -> str:
    """Error text for the outbox and /health: the class says what kind, the message says what Telegram said."""
    return f"{type(error).__name__}: {error.message}"
