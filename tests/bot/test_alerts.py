"""Alerts end to end: the real bot with its scheduler, the loopback Bot API, a real database and a real clock
(replayed fast, or standing still), including alerts logged by another process and Telegram's faults."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.settings import Settings
from bot.app import build_application, running
from bot.context import Deps
from bot.localapi import Call, Chat, Fault, Limits, LocalBotApi
from schedules.clock import Clock, ReplayClock
from storage import chats
from storage.db import create_engine, migrate, session_factory
from storage.loader import load_article
from tests.bot.harness import ADMIN, FixedClock, buttons
from tests.tracking.factories import article, commitment

# The halt as extraction gives it, built directly: these tests are about alerts, not about reading articles (the
# extractor has tests of its own, and changes without these having to).
HALT = article(
    "Kremlin pauses strikes on power grid for a month",
    commitments=(commitment(),),
    published=datetime(2025, 3, 17, 21, 40, tzinfo=timezone(timedelta(hours=1))),
)

VIOLATION = """Home > World > Europe

Kyiv says Russian drones hit power plants despite moratorium

Published 21 March 2025, 10:05 CET

Share   Save

Ukraine accused Russia on Friday of striking two power plants near Odesa on March 20, violating the 30-day halt
on strikes against energy infrastructure.

Related: The energy war
"""


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "alerts.sqlite3"


@pytest.fixture
async def sessions(database: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    await migrate(engine)
    sessions = session_factory(engine)
    await load_article(sessions, HALT)
    yield sessions
    await engine.dispose()


def settings_for(database: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{database}",
        default_timezone="UTC",
        admin_user_ids=(ADMIN.id,),
        _env_file=None,  # type: ignore[call-arg]
    )


ALERT_BUTTON = re.compile(r"^[su]\|\d+:a$")  # "Mute" / "Unmute" under an alert (bot.keyboards.alert_keyboard)


def alerts(api: LocalBotApi, chat_id: int) -> list[Call]:
    """Messages the bot sent on its own (not replies to commands): they carry the alert's buttons."""
    return [c for c in api.sent(chat_id, "sendMessage") if any(ALERT_BUTTON.match(data) for _, data in buttons(c))]


async def until(predicate: object, within: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if callable(predicate) and predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {within}s")


@asynccontextmanager
async def bot_on(
    api: LocalBotApi, database: Path, sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> AsyncIterator[None]:
    deps = Deps(settings=settings_for(database), sessions=sessions, clock=clock)
    application = build_application(deps, token=api.token, base_url=api.base_url, base_file_url=api.file_url)
    async with running(application, poll_timeout=1.0):
        yield


async def test_replay_delivers_each_milestone_once_in_order(
    database: Path, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A 30-day halt, a subscribed chat, the bot on a replay clock: start, halfway, 3 and 1 days before, lapse."""
    released: list[float] = []

    def held() -> float:
        """Real seconds for the replay: none pass until the chat has subscribed, however slow the machine."""
        return time.monotonic() - released[0] if released else 0.0

    # a month in ~18 s, from half a day before the halt starts
    clock = ReplayClock(datetime(2025, 3, 17, 12, tzinfo=UTC), speed=150_000, monotonic=held)
    alice = Chat(ADMIN.id)
    async with LocalBotApi() as api:
        async with bot_on(api, database, sessions, clock):
            api.send_text(alice, ADMIN, "/subscribe")
            await until(lambda: bool(api.sent(alice.id, "sendMessage")), within=30)
            released.append(time.monotonic())
            await until(lambda: len(alerts(api, alice.id)) >= 5, within=60)
            await asyncio.sleep(1.5)  # nothing more may follow
        sent = alerts(api, alice.id)
    expected = [
        ("🟢 <b>In force from Tue 18 Mar: strike halt (30 days) — ends Thu 17 Apr</b>", "day 1 of 30"),
        ("⏳ <b>Halfway: strike halt (30 days) — ends Thu 17 Apr</b>", "day 16 of 30"),
        ("⏰ <b>3 days left: strike halt (30 days) — ends Thu 17 Apr</b>", "day 28 of 30"),
        ("⏰ <b>1 day left: strike halt (30 days) — ends Thu 17 Apr</b>", "day 30 of 30"),
        ("🔚 <b>Lapsed Thu 17 Apr: strike halt (30 days) — no extension reported</b>", "ended Thu 17 Apr"),
    ]
    assert len(sent) == len(expected), [c.params["text"] for c in sent]
    for call, (headline, state) in zip(sent, expected, strict=True):
        first, second, *_ = call.params["text"].split("\n")
        assert first == headline
        assert second.endswith(f"Russia · energy infrastructure · {state}"), "the commitment was looked up"
        assert [label for label, _ in buttons(call)] == ["ℹ️ Details #1", "🔕 Mute #1"]


async def test_a_conflict_loaded_by_another_process_alerts_within_5_seconds(
    database: Path, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    alice = Chat(ADMIN.id)
    violation = tmp_path / "violation.txt"
    violation.write_text(VIOLATION, encoding="utf-8")
    async with LocalBotApi() as api:
        async with bot_on(api, database, sessions, FixedClock(datetime(2025, 3, 22, 12, tzinfo=UTC))):
            api.send_text(alice, ADMIN, "/subscribe")
            await until(lambda: bool(api.sent(alice.id)), within=10)
            env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "app.cli", "load", str(violation), env=env, cwd=tmp_path,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            out, err = await asyncio.wait_for(process.communicate(), timeout=60)
            assert process.returncode == 0, err.decode()
            assert "violation_in_force" in out.decode()
            logged = asyncio.get_running_loop().time()
            await until(lambda: any("⚠" in c.params["text"] for c in alerts(api, alice.id)), within=5)
            elapsed = asyncio.get_running_loop().time() - logged
        [alert] = [c for c in alerts(api, alice.id) if "⚠" in c.params["text"]]
    first, second, sources = alert.params["text"].split("\n")
    assert re.fullmatch(
        r"⚠ <b>Ukraine accuses Russia of a violation on \w{3} 2\d Mar — during the strike halt</b>", first
    )
    assert second == "#1 Strike halt · Russia · energy infrastructure · day 5 of 30"
    assert sources.startswith("📰 <i>Kyiv says Russian drones hit power…</i> · Fri 21 Mar")
    assert elapsed < 5


async def test_after_downtime_late_alert_and_offline_summary_once(
    database: Path, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The chat subscribed on 10 March; the bot comes back on 2 April at 00:30, 30 minutes after halfway and two
    weeks after the start: halfway arrives marked late, the start is folded into an offline summary."""
    alice = Chat(ADMIN.id)
    await chats.ensure_chat(sessions, alice.id, type="private", title=None, language="en", timezone="UTC")
    await chats.subscribe(sessions, alice.id, None, at=datetime(2025, 3, 10, tzinfo=UTC))
    clock = FixedClock(datetime(2025, 4, 2, 0, 30, tzinfo=UTC))
    async with LocalBotApi() as api:
        async with bot_on(api, database, sessions, clock):
            await until(lambda: len(api.sent(alice.id)) >= 2, within=15)
            await asyncio.sleep(2.5)
        first_run = [c.params["text"] for c in api.sent(alice.id)]
        async with bot_on(api, database, sessions, clock):  # a restart sends nothing again
            await asyncio.sleep(2.5)
        second_run = [c.params["text"] for c in api.sent(alice.id)]
    assert len(first_run) == 2, first_run
    summary = next(t for t in first_run if "While the bot was offline" in t)
    late = next(t for t in first_run if "Sent late" in t)
    assert "🟢 <b>In force from Tue 18 Mar: strike halt (30 days) — ends Thu 17 Apr</b> · #1" in summary
    assert "⏳ <b>Halfway: strike halt (30 days) — ends Thu 17 Apr</b>" in late
    assert second_run == first_run


async def test_faults_every_deliverable_alert_once(database: Path, sessions: async_sessionmaker[AsyncSession]) -> None:
    """429 with retry_after, 500s, a stalled request, a blocked chat and a migrated group, under Telegram's limits."""
    plain, flood, flaky, stalled, blocked = (Chat(900 + i) for i in range(5))
    group = Chat(-4242, "group", "Newsroom")
    targets = (plain, flood, flaky, stalled, blocked, group)
    for chat in targets:
        await chats.ensure_chat(sessions, chat.id, type=chat.type, title=chat.title, language="en", timezone="UTC")
        await chats.subscribe(sessions, chat.id, None, at=datetime(2025, 3, 1, tzinfo=UTC))
    async with LocalBotApi() as api:
        api.limits = Limits()
        api.faults += [
            Fault("sendMessage", flood.id, 429, "Too Many Requests: retry after 1", {"retry_after": 1}),
            Fault("sendMessage", flaky.id, 500, "Internal Server Error", times=2),
            Fault("sendMessage", stalled.id, 502, "Bad Gateway", delay=1.0),
            Fault("sendMessage", blocked.id, 403, "Forbidden: bot was blocked by the user", times=99),
            Fault(
                "sendMessage", group.id, 400, "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": -1004242},
            ),
        ]  # fmt: skip
        clock = FixedClock(datetime(2025, 3, 22, 12, tzinfo=UTC))
        alice = Chat(ADMIN.id)
        # The start on 18 March is 4 days past on this clock: each chat gets it once, in a summary.
        deliverable = (plain, flood, flaky, stalled, Chat(-1004242, "supergroup"))
        async with bot_on(api, database, sessions, clock):
            api.send_text(alice, ADMIN, "/status")
            await until(lambda: bool(api.sent(alice.id)), within=10)
            await until(lambda: all(api.sent(c.id, "sendMessage") for c in deliverable), within=30)
            await asyncio.sleep(2)
        for chat in deliverable:
            assert len(api.sent(chat.id, "sendMessage")) == 1, chat
        assert api.sent(blocked.id, "sendMessage") == []
        assert api.sent(group.id, "sendMessage") == []
        assert api.limits.rejected == 0
    view = await chats.get_chat(sessions, blocked.id)
    assert view is not None
    assert not view.enabled
    assert await chats.get_chat(sessions, group.id) is None
    moved = await chats.get_chat(sessions, -1004242)
    assert moved is not None
    assert moved.subscribed_all
