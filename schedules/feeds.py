"""Polling feeds: one APScheduler job next to the alert jobs, each feed at its own interval on the bot's clock.

The job ticks every few real seconds and starts a task for each feed that is due (``next_poll_at`` on the bot's
clock, so a replay polls on its own time) and not already being polled; it never waits for them, so a slow or
failing feed holds up nothing else. At most :data:`CONCURRENT_FEEDS` feeds are fetched at once, and the fetcher
keeps to two requests per host.

A poll is a conditional GET (ETag / Last-Modified: a 304 costs one request and nothing else), then each new item
in publication order: new by its id in the feed, then by its canonical URL in any feed, then by the content hash
the loader dedupes articles by. Each new item's page is fetched, read (trafilatura, in a worker thread so the bot
stays responsive) and extracted like a ``.txt``, then loaded in its own transaction; an item with no commitment
and no report is remembered as off-topic and stores no article. An item whose page fails is tried again on the
next polls, a few times in all.

A feed that fails (unreachable, a timeout, 4xx/5xx, broken XML, not a feed, a refused address) is put off
exponentially — its interval times 2, 4, 8 … capped at :data:`MAX_BACKOFF` — with nothing written but its
failure; after :data:`~storage.feeds.FAILURES_BEFORE_ALERT` in a row the admins get one message, and one more when
it recovers. Every next poll gets ±10 % jitter, so feeds added together drift apart.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from articles.model import Article, ArticleError, Moment
from schedules.clock import Clock, run_every
from sources.feeds import Entry, Feed, FeedError, FeedLink, canonical_url, discover, parse_feed
from sources.fetch import Fetcher, FetchError
from sources.pages import page_article, read_page
from storage import feeds as stored
from storage.feeds import FeedView, ItemState
from storage.loader import LoadOutcome, UnstorableArticle, load_article

log = logging.getLogger(__name__)

FEEDS_JOB = "feeds"
TICK = 5.0  # real seconds between looks for due feeds
CONCURRENT_FEEDS = 4
DEFAULT_INTERVAL = timedelta(minutes=15)
MIN_INTERVAL = timedelta(minutes=1)
MAX_INTERVAL = timedelta(days=1)
MAX_BACKOFF = timedelta(hours=6)
JITTER = 0.1

_INTERVAL = re.compile(
    r"^\s*(?:(?P<d>\d+)\s*(?:d|days?|tage?n?)\s*)?(?:(?P<h>\d+)\s*(?:h|hours?|std|stunden?)\s*)?"
    r"(?:(?P<m>\d+)\s*(?:m|mins?|minutes?|minuten?)?\s*)?$",
    re.IGNORECASE,
)

Notice = Literal["failing", "recovered"]
Notify = Callable[[Notice, FeedView], Awaitable[None]]
Loader = Callable[[Article], Awaitable[LoadOutcome]]
PollStatus = Literal["new", "unchanged", "not_modified", "failed", "gone"]


def parse_interval(text: str) -> timedelta | None:
    """ "15m", "15 min", "1h", "2h30m", "1d", "90" (minutes) → a timedelta within MIN_INTERVAL … MAX_INTERVAL;
    anything else (or outside those bounds) → None."""
    match = _INTERVAL.match(text)
    if not match or not any(match.groupdict().values()):
        return None
    days, hours, minutes = (int(match.group(name) or 0) for name in ("d", "h", "m"))
    interval = timedelta(days=days, hours=hours, minutes=minutes)
    return interval if MIN_INTERVAL <= interval <= MAX_INTERVAL else None


def backoff(interval: timedelta, failures: int) -> timedelta:
    """How long a feed that failed ``failures`` times in a row waits: its interval times 2**failures, at most
    MAX_BACKOFF (an interval longer than that is kept: backing off never polls sooner)."""
    grown: timedelta = interval * (2 ** min(failures, 16))
    return max(interval, min(MAX_BACKOFF, grown))


@dataclass(frozen=True, slots=True)
class ItemResult:
    """What became of one new item: loaded (with what the loader did), a duplicate, off-topic or failed."""

    title: str
    url: str | None
    state: ItemState
    outcome: LoadOutcome | None = None
    error: str | None = None
    retry: bool = False  # failed, and tried again on the next poll


@dataclass(frozen=True, slots=True)
class PollResult:
    """One poll of one feed. ``error`` is the feed's own failure (its items then were not looked at)."""

    feed: FeedView
    status: PollStatus
    items: tuple[ItemResult, ...] = ()
    error: FetchError | FeedError | None = None

    @property
    def loaded(self) -> list[LoadOutcome]:
        return [item.outcome for item in self.items if item.state == "loaded" and item.outcome is not None]


@dataclass(frozen=True, slots=True)
class Checked:
    """A feed URL fetched and parsed once; ``url`` is where it was found in the end (after redirects)."""

    url: str
    feed: Feed


@dataclass(frozen=True, slots=True)
class Linked:
    """An HTML page where a feed was expected, and the feeds it links (none, maybe)."""

    url: str
    links: tuple[FeedLink, ...]


async def check_feed(fetcher: Fetcher, url: str) -> Checked | Linked:
    """What an admin's feed URL is: a feed (parsed), or a page and the feeds it links. Raises FetchError, or
    FeedError for an answer that is no feed (JSON …) or broken XML."""
    fetched = await fetcher.get(url)
    if fetched.is_html:
        return Linked(fetched.url, tuple(discover(fetched.body, fetched.url)))
    return Checked(fetched.url, parse_feed(fetched.body, fetched.url, fetched.content_type))


@dataclass
class FeedPoller:
    """Polls the stored feeds. ``notify`` tells the admins of a failing or recovered feed; ``loaded`` hears the
    commitments each loaded item created or merged (the alert scheduler is poked with them); ``item_listeners``
    hear each new item as soon as it is settled, before that poke (the demo prints the news before its alerts),
    and ``listeners`` every poll's result. ``review`` loads what feeds bring for an editor's review
    (REVIEW_MODE=review). ``rng`` draws the jitter (tests pass a seeded one)."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    fetcher: Fetcher
    notify: Notify | None = None
    loaded: Callable[[list[int]], None] | None = None
    review: bool = False
    every: float = TICK
    concurrency: int = CONCURRENT_FEEDS
    rng: random.Random = field(default_factory=random.Random)
    listeners: list[Callable[[PollResult], object]] = field(default_factory=list)
    item_listeners: list[Callable[[FeedView, ItemResult], object]] = field(default_factory=list)

    _tasks: dict[int, asyncio.Task[PollResult | None]] = field(default_factory=dict, init=False, repr=False)
    _locks: dict[int, asyncio.Lock] = field(default_factory=dict, init=False, repr=False)
    _slots: asyncio.Semaphore = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._slots = asyncio.Semaphore(self.concurrency)

    # -- scheduling -----------------------------------------------------------------------------------------------

    def attach(self, scheduler: AsyncIOScheduler) -> None:
        """Add the one polling job to ``scheduler`` (the alert scheduler's), first run at once."""
        run_every(scheduler, self.tick, self.every, FEEDS_JOB, replace=True)

    async def tick(self) -> None:
        """Start a poll for every due feed not being polled; returns without waiting for them."""
        try:
            due = await stored.due_feeds(self.sessions, self.clock.now(), exclude=list(self._tasks))
        except Exception:  # the next tick tries again
            log.exception("could not read the feeds that are due")
            return
        for feed in due:
            self._start(feed.id)

    def poll_soon(self, feed_id: int) -> None:
        """Poll a feed now, in the background (one just added or resumed); no-op while it is being polled."""
        self._start(feed_id)

    def _start(self, feed_id: int) -> asyncio.Task[PollResult | None]:
        task = self._tasks.get(feed_id)
        if task is None:
            task = asyncio.create_task(self._guarded(feed_id), name=f"feed-{feed_id}")
            self._tasks[feed_id] = task
            task.add_done_callback(lambda _: self._tasks.pop(feed_id, None))
        return task

    async def _guarded(self, feed_id: int) -> PollResult | None:
        try:
            return await self.poll(feed_id)
        except Exception:  # a bug in one feed's poll must not end the others
            log.exception("polling feed %s failed", feed_id)
            return None

    async def poll_all(self, *, force: bool = False) -> list[PollResult]:
        """Poll every due feed (``force``: every feed not paused) and wait for all of them; a feed already being
        polled is waited for, not polled twice."""
        if force:
            feeds = [feed for feed in await stored.list_feeds(self.sessions) if not feed.paused]
        else:
            feeds = await stored.due_feeds(self.sessions, self.clock.now())
        found = await asyncio.gather(*(self._start(feed.id) for feed in feeds))
        return [result for result in found if result is not None]

    async def stop(self) -> None:
        """Cancel the polls under way (each item is its own transaction: nothing is left half written)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def close(self) -> None:
        """Stop, and close the fetcher's connections."""
        await self.stop()
        await self.fetcher.aclose()

    # -- one feed ---------------------------------------------------------------------------------------------

    async def poll(self, feed_id: int) -> PollResult | None:
        """Poll one feed now, whatever its schedule (None when it is unknown or paused)."""
        lock = self._locks.setdefault(feed_id, asyncio.Lock())
        async with lock, self._slots:
            feed = await stored.get_feed(self.sessions, feed_id)
            if feed is None or feed.paused:
                return None
            result = await self._poll(feed)
        for listener in self.listeners:
            listener(result)
        return result

    async def _poll(self, feed: FeedView) -> PollResult:
        try:
            fetched = await self.fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if fetched.not_modified:
                return await self._succeeded(feed, "not_modified", (), fetched.etag or feed.etag, feed.last_modified)
            if fetched.is_html:
                raise FeedError("not_feed", "an HTML page, not a feed")
            parsed = parse_feed(fetched.body, fetched.url, fetched.content_type)
        except (FetchError, FeedError) as error:
            return await self._failed(feed, error)
        items = await self._items(feed, parsed)
        status: PollStatus = "new" if any(item.state == "loaded" for item in items) else "unchanged"
        if any(item.retry for item in items):  # no validators: the next poll reads the feed again, and retries
            return await self._succeeded(feed, status, items, None, None, parsed.title)
        return await self._succeeded(feed, status, items, fetched.etag, fetched.last_modified, parsed.title)

    async def _succeeded(
        self,
        feed: FeedView,
        status: PollStatus,
        items: Sequence[ItemResult],
        etag: str | None,
        last_modified: str | None,
        title: str | None = None,
    ) -> PollResult:
        now = self.clock.now()
        recorded = await stored.record_success(
            self.sessions,
            feed.id,
            now=now,
            next_poll_at=now + self._jittered(feed.interval),
            etag=etag,
            last_modified=last_modified,
            title=title if not feed.title else None,
            new_items=status == "new",
        )
        if recorded is None:
            return PollResult(feed, "gone", tuple(items))
        view, recovered = recorded
        if recovered:
            await self._tell("recovered", view)
        return PollResult(view, status, tuple(items))

    async def _failed(self, feed: FeedView, error: FetchError | FeedError) -> PollResult:
        kind, detail = error.kind, error.detail
        log.warning("feed %s (%s) failed: %s: %s", feed.id, feed.url, kind, detail)
        recorded = await stored.record_failure(
            self.sessions,
            feed.id,
            now=self.clock.now(),
            kind=kind,
            detail=detail,
            backoff=self._put_off,
        )
        if recorded is None:
            return PollResult(feed, "gone", error=error)
        view, tell = recorded
        if tell:
            await self._tell("failing", view)
        return PollResult(view, "failed", error=error)

    def _put_off(self, feed: FeedView) -> timedelta:
        """The wait after a failure: the backoff with jitter, never past the cap (nor shorter than the interval)."""
        return min(self._jittered(backoff(feed.interval, feed.failures)), max(MAX_BACKOFF, feed.interval))

    def _jittered(self, wait: timedelta) -> timedelta:
        return wait * (1 + self.rng.uniform(-JITTER, JITTER))

    async def _tell(self, notice: Notice, feed: FeedView) -> None:
        if self.notify is None:
            return
        try:
            await self.notify(notice, feed)
        except Exception:  # the admins are told on a best-effort basis; the poll's result stands
            log.exception("could not tell the admins that feed %s is %s", feed.id, notice)

    # -- items ----------------------------------------------------------------------------------------------------

    async def _items(self, feed: FeedView, parsed: Feed) -> list[ItemResult]:
        """Each entry not seen before, oldest first; one item's failure is recorded and the next one goes on."""
        entries = _oldest_first(parsed.entries)
        keys, urls = await stored.seen(
            self.sessions, feed.id, [e.key for e in entries], [e.url for e in entries if e.url]
        )
        results: list[ItemResult] = []
        for entry in entries:
            if entry.key in keys:
                continue
            keys.add(entry.key)
            if entry.url is not None and entry.url in urls:
                result = await self._record(feed, entry, "duplicate")
            else:
                result = await self._item(feed, entry)
            if entry.url is not None and result.state != "failed":
                urls.add(entry.url)
            results.append(result)
            for listener in self.item_listeners:
                listener(feed, result)
            outcome = result.outcome
            if result.state == "loaded" and outcome is not None and self.loaded is not None:
                touched = [ref.id for ref in (*outcome.created, *outcome.merged)] + [c for _, c in outcome.linked]
                self.loaded(sorted(set(touched)))
        return results

    async def _item(self, feed: FeedView, entry: Entry) -> ItemResult:
        if entry.link is None:
            return await self._record(feed, entry, "failed", error="the item has no link")
        try:
            fetched = await self.fetcher.get(entry.link)
            if not fetched.is_html:
                return await self._record(feed, entry, "failed", error="the link is not an HTML page")
            fallback: Moment = entry.published or self.clock.now()
            article = await asyncio.to_thread(read_article, fetched.body, canonical_url(fetched.url), fallback)
        except FetchError as error:
            return await self._record(feed, entry, "failed", error=f"{error.kind}: {error.detail}")
        except ArticleError as error:
            return await self._record(feed, entry, "failed", error=error.reason)
        if not article.commitments and not article.reports:
            return await self._record(feed, entry, "off_topic", content_hash=article.content_hash)
        try:
            outcome = await load_article(self.sessions, article, review=self.review)
        except UnstorableArticle as error:  # a value no column can hold: named, like a bad file
            return await self._record(feed, entry, "failed", error=error.reason)
        except Exception as error:  # one item's failure (a database fault, a bug) must not cost the others
            log.exception("feed %s: loading %s failed", feed.id, entry.link)
            return await self._record(feed, entry, "failed", error=f"not loaded ({type(error).__name__})")
        state: ItemState = "duplicate" if outcome.duplicate else "loaded"
        return await self._record(
            feed, entry, state, content_hash=article.content_hash, article_id=outcome.article_id, outcome=outcome
        )

    async def _record(
        self,
        feed: FeedView,
        entry: Entry,
        state: ItemState,
        *,
        content_hash: str | None = None,
        article_id: int | None = None,
        error: str | None = None,
        outcome: LoadOutcome | None = None,
    ) -> ItemResult:
        attempts = await stored.record_item(
            self.sessions,
            feed.id,
            key=entry.key,
            url=entry.url,
            title=entry.title,
            state=state,
            now=self.clock.now(),
            content_hash=content_hash,
            article_id=article_id,
            error=error,
        )
        if error is not None:
            log.info("feed %s: item %s not loaded: %s", feed.id, entry.link, error)
        retry = state == "failed" and attempts < stored.ITEM_ATTEMPTS
        return ItemResult(entry.title, entry.url, state, outcome, error, retry)


def read_article(body: bytes, url: str, fallback: Moment | None) -> Article:
    """An HTML page → the article it states (ArticleError when it has no story or no date): CPU work, run in a
    worker thread."""
    return page_article(read_page(body, url), fallback=fallback)


def _oldest_first(entries: Iterable[Entry]) -> list[Entry]:
    """Entries by publication, undated ones last in feed order (feeds list the newest first)."""
    listed = list(entries)
    dated = sorted((e for e in listed if e.published is not None), key=lambda e: e.published or datetime.min)
    return dated + [e for e in reversed(listed) if e.published is None]
