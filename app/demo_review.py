"""The demo's last scene: REVIEW_MODE=review, shown after the story rather than during it.

The story runs with review off: in review mode each of its commitments would wait for an admin's ✅ before any
alert, and the replay is about the alerts. So once the story is over, one more article comes in the way it would
with REVIEW_MODE=review (the Victory Day truce Putin ordered on 28 April 2025): its commitments wait, unconfirmed;
the subscriber hears nothing about them; the admin (the demo's user is one) gets a review card for each, opens the
queue with /review, confirms the truce, rejects the proposal, and reads the truce's /history. The clock runs a week
per real second to the article's publication, then at real pace while the admin works.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.chat import Conversation
from articles.extract import extract_file
from articles.model import ArticleError
from storage.loader import load_article
from tracking.state import instant

ARTICLE = "en_victory-day-truce_2025-04-28.txt"
SPEED = 604_800.0  # a week per real second, to the article's publication
AFTER = 0.3  # real seconds: the loop looks at the chat this often while the clock runs
CARDS_WITHIN = 10.0  # real seconds at most for the review cards to arrive
CARD = "🔎 <b>"  # how a review card begins (bot.display.review_card)


class Clock(Protocol):
    """What the scene needs of app.demo.DemoClock."""

    def now(self) -> datetime: ...

    def run_at(self, speed: float) -> None: ...


async def review_scene(
    conversation: Conversation,
    clock: Clock,
    sessions: async_sessionmaker[AsyncSession],
    tz: ZoneInfo,
    out: TextIO,
    folder: Path,
    heading: Callable[[datetime], str],
) -> None:
    """Play the scene (module doc); ``heading(at)`` is the demo's clock line for an instant."""
    try:
        article = extract_file(str(folder / ARTICLE))
    except ArticleError as error:
        out.write(f"skipped the review scene: {error.path}: {error.reason}\n")
        return
    published = instant(article.published, tz).astimezone(UTC)
    out.write(
        "\n… and REVIEW_MODE=review, in a short scene after the story (the story runs with review off: in review "
        "mode its alerts would wait for an editor). One more article, as a feed brings it in review mode:\n\n"
    )
    clock.run_at(SPEED)
    conversation.wake_alerts()
    while clock.now() < published:
        conversation.print_new()
        await asyncio.sleep(min(AFTER, max((published - clock.now()).total_seconds() / SPEED, 0.01)))
    clock.run_at(1.0)
    conversation.wake_alerts()
    conversation.print_new()
    outcome = await load_article(sessions, article, review=True)
    conversation.heading(heading(clock.now()))
    waiting = len(outcome.created)
    out.write(
        f"📰 news (review mode): “{article.title}” — {waiting} new commitment{'' if waiting == 1 else 's'} wait "
        f"for review; no subscriber hears of them until an admin confirms [{ARTICLE}]\n"
    )
    conversation.wake_alerts()
    if not outcome.created:
        return
    await _cards(conversation, waiting)  # to the admin's private chat, one a second (the per-chat pace)
    if waiting > 1:
        await conversation.say("4")  # ❌ Reject on the last card: the 30-day proposal
    await conversation.say("/review")  # what still waits: the truce
    await conversation.say("1")  # its card again, with its buttons
    await conversation.say("1")  # ✅ Confirm: its alerts are planned from now
    await conversation.say(f"/history {outcome.created[0].id}")


async def _cards(conversation: Conversation, count: int) -> None:
    """Until ``count`` review cards have arrived (printed as they come), at most :data:`CARDS_WITHIN` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CARDS_WITHIN
    while loop.time() < deadline:
        conversation.print_new()
        cards = [c for c in conversation.api.sent(conversation.chat.id) if CARD in str(c.params.get("text", ""))]
        if len(cards) >= count:
            return
        await asyncio.sleep(0.05)
