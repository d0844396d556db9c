"""The conflict rules on plain views: stable keys, the facts each finding rests on, the articles it names."""

from __future__ import annotations

import datetime as dt

from tests.tracking.factories import D, denied_violation, report_view, source, tracked, tracked_release
from tracking.conflicts import (
    claims_denied,
    date_disagreements,
    find_conflicts,
    quantity_mismatches,
    violations_in_force,
)
from tracking.model import ConflictFacts

MSK = dt.timezone(dt.timedelta(hours=3))


def test_violation_while_in_force_is_a_conflict() -> None:
    halt = tracked(reports=(report_view(1, date=D(2025, 3, 19)),))
    [finding] = violations_in_force(halt)
    assert finding.kind == "violation_in_force"
    assert finding.key == "violation_in_force:1"
    assert finding.report_ids == (1,)
    assert finding.article_ids == (11, 1)
    assert finding.facts == ConflictFacts(
        "violation_in_force", "strike_halt", claimant="Ukraine", accused=("Russia",), day=D(2025, 3, 19)
    )
    assert ConflictFacts.from_record(finding.summary) == finding.facts, "what storage keeps reads back the same"


def test_violation_outside_the_period_or_of_a_proposal_is_not() -> None:
    before = report_view(1, date=D(2025, 3, 17))
    on_end_day = report_view(2, date=D(2025, 4, 17))  # end is exclusive: the halt ran until 17 April 00:00
    undated = report_view(3, date=None)
    assert violations_in_force(tracked(reports=(before, on_end_day, undated))) == []
    assert violations_in_force(tracked(status="proposed", reports=(report_view(4),))) == []
    assert violations_in_force(tracked(start=None, reports=(report_view(4),))) == []


def test_violation_on_the_day_a_timed_period_starts_or_ends() -> None:
    timed = tracked(
        start=dt.datetime(2025, 3, 18, 18, 0, tzinfo=MSK),
        end=dt.datetime(2025, 4, 17, 18, 0, tzinfo=MSK),
        reports=(report_view(1, date=D(2025, 3, 18)), report_view(2, date=D(2025, 4, 17))),
    )
    assert [f.report_ids for f in violations_in_force(timed)] == [(1,), (2,)]
    open_ended = tracked(end=None, duration_days=None, reports=(report_view(3, date=D(2026, 1, 1)),))
    assert len(violations_in_force(open_ended)) == 1


def test_fulfilment_with_a_different_count_is_a_quantity_mismatch() -> None:
    handed_over = report_view(5, kind="fulfilment", about="release", accused=(), quantity=22, source_title="22 home")
    [finding] = quantity_mismatches(tracked_release(reports=(handed_over,)))
    assert finding.kind == "quantity_mismatch"
    assert finding.key == "quantity_mismatch:5"
    assert finding.article_ids == (1, 15)
    assert finding.facts == ConflictFacts("quantity_mismatch", "release", day=D(2025, 3, 19), promised=23, delivered=22)


def test_matching_or_missing_counts_are_no_mismatch() -> None:
    same = report_view(5, kind="fulfilment", about="release", quantity=23)
    uncounted = report_view(6, kind="fulfilment", about="release", quantity=None)
    assert quantity_mismatches(tracked_release(reports=(same, uncounted))) == []
    assert quantity_mismatches(tracked_release(quantity=None, reports=(report_view(7, quantity=22),))) == []


def test_sources_that_count_from_different_days_disagree() -> None:
    halt = tracked(
        sources=(
            source(1, "Moscow: halt from 18 March"),
            source(2, "Kyiv: halt counts from 25 March", start=D(2025, 3, 25), end=D(2025, 4, 24)),
            source(3, "Same day, with a time", start=dt.datetime(2025, 3, 18, 18, 0, tzinfo=MSK), end=None),
        )
    )
    [finding] = date_disagreements(halt)
    assert finding.kind == "date_disagreement"
    assert finding.key == "date_disagreement:start=2025-03-18|2025-03-25;end=2025-04-17|2025-04-24"
    assert finding.article_ids == (1, 3, 2)
    assert finding.report_ids == ()
    assert finding.facts.dates == (
        ("start", (D(2025, 3, 18), D(2025, 3, 25))),
        ("end", (D(2025, 4, 17), D(2025, 4, 24))),
    )
    assert ConflictFacts.from_record(finding.summary) == finding.facts


def test_agreeing_or_silent_sources_raise_nothing() -> None:
    halt = tracked(sources=(source(1), source(2, "German", start=None, end=None), source(3, "Again")))
    assert date_disagreements(halt) == []


def test_due_day_disagreement() -> None:
    handover = tracked_release(
        sources=(
            source(1, "A", start=None, end=None, due=D(2025, 3, 19)),
            source(2, "B", start=None, end=None, due=D(2025, 3, 20)),
        )
    )
    [finding] = date_disagreements(handover)
    assert finding.key == "date_disagreement:due=2025-03-19|2025-03-20"
    assert finding.facts == ConflictFacts(
        "date_disagreement", "release", dates=(("due", (D(2025, 3, 19), D(2025, 3, 20))),)
    )


def test_claim_and_its_denial() -> None:
    claim = report_view(1, date=D(2025, 3, 19), source_title="Kyiv accuses Moscow")
    denial = report_view(2, kind="denial", accused=(), claimed_by="Russia", date=D(2025, 3, 20), source_title="Kreml")
    [finding] = claims_denied(tracked(reports=(claim, denial)))
    assert finding.kind == "claim_denied"
    assert finding.key == "claim_denied:1:2"
    assert finding.report_ids == (1, 2)
    assert finding.article_ids == (11, 12)
    assert finding.facts == denied_violation()


def test_denials_pair_only_with_other_parties_claims_nearby() -> None:
    own = report_view(1, kind="fulfilment", claimed_by="Russia", accused=(), quantity=23)
    late = report_view(2, date=D(2025, 4, 10))
    denial = report_view(3, kind="denial", claimed_by="Russia", accused=(), date=D(2025, 3, 20))
    assert claims_denied(tracked(reports=(own, late, denial))) == []


def test_find_conflicts_runs_every_rule_with_unique_keys() -> None:
    halt = tracked(
        sources=(source(1, "A"), source(2, "B", start=D(2025, 3, 25))),
        reports=(
            report_view(1),
            report_view(2, kind="denial", claimed_by="Russia", accused=(), date=D(2025, 3, 19)),
        ),
    )
    kinds = [f.kind for f in find_conflicts(halt)]
    assert kinds == ["violation_in_force", "date_disagreement", "claim_denied"]
    assert find_conflicts(halt) == find_conflicts(halt)
