"""The README's first command: the story this bot was made for, replayed offline on the unchanged bot in a minute.

On the evening of 18 March 2025 Putin and Trump spoke: Russia would stop striking Ukraine's energy infrastructure
for 30 days, 175 prisoners would be exchanged on the 19th and 23 wounded handed over. The next days brought 22 of
the 23, claims of strikes during the halt and denials, a second source with other dates; the halt lapsed on 17
April, and an Easter truce came and went after it. :data:`STORY` is the project's own versions of those articles, a
fixed list: ``examples/articles`` holds other stories too and keeps growing, and a new file there must not change
what the demo shows.

Two feeds served on 127.0.0.1 (app.demo_feeds) bring another story in on the same clock, through the bot's own feed
poller: the replay polls them when the clock reaches each of their stories, and prints what each item became.

Each article is loaded when the replay clock reaches its publication, as a feed would bring it, so its conflicts
are news when they are logged and arrive as conflict alerts (conflicts logged before the bot ran would be history,
see schedules.reconcile). The clock starts on the evening before the call: the articles date the halt from 18 March,
a whole day, and a chat is owed the milestones from the moment it subscribed, so the scripted user subscribes first
and is owed the halt's coming into force when the news breaks.

The clock runs at two paces. At real pace while the scripted user types (so the replies come before anything falls
due); fast (``speed`` clock seconds per real second) for ``duration`` real seconds otherwise, every alert printed as
it arrives under the bot's clock at that instant. It holds at real pace while an article loads, once the first
day's news is in while the user looks at /status, and for a second after each alert: the Sender keeps a second
between two messages to one chat (Telegram's limit), and at full pace that second is most of a clock day, so the
next alert would arrive long after its instant. Lateness is judged at the pace the replay ran (DemoClock.speed),
so no alert is marked late for the holds. At the end the user asks for /timeline and /calendar, and the chat saves
the PNG and the .ics and prints their paths.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import demo_feeds
from app.chat import Conversation, offline_bot
from app.demo_review import review_scene
from app.settings import Settings
from articles.extract import extract_file
from articles.model import Article, ArticleError
from bot.commands import FEEDS_KEY
from schedules.feeds import FeedPoller, ItemResult, PollResult
from sources.localfeeds import LocalFeeds
from storage.db import create_engine, migrate, session_factory
from storage.feeds import FeedView
from storage.loader import load_article
from storage.models import AlertRow, DeliveryRow
from storage.queries import tracked
from tracking.state import instant

# The Trump–Putin story, by publication: the call (two sources), the exchange, the strike claims, the Black Sea
# deal (two sources, one with other dates for the halt), the Easter truce (two sources) and its end.
STORY = (
    "en_putin-trump-call_2025-03-18.txt",
    "de_putin-trump-telefonat_2025-03-18.txt",
    "en_prisoner-swap_2025-03-19.txt",
    "de_energie-angriffe_2025-03-20.txt",
    "en_black-sea-deal_2025-03-25.txt",
    "de_schwarzes-meer_2025-03-25.txt",
    "en_easter-truce_2025-04-19.txt",
    "de_osterwaffenruhe_2025-04-19.txt",
    "en_easter-truce-ends_2025-04-21.txt",
)
SCRIPT = ("/start", "/subscribe")  # at real pace, the evening before the call
FILES_SCRIPT = ("/timeline", "/calendar")  # at the end: the files the bot sends, saved by the chat
FEEDS_SCRIPT = ("/feeds",)  # at the end, before the files: the two feeds, their last poll and what they brought
HALT_KINDS = frozenset({"ceasefire", "strike_halt", "maritime_ceasefire"})
LEAD = timedelta(hours=24)  # the clock starts this long before the first article, rounded down to the hour
LOOK_AFTER = timedelta(hours=2)  # after the first day's last article, the user looks at /status
POLL = 0.02  # real seconds between looks at the chat during the replay (the clock still reads each arrival exactly)
HOLD = 1.0  # real seconds the clock holds after an alert: the Sender's pace of one message a second per chat
NEWS_HOLD = 0.4  # real seconds the clock holds after an article loads: the bot reconciles and sends what it owes
# After the replay, how long the chat must stay quiet before the files are asked for: longer than the one second
# the Sender keeps between two messages to one chat, so an alert held for that pace still arrives.
LAST_SENDS = 1.2
DRAIN_LIMIT = 30.0  # real seconds at most to wait for alerts that fell due during the replay but are not out yet


class DemoClock:
    """A replay clock whose pace can change (schedules.clock.ReplayClock keeps one pace for its whole life).

    Every pace change is kept, so a real instant (``time.monotonic`` seconds, as the local Bot API stamps each
    call) can be read on the clock as it ran then: the heading above an alert is when it arrived, not when the
    terminal got round to printing it. ``speed``, which the dispatcher judges lateness by, is the fastest pace so
    far: an alert that fell due during the fast part and goes out just after the clock slowed down is not late.
    """

    def __init__(self, start: datetime, speed: float = 1.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None:
            raise ValueError("the replay start needs a UTC offset")
        self._monotonic = monotonic
        self._legs: list[tuple[float, datetime, float]] = []  # (real origin, clock at origin, pace) per pace
        self._legs.append((monotonic(), start.astimezone(UTC), self._checked(speed)))

    @staticmethod
    def _checked(speed: float) -> float:
        if not speed > 0:
            raise ValueError("the replay speed must be a positive number")
        return speed

    @property
    def pace(self) -> float:
        """Clock seconds per real second now."""
        return self._legs[-1][2]

    @property
    def speed(self) -> float:
        return max(pace for _, _, pace in self._legs)

    def at(self, real: float) -> datetime:
        """The clock's reading at the real instant ``real`` (monotonic seconds)."""
        leg = next((leg for leg in reversed(self._legs) if leg[0] <= real), self._legs[0])
        origin, start, speed = leg
        return start + timedelta(seconds=(real - origin) * speed)

    def now(self) -> datetime:
        return self.at(self._monotonic())

    def real_seconds_until(self, when: datetime) -> float:
        return max(0.0, (when - self.now()).total_seconds() / self.pace)

    def run_at(self, speed: float) -> None:
        """Change pace from now on; the reading carries on from where it is."""
        real = self._monotonic()
        self._legs.append((real, self.at(real), self._checked(speed)))


@dataclass(frozen=True, slots=True)
class News:
    """An article of the story and the instant the bot's rules take it to be published (a day: its midnight)."""

    at: datetime
    article: Article
    name: str


def read_story(folder: Path, tz: ZoneInfo, out: TextIO) -> list[News]:
    """The :data:`STORY` files in ``folder``, extracted, in publication order; a missing or unreadable one is
    reported on one line and left out, so the rest of the story still plays."""
    found: list[News] = []
    for name in STORY:
        try:
            article = extract_file(str(folder / name))
        except ArticleError as error:
            out.write(f"skipped {error.path}: {error.reason}\n")
            continue
        found.append(News(instant(article.published, tz).astimezone(UTC), article, name))
    if not found:
        raise SystemExit(f"none of the story's articles could be read in {folder}")
    return sorted(found, key=lambda news: news.at)


def replay_start(story: Sequence[News]) -> datetime:
    """The evening before the first article: a whole day earlier, on the hour."""
    return (story[0].at - LEAD).replace(minute=0, second=0, microsecond=0)


def look_at(story: Sequence[News]) -> datetime:
    """When the user looks at /status: a little after the first day's last article."""
    first_day = story[0].at.date()
    return max(news.at for news in story if news.at.date() == first_day) + LOOK_AFTER


async def alerts_sent(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Alerts the Bot API confirmed, counted in the outbox (a message can carry several due in the same minute);
    review cards are an admin's work, not alerts."""
    async with sessions() as session:
        query = (
            select(func.count())
            .select_from(DeliveryRow)
            .join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
            .where(DeliveryRow.state == "sent", AlertRow.kind != "review")
        )
        return int(await session.scalar(query) or 0)


async def alerts_owed(sessions: async_sessionmaker[AsyncSession], now: datetime) -> int:
    """Deliveries due by ``now`` that are not out yet (pending, or claimed and being sent)."""
    async with sessions() as session:
        query = (
            select(func.count())
            .select_from(DeliveryRow)
            .where(or_(DeliveryRow.state == "sending", (DeliveryRow.state == "pending") & (DeliveryRow.due_at <= now)))
        )
        return int(await session.scalar(query) or 0)


async def first_halt(sessions: async_sessionmaker[AsyncSession]) -> int | None:
    """The commitment the user opens: the first halt or ceasefire that is not merely proposed."""
    items = await tracked(sessions)
    return next((item.id for item in items if item.kind in HALT_KINDS and item.status != "proposed"), None)


def clock_text(at: datetime, tz: ZoneInfo) -> str:
    local = at.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M} {local.tzname()}"  # "Mon 9 Dec", as the bot writes days


def clock_line(at: datetime, tz: ZoneInfo) -> str:
    return f"── {clock_text(at, tz)} (replay clock) ──"


def pace(speed: float) -> str:
    """Clock time per real second in words, in the largest unit that gives a whole number: 108000 → "30 hours"."""
    units = (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1))
    fitting = [(unit, speed / size) for unit, size in units if speed >= size] or [("second", speed)]
    unit, value = next(((u, v) for u, v in fitting if v == int(v) and v < 1000), fitting[0])
    return f"{value:.3g} {unit}{'' if value == 1 else 's'}"


@contextmanager
def logging_to(path: Path) -> Iterator[None]:
    """The bot's log goes to a file while the demo runs: the terminal shows the chat only, and the log is there
    to read when something looks wrong. The root logger is put back afterwards (tests run the demo in-process)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "apscheduler")}
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in quiet:  # as in app.logs: a line per request or per tick would bury what matters
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        for name, old in quiet.items():
            logging.getLogger(name).setLevel(old)
        handler.close()


def demo(
    settings: Settings,
    articles: Path,
    database: Path,
    *,
    speed: float,
    duration: float,
    out: TextIO | None = None,
) -> int:
    """Reset the demo database, then chat and replay the story from ``articles`` (the folder holding
    :data:`STORY`); ``speed`` and ``duration`` are the fast part's pace (clock seconds per real second) and length
    (real seconds). The articles are read before the loop starts."""
    out = out or sys.stdout  # looked up per call: a default bound at import would miss a swapped stdout
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    story = read_story(articles, settings.tz, out)
    # The demo's feeds are served on 127.0.0.1, which the fetcher refuses unless told otherwise.
    settings = settings.model_copy(
        update={"database_url": f"sqlite+aiosqlite:///{database}", "feeds_allow_private": True}
    )
    log = database.parent / "demo.log"
    feeds = articles.parent / "feeds"  # examples/feeds beside examples/articles
    with logging_to(log):
        asyncio.run(_demo(settings, story, database.parent / "demo-files", log, speed, duration, out, feeds))
    return 0


async def _demo(
    settings: Settings,
    story: Sequence[News],
    files: Path,
    log: Path,
    speed: float,
    duration: float,
    out: TextIO,
    feeds: Path | None = None,
) -> None:
    tz = settings.tz
    start = replay_start(story)
    clock = DemoClock(start)
    engine = create_engine(settings.database_url)
    site: LocalFeeds | None = None
    try:
        await migrate(engine)
        sessions = session_factory(engine)
        release = demo_feeds.Release(start)
        site = demo_feeds.site_for(feeds, release) if feeds is not None else None
        feed_times: list[tuple[datetime, int]] = []
        if site is not None:
            await site.start()
            feed_times = await demo_feeds.add_feeds(sessions, site, clock.now())
        out.write(f"the bot logs to {log}\n")
        out.write(
            f"{len(story)} articles of the Trump–Putin story load as the replay clock reaches their publication; "
            f"it starts at {clock_text(start, tz)}, the evening before the call, at real pace while you chat\n"
        )
        if site is not None:
            out.write(
                f"two feeds on {site.url('/')} (Mekong Wire, RSS in English; Südostasien-Dienst, Atom in German) "
                "list their stories as the clock reaches them, and the bot polls them\n"
            )
        out.write("\n")
        async with offline_bot(settings, clock, files, out) as conversation:
            for line in SCRIPT:
                await conversation.say(line)
            if duration > 0:
                replay = Replay(conversation, clock, sessions, tz, out, feed_times, release)
                await replay.run(story, speed, duration)
            conversation.heading(clock_line(clock.now(), tz))
            for line in (*(FEEDS_SCRIPT if site is not None else ()), *FILES_SCRIPT):
                await conversation.say(line)
            if duration > 0:  # REVIEW_MODE=review, after the story: during it, every alert would wait for an admin
                folder = Path(story[0].article.path).parent
                await review_scene(conversation, clock, sessions, tz, out, folder, lambda at: clock_line(at, tz))
            stopped = clock.now()
        count = await alerts_sent(sessions)
    finally:
        if site is not None:
            await site.stop()
        await engine.dispose()
    out.write(
        f"\n{count} alert{'' if count == 1 else 's'} arrived in {duration:g} s of replay; "
        f"the replay clock stopped at {clock_text(stopped, tz)}\n"
    )


@dataclass
class Replay:
    """The fast part: news loading at its publication, the look at /status, every alert printed as it arrives.

    The clock holds at real pace while an article loads, while the user looks at /status, and for a second after
    each alert arrives: the Sender keeps that second between two messages to one chat, and a clock running on
    meanwhile would make the next alert, due a few clock hours later, arrive most of a clock day late.
    """

    conversation: Conversation
    clock: DemoClock
    sessions: async_sessionmaker[AsyncSession]
    tz: ZoneInfo
    out: TextIO
    feed_times: Sequence[tuple[datetime, int]] = ()  # when each feed's stories come out: that feed is polled then
    release: demo_feeds.Release | None = None  # how far the demo's site has published
    _fed: bool = False  # a poll brought something in: hold the clock, as for news

    async def run(self, story: Sequence[News], speed: float, duration: float) -> None:
        """Run the clock fast for ``duration`` real seconds (the holds not counted), then at real pace until what
        fell due is out."""
        conversation, clock = self.conversation, self.clock
        conversation.print_new()
        self.out.write(
            f"… now the clock runs {pace(speed)} per real second for {duration:g} s, holding while news loads and "
            "for a second after each alert (the bot sends one message a second per chat); alerts print as they "
            "arrive\n\n"
        )
        conversation.stamp = lambda call: clock_line(clock.at(call.at), self.tz)
        waiting = list(story)
        feeds = sorted(self.feed_times)
        poller = self._poller()
        if poller is not None:  # whoever polls (the demo at a publication, or the job): what came in is printed
            poller.item_listeners.append(self._feed_item)
            poller.listeners.append(self._feed_failed)
        look: datetime | None = look_at(story)
        loop = asyncio.get_running_loop()
        held_until = loop.time()  # the clock stays at real pace until then (real seconds)
        fast = 0.0  # real seconds the clock has run fast
        while fast < duration:
            if conversation.print_new():
                held_until = max(held_until, loop.time() + HOLD)
            if self._fed:
                self._fed = False
                self._run_fast(False, speed)
                held_until = max(held_until, loop.time() + NEWS_HOLD)
            now = clock.now()
            if waiting and now >= waiting[0].at:
                self._run_fast(False, speed)
                await self._publish(waiting.pop(0))
                held_until = max(held_until, loop.time() + NEWS_HOLD)
            elif feeds and now >= feeds[0][0] and poller is not None and self.release is not None:
                self.release.until, feed_id = feeds.pop(0)
                self._run_fast(False, speed)
                await poller.poll(feed_id)
                self.conversation.wake_alerts()
            elif look is not None and now >= look and not (waiting and waiting[0].at <= look):
                look = None
                self._run_fast(False, speed)
                await self._look()
                held_until = max(held_until, loop.time() + HOLD)
            else:
                self._run_fast(loop.time() >= held_until, speed)
            running = clock.pace == speed
            began = loop.time()
            await asyncio.sleep(min(POLL, duration - fast) if running else POLL)
            fast += loop.time() - began if running else 0.0
        self._run_fast(False, speed)
        await self._drain()

    def _run_fast(self, fast: bool, speed: float) -> None:
        """Run the clock at ``speed`` or at real pace; the alert wake-up is re-planned when the pace changes."""
        wanted = speed if fast else 1.0
        if self.clock.pace != wanted:
            self.clock.run_at(wanted)
            self.conversation.wake_alerts()

    async def _publish(self, news: News) -> None:
        """Load one article (as `ceasefire-watch load` would) and let the bot reconcile at once."""
        self.conversation.print_new()
        outcome = await load_article(self.sessions, news.article)
        self.conversation.heading(clock_line(self.clock.now(), self.tz))
        self.out.write(f"📰 news: “{news.article.title}” — {demo_feeds.said(outcome)} [{news.name}]\n")
        self.conversation.wake_alerts()

    def _poller(self) -> FeedPoller | None:
        application = self.conversation.application
        poller = application.bot_data.get(FEEDS_KEY) if application is not None else None
        return poller if isinstance(poller, FeedPoller) else None

    def _feed_item(self, feed: FeedView, item: ItemResult) -> None:
        """A new item of a feed, under the clock at that instant, before the alerts it brings (the clock holds
        for them when it brought something new to alert about)."""
        self._feed_line(demo_feeds.news_line(feed, item))
        outcome = item.outcome
        self._fed |= outcome is not None and bool(outcome.created or outcome.linked or outcome.conflicts)

    def _feed_failed(self, result: PollResult) -> None:
        line = demo_feeds.failure_line(result)
        if line is not None:
            self._feed_line(line)

    def _feed_line(self, line: str) -> None:
        self.conversation.print_new()
        self.conversation.heading(clock_line(self.clock.now(), self.tz))
        self.out.write(line + "\n")

    async def _look(self) -> None:
        """The user looks at what is tracked, then at the halt itself."""
        await self.conversation.settle(limit=HOLD)
        self.conversation.heading(clock_line(self.clock.now(), self.tz))
        await self.conversation.say("/status")
        halt = await first_halt(self.sessions)
        if halt is not None:
            await self.conversation.say(f"/status {halt}")

    async def _drain(self) -> None:
        """At real pace, until nothing that fell due is still owed and the chat has been quiet for a moment (at
        most :data:`DRAIN_LIMIT` seconds): the last alerts of the replay arrive before the files are asked for."""
        loop = asyncio.get_running_loop()
        began = quiet_since = loop.time()
        while loop.time() - began < DRAIN_LIMIT:
            if self.conversation.print_new():
                quiet_since = loop.time()
            elif loop.time() - quiet_since >= LAST_SENDS and not await alerts_owed(self.sessions, self.clock.now()):
                return
            await asyncio.sleep(POLL)
