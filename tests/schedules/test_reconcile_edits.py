"""The outbox after editors' changes, on SQLite and PostgreSQL: a date correction moves pending milestones at once,
leaves sent ones, and owes exactly one correction to each chat that had an alert with the old date; a retraction
cancels what was pending; in review mode nothing unconfirmed is owed to subscribers, cards go to reviewers, and
confirming plans alerts from that moment only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schedules.plan import PlanOffsets
from schedules.reconcile import reconcile
from storage import chats, edits
from storage.edits import Editor
from storage.loader import load_article
from storage.models import DeliveryRow
from storage.queries import tracked
from tests.schedules.helpers import read_owed
from tests.storage.test_edits import HALT, LATER

Sessions = async_sessionmaker[AsyncSession]
UTC = ZoneInfo("UTC")
ALICE = Editor("Alice", 101)
ADMIN_CHAT = 101  # an admin's private chat has the admin's user id
READER = 7  # follows everything since the evening before the halt
LATECOMER = 8  # follows everything from 20 March: had no alert about the halt's start


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


async def _run(sessions: Sessions, now: str, **narrow: object) -> None:
    await reconcile(sessions, now=at(now), default_tz=UTC, offsets=PlanOffsets(), **narrow)  # type: ignore[arg-type]


async def _chat(sessions: Sessions, chat_id: int, since: str | None) -> None:
    await chats.ensure_chat(sessions, chat_id, type="private", title=None, language="en", timezone="UTC")
    if since is not None:
        await chats.subscribe(sessions, chat_id, None, at=at(since))


async def _sent_until(sessions: Sessions, now: str) -> None:
    """What fell due by ``now`` went out (the dispatcher's part, done by hand)."""
    async with sessions() as session, session.begin():
        await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.state == "pending", DeliveryRow.due_at <= at(now))
            .values(state="sent", sent_at=at(now), message_id=1)
        )


async def test_a_date_correction_moves_pending_alerts_and_corrects_each_chat_that_had_the_old_date_once(
    sessions: Sessions,
) -> None:
    await load_article(sessions, HALT)
    [halt] = await tracked(sessions)
    await _chat(sessions, READER, "2025-03-17T20:00:00")
    await _chat(sessions, LATECOMER, "2025-03-20T08:00:00")
    await _run(sessions, "2025-03-18T21:00:00")
    await _sent_until(sessions, "2025-03-18T21:00:00")
    await _run(sessions, "2025-03-21T12:00:00")
    before = await read_owed(sessions)
    key = f"milestone:{halt.id}"
    assert before[(READER, f"{key}:start")][0] == "sent"
    assert before[(READER, f"{key}:end")] == ("pending", at("2025-04-17T00:00:00"))
    assert (LATECOMER, f"{key}:start") not in before

    outcome = await edits.edit(sessions, halt.id, [("end", "2025-04-16")], editor=ALICE, at=at("2025-03-22T12:00:00"))
    assert outcome.told == 1
    await _run(sessions, "2025-03-22T12:00:01", commitment_ids=[halt.id])
    after = await read_owed(sessions)
    corrections = {(chat, k): v for (chat, k), v in after.items() if k.startswith("correction:")}
    assert corrections == {(READER, f"correction:{outcome.edit_ids[0]}"): ("pending", at("2025-03-22T12:00:00"))}
    assert after[(READER, f"{key}:start")] == before[(READER, f"{key}:start")], "what went out stays sent"
    for chat in (READER, LATECOMER):
        assert after[(chat, f"{key}:end")] == ("pending", at("2025-04-16T00:00:00"))
        assert after[(chat, f"{key}:before_end-3")] == ("pending", at("2025-04-13T00:00:00"))
        assert after[(chat, f"{key}:before_end-1")] == ("pending", at("2025-04-15T00:00:00"))

    # Running again owes nothing more: one correction, once.
    await _run(sessions, "2025-03-22T12:00:02")
    await _run(sessions, "2025-03-22T12:00:03", commitment_ids=[halt.id])
    assert await read_owed(sessions) == after

    # A later source with the old (or another) end: a conflict alerted to subscribers, the end stays corrected.
    await load_article(sessions, LATER)
    await _run(sessions, "2025-03-25T10:00:00")
    [view] = await tracked(sessions)
    assert view.end == dt.date(2025, 4, 16)
    owed = await read_owed(sessions)
    [conflict] = [c for c in view.conflicts if c.kind == "corrected_by_editor"]
    assert owed[(READER, f"conflict:{conflict.id}")][0] == "pending"
    assert owed[(READER, f"{key}:end")] == ("pending", at("2025-04-16T00:00:00"))


async def test_a_retraction_cancels_what_was_pending_and_corrects_who_heard(sessions: Sessions) -> None:
    await load_article(sessions, HALT)
    [halt] = await tracked(sessions)
    await _chat(sessions, READER, "2025-03-17T20:00:00")
    await _run(sessions, "2025-03-18T21:00:00")
    await _sent_until(sessions, "2025-03-18T21:00:00")
    outcome = await edits.retract(sessions, halt.id, editor=ALICE, at=at("2025-03-20T09:00:00"), reason="an idea")
    assert outcome.told == 1
    owed = await read_owed(sessions)
    pending = {k: v for k, v in owed.items() if v[0] == "pending"}
    assert pending == {(READER, f"correction:{outcome.edit_ids[0]}"): ("pending", at("2025-03-20T09:00:00"))}
    await _run(sessions, "2025-03-20T09:00:01")
    await _run(sessions, "2025-03-20T09:00:02", commitment_ids=[halt.id])
    assert await read_owed(sessions) == owed, "reconcile plans nothing for a retracted commitment"


async def test_review_mode_owes_subscribers_nothing_until_confirmed_and_then_only_what_comes(
    sessions: Sessions,
) -> None:
    await _chat(sessions, READER, "2025-03-17T20:00:00")
    await _chat(sessions, ADMIN_CHAT, None)  # an admin who has talked to the bot
    await load_article(sessions, HALT, review=True)
    [halt] = await tracked(sessions)
    await _run(sessions, "2025-03-18T21:00:00", reviewers=[ADMIN_CHAT, 999])
    owed = await read_owed(sessions)
    card = f"review:commitment:{halt.id}"
    assert owed == {(ADMIN_CHAT, card): ("pending", at("2025-03-18T21:00:00"))}, "only the card, only to a reviewer"
    await _run(sessions, "2025-03-19T12:00:00", reviewers=[ADMIN_CHAT])
    assert await read_owed(sessions) == owed, "once"

    await edits.decide(
        sessions, "commitment", halt.id, confirm=True, editor=ALICE, at=at("2025-03-22T12:00:00"), version=halt.version
    )
    await _run(sessions, "2025-03-22T12:00:01", commitment_ids=[halt.id], reviewers=[ADMIN_CHAT])
    owed = await read_owed(sessions)
    assert owed[(ADMIN_CHAT, card)][0] == "cancelled", "decided before it went out: the card is not sent"
    milestones = {k.rsplit(":", 1)[1]: v for (chat, k), v in owed.items() if chat == READER}
    assert "start" not in milestones, "the start (18 March) was before the confirmation: not sent late as missed"
    assert milestones["halfway"][0] == "pending"
    assert milestones["end"] == ("pending", at("2025-04-17T00:00:00"))


async def test_a_rejected_item_leaves_the_queue_and_owes_nothing(sessions: Sessions) -> None:
    await _chat(sessions, READER, "2025-03-17T20:00:00")
    await _chat(sessions, ADMIN_CHAT, None)
    await load_article(sessions, HALT, review=True)
    [halt] = await tracked(sessions)
    await _run(sessions, "2025-03-18T21:00:00", reviewers=[ADMIN_CHAT])
    await edits.decide(sessions, "commitment", halt.id, confirm=False, editor=ALICE, at=at("2025-03-18T22:00:00"))
    await _run(sessions, "2025-03-18T22:00:01", reviewers=[ADMIN_CHAT])
    owed = await read_owed(sessions)
    assert owed == {(ADMIN_CHAT, f"review:commitment:{halt.id}"): ("cancelled", at("2025-03-18T21:00:00"))}
