"""Reconcile on a replay, on SQLite and PostgreSQL: plans follow what is published by the bot's clock — a
commitment, a later source, a fulfilment or a day-only publication counts from the moment it is out, not from
when it was loaded."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from articles.model import parse_moment
from schedules.reconcile import ReconcileResult
from storage import chats
from storage.models import AlertRow, ArticleRow, CommitmentRow, CommitmentSourceRow, ReportRow
from tests.schedules.helpers import (
    NOTHING,
    _by_state,
    _chat,
    _follows,
    _halt,
    _milestones,
    _one_query,
    _run,
    _set_state,
    _states,
    at,
    read_owed,
)
from tracking.model import moment_utc

Sessions = async_sessionmaker[AsyncSession]


async def _article(session: AsyncSession, published: str) -> int:
    """An article published at ``published`` (ISO: a day alone, or a time with its offset)."""
    moment = parse_moment(published)
    assert moment is not None
    row = ArticleRow(
        content_hash=uuid.uuid4().hex,
        path="news.txt",
        language="en",
        title=f"published {published}",
        published=published,
        published_utc=moment_utc(moment),
    )
    session.add(row)
    await session.flush()
    return row.id


async def _published(sessions: Sessions, published: str, row: CommitmentSourceRow | ReportRow) -> None:
    """``row`` stored with the article it comes from, published at ``published``, in one transaction."""
    async with sessions() as session, session.begin():
        row.article_id = await _article(session, published)
        session.add(row)


async def _source(sessions: Sessions, cid: int, published: str, **said: Any) -> None:
    """An article published at ``published`` that reports the commitment with the fields ``said`` (the halt's
    own dates unless given). The commitment row stays as the test stored it: the merge over every source."""
    fields: dict[str, Any] = {"start": "2025-03-18", "end": "2025-04-17", "duration_days": 30, "status": "agreed"}
    source = CommitmentSourceRow(
        commitment_id=cid,
        actors=["Russia", "Ukraine"],
        scope="energy infrastructure",
        conditions=[],
        evidence="...",
        **(fields | said),
    )
    await _published(sessions, published, source)


async def _report(
    sessions: Sessions, cid: int, published: str, kind: str, about: str, day: dt.date | None, quantity: int | None
) -> None:
    report = ReportRow(
        commitment_id=cid,
        kind=kind,
        about=about,
        accused=[],
        claimed_by=None,
        date=day,
        quantity=quantity,
        evidence="...",
    )
    await _published(sessions, published, report)


async def _payload(sessions: Sessions, key: str) -> dict[str, Any]:
    async with sessions() as session:
        payload = await session.scalar(select(AlertRow.payload).where(AlertRow.key == key))
        assert payload is not None
        return dict(payload)


async def test_a_commitment_is_alerted_only_once_its_first_article_is_out(
    sessions: Sessions, engine: AsyncEngine
) -> None:
    """All articles are loaded, the clock is before the only one: no deliveries, and an idle run stays one query
    although the next publication is ahead; once the clock passes it (no write in between), everything owed comes
    at once. A replay started again earlier takes the pending ones back."""
    cid = await _halt(sessions)
    await _source(sessions, cid, "2025-03-20T09:00:00+00:00")
    await _follows(sessions, 1, None, "2025-03-01T00:00:00+00:00")

    assert await _run(sessions, "2025-03-19T00:00:00+00:00") == NOTHING
    assert not await read_owed(sessions)
    with _one_query(engine):
        assert await _run(sessions, "2025-03-20T08:59:59+00:00") == NOTHING

    # Published at 09:00: the chat follows everything since 1 March, so the start (18 March) is owed too, late.
    assert await _run(sessions, "2025-03-20T09:00:00+00:00") == ReconcileResult(created=5)
    owed = _milestones(cid, 1, await read_owed(sessions))
    assert set(owed) == {"start", "halfway", "before_end-3", "before_end-1", "end"}
    assert all(state == "pending" for state, _ in owed.values())
    assert await _run(sessions, "2025-03-20T09:00:01+00:00") == NOTHING

    await _set_state(sessions, 1, f"milestone:{cid}:start", "sent")
    assert await _run(sessions, "2025-03-19T00:00:00+00:00") == ReconcileResult(cancelled=4)
    assert await _states(sessions, cid, 1) == _by_state(
        sent=["start"], cancelled=["halfway", "before_end-3", "before_end-1", "end"]
    )
    assert await _run(sessions, "2025-03-21T00:00:00+00:00") == ReconcileResult(created=4)
    assert _milestones(cid, 1, await read_owed(sessions))["start"][0] == "sent"


async def test_a_later_source_moves_pending_deliveries_only_once_published(sessions: Sessions) -> None:
    """The first article says 30 days, one published on 3 April says 40 (the stored merge has 40). Until 3 April
    the plan, and the alert's title fields, are those of the first; after it, pending deliveries move and the
    halfway alert, already sent on 2 April, is not sent again."""
    cid = await _halt(sessions, end="2025-04-27", days=40)
    await _source(sessions, cid, "2025-03-17T12:00:00+00:00")
    await _source(sessions, cid, "2025-04-03T12:00:00+00:00", end="2025-04-27", duration_days=40)
    await _report(sessions, cid, "2025-04-10T00:00:00+00:00", "extension", "strike_halt", None, None)
    await _follows(sessions, 1, cid, "2025-03-18T00:00:00+00:00")

    assert await _run(sessions, "2025-03-18T00:00:00+00:00") == ReconcileResult(created=5)
    first_plan = {
        "start": ("pending", at("2025-03-18T00:00:00+00:00")),
        "halfway": ("pending", at("2025-04-02T00:00:00+00:00")),
        "before_end-3": ("pending", at("2025-04-14T00:00:00+00:00")),
        "before_end-1": ("pending", at("2025-04-16T00:00:00+00:00")),
        "end": ("pending", at("2025-04-17T00:00:00+00:00")),
    }
    assert _milestones(cid, 1, await read_owed(sessions)) == first_plan
    end_key = f"milestone:{cid}:end"
    assert (await _payload(sessions, end_key))["item"]["duration_days"] == 30
    await _set_state(sessions, 1, f"milestone:{cid}:start", "sent")
    await _set_state(sessions, 1, f"milestone:{cid}:halfway", "sent")

    assert await _run(sessions, "2025-04-03T11:59:59+00:00") == NOTHING
    assert await _run(sessions, "2025-04-03T11:59:59+00:00", commitment_ids=[cid]) == NOTHING
    assert await _run(sessions, "2025-04-03T12:00:00+00:00") == ReconcileResult(rescheduled=3)
    assert _milestones(cid, 1, await read_owed(sessions)) == {
        "start": ("sent", at("2025-03-18T00:00:00+00:00")),
        "halfway": ("sent", at("2025-04-02T00:00:00+00:00")),  # would be 7 April now; it went out
        "before_end-3": ("pending", at("2025-04-24T00:00:00+00:00")),
        "before_end-1": ("pending", at("2025-04-26T00:00:00+00:00")),
        "end": ("pending", at("2025-04-27T00:00:00+00:00")),
    }
    payload = await _payload(sessions, end_key)
    assert (payload["item"]["duration_days"], payload["extended"]) == (40, False)

    # The extension is reported on 10 April: the end alert says so from then on, its date stays.
    assert await _run(sessions, "2025-04-09T23:59:59+00:00") == NOTHING
    assert not (await _payload(sessions, end_key))["extended"]
    assert await _run(sessions, "2025-04-10T00:00:00+00:00") == NOTHING
    assert (await _payload(sessions, end_key))["extended"]
    assert _milestones(cid, 1, await read_owed(sessions))["end"] == ("pending", at("2025-04-27T00:00:00+00:00"))


async def test_a_fulfilment_reported_later_replaces_due_and_overdue_only_once_published(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        row = CommitmentRow(
            kind="prisoner_exchange",
            actors=["Russia", "Ukraine"],
            scope=None,
            conditions=[],
            due="2025-03-25",
            quantity=23,
            status="agreed",
        )
        session.add(row)
        await session.flush()
        cid = row.id
    await _source(
        sessions, cid, "2025-03-20T10:00:00+00:00", start=None, end=None, duration_days=None, due="2025-03-25"
    )
    await _report(
        sessions, cid, "2025-03-24T18:00:00+00:00", "fulfilment", "prisoner_exchange", dt.date(2025, 3, 24), 22
    )
    await _follows(sessions, 1, None, "2025-03-20T10:00:00+00:00")

    assert await _run(sessions, "2025-03-20T10:00:00+00:00") == ReconcileResult(created=3)
    assert _milestones(cid, 1, await read_owed(sessions)) == {
        "due_before-1": ("pending", at("2025-03-24T00:00:00+00:00")),
        "due": ("pending", at("2025-03-25T00:00:00+00:00")),
        "overdue": ("pending", at("2025-03-26T00:00:00+00:00")),
    }
    await _set_state(sessions, 1, f"milestone:{cid}:due_before-1", "sent")
    assert await _run(sessions, "2025-03-24T17:59:59+00:00") == NOTHING

    # Reported at 18:00 for that day: "fulfilled" is owed (late), "due" and "overdue" would be stale news.
    assert await _run(sessions, "2025-03-24T18:00:00+00:00") == ReconcileResult(created=1, cancelled=2)
    assert _milestones(cid, 1, await read_owed(sessions)) == {
        "due_before-1": ("sent", at("2025-03-24T00:00:00+00:00")),
        "due": ("cancelled", at("2025-03-25T00:00:00+00:00")),
        "overdue": ("cancelled", at("2025-03-26T00:00:00+00:00")),
        "fulfilled": ("pending", at("2025-03-24T00:00:00+00:00")),
    }
    payload = await _payload(sessions, f"milestone:{cid}:fulfilled")
    assert (payload["promised"], payload["delivered"]) == (23, 22)


async def test_a_publication_given_as_a_day_is_known_from_midnight_in_each_chats_zone(sessions: Sessions) -> None:
    """Published "2025-03-20": Kyiv's midnight is 22:00 UTC the evening before, so its chat hears first; no write
    happens in between, only the clock moves."""
    cid = await _halt(sessions)
    await _source(sessions, cid, "2025-03-20")
    await _chat(sessions, 1, "UTC")
    await _chat(sessions, 2, "Europe/Kyiv")
    for chat_id in (1, 2):
        await chats.subscribe(sessions, chat_id, None, at=at("2025-03-01T00:00:00+00:00"))

    assert await _run(sessions, "2025-03-19T21:59:59+00:00") == NOTHING
    assert await _run(sessions, "2025-03-19T22:00:00+00:00") == ReconcileResult(created=5)
    owed = await read_owed(sessions)
    assert not _milestones(cid, 1, owed)
    assert _milestones(cid, 2, owed)["end"] == ("pending", at("2025-04-17T00:00:00+03:00"))
    assert await _run(sessions, "2025-03-19T23:59:59+00:00") == NOTHING
    assert await _run(sessions, "2025-03-20T00:00:00+00:00") == ReconcileResult(created=5)
    assert _milestones(cid, 1, await read_owed(sessions))["end"] == ("pending", at("2025-04-17T00:00:00+00:00"))


async def test_a_source_loaded_later_but_published_earlier_is_picked_up_at_once(sessions: Sessions) -> None:
    """The new source leaves the merged row as it was; only its publication makes the commitment known now."""
    cid = await _halt(sessions)
    await _source(sessions, cid, "2025-03-25T00:00:00+00:00")
    await _follows(sessions, 1, cid, "2025-03-19T00:00:00+00:00")
    assert await _run(sessions, "2025-03-21T00:00:00+00:00") == NOTHING

    await _source(sessions, cid, "2025-03-20T00:00:00+00:00")
    assert await _run(sessions, "2025-03-21T00:00:01+00:00") == ReconcileResult(created=4)
