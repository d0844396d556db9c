"""Editors' values, pure: read as articles give them, what a change implies, and how they win over sources in the
merge, "known at" and conflict rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from tests.tracking.factories import commitment, source, tracked
from tracking.conflicts import conflict_facts, date_disagreements, editor_overrides, find_conflicts
from tracking.corrections import (
    Invalid,
    apply,
    field_of,
    keep_corrected,
    parse_date,
    parse_duration,
    parse_parties,
    parse_quantity,
    parse_value,
)
from tracking.merge import combine
from tracking.model import ConflictView, SourceView, Tracked
from tracking.state import Timeline, When, known_at, state_at

D = dt.date
MSK = dt.timezone(dt.timedelta(hours=3))
ANCHOR = D(2025, 3, 22)
UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-16", D(2025, 4, 16)),
        ("2025-04-16 18:00", dt.datetime(2025, 4, 16, 18)),
        ("2025-04-16 18:00 Europe/Moscow", dt.datetime(2025, 4, 16, 18, tzinfo=MSK)),
        ("2025-04-16T18:00+03:00", dt.datetime(2025, 4, 16, 18, tzinfo=MSK)),
        ("2025-04-16 18:00 UTC", dt.datetime(2025, 4, 16, 18, tzinfo=dt.UTC)),
        ("16 April", D(2025, 4, 16)),
        ("16. April 2025", D(2025, 4, 16)),
        ("April 16, 18:00 MSK", dt.datetime(2025, 4, 16, 18, tzinfo=MSK)),
        ("16 April 18:00 Europe/Moscow", dt.datetime(2025, 4, 16, 18, tzinfo=MSK)),
        ("2025-02-30", None),
        ("2025-04-16 25:00", None),
        ("2025-04-16 18:00 Mars/Olympus", None),
        ("tomorrowish", None),
        ("16 April and then some", None),
        ("", None),
    ],
)
def test_dates_are_read_as_articles_give_them(text: str, expected: object) -> None:
    assert parse_date(text, ANCHOR) == expected


@pytest.mark.parametrize(
    ("text", "days"),
    [("30", 30), ("30 days", 30), ("thirty days", 30), ("a month", 30), ("72 hours", 3), ("30 Tage", 30),
     ("0", None), ("forever", None), ("99999", None)],
)  # fmt: skip
def test_durations(text: str, days: int | None) -> None:
    assert parse_duration(text) == days


@pytest.mark.parametrize(
    ("text", "count"), [("175", 175), ("1,000", 1000), ("175 prisoners", 175), ("23 Soldaten", 23), ("many", None)]
)
def test_quantities(text: str, count: int | None) -> None:
    assert parse_quantity(text) == count


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Russia, Ukraine", ("Russia", "Ukraine")),
        ("Russland und die Ukraine", ("Russia", "Ukraine")),
        ("the Kremlin", ("Russia",)),
        ("Hamas & Israel", ("Hamas", "Israel")),
        ("Russia, Narnia", None),
        ("", None),
    ],
)
def test_parties_are_the_extractors_names(text: str, names: tuple[str, ...] | None) -> None:
    assert parse_parties(text) == names


def test_fields_have_german_names_and_unknown_ones_are_refused() -> None:
    assert [field_of(n) for n in ("END", "Ende", "dauer", "Anzahl", "colour")] == [
        "end",
        "end",
        "duration",
        "quantity",
        None,
    ]
    assert parse_value("colour", "red", tracked(), anchor=ANCHOR) == Invalid("colour", "red", "field")
    assert parse_value("scope", "-", tracked(), anchor=ANCHOR) is None, "'-' clears"
    assert parse_value("title", "x" * 201, tracked(), anchor=ANCHOR) == Invalid("title", "x" * 201, "text")


def test_a_new_start_or_duration_moves_a_derived_end_but_not_an_editors() -> None:
    halt = tracked()
    moved = apply(halt, "start", D(2025, 3, 19))
    assert not isinstance(moved, Invalid)
    view, changes = moved
    assert (view.start, view.end) == (D(2025, 3, 19), D(2025, 4, 18))
    assert [(c.field, c.derived) for c in changes] == [("start", False), ("end", True)]
    assert view.corrected == (("end", (1,)), ("start", (1,)))
    ended = apply(halt, "end", D(2025, 4, 16))
    assert not isinstance(ended, Invalid)
    shorter = apply(ended[0], "duration", 20)
    assert not isinstance(shorter, Invalid)
    assert shorter[0].end == D(2025, 4, 16), "the editor set the end: a new duration leaves it"
    assert apply(halt, "end", D(2025, 3, 1)) == Invalid("end", "2025-03-01", "order")
    assert apply(halt, "end", D(2025, 4, 17)) == Invalid("end", "2025-04-17", "same")


def _corrected_halt() -> tuple[Tracked, SourceView]:
    """The halt with its end corrected to 16 April while only source 1 was known, and a later source 2 that
    counts it to the 18th."""
    edited = apply(tracked(), "end", D(2025, 4, 16))
    assert not isinstance(edited, Invalid)
    later = source(2, "Kyiv: until 18 April", end=D(2025, 4, 18), published=dt.datetime(2025, 3, 25, tzinfo=dt.UTC))
    return edited[0], later


def test_merging_a_source_keeps_the_editors_values() -> None:
    halt, _ = _corrected_halt()
    merged = combine(halt, commitment(end=D(2025, 4, 18), quantity=12))
    assert (merged.end, merged.quantity) == (D(2025, 4, 16), 12), "gaps still fill, corrected fields hold"
    assert keep_corrected(replace(merged, end=D(2025, 5, 1)), halt).end == D(2025, 4, 16)


def test_known_at_and_the_timeline_keep_the_editors_value_on_a_replay() -> None:
    halt, later = _corrected_halt()
    full = replace(halt, sources=(*halt.sources, later))
    early = known_at(full, dt.datetime(2025, 3, 20, tzinfo=dt.UTC), UTC)
    assert early is not None
    assert early.end == D(2025, 4, 16), "before the later source, the view is recomputed; the editor's end stays"
    at = dt.datetime(2025, 4, 16, 12, tzinfo=dt.UTC)
    assert state_at(full, at, UTC).state == "lapsed"
    assert Timeline.of(full, UTC).state(When.of(at, UTC)) == state_at(full, at, UTC)


def test_a_later_source_against_a_correction_is_a_conflict_and_an_earlier_one_is_not() -> None:
    halt, later = _corrected_halt()
    assert editor_overrides(halt) == [], "the source the editor corrected is not news"
    full = replace(halt, sources=(*halt.sources, later))
    [finding] = editor_overrides(full)
    assert (finding.kind, finding.key, finding.article_ids) == (
        "corrected_by_editor",
        "corrected_by_editor:end:2",
        (2,),
    )
    assert (finding.facts.field, finding.facts.said, finding.facts.corrected) == ("end", "2025-04-18", "2025-04-16")
    assert date_disagreements(full) == [], "the editor settled the end: the sources' disagreement is not news"
    assert [f.kind for f in find_conflicts(full)] == ["corrected_by_editor"]
    stored = ConflictView(9, finding.kind, finding.summary, (), finding.article_ids, finding.key)
    facts = conflict_facts(full, stored)
    assert facts is not None
    assert (facts.field, facts.said, facts.corrected) == ("end", "2025-04-18", "2025-04-16")
    agreeing = replace(full, sources=(*halt.sources, replace(later, end=D(2025, 4, 16))))
    assert editor_overrides(agreeing) == []
