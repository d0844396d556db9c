"""`ceasefire-watch chat` saves what the bot sends under the name a user would expect, not a MIME-type stand-in."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.chat import offline_bot, saved_name
from app.settings import Settings
from tests.bot.harness import FixedClock

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
