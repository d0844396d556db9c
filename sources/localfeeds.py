"""A news site on 127.0.0.1: feeds (RSS 2.0, RSS 1.0, Atom) and the pages they link, served by aiohttp.

Product code for the same reason as :mod:`bot.localapi`: the demo serves its two feeds with it, ``bench.feeds``
its thousand pages, and the tests the feeds that go wrong. A channel answers conditional GETs like a real server
(ETag and Last-Modified from its content; 304 when the client has them), and can be told to fail: a 500, a stall,
broken XML, an endless body, a redirect to another address, or JSON. With ``clock`` set, a channel lists only the
stories published by then, so a replay sees news come out as its clock runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import ClassVar, Literal

from aiohttp import web

from sources.server import AppServer

FeedFormat = Literal["rss20", "rss10", "atom"]
Fault = Literal["status_500", "slow", "broken_xml", "huge", "redirect", "json", "html"]
HUGE_BYTES = 50 * 1024 * 1024
_CHUNK = b"<!-- " + b"x" * (64 * 1024 - 9) + b" -->"
_TYPES: dict[FeedFormat, str] = {
    "rss20": "application/rss+xml",
    "rss10": "application/rdf+xml",
    "atom": "application/atom+xml",
}


@dataclass(frozen=True, slots=True)
class Story:
    """One item: the page at ``path`` and how the feed announces it. ``link`` overrides the URL the feed gives
    (a tracking query, another address); ``guid`` overrides its id (else the page's URL)."""

    path: str
    title: str
    published: datetime
    summary: str = ""
    guid: str | None = None
    link: str | None = None


@dataclass
class Channel:
    path: str
    title: str
    format: FeedFormat = "rss20"
    language: str = "en"
    stories: list[Story] = field(default_factory=list)
    fault: Fault | None = None
    delay: float = 0.0  # seconds a "slow" channel stalls before answering
    redirect_to: str | None = None  # where a "redirect" channel points


@dataclass(frozen=True, slots=True)
class Hit:
    """One request the server answered: path, the validators it came with, and the status it got."""

    path: str
    status: int
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None


@dataclass
class LocalFeeds(AppServer):
    host: str = "127.0.0.1"
    port: int = 0
    clock: Callable[[], datetime] | None = None
    channels: dict[str, Channel] = field(default_factory=dict)
    pages: dict[str, bytes] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    delays: dict[str, float] = field(default_factory=dict)  # path → seconds any answer to it stalls first
    peak: int = 0  # the most requests answered at once
    arrivals: list[str] = field(default_factory=list)  # paths as requests arrive (hits are kept once answered)

    shutdown_timeout: ClassVar[float] = 0.5  # a stalled answer (a "slow" channel) is cut short on stop

    def __post_init__(self) -> None:
        self._in_flight = 0

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/{path:.*}", self._handle)
        return app

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def add(self, channel: Channel) -> Channel:
        self.channels[channel.path] = channel
        return channel

    def requests_to(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    # -- rendering ------------------------------------------------------------------------------------------------

    def listed(self, channel: Channel) -> list[Story]:
        """The channel's stories out by the clock (all of them without one), newest first."""
        now = self.clock() if self.clock is not None else None
        out = [story for story in channel.stories if now is None or story.published <= now]
        return sorted(out, key=lambda story: story.published, reverse=True)

    def render(self, channel: Channel) -> bytes:
        stories = self.listed(channel)
        if channel.format == "atom":
            return _atom(self, channel, stories)
        if channel.format == "rss10":
            return _rss10(self, channel, stories)
        return _rss20(self, channel, stories)

    def _link(self, story: Story) -> str:
        return story.link or self.url(story.path)

    # -- HTTP -----------------------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        """Answer, and keep the request as a Hit; one the client gave up on is kept with status 499."""
        path = request.path
        status = 499
        self.arrivals.append(path)
        self._in_flight += 1
        self.peak = max(self.peak, self._in_flight)
        try:
            if self.delays.get(path):
                await asyncio.sleep(self.delays[path])
            response = await self._answer(request, path)
            status = response.status
            return response
        finally:
            self._in_flight -= 1
            self.hits.append(
                Hit(
                    path,
                    status,
                    request.headers.get("If-None-Match"),
                    request.headers.get("If-Modified-Since"),
                    request.headers.get("User-Agent"),
                )
            )

    async def _answer(self, request: web.Request, path: str) -> web.StreamResponse:
        channel = self.channels.get(path)
        if channel is not None:
            return await self._channel(request, channel)
        page = self.pages.get(path)
        if page is None:
            return web.Response(status=404, text="not found")
        return web.Response(body=page, content_type="text/html", charset="utf-8")

    async def _channel(self, request: web.Request, channel: Channel) -> web.StreamResponse:
        fault = channel.fault
        if fault == "slow":
            await asyncio.sleep(channel.delay)
        if fault == "status_500":
            return web.Response(status=500, text="Internal Server Error")
        if fault == "redirect":
            return web.Response(status=302, headers={"Location": channel.redirect_to or "/"})
        if fault == "json":
            return web.json_response({"items": [{"title": s.title} for s in channel.stories]})
        if fault == "html":
            return web.Response(body=b"<!doctype html><html><body><p>Hello</p></body></html>", content_type="text/html")
        if fault == "huge":
            return await self._endless(request)
        body = self.render(channel)
        if fault == "broken_xml":
            body = body[: len(body) * 2 // 3]
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        stories = self.listed(channel)
        modified = stories[0].published if stories else datetime(2000, 1, 1, tzinfo=UTC)
        headers = {"ETag": etag, "Last-Modified": format_datetime(modified.astimezone(UTC), usegmt=True)}
        if _fresh(request, etag, modified):
            return web.Response(status=304, headers=headers)
        return web.Response(body=body, headers=headers, content_type=_TYPES[channel.format], charset="utf-8")

    async def _endless(self, request: web.Request) -> web.StreamResponse:
        """50 MB of XML comment, chunked with no Content-Length, so only counting can stop a reader."""
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        try:
            await response.write(b'<?xml version="1.0"?>\n<rss version="2.0"><channel>')
            for _ in range(HUGE_BYTES // len(_CHUNK)):
                await response.write(_CHUNK)
            await response.write_eof()
        except (ConnectionResetError, ConnectionError, RuntimeError):
            pass  # the reader hung up, as it should
        return response


def _fresh(request: web.Request, etag: str, modified: datetime) -> bool:
    """Whether the client's validators still hold (If-None-Match wins over If-Modified-Since, as RFC 9110 says)."""
    sent = request.headers.get("If-None-Match")
    if sent is not None:
        return etag in [tag.strip() for tag in sent.split(",")]
    since = request.headers.get("If-Modified-Since")
    if since:
        try:
            return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def _document(root: ET.Element) -> bytes:
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def _rss20(site: LocalFeeds, channel: Channel, stories: list[Story]) -> bytes:
    root = ET.Element("rss", {"version": "2.0"})
    head = ET.SubElement(root, "channel")
    _text(head, "title", channel.title)
    _text(head, "link", site.url("/"))
    _text(head, "description", channel.title)
    _text(head, "language", channel.language)
    for story in stories:
        item = ET.SubElement(head, "item")
        _text(item, "title", story.title)
        _text(item, "link", site._link(story))
        _text(item, "guid", story.guid or site._link(story), isPermaLink="false" if story.guid else "true")
        _text(item, "pubDate", format_datetime(story.published.astimezone(UTC), usegmt=True))
        _text(item, "description", story.summary)
    return _document(root)


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RSS1 = "http://purl.org/rss/1.0/"
_DC = "http://purl.org/dc/elements/1.1/"
_ATOM = "http://www.w3.org/2005/Atom"


def _rss10(site: LocalFeeds, channel: Channel, stories: list[Story]) -> bytes:
    ET.register_namespace("rdf", _RDF)
    ET.register_namespace("", _RSS1)
    ET.register_namespace("dc", _DC)
    root = ET.Element(f"{{{_RDF}}}RDF")
    head = ET.SubElement(root, f"{{{_RSS1}}}channel", {f"{{{_RDF}}}about": site.url(channel.path)})
    _text(head, f"{{{_RSS1}}}title", channel.title)
    _text(head, f"{{{_RSS1}}}link", site.url("/"))
    _text(head, f"{{{_RSS1}}}description", channel.title)
    for story in stories:
        item = ET.SubElement(root, f"{{{_RSS1}}}item", {f"{{{_RDF}}}about": story.guid or site._link(story)})
        _text(item, f"{{{_RSS1}}}title", story.title)
        _text(item, f"{{{_RSS1}}}link", site._link(story))
        _text(item, f"{{{_RSS1}}}description", story.summary)
        _text(item, f"{{{_DC}}}date", story.published.isoformat())
    return _document(root)


def _atom(site: LocalFeeds, channel: Channel, stories: list[Story]) -> bytes:
    ET.register_namespace("", _ATOM)
    root = ET.Element(f"{{{_ATOM}}}feed", {"xml:lang": channel.language})
    _text(root, f"{{{_ATOM}}}title", channel.title)
    _text(root, f"{{{_ATOM}}}id", site.url(channel.path))
    updated = stories[0].published if stories else datetime(2000, 1, 1, tzinfo=UTC)
    _text(root, f"{{{_ATOM}}}updated", updated.isoformat())
    ET.SubElement(root, f"{{{_ATOM}}}link", {"rel": "self", "href": site.url(channel.path)})
    for story in stories:
        entry = ET.SubElement(root, f"{{{_ATOM}}}entry")
        _text(entry, f"{{{_ATOM}}}title", story.title)
        _text(entry, f"{{{_ATOM}}}id", story.guid or site._link(story))
        ET.SubElement(entry, f"{{{_ATOM}}}link", {"rel": "alternate", "href": site._link(story)})
        _text(entry, f"{{{_ATOM}}}published", story.published.isoformat())
        _text(entry, f"{{{_ATOM}}}updated", story.published.isoformat())
        _text(entry, f"{{{_ATOM}}}summary", story.summary)
    return _document(root)
