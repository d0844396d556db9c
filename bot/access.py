"""Who may change what: configured admins change tracked data; in groups only chat admins change chat settings."""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Collection, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ContextTypes

from bot import display
from bot.context import chat_of, deps_of


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A configured admin (ADMIN_USER_IDS): the only people who may log reports or load articles."""
    user = update.effective_user
    return user is not None and user.id in deps_of(context).admins


def sees_unconfirmed(update: Update, admins: Collection[int]) -> bool:
    """One of the ``admins`` in their private chat: the only place what waits for review is listed (in a group
    the whole group would read it)."""
    chat, user = update.effective_chat, update.effective_user
    return chat is not None and user is not None and chat.type == ChatType.PRIVATE and user.id in admins


async def may_change_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Anyone in their private chat; in a group, its creator and administrators (also when posting anonymously)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous group admin speaks as the group itself
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


@dataclass
class Throttle:
    """How often one user may start expensive work (a chart, a calendar, an upload): a token bucket per user,
    ``burst`` at once, then one every ``every`` seconds. Measured on the real monotonic clock, never the replay
    clock: it guards the machine, not the story. A bucket is a dozen lines, so no library: `limits` and
    `pyrate-limiter` bring storage back-ends and background timers this does not need."""

    burst: int
    every: float
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[int, tuple[float, float]] = field(default_factory=dict)  # user → (tokens, when counted)

    def take(self, user_id: int) -> float:
        """0 when the user may go ahead (one token taken); otherwise the seconds until they may."""
        now = self.clock()
        tokens, then = self._buckets.get(user_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) / self.every)
        if tokens >= 1:
            self._buckets[user_id] = (tokens - 1, now)
            if len(self._buckets) > 10_000:  # forget users whose bucket has refilled: they start full anyway
                full = self.burst * self.every
                self._buckets = {u: b for u, b in self._buckets.items() if now - b[1] < full}
            return 0.0
        self._buckets[user_id] = (tokens, now)
        return (1 - tokens) * self.every


# Chart and calendar share a budget (both read every commitment and render); uploads have their own.
RENDERING = "rendering"
UPLOADS = "uploads"
THROTTLES_KEY = "throttles"


def throttles() -> dict[str, Throttle]:
    """A user may ask for 3 charts or calendars at once, then one every 10 s; upload 5 articles, then one every
    6 s. 15 × /timeline in a row then renders 3 times, and the other 12 are told when to try again."""
    return {RENDERING: Throttle(burst=3, every=10.0), UPLOADS: Throttle(burst=5, every=6.0)}


def throttled(kind: str, handler: Handler) -> Handler:
    """``handler`` run only while the user is within the ``kind`` budget; past it, a polite "try again in N s"
    (the throttles live in the Application's bot_data, so each bot, and each test, has its own)."""

    @functools.wraps(handler)
    async def limited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        throttle = context.application.bot_data.get(THROTTLES_KEY, {}).get(kind)
        wait = throttle.take(user.id) if throttle is not None and user is not None else 0.0
        if wait <= 0:
            await handler(update, context)
            return
        _, ctx = await chat_of(update, deps_of(context))
        message = update.effective_message
        if message is not None:
            await message.reply_html(display.try_again(math.ceil(wait), ctx))

    return limited
