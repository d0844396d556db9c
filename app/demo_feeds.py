"""The demo's two feeds: one English (RSS 2.0), one German (Atom), served on 127.0.0.1 as the replay clock runs.

The pages are the project's own (``examples/feeds``): the Myanmar truces after the earthquake of 28 March 2025 —
the rebel alliance's one-month pause on 1 April, the junta's truce until 22 April in English and in German (one
commitment, two sources), and a German report on relief deliveries that states no commitment (off-topic: read,
remembered, nothing stored). A feed lists a story only once the replay clock has reached its publication
(:class:`Release`), and the bot's own feed poller (schedules.feeds) fetches them: conditional GETs, the pages read
by trafilatura, each item loaded like a ``.txt``. The demo's story is another conflict's, so these add alerts of
their own and change none of its.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schedules.feeds import ItemResult, PollResult
from sources.localfeeds import Channel, FeedFormat, LocalFeeds, Story
from storage import feeds as stored
from storage.feeds import FeedView
from storage.loader import LoadOutcome


def _april(day: int, hour: int, minute: int) -> datetime:
    """A moment of the demo's month (April 2025) in UTC."""
    return datetime(2025, 4, day, hour, minute, tzinfo=UTC)


# The feeds: path, title, format and language; each lists the stories whose page is in its language's folder.
FEEDS: tuple[tuple[str, str, FeedFormat, str], ...] = (
    ("/en/feed.xml", "Mekong Wire", "rss20", "en"),
    ("/de/feed.atom", "Südostasien-Dienst", "atom", "de"),
)
# The stories, in publication order: page, publication and headline.
STORIES: tuple[tuple[str, datetime, str], ...] = (
    ("en/alliance-pause", _april(1, 11, 20), "Myanmar rebel alliance declares one-month ceasefire after earthquake"),
    ("en/junta-truce", _april(2, 15, 5), "Myanmar junta announces truce until April 22 for quake relief"),
    ("de/waffenruhe-junta", _april(2, 15, 40), "Myanmar: Militärjunta verkündet Waffenruhe bis 22. April"),
    ("de/erdbeben-hilfe", _april(3, 7, 15), "Erdbeben in Myanmar: Hilfsgüter erreichen Mandalay"),
)
INTERVAL = timedelta(hours=6)  # on the replay clock: a few real seconds at full pace


@dataclass
class Release:
    """How far the demo's site has published: a feed lists the stories out by ``until``. The replay moves it to
    each story's publication as its clock gets there, then polls that feed, so the stories come in one by one in
    their order even when the clock jumps past two of them at once (and the polling job, which may run at any
    moment, never sees a story before the replay does)."""

    until: datetime

    def now(self) -> datetime:
        return self.until


def _stories(language: str) -> list[tuple[str, datetime, str]]:
    """The stories the feed in ``language`` lists: its folder's pages."""
    return [story for story in STORIES if story[0].startswith(f"{language}/")]


def site_for(folder: Path, release: Release) -> LocalFeeds | None:
    """The demo's site with its pages from ``folder`` (None when the folder lacks any of them)."""
    site = LocalFeeds(clock=release.now)
    for path, title, fmt, language in FEEDS:
        channel = site.add(Channel(path, title, fmt, language))
        for page, published, headline in _stories(language):
            file = folder / f"{page}.html"
            if not file.is_file():
                return None
            site.pages[f"/{page}"] = file.read_bytes()
            channel.stories.append(Story(f"/{page}", headline, published))
    return site


async def add_feeds(
    sessions: async_sessionmaker[AsyncSession], site: LocalFeeds, now: datetime
) -> list[tuple[datetime, int]]:
    """Track both feeds, as an admin's `/feeds add URL every 6h` would; returns when each story comes out and the
    feed that lists it, in order: the replay polls that feed then."""
    out: list[tuple[datetime, int]] = []
    for path, title, _, language in FEEDS:
        feed = await stored.add_feed(sessions, site.url(path), title=title, interval=INTERVAL, now=now)
        out += [(published, feed.id) for _, published, _ in _stories(language)]
    return sorted(out)


def said(outcome: LoadOutcome) -> str:
    """What loading an article did, in a few words ("1 new commitment, 2 reports linked")."""
    counts = (
        (len(outcome.created), "new commitment", "new commitments"),
        (len(outcome.merged), "more source for a tracked one", "more sources for tracked ones"),
        (len(outcome.linked), "report linked", "reports linked"),
        (len(outcome.conflicts), "conflict", "conflicts"),
    )
    return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n) or "nothing to track"


def news_line(feed: FeedView, item: ItemResult) -> str:
    """What one new item of a feed became."""
    where = f"[{item.url or '?'}]"
    if item.state == "loaded" and item.outcome is not None:
        return f"📡 feed “{feed.name}”: “{item.title}” — {said(item.outcome)} {where}"
    if item.state == "off_topic":
        return f"📡 feed “{feed.name}”: “{item.title}” — off-topic, nothing stored {where}"
    if item.state == "duplicate":
        return f"📡 feed “{feed.name}”: “{item.title}” — known already {where}"
    return f"📡 feed “{feed.name}”: “{item.title}” — not loaded: {item.error} {where}"


def failure_line(result: PollResult) -> str | None:
    """A poll that failed, in a line (None for one that worked)."""
    if result.status != "failed" or result.error is None:
        return None
    return f"📡 feed “{result.feed.name}” failed: {result.error.kind}: {result.error.detail}"
