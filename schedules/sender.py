"""Send one alert message to one chat and say what became of it, so the outbox can record the right state.

Telegram answers a send in five ways that matter to delivery, and :class:`Sender` folds every error into one of
them (the :class:`Outcome` status):

* ``sent`` — Telegram took it; the message id confirms the delivery.
* ``retry`` — flood control (429) asked for a wait longer than we hold a claim for; the outbox keeps the delivery
  and tries again at ``retry_at`` (real time). Shorter 429 waits are served here: wait exactly ``retry_after``,
  send the same message again, and do not count it as a failed attempt — Telegram did nothing wrong, we were fast.
* ``failed`` — a request Telegram refused for good (a 400 other than "chat not found", e.g. a malformed text), or
  transient errors (timeouts, network errors, 5xx) that outlasted ``max_attempts`` tries with exponential backoff.
  The issue asks for exactly that: retry a bounded number of times, then mark failed and show it in /health.
  The retries run here, in-process, rather than as later outbox rounds: they keep one chat's messages in order
  and a claim short, and an outage that outlasts them (4–8 s of backoff plus five request timeouts with the
  defaults) is one an admin should see.
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
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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

log = logging.getLogger(__name__)

Status = Literal["sent", "retry", "failed", "disabled", "migrated"]
Sleep = Callable[[float], Awaitable[None]]

# Telegram's description for a chat id that does not (or no longer) exist; PTB strips the "Bad Request: " prefix.
_CHAT_NOT_FOUND = "chat not found"
# Keep per-chat pacing state bounded: entries whose slot has passed carry no information and are dropped.
_PRUNE_FROM = 4096


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


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Sender:
    """Sends alert texts through a ``telegram.Bot``, pacing each chat and classifying the outcome (module doc)."""

    def __init__(
        self,
        bot: Bot,
        *,
        per_chat_interval: float = 1.0,
        max_attempts: int = 5,
        backoff: Callable[[int], float] = exponential_backoff,
        max_flood_wait: float = 60.0,
        parse_mode: str | None = ParseMode.HTML,
        sleep: Sleep = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = _utc_now,
    ) -> None:
        """``max_attempts`` bounds the requests one message may spend on transient errors (429s do not count);
        ``max_flood_wait`` bounds the seconds one message may wait on 429s before it is handed back as ``retry``;
        ``parse_mode`` is HTML because bot.display renders HTML; ``sleep``, ``monotonic`` and ``wall`` (aware UTC,
        real time — never the replay clock) are injectable so tests run without waiting."""
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if per_chat_interval < 0 or max_flood_wait < 0:
            raise ValueError("per_chat_interval and max_flood_wait cannot be negative")
        self._bot = bot
        self._interval = per_chat_interval
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._max_flood_wait = max_flood_wait
        self._parse_mode = parse_mode
        self._sleep = sleep
        self._monotonic = monotonic
        self._wall = wall
        self._next_free: dict[int, float] = {}  # chat id → monotonic time of its next free send slot
        self._prune_at = _PRUNE_FROM

    async def send(self, chat_id: int, text: str, *, silent: bool) -> Outcome:
        """Send ``text`` to ``chat_id`` (``silent``: without a notification sound) and classify the result.

        Raises only for what is not about this delivery: cancellation, and a token Telegram does not know
        (``InvalidToken``) — marking alerts failed for a configuration error would lose them."""
        failures = 0
        requests = 0
        waited = 0.0
        while True:
            await self._pace(chat_id)
            requests += 1
            try:
                message = await self._bot.send_message(
                    chat_id, text, parse_mode=self._parse_mode, disable_notification=silent
                )
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                self._hold(chat_id, seconds)
                if waited + seconds > self._max_flood_wait:
                    retry_at = self._wall() + timedelta(seconds=seconds)
                    return Outcome(
                        "retry",
                        chat_id,
                        retry_at=retry_at,
                        error=_describe(error),
                        requests=requests,
                        flood_wait=waited,
                    )
                log.info("flood control for chat %s: waiting %.1f s, then sending again", chat_id, seconds)
                await self._sleep(seconds)
                waited += seconds
                continue
            except ChatMigrated as error:
                new_chat_id = int(error.new_chat_id)
                return Outcome(
                    "migrated",
                    chat_id,
                    new_chat_id=new_chat_id,
                    error=_describe(error),
                    requests=requests,
                    flood_wait=waited,
                )
            except Forbidden as error:
                return Outcome("disabled", chat_id, error=_describe(error), requests=requests, flood_wait=waited)
            except BadRequest as error:  # before NetworkError: BadRequest is one of its subclasses in PTB
                status: Status = "disabled" if _CHAT_NOT_FOUND in error.message.lower() else "failed"
                return Outcome(status, chat_id, error=_describe(error), requests=requests, flood_wait=waited)
            except (InvalidToken, EndPointNotFound):
                raise
            except TelegramError as error:
                # NetworkError: TimedOut, connection errors, 5xx (PTB raises NetworkError for those), a 429 without
                # retry_after; a bare TelegramError: an answer that did not parse (a proxy's error page).
                failures += 1
                if failures >= self._max_attempts:
                    return Outcome("failed", chat_id, error=_describe(error), requests=requests, flood_wait=waited)
                delay = self._backoff(failures - 1)
                log.info("sending to chat %s failed (%s); try %d in %.1f s", chat_id, error, failures + 1, delay)
                await self._sleep(delay)
                continue
            return Outcome("sent", message.chat.id, message_id=message.message_id, requests=requests, flood_wait=waited)

    async def _pace(self, chat_id: int) -> None:
        """Wait for the chat's next free slot. The slot is taken before the first await, so two concurrent sends to
        one chat can never both see it free."""
        now = self._monotonic()
        start = max(now, self._next_free.get(chat_id, now))
        self._next_free[chat_id] = start + self._interval
        if len(self._next_free) >= self._prune_at:
            self._prune(now)
        if start > now:
            await self._sleep(start - now)

    def _hold(self, chat_id: int, seconds: float) -> None:
        """Flood control for a chat: no send to it (from any caller) before ``seconds`` have passed."""
        until = self._monotonic() + seconds
        self._next_free[chat_id] = max(until, self._next_free.get(chat_id, until))

    def _prune(self, now: float) -> None:
        self._next_free = {chat: at for chat, at in self._next_free.items() if at > now}
        self._prune_at = max(_PRUNE_FROM, 2 * len(self._next_free))


def _describe(error: TelegramError) -> str:
    """Error text for the outbox and /health: the class says what kind, the message says what Telegram said."""
    return f"{type(error).__name__}: {error.message}"
