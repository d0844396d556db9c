"""The README's first command: a fresh SQLite file, the example articles loaded, and a scripted user talking to the
unchanged bot on a replay clock that starts at the earliest article — offline, in well under two minutes."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TextIO

from app.chat import offline_bot
from app.settings import Settings
from articles.extract import extract_file
from articles.model import ArticleError, Moment
from bot.callback_data import decode
from schedules.clock import ReplayClock
from storage.db import create_engine, migrate, session_factory
from storage.loader import load_article

SCRIPT = ("/start", "/subscribe", "/status")


def as_instant(moment: Moment) -> datetime:
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.combine(moment, time(), tzinfo=UTC)


async def load_examples(settings: Settings, paths: Sequence[Path], out: TextIO) -> datetime:
    """Load every example (reporting bad ones) and return the earliest publication instant."""
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
    finally:
        await engine.dispose()
    out.write(
        f"loaded {len(paths)} articles: {created} commitments, {merged} merges of the same commitment "
        f"from another source, {conflicts} conflicts\n"
    )
    if earliest is None:
        raise SystemExit("no example article could be loaded")
    return earliest


def demo(settings: Settings, articles: Path, database: Path, *, speed: float, out: TextIO = sys.stdout) -> int:
    """Reset the demo database, then load and chat; the files are prepared before the event loop starts."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    paths = sorted(articles.glob("*.txt"))
    settings = settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{database}"})
    asyncio.run(_demo(settings, paths, database.parent / "demo-files", speed, out))
    return 0


async def _demo(settings: Settings, paths: Sequence[Path], files: Path, speed: float, out: TextIO) -> None:
    earliest = await load_examples(settings, paths, out)
    clock = ReplayClock(earliest, speed)
    out.write(f"replay clock starts at {earliest.isoformat()} and runs {speed:g}× real time\n\n")
    async with offline_bot(settings, clock, files, out) as conversation:
        for line in SCRIPT:
            await conversation.say(line)
        opened = [decode(data) for _, data in conversation.buttons]
        first = next((b.arg for b in opened if b is not None and b.action == "open"), None)
        if first is not None:
            await conversation.say(f"/status {first}")
