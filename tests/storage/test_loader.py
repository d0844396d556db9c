"""Loading articles: duplicates, merging across languages, linking reports, conflicts, one transaction each."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import loader
from storage.loader import CommitmentRef, LoadOutcome, load_article
from storage.queries import tracked
from tests.storage.helpers import row_counts
from tests.tracking.factories import D, article, commitment, release, report
from tracking.model import ConflictFacts, ConflictView
from tracking.status import status_document

CET = dt.timezone(dt.timedelta(hours=1))
MSK = dt.timezone(dt.timedelta(hours=3))
Sessions = async_sessionmaker[AsyncSession]

ENGLISH = article(
    "Putin orders 30-day halt to strikes on Ukraine's energy infrastructure",
    commitments=(commitment(conditions=("if Kyiv does the same",)),),
    reports=(report(kind="reaction", accused=(), claimed_by="Ukraine", date=D(2025, 3, 18)),),
    published=dt.datetime(2025, 3, 18, 20, 51, tzinfo=CET),
    path="examples/articles/en_energy-halt.txt",
)
GERMAN = article(
    "Putin ordnet 30-tägigen Verzicht auf Angriffe gegen Energieanlagen an",
    commitments=(commitment(scope="Energy infrastructure", status="in_force", evidence="Putin ordnete an, ..."),),
    language="de",
    published=dt.datetime(2025, 3, 19, 7, 30, tzinfo=CET),
    path="examples/articles/de_energie-moratorium.txt",
)
ACCUSATION = article(
    "Kyiv accuses Moscow of breaking the energy moratorium",
    # "... despite the moratorium Putin ordered on Tuesday"
    reports=(report(date=D(2025, 3, 19)),),
    published=dt.date(2025, 3, 20),
)
DENIAL = article(
    "Kreml weist Vorwürfe zurück",
    reports=(report(kind="denial", accused=(), claimed_by="Russia", date=D(2025, 3, 20)),),
    language="de",
    published=dt.datetime(2025, 3, 20, 18, 0, tzinfo=CET),
)
LATER_START = article(
    "Kyiv: for us the energy truce only counts from 25 March",
    commitments=(commitment(actors=("Russia", "Ukraine"), start=D(2025, 3, 25), end=D(2025, 4, 24)),),
    published=dt.date(2025, 3, 25),
)
PROMISE = article(
    "Russia to hand over 23 seriously wounded soldiers",
    commitments=(release(),),
    published=dt.date(2025, 3, 18),
)
HANDOVER = article(
    "22 wounded soldiers are back home, Kyiv says",
    reports=(report(kind="fulfilment", about="release", accused=(), claimed_by="Ukraine", quantity=22),),
    published=dt.date(2025, 3, 19),
)


async def test_a_new_article_creates_its_commitment_and_links_its_own_reports(sessions: Sessions) -> None:
    outcome = await load_article(sessions, ENGLISH)
    assert not outcome.duplicate
    assert outcome.title == ENGLISH.title
    [halt] = await tracked(sessions)
    assert outcome.created == [CommitmentRef(halt.id, "Russia: strike halt — energy infrastructure, 30 days")]
    assert outcome.merged == []
    [report_view] = halt.reports
    assert outcome.linked == [(report_view.id, halt.id)]
    assert outcome.unlinked == []
    assert outcome.conflicts == []
    assert (halt.start, halt.end, halt.duration_days, halt.status) == (D(2025, 3, 18), D(2025, 4, 17), 30, "announced")
    assert halt.conditions == ("if Kyiv does the same",)
    [source] = halt.sources
    assert (source.article_id, source.title, source.language, source.path) == (
        outcome.article_id,
        ENGLISH.title,
        "en",
        "examples/articles/en_energy-halt.txt",
    )
    assert source.published == dt.datetime(2025, 3, 18, 20, 51, tzinfo=CET)
    assert report_view.source_title == ENGLISH.title


async def test_loading_the_same_article_twice_changes_nothing(sessions: Sessions) -> None:
    first = await load_article(sessions, ENGLISH)
    before = await row_counts(sessions)
    again = await load_article(sessions, ENGLISH)
    assert again.duplicate
    assert again.article_id == first.article_id
    assert (again.created, again.merged, again.linked, again.unlinked, again.conflicts) == ([], [], [], [], [])
    assert await row_counts(sessions) == before
    assert before == {
        "articles": 1,
        "commitments": 1,
        "commitment_sources": 1,
        "reports": 1,
        "conflicts": 0,
        "conflict_reports": 0,
        "conflict_articles": 0,
    }


async def test_german_and_english_reports_of_one_halt_become_one_commitment(sessions: Sessions) -> None:
    english = await load_article(sessions, ENGLISH)
    german = await load_article(sessions, GERMAN)
    [halt] = await tracked(sessions)
    assert german.created == []
    assert german.merged == [CommitmentRef(halt.id, "Russia: strike halt — energy infrastructure, 30 days")]
    assert [(s.article_id, s.language) for s in halt.sources] == [(english.article_id, "en"), (german.article_id, "de")]
    assert halt.status == "in_force"  # the stronger status wins
    assert halt.scope == "energy infrastructure"  # the first wording stays
    assert german.conflicts == []  # both count from 18 March


async def test_a_later_article_referring_back_links_its_report(sessions: Sessions) -> None:
    await load_article(sessions, ENGLISH)
    outcome = await load_article(sessions, ACCUSATION)
    [halt] = await tracked(sessions)
    accusation = next(r for r in halt.reports if r.kind == "violation")
    assert outcome.linked == [(accusation.id, halt.id)]
    assert outcome.created == []


async def test_a_report_waits_for_its_commitment(sessions: Sessions) -> None:
    early = await load_article(sessions, ACCUSATION)
    assert early.linked == []
    [waiting] = early.unlinked
    outcome = await load_article(sessions, ENGLISH)
    [halt] = await tracked(sessions)
    assert (waiting, halt.id) in outcome.linked
    assert [c.kind for c in outcome.conflicts] == ["violation_in_force"]


def _the_conflict(found: LoadOutcome, kind: str, *between: LoadOutcome) -> tuple[ConflictView, ConflictFacts]:
    """The one conflict a load found, of ``kind`` and resting on the articles ``between`` stored, with its facts."""
    [conflict] = found.conflicts
    assert conflict.kind == kind
    assert conflict.article_ids == tuple(outcome.article_id for outcome in between)
    facts = conflict.facts
    assert facts is not None
    return conflict, facts


async def test_violation_in_force_is_stored_with_its_sources(sessions: Sessions) -> None:
    english = await load_article(sessions, ENGLISH)
    outcome = await load_article(sessions, ACCUSATION)
    conflict, facts = _the_conflict(outcome, "violation_in_force", outcome, english)
    assert (facts.claimant, facts.accused) == ("Ukraine", ("Russia",))
    [halt] = await tracked(sessions)
    assert halt.conflicts == (conflict,)
    document = status_document([halt], dt.datetime(2025, 3, 22, 12, tzinfo=dt.UTC), ZoneInfo("Europe/Kyiv"))
    [entry] = document["commitments"]
    assert entry["disputed"] is True
    assert entry["conflicts"][0]["sources"] == [
        {"title": ACCUSATION.title, "path": ACCUSATION.path},
        {"title": ENGLISH.title, "path": ENGLISH.path},
    ]
    assert [r["source"] for r in entry["conflicts"][0]["reports"]] == [ACCUSATION.title]


async def test_claim_and_denial_are_stored_with_both_sources(sessions: Sessions) -> None:
    await load_article(sessions, ENGLISH)
    accusation = await load_article(sessions, ACCUSATION)
    denial = await load_article(sessions, DENIAL)
    _, facts = _the_conflict(denial, "claim_denied", accusation, denial)
    assert (facts.claim, facts.denier) == ("violation", "Russia")
    [halt] = await tracked(sessions)
    assert [c.kind for c in halt.conflicts] == ["violation_in_force", "claim_denied"]
    assert len(halt.conflicts[1].report_ids) == 2


async def test_sources_disagreeing_on_the_start_are_a_conflict(sessions: Sessions) -> None:
    english = await load_article(sessions, ENGLISH)
    later = await load_article(sessions, LATER_START)
    [halt] = await tracked(sessions)
    assert later.merged == [CommitmentRef(halt.id, "Russia, Ukraine: strike halt — energy infrastructure, 30 days")]
    assert halt.start == D(2025, 3, 18)  # the first source's dates stay
    assert [s.start for s in halt.sources] == [D(2025, 3, 18), D(2025, 3, 25)]  # and each source keeps its own
    _, facts = _the_conflict(later, "date_disagreement", english, later)
    assert dict(facts.dates)["start"] == (D(2025, 3, 18), D(2025, 3, 25))
    # A further source that agrees with the first raises nothing new.
    again = await load_article(sessions, GERMAN)
    assert again.conflicts == []
    assert len((await tracked(sessions))[0].conflicts) == 1


async def test_quantity_mismatch_is_stored_with_its_sources(sessions: Sessions) -> None:
    promise = await load_article(sessions, PROMISE)
    handover = await load_article(sessions, HANDOVER)
    [wounded] = await tracked(sessions)
    assert handover.linked == [(wounded.reports[0].id, wounded.id)]
    _, facts = _the_conflict(handover, "quantity_mismatch", promise, handover)
    assert (facts.promised, facts.delivered, facts.day) == (23, 22, D(2025, 3, 19))
    document = status_document([wounded], dt.datetime(2025, 3, 20, tzinfo=dt.UTC), ZoneInfo("UTC"))
    assert document["commitments"][0]["state"] == "fulfilled"


async def test_a_failing_article_leaves_nothing_behind(sessions: Sessions, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("injected after the first inserts")

    monkeypatch.setattr(loader, "link_report", broken)
    with pytest.raises(RuntimeError, match="injected"):
        await load_article(sessions, ENGLISH)
    assert set((await row_counts(sessions)).values()) == {0}
    monkeypatch.undo()

    outcome = await load_article(sessions, GERMAN)  # the next article loads fine
    assert len(outcome.created) == 1
    retried = await load_article(sessions, ENGLISH)  # and the failed one can be loaded again
    assert not retried.duplicate
    assert len(retried.merged) == 1
    counts = await row_counts(sessions)
    assert (counts["articles"], counts["commitments"], counts["commitment_sources"]) == (2, 1, 2)


async def test_same_commitment_twice_in_one_article_is_one_source(sessions: Sessions) -> None:
    twice = article(
        "Moratorium, headline repeated",
        commitments=(commitment(), commitment(evidence="repeated sentence")),
    )
    outcome = await load_article(sessions, twice)
    assert len(outcome.created) == 1
    assert outcome.merged == []
    [halt] = await tracked(sessions)
    assert len(halt.sources) == 1


async def test_timed_and_naive_values_survive_storage(sessions: Sessions) -> None:
    timed = article(
        "Truce from 6 pm Moscow time",
        commitments=(
            commitment(
                kind="ceasefire",
                scope=None,
                start=dt.datetime(2025, 4, 19, 18, 0, tzinfo=MSK),
                end=dt.datetime(2025, 4, 21, 0, 0, tzinfo=MSK),
                duration_days=None,
            ),
            commitment(kind="negotiations", scope=None, start=None, end=None, due=dt.datetime(2025, 5, 15, 10, 0)),
        ),
        published=dt.datetime(2025, 4, 19, 16, 30),
    )
    await load_article(sessions, timed)
    truce, talks = await tracked(sessions)
    assert truce.start == dt.datetime(2025, 4, 19, 18, 0, tzinfo=MSK)
    assert isinstance(truce.start, dt.datetime)
    assert truce.start.utcoffset() == dt.timedelta(hours=3)
    assert truce.end == dt.datetime(2025, 4, 21, 0, 0, tzinfo=MSK)
    assert talks.due == dt.datetime(2025, 5, 15, 10, 0)
    assert talks.sources[0].published == dt.datetime(2025, 4, 19, 16, 30)


async def test_concurrent_loads_queue_instead_of_duplicating(sessions: Sessions) -> None:
    outcomes = await asyncio.gather(
        load_article(sessions, ENGLISH),
        load_article(sessions, ENGLISH),
        load_article(sessions, GERMAN),
        load_article(sessions, ACCUSATION),
    )
    assert sorted(o.duplicate for o in outcomes[:2]) == [False, True]
    [halt] = await tracked(sessions)
    assert len(halt.sources) == 2
    assert len(halt.reports) == 2
    counts = await row_counts(sessions)
    assert (counts["articles"], counts["commitments"], counts["conflicts"]) == (3, 1, 1)


async def test_candidates_are_narrowed_to_the_articles_dates(sessions: Sessions) -> None:
    for year in (2019, 2025):
        start = D(year, 3, 18)
        await load_article(
            sessions,
            article(
                f"Halt of {year}",
                commitments=(commitment(start=start, end=start + dt.timedelta(days=30)),),
                published=start,
            ),
        )
    open_ended = commitment(kind="ceasefire", scope=None, start=D(2023, 1, 1), end=None, duration_days=None)
    await load_article(sessions, article("Open-ended truce", commitments=(open_ended,), published=D(2023, 1, 1)))
    dateless = commitment(kind="withdrawal", scope=None, start=None, end=None, duration_days=None)
    await load_article(sessions, article("Withdrawal, no dates", commitments=(dateless,), published=D(2025, 3, 10)))
    await load_article(sessions, article("Old withdrawal", commitments=(dateless,), published=D(2019, 3, 10)))

    later = article(
        "Kyiv reports strikes, a truce violation and troops leaving",
        reports=(
            report(date=D(2025, 3, 20)),
            report(about="ceasefire", date=D(2025, 3, 20)),
            report(kind="fulfilment", about="withdrawal", accused=(), date=None),
        ),
        published=D(2025, 3, 21),
    )
    async with sessions() as session:
        found = await loader._candidates(session, later)
    assert sorted((t.kind, *(s.title for s in t.sources)) for t in found) == [
        ("ceasefire", "Open-ended truce"),
        ("strike_halt", "Halt of 2025"),
        ("withdrawal", "Withdrawal, no dates"),
    ]
    outcome = await load_article(sessions, later)
    assert len(outcome.linked) == 3
