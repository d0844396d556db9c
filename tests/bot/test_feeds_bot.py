"""/feeds, links, /load and forwarded channel posts end to end: the real bot against the loopback Bot API, the
feeds and pages on a loopback site (FEEDS_ALLOW_PRIVATE=1, as the tests need). Non-admins are refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.settings import Settings
from bot import display
from bot.commands import FEEDS_KEY
from bot.i18n import Ctx
from bot.localapi import Call, Chat
from schedules.feeds import FeedPoller
from sources.localfeeds import Channel, LocalFeeds
from storage import feeds as stored
from storage.models import ArticleRow
from tests.bot.harness import ADMIN, MEMBER, PolledBot, buttons, texts
from tests.bot.test_private_chat import ALICE, BERND
from tests.sources.conftest import ALLIANCE, JUNTA_DE, JUNTA_EN, PUBLISHED, page, story

EN = Ctx.of("en", "UTC")
DE = Ctx.of("de", "UTC")  # MEMBER's app language


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"feeds_allow_private": True})


@pytest.fixture
async def site() -> AsyncIterator[LocalFeeds]:
    async with LocalFeeds() as served:
        served.pages.update({path: page(path) for path in PUBLISHED})
        served.add(Channel("/en/feed.xml", "Mekong <b>Wire</b>", stories=[story(ALLIANCE), story(JUNTA_EN)]))
        yield served


async def _articles(bot: PolledBot) -> int:
    async with bot.deps.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(ArticleRow)) or 0)


async def _until(check: Callable[[], Any], within: float = 10.0) -> None:
    """Until ``await check()`` is true (a bounded wait for the poller working in the background)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        assert loop.time() < deadline, "not within the time allowed"
        await asyncio.sleep(0.05)


async def _forward(bot: PolledBot, text: str, posted: datetime) -> list[Call]:
    channel = Chat(-1009876543210, "channel", "Frontline Updates")
    return await bot._step(
        lambda: bot.api.forward_channel_post(ALICE, ADMIN, text, channel, posted=int(posted.timestamp())), ALICE.id
    )


async def test_an_admin_adds_lists_pauses_resumes_and_removes_a_feed(bot: PolledBot, site: LocalFeeds) -> None:
    url = site.url("/en/feed.xml")
    articles = await _articles(bot)
    [added] = await bot.say(ALICE, ADMIN, f"/feeds add {url} every 30m")
    assert "added" in added.params["text"]
    assert "2 items in it now" in added.params["text"]
    assert "every 30 min" in added.params["text"]
    assert "Mekong &lt;b&gt;Wire&lt;/b&gt;" in added.params["text"], "the feed's title is escaped"

    async def both_loaded() -> bool:
        # the poll stores its items first and its own record (last poll, validators) once it is done
        feed = await stored.get_feed(bot.deps.sessions, 1)
        return feed is not None and feed.loaded == 2 and feed.last_polled_at is not None

    await _until(both_loaded)  # polled at once, in the background
    assert await _articles(bot) == articles + 2

    [listed] = await bot.say(ALICE, ADMIN, "/feeds")
    text = listed.params["text"]
    assert "<b>#1</b> Mekong &lt;b&gt;Wire&lt;/b&gt;" in text
    assert "every 30 min" in text
    assert "2 articles" in text
    assert "Last poll: Sat 22 Mar 12:00" in text, "on the bot's clock"
    [again] = await bot.say(ALICE, ADMIN, f"/feeds add {url}")
    assert "tracked already" in again.params["text"]

    [paused] = await bot.say(ALICE, ADMIN, "/feeds pause 1")
    assert "paused" in paused.params["text"]
    assert "⏸ paused" in (await bot.say(ALICE, ADMIN, "/feeds"))[0].params["text"]
    [resumed] = await bot.say(ALICE, ADMIN, "/feeds resume #1")
    assert "resumed" in resumed.params["text"]
    [removed] = await bot.say(ALICE, ADMIN, "/feeds remove 1")
    assert "removed" in removed.params["text"]
    assert "No feeds yet" in (await bot.say(ALICE, ADMIN, "/feeds"))[0].params["text"]
    assert await _articles(bot) == articles + 2, "what a removed feed loaded stays"
    [unknown] = await bot.say(ALICE, ADMIN, "/feeds pause 1")
    assert "There is no feed 1" in unknown.params["text"]
    [usage] = await bot.say(ALICE, ADMIN, "/feeds frobnicate")
    assert "/feeds add URL [every 15m]" in usage.params["text"]


async def test_a_page_that_links_a_feed_offers_it_and_other_urls_get_a_clear_answer(
    bot: PolledBot, site: LocalFeeds
) -> None:
    [offer] = await bot.say(ALICE, ADMIN, f"/feeds add {site.url(ALLIANCE)}")
    assert "is a web page, not a feed. It links 1 feed" in offer.params["text"]
    [(label, data)] = buttons(offer)
    assert label == "➕ Mekong Wire"
    [added] = await bot.press(ALICE, ADMIN, offer.result["message_id"], data)
    assert "Feed <b>#1</b>" in added.params["text"]
    feeds = await stored.list_feeds(bot.deps.sessions)
    assert [feed.url for feed in feeds] == [site.url("/en/feed.xml")]

    site.pages["/plain"] = b"<html><head><title>Plain</title></head><body><p>Nothing here.</p></body></html>"
    [none] = await bot.say(ALICE, ADMIN, f"/feeds add {site.url('/plain')}")
    assert "links no feed" in none.params["text"]
    site.add(Channel("/api", "JSON", fault="json"))
    [json] = await bot.say(ALICE, ADMIN, f"/feeds add {site.url('/api')}")
    assert "the answer is neither HTML nor XML" in json.params["text"]
    assert "Nothing was stored" in json.params["text"]
    [interval] = await bot.say(ALICE, ADMIN, f"/feeds add {site.url('/en/feed.xml')} every 5s")
    assert "is not an interval" in interval.params["text"]
    [scheme] = await bot.say(ALICE, ADMIN, "/feeds add ftp://127.0.0.1/feed.xml")
    assert "not an http or https address" in scheme.params["text"]
    assert len(await stored.list_feeds(bot.deps.sessions)) == 1


async def test_the_admins_hear_once_when_a_feed_keeps_failing_and_once_when_it_works_again(
    bot: PolledBot, site: LocalFeeds
) -> None:
    channel = site.channels["/en/feed.xml"]
    channel.fault = "status_500"
    feed = await stored.add_feed(
        bot.deps.sessions,
        site.url("/en/feed.xml"),
        title="Mekong",
        interval=timedelta(minutes=15),
        now=datetime.now(UTC),
    )
    poller = bot.application.bot_data[FEEDS_KEY]
    assert isinstance(poller, FeedPoller)
    before = len(bot.api.sent(ALICE.id))
    for _ in range(6):
        await poller.poll(feed.id)
    await bot.api.wait_for(lambda calls: len(bot.api.sent(ALICE.id)) > before)
    [failing] = bot.api.sent(ALICE.id)[before:]
    assert "Feed <b>#1</b> Mekong failed 5 times in a row" in failing.params["text"]
    assert "the server answered with an error (500 Internal Server Error)" in failing.params["text"]
    channel.fault = None
    await poller.poll(feed.id)
    await bot.api.wait_for(lambda calls: len(bot.api.sent(ALICE.id)) > before + 1)
    await poller.poll(feed.id)
    recovered = await stored.get_feed(bot.deps.sessions, feed.id)
    assert recovered is not None
    assert texts(bot.api.sent(ALICE.id)[before + 1 :]) == display.feed_recovered(recovered, EN), "once, not twice"


async def test_a_link_loads_like_a_txt_and_says_what_it_did(bot: PolledBot, site: LocalFeeds) -> None:
    articles = await _articles(bot)
    [loaded] = await bot.say(ALICE, ADMIN, f"Worth tracking: {site.url(JUNTA_EN)}")
    assert "📄 <b>Myanmar junta announces truce until April 22 for quake relief</b>" in loaded.params["text"]
    assert "New commitments:" in loaded.params["text"]
    assert await _articles(bot) == articles + 1
    [german] = await bot.say(ALICE, ADMIN, f"/load {site.url(JUNTA_DE)}")
    assert "Added as a source to:" in german.params["text"], "the same truce in German"
    [again] = await bot.say(ALICE, ADMIN, f"/load {site.url(JUNTA_EN)}?utm_source=telegram")
    assert "loaded before; nothing changed" in again.params["text"]
    assert await _articles(bot) == articles + 2


async def test_a_link_that_is_no_article_gets_a_clear_answer_and_stores_nothing(
    bot: PolledBot, site: LocalFeeds
) -> None:
    """(A test of its own: loading links is throttled like uploads, five in a row.)"""
    articles = await _articles(bot)
    [feed] = await bot.say(ALICE, ADMIN, f"/load {site.url('/en/feed.xml')}")
    assert "is a feed, not an article" in feed.params["text"]
    [missing] = await bot.say(ALICE, ADMIN, f"/load {site.url('/gone')}")
    assert "the server answered with an error (404 Not Found)" in missing.params["text"]
    assert "Nothing was stored" in missing.params["text"]
    [usage] = await bot.say(ALICE, ADMIN, "/load")
    assert "/load URL" in usage.params["text"]
    assert await _articles(bot) == articles


async def test_an_undated_page_is_dated_by_the_message(bot: PolledBot, site: LocalFeeds) -> None:
    site.pages["/undated"] = (
        b"<html><body><article><h1>Israel and Hamas agree 30-day ceasefire</h1><p>"
        + b"Israel and Hamas agreed to a 30-day ceasefire starting on Monday, mediators in Cairo said. " * 3
        + b"</p></article></body></html>"
    )
    [reply] = await bot.say(ALICE, ADMIN, f"/load {site.url('/undated')}")
    assert "dated by your message" in reply.params["text"]


async def test_a_forwarded_channel_post_loads_its_text_dated_by_the_post(bot: PolledBot) -> None:
    posted = datetime(2025, 3, 21, 18, 30, tzinfo=UTC)
    post = "Thailand and Cambodia agreed to a ceasefire of 14 days starting on Monday, officials in Kuala Lumpur said."
    articles = await _articles(bot)
    [reply] = await _forward(bot, post, posted)
    assert "dated by the post" in reply.params["text"]
    assert "New commitments:" in reply.params["text"]
    async with bot.deps.sessions() as session:
        path, published = (await session.execute(select(ArticleRow.path, ArticleRow.published_utc).order_by(
            ArticleRow.id.desc()).limit(1))).one()  # fmt: skip
    assert path.startswith("telegram:channel/")
    assert published == posted
    assert await _articles(bot) == articles + 1


async def test_non_admins_are_refused_and_nothing_changes(bot: PolledBot, site: LocalFeeds) -> None:
    articles = await _articles(bot)
    for line in ("/feeds", f"/feeds add {site.url('/en/feed.xml')}", "/feeds remove 1", f"/load {site.url(JUNTA_EN)}",
                 f"see {site.url(JUNTA_EN)}"):  # fmt: skip
        [refusal] = await bot.say(BERND, MEMBER, line)
        assert refusal.params["text"] == display.not_admin(DE), line
    channel = Chat(-1009876543210, "channel", "Frontline Updates")
    [refusal] = await bot._step(
        lambda: bot.api.forward_channel_post(BERND, MEMBER, "Russia and Ukraine agreed a truce.", channel, posted=0),
        BERND.id,
    )
    assert refusal.params["text"] == display.not_admin(DE)
    [offer] = await bot.say(ALICE, ADMIN, f"/feeds add {site.url(ALLIANCE)}")
    [(_, data)] = buttons(offer)
    await bot.press(BERND, MEMBER, offer.result["message_id"], data)
    [answer] = bot.answered_callbacks()
    assert answer.params["show_alert"] is True
    assert await stored.list_feeds(bot.deps.sessions) == []
    assert await _articles(bot) == articles
    assert site.requests_to(JUNTA_EN) == [], "nothing was fetched for them"
    assert await bot.say(BERND, MEMBER, "just chatting", expect=False) == [], "plain text is not for the bot"
    assert await bot.say(ALICE, ADMIN, "just chatting", expect=False) == []
