"""A news site on loopback (sources.localfeeds) with the demo's own pages, and a fetcher allowed to reach it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sources.fetch import Fetcher, FetchLimits
from sources.localfeeds import LocalFeeds, Story

PAGES = Path(__file__).resolve().parents[2] / "examples" / "feeds"
# The pages, by path on the site: three about ceasefires (en, en, de) and one off-topic (de).
ALLIANCE = "/en/alliance-pause"
JUNTA_EN = "/en/junta-truce"
JUNTA_DE = "/de/waffenruhe-junta"
RELIEF_DE = "/de/erdbeben-hilfe"
PUBLISHED = {
    ALLIANCE: datetime(2025, 4, 1, 11, 20, tzinfo=UTC),
    JUNTA_EN: datetime(2025, 4, 2, 15, 5, tzinfo=UTC),
    JUNTA_DE: datetime(2025, 4, 2, 15, 40, tzinfo=UTC),
    RELIEF_DE: datetime(2025, 4, 3, 7, 15, tzinfo=UTC),
}


def page(path: str) -> bytes:
    return (PAGES / f"{path.strip('/')}.html").read_bytes()


def story(path: str, **changes: str) -> Story:
    """The site's story at ``path``, as a feed announces it (``link`` / ``guid`` overridable)."""
    return Story(path, f"Story {path}", PUBLISHED[path], summary="", **changes)


@pytest.fixture
async def site() -> AsyncIterator[LocalFeeds]:
    """The site on 127.0.0.1 with every page at its path; channels are added by each test."""
    async with LocalFeeds() as served:
        served.pages.update({path: page(path) for path in PUBLISHED})
        yield served


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    """FEEDS_ALLOW_PRIVATE=1, as the tests' loopback site needs; short timeouts keep failing cases quick."""
    async with Fetcher(allow_private=True, limits=FetchLimits(total_timeout=5.0, connect_timeout=2.0)) as client:
        yield client
