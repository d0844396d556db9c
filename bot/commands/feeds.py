"""Admins' feeds and links: /feeds, /load URL, a link or a forwarded channel post sent to the bot."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from telegram import Message, MessageEntity, MessageOriginChannel, Update
from telegram.ext import ContextTypes

from articles.model import ArticleError
from bot import display, extraction, intake, keyboards, parsing
from bot.access import UPLOADS, Handler, throttled
from bot.commands.common import admin_here, message_of, poke, reply
from bot.commands.loading import pooled_extract
from bot.context import deps_of
from bot.i18n import Ctx
from schedules.feeds import Checked, parse_interval
from sources.feeds import FeedError
from sources.fetch import FetchError
from storage import feeds as feed_store
from storage.loader import LoadOutcome, UnstorableArticle

# --- feeds and links (admins) ------------------------------------------------------------------------------------

FEEDS_KEY = "feeds"  # where bot.app keeps this process's feed poller
_FEED_VERBS = {"add": "add", "remove": "remove", "delete": "remove", "pause": "pause", "resume": "resume"}
_EVERY = frozenset({"every", "alle", "jede", "jeden"})


def poll_soon(context: ContextTypes.DEFAULT_TYPE, feed_id: int) -> None:
    """Ask the feed poller (when this process runs one) to poll a feed now instead of at its next tick."""
    poller = context.application.bot_data.get(FEEDS_KEY)
    if poller is not None:
        poller.poll_soon(feed_id)


async def feeds(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/feeds`, `/feeds add URL [every 15m]`, `/feeds pause|resume|remove ID`: admins manage the feeds."""
    ctx = await admin_here(update, context)
    if ctx is None:
        return
    deps = deps_of(context)
    args = list(context.args or [])
    verb = _FEED_VERBS.get(args[0].lower()) if args else None
    if not args or args[0].lower() == "list":
        await reply(update, display.feeds_list(await feed_store.list_feeds(deps.sessions), ctx))
    elif verb == "add" and len(args) >= 2:
        await add_feed(update, context, ctx, args[1], args[2:])
    elif verb in ("remove", "pause", "resume") and len(args) == 2:
        await change_feed(update, context, ctx, verb, args[1])
    else:
        await reply(update, display.feeds_usage(ctx))


async def add_feed(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, url: str, rest: Sequence[str]) -> None:
    """Check the URL (fetched and parsed once), then track it; a page that links feeds offers them as buttons."""
    deps = deps_of(context)
    words = [word for word in rest if word.lower() not in _EVERY]
    interval = parse_interval("".join(words)) if words else None
    if words and interval is None:
        await reply(update, display.feed_interval_refused(" ".join(words), ctx))
        return
    try:
        found = await intake.check_feed(deps, url)
    except (FetchError, FeedError) as error:
        await reply(update, display.feed_refused(url, error.kind, error.detail, ctx))
        return
    if isinstance(found, intake.Offer):
        if not found.links:
            await reply(update, display.feed_not_found(url, ctx))
            return
        intake.keep_offer(context.application.bot_data, found)
        offers = [(token, link.title or link.url) for token, link in found.links]
        text = display.feed_offer(url, [title for _, title in offers], ctx)
        await reply(update, text, reply_markup=keyboards.feed_offer_keyboard(offers))
        return
    await track_feed(update, context, ctx, found, interval)


async def track_feed(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, checked: Checked, interval: timedelta | None
) -> None:
    """Store a checked feed and have it polled at once; a feed tracked already is named."""
    user = update.effective_user
    try:
        feed = await intake.add_checked(
            deps_of(context), checked, interval=interval, added_by=user.id if user is not None else None
        )
    except feed_store.FeedExists as error:
        await reply(update, display.feed_exists(error.feed, ctx))
        return
    await reply(update, display.feed_added(feed, len(checked.feed.entries), ctx))
    poll_soon(context, feed.id)


async def change_feed(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, verb: str, raw: str) -> None:
    """Remove, pause or resume one feed by its number."""
    deps = deps_of(context)
    feed_id = parsing.commitment_id(raw)  # the same rule: a positive number, '#' allowed
    feed = None
    if feed_id is not None:
        if verb == "remove":
            feed = await feed_store.remove_feed(deps.sessions, feed_id)
        else:
            feed = await feed_store.set_paused(deps.sessions, feed_id, verb == "pause", now=deps.clock.now())
    if feed is None:
        await reply(update, display.unknown_feed(raw, ctx))
        return
    if verb == "remove":
        await reply(update, display.feed_removed(feed, ctx))
    elif verb == "pause":
        await reply(update, display.feed_paused(feed, ctx))
    else:
        await reply(update, display.feed_resumed(feed, ctx))
        poll_soon(context, feed.id)


async def load(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/load URL`: an admin has a web page fetched and loaded, with the same answer as for a `.txt`."""
    ctx = await admin_here(update, context)
    if ctx is None:
        return
    args = context.args or []
    if len(args) != 1:
        await reply(update, display.load_usage(ctx))
        return
    await load_url(update, context, ctx, _with_scheme(args[0]))


async def load_url(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, url: str) -> None:
    deps = deps_of(context)
    try:
        found = await intake.load_link(deps, url, sent_at=message_of(update).date, extract=pooled_extract(context))
    except FetchError as error:
        await reply(update, display.link_refused(url, error.kind, error.detail, ctx))
        return
    except (ArticleError, UnstorableArticle) as error:
        await reply(update, display.link_refused(url, "not_article", error.reason, ctx))
        return
    except extraction.ExtractionTimeout as error:
        await reply(update, display.extraction_too_slow(url, error.seconds, ctx))
        return
    if isinstance(found, intake.IsFeed):
        await reply(update, display.link_is_feed(found.url, ctx))
        return
    await reply(update, display.load_result(found.outcome, ctx, dated_by=found.dated_by))
    _poke_loaded(context, found.outcome)


def _poke_loaded(context: ContextTypes.DEFAULT_TYPE, outcome: LoadOutcome) -> None:
    poke(context, commitment_ids=[ref.id for ref in (*outcome.created, *outcome.merged)] or None)


def first_link(message: Message) -> str | None:
    """The first web address in a message or its caption: a typed URL or a link behind text."""
    kinds: list[str | None] = [MessageEntity.URL, MessageEntity.TEXT_LINK]
    for found in (message.parse_entities(kinds), message.parse_caption_entities(kinds)):
        for entity, text in found.items():
            url = entity.url if entity.type == MessageEntity.TEXT_LINK else text
            if url:
                return _with_scheme(url)
    return None


def _with_scheme(url: str) -> str:
    """Telegram marks "example.com/news" as a link too; it is fetched over https."""
    url = url.strip()
    return url if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url) else "https://" + url


async def link_or_post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A private message from an admin with a link (loaded like `/load URL`), or a forwarded channel post without
    one (its text loaded, dated by the post)."""
    message = message_of(update)
    url = first_link(message)
    origin = message.forward_origin
    text = message.text or message.caption
    if url is None and not (isinstance(origin, MessageOriginChannel) and text):
        return  # other chatter is not for the bot
    ctx = await admin_here(update, context)
    if ctx is None:
        return
    if url is not None:
        await load_url(update, context, ctx, url)
        return
    assert isinstance(origin, MessageOriginChannel)
    assert text
    where = f"telegram:channel/{origin.chat.username or origin.chat.id}/{origin.message_id}"
    try:
        found = await intake.load_post(
            deps_of(context), text, where=where, posted=origin.date, extract=pooled_extract(context)
        )
    except (ArticleError, UnstorableArticle) as error:
        await reply(update, display.bad_article(error.reason, ctx))
        return
    except extraction.ExtractionTimeout as error:
        await reply(update, display.extraction_too_slow(where, error.seconds, ctx))
        return
    await reply(update, display.load_result(found.outcome, ctx, dated_by=found.dated_by, by_post=True))
    _poke_loaded(context, found.outcome)


# /load fetches and extracts a page: an upload by another road, under the same per-user budget.
ROUTES: dict[str, Handler] = {"feeds": feeds, "load": throttled(UPLOADS, load)}
