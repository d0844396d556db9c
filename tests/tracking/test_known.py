"""Known at T: a status at T shows only what had been published by T, and the list's prepared timelines agree."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from zoneinfo import ZoneInfo

from tests.tracking.factories import D, conflict_view, report_view, source, tracked, tracked_release
from tracking.model import Tracked
from tracking.state import CommitmentState, Timeline, When, known_at, state_at
from tracking.status import status_document

UTC = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _two_sources() -> Tracked:
    """Announced on 18 March from 18 March; a second article on 25 March says in force from 25 March."""
    return tracked(
        start=D(2025, 3, 18),
        end=D(2025, 4, 17),
        status="in_force",
        sources=(
            source(1, published=dt.datetime(2025, 3, 18, 20, 0, tzinfo=dt.UTC)),
            source(
                2,
                "Moscow says halt now in force",
                published=dt.datetime(2025, 3, 25, 9, 0, tzinfo=dt.UTC),
                start=D(2025, 3, 25),
                end=D(2025, 4, 24),
                status="in_force",
            ),
        ),
    )


def test_a_commitment_appears_with_its_first_source() -> None:
    halt = _two_sources()
    assert known_at(halt, at("2025-03-18T19:59:00+00:00"), UTC) is None
    view = known_at(halt, at("2025-03-18T20:00:00+00:00"), UTC)
    assert view is not None
    assert [s.article_id for s in view.sources] == [1]
    assert known_at(halt, at("2025-03-25T09:00:00+00:00"), UTC) is halt  # everything known: the stored view


def test_fields_are_those_of_the_known_sources() -> None:
    halt = _two_sources()
    early = known_at(halt, at("2025-03-20T00:00:00+00:00"), UTC)
    assert early is not None
    assert (early.status, early.start, early.end) == ("announced", D(2025, 3, 18), D(2025, 4, 17))
    # Three sources, two known: merged as the loader merges (first dates stay, the status only moves forward).
    third = source(3, "Third", published=dt.datetime(2025, 4, 1, tzinfo=dt.UTC), start=D(2025, 3, 30))
    view = known_at(replace(halt, sources=(*halt.sources, third)), at("2025-03-26T00:00:00+00:00"), UTC)
    assert view is not None
    assert (view.status, view.start, view.end) == ("in_force", D(2025, 3, 18), D(2025, 4, 17))
    assert [s.article_id for s in view.sources] == [1, 2]


def test_a_report_counts_from_its_publication() -> None:
    # Dated 20 March, but printed on 22 March: a replay of 21 March must not know it.
    done = tracked_release(
        reports=(
            report_view(
                1,
                kind="fulfilment",
                about="release",
                date=D(2025, 3, 20),
                source_published=dt.datetime(2025, 3, 22, 10, 0, tzinfo=dt.UTC),
            ),
        )
    )
    before = known_at(done, at("2025-03-21T12:00:00+00:00"), UTC)
    assert before is not None
    assert before.reports == ()
    assert state_at(before, at("2025-03-21T12:00:00+00:00"), UTC) == CommitmentState("overdue", False, None, None)
    assert state_at(done, at("2025-03-21T12:00:00+00:00"), UTC).state == "overdue"  # same rule on the full view
    assert state_at(done, at("2025-03-22T10:00:00+00:00"), UTC).state == "fulfilled"


def test_a_conflict_counts_once_its_second_source_is_known() -> None:
    halt = replace(_two_sources(), conflicts=(conflict_view(1, kind="date_disagreement", article_ids=(1, 2)),))
    first = known_at(halt, at("2025-03-20T00:00:00+00:00"), UTC)
    assert first is not None
    assert first.conflicts == ()
    assert state_at(first, at("2025-03-20T00:00:00+00:00"), UTC).disputed is False
    assert state_at(halt, at("2025-03-20T00:00:00+00:00"), UTC).disputed is False
    both = known_at(halt, at("2025-03-25T09:00:00+00:00"), UTC)
    assert both is not None
    assert [c.id for c in both.conflicts] == [1]
    assert state_at(both, at("2025-03-25T09:00:00+00:00"), UTC).disputed is True


def test_a_conflict_on_an_unplaceable_article_is_never_known() -> None:
    halt = tracked(conflicts=(conflict_view(1, kind="date_disagreement", article_ids=(1, 99)),))
    view = known_at(halt, at("2030-01-01T00:00:00+00:00"), UTC)
    assert view is not None
    assert view.conflicts == ()


def test_the_document_lists_only_known_commitments() -> None:
    halt = _two_sources()
    late = tracked_release(id=2, sources=(source(5, "Later", published=dt.datetime(2025, 4, 1, tzinfo=dt.UTC)),))
    document = status_document([late, halt], at("2025-03-26T00:00:00+00:00"), UTC)
    assert [c["id"] for c in document["commitments"]] == [1]
    [entry] = document["commitments"]
    titles = [s["title"] for s in entry["sources"]]
    assert titles == ["Putin orders energy strike halt", "Moscow says halt now in force"]


def test_a_day_only_publication_counts_from_local_midnight() -> None:
    halt = tracked(sources=(source(published=D(2025, 3, 18)),))
    assert known_at(halt, at("2025-03-17T23:30:00+00:00"), BERLIN) is not None  # already 18 March in Berlin
    assert known_at(halt, at("2025-03-17T23:30:00+00:00"), UTC) is None


def _random_tracked(rng: random.Random, n: int) -> Tracked:
    """A commitment with random dates, sources, reports and conflicts around March 2025."""
    base = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)

    def moment() -> dt.datetime | dt.date:
        instant = base + dt.timedelta(hours=rng.randint(0, 24 * 60))
        return instant.date() if rng.random() < 0.4 else instant

    one_off = rng.random() < 0.4
    start = None if one_off or rng.random() < 0.1 else moment()
    end = None if start is None or rng.random() < 0.2 else start + dt.timedelta(days=rng.choice((3, 30)))
    due = moment() if one_off and rng.random() < 0.9 else None
    sources = tuple(
        source(
            article_id=i + 1,
            published=moment(),
            start=start if rng.random() < 0.7 else moment(),
            end=end,
            due=due,
            status=rng.choice(("proposed", "announced", "in_force")),
        )
        for i in range(rng.randint(1, 3))
    )
    reports = tuple(
        report_view(
            i + 1,
            article_id=50 + i,
            kind=rng.choice(("fulfilment", "expiry", "violation", "denial", "reaction")),
            date=None if rng.random() < 0.2 else (base + dt.timedelta(days=rng.randint(0, 60))).date(),
            source_published=moment(),
        )
        for i in range(rng.randint(0, 4))
    )
    conflicts = tuple(
        conflict_view(
            i + 1,
            report_ids=tuple(r.id for r in rng.sample(reports, min(len(reports), rng.randint(0, 2)))),
            article_ids=tuple(s.article_id for s in sources[: rng.randint(1, len(sources))]),
        )
        for i in range(rng.randint(0, 2))
    )
    return tracked(
        id=n,
        kind="release" if one_off else "strike_halt",
        start=start,
        end=end,
        due=due,
        status=rng.choice(("proposed", "announced", "in_force")),
        sources=sources,
        reports=reports,
        conflicts=conflicts,
    )


def test_timelines_agree_with_state_at_of_the_known_view() -> None:
    rng = random.Random(7)
    for n in range(200):
        commitment = _random_tracked(rng, n)
        for tz in (UTC, BERLIN):
            timeline = Timeline.of(commitment, tz)
            for hours in range(0, 24 * 80, 11):
                instant = dt.datetime(2025, 2, 25, tzinfo=dt.UTC) + dt.timedelta(hours=hours)
                view = known_at(commitment, instant, tz)
                expected = None if view is None else state_at(view, instant, tz)
                assert timeline.state(When.of(instant, tz)) == expected, (n, tz, instant)
                if instant >= timeline.settles and expected is not None:
                    assert (expected.state, expected.days_left) == timeline.settled, (n, tz, instant)
