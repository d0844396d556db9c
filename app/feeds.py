"""`ceasefire-watch feeds add|list|remove|poll`: the feeds the bot polls, from the command line.

The same rules as `/feeds` in the bot: a URL is fetched and parsed once before it is added (a page that links feeds
names them), and the same fetcher (FEEDS_ALLOW_PRIVATE) and poller do the work. ``poll --once`` polls every feed
that is not paused now and exits (2 when any failed, each failure on one stderr line); ``poll`` keeps polling
each feed at its interval until Ctrl-C or SIGTERM — for a machine that loads articles but does not run the bot
(the bot polls by itself).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.settings import Settings
from storage import feeds as stored
from storage.db import create_engine, migrate, session_factory
from storage.feeds import FeedView

if TYPE_CHECKING:  # the fetching and polling stack loads only when `feeds` runs, not for every command
    from schedules.feeds import FeedPoller, Notice, PollResult

EXIT_OK = 0
EXIT_USAGE = 2


def register(commands: Any) -> None:
    """Add `feeds` and its subcommands to the command line's subparsers."""
    feeds = commands.add_parser("feeds", help="the RSS/Atom feeds the bot polls: add, list, remove, poll")
    verbs = feeds.add_subparsers(dest="verb", required=True, metavar="VERB")
    add = verbs.add_parser("add", help="check a feed URL (fetched and parsed once) and track it")
    add.add_argument("url", metavar="URL")
    add.add_argument("--every", metavar="INTERVAL", help="how often it is polled: 15m, 2h, 1d (default: settings)")
    listed = verbs.add_parser("list", help="every feed: pace, last poll, last new item, errors")
    listed.add_argument("--json", action="store_true")
    remove = verbs.add_parser("remove", help="stop tracking a feed (the articles it loaded stay)")
    remove.add_argument("id", metavar="ID")
    poll = verbs.add_parser("poll", help="poll the feeds: each at its interval until Ctrl-C, or all once")
    poll.add_argument("--once", action="store_true", help="poll every feed that is not paused now, then exit")
    feeds.set_defaults(handler=lambda args, settings: asyncio.run(run(args, settings)))


def _fail(message: str) -> int:
    from app.cli import _error

    _error(message)
    return EXIT_USAGE


@asynccontextmanager
async def _database(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(settings.database_url)
    try:
        await migrate(engine)
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def run(args: argparse.Namespace, settings: Settings) -> int:
    async with _database(settings) as sessions:
        if args.verb == "add":
            return await _add(sessions, settings, args.url, args.every)
        if args.verb == "list":
            return _list(await stored.list_feeds(sessions), as_json=args.json)
        if args.verb == "remove":
            return await _remove(sessions, args.id)
        return await _poll(sessions, settings, once=args.once)


async def _add(sessions: async_sessionmaker[AsyncSession], settings: Settings, url: str, every: str | None) -> int:
    from schedules.feeds import Checked, check_feed, parse_interval
    from sources.feeds import FeedError, canonical_url
    from sources.fetch import Fetcher, FetchError

    interval = parse_interval(every) if every is not None else None
    if every is not None and interval is None:
        return _fail(f"bad --every {every[:40]!r}: expected an interval like 15m, 2h or 1d (1 minute to 1 day)")
    try:
        async with Fetcher(allow_private=settings.feeds_allow_private) as fetcher:
            found = await check_feed(fetcher, url)
    except (FetchError, FeedError) as error:
        return _fail(f"cannot add {url}: {error.kind.replace('_', ' ')}: {error.detail}; nothing stored")
    if not isinstance(found, Checked):
        if not found.links:
            return _fail(f"{url} is a web page, not a feed, and it links no feed")
        names = "; ".join(f"{link.url}" + (f" ({link.title})" if link.title else "") for link in found.links)
        return _fail(f"{url} is a web page, not a feed; it links: {names} — add one of those")
    try:
        feed = await stored.add_feed(
            sessions,
            canonical_url(found.url),
            title=found.feed.title or None,
            interval=interval or timedelta(minutes=settings.feeds_default_interval_minutes),
            now=datetime.now(UTC),
        )
    except stored.FeedExists as exists:
        print(f"already tracked as feed #{exists.feed.id} “{exists.feed.name}”; nothing changed")
        return EXIT_OK
    count = len(found.feed.entries)
    print(
        f"added feed #{feed.id} “{feed.name}” ({count} item{'' if count == 1 else 's'} in it now), polled every "
        f"{_minutes(feed)}; the bot polls it from now on (`ceasefire-watch feeds poll --once` does it at once)"
    )
    return EXIT_OK


def _minutes(feed: FeedView) -> str:
    minutes = int(feed.interval.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


def _list(feeds: list[FeedView], *, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"feeds": [_json(feed) for feed in feeds]}, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not feeds:
        print("no feeds yet: add one with `ceasefire-watch feeds add URL`")
    for feed in feeds:
        pace = "paused" if feed.paused else f"every {_minutes(feed)}"
        print(f"#{feed.id} {feed.name} — {pace}\n  {feed.url}")
        print(f"  last poll {_when(feed.last_polled_at)} · last new item {_when(feed.last_new_item_at)} · "
              f"{feed.loaded} article{'' if feed.loaded == 1 else 's'}")  # fmt: skip
        if feed.failures:
            print(f"  {feed.failures} failure(s) in a row: {feed.last_error_kind}: {feed.last_error} · "
                  f"next try {_when(feed.next_poll_at)}")  # fmt: skip
    return EXIT_OK


def _json(feed: FeedView) -> dict[str, Any]:
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "interval_minutes": int(feed.interval.total_seconds() // 60),
        "paused": feed.paused,
        "last_polled_at": iso(feed.last_polled_at),
        "last_new_item_at": iso(feed.last_new_item_at),
        "next_poll_at": iso(feed.next_poll_at),
        "articles": feed.loaded,
        "failures": feed.failures,
        "last_error": None if not feed.failures else {"kind": feed.last_error_kind, "detail": feed.last_error},
    }


async def _remove(sessions: async_sessionmaker[AsyncSession], raw: str) -> int:
    feed_id = int(raw.removeprefix("#")) if raw.removeprefix("#").isascii() and raw.removeprefix("#").isdigit() else 0
    removed = await stored.remove_feed(sessions, feed_id) if feed_id else None
    if removed is None:
        return _fail(f"no feed {raw[:40]!r}; `ceasefire-watch feeds list` shows them")
    print(f"removed feed #{removed.id} “{removed.name}”; the articles it loaded stay")
    return EXIT_OK


def _line(result: PollResult) -> str:
    name = f"#{result.feed.id} {result.feed.name}"
    if result.status == "not_modified":
        return f"{name}: not modified"
    counts: dict[str, int] = {}
    for item in result.items:
        counts[item.state] = counts.get(item.state, 0) + 1
    said = ", ".join(f"{n} {state.replace('_', '-')}" for state, n in sorted(counts.items())) or "nothing new"
    return f"{name}: {said}"


async def _tell(notice: Notice, feed: FeedView) -> None:
    if notice == "failing":
        print(f"feed #{feed.id} {feed.name} failed {feed.failures} times in a row", file=sys.stderr)
    else:
        print(f"feed #{feed.id} {feed.name} works again", file=sys.stderr)


def _report(result: PollResult) -> bool:
    """One line per poll: what came in on stdout, a failure on stderr; True when the feed failed."""
    if result.status == "failed" and result.error is not None:
        _fail(f"feed #{result.feed.id} {result.feed.url}: {result.error.kind}: {result.error.detail}")
        return True
    print(_line(result), flush=True)
    return False


async def _poll(sessions: async_sessionmaker[AsyncSession], settings: Settings, *, once: bool) -> int:
    from schedules.clock import SystemClock
    from schedules.feeds import FeedPoller
    from sources.fetch import Fetcher

    async with Fetcher(allow_private=settings.feeds_allow_private) as fetcher:
        poller = FeedPoller(sessions, SystemClock(), fetcher, notify=_tell, review=settings.reviewing)
        if once:
            results = sorted(await poller.poll_all(force=True), key=lambda result: result.feed.id)
            failed = [_report(result) for result in results]
            return EXIT_USAGE if any(failed) else EXIT_OK
        poller.listeners.append(_report)
        return await _forever(poller)


async def _forever(poller: FeedPoller) -> int:
    """The polling job on its own scheduler until SIGINT or SIGTERM."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.start()
    poller.attach(scheduler)
    print("polling the feeds at their intervals; Ctrl-C stops", file=sys.stderr)
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        await poller.stop()
    return EXIT_OK
