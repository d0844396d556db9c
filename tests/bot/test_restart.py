"""The bot is killed (SIGKILL) in the middle of a fan-out to 2,000 chats and started again, as in production.

`ceasefire-watch run` runs as a subprocess against the loopback Bot API served by this test, on a replay clock that
starts just after a 30-day halt came into force, with 2,000 private chats subscribed to everything: its first tick
owes that one alert to every chat. Each sendMessage takes a little while at the API, so sends are in flight when
the API itself delivers the SIGKILL on the 900th. The numbers are taken once the process is gone and the API has
answered everything it had received:

* sent before the kill — chats the API delivered a message to;
* in flight — chats a send reached the API for, but whose delivery the database does not record as sent (answers
  lost with the process, and confirmations not yet written);

then the bot starts again with the same command. Every chat must end with the alert, no chat confirmed before the
kill may get it again, and the duplicates must stay within the sends in flight at the kill. The claims the dead
process held come back at start-up (outbox.reclaim_dead), not after their 120 s lease.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.localapi import Call, LocalBotApi
from storage.db import create_engine, migrate, session_factory
from storage.loader import load_article
from storage.models import AlertRow, ChatRow, DeliveryRow, utc_now
from tests.bot.test_alerts import HALT

Sessions = async_sessionmaker[AsyncSession]

CHATS = 2_000
FIRST_CHAT = 5_000_001
KILL_AT = 900  # the sendMessage that triggers the SIGKILL: 45 % into the fan-out
LATENCY = 0.02  # seconds each sendMessage takes at the API, so the dispatcher's sends overlap
SUBSCRIBED = datetime(2025, 3, 10, tzinfo=UTC)
START = datetime(2025, 3, 18, tzinfo=UTC)  # the halt comes into force: midnight of 18 March in the chats' zone
REPLAY_FROM = START + timedelta(seconds=30)  # on time, not late: one ordinary message per chat
TOKEN = "987654321:AAF-restart-test-token_not-secret"


async def seed(sessions: Sessions) -> None:
    """The halt (published the evening before it starts) and 2,000 chats that subscribed to everything earlier."""
    await load_article(sessions, HALT)
    now = utc_now()
    rows = [
        {
            "id": FIRST_CHAT + n,
            "type": "private",
            "title": None,
            "language": "en",
            "timezone": "UTC",
            "enabled": True,
            "member": True,
            "subscribed_all": True,
            "subscribed_since": SUBSCRIBED,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(CHATS)
    ]
    async with sessions() as session, session.begin():
        await session.execute(insert(ChatRow), rows)


def _due() -> ColumnElement[bool]:
    """Deliveries of the alert that is due (the start); the later milestones wait in the outbox as pending."""
    return DeliveryRow.alert_id.in_(select(AlertRow.id).where(AlertRow.slug == "start"))


async def states(sessions: Sessions) -> dict[int, list[str]]:
    """The state of every delivery of the due alert, per chat."""
    found: dict[int, list[str]] = {}
    async with sessions() as session:
        for chat_id, state in await session.execute(select(DeliveryRow.chat_id, DeliveryRow.state).where(_due())):
            found.setdefault(chat_id, []).append(state)
    return found


async def count_sent(sessions: Sessions) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).where(_due(), DeliveryRow.state == "sent")) or 0)


def environment(api: LocalBotApi, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_", "DATABASE_", "DEFAULT_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_API_BASE_URL=api.base_url,
        TELEGRAM_MAX_MESSAGES_PER_SECOND="1000",  # Telegram's 30/s would make each fan-out take 67 s
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        DEFAULT_TIMEZONE="UTC",
    )
    return env


async def start_bot(env: dict[str, str], cwd: Path, log: Path) -> asyncio.subprocess.Process:
    """`ceasefire-watch run` as an operator starts it; its log goes to a file (a pipe nobody reads could fill)."""
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "app.cli", "run", "--replay-from", REPLAY_FROM.isoformat(), "--speed", "1",
            env=env, cwd=cwd, stdout=out, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip


async def until(predicate: Callable[[], bool], within: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"{what}: not within {within}s")
        await asyncio.sleep(0.1)


async def until_count(count: Callable[[], Awaitable[int]], target: int, within: float) -> None:
    """Until ``count()`` reaches ``target`` (a confirmation is written after its send)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (value := await count()) != target:
        if loop.time() > deadline:
            raise AssertionError(f"{value} of {target} deliveries confirmed after {within}s")
        await asyncio.sleep(0.2)


async def settle(api: LocalBotApi) -> None:
    """Until the API has answered every request it received and no more arrive (what the dead process had already
    written to its sockets is still read and carried out, as Telegram would)."""
    seen = -1
    for _ in range(100):  # at most 25 s
        if seen == len(api.calls) and not api.unanswered():
            return
        seen = len(api.calls)
        await asyncio.sleep(0.25)
    raise AssertionError(f"the API did not settle: {len(api.unanswered())} requests unanswered")


async def stop(process: asyncio.subprocess.Process) -> None:
    """SIGTERM, as an operator stops the bot; SIGKILL only if it does not exit in time (the test fails then)."""
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), timeout=30)
    except TimeoutError:
        process.kill()
        await process.wait()


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:]


def alert_messages(calls: list[Call]) -> list[Call]:
    """Successful sendMessage calls (the bot sends nothing else to these chats)."""
    return [c for c in calls if c.method == "sendMessage" and c.result is not None]


async def test_sigkill_mid_fan_out_then_restart(tmp_path: Path, record_property: Callable[[str, object], None]) -> None:
    database = tmp_path / "bot.sqlite3"
    log = tmp_path / "bot.log"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        await migrate(engine)
        sessions = session_factory(engine)
        await seed(sessions)
        everyone = set(range(FIRST_CHAT, FIRST_CHAT + CHATS))

        async with LocalBotApi(token=TOKEN) as api:
            api.latency["sendMessage"] = LATENCY
            env = environment(api, database)
            first = await start_bot(env, tmp_path, log)
            at_kill: dict[str, int] = {}

            def kill_midway(call: Call) -> None:
                """SIGKILL from inside the API the moment the KILL_AT-th send arrives: mid-fan-out, every time."""
                if call.method != "sendMessage" or at_kill:
                    return
                received = sum(1 for c in api.calls if c.method == "sendMessage")
                if received >= KILL_AT:
                    os.kill(first.pid, signal.SIGKILL)
                    at_kill["received"] = received
                    at_kill["unanswered"] = len(api.unanswered("sendMessage"))

            api.on_call = kill_midway
            try:
                await asyncio.wait_for(first.wait(), timeout=90)
            except TimeoutError:
                await stop(first)
                raise AssertionError(f"the fan-out never reached {KILL_AT} sends:\n{tail(log)}") from None
            assert first.returncode == -signal.SIGKILL, tail(log)
            api.on_call = None
            await settle(api)

            # --- what the kill left behind (the process is gone: the database cannot change any more) ----------
            before = list(api.calls)
            reached = {c.chat_id for c in before if c.method == "sendMessage"}
            delivered = {c.chat_id for c in alert_messages(before)}
            after_kill = await states(sessions)
            assert set(after_kill) == everyone, "the first tick owed the alert to every chat"
            assert all(len(s) == 1 for s in after_kill.values()), "one delivery of the alert per chat"
            confirmed = {chat for chat, [state] in after_kill.items() if state == "sent"}
            claimed = sum(1 for [state] in after_kill.values() if state == "sending")
            in_flight = len(reached - confirmed)
            assert confirmed <= delivered, "the database confirmed a message the API never delivered"
            assert 0 < len(delivered) < CHATS, "the kill must land in the middle of the fan-out"
            assert claimed > 0, "the dead process held claims"

            # --- the same command again ---------------------------------------------------------------------------
            def covered() -> bool:
                return {c.chat_id for c in alert_messages(api.calls)} >= everyone

            second = await start_bot(env, tmp_path, log)
            try:
                await until(covered, 60, f"every chat has the alert (bot log: {log})")
                await until_count(lambda: count_sent(sessions), CHATS, 30)
            finally:
                await stop(second)
            assert second.returncode == 0, tail(log)

        messages = alert_messages(api.calls)
        per_chat = Counter(c.chat_id for c in messages)
        duplicates = sum(n - 1 for n in per_chat.values())
        resent = {c.chat_id for c in messages[len(alert_messages(before)) :]}
        final = await states(sessions)
    finally:
        await engine.dispose()

    line = (
        f"restart: {CHATS} chats, {len(delivered)} sent before kill ({len(confirmed)} confirmed), "
        f"in flight {in_flight} ({at_kill['unanswered']} unanswered at the kill), duplicates {duplicates}"
    )
    print(line)
    for name, value in (
        ("chats", CHATS),
        ("sent_before_kill", len(delivered)),
        ("confirmed_before_kill", len(confirmed)),
        ("in_flight", in_flight),
        ("unanswered_at_kill", at_kill["unanswered"]),
        ("reclaimed_at_start", claimed),
        ("duplicates", duplicates),
    ):
        record_property(name, value)

    assert set(per_chat) == everyone, line
    assert duplicates <= in_flight, line
    assert not resent & confirmed, "a delivery confirmed before the kill went out again"
    assert all(s == ["sent"] for s in final.values()), Counter(s for ss in final.values() for s in ss)
    [text] = {c.params["text"] for c in messages}  # one ordinary message, the same in every chat
    assert text.startswith("🟢 <b>In force from Tue 18 Mar: strike halt")
    assert "Sent late" not in text
    assert "While the bot was offline" not in text
    taken_back = re.findall(r"took back (\d+) deliveries claimed by dead workers", log.read_text())
    assert taken_back == [str(claimed)], "the claims came back at start-up, not after their 120 s lease"
