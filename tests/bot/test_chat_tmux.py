"""`ceasefire-watch chat` in a real terminal: tmux types into it (send-keys) and reads the screen (capture-pane)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
ROOT = Path(__file__).resolve().parents[2]


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True, timeout=10).stdout


@pytest.fixture
def session(tmp_path: Path) -> Iterator[str]:
    name = f"cw-{uuid.uuid4().hex[:8]}"
    db = tmp_path / "chat.sqlite3"
    env = f"DATABASE_URL=sqlite+aiosqlite:///{db} DEFAULT_TIMEZONE=UTC"
    command = (
        f"cd {shlex.quote(str(ROOT))} && env {env} {shlex.quote(sys.executable)} -m app.cli chat --files {tmp_path}"
    )
    command += " --replay-from 2025-03-22T12:00:00+00:00 --speed 1; echo EXITED-$?; sleep 30"
    tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "50", command)
    try:
        yield name
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, timeout=10, check=False)


def screen_until(name: str, needle: str, within: float = 60.0) -> str:
    deadline = time.monotonic() + within
    text = ""
    while time.monotonic() < deadline:
        text = tmux("capture-pane", "-p", "-t", name, "-S", "-200")
        if needle in text:
            return text
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} did not appear; screen:\n{text}")


def test_chat_answers_typed_commands_and_buttons(session: str, tmp_path: Path) -> None:
    screen_until(session, "Ctrl-D quits")
    tmux("send-keys", "-t", session, "/start", "Enter")
    screen = screen_until(session, "[2]")
    assert "[1]" in screen
    tmux("send-keys", "-t", session, "/timeline", "Enter")
    screen = screen_until(session, "image saved:")
    saved = [line.split("image saved:")[1].strip(" ]") for line in screen.splitlines() if "image saved:" in line]
    assert Path(saved[-1]).read_bytes().startswith(b"\x89PNG")
    tmux("send-keys", "-t", session, "C-d")
    screen_until(session, "EXITED-0")
    assert os.path.isdir(tmp_path)
