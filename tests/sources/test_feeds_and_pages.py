"""Feeds parsed by feedparser (RSS 2.0, RSS 1.0, Atom; broken XML refused, HTML entities forgiven), feeds a page
links, canonical URLs, and pages read by trafilatura into `.txt` articles with the page's own date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from articles.model import ArticleError
from sources.feeds import FeedError, canonical_url, discover, parse_feed
from sources.localfeeds import Channel, LocalFeeds, Story
from sources.pages import NO_STORY, article_text, page_article, page_date, publication, read_page
from tests.sources.conftest import ALLIANCE, JUNTA_DE, JUNTA_EN, RELIEF_DE, page, story


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.com:443/a/b?utm_source=rss&utm_medium=feed", "https://news.example.com/a/b"),
        ("https://news.example.com/a/b?b=2&a=1&fbclid=XYZ#comments", "https://news.example.com/a/b?a=1&b=2"),
        ("http://news.example.com:80/story?id=17&gclid=1", "http://news.example.com/story?id=17"),
        ("https://news.example.com", "https://news.example.com/"),
        ("https://news.example.com:8443/x?page=2", "https://news.example.com:8443/x?page=2"),
    ],
)
def test_canonical_urls_drop_tracking_and_fragments(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("fmt", ["rss20", "rss10", "atom"])
def test_each_format_parses_to_the_same_entries(fmt: str) -> None:
    site = LocalFeeds(port=8000)
    stories = [story(ALLIANCE), story(JUNTA_EN, guid="tag:mekong,2025:junta")]
    body = site.render(Channel("/feed", "Mekong Wire & Co", fmt, stories=stories))  # type: ignore[arg-type]
    feed = parse_feed(body, site.url("/feed"))
    assert feed.version == {"rss20": "rss20", "rss10": "rss10", "atom": "atom10"}[fmt]
    assert feed.title == "Mekong Wire & Co"
    by_url = {entry.url: entry for entry in feed.entries}
    junta = by_url[f"http://127.0.0.1:8000{JUNTA_EN}"]
    assert junta.key == "tag:mekong,2025:junta"
    assert junta.published == datetime(2025, 4, 2, 15, 5, tzinfo=UTC)
    alliance = by_url[f"http://127.0.0.1:8000{ALLIANCE}"]
    assert alliance.key == f"http://127.0.0.1:8000{ALLIANCE}"  # no guid of its own: the link identifies it


def test_broken_xml_is_refused_but_an_html_entity_is_forgiven() -> None:
    site = LocalFeeds(port=8000)
    body = site.render(Channel("/feed", "Feed", stories=[story(ALLIANCE), story(JUNTA_EN)]))
    with pytest.raises(FeedError) as caught:
        parse_feed(body[: len(body) * 2 // 3], "http://127.0.0.1:8000/feed")
    assert caught.value.kind == "broken_xml"
    assert "line" in caught.value.detail
    entity = body.replace(b"<title>Feed</title>", b"<title>Feed&nbsp;News</title>")
    assert parse_feed(entity, "http://127.0.0.1:8000/feed").title == "Feed\xa0News"


@pytest.mark.parametrize("body", [b'{"items": []}', page(ALLIANCE), b"", b"<html><body><p>hi</p></body></html>"])
def test_what_is_no_feed_says_so(body: bytes) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(body, "http://127.0.0.1:8000/x")
    assert caught.value.kind == "not_feed"


def test_a_page_links_its_feeds() -> None:
    html = b"""<html><head><base href="https://news.example.com/de/">
    <link rel="alternate" type="application/rss+xml" title="Alle Meldungen" href="feed.xml">
    <link rel="Alternate" type="application/atom+xml" href="https://news.example.com/atom">
    <link rel="alternate" type="application/rss+xml" href="feed.xml">
    <link rel="alternate" hreflang="en" href="https://news.example.com/en/">
    <link rel="stylesheet" type="text/css" href="style.css">
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body></body></html>"""
    links = discover(html, "https://news.example.com/de/article")
    assert [(link.url, link.title) for link in links] == [
        ("https://news.example.com/de/feed.xml", "Alle Meldungen"),
        ("https://news.example.com/atom", None),
    ]
    assert (
        discover(page(ALLIANCE), "http://127.0.0.1:8000/en/alliance-pause")[0].url
        == "http://127.0.0.1:8000/en/feed.xml"
    )


@pytest.mark.parametrize(
    ("found", "moment"),
    [
        ("2025-04-02T15:05:00+0000", datetime(2025, 4, 2, 15, 5, tzinfo=UTC)),
        ("2025-04-02T17:40:00+0200", datetime(2025, 4, 2, 17, 40, tzinfo=timezone(timedelta(hours=2)))),
        ("2025-04-02T00:00:00", date(2025, 4, 2)),  # htmldate's way of saying "a day"
        ("2025-04-02T09:30:00", datetime(2025, 4, 2, 9, 30)),  # a clock time without a zone stays naive
        ("2025-04-02", date(2025, 4, 2)),
        (None, None),
        ("soon", None),
    ],
)
def test_page_dates(found: str | None, moment: object) -> None:
    assert page_date(found) == moment


def test_a_day_yields_to_the_feed_s_instant_on_that_day_only() -> None:
    at = datetime(2025, 4, 2, 15, 5, tzinfo=UTC)
    assert publication(date(2025, 4, 2), at) == at
    assert publication(date(2025, 4, 1), at) == date(2025, 4, 1)
    assert publication(None, at) == at
    own = datetime(2025, 4, 2, 9, 0, tzinfo=UTC)
    assert publication(own, at) == own


def test_a_page_reads_like_a_txt_article() -> None:
    read = read_page(page(JUNTA_DE), "http://127.0.0.1:8000/de/waffenruhe-junta")
    assert read.title == "Myanmar: Militärjunta verkündet Waffenruhe bis 22. April"
    assert read.published == datetime(2025, 4, 2, 17, 40, tzinfo=timezone(timedelta(hours=2)))
    text = article_text(read)
    assert text.startswith(read.title + "\n\n")
    assert "Meistgelesen" not in text, "the page's boxes are not story"
    assert "Cookies" not in text
    article = page_article(read)
    assert (article.language, article.path) == ("de", "http://127.0.0.1:8000/de/waffenruhe-junta")
    [truce] = article.commitments
    assert (truce.kind, truce.actors, truce.end) == ("ceasefire", ("Myanmar military",), date(2025, 4, 22))


def test_an_off_topic_page_states_nothing() -> None:
    article = page_article(read_page(page(RELIEF_DE), "http://127.0.0.1:8000/de/erdbeben-hilfe"))
    assert (article.commitments, article.reports) == ((), ())


def test_a_page_without_a_story_or_a_date_is_refused() -> None:
    with pytest.raises(ArticleError) as caught:
        read_page(b"<html><body><div></div></body></html>", "http://127.0.0.1:8000/empty")
    assert caught.value.reason == NO_STORY
    menu = read_page(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "http://127.0.0.1:8000/menu")
    with pytest.raises(ArticleError):  # a menu is no story either
        page_article(menu, fallback=datetime(2025, 4, 2, 12, tzinfo=UTC))
    undated = b"<html><body><article><h1>Truce</h1><p>" + b"Russia and Ukraine agreed a truce. " * 5
    undated += b"</p></article></body></html>"
    read = read_page(undated, "http://127.0.0.1:8000/undated")
    assert read.published is None
    with pytest.raises(ArticleError):
        page_article(read)
    dated = page_article(read, fallback=datetime(2025, 4, 2, 12, tzinfo=UTC))
    assert dated.published == datetime(2025, 4, 2, 12, tzinfo=UTC)


def test_story_defaults_are_what_feeds_announce() -> None:
    assert Story("/x", "X", datetime(2025, 4, 2, tzinfo=UTC)).link is None
