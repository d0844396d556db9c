"""Feeds as plain values: RSS 0.9x/1.0/2.0 and Atom read by feedparser, the feeds an HTML page links, and the
canonical form of a URL that makes the same story under two tracking links one item.

feedparser reads almost anything, recovering what it can from a broken document. A feed whose XML is broken
(a truncated or mangled answer) is refused here instead of being half read: its items come back whole on a
later poll. Only HTML entities that XML does not define (``&nbsp;`` in a title) are forgiven; feedparser resolves
them and they are common.
"""

from __future__ import annotations

import hashlib
import time
import xml.sax
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

import courlan
import feedparser

FeedErrorKind = Literal["broken_xml", "not_feed"]
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml", "text/xml"}
)
_KEY_LENGTH = 255


class FeedError(Exception):
    """The body is not a feed (``not_feed``: HTML, JSON, an empty document) or its XML is broken."""

    def __init__(self, kind: FeedErrorKind, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind: FeedErrorKind = kind
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a feed. ``key`` identifies it within its feed (its id or guid; else its link; else a digest
    of its title and summary); ``url`` is the canonical form of its link."""

    key: str
    link: str | None
    url: str | None
    title: str
    published: datetime | None
    summary: str


@dataclass(frozen=True, slots=True)
class Feed:
    title: str
    link: str | None
    version: str  # feedparser's name for the format: rss20, rss10, atom10, …
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed an HTML page announces with ``<link rel="alternate" type="application/rss+xml" href=…>``."""

    url: str
    title: str | None
    type: str


def canonical_url(url: str) -> str:
    """The URL two links to the same story share: lowercase scheme and host, no default port, no fragment, the
    query sorted and without tracking parameters (``utm_*``, ``fbclid``, ``ref`` … — courlan's list)."""
    try:
        normal = courlan.normalize_url(url.strip(), strict=False)
    except (ValueError, UnicodeError):
        return url.strip()
    parts = urlsplit(normal)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _key(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _KEY_LENGTH else "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _instant(parsed: Any) -> datetime | None:
    """feedparser's UTC ``struct_time`` as an aware datetime."""
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except ValueError:
        return None


def _broken(result: Any) -> str | None:
    """The XML error that makes a feed unusable, or None. Undefined HTML entities are forgiven."""
    if not result.get("bozo"):
        return None
    error = result.get("bozo_exception")
    if isinstance(error, xml.sax.SAXParseException):
        message = error.getMessage()
        if "undefined entity" in message:
            return None
        return f"line {error.getLineNumber()}, column {error.getColumnNumber()}: {message}"
    return None


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> Feed:
    """The feed in ``body`` (fetched from ``url``, which relative links are resolved against); raises FeedError."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    result = feedparser.parse(body, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    version = str(result.get("version") or "")
    if not version:
        problem = _broken(result)
        raise FeedError("not_feed", "no RSS or Atom document" + (f" ({problem})" if problem else ""))
    problem = _broken(result)
    if problem is not None:
        raise FeedError("broken_xml", problem)
    entries = []
    for raw in result.entries:
        link = raw.get("link") or None
        if link:
            link = urljoin(url, str(link).strip())
        title = str(raw.get("title") or "").strip()
        summary = str(raw.get("summary") or "").strip()
        ident = (
            str(raw.get("id") or "").strip()
            or link
            or "digest:" + hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest()
        )
        published = _instant(raw.get("published_parsed")) or _instant(raw.get("updated_parsed"))
        entries.append(
            Entry(
                key=_key(ident),
                link=link,
                url=canonical_url(link) if link else None,
                title=title,
                published=published,
                summary=summary,
            )
        )
    channel = result.get("feed", {})
    return Feed(
        title=str(channel.get("title") or "").strip(),
        link=str(channel.get("link") or "").strip() or None,
        version=version,
        entries=tuple(entries),
    )


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, str]] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"]
        if tag == "link" and "alternate" in values.get("rel", "").lower().split():
            self.found.append(values)


def discover(html: bytes | str, base_url: str) -> list[FeedLink]:
    """The feeds a page links in its ``<head>`` (RSS, Atom, RDF), absolute, each once, in page order."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    finder = _LinkFinder()
    try:
        finder.feed(text)
        finder.close()
    except (AssertionError, ValueError):  # the stdlib parser gives up on some malformed markup
        pass
    base = urljoin(base_url, finder.base) if finder.base else base_url
    links: list[FeedLink] = []
    seen: set[str] = set()
    for values in finder.found:
        kind = values.get("type", "").split(";")[0].strip().lower()
        href = values.get("href", "").strip()
        if kind not in FEED_TYPES or not href:
            continue
        url = urljoin(base, href)
        if urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        links.append(FeedLink(url, values.get("title") or None, kind))
    return links
