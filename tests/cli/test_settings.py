"""TELEGRAM_MAX_MESSAGES_PER_SECOND: read from the environment, refused with a clear message when out of range, and
the pace the bot really keeps (python-telegram-bot's AIORateLimiter, built in bot.app)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from telegram.ext import AIORateLimiter, Application

from app.cli import main
from app.settings import Settings
from bot.app import build_application
from bot.context import Deps
from bot.localapi import LocalBotApi
from schedules.clock import SystemClock
from storage.db import create_engine, session_factory

VARIABLE = "TELEGRAM_MAX_MESSAGES_PER_SECOND"


@pytest.fixture(autouse=True)
def no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Away from any developer `.env` and environment that would set the rate."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(VARIABLE, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'settings.sqlite3'}")


@asynccontextmanager
async def application_for(
    settings: Settings, api: LocalBotApi
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """The bot's real Application as app.run builds it (the database is never opened here)."""
    engine = create_engine(settings.database_url)
    try:
        deps = Deps(settings=settings, sessions=session_factory(engine), clock=SystemClock())
        yield build_application(deps, token=api.token, base_url=api.base_url, base_file_url=api.file_url)
    finally:
        await engine.dispose()


def overall_rate(application: Application[Any, Any, Any, Any, Any, Any]) -> float:
    """Messages per second of the limiter's overall bucket (PTB keeps it in a private attribute); it holds one
    request at a time, so the pace is even, with no burst at the start of a fan-out."""
    limiter = application.bot.rate_limiter
    assert isinstance(limiter, AIORateLimiter)
    bucket = limiter._base_limiter
    assert bucket is not None
    assert bucket.max_rate == 1
    return 1 / bucket.time_period


def test_default_is_telegrams_limit() -> None:
    assert Settings().telegram_max_messages_per_second == 30


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("30", 30), ("1000", 1000)])
async def test_the_setting_reaches_the_rate_limiter(monkeypatch: pytest.MonkeyPatch, value: str, expected: int) -> None:
    monkeypatch.setenv(VARIABLE, value)
    settings = Settings()
    assert settings.telegram_max_messages_per_second == expected
    async with LocalBotApi() as api, application_for(settings, api) as application:
        assert overall_rate(application) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["0", "-5", "1001", "fast", "2.5"])
def test_a_bad_rate_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(VARIABLE, value)
    with pytest.raises(ValidationError) as error:
        Settings()
    [problem] = error.value.errors()
    assert problem["loc"] == ("telegram_max_messages_per_second",)


@pytest.mark.parametrize("value", ["0", "1001"])
def test_the_command_line_names_the_setting_and_the_range(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(VARIABLE, value)
    assert main(["status"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    [line] = err.splitlines()
    assert VARIABLE in line
    assert "1 to 1000 messages per second" in line
    assert f"got {value}" in line


async def test_sends_keep_to_the_configured_pace(monkeypatch: pytest.MonkeyPatch) -> None:
    """10 per second: 30 messages to 30 chats at once take about 2 s (a burst of 10, then 10 a second). Only a lower
    bound is checked, which a slow machine cannot break."""
    monkeypatch.setenv(VARIABLE, "10")
    async with LocalBotApi() as api, application_for(Settings(), api) as application, application:
        started = time.monotonic()
        await asyncio.gather(*(application.bot.send_message(1000 + n, "paced") for n in range(30)))
        elapsed = time.monotonic() - started
    assert len(api.sent(method="sendMessage")) == 30
    assert elapsed >= 1.5, elapsed


def test_alert_offsets_and_staleness_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALERT_DAYS_BEFORE_END", "1, 7,3")
    monkeypatch.setenv("ALERT_DAYS_BEFORE_DUE", "")
    monkeypatch.setenv("ALERT_OVERDUE_AFTER_DAYS", "2")
    monkeypatch.setenv("ALERT_STALENESS_HOURS", "6")
    settings = Settings()
    offsets = settings.plan_offsets()
    assert offsets.before_end_days == (7, 3, 1)
    assert offsets.due_before_days == ()
    assert offsets.overdue_after_days == 2
    assert settings.staleness.total_seconds() == 6 * 3600
    deps = Deps(settings=settings, sessions=session_factory(create_engine(settings.database_url)), clock=SystemClock())
    assert deps.offsets == offsets


def test_alert_defaults_are_the_issues() -> None:
    offsets = Settings().plan_offsets()
    assert (offsets.before_end_days, offsets.due_before_days, offsets.overdue_after_days) == ((3, 1), (1,), 1)
    assert Settings().staleness.total_seconds() == 24 * 3600


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("ALERT_DAYS_BEFORE_END", "3,x", "comma-separated whole days"),
        ("ALERT_DAYS_BEFORE_END", "0", "at least 1"),
        ("ALERT_OVERDUE_AFTER_DAYS", "0", "at least 1"),
        ("ALERT_STALENESS_HOURS", "0", "greater than 0"),
    ],
)
def test_bad_alert_settings_are_named(monkeypatch: pytest.MonkeyPatch, variable: str, value: str, reason: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert reason in str(caught.value)
