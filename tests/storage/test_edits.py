"""Editors' changes on SQLite and PostgreSQL: every change is an edit row; bad values, unknown ids, a merge into
itself and a second retraction write nothing; an editor's value wins over later articles (stored, shown, and a
conflict naming both values); review mode keeps what an article is first to report unconfirmed, and of two
concurrent confirmations exactly one wins."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import chats, edits
from storage.edits import EditError, Editor
from storage.loader import load_article
from storage.models import (
    AlertRow,
    CommitmentRow,
    CommitmentSourceRow,
    ConflictRow,
    DeliveryRow,
    EditRow,
    MuteRow,
    ReportRow,
    SubscriptionRow,
)
from storage.queries import data_version, tracked
from tests.tracking.factories import article, commitment, release, report

Sessions = async_sessionmaker[AsyncSession]
ALICE = Editor("Alice", 101)
BOB = Editor("Bob", 102)
AT = dt.datetime(2025, 3, 22, 12, tzinfo=dt.UTC)
D = dt.date

HALT = article("Kremlin pauses strikes on power grid for a month", commitments=(commitment(),))
# A later source that counts the end a day later (18 April): after an editor set 16 April, a conflict, not a change.
LATER = article(
    "Energy truce runs until April 18, Kyiv says",
    commitments=(commitment(end=D(2025, 4, 18), duration_days=None),),
    published=dt.datetime(2025, 3, 25, 9, tzinfo=dt.UTC),
)
EXCHANGE = article(
    "Russia and Ukraine to swap 175 prisoners",
    commitments=(
        release(
            kind="prisoner_exchange",
            actors=("Russia", "Ukraine"),
            quantity=175,
            evidence="Russia and Ukraine will exchange 175 prisoners each on Wednesday.",
        ),
    ),
)
SWAP_AGAIN = article(
    "Kyiv confirms the 175-for-175 exchange",
    commitments=(
        release(
            kind="prisoner_exchange",
            actors=("Ukraine",),
            due=D(2025, 3, 20),
            quantity=175,
            evidence="Ukraine said the exchange of 175 prisoners would take place on Thursday.",
        ),
    ),
    published=dt.datetime(2025, 3, 19, 8, tzinfo=dt.UTC),
    language="en",
)
CLAIM = article(
    "Kyiv says Russian drones hit a power plant",
    reports=(report(date=D(2025, 3, 21)),),
    published=dt.datetime(2025, 3, 21, 10, tzinfo=dt.UTC),
)


async def _load(sessions: Sessions, *articles: object, review: bool = False) -> list[int]:
    created: list[int] = []
    for item in articles:
        outcome = await load_article(sessions, item, review=review)  # type: ignore[arg-type]
        created += [ref.id for ref in outcome.created]
    return created


async def _count(sessions: Sessions, row: type[object]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(row)) or 0)


async def _snapshot(sessions: Sessions) -> tuple[object, ...]:
    """Everything an edit could touch, to show that a refused one touched nothing."""
    async with sessions() as session:
        rows = (await session.execute(select(CommitmentRow).order_by(CommitmentRow.id))).scalars().all()
        fields: tuple[str, ...] = ("kind", "actors", "scope", "start", "end", "due", "duration_days", "quantity")
        fields += ("status", "review", "version", "title", "corrected", "merged_into_id")
        commitments = [(r.id, *(getattr(r, name) for name in fields)) for r in rows]
        reports = list((await session.execute(select(ReportRow.id, ReportRow.commitment_id, ReportRow.review))).all())
        sources = list((await session.execute(select(CommitmentSourceRow.id, CommitmentSourceRow.commitment_id))).all())
        subscriptions = list(
            (await session.execute(select(SubscriptionRow.chat_id, SubscriptionRow.commitment_id))).all()
        )
    counts = [await _count(sessions, row) for row in (EditRow, AlertRow, DeliveryRow)]
    return commitments, sorted(reports), sorted(sources), sorted(subscriptions), counts


async def test_a_correction_is_stored_as_edits_and_an_end_follows_a_new_start(sessions: Sessions) -> None:
    [halt] = await _load(sessions, HALT)
    outcome = await edits.edit(
        sessions, halt, [("start", "2025-03-19")], editor=ALICE, at=AT, reason="Kremlin readout: from the 19th"
    )
    assert [(c.field, c.old, c.new, c.derived) for c in outcome.changes] == [
        ("start", "2025-03-18", "2025-03-19", False),
        ("end", "2025-04-17", "2025-04-18", True),  # start + 30 days, as the loader derives it
    ]
    [view] = await tracked(sessions, [halt])
    assert (view.start, view.end, view.version) == (D(2025, 3, 19), D(2025, 4, 18), 2)
    assert view.corrected_fields == {"start", "end"}
    _, history = await edits.history(sessions, halt)
    assert [(e.action, e.field, e.old, e.new, e.editor, e.reason) for e in history] == [
        ("edit", "end", "2025-04-17", "2025-04-18", "Alice", "Kremlin readout: from the 19th"),
        ("edit", "start", "2025-03-18", "2025-03-19", "Alice", "Kremlin readout: from the 19th"),
    ], "newest first"
    assert all(e.at == AT for e in history)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("end", "tomorrowish", "date"),
        ("end", "2025-02-30", "date"),
        ("end", "2025-04-16 18:00 Mars/Olympus", "date"),
        ("end", "2025-03-01", "order"),  # before the start
        ("duration", "forever", "duration"),
        ("quantity", "many", "quantity"),
        ("parties", "Russia, Narnia", "parties"),
        ("kind", "truce-ish", "kind"),
        ("status", "maybe", "status"),
        ("colour", "red", "field"),
        ("end", "2025-04-17", "same"),
    ],
)
async def test_a_bad_value_names_what_is_accepted_and_writes_nothing(
    sessions: Sessions, field: str, value: str, expected: str
) -> None:
    [halt] = await _load(sessions, HALT)
    before = await _snapshot(sessions)
    with pytest.raises(EditError) as refused:
        # The good first change must not be written either: all of one edit or none.
        await edits.edit(sessions, halt, [("quantity", "12"), (field, value)], editor=ALICE, at=AT)
    assert refused.value.reason == "invalid"
    assert refused.value.invalid is not None
    assert refused.value.invalid.expected == expected
    assert await _snapshot(sessions) == before


async def test_values_are_read_as_articles_give_them(sessions: Sessions) -> None:
    [halt] = await _load(sessions, HALT)
    changes = [
        ("due", "2025-04-16 18:00 Europe/Moscow"),
        ("duration", "45 Tage"),
        ("quantity", "1,000 prisoners"),
        ("parties", "Russland und die Ukraine"),
        ("kind", "maritime ceasefire"),
        ("status", "in force"),
        ("title", "Energy truce"),
    ]
    await edits.edit(sessions, halt, changes, editor=ALICE, at=AT, language="de")
    [view] = await tracked(sessions, [halt])
    assert view.due == dt.datetime(2025, 4, 16, 18, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert (view.duration_days, view.end, view.quantity, view.actors) == (
        45,
        D(2025, 5, 2),
        1000,
        ("Russia", "Ukraine"),
    )
    assert (view.kind, view.status, view.title) == ("maritime_ceasefire", "in_force", "Energy truce")


async def test_unknown_ids_and_gone_commitments_are_refused(sessions: Sessions) -> None:
    [halt] = await _load(sessions, HALT)
    before = await _snapshot(sessions)
    with pytest.raises(EditError) as unknown:
        await edits.edit(sessions, 999, [("end", "2025-04-16")], editor=ALICE, at=AT)
    assert unknown.value.reason == "unknown"
    with pytest.raises(EditError) as no_report:
        await edits.retract_report(sessions, 999, editor=ALICE, at=AT)
    assert no_report.value.reason == "unknown_report"
    with pytest.raises(EditError) as itself:
        await edits.merge(sessions, halt, halt, editor=ALICE, at=AT)
    assert itself.value.reason == "same"
    assert await _snapshot(sessions) == before


async def test_retracting_twice_says_so_and_changes_nothing_the_second_time(sessions: Sessions) -> None:
    [halt] = await _load(sessions, HALT)
    await chats.ensure_chat(sessions, 7, type="private", title=None, language="en", timezone="UTC")
    await chats.subscribe(sessions, 7, halt, at=AT)
    await edits.retract(sessions, halt, editor=ALICE, at=AT, reason="never agreed")
    assert await tracked(sessions) == [], "a retracted commitment is not shown"
    assert await chats.subscriptions_of(sessions, 7) == (False, []), "nor listed among a chat's subscriptions"
    before = await _snapshot(sessions)
    with pytest.raises(EditError) as again:
        await edits.retract(sessions, halt, editor=BOB, at=AT)
    assert (again.value.reason, again.value.state, again.value.by) == ("already", "retracted", "Alice")
    with pytest.raises(EditError) as edit_gone:
        await edits.edit(sessions, halt, [("end", "2025-04-16")], editor=BOB, at=AT)
    assert (edit_gone.value.reason, edit_gone.value.state) == ("gone", "retracted")
    assert await _snapshot(sessions) == before


async def test_an_editors_value_wins_over_a_later_article_which_raises_a_conflict(sessions: Sessions) -> None:
    [halt] = await _load(sessions, HALT)
    await edits.edit(sessions, halt, [("end", "2025-04-16")], editor=ALICE, at=AT)
    outcome = await load_article(sessions, LATER)
    assert [ref.id for ref in outcome.merged] == [halt], "the later article is stored as a source of it"
    [view] = await tracked(sessions, [halt])
    assert view.end == D(2025, 4, 16), "the editor's value stays"
    assert [s.end for s in view.sources] == [D(2025, 4, 17), D(2025, 4, 18)], "the source keeps what it said"
    [conflict] = [c for c in view.conflicts if c.kind == "corrected_by_editor"]
    assert conflict.article_ids == (outcome.article_id,)
    assert conflict.facts is not None
    assert (conflict.facts.said, conflict.facts.corrected) == ("2025-04-18", "2025-04-16")
    assert not [c for c in view.conflicts if c.kind == "date_disagreement"], "the editor settled the end"
    # A source the editor had before them when correcting is what was corrected, not news.
    assert all(c.article_ids != (1,) for c in view.conflicts if c.kind == "corrected_by_editor")


async def test_merge_moves_sources_reports_and_followers_and_keeps_the_other_as_a_record(sessions: Sessions) -> None:
    [one] = await _load(sessions, EXCHANGE)
    await edits.edit(sessions, one, [("due", "2025-03-25")], editor=ALICE, at=AT)  # apart: the loader won't merge
    [two] = await _load(sessions, SWAP_AGAIN)
    assert one != two
    async with sessions() as session, session.begin():
        done = ReportRow(article_id=2, commitment_id=two, kind="fulfilment", about="prisoner_exchange", accused=[])
        done.claimed_by, done.date, done.quantity, done.evidence = "Ukraine", D(2025, 3, 20), 175, "Done."
        session.add(done)
    for chat in (7, 8):
        await chats.ensure_chat(sessions, chat, type="private", title=None, language="en", timezone="UTC")
    await chats.subscribe(sessions, 7, two, at=AT)
    await chats.subscribe(sessions, 8, one, at=AT)
    await chats.subscribe(sessions, 8, two, at=AT)
    version = await data_version(sessions)

    outcome = await edits.merge(sessions, two, one, editor=ALICE, at=AT, reason="one exchange")
    assert outcome.merged is not None
    assert outcome.merged.review == "merged"
    [kept] = await tracked(sessions)
    assert kept.id == one
    assert [s.article_id for s in kept.sources] == [1, 2]
    assert [r.kind for r in kept.reports] == ["fulfilment"]
    assert kept.actors == ("Russia", "Ukraine")
    assert kept.due == D(2025, 3, 25), "the one merged into keeps its (corrected) values"
    async with sessions() as session:
        followers = sorted(
            (await session.execute(select(SubscriptionRow.chat_id, SubscriptionRow.commitment_id))).all()
        )
    assert followers == [(7, one), (8, one)]
    assert await data_version(sessions) != version, "the status cache sees the merge"
    _, went = await edits.history(sessions, two)
    assert [(e.action, e.field, e.new) for e in went] == [("merge", "merged_into", one)]
    with pytest.raises(EditError) as again:
        await edits.merge(sessions, two, one, editor=ALICE, at=AT)
    assert (again.value.reason, again.value.state, again.value.other) == ("gone", "merged", one)


async def test_mutes_follow_a_merge_unless_the_chat_follows_the_other(sessions: Sessions) -> None:
    [one] = await _load(sessions, EXCHANGE)
    await edits.edit(sessions, one, [("due", "2025-03-25")], editor=ALICE, at=AT)
    [two] = await _load(sessions, SWAP_AGAIN)
    await chats.ensure_chat(sessions, 9, type="private", title=None, language="en", timezone="UTC")
    await chats.subscribe(sessions, 9, None, at=AT)
    await chats.unsubscribe(sessions, 9, two)  # "everything" but this one: a mute
    await edits.merge(sessions, two, one, editor=ALICE, at=AT)
    async with sessions() as session:
        assert list((await session.execute(select(MuteRow.chat_id, MuteRow.commitment_id))).all()) == [(9, one)]


async def test_retracting_a_report_takes_it_and_its_conflicts_out(sessions: Sessions) -> None:
    [halt] = await _load(sessions, HALT)
    await load_article(sessions, CLAIM)
    [view] = await tracked(sessions, [halt])
    [claim] = view.reports
    assert [c.kind for c in view.conflicts] == ["violation_in_force"]
    outcome = await edits.retract_report(sessions, claim.id, editor=ALICE, at=AT, reason="misread")
    assert outcome.report is not None
    [view] = await tracked(sessions, [halt])
    assert (view.reports, view.conflicts) == ((), ())
    with pytest.raises(EditError) as again:
        await edits.retract_report(sessions, claim.id, editor=BOB, at=AT)
    assert (again.value.reason, again.value.target, again.value.by) == ("already", "report", "Alice")
    _, history = await edits.history(sessions, halt)
    assert [(e.action, e.report_id, e.reason) for e in history] == [("retract", claim.id, "misread")]


async def test_review_mode_keeps_new_commitments_and_reports_unconfirmed_without_conflicts(sessions: Sessions) -> None:
    [halt] = await _load(sessions, HALT, review=True)
    [view] = await tracked(sessions, [halt])
    assert view.review == "unconfirmed"
    assert await _count(sessions, ConflictRow) == 0
    # Confirmed, a later claim in review mode waits too, and raises its conflict only once confirmed.
    await edits.decide(sessions, "commitment", halt, confirm=True, editor=ALICE, at=AT, version=view.version)
    await load_article(sessions, CLAIM, review=True)
    [view] = await tracked(sessions, [halt])
    assert (view.review, view.reports, view.conflicts, view.alerts_from) == ("confirmed", (), (), AT)
    waiting = await edits.queue(sessions)
    assert ([t.id for t in waiting.commitments], [r.kind for r, _ in waiting.reports]) == ([], ["violation"])
    [(claim, _)] = waiting.reports
    await edits.decide(sessions, "report", claim.id, confirm=True, editor=ALICE, at=AT)
    [view] = await tracked(sessions, [halt])
    assert [c.kind for c in view.conflicts] == ["violation_in_force"]
    assert len(await edits.queue(sessions)) == 0


async def test_of_two_concurrent_confirmations_exactly_one_wins(sessions: Sessions) -> None:
    [halt] = await _load(sessions, HALT, review=True)
    [view] = await tracked(sessions, [halt])
    results = await asyncio.gather(
        *(
            edits.decide(sessions, "commitment", halt, confirm=who is ALICE, editor=who, at=AT, version=view.version)
            for who in (ALICE, BOB, ALICE, BOB)
        ),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, edits.Outcome)]
    lost = [r for r in results if isinstance(r, EditError)]
    assert (len(won), len(lost)) == (1, 3)
    assert {e.reason for e in lost} == {"already"}
    state = won[0].commitment
    assert state is not None
    assert {e.state for e in lost} == {state.review}
    async with sessions() as session:
        decisions = await session.scalar(select(func.count()).select_from(EditRow).where(EditRow.commitment_id == halt))
    assert decisions == 1


async def test_a_card_older_than_its_item_is_refused_as_stale(sessions: Sessions) -> None:
    [halt] = await _load(sessions, HALT, review=True)
    [view] = await tracked(sessions, [halt])
    await edits.edit(sessions, halt, [("end", "2025-04-16")], editor=BOB, at=AT)
    with pytest.raises(EditError) as stale:
        await edits.decide(sessions, "commitment", halt, confirm=True, editor=ALICE, at=AT, version=view.version)
    assert stale.value.reason == "stale"
    [view] = await tracked(sessions, [halt])
    assert view.review == "unconfirmed"
    rejected = await edits.decide(
        sessions, "commitment", halt, confirm=False, editor=ALICE, at=AT, version=view.version
    )
    assert rejected.commitment is not None
    assert rejected.commitment.review == "rejected"
    assert await tracked(sessions) == []
