"""Feed polling at scale: 50 feeds × 20 items, 1,000 pages of our own, English and German, from a loopback site.

Run: ``.venv/bin/python -m bench.feeds`` (``--help`` for sizes). The pages are made from templates (a ceasefire
announced, a prisoner exchange, a truce violated, talks set, and one in five off-topic), each with its own
parties, dates and numbers, wrapped in a news site's navigation, boxes and footer; half the feeds are RSS 2.0 in
English, half Atom in German. A second process serves them (:mod:`sources.localfeeds`) so the figures are the
poller's alone. The poller runs as the bot runs it — the safe fetcher, two requests per host, four feeds at once,
pages read by trafilatura in a worker thread, each item loaded in its own transaction into a fresh SQLite file —
and is timed twice: the first poll of every feed (every page fetched, read, extracted and loaded or set aside as
off-topic), then a second one in which every feed answers 304. Wall time and this process's CPU time (all its
threads) for each; targets: the full poll ≤ 60 s on 2 cores, the 304 poll ≤ 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from schedules.feeds import FeedPoller, PollResult
from sources.fetch import Fetcher
from sources.localfeeds import Channel, LocalFeeds, Story
from storage import feeds as stored
from storage.db import create_engine, migrate, session_factory
from storage.models import ArticleRow, CommitmentRow

FULL_TARGET = 60.0
NOT_MODIFIED_TARGET = 2.0
SEED = 20250318
START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)

PAIRS = (
    ("Russia", "Ukraine", "Russland", "die Ukraine"),
    ("Israel", "Hamas", "Israel", "die Hamas"),
    ("Thailand", "Cambodia", "Thailand", "Kambodscha"),
    ("India", "Pakistan", "Indien", "Pakistan"),
    ("Armenia", "Azerbaijan", "Armenien", "Aserbaidschan"),
    ("the Sudanese army", "the Rapid Support Forces", "die sudanesische Armee", "die RSF-Miliz"),
)
CITIES = ("Geneva", "Doha", "Istanbul", "Riyadh", "Cairo", "Vienna")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October")
MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober")

EN = (
    "{a} and {b} agree {n}-day ceasefire",
    "{a} and {b} agreed on {weekday} to a ceasefire of {n} days, starting on {day} {month}, negotiators in {city} "
    "said after talks that lasted into the night. The truce is to cover the whole front line.\n"
    "Both sides said they would observe the ceasefire as long as the other side did. Observers from {city} will "
    "report on violations.\n"
    "Report number {i}: officials said further talks on a lasting settlement would begin within two weeks.",
)
EN_SWAP = (
    "{a} and {b} to exchange {count} prisoners",
    "{a} and {b} will exchange {count} prisoners of war each on {day} {month}, mediators in {city} said on "
    "{weekday}. It would be the largest exchange this year.\n"
    "The swap was agreed after weeks of talks. Relatives of the captives gathered outside the ministry.\n"
    "Report number {i}: the mediators said the lists of names had been exchanged.",
)
EN_TALKS = (
    "{a} and {b} to hold talks in {city}",
    "Delegations of {a} and {b} will meet in {city} on {day} {month} for talks on a ceasefire, the host "
    "government said on {weekday}.\n"
    "Diplomats cautioned that a deal was not expected at the first meeting.\n"
    "Report number {i}: the talks are to be held behind closed doors.",
)
EN_OFF = (
    "Markets close higher as tech shares rally",
    "Stock markets in Europe and Asia closed higher on {weekday}, led by technology shares, as investors looked "
    "ahead to central bank decisions next week.\n"
    "The euro was little changed against the dollar. Oil prices slipped slightly.\n"
    "Report number {i}: analysts expect the rally to continue into the {month} reporting season.",
)
DE = (
    "{A} und {B} vereinbaren Waffenruhe für {n} Tage",
    "{A} und {B} haben sich am {weekday_de} auf eine Waffenruhe von {n} Tagen geeinigt. Sie soll am {day}. "
    "{month_de} beginnen, teilten die Vermittler in {city} mit.\n"
    "Beide Seiten erklärten, sie würden die Feuerpause einhalten, solange sich auch die andere Seite daran halte.\n"
    "Meldung Nummer {i}: Gespräche über eine dauerhafte Lösung sollen in zwei Wochen beginnen.",
)
DE_SWAP = (
    "{A} und {B} wollen {count} Gefangene austauschen",
    "{A} und {B} wollen am {day}. {month_de} jeweils {count} Kriegsgefangene austauschen, teilten die "
    "Vermittler in {city} am {weekday_de} mit.\n"
    "Der Austausch wurde nach wochenlangen Verhandlungen vereinbart.\n"
    "Meldung Nummer {i}: Die Namenslisten seien bereits ausgetauscht worden.",
)
DE_OFF = (
    "Unwetterwarnung für die Küste",
    "Der Deutsche Wetterdienst hat für {weekday_de} vor Sturmböen an der Nordseeküste gewarnt. In höheren "
    "Lagen kann es schneien.\n"
    "Die Bahn rechnet mit Verspätungen im Fernverkehr.\n"
    "Meldung Nummer {i}: Zum Wochenende soll es wieder milder werden.",
)
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
</head><body>
<header><a href="/">{site}</a><nav><a href="/world">World</a> · <a href="/politics">Politics</a> ·
<a href="/business">Business</a> · <a href="/sport">Sport</a> · <a href="/newsletters">Newsletters</a></nav></header>
<main><article><h1>{title}</h1>
<p class="byline">{site} · <time datetime="{published}">{stamp}</time></p>
{paragraphs}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Heatwave grips the south</a></li>
<li><a href="/b">Cup final goes to penalties</a></li><li><a href="/c">New rail timetable announced</a></li></ul></aside>
</main><footer><p>© 2025 {site}. We use cookies. <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></p>
</footer></body></html>
"""


def make_page(i: int, lang: str, rng: random.Random) -> tuple[str, datetime, bytes]:
    """Page ``i``: its title, publication instant and HTML, from a template chosen by ``rng``."""
    published = START + timedelta(hours=6 * i + rng.randrange(0, 300) / 60)
    starts = published + timedelta(days=rng.randrange(1, 10))
    a, b, a_de, b_de = rng.choice(PAIRS)
    if lang == "en":
        template = rng.choices((EN, EN_SWAP, EN_TALKS, EN_OFF), weights=(4, 3, 2, 2))[0]
    else:
        template = rng.choices((DE, DE_SWAP, DE_OFF), weights=(4, 3, 2))[0]
    values = {
        "a": a,
        "b": b,
        "A": a_de[0].upper() + a_de[1:],
        "B": b_de,
        "n": rng.choice((3, 7, 14, 30, 60)),
        "count": rng.choice((90, 150, 175, 246, 390)),
        "city": rng.choice(CITIES),
        "day": starts.day,
        "month": MONTHS_EN[starts.month - 1],
        "month_de": MONTHS_DE[starts.month - 1],
        "weekday": WEEKDAYS_EN[published.weekday()],
        "weekday_de": WEEKDAYS_DE[published.weekday()],
        "i": i,
    }
    title = template[0].format(**values)
    title = title[0].upper() + title[1:]
    body = template[1].format(**values)
    paragraphs = "\n".join(f"<p>{paragraph[0].upper() + paragraph[1:]}</p>" for paragraph in body.split("\n"))
    html = PAGE.format(
        lang=lang,
        title=title,
        site="Frontline Wire" if lang == "en" else "Lagebericht",
        published=published.isoformat(),
        stamp=f"{published:%d.%m.%Y %H:%M}",
        paragraphs=paragraphs,
    )
    return title, published, html.encode()


def build_site(site: LocalFeeds, feeds: int, items: int) -> None:
    """``feeds`` channels of ``items`` pages each: even ones RSS 2.0 in English, odd ones Atom in German."""
    rng = random.Random(SEED)
    for f in range(feeds):
        lang = "en" if f % 2 == 0 else "de"
        channel = site.add(Channel(f"/feeds/{f}.xml", f"Feed {f}", "rss20" if lang == "en" else "atom", lang))
        for n in range(items):
            i = f * items + n
            title, published, html = make_page(i, lang, rng)
            path = f"/{lang}/story-{i}"
            site.pages[path] = html
            channel.stories.append(Story(path, title, published, summary=title))


async def serve(feeds: int, items: int) -> None:
    """The site, in its own process: prints its port, serves until its standard input closes."""
    async with LocalFeeds() as site:
        build_site(site, feeds, items)
        print(site.port, flush=True)
        await asyncio.to_thread(sys.stdin.read)


async def poll_twice(port: int, database: Path, feeds: int) -> tuple[list[tuple[float, float]], list[str]]:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        await migrate(engine)
        sessions = session_factory(engine)
        now = datetime(2025, 6, 1, tzinfo=UTC)
        for f in range(feeds):
            url = f"http://127.0.0.1:{port}/feeds/{f}.xml"
            await stored.add_feed(sessions, url, title=None, interval=timedelta(minutes=15), now=now)

        class Clock:
            speed = 1.0

            def now(self) -> datetime:
                return now

            def real_seconds_until(self, when: datetime) -> float:
                return 0.0

        figures: list[tuple[float, float]] = []
        runs: list[list[PollResult]] = []
        async with Fetcher(allow_private=True) as fetcher:
            poller = FeedPoller(sessions, Clock(), fetcher)
            for _ in range(2):
                wall, cpu = time.perf_counter(), time.process_time()
                runs.append(await poller.poll_all(force=True))
                figures.append((time.perf_counter() - wall, time.process_time() - cpu))
        async with sessions() as session:
            articles = int(await session.scalar(select(func.count()).select_from(ArticleRow)) or 0)
            commitments = int(await session.scalar(select(func.count()).select_from(CommitmentRow)) or 0)
    finally:
        await engine.dispose()
    first, second = runs
    states: dict[str, int] = {}
    for result in first:
        for item in result.items:
            states[item.state] = states.get(item.state, 0) + 1
    notes = [
        "first poll: "
        + ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
        + f"; {articles} articles, {commitments} commitments stored; "
        + f"{sum(r.status == 'failed' for r in first)} feeds failed",
        "second poll: " + ", ".join(f"{n} {s}" for s, n in _statuses(second).items()),
    ]
    return figures, notes


def _statuses(results: Sequence[PollResult]) -> dict[str, int]:
    found: dict[str, int] = {}
    for result in results:
        found[result.status] = found.get(result.status, 0) + 1
    return dict(sorted(found.items()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.feeds", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=20, help="items (pages) per feed")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the site's own process
    args = parser.parse_args(argv)
    if args.serve:
        asyncio.run(serve(args.feeds, args.items))
        return 0
    command = [sys.executable, "-m", "bench.feeds", "--serve", "--feeds", str(args.feeds), "--items", str(args.items)]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            port = int(server.stdout.readline())
            with tempfile.TemporaryDirectory() as tmp:
                figures, notes = asyncio.run(poll_twice(port, Path(tmp) / "feeds.sqlite3", args.feeds))
        finally:
            if server.stdin is not None:
                server.stdin.close()
            server.wait(timeout=30)
    (full_wall, full_cpu), (quiet_wall, quiet_cpu) = figures
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    pages = args.feeds * args.items
    print(f"{args.feeds} feeds × {args.items} items ({pages} pages, en and de) from 127.0.0.1; "
          f"{os.cpu_count()} CPUs, load average {load}")  # fmt: skip
    for note in notes:
        print(f"  {note}")
    full_ok = full_wall <= FULL_TARGET
    quiet_ok = quiet_wall <= NOT_MODIFIED_TARGET
    full = f"target ≤ {FULL_TARGET:.0f} s: {'meets' if full_ok else 'MISSES'}"
    quiet = f"target ≤ {NOT_MODIFIED_TARGET:.0f} s: {'meets' if quiet_ok else 'MISSES'}"
    print(f"full poll: {full_wall:7.2f} s wall, {full_cpu:7.2f} s CPU ({pages / full_wall:.0f} pages/s)  {full}")
    print(f"304 poll:  {quiet_wall:7.2f} s wall, {quiet_cpu:7.2f} s CPU  {quiet}")
    return 0 if full_ok and quiet_ok else 1


if __name__ == "__main__":
    sys.exit(main())
