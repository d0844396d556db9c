"""`ceasefire-watch feeds add|list|remove|poll --once` against a loopback site served from a thread of its own
(the command line runs its own event loop)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from sources.localfeeds import Channel, LocalFeeds
from tests.cli.helpers import run
from tests.sources.conftest import ALLIANCE, JUNTA_EN, PUBLISHED, page, story


@pytest.fixture
def site() -> Iterator[LocalFeeds]:
    """The site in a background thread with its own loop, stopped (bounded) at the end."""
    served = LocalFeeds()
    served.pages.update({path: page(path) for path in PUBLISHED})
    served.add(Channel("/en/feed.xml", "Mekong Wire", stories=[story(ALLIANCE), story(JUNTA_EN)]))
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(served.start(), loop).result(timeout=10)
    try:
        yield served
    finally:
        asyncio.run_coroutine_threadsafe(served.stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


@pytest.fixture
def db(db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI's database, with feeds on the loopback site allowed."""
    monkeypatch.setenv("FEEDS_ALLOW_PRIVATE", "1")
    return db


def _articles(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def test_add_list_poll_and_remove(capsys: pytest.CaptureFixture[str], db: Path, site: LocalFeeds) -> None:
    url = site.url("/en/feed.xml")
    code, out, err = run(capsys, "feeds", "add", url, "--every", "30m")
    assert (code, err) == (0, "")
    assert out.startswith("added feed #1 “Mekong Wire” (2 items in it now), polled every 30 min")
    code, out, _ = run(capsys, "feeds", "add", url)
    assert (code, out.strip()) == (0, "already tracked as feed #1 “Mekong Wire”; nothing changed")

    code, out, err = run(capsys, "feeds", "poll", "--once")
    assert (code, err, out.strip()) == (0, "", "#1 Mekong Wire: 2 loaded")
    assert _articles(db) == 2
    code, out, _ = run(capsys, "feeds", "poll", "--once")
    assert (code, out.strip()) == (0, "#1 Mekong Wire: not modified")

    code, out, _ = run(capsys, "feeds", "list")
    assert "#1 Mekong Wire — every 30 min" in out
    assert "2 articles" in out
    code, out, _ = run(capsys, "feeds", "list", "--json")
    [listed] = json.loads(out)["feeds"]
    assert (listed["id"], listed["url"], listed["interval_minutes"], listed["articles"]) == (1, url, 30, 2)
    assert listed["last_error"] is None

    code, out, _ = run(capsys, "feeds", "remove", "1")
    assert (code, out.strip()) == (0, "removed feed #1 “Mekong Wire”; the articles it loaded stay")
    assert _articles(db) == 2
    code, out, err = run(capsys, "feeds", "remove", "1")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert "no feed '1'" in err


def test_what_cannot_be_added_is_named_on_one_line(
    capsys: pytest.CaptureFixture[str], db: Path, site: LocalFeeds, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "feeds", "add", site.url(ALLIANCE))
    assert (code, out) == (2, "")
    assert f"is a web page, not a feed; it links: {site.url('/en/feed.xml')} (Mekong Wire)" in err
    code, _, err = run(capsys, "feeds", "add", site.url("/en/feed.xml"), "--every", "5s")
    assert (code, "bad --every '5s'" in err) == (2, True)
    monkeypatch.setenv("FEEDS_ALLOW_PRIVATE", "0")
    code, _, err = run(capsys, "feeds", "add", site.url("/en/feed.xml"))
    assert code == 2
    assert "blocked address" in err
    assert "nothing stored" in err
    code, out, _ = run(capsys, "feeds", "list")
    assert out.startswith("no feeds yet")


def test_poll_once_names_a_failing_feed_and_polls_the_others(
    capsys: pytest.CaptureFixture[str], db: Path, site: LocalFeeds
) -> None:
    site.add(Channel("/broken.xml", "Broken", stories=[story(ALLIANCE)]))
    assert run(capsys, "feeds", "add", site.url("/broken.xml"))[0] == 0
    assert run(capsys, "feeds", "add", site.url("/en/feed.xml"))[0] == 0
    site.channels["/broken.xml"].fault = "status_500"
    code, out, err = run(capsys, "feeds", "poll", "--once")
    assert code == 2
    assert err.strip() == (
        f"ceasefire-watch: error: feed #1 {site.url('/broken.xml')}: http_status: 500 Internal Server Error"
    )
    assert out.strip() == "#2 Mekong Wire: 2 loaded"


def test_poll_keeps_polling_until_sigterm(tmp_path: Path, site: LocalFeeds) -> None:
    """Without --once: each feed at its interval, one line per poll, a clean exit on SIGTERM (a bounded wait)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'poll.sqlite3'}",
        "FEEDS_ALLOW_PRIVATE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "app.cli", "feeds"]
    added = subprocess.run([*command, "add", site.url("/en/feed.xml")], env=env, capture_output=True, timeout=60)
    assert added.returncode == 0, added.stderr
    with subprocess.Popen(
        [*command, "poll"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as poll:
        try:
            assert poll.stdout is not None
            line = _read_line(poll.stdout, within=30.0)
            assert line.strip() == "#1 Mekong Wire: 2 loaded"
        finally:
            poll.send_signal(signal.SIGTERM)
            code = poll.wait(timeout=30)
    assert code == 0


def _read_line(stream: IO[str], within: float) -> str:
    """One line from a child's output, or a failure after ``within`` seconds (never a hang)."""
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(within)
    assert found, f"no line within {within} s"
    return found[0]
