"""Feeds an admin added (/feeds), links and forwarded posts loaded like a .txt, and the notices about a feed that
keeps failing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.display.base import esc, short, usage_lines
from bot.display.chat import feeds_rows
from bot.display.markup import split_html
from bot.i18n import N_, Ctx
from storage.feeds import FeedView

# --- feeds and links (admins) ------------------------------------------------------------------------------------
#
# Feeds an admin added (/feeds), links and forwarded posts loaded like a .txt, and the two notices the poller
# sends the admins about a feed that keeps failing. Feed titles, URLs and error details come from outside: escaped.

FETCH_REASONS = {
    "bad_url": N_("that is not an http or https address"),
    "blocked_address": N_("it points to a private or local address, which I do not fetch"),
    "dns": N_("its host name does not resolve"),
    "connect": N_("the server cannot be reached"),
    "timeout": N_("the server took too long to answer"),
    "http_status": N_("the server answered with an error"),
    "too_large": N_("the answer is larger than 5 MB"),
    "redirects": N_("it redirects too many times"),
    "content_type": N_("the answer is neither HTML nor XML"),
    "broken_xml": N_("its XML is broken"),
    "not_feed": N_("it is not an RSS or Atom feed"),
    "not_article": N_("no article could be read from the page"),
}
FEED_TITLE_WIDTH = 60
URL_WIDTH = 90


def fetch_reason(kind: str | None, detail: str | None, ctx: Ctx) -> str:
    """Why a feed or link failed, in the reader's language, with the technical detail in brackets (escaped)."""
    text = esc(ctx._(FETCH_REASONS[kind])) if kind in FETCH_REASONS else esc(kind or ctx._("unknown error"))
    return text + (f" ({esc(short(detail, 200))})" if detail else "")


def interval_text(interval: dt.timedelta, ctx: Ctx) -> str:
    """ "every 15 min" / "every 2 h" / "every 1 h 30 min" — how often a feed is polled."""
    minutes = int(interval.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return ctx._("every {hours} h {minutes} min").format(hours=ctx.number(hours), minutes=ctx.number(rest))
    if hours:
        return ctx._("every {hours} h").format(hours=ctx.number(hours))
    return ctx._("every {minutes} min").format(minutes=ctx.number(minutes))


def _feed_name(feed: FeedView) -> str:
    return esc(short(feed.title or feed.url, FEED_TITLE_WIDTH))


def _feed_ref(feed: FeedView) -> str:
    return f"<b>#{feed.id}</b> {_feed_name(feed)}"


def feed_entry(feed: FeedView, ctx: Ctx) -> str:
    """One feed in /feeds: name, address and pace; last poll, last new item, articles; its error, if failing."""
    state = "⏸ " + esc(ctx._("paused")) if feed.paused else esc(interval_text(feed.interval, ctx))
    lines = [f"📡 {_feed_ref(feed)} · {state}", f"<code>{esc(short(feed.url, URL_WIDTH))}</code>"]
    never = ctx._("never")
    polled = ctx.datetime(feed.last_polled_at) if feed.last_polled_at else never
    new = ctx.datetime(feed.last_new_item_at) if feed.last_new_item_at else never
    loaded = ctx.n_("{n} article", "{n} articles", feed.loaded).format(n=ctx.number(feed.loaded))
    lines.append(
        esc(
            ctx._("Last poll: {polled} · last new item: {new} · {loaded}").format(polled=polled, new=new, loaded=loaded)
        )
    )
    if feed.failures:
        failed = ctx.n_("{n} failure in a row", "{n} failures in a row", feed.failures).format(
            n=ctx.number(feed.failures)
        )
        retry = ctx._("next try {when}").format(when=ctx.datetime(feed.next_poll_at))
        lines.append(f"⚠ {esc(failed)}: {fetch_reason(feed.last_error_kind, feed.last_error, ctx)} · {esc(retry)}")
    return "\n".join(lines)


def feeds_list(feeds: Sequence[FeedView], ctx: Ctx) -> list[str]:
    """/feeds: every feed, or how to add the first one."""
    if not feeds:
        return [esc(ctx._("No feeds yet.")) + " " + feeds_usage(ctx)]
    head = "<b>" + esc(ctx.n_("{n} feed", "{n} feeds", len(feeds)).format(n=ctx.number(len(feeds)))) + "</b>"
    return split_html("\n\n".join([head, *(feed_entry(feed, ctx) for feed in feeds)]))


def feeds_usage(ctx: Ctx) -> str:
    """How to write the /feeds commands."""
    return "\n".join(usage_lines(feeds_rows(ctx)))


def feed_added(feed: FeedView, items: int, ctx: Ctx) -> str:
    """A feed was checked and added; it is polled at once."""
    found = ctx.n_("{n} item in it now", "{n} items in it now", items).format(n=ctx.number(items))
    return "✅ " + ctx._("Feed {feed} added: {found}, polled {every}. New items load as they come.").format(
        feed=_feed_ref(feed), found=esc(found), every=esc(interval_text(feed.interval, ctx))
    )


def feed_exists(feed: FeedView, ctx: Ctx) -> str:
    return "📡 " + ctx._("That feed is tracked already: {feed}.").format(feed=_feed_ref(feed))


def feed_offer(url: str, titles: Sequence[str], ctx: Ctx) -> str:
    """An HTML page that links feeds: the buttons below add one of them."""
    lines = [
        "🔎 "
        + ctx.n_(
            "{url} is a web page, not a feed. It links {n} feed; tap it to add it:",
            "{url} is a web page, not a feed. It links {n} feeds; tap one to add it:",
            len(titles),
        ).format(url=f"<code>{esc(short(url, URL_WIDTH))}</code>", n=ctx.number(len(titles)))
    ]
    lines += [f"• {esc(short(title, URL_WIDTH))}" for title in titles]
    return "\n".join(lines)


def feed_not_found(url: str, ctx: Ctx) -> str:
    """An HTML page that links no feed."""
    return "⚠ " + ctx._(
        "{url} is a web page, not a feed, and it links no feed. Send the feed's own address (it often ends in "
        "/feed, /rss or .xml); to load this page as an article, send it as a message or with {load}."
    ).format(url=f"<code>{esc(short(url, URL_WIDTH))}</code>", load="<code>/load URL</code>")


def feed_refused(url: str, kind: str, detail: str | None, ctx: Ctx) -> str:
    """A feed URL that could not be added; nothing was stored."""
    return "⚠ " + ctx._("I could not add {url}: {reason}. Nothing was stored.").format(
        url=f"<code>{esc(short(url, URL_WIDTH))}</code>", reason=fetch_reason(kind, detail, ctx)
    )


def feed_interval_refused(text: str, ctx: Ctx) -> str:
    return "⚠ " + ctx._(
        "“{value}” is not an interval I can poll at. Write it like {example}, from 1 minute to 1 day."
    ).format(value=esc(short(text, 40)), example="<code>every 15m</code>, <code>every 2h</code>")


def feed_removed(feed: FeedView, ctx: Ctx) -> str:
    return "🗑 " + ctx._("Feed {feed} removed. The articles it loaded stay.").format(feed=_feed_ref(feed))


def feed_paused(feed: FeedView, ctx: Ctx) -> str:
    return "⏸ " + ctx._("Feed {feed} paused. {resume} polls it again.").format(
        feed=_feed_ref(feed), resume=f"<code>/feeds resume {feed.id}</code>"
    )


def feed_resumed(feed: FeedView, ctx: Ctx) -> str:
    return "▶️ " + ctx._("Feed {feed} resumed; it is polled now.").format(feed=_feed_ref(feed))


def unknown_feed(raw: str, ctx: Ctx) -> str:
    return "⚠ " + ctx._("There is no feed {id}. Send {feeds} to see them all.").format(
        id=esc(short(raw, 20)), feeds="/feeds"
    )


def feed_failing(feed: FeedView, ctx: Ctx) -> str:
    """To the admins, once, when a feed has failed FAILURES_BEFORE_ALERT times in a row."""
    failed = ctx.n_("Feed {feed} failed {n} time in a row", "Feed {feed} failed {n} times in a row", feed.failures)
    return "\n".join(
        [
            "⚠ <b>" + failed.format(feed=_feed_ref(feed), n=esc(ctx.number(feed.failures))) + "</b>",
            fetch_reason(feed.last_error_kind, feed.last_error, ctx),
            esc(
                ctx._("I keep trying, less often: next try {when}. I will tell you when it works again.").format(
                    when=ctx.datetime(feed.next_poll_at)
                )
            ),
        ]
    )


def feed_recovered(feed: FeedView, ctx: Ctx) -> str:
    """To the admins, once, when a feed they were told was failing works again."""
    return "✅ " + ctx._("Feed {feed} works again.").format(feed=_feed_ref(feed))


def load_usage(ctx: Ctx) -> str:
    return ctx._("Write it as {usage}, for example {example}.").format(
        usage="<code>/load URL</code>", example="<code>/load https://example.com/news/truce</code>"
    )


def link_refused(url: str, kind: str, detail: str | None, ctx: Ctx) -> str:
    """A link that could not be fetched; nothing was stored."""
    return "⚠ " + ctx._("I could not load {url}: {reason}. Nothing was stored.").format(
        url=f"<code>{esc(short(url, URL_WIDTH))}</code>", reason=fetch_reason(kind, detail, ctx)
    )


def link_is_feed(url: str, ctx: Ctx) -> str:
    """A link that turned out to be a feed: it is added with /feeds add, not loaded as an article."""
    return "📡 " + ctx._("{url} is a feed, not an article. Add it with {command}.").format(
        url=f"<code>{esc(short(url, URL_WIDTH))}</code>", command=f"<code>/feeds add {esc(short(url, 200))}</code>"
    )
