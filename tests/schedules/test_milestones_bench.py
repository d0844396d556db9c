"""bench/milestones.py at a toy size, so the bench keeps working as the code it measures changes: every milestone
due in the replayed month reaches the server, each matched to its delivery (how late is the bench's to say)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bench import milestones


def test_the_milestone_bench_matches_every_delivery_to_its_message(tmp_path: Path) -> None:
    run = asyncio.run(
        milestones.replay(tmp_path / "milestones.sqlite3", commitments=3, chats=2, seconds=12, seed_value=7)
    )
    assert run.delays, "no milestone fell due in the month"
    assert (run.missing, run.rejected) == (0, 0)
    assert 0 < run.messages <= len(run.delays)
    assert {d.chat_id for d in run.delays} <= {milestones.FIRST_CHAT, milestones.FIRST_CHAT + 1}
