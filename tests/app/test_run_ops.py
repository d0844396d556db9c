"""`run` for operators: one run per SQLite file, /healthz and /metrics, webhook mode with its secret, JSON logs."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import insert

from app.health import HealthServer
from app.logs import RedactingJsonFormatter
from app.run import RunOptions, serve
from app.runlock import AlreadyRunning, single_run
from app.settings import Settings
from bot.localapi import Chat, LocalBotApi, User
from storage.db import create_engine, migrate, session_factory
from storage.loader import load_article
from storage.models import ChatRow
from tests.bot.harness import FixedClock
from tests.bot.test_alerts import HALT

TOKEN = "987654321:AAF-ops-test-token_do-not-log"
SECRET = "s3cret-header_value"
CHAT = 6_000_001
SUBSCRIBED = datetime(2025, 3, 10, tzinfo=UTC)
IN_FORCE = datetime(2025, 3, 18, 0, 0, 30, tzinfo=UTC)  # the halt's start alert is due


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def settings(api: LocalBotApi, database: Path, *, webhook_secret: str | None = None) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{database}",
        telegram_bot_token=SecretStr(api.token),
        telegram_api_base_url=api.base_url,
        default_timezone="UTC",
        telegram_max_messages_per_second=1000,
        webhook_secret=SecretStr(webhook_secret) if webhook_secret else None,
        _env_file=None,  # type: ignore[call-arg]
    )


async def seed(database: Path) -> None:
    """The halt and one chat that subscribed to everything before it: its start alert is owed at IN_FORCE."""
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        await migrate(engine)
        sessions = session_factory(engine)
        await load_article(sessions, HALT)
        row = {"id": CHAT, "type": "private", "title": None, "language": "en", "timezone": "UTC", "enabled": True,
               "member": True, "subscribed_all": True, "subscribed_since": SUBSCRIBED, "created_at": SUBSCRIBED,
               "updated_at": SUBSCRIBED}  # fmt: skip
        async with sessions() as session, session.begin():
            await session.execute(insert(ChatRow), [row])
    finally:
        await engine.dispose()


@asynccontextmanager
async def serving(config: Settings, options: RunOptions) -> AsyncIterator[asyncio.Task[None]]:
    stop = asyncio.Event()
    task = asyncio.create_task(serve(config, FixedClock(IN_FORCE), stop, options))
    try:
        yield task
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


async def until(check: object, within: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():  # type: ignore[operator]
        assert loop.time() < deadline, f"not within {within} s"
        await asyncio.sleep(0.1)


def metric(text: str, name: str, labels: str = "") -> float:
    """One sample's value from Prometheus' text format (0 when the series is not there yet)."""
    pattern = re.compile(rf"^{re.escape(name)}{re.escape('{' + labels + '}') if labels else ''} (\S+)$", re.M)
    found = pattern.search(text)
    return float(found.group(1)) if found else 0.0


# --- one run per SQLite file ---------------------------------------------------------------------------------------


def test_the_run_lock_is_exclusive(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    with (
        single_run(database),
        pytest.raises(AlreadyRunning, match=rf"\(pid {os.getpid()}\) already uses"),
        single_run(database),
    ):
        pass
    with single_run(database):  # released on the way out
        pass


async def test_a_second_run_on_one_sqlite_file_refuses_in_one_line(tmp_path: Path) -> None:
    """The first one logs JSON lines (LOG_FORMAT=json), the token in none of them."""
    database = tmp_path / "bot.sqlite3"
    async with LocalBotApi(token=TOKEN) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "LOG_"))}
        env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url,
                   DATABASE_URL=f"sqlite+aiosqlite:///{database}")  # fmt: skip

        async def start(**extra: str) -> asyncio.subprocess.Process:
            return await asyncio.create_subprocess_exec(
                sys.executable, "-m", "app.cli", "run", env={**env, **extra}, cwd=tmp_path,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip

        first = await start(LOG_FORMAT="json")
        try:
            await api.wait_for(lambda calls: any(c.method == "getUpdates" for c in calls), within=60)
            second = await start()
            _, err = await asyncio.wait_for(second.communicate(), timeout=60)
        finally:
            first.send_signal(signal.SIGTERM)
            _, logged = await asyncio.wait_for(first.communicate(), timeout=30)
    assert second.returncode == 1
    [line] = err.decode().splitlines()
    assert f"(pid {first.pid}) already uses {database}" in line
    assert "PostgreSQL" in line
    assert first.returncode == 0
    records = [json.loads(line) for line in logged.decode().splitlines()]
    assert any(r["message"].startswith("running (long polling") and r["level"] == "INFO" for r in records)
    assert TOKEN.split(":")[1] not in logged.decode()


# --- /healthz and /metrics -----------------------------------------------------------------------------------------


async def test_healthz_and_metrics_follow_the_alerts(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    await seed(database)
    port = free_port()
    async with (
        LocalBotApi(token=TOKEN) as api,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http,
        serving(settings(api, database), RunOptions(metrics_port=port)),
    ):

        async def leading() -> bool:
            try:
                answer = await http.get("/healthz")
            except httpx.TransportError:
                return False
            return answer.status_code == 200 and answer.json()["leader"] is True

        before = (await http.get("/metrics")).text if await leading() else ""
        sent_before = metric(before, "ceasefire_watch_alert_messages_total", 'outcome="sent"')
        start_before = metric(before, "ceasefire_watch_updates_total", 'command="start"')
        await until(leading)
        await api.wait_for(lambda calls: bool(api.sent(CHAT)), within=20)
        api.send_text(Chat(42), User(42), "/start")
        await api.wait_for(lambda calls: bool(api.sent(42)), within=20)

        async def counted() -> bool:
            text = (await http.get("/metrics")).text
            return metric(text, "ceasefire_watch_deliveries", 'state="sent"') >= 1

        await until(counted)
        health = (await http.get("/healthz")).json()
        text = (await http.get("/metrics")).text
    assert (health["status"], health["database"]) == ("ok", "ok")
    assert health["last_tick_seconds_ago"] < 30
    assert metric(text, "ceasefire_watch_alert_messages_total", 'outcome="sent"') >= sent_before + 1
    assert metric(text, "ceasefire_watch_updates_total", 'command="start"') == start_before + 1
    assert metric(text, "ceasefire_watch_leader") == 1
    assert metric(text, "ceasefire_watch_send_seconds_count") >= 1
    assert metric(text, "ceasefire_watch_deliveries", 'state="pending"') >= 1  # the halt's later milestones
    assert metric(text, "ceasefire_watch_outbox_due") == 0
    for name in ("ceasefire_watch_flood_waits_total", "ceasefire_watch_outbox_oldest_due_age_seconds",
                 "ceasefire_watch_scheduler_last_tick_age_seconds", "ceasefire_watch_feed_polls_total",
                 "ceasefire_watch_feed_errors_total"):  # fmt: skip
        assert f"# TYPE {name.removesuffix('_total')}" in text


class _Leader:
    def __init__(self, leading: bool) -> None:
        self.leading = leading


class _Duties:
    def __init__(self, ticked_at: float | None) -> None:
        self.ticked_at = ticked_at


async def test_healthz_is_503_with_a_reason(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'ok.sqlite3'}")
    broken = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")  # nothing listens on port 1
    servers = [
        HealthServer(session_factory(engine), FixedClock(IN_FORCE), _Leader(True), _Duties(None)),
        HealthServer(session_factory(broken), FixedClock(IN_FORCE), _Leader(False), _Duties(None)),
        HealthServer(session_factory(engine), FixedClock(IN_FORCE), _Leader(False), _Duties(None)),
    ]
    try:
        answers = []
        for server in servers:
            await server.start()
            try:
                async with httpx.AsyncClient() as http:
                    answers.append(await http.get(f"http://127.0.0.1:{server.port}/healthz"))
            finally:
                await server.stop()
    finally:
        await engine.dispose()
        await broken.dispose()
    not_ticking, no_database, follower = answers
    assert not_ticking.status_code == 503
    assert "has not ticked" in not_ticking.json()["reason"]
    assert no_database.status_code == 503
    assert no_database.json()["reason"].startswith("database")
    assert "nobody" not in no_database.text
    assert follower.status_code == 200
    assert follower.json()["leader"] is False


# --- webhook mode ----------------------------------------------------------------------------------------------------


async def test_webhook_refuses_requests_without_the_secret(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    port = free_port()
    options = RunOptions(webhook_url="https://bot.example.org/telegram/hook", listen="127.0.0.1", port=port)
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1, "date": 1_700_000_000, "chat": {"id": 43, "type": "private", "first_name": "Ada"},
            "from": {"id": 43, "is_bot": False, "first_name": "Ada"}, "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }  # fmt: skip
    async with LocalBotApi(token=TOKEN) as api, httpx.AsyncClient() as http:
        async with serving(settings(api, database, webhook_secret=SECRET), options):
            await api.wait_for(lambda calls: any(c.method == "setWebhook" for c in calls), within=30)
            url = f"http://127.0.0.1:{port}/telegram/hook"

            async def answered() -> bool:
                try:
                    await http.get(f"http://127.0.0.1:{port}/")
                except httpx.TransportError:
                    return False
                return True

            await until(answered)
            missing = await http.post(url, json=update)
            wrong = await http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
            await asyncio.sleep(0.5)
            assert not api.sent(43), "a refused update is not handled"
            right = await http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            await api.wait_for(lambda calls: bool(api.sent(43)), within=20)
        [hook] = [c for c in api.calls if c.method == "setWebhook"]
    assert (missing.status_code, wrong.status_code, right.status_code) == (403, 403, 200)
    assert hook.params["url"] == "https://bot.example.org/telegram/hook"
    assert hook.params["secret_token"] == SECRET
    assert not any(c.method == "getUpdates" for c in api.calls), "webhook mode does not poll"


# --- logs ------------------------------------------------------------------------------------------------------------


def test_json_log_lines_scrub_the_token() -> None:
    formatter = RedactingJsonFormatter([TOKEN, TOKEN.split(":")[1]])
    try:
        raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN.upper()}/getMe failed")
    except RuntimeError:
        record = logging.LogRecord("bot", logging.ERROR, __file__, 1, "calling %s", (TOKEN,), sys.exc_info())
    line = formatter.format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert (data["level"], data["logger"], data["message"]) == ("ERROR", "bot", "calling [REDACTED]")
    assert "RuntimeError" in data["exc_info"]
    assert TOKEN.split(":")[1].lower() not in line.lower()


# --- run's flags -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "secret", "needle"),
    [
        (["--listen", "0.0.0.0"], "", "--listen and --port need --webhook-url"),
        (["--webhook-url", "http://bot.example.org/hook"], SECRET, "only to https://"),
        (["--webhook-url", "https://bot.example.org/hook"], "", "needs WEBHOOK_SECRET"),
        (["--metrics-port", "70000"], "", "bad --metrics-port 70000"),
        (["--webhook-url", "https://bot.example.org/hook"], "not a secret!", "WEBHOOK_SECRET"),
    ],
)
def test_bad_run_flags_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv: list[str],
    secret: str,
    needle: str,
) -> None:
    from app.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    monkeypatch.setenv("WEBHOOK_SECRET", secret)
    assert main(["run", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert needle in err.strip().splitlines()[-1]
    assert not (tmp_path / "bot.sqlite3").exists(), "nothing starts"
    if secret:
        assert secret not in err
