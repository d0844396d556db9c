"""The one HTTP client the bot fetches feeds and pages with, so every request it makes is held to the same rules.

A feed URL comes from an admin and its links from a publisher: either may point anywhere, including at the
machine the bot runs on or at its private network (a request forger's way in). So every hop is checked:

* only ``http`` and ``https``;
* the host's addresses are resolved and refused when any is private, loopback, link-local, reserved or otherwise
  not global (unless ``allow_private``: the tests and the demo serve feeds on 127.0.0.1), and the address actually
  connected to is checked again before the body is read (a name that resolves differently the second time);
* redirects are followed by hand, at most five, each hop checked like the first;
* connect within 5 s, the whole fetch (every hop and the body, not the wait for a free slot) within 20 s, at most
  5 MB of body (counted after decompression, so a small gzip bomb is cut off too), and only HTML or XML;
* at most two requests to one host at once, and a ``User-Agent`` that names the bot.

The numbers are :class:`FetchLimits`' defaults.

Every failure is a :class:`FetchError` with a short ``kind`` (translated where it is shown) and a detail.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import metadata
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
FetchErrorKind = Literal[
    "bad_url",
    "blocked_address",
    "dns",
    "connect",
    "timeout",
    "http_status",
    "too_large",
    "redirects",
    "content_type",
]

SCHEMES = frozenset({"http", "https"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
XML_TYPES = frozenset({"application/xml", "text/xml", "application/rss+xml", "application/atom+xml"})
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8"


def _version() -> str:
    try:
        return metadata.version("ceasefire-watch")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "0"


USER_AGENT = f"ceasefire-watch/{_version()} (Telegram bot tracking ceasefire commitments in the news)"


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchLimits:
    """How far a :class:`Fetcher` goes for one URL: one value, checked when it is made, so a fetcher is never given
    a timeout of zero or no slot per host, and the defaults (module doc) are written once.

    Timeouts are seconds: ``connect_timeout`` for a connection, ``total_timeout`` for a whole fetch (every hop and
    the body); ``max_bytes`` bounds the body after decompression; ``per_host`` is how many requests to one host may
    run at once."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 5.0
    total_timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    per_host: int = 2

    def __post_init__(self) -> None:
        if self.connect_timeout <= 0 or self.total_timeout <= 0:
            raise ValueError("connect_timeout and total_timeout must be positive")
        if self.max_bytes < 0 or self.max_redirects < 0:
            raise ValueError("max_bytes and max_redirects cannot be negative")
        if self.per_host < 1:
            raise ValueError("per_host must be at least 1")


class FetchError(Exception):
    """Why a URL could not be fetched: ``kind`` says which rule or fault, ``detail`` the specifics (English)."""

    def __init__(self, url: str, kind: FetchErrorKind, detail: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {kind}: {detail}")
        self.url = url
        self.kind: FetchErrorKind = kind
        self.detail = detail
        self.status = status


@dataclass(frozen=True, slots=True)
class Fetched:
    """One answer: 200 with a body, or 304 (``not_modified``, no body). ``url`` is where it was found in the end."""

    url: str
    status: int
    content_type: str
    body: bytes
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES or (not self.content_type and _sniff(self.body) == "html")


def is_public(address: IPAddress) -> bool:
    """Whether ``address`` is on the public internet: not private, loopback, link-local, reserved, shared (CGNAT),
    unspecified or multicast; an IPv4 address written as IPv6 (``::ffff:127.0.0.1``) counts as itself."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def media_type(header: str | None) -> tuple[str, str | None]:
    """``text/html; charset=UTF-8`` → ("text/html", "UTF-8")."""
    if not header:
        return "", None
    kind, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return kind.strip().lower(), charset


def _sniff(body: bytes) -> Literal["html", "xml", ""]:
    """What a body without a Content-Type looks like from its first bytes."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "xml" if head.startswith(b"<") else ""


def accepted(content_type: str) -> bool:
    """HTML or XML (any ``…+xml`` type too); JSON, plain text, images and the like are refused."""
    return content_type in HTML_TYPES or content_type in XML_TYPES or content_type.endswith("+xml")


Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos}, key=str)


class Fetcher:
    """The safe client; one per process (or per poll run), closed with :meth:`aclose` or ``async with``.

    ``allow_private`` lifts the address rule (FEEDS_ALLOW_PRIVATE=1); ``limits`` bounds each fetch; ``public``
    decides what counts as public otherwise (tests name a loopback address that stands for a public host);
    ``transport`` swaps httpx's network layer (tests only).
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        limits: FetchLimits = FetchLimits(),
        public: Callable[[IPAddress], bool] = is_public,
        resolver: Resolver = resolve,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.limits = limits
        self._public = public
        self._resolve = resolver
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._client = httpx.AsyncClient(
            headers={"User-Agent": limits.user_agent},
            timeout=httpx.Timeout(limits.total_timeout, connect=limits.connect_timeout),
            follow_redirects=False,  # by hand: every hop is checked
            trust_env=False,  # a proxy from the environment would hide the address connected to
            transport=transport,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """Fetch ``url`` under the rules above; ``etag`` / ``last_modified`` make it conditional (304 is a result,
        not an error). Raises FetchError."""
        headers = {"Accept": ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return await self._follow(url, headers)

    async def _follow(self, url: str, headers: dict[str, str]) -> Fetched:
        """The hops, each under the address rules; the total time counts the network only, not the wait for a
        free slot on a busy host (a feed's twenty pages queue there)."""
        loop = asyncio.get_running_loop()
        current, left = url, self.limits.total_timeout
        late = f"no complete answer within {self.limits.total_timeout:g} s"
        for _hop in range(self.limits.max_redirects + 1):
            began = loop.time()
            try:
                async with asyncio.timeout(left):
                    host = await self._checked(current)
            except TimeoutError:
                raise FetchError(url, "timeout", late) from None
            left -= loop.time() - began
            async with self._slot(host):
                began = loop.time()
                try:
                    async with asyncio.timeout(left), self._stream(current, headers) as response:
                        self._check_peer(current, response)
                        if response.status_code not in REDIRECTS:
                            return await self._answer(current, response)
                        location = response.headers.get("location")
                except TimeoutError:
                    raise FetchError(url, "timeout", late) from None
                left -= loop.time() - began
            if not location:
                raise FetchError(current, "http_status", "a redirect without a Location")
            current = urljoin(current, location.strip())
        raise FetchError(url, "redirects", f"more than {self.limits.max_redirects} redirects")

    async def _checked(self, url: str) -> str:
        """The hop's host, after the scheme and address rules."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise FetchError(url, "bad_url", "not a valid URL") from None
        if parts.scheme.lower() not in SCHEMES:
            raise FetchError(url, "bad_url", f"only http and https are fetched, not {parts.scheme or 'a bare path'}")
        host = (parts.hostname or "").lower()
        if not host:
            raise FetchError(url, "bad_url", "the URL names no host")
        port = port or (443 if parts.scheme.lower() == "https" else 80)
        if not self.allow_private:
            try:
                addresses = await self._resolve(host, port)
            except (OSError, UnicodeError) as error:
                raise FetchError(url, "dns", f"cannot resolve {host} ({error})") from None
            for address in addresses:
                if not self._public(address):
                    raise FetchError(url, "blocked_address", f"{host} is {address}, not a public address")
        return host

    def _check_peer(self, url: str, response: httpx.Response) -> None:
        """The address really connected to (DNS may answer differently the second time)."""
        if self.allow_private:
            return
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if not peer:
            return
        try:
            address = ipaddress.ip_address(str(peer[0]).split("%", 1)[0])
        except ValueError:
            return
        if not self._public(address):
            raise FetchError(url, "blocked_address", f"connected to {address}, not a public address")

    @asynccontextmanager
    async def _slot(self, host: str) -> AsyncIterator[None]:
        semaphore = self._slots.setdefault(host, asyncio.Semaphore(self.limits.per_host))
        async with semaphore:
            yield

    @asynccontextmanager
    async def _stream(self, url: str, headers: dict[str, str]) -> AsyncIterator[httpx.Response]:
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                yield response
        except httpx.TimeoutException:
            raise FetchError(url, "timeout", "the server did not answer in time") from None
        except httpx.ConnectError as error:
            raise FetchError(url, "connect", f"cannot connect ({_reason(error)})") from None
        except httpx.InvalidURL as error:
            raise FetchError(url, "bad_url", str(error)) from None
        except (httpx.TransportError, httpx.DecodingError) as error:
            raise FetchError(url, "connect", f"the connection failed ({_reason(error)})") from None

    async def _answer(self, url: str, response: httpx.Response) -> Fetched:
        etag = response.headers.get("etag")
        last_modified = response.headers.get("last-modified")
        if response.status_code == 304:
            return Fetched(url, 304, "", b"", etag=etag, last_modified=last_modified)
        if response.status_code != 200:
            reason = response.reason_phrase or "error"
            raise FetchError(url, "http_status", f"{response.status_code} {reason}", status=response.status_code)
        content_type, charset = media_type(response.headers.get("content-type"))
        if content_type and not accepted(content_type):
            raise FetchError(url, "content_type", f"{content_type}, not HTML or XML")
        limit = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, "too_large", f"{_mb(int(declared))} announced, limit {_mb(limit)}")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                raise FetchError(url, "too_large", f"over {_mb(limit)}")
        if not content_type and not _sniff(bytes(body)):
            raise FetchError(url, "content_type", "no Content-Type, and the body is not HTML or XML")
        return Fetched(url, 200, content_type, bytes(body), charset, etag, last_modified)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _reason(error: Exception) -> str:
    text = str(error).strip()
    return text[:200] if text else type(error).__name__
