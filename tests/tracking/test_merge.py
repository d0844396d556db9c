"""Merging rules: when two extractions are one commitment, how fields combine, where reports belong."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tracking.factories import D, commitment, release, report, source, tracked, tracked_release
from tracking.merge import combine, find_match, is_same, link_report, normalise_scope, stronger_status

PUBLISHED = dt.datetime(2025, 3, 20, 9, 0, tzinfo=dt.UTC)


def test_scope_normalisation_ignores_case_punctuation_and_spacing() -> None:
    assert normalise_scope("  Energy   infrastructure. ") == "energy infrastructure"
    assert normalise_scope(None) is None
    assert normalise_scope("—") is None


@pytest.mark.parametrize(
    ("change", "same"),
    [
        ({}, True),
        ({"actors": ("Russia", "Ukraine")}, True),
        ({"actors": ()}, True),
        ({"actors": ("Ukraine",)}, False),
        ({"kind": "ceasefire"}, False),
        ({"scope": "Energy Infrastructure"}, True),
        ({"scope": None}, True),
        ({"scope": "Black Sea shipping"}, False),
        ({"duration_days": None}, True),
        ({"duration_days": 31}, False),
        ({"start": D(2025, 3, 25), "end": D(2025, 4, 24)}, True),  # within 14 days: a date disagreement
        ({"start": D(2025, 4, 1)}, True),
        ({"start": D(2025, 4, 2)}, False),
        ({"start": None}, True),
        ({"start": None, "end": D(2025, 6, 1), "duration_days": None}, False),
        ({"start": dt.datetime(2025, 3, 18, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))}, True),
    ],
)
def test_is_same_period(change: dict[str, object], same: bool) -> None:
    assert is_same(tracked(), commitment(**change)) is same


@pytest.mark.parametrize(
    ("due", "same"),
    [(D(2025, 3, 19), True), (D(2025, 3, 22), True), (D(2025, 3, 23), False), (None, True)],
)
def test_is_same_one_off_compares_due_days(due: dt.date | None, same: bool) -> None:
    assert is_same(tracked_release(), release(due=due)) is same


def test_find_match_prefers_more_shared_actors_then_closer_dates() -> None:
    near = tracked(id=1, start=D(2025, 3, 20))
    exact = tracked(id=2, start=D(2025, 3, 18))
    shared = tracked(id=3, actors=("Russia", "Ukraine"), start=D(2025, 3, 25))
    assert find_match([near, exact], commitment()) == exact
    assert find_match([near, exact, shared], commitment(actors=("Russia", "Ukraine"))) == shared
    assert find_match([tracked(kind="ceasefire")], commitment()) is None


def test_status_only_moves_forward() -> None:
    assert stronger_status("proposed", "announced") == "announced"
    assert stronger_status("announced", "in_force") == "in_force"
    assert stronger_status("in_force", "proposed") == "in_force"
    assert stronger_status("announced", "agreed") == "announced"  # same rank: the first stays


def test_combine_fills_gaps_and_keeps_the_first_dates() -> None:
    first = tracked(scope=None, duration_days=None, end=None, conditions=("if Kyiv does the same",))
    new = commitment(
        actors=("Russia", "Ukraine"),
        start=D(2025, 3, 25),
        end=D(2025, 4, 24),
        conditions=("If Kyiv does the same", "monitoring by the US"),
        quantity=5,
        status="in_force",
    )
    merged = combine(first, new)
    assert merged.start == D(2025, 3, 18)
    assert merged.end == D(2025, 4, 17)  # our start + the filled-in duration, not the other source's end
    assert merged.duration_days == 30
    assert merged.scope == "energy infrastructure"
    assert merged.actors == ("Russia", "Ukraine")
    assert merged.conditions == ("if Kyiv does the same", "monitoring by the US")
    assert merged.quantity == 5
    assert merged.status == "in_force"
    assert merged.sources == first.sources  # the loader adds the new source


def test_combine_takes_the_other_end_when_it_cannot_derive_one() -> None:
    merged = combine(tracked(duration_days=None, end=None), commitment(duration_days=None, end=D(2025, 4, 1)))
    assert merged.end == D(2025, 4, 1)


def test_report_links_to_the_commitment_of_its_own_article_first() -> None:
    own = tracked(id=1, actors=("Israel", "Hamas"), kind="ceasefire", sources=(source(article_id=7),))
    other = tracked(id=2, actors=("Ukraine",), kind="ceasefire")
    reaction = report(kind="reaction", about="ceasefire", accused=(), claimed_by="Ukraine", date=None)
    assert link_report(reaction, 7, PUBLISHED, [own, other]) == own


def test_back_reference_links_by_kind_actors_and_date() -> None:
    # "the moratorium Putin ordered on Tuesday", from a later article
    halt = tracked(id=1)
    ceasefire = tracked(id=2, kind="ceasefire", scope=None)
    refers_back = report(kind="compliance", accused=(), claimed_by="Russia", date=D(2025, 3, 18))
    assert link_report(refers_back, 99, PUBLISHED, [ceasefire, halt]) == halt


def test_report_needs_shared_actors_and_a_near_date() -> None:
    halt = tracked(id=1)
    assert link_report(report(accused=("Hamas",), claimed_by="Israel"), 99, PUBLISHED, [halt]) is None
    far = report(date=D(2025, 6, 1))
    assert link_report(far, 99, PUBLISHED, [halt]) is None
    near_end = report(kind="expiry", accused=(), claimed_by="Russia", date=D(2025, 4, 30))
    assert link_report(near_end, 99, PUBLISHED, [halt]) == halt
    assert link_report(report(about="ceasefire"), 99, PUBLISHED, [halt]) is None


def test_undated_report_uses_the_publication_day() -> None:
    halt = tracked(id=1)
    undated = report(date=None)
    assert link_report(undated, 99, PUBLISHED, [halt]) == halt
    assert link_report(undated, 99, dt.date(2025, 7, 1), [halt]) is None


def test_outside_claimant_links_only_when_unambiguous() -> None:
    handover = tracked_release(id=2)
    received = report(kind="fulfilment", about="release", accused=(), claimed_by="Ukraine", quantity=22)
    assert link_report(received, 99, PUBLISHED, [handover]) == handover
    other = tracked_release(id=3, actors=("Israel",))
    assert link_report(received, 99, PUBLISHED, [handover, other]) is None


def test_closest_period_wins_among_several() -> None:
    old = tracked(id=1, start=D(2025, 1, 1), end=D(2025, 3, 25))
    new = tracked(id=2, start=D(2025, 3, 18), end=D(2025, 4, 17))
    assert link_report(report(date=D(2025, 4, 1)), 99, PUBLISHED, [old, new]) == new


def test_a_short_truce_is_not_the_proposed_30_day_ceasefire() -> None:
    proposal = tracked(kind="ceasefire", scope=None, actors=("Russia", "Ukraine"), start=None, end=None)
    msk = dt.timezone(dt.timedelta(hours=3))
    easter = commitment(
        kind="ceasefire",
        scope=None,
        start=dt.datetime(2025, 4, 19, 18, 0, tzinfo=msk),
        end=dt.datetime(2025, 4, 21, 0, 0, tzinfo=msk),
        duration_days=None,
    )
    assert not is_same(proposal, easter)  # 30 hours is not 30 days
    thirty_hours_stated = commitment(kind="ceasefire", scope=None, start=easter.start, end=None, duration_days=1)
    same_truce = tracked(kind="ceasefire", scope=None, start=easter.start, end=easter.end, duration_days=None)
    assert is_same(same_truce, thirty_hours_stated)


def test_without_dates_the_publication_day_places_a_commitment() -> None:
    march = dt.datetime(2025, 3, 18, 20, 0, tzinfo=dt.UTC)
    exchange = tracked_release(kind="prisoner_exchange", actors=("Russia", "Ukraine"), quantity=175)
    istanbul = release(kind="prisoner_exchange", actors=("Russia", "Ukraine"), due=None, quantity=1000)
    assert is_same(exchange, istanbul)  # nothing to go by
    assert not is_same(exchange, istanbul, dt.date(2025, 5, 16))
    assert is_same(exchange, istanbul, dt.date(2025, 3, 20))

    halt = tracked(sources=(source(published=march),))
    undated = commitment(start=None, end=None)
    assert is_same(halt, undated, dt.date(2025, 4, 20))  # still within the period, or near it
    assert not is_same(halt, undated, dt.date(2025, 6, 1))
    proposal = tracked(start=None, end=None, sources=(source(published=march, start=None, end=None),))
    assert is_same(proposal, undated, dt.date(2025, 3, 30))
    assert not is_same(proposal, undated, dt.date(2025, 4, 28))
    assert is_same(proposal, commitment(start=D(2025, 3, 25)), march)
    assert not is_same(proposal, commitment(start=D(2025, 4, 28)), march)


def test_reports_find_dateless_commitments_by_publication_day() -> None:
    march = dt.datetime(2025, 3, 18, 20, 0, tzinfo=dt.UTC)
    dateless = tracked_release(due=None, sources=(source(published=march, start=None, end=None),))
    received = report(kind="fulfilment", about="release", accused=(), claimed_by="Russia", date=D(2025, 3, 25))
    assert link_report(received, 99, PUBLISHED, [dateless]) == dateless
    late = report(kind="fulfilment", about="release", accused=(), claimed_by="Russia", date=D(2025, 5, 25))
    assert link_report(late, 99, PUBLISHED, [dateless]) is None
