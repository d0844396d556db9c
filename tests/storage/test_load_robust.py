"""What a load refuses before writing and what it reconsiders so that the load order does not
change links or conflicts."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from articles.model import Article
from storage.db import migrate, session_factory
from storage.loader import UnstorableArticle, load_article
from storage.queries import tracked
from tests.conftest import Database
from tests.storage.helpers import row_counts
from tests.tracking.factories import D, article, commitment, release, report

Sessions = async_sessionmaker[AsyncSession]
MSK = dt.timezone(dt.timedelta(hours=3))


@pytest.mark.parametrize(
    "bad",
    [
        article("Ten to the 21 hostages", commitments=(release(quantity=2**70),)),
        article("A halt for ever", commitments=(commitment(duration_days=2**40),)),
        article("A count past the column", reports=(report(kind="fulfilment", about="release", quantity=2**31),)),
        article("A truce in year 9999", commitments=(commitment(start=D(9999, 12, 30), end=None),)),
        article("A claim from year 1", reports=(report(date=D(1, 1, 1)),)),
        article("A page from the future", published=D(9999, 12, 31)),
    ],
    ids=["quantity", "duration", "report-quantity", "start", "report-date", "published"],
)
async def test_unstorable_values_are_refused_before_anything_is_written(sessions: Sessions, bad: Article) -> None:
    before = await row_counts(sessions)
    with pytest.raises(UnstorableArticle) as refused:
        await load_article(sessions, bad)
    assert refused.value.path == bad.path
    assert "\n" not in refused.value.reason
    assert await row_counts(sessions) == before


# A truce proposed for the end of the month, the Easter truce, and the violations of Easter Sunday: loaded before
# the Easter truce, the claims found only the proposal (8 days off) and stayed there.
PROPOSAL = article(
    "Moscow offers a 30-day ceasefire from 28 April",
    commitments=(
        commitment(
            kind="ceasefire",
            actors=("Russia", "Ukraine"),
            scope=None,
            start=D(2025, 4, 28),
            end=D(2025, 5, 28),
            status="proposed",
        ),
    ),
    published=D(2025, 4, 15),
)
EASTER = article(
    "Putin declares Easter truce in Ukraine",
    commitments=(
        commitment(
            kind="ceasefire",
            actors=("Russia",),
            scope=None,
            duration_days=None,
            status="in_force",
            start=dt.datetime(2025, 4, 19, 18, tzinfo=MSK),
            end=dt.datetime(2025, 4, 21, tzinfo=MSK),
        ),
    ),
    published=dt.datetime(2025, 4, 19, 17, 40),
)
EASTER_DE = replace(
    article("Putin verkündet Oster-Waffenruhe", language="de", published=dt.datetime(2025, 4, 19, 18, 20)),
    commitments=EASTER.commitments,
)
ACCUSATIONS = article(
    "Easter truce over: Kyiv and Moscow trade accusations",
    reports=(
        report(about="ceasefire", date=D(2025, 4, 20)),
        report(about="ceasefire", accused=("Ukraine",), claimed_by="Russia", date=D(2025, 4, 20)),
    ),
    published=dt.date(2025, 4, 21),
)


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))), ids=lambda o: "".join(map(str, o)))
async def test_reports_move_to_the_commitment_in_force_on_their_day_whatever_the_order(
    database: Database, order: tuple[int, ...]
) -> None:
    stories = [PROPOSAL, EASTER, EASTER_DE, ACCUSATIONS]
    engine = database.engine()
    try:
        await migrate(engine)
        sessions = session_factory(engine)
        for index in order:
            await load_article(sessions, stories[index])
        views = await tracked(sessions)
    finally:
        await engine.dispose()
    [easter] = [v for v in views if v.sources[0].title.startswith("Putin")]
    [proposal] = [v for v in views if v.sources[0].title.startswith("Moscow")]
    assert {r.claimed_by for r in easter.reports} == {"Ukraine", "Russia"}
    assert proposal.reports == ()
    assert proposal.conflicts == ()
    assert sorted(c.kind for c in easter.conflicts) == ["violation_in_force", "violation_in_force"]
    # Resting on both sources of the truce, however many there were when the claim came in.
    truce = {s.article_id for s in easter.sources}
    assert len(truce) == 2
    assert all(truce <= set(c.article_ids) for c in easter.conflicts)


async def test_a_report_an_admin_pinned_stays_where_it_was_pinned(sessions: Sessions) -> None:
    await load_article(sessions, PROPOSAL)
    [proposal] = await tracked(sessions)
    pinned = replace(ACCUSATIONS, path="telegram:report/101/7", reports=ACCUSATIONS.reports[:1])
    await load_article(sessions, pinned, pin_reports_to=proposal.id)
    await load_article(sessions, EASTER)
    views = {v.sources[0].title: v for v in await tracked(sessions)}
    assert len(views[PROPOSAL.title].reports) == 1
    assert views[EASTER.title].reports == ()


async def test_the_first_published_source_sets_the_dates_whatever_was_loaded_first(sessions: Sessions) -> None:
    later = article(
        "Kyiv: for us the energy truce only counts from 25 March",
        commitments=(commitment(actors=("Ukraine", "Russia"), start=D(2025, 3, 25), end=D(2025, 4, 24)),),
        published=D(2025, 3, 25),
    )
    first = article("Putin orders 30-day halt", commitments=(commitment(),))
    await load_article(sessions, later)
    await load_article(sessions, first)
    [halt] = await tracked(sessions)
    assert (halt.start, halt.end, halt.actors) == (D(2025, 3, 18), D(2025, 4, 17), ("Russia", "Ukraine"))
    [disagreement] = [c for c in halt.conflicts if c.kind == "date_disagreement"]
    assert disagreement.facts is not None
    assert dict(disagreement.facts.dates)["start"] == (D(2025, 3, 18), D(2025, 3, 25))
