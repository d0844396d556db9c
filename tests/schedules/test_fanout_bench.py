"""bench/fanout.py at toy sizes, so the bench keeps working as the code it measures changes: both parts run, and
each checks its own fan-out (one message per chat, the bare loop's texts, every delivery 'sent')."""

from __future__ import annotations

import pytest

from bench import fanout


def test_the_fan_out_bench_runs_and_checks_itself(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--chats", "24", "--rounds", "1", "--limited-chats", "12", "--in-process"]
    assert fanout.main(argv) == 0
    out = capsys.readouterr().out
    assert "checked every outbox round: 24 messages, one per chat" in out
    assert "ratio outbox / bare (medians)" in out
    assert "AIORateLimiter as bot.app builds it" in out
    assert "CHECK FAILED" not in out
