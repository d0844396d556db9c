"""`ceasefire-watch run` exactly as in production: a subprocess configured by environment, polling the loopback
Bot API, answering a user, and stopping cleanly on SIGTERM — with the token in no line it prints."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.localapi import Chat, LocalBotApi, User

TOKEN = "987654321:AAF-process-test-token_do-not-log"


def environment(api: LocalBotApi, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_", "DATABASE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_API_BASE_URL=api.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        ADMIN_USER_IDS="101",
        DEFAULT_TIMEZONE="Europe/Berlin",
    )
    env.update(extra)
    return env


async def start(env: dict[str, str], cwd: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "run", *args,
        env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_runs_answers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    async with LocalBotApi(token=TOKEN) as api:
        process = await start(environment(api, tmp_path), tmp_path)
        try:
            await api.wait_for(lambda calls: any(c.method == "getUpdates" for c in calls), within=60)
            api.send_text(Chat(101), User(101, "Alice"), "/start")
            await api.wait_for(lambda calls: bool(api.sent(101)), within=20)
            menus = [c for c in api.calls if c.method == "setMyCommands"]
            assert sorted(str(c.params.get("language_code")) for c in menus) == ["None", "de"]
            assert {"status", "subscribe", "timeline"} <= {entry["command"] for entry in menus[0].params["commands"]}
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, err.decode()
        log = out.decode() + err.decode()
        assert TOKEN not in log
        assert TOKEN.split(":")[1] not in log
        assert "running" in log
        assert "stopping" in log


async def test_sigint_stops_too(tmp_path: Path) -> None:
    async with LocalBotApi(token=TOKEN) as api:
        process = await start(environment(api, tmp_path), tmp_path)
        await api.wait_for(lambda calls: any(c.method == "getUpdates" for c in calls), within=60)
        process.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, err.decode()


@pytest.mark.parametrize(
    ("token", "needle"),
    [("", "TELEGRAM_BOT_TOKEN is not set"), ("not-a-token", "TELEGRAM_BOT_TOKEN is malformed"),
     ("12345:short", "TELEGRAM_BOT_TOKEN is malformed")],
)  # fmt: skip
async def test_missing_or_malformed_token_is_one_line_exit_2(tmp_path: Path, token: str, needle: str) -> None:
    async with LocalBotApi(token=TOKEN) as api:
        process = await start(environment(api, tmp_path, TELEGRAM_BOT_TOKEN=token), tmp_path)
        _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    [line] = err.decode().splitlines()
    assert needle in line
    if token:
        assert token not in line
    assert api.calls == [], "nothing is sent with a bad token"


async def test_a_rejected_token_is_named_without_printing_it(tmp_path: Path) -> None:
    async with LocalBotApi(token=TOKEN) as api:
        wrong = "111111:AAF-wrong-token-which-is-long"
        process = await start(environment(api, tmp_path, TELEGRAM_BOT_TOKEN=wrong), tmp_path)
        _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    text = err.decode()
    assert "rejected" in text.splitlines()[-1]
    assert wrong not in text
    assert "AAF-wrong-token" not in text
