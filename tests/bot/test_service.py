"""The /status list path (prepared timelines, details for the page only) against the full status document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.settings import Settings
from bench.status import NOW, generate
from bot import service
from bot.context import Deps
from bot.display import ordered
from bot.i18n import Ctx
from storage.db import create_engine, migrate, session_factory
from storage.loader import load_article
from storage.queries import tracked
from tests.bot.harness import FixedClock
from tests.storage.helpers import insert_generated
from tests.tracking.factories import article, commitment
from tracking.status import status_values

EN = Ctx(language="en", tz=Settings(_env_file=None).tz)  # type: ignore[call-arg]


async def _pages(deps: Deps, ctx: Ctx) -> list[dict[str, Any]]:
    first = await service.status_page(deps, ctx, 0)
    shown = list(first.items)
    for page in range(1, first.pages):
        shown += (await service.status_page(deps, ctx, page)).items
    assert len(shown) == first.total
    return [dict(item) for item in shown]


async def _assert_list_matches_document(deps: Deps, ctx: Ctx, instants: list[dt.datetime]) -> None:
    every = await tracked(deps.sessions)
    for instant in instants:
        moved = Deps(settings=deps.settings, sessions=deps.sessions, clock=FixedClock(instant))
        document = status_values(every, instant, ctx.tz)  # typed, as the bot's items are
        expected = ordered(document["commitments"])
        assert await _pages(moved, ctx) == expected, instant


async def test_the_list_path_agrees_with_the_document_on_the_examples(deps: Deps) -> None:
    instants = [dt.datetime(2024, 11, 26, 20, tzinfo=dt.UTC) + dt.timedelta(days=9 * n, hours=5 * n) for n in range(22)]
    await _assert_list_matches_document(deps, EN, instants)
    berlin = Ctx(language="de", tz=Settings(default_timezone="Europe/Berlin", _env_file=None).tz)  # type: ignore[call-arg]
    await _assert_list_matches_document(deps, berlin, instants[::4])


async def test_the_list_path_agrees_with_the_document_on_a_generated_sample(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'sample.sqlite3'}", _env_file=None)  # type: ignore[call-arg]
    engine = create_engine(settings.database_url)
    try:
        await migrate(engine)
        sessions = session_factory(engine)
        rows = generate(commitments=250, reports=2500, seed=5)
        await insert_generated(sessions, rows)
        deps = Deps(settings=settings, sessions=sessions, clock=FixedClock(NOW))
        instants = [NOW - dt.timedelta(days=400) + dt.timedelta(days=37 * n, hours=7 * n) for n in range(13)]
        await _assert_list_matches_document(deps, EN, instants)
    finally:
        await engine.dispose()


async def test_a_load_by_another_process_shows_at_the_next_request(
    deps: Deps, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    before = await service.status_page(deps, EN, 0)
    other = create_engine(settings.database_url)  # its own engine and pool: another process as far as we know
    try:
        late = article(
            "A new halt",
            commitments=(commitment(actors=("Azerbaijan",), scope="border", start=dt.date(2025, 3, 20)),),
            published=dt.datetime(2025, 3, 21, 8, tzinfo=dt.UTC),
        )
        await load_article(session_factory(other), late)
    finally:
        await other.dispose()
    after = await service.status_page(deps, EN, 0)
    assert after.total == before.total + 1
    every = await _pages(deps, EN)
    assert any(item["actors"] == ["Azerbaijan"] for item in every)


async def test_a_commitment_not_yet_known_is_missing_from_list_and_detail(deps: Deps) -> None:
    every = await service.items(deps, EN)
    assert every[1]
    later = Deps(
        settings=deps.settings, sessions=deps.sessions, clock=FixedClock(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    )
    assert (await service.status_page(later, EN, 0)).total == 0
    assert await service.detail(later, EN, int(every[1][0]["id"])) is None  # stored, but not known then
