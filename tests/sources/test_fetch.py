"""The one HTTP client: schemes, addresses (also after a redirect, also when DNS answers differently), redirect and
size limits, content types, timeouts, conditional GETs, a User-Agent, and two requests per host at most."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import AsyncIterator
from typing import Any

import pytest

from sources.fetch import Fetcher, FetchError, FetchLimits, IPAddress, is_public, media_type
from sources.localfeeds import Channel, LocalFeeds
from tests.sources.conftest import ALLIANCE, story

# 127.0.0.2 stands for a public host in the tests that need one: everything on this machine is loopback.
STAND_IN = ipaddress.ip_address("127.0.0.2")


def public_or_stand_in(address: IPAddress) -> bool:
    return is_public(address) or address == STAND_IN


@pytest.fixture
async def stand_in() -> AsyncIterator[LocalFeeds]:
    """A site on 127.0.0.2, the stand-in public host."""
    async with LocalFeeds(host="127.0.0.2") as served:
        yield served


async def _failure(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.get(url)
    return caught.value


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # a cloud's metadata service
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),  # reserved
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),  # loopback written as IPv6
        ("::ffff:93.184.216.34", True),
    ],
)
def test_only_global_addresses_count_as_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        ({"total_timeout": 0.0}, "must be positive"),
        ({"connect_timeout": -1.0}, "must be positive"),
        ({"max_bytes": -1}, "cannot be negative"),
        ({"max_redirects": -1}, "cannot be negative"),
        ({"per_host": 0}, "per_host must be at least 1"),
    ],
)
def test_limits_a_fetcher_cannot_work_with_are_refused_when_made(wrong: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FetchLimits(**wrong)


def test_media_type_and_charset() -> None:
    assert media_type('text/html; charset="UTF-8"') == ("text/html", "UTF-8")
    assert media_type("Application/RSS+XML") == ("application/rss+xml", None)
    assert media_type(None) == ("", None)


async def test_a_page_is_fetched_with_a_user_agent_naming_the_bot(site: LocalFeeds, fetcher: Fetcher) -> None:
    fetched = await fetcher.get(site.url(ALLIANCE))
    assert (fetched.status, fetched.content_type, fetched.is_html) == (200, "text/html", True)
    assert b"Three Brotherhood Alliance" in fetched.body
    [hit] = site.requests_to(ALLIANCE)
    assert hit.user_agent is not None
    assert hit.user_agent.startswith("ceasefire-watch/")


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/feed.xml", "file:///etc/passwd", "javascript:alert(1)", "feed.xml"])
async def test_only_http_and_https_are_fetched(fetcher: Fetcher, url: str) -> None:
    assert (await _failure(fetcher, url)).kind == "bad_url"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "127.1"])
async def test_loopback_is_refused_with_the_switch_off_before_any_request(site: LocalFeeds, host: str) -> None:
    async with Fetcher() as strict:
        error = await _failure(strict, f"http://{host}:{site.port}{ALLIANCE}")
    assert error.kind == "blocked_address", error
    assert site.hits == []


async def test_a_redirect_to_loopback_is_refused_with_the_switch_off(site: LocalFeeds, stand_in: LocalFeeds) -> None:
    """The first hop is to a (stand-in) public host; it redirects to 127.0.0.1, which is checked and refused."""
    stand_in.add(Channel("/feed", "Moved", fault="redirect", redirect_to=site.url(ALLIANCE)))
    async with Fetcher(public=public_or_stand_in) as strict:
        error = await _failure(strict, stand_in.url("/feed"))
    assert error.kind == "blocked_address"
    assert "127.0.0.1" in error.detail
    assert [hit.status for hit in stand_in.hits] == [302]
    assert site.hits == [], "the loopback address was never asked"


async def test_the_address_connected_to_is_checked_again(site: LocalFeeds) -> None:
    """DNS rebinding: the name resolves to a public address when checked, then connects to loopback. The second
    look (at the connection itself) refuses before the body is read."""

    async def first_answer(host: str, port: int) -> list[IPAddress]:
        return [STAND_IN]

    async with Fetcher(public=public_or_stand_in, resolver=first_answer) as strict:
        error = await _failure(strict, f"http://localhost:{site.port}{ALLIANCE}")
    assert error.kind == "blocked_address"
    assert "connected to" in error.detail


async def test_redirects_are_followed_by_hand_at_most_five(site: LocalFeeds, fetcher: Fetcher) -> None:
    for hop in range(1, 7):  # /r1 → /r2 → … → /r6 → the page
        target = site.url(f"/r{hop + 1}") if hop < 6 else site.url(ALLIANCE)
        site.add(Channel(f"/r{hop}", "hop", fault="redirect", redirect_to=target))
    fetched = await fetcher.get(site.url("/r2"))  # five redirects
    assert fetched.url == site.url(ALLIANCE)
    assert fetched.is_html
    error = await _failure(fetcher, site.url("/r1"))  # six
    assert error.kind == "redirects"


async def test_a_body_over_5_mb_is_cut_off(site: LocalFeeds, fetcher: Fetcher) -> None:
    site.add(Channel("/huge", "Huge", fault="huge"))  # 50 MB, chunked: no length announced
    error = await _failure(fetcher, site.url("/huge"))
    assert error.kind == "too_large"
    site.pages["/announced"] = b"<html>" + b"x" * FetchLimits().max_bytes + b"</html>"  # Content-Length over the limit
    error = await _failure(fetcher, site.url("/announced"))
    assert (error.kind, "announced" in error.detail) == ("too_large", True)


@pytest.mark.parametrize(("fault", "kind"), [("json", "content_type"), ("status_500", "http_status")])
async def test_only_html_and_xml_with_200_are_taken(site: LocalFeeds, fetcher: Fetcher, fault: str, kind: str) -> None:
    site.add(Channel("/feed", "Feed", fault=fault))  # type: ignore[arg-type]
    error = await _failure(fetcher, site.url("/feed"))
    assert error.kind == kind
    assert error.status == (500 if fault == "status_500" else None)


async def test_a_stalled_server_times_out(site: LocalFeeds) -> None:
    site.add(Channel("/feed", "Slow", fault="slow", delay=3.0))
    loop = asyncio.get_running_loop()
    began = loop.time()
    async with Fetcher(allow_private=True, limits=FetchLimits(total_timeout=0.5)) as impatient:
        error = await _failure(impatient, site.url("/feed"))
    assert error.kind == "timeout"
    assert loop.time() - began < 5.0


async def test_a_conditional_get_gets_304(site: LocalFeeds, fetcher: Fetcher) -> None:
    site.add(Channel("/feed", "Feed", stories=[story(ALLIANCE)]))
    first = await fetcher.get(site.url("/feed"))
    assert first.status == 200
    assert first.etag
    assert first.last_modified
    again = await fetcher.get(site.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert (again.not_modified, again.body) == (True, b"")
    by_date = await fetcher.get(site.url("/feed"), last_modified=first.last_modified)
    assert by_date.not_modified
    assert [hit.status for hit in site.requests_to("/feed")] == [200, 304, 304]


async def test_at_most_two_requests_to_one_host_at_once(site: LocalFeeds) -> None:
    for n in range(6):
        site.pages[f"/slow{n}"] = b"<html><body>slow</body></html>"
        site.delays[f"/slow{n}"] = 0.2
    async with Fetcher(allow_private=True) as client:
        await asyncio.gather(*(client.get(site.url(f"/slow{n}")) for n in range(6)))
    assert site.peak == 2
