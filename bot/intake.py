"""What reaches the bot from outside besides files: links an admin sends, forwarded channel posts, feed URLs to
check, and the admins' notices about feeds. Handlers in bot.commands stay thin and call these.

A link is fetched by the one safe client (:mod:`sources.fetch`), read like a web page (:mod:`sources.pages`) and
loaded like a ``.txt``: a page without a date of its own is dated by the message, and the answer says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram.error import TelegramError
from telegram.ext import Application

from articles.extract import extract_text
from articles.model import Article, ArticleError, Moment
from articles.page import NO_DATE
from bot import display
from bot.context import Deps, context_for, deps_of
from bot.i18n import Ctx
from schedules import feeds
from schedules.feeds import Checked, Notice, Notify
from sources.feeds import FeedLink, canonical_url
from sources.fetch import Fetcher
from sources.pages import article_text, publication, read_page
from storage import chats
from storage import feeds as stored
from storage.feeds import FeedView
from storage.loader import LoadOutcome, load_article

log = logging.getLogger(__name__)

OFFERS_KEY = "feed_offers"  # bot_data: token → feed URL, for the buttons under "this page links these feeds"
OFFERS_KEPT = 256

# Reads a page's text as an article: (text, path, publication when the page shows none) -> Article.
Extract = Callable[[str, str, Moment | None], Awaitable[Article]]


@dataclass(frozen=True, slots=True)
class Loaded:
    """A link or post that was loaded: what the loader did, and the moment it was dated by when the page or post
    showed no date of its own."""

    outcome: LoadOutcome
    dated_by: datetime | None = None


@dataclass(frozen=True, slots=True)
class IsFeed:
    """The link is a feed, not an article."""

    url: str


@dataclass(frozen=True, slots=True)
class Offer:
    """An HTML page that links feeds: ``links`` to offer (with a button token each); none when it links none."""

    url: str
    links: tuple[tuple[str, FeedLink], ...]


def fetcher_for(deps: Deps) -> Fetcher:
    """A fetcher under the settings' rules (FEEDS_ALLOW_PRIVATE)."""
    return Fetcher(allow_private=deps.settings.feeds_allow_private)


async def load(deps: Deps, article: Article) -> LoadOutcome:
    """Load as every article from outside is loaded: for an editor's review when REVIEW_MODE=review."""
    return await load_article(deps.sessions, article, review=deps.settings.reviewing)


async def _on_loop(text: str, path: str, published: Moment | None) -> Article:
    return extract_text(text, path, published=published)


async def load_link(deps: Deps, url: str, *, sent_at: datetime, extract: Extract = _on_loop) -> Loaded | IsFeed:
    """Fetch, read and load the page at ``url``; raises FetchError or ArticleError (with the page's URL).

    ``extract`` reads the page's text (the bot passes its worker pool, so a big page never holds the event loop).
    """
    async with fetcher_for(deps) as fetcher:
        fetched = await fetcher.get(url)
    if not fetched.is_html:
        return IsFeed(fetched.url)
    address = canonical_url(fetched.url)
    page = await asyncio.to_thread(read_page, fetched.body, address)
    text, own = article_text(page), page.published
    dated_by = None
    try:
        article = await extract(text, address, own)
    except ArticleError as error:
        if error.reason != NO_DATE:
            raise
        dated_by = sent_at  # no date on the page: dated by the message that brought it, as a .txt is
        article = await extract(text, address, publication(own, sent_at))
    return Loaded(await load(deps, article), dated_by)


async def load_post(deps: Deps, text: str, *, where: str, posted: datetime, extract: Extract = _on_loop) -> Loaded:
    """A forwarded channel post: its text, dated by the post unless the text shows a date of its own."""
    try:
        article = await extract(text, where, None)
        dated_by = None
    except ArticleError as error:
        if error.reason != NO_DATE:
            raise
        article = await extract(text, where, posted)
        dated_by = posted
    return Loaded(await load(deps, article), dated_by)


async def check_feed(deps: Deps, url: str) -> Checked | Offer:
    """Fetch ``url`` once: a feed (parsed), or an HTML page and the feeds it links, each with a button token.
    Raises FetchError, or FeedError for XML that is no feed or is broken."""
    async with fetcher_for(deps) as fetcher:
        found = await feeds.check_feed(fetcher, url)
    if isinstance(found, feeds.Linked):
        return Offer(found.url, tuple((secrets.token_hex(4), link) for link in found.links))
    return found


async def add_checked(deps: Deps, checked: Checked, *, interval: timedelta | None, added_by: int | None) -> FeedView:
    """Track a checked feed (raises FeedExists), first polled at once."""
    return await stored.add_feed(
        deps.sessions,
        canonical_url(checked.url),
        title=checked.feed.title or None,
        interval=interval or timedelta(minutes=deps.settings.feeds_default_interval_minutes),
        now=deps.clock.now(),
        added_by=added_by,
    )


def keep_offer(bot_data: dict[Any, Any], offer: Offer) -> None:
    """Remember the offered feeds for their buttons (the newest OFFERS_KEPT; an older button is stale)."""
    offers: OrderedDict[str, str] = bot_data.setdefault(OFFERS_KEY, OrderedDict())
    for token, link in offer.links:
        offers[token] = link.url
    while len(offers) > OFFERS_KEPT:
        offers.popitem(last=False)


def offered(bot_data: dict[Any, Any], token: str) -> str | None:
    offers: OrderedDict[str, str] = bot_data.get(OFFERS_KEY, OrderedDict())
    return offers.get(token)


def admin_notifier(application: Application[Any, Any, Any, Any, Any, Any]) -> Notify:
    """How the poller tells the admins that a feed keeps failing, or works again: a message to each admin's
    private chat (ADMIN_USER_IDS), in that chat's language."""

    async def notify(notice: Notice, feed: FeedView) -> None:
        deps = deps_of(application)
        for admin in sorted(deps.admins):
            ctx = await _admin_ctx(deps, admin)
            text = display.feed_failing(feed, ctx) if notice == "failing" else display.feed_recovered(feed, ctx)
            try:
                await application.bot.send_message(admin, text)
            except TelegramError as error:  # an admin who never started the bot cannot be written to
                log.warning("could not tell admin %s that feed %s is %s: %s", admin, feed.id, notice, error)

    return notify


async def _admin_ctx(deps: Deps, admin: int) -> Ctx:
    view = None
    with contextlib.suppress(Exception):
        view = await chats.get_chat(deps.sessions, admin)
    if view is None:
        return Ctx.of(deps.settings.default_language, deps.settings.tz)
    return context_for(view, deps)
