"""Polling feeds from a loopback site into the database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set):
the three formats, conditional GETs, dedupe, off-topic items, failures with their backoff and the admins' two
messages, and one feed never holding up another."""

from __future__ import annotations

import asyncio
import ipaddress
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schedules.feeds import MAX_BACKOFF, FeedPoller, Notice, PollResult
from sources.fetch import Fetcher, FetchLimits, IPAddress, is_public
from sources.localfeeds import Channel, LocalFeeds
from storage import feeds as stored
from storage.feeds import FeedItemRow, FeedView
from storage.models import ArticleRow, CommitmentRow
from tests.sources.conftest import ALLIANCE, JUNTA_DE, JUNTA_EN, PUBLISHED, RELIEF_DE, page, story

NOW = datetime(2025, 4, 3, 12, 0, tzinfo=UTC)
EVERY = timedelta(minutes=15)


@dataclass
class Clock:
    at: datetime = NOW
    speed: float = 1.0

    def now(self) -> datetime:
        return self.at

    def real_seconds_until(self, when: datetime) -> float:
        return max(0.0, (when - self.at).total_seconds())


class NoJitter(random.Random):
    def uniform(self, a: float, b: float) -> float:
        return 0.0


@dataclass
class Notices:
    heard: list[tuple[Notice, int, int]] = field(default_factory=list)  # (notice, feed id, failures then)

    async def __call__(self, notice: Notice, feed: FeedView) -> None:
        self.heard.append((notice, feed.id, feed.failures))


async def _add(sessions: async_sessionmaker[AsyncSession], url: str, clock: Clock) -> FeedView:
    return await stored.add_feed(sessions, url, title=None, interval=EVERY, now=clock.now())


async def _count(sessions: async_sessionmaker[AsyncSession], model: type[object]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _items(sessions: async_sessionmaker[AsyncSession], feed_id: int) -> list[tuple[str, str | None, int]]:
    async with sessions() as session:
        rows = await session.scalars(select(FeedItemRow).where(FeedItemRow.feed_id == feed_id).order_by(FeedItemRow.id))
        return [(row.state, row.url, row.attempts) for row in rows]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def poller(
    sessions: async_sessionmaker[AsyncSession], fetcher: Fetcher, clock: Clock
) -> AsyncIterator[FeedPoller]:
    polling = FeedPoller(sessions, clock, fetcher, rng=NoJitter())
    yield polling
    await polling.stop()


async def test_rss20_rss10_and_atom_feeds_load_their_items(
    sessions: async_sessionmaker[AsyncSession], site: LocalFeeds, poller: FeedPoller, clock: Clock
) -> None:
    site.add(Channel("/en/rss", "Mekong Wire", "rss20", stories=[story(ALLIANCE)]))
    site.add(Channel("/en/rdf", "Mekong Wire (RDF)", "rss10", stories=[story(JUNTA_EN)]))
    site.add(Channel("/de/atom", "Südostasien-Dienst", "atom", "de", stories=[story(JUNTA_DE)]))
    feeds = [await _add(sessions, site.url(path), clock) for path in ("/en/rss", "/en/rdf", "/de/atom")]

    results = sorted(await poller.poll_all(), key=lambda result: result.feed.id)

    assert [result.status for result in results] == ["new", "new", "new"]
    assert [len(result.loaded) for result in results] == [1, 1, 1]
    assert await _count(sessions, ArticleRow) == 3
    assert await _count(sessions, CommitmentRow) == 2, "the junta's truce, in English and German, is one commitment"
    junta_en, junta_de = results[1].loaded[0], results[2].loaded[0]  # polled side by side: either may be first
    assert sorted([len(junta_en.merged), len(junta_de.merged)]) == [0, 1], "the second is one more source"
    titles = {"/en/rss": "Mekong Wire", "/en/rdf": "Mekong Wire (RDF)", "/de/atom": "Südostasien-Dienst"}
    for feed, result in zip(feeds, results, strict=True):
        view = result.feed
        assert (view.failures, view.last_new_item_at, view.last_polled_at) == (0, NOW, NOW)
        assert view.next_poll_at == NOW + EVERY
        assert view.etag
        assert view.title == titles[feed.url.removeprefix(site.url(""))]
    async with sessions() as session:
        paths = set(await session.scalars(select(ArticleRow.path)))
    assert paths == {site.url(path) for path in (ALLIANCE, JUNTA_EN, JUNTA_DE)}


async def test_the_second_poll_is_answered_304_and_costs_nothing(
    sessions: async_sessionmaker[AsyncSession], site: LocalFeeds, poller: FeedPoller, clock: Clock
) -> None:
    site.add(Channel("/en/rss", "Mekong Wire", stories=[story(ALLIANCE), story(JUNTA_EN)]))
    feed = await _add(sessions, site.url("/en/rss"), clock)
    [first] = await poller.poll_all()
    assert len(first.loaded) == 2
    clock.at = first.feed.next_poll_at
    [second] = await poller.poll_all()
    assert (second.status, second.items) == ("not_modified", ())
    assert [hit.status for hit in site.requests_to("/en/rss")] == [200, 304]
    assert site.requests_to("/en/rss")[1].if_none_match == first.feed.etag
    assert [len(site.requests_to(path)) for path in (ALLIANCE, JUNTA_EN)] == [1, 1], "no page is fetched again"
    assert await _count(sessions, ArticleRow) == 2
    assert second.feed.next_poll_at == clock.at + EVERY
    assert second.feed.last_new_item_at == NOW, "a 304 brings nothing new"
    assert await _items(sessions, feed.id) == [("loaded", site.url(ALLIANCE), 1), ("loaded", site.url(JUNTA_EN), 1)]


async def test_an_item_seen_twice_loads_once(
    sessions: async_sessionmaker[AsyncSession], site: LocalFeeds, poller: FeedPoller, clock: Clock
) -> None:
    """By its id in the feed; by its URL with tracking parameters in another feed; by its text under another URL."""
    home = site.add(Channel("/en/rss", "Mekong Wire", stories=[story(ALLIANCE)]))
    home_feed = await _add(sessions, site.url("/en/rss"), clock)
    [first] = await poller.poll_all()
    assert len(first.loaded) == 1

    home.stories.append(story(JUNTA_EN))  # the feed changes (a new ETag); the first item is in it again
    tracked = site.url(ALLIANCE) + "?utm_source=rss&utm_medium=feed&fbclid=XYZ"
    site.add(Channel("/partner/rss", "Partner", stories=[story(ALLIANCE, link=tracked, guid="partner-1")]))
    site.pages["/mirror/junta"] = page(JUNTA_EN)  # the same page under a second address
    site.add(Channel("/mirror/rss", "Mirror", stories=[story(JUNTA_EN, link=site.url("/mirror/junta"))]))
    partner = await _add(sessions, site.url("/partner/rss"), clock)
    mirror = await _add(sessions, site.url("/mirror/rss"), clock)
    clock.at += EVERY
    await poller.poll(home_feed.id)  # the junta page is loaded first, so the mirror's copy is the duplicate
    results = {result.feed.id: result for result in await poller.poll_all()}

    assert await _count(sessions, ArticleRow) == 2
    assert len(site.requests_to(ALLIANCE)) == 1, "neither the same id nor the tracking link fetched it again"
    assert await _items(sessions, home_feed.id) == [
        ("loaded", site.url(ALLIANCE), 1),
        ("loaded", site.url(JUNTA_EN), 1),
    ]
    assert await _items(sessions, partner.id) == [("duplicate", site.url(ALLIANCE), 1)]
    assert await _items(sessions, mirror.id) == [("duplicate", site.url("/mirror/junta"), 1)]
    [copy] = results[mirror.id].items
    assert copy.outcome is not None
    assert copy.outcome.duplicate, "read, and known by its text"


async def test_off_topic_items_store_nothing_and_are_remembered(
    sessions: async_sessionmaker[AsyncSession], site: LocalFeeds, poller: FeedPoller, clock: Clock
) -> None:
    channel = site.add(Channel("/de/atom", "Südostasien-Dienst", "atom", "de", stories=[story(RELIEF_DE)]))
    feed = await _add(sessions, site.url("/de/atom"), clock)
    [result] = await poller.poll_all()
    assert [item.state for item in result.items] == ["off_topic"]
    assert result.status == "unchanged"
    assert (await _count(sessions, ArticleRow), await _count(sessions, CommitmentRow)) == (0, 0)
    channel.stories.append(story(JUNTA_DE))
    clock.at += EVERY
    await poller.poll_all()
    assert len(site.requests_to(RELIEF_DE)) == 1, "read once"
    assert [state for state, _, _ in await _items(sessions, feed.id)] == ["off_topic", "loaded"]


async def test_failing_feeds_give_their_error_and_backoff_write_nothing_and_the_others_still_load(
    sessions: async_sessionmaker[AsyncSession], site: LocalFeeds, clock: Clock
) -> None:
    """FEEDS_ALLOW_PRIVATE off: the feeds are on 127.0.0.2, standing in for a public host; one redirects to
    127.0.0.1. A timeout of a second keeps the stalled one short."""
    expected = {
        "/500": ("status_500", "http_status"),
        "/slow": ("slow", "timeout"),
        "/broken": ("broken_xml", "broken_xml"),
        "/huge": ("huge", "too_large"),
        "/moved": ("redirect", "blocked_address"),
        "/json": ("json", "content_type"),
        "/html": ("html", "not_feed"),
    }
    stand_in = ipaddress.ip_address("127.0.0.2")

    def public(address: IPAddress) -> bool:
        return is_public(address) or address == stand_in

    async with LocalFeeds(host="127.0.0.2") as remote:
        remote.pages.update({path: page(path) for path in PUBLISHED})
        remote.add(Channel("/good", "Good", stories=[story(ALLIANCE)]))
        for path, (fault, _) in expected.items():
            remote.add(
                Channel(
                    path,
                    path,
                    stories=[story(JUNTA_EN)],
                    fault=fault,  # type: ignore[arg-type]
                    delay=10.0,
                    redirect_to=site.url("/en/rss"),
                )
            )
        site.add(Channel("/en/rss", "Loopback", stories=[story(JUNTA_EN)]))
        ids = {path: (await _add(sessions, remote.url(path), clock)).id for path in ["/good", *expected]}
        async with Fetcher(public=public, limits=FetchLimits(total_timeout=1.0)) as strict:
            polling = FeedPoller(sessions, clock, strict, rng=NoJitter())
            results = {result.feed.id: result for result in await polling.poll_all()}

    good = results[ids["/good"]]
    assert (good.status, len(good.loaded)) == ("new", 1)
    assert await _count(sessions, ArticleRow) == 1, "nothing of the failing feeds was written"
    assert site.hits == [], "the redirect to loopback was not followed"
    for path, (_, kind) in expected.items():
        result = results[ids[path]]
        assert result.status == "failed", path
        assert result.error is not None
        assert result.error.kind == kind, (path, result.error)
        view = result.feed
        assert (view.failures, view.last_error_kind) == (1, kind), path
        assert view.next_poll_at == NOW + 2 * EVERY, "the first failure doubles the wait"
        assert view.etag is None
        assert await _items(sessions, view.id) == [], path


async def test_backoff_doubles_up_to_six_hours_and_the_admins_hear_once_then_once_more(
    sessions: async_sessionmaker[AsyncSession], site: LocalFeeds, fetcher: Fetcher, clock: Clock
) -> None:
    channel = site.add(Channel("/en/rss", "Mekong Wire", stories=[story(ALLIANCE)], fault="status_500"))
    feed = await _add(sessions, site.url("/en/rss"), clock)
    notices = Notices()
    polling = FeedPoller(sessions, clock, fetcher, notify=notices, rng=NoJitter())
    waits: list[timedelta] = []
    for _ in range(7):
        result = await polling.poll(feed.id)
        assert result is not None
        waits.append(result.feed.next_poll_at - clock.at)
        clock.at = result.feed.next_poll_at
    assert waits == [EVERY * 2, EVERY * 4, EVERY * 8, EVERY * 16, MAX_BACKOFF, MAX_BACKOFF, MAX_BACKOFF]
    assert notices.heard == [("failing", feed.id, 5)]

    channel.fault = None
    result = await polling.poll(feed.id)
    assert result is not None
    assert (result.status, result.feed.failures, result.feed.alerted) == ("new", 0, False)
    assert result.feed.next_poll_at == clock.at + EVERY
    assert notices.heard == [("failing", feed.id, 5), ("recovered", feed.id, 0)]
    await polling.poll(feed.id)
    assert len(notices.heard) == 2, "once more, not on every good poll"


async def test_each_next_poll_gets_jitter(
    sessions: async_sessionmaker[AsyncSession], site: LocalFeeds, fetcher: Fetcher, clock: Clock
) -> None:
    site.add(Channel("/en/rss", "Mekong Wire"))
    feeds = [await _add(sessions, site.url(f"/en/rss?copy={n}"), clock) for n in range(5)]
    polling = FeedPoller(sessions, clock, fetcher, rng=random.Random(3))
    results = await polling.poll_all()
    waits = {result.feed.next_poll_at - NOW for result in results}
    assert len(results) == len(feeds)
    assert len(waits) == len(feeds), "feeds added together drift apart"
    assert all(EVERY * 0.9 <= wait <= EVERY * 1.1 for wait in waits)


async def test_a_failed_page_is_tried_again_a_few_times(
    sessions: async_sessionmaker[AsyncSession], site: LocalFeeds, poller: FeedPoller, clock: Clock
) -> None:
    site.add(Channel("/en/rss", "Mekong Wire", stories=[story(ALLIANCE), story(JUNTA_EN, link=site.url("/gone"))]))
    feed = await _add(sessions, site.url("/en/rss"), clock)
    for _ in range(4):
        await poller.poll_all(force=True)
    assert await _items(sessions, feed.id) == [("loaded", site.url(ALLIANCE), 1), ("failed", site.url("/gone"), 3)]
    assert [hit.status for hit in site.requests_to("/en/rss")] == [200, 200, 200, 304], (
        "validators are dropped while an item waits for another try"
    )
    assert len(site.requests_to("/gone")) == 3
    assert await _count(sessions, ArticleRow) == 1


async def test_the_job_polls_due_feeds_only_and_a_stalled_one_holds_up_nothing(
    sessions: async_sessionmaker[AsyncSession], site: LocalFeeds, clock: Clock
) -> None:
    site.add(Channel("/slow", "Slow", stories=[story(JUNTA_EN)], fault="slow", delay=3.0))
    site.add(Channel("/quick", "Quick", stories=[story(ALLIANCE)]))
    site.add(Channel("/later", "Later", stories=[story(JUNTA_DE)]))
    slow = await _add(sessions, site.url("/slow"), clock)
    quick = await _add(sessions, site.url("/quick"), clock)
    later = await stored.add_feed(
        sessions, site.url("/later"), title=None, interval=EVERY, now=NOW + timedelta(minutes=5)
    )
    done: list[PollResult] = []
    first = asyncio.Event()

    def heard(result: PollResult) -> None:
        done.append(result)
        first.set()

    async with Fetcher(allow_private=True) as fetcher:
        polling = FeedPoller(sessions, clock, fetcher, rng=NoJitter(), listeners=[heard])
        await polling.tick()
        await asyncio.wait_for(first.wait(), 10)
        assert [result.feed.id for result in done] == [quick.id], "the quick feed is in while the slow one stalls"
        assert done[0].status == "new"
        await polling.tick()  # the slow one is still being polled: not started twice
        await polling.stop()
    assert site.arrivals.count("/slow") == 1
    assert "/later" not in site.arrivals, "not due yet"
    assert (await stored.get_feed(sessions, later.id)) is not None
    assert slow.id != quick.id


async def test_in_review_mode_what_feeds_bring_waits_for_an_editor(
    sessions: async_sessionmaker[AsyncSession], site: LocalFeeds, fetcher: Fetcher, clock: Clock
) -> None:
    """REVIEW_MODE=review (bot.app passes settings.reviewing): a commitment first reported by a feed item is stored
    unconfirmed, like one from any other article."""
    site.add(Channel("/en/rss", "Mekong Wire", stories=[story(JUNTA_EN)]))
    await _add(sessions, site.url("/en/rss"), clock)
    polling = FeedPoller(sessions, clock, fetcher, rng=NoJitter(), review=True)
    [result] = await polling.poll_all()
    assert len(result.loaded) == 1
    async with sessions() as session:
        assert list(await session.scalars(select(CommitmentRow.review))) == ["unconfirmed"]
