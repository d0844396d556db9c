"""`ceasefire-watch chat` saves what the bot sends under the name a user would expect, not a MIME-type stand-in."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.chat import offline_bot, saved_name
from app.settings import Settings
from bot import display
from bot.display import to_plain
from bot.i18n import Ctx
from tests.bot.harness import FixedClock
from tests.cli.helpers import console

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
ICS = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


@pytest.mark.parametrize(
    ("field", "name", "data", "expected"),
    [
        ("photo", "application.octet-stream", PNG, "timeline.png"),  # what python-telegram-bot sends for bytes
        ("photo", None, PNG, "timeline.png"),
        ("photo", "image.jpeg", b"\xff\xd8\xff\xe0", "timeline.jpg"),
        ("document", "ceasefire-watch.ics", ICS, "ceasefire-watch.ics"),
        ("document", "ceasefire-watch-12.ics", ICS, "ceasefire-watch-12.ics"),
        ("document", "timeline.png", PNG, "timeline.png"),  # a tall chart goes out as a file
        ("document", "../../etc/passwd.txt", b"x", "passwd.txt"),  # only the last path component
        ("document", "application.octet-stream", ICS, "file.ics"),
        ("document", "", b"?", "file.bin"),
    ],
)
def test_saved_names(field: str, name: str | None, data: bytes, expected: str) -> None:
    assert saved_name(field, name, data) == expected


async def test_the_timeline_and_the_calendar_are_saved_by_their_names(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'chat.sqlite3'}",
        default_timezone="UTC",
        _env_file=None,  # type: ignore[call-arg]
    )
    out = io.StringIO()
    files = tmp_path / "files"
    async with offline_bot(settings, FixedClock(datetime(2025, 3, 22, 12, tzinfo=UTC)), files, out) as chat:
        await chat.say("/timeline")
        await chat.say("/calendar")
    printed = out.getvalue()
    assert f"[image saved: {files / 'timeline.png'}]" in printed
    assert f"[file saved: {files / 'ceasefire-watch.ics'}]" in printed
    assert (files / "timeline.png").read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in files.iterdir()) == ["ceasefire-watch.ics", "timeline.png"]


def test_piped_input_gets_its_answers_before_chat_exits(tmp_path: Path) -> None:
    """`printf '/start\n/help\n' | ceasefire-watch chat`: input ends at once, the answers are printed all the same."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "TELEGRAM_", "ADMIN_"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'chat.sqlite3'}", DEFAULT_TIMEZONE="UTC")
    files = str(tmp_path / "files")
    result = console("chat", "--files", files, env=env, cwd=tmp_path, input="/start\n/help\n/status 3\n", timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    en = Ctx(language="en", tz=ZoneInfo("UTC"))
    assert to_plain(display.welcome(en)).splitlines()[0] in result.stdout
    assert to_plain(display.help_text(en, admin=True)).splitlines()[0] in result.stdout
    assert "There is no commitment #3." in result.stdout, "the last line's answer too"
