"""The README's first command: a fresh SQLite file, the example articles loaded, and a scripted user talking to the
unchanged bot on a replay clock that starts at the earliest article — offline, in well under two minutes.

The clock runs at two paces. While the scripted user chats it runs at real pace, so the first milestone (the
earliest ceasefire comes into force hours after it was announced) is still ahead when the user subscribes. Then it
runs fast (``speed`` clock seconds per real second) for ``duration`` real seconds: every alert is printed as it
arrives under the bot's clock at that instant, and part-way through the admin reports a violation of a halt in
force at that moment, so the conflict alert is seen arriving too.

Lateness is judged in real seconds (schedules.dispatch), so no alert is marked late at any pace. What a pace does
change is how close two milestones come in real time: the Sender keeps a second between two messages to one chat,
so milestones less than a real second apart each arrive a little after their instant (the heading shows how much).
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

from sqlalchemy import func, select

from app.chat import Conversation, offline_bot
from app.settings import Settings
from articles.extract import extract_file
from articles.model import ArticleError, Moment
from bot.callback_data import decode
from storage.db import create_engine, migrate, session_factory
from storage.loader import load_article
from storage.models import DeliveryRow
from storage.queries import tracked
from tracking.conflicts import kind_label
from tracking.model import Tracked
from tracking.state import instant, known_at, state_at

SCRIPT = ("/start", "/subscribe", "/status")
HALT_KINDS = frozenset({"ceasefire", "strike_halt", "maritime_ceasefire"})
POLL = 0.02  # real seconds between looks at the chat during the replay (the clock still reads each arrival exactly)
# After the replay, how long the chat must stay quiet before the bot stops: longer than the one second the Sender
# keeps between two messages to one chat, so an alert held for that pace still arrives.
LAST_SENDS = 1.2


def as_instant(moment: Moment) -> datetime:
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.combine(moment, datetime.min.time(), tzinfo=UTC)


class DemoClock:
    """A replay clock whose pace can change (schedules.clock.ReplayClock keeps one pace for its whole life).

    Every pace change is kept, so a real instant (``time.monotonic`` seconds, as the local Bot API stamps each
    call) can be read on the clock as it ran then: the heading above an alert is when it arrived, not when the
    terminal got round to printing it.
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
    def speed(self) -> float:
        return self._legs[-1][2]

    def at(self, real: float) -> datetime:
        """The clock's reading at the real instant ``real`` (monotonic seconds)."""
        leg = next((leg for leg in reversed(self._legs) if leg[0] <= real), self._legs[0])
        origin, start, speed = leg
        return start + timedelta(seconds=(real - origin) * speed)

    def now(self) -> datetime:
        return self.at(self._monotonic())

    def real_seconds_until(self, when: datetime) -> float:
        return max(0.0, (when - self.now()).total_seconds() / self.speed)

    def run_at(self, speed: float) -> None:
        """Change pace from now on; the reading carries on from where it is."""
        real = self._monotonic()
        self._legs.append((real, self.at(real), self._checked(speed)))


@dataclass(frozen=True, slots=True)
class PlannedReport:
    """The admin's scripted /report: when on the bot's clock, about which commitment, in which words."""

    at: datetime
    commitment_id: int
    text: str

    @property
    def line(self) -> str:
        return f"/report {self.commitment_id} {self.text}"


def plan_report(items: Sequence[Tracked], start: datetime, end: datetime, tz: ZoneInfo) -> PlannedReport | None:
    """A violation claim a third of the way into the first halt that is in force during the first half of the
    replay (so its conflict alert arrives with time to spare), or None when no halt is."""
    latest = start + (end - start) / 2
    halts = sorted(
        ((instant(item.start, tz), item) for item in items if item.kind in HALT_KINDS and item.start and item.actors),
        key=lambda pair: (pair[0], pair[1].id),
    )
    for starts, item in halts:
        if item.end is not None:
            finish = instant(item.end, tz)
        elif item.duration_days is not None:
            finish = starts + timedelta(days=item.duration_days)
        else:
            finish = latest
        begins, ends = max(start, starts), min(latest, finish)
        if ends <= begins:
            continue
        at = begins + (ends - begins) / 3
        known = known_at(item, at, tz)
        if known is None or state_at(known, at, tz).state != "active":
            continue
        accused, *others = item.actors
        claim = f"{others[0]} accuses" if others else "Monitors accuse"
        return PlannedReport(
            at, item.id, f"{claim} {accused} of a drone strike, in breach of the {kind_label(item.kind)}"
        )
    return None


async def load_examples(settings: Settings, paths: Sequence[Path], out: TextIO) -> tuple[datetime, list[Tracked]]:
    """Load every example (reporting bad ones); returns the earliest publication instant and what is tracked."""
    engine = create_engine(settings.database_url)
    earliest: datetime | None = None
    created = merged = conflicts = 0
    try:
        await migrate(engine)
        sessions = session_factory(engine)
        for path in paths:
            try:
                article = extract_file(str(path))
            except ArticleError as error:
                out.write(f"skipped {error.path}: {error.reason}\n")
                continue
            outcome = await load_article(sessions, article)
            created, merged = created + len(outcome.created), merged + len(outcome.merged)
            conflicts += len(outcome.conflicts)
            published = as_instant(article.published)
            earliest = published if earliest is None else min(earliest, published)
        items = await tracked(sessions)
    finally:
        await engine.dispose()
    out.write(
        f"loaded {len(paths)} articles: {created} commitments, {merged} merges of the same commitment "
        f"from another source, {conflicts} conflicts\n"
    )
    if earliest is None:
        raise SystemExit("no example article could be loaded")
    return earliest, items


async def alerts_sent(settings: Settings) -> int:
    """Alerts the Bot API confirmed, counted in the outbox (a message can carry several due in the same minute)."""
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            query = select(func.count()).select_from(DeliveryRow).where(DeliveryRow.state == "sent")
            return int(await session.scalar(query) or 0)
    finally:
        await engine.dispose()


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
    """Reset the demo database, then load, chat and replay; ``speed`` and ``duration`` are the fast part's pace
    (clock seconds per real second) and length (real seconds). The files are prepared before the loop starts."""
    out = out or sys.stdout  # looked up per call: a default bound at import would miss a swapped stdout
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    paths = sorted(articles.glob("*.txt"))
    settings = settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{database}"})
    log = database.parent / "demo.log"
    with logging_to(log):
        asyncio.run(_demo(settings, paths, database.parent / "demo-files", log, speed, duration, out))
    return 0


async def _demo(
    settings: Settings, paths: Sequence[Path], files: Path, log: Path, speed: float, duration: float, out: TextIO
) -> None:
    earliest, items = await load_examples(settings, paths, out)
    tz = settings.tz
    report = plan_report(items, earliest, earliest + timedelta(seconds=speed * duration), tz)
    clock = DemoClock(earliest)
    out.write(f"the bot logs to {log}\n")
    out.write(f"replay clock starts at {clock_text(earliest, tz)}, at real pace while you chat\n\n")
    async with offline_bot(settings, clock, files, out) as conversation:
        for line in SCRIPT:
            await conversation.say(line)
        opened = [decode(data) for _, data in conversation.buttons]
        first = next((b.arg for b in opened if b is not None and b.action == "open"), None)
        if first is not None:
            await conversation.say(f"/status {first}")
        if duration > 0:
            await replay(conversation, clock, speed, duration, report, tz, out)
        stopped = clock.now()
    count = await alerts_sent(settings)
    out.write(
        f"\n{count} alert{'' if count == 1 else 's'} arrived in {duration:g} s of replay; "
        f"the replay clock stopped at {clock_text(stopped, tz)}\n"
    )


async def replay(
    conversation: Conversation,
    clock: DemoClock,
    speed: float,
    duration: float,
    report: PlannedReport | None,
    tz: ZoneInfo,
    out: TextIO,
) -> None:
    """Run the clock fast for ``duration`` real seconds, printing what arrives; file ``report`` when its time comes.
    At the end the clock drops back to real pace, so nothing new falls due while the last sends finish."""
    conversation.print_new()
    out.write(f"… now the clock runs {pace(speed)} per real second for {duration:g} s; alerts print as they arrive\n\n")
    conversation.stamp = lambda call: clock_line(clock.at(call.at), tz)
    clock.run_at(speed)
    conversation.wake_alerts()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + duration
    while (left := deadline - loop.time()) > 0:
        conversation.print_new()
        if report is not None and clock.now() >= report.at:
            conversation.heading(clock_line(clock.now(), tz))
            await conversation.say(report.line, wait=False)
            report = None
        await asyncio.sleep(min(POLL, left))
    clock.run_at(1.0)
    conversation.wake_alerts()
    quiet_since = loop.time()
    while loop.time() - quiet_since < LAST_SENDS and loop.time() < deadline + 3 * LAST_SENDS:
        if conversation.print_new():
            quiet_since = loop.time()
        await asyncio.sleep(POLL)
