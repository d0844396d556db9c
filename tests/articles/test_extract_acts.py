"""Truces as wire copy states them: the clock time of a named zone, a military hour, a midnight still to come, and
the verbs of a ceasefire spelled out ("stop all firing")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from articles.amounts import period
from articles.temporal import find_times
from tests.articles.test_extract_text import article

IST = timezone(timedelta(hours=5, minutes=30))
PUBLISHED = datetime(2025, 5, 10, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        # the zone spelled out; the bracket's other zone names the same instant
        (
            "India and Pakistan agreed to stop all firing with effect from 5pm Indian Standard Time (12.30 BST).",
            datetime(2025, 5, 10, 17, 0, tzinfo=IST),
        ),
        # a military hour is a clock time
        (
            "Both sides would stop all firing and military action from 1700 hours IST.",
            datetime(2025, 5, 10, 17, 0, tzinfo=IST),
        ),
        # the span's own participle looks ahead, though the agreement is told in the past
        ("Thailand and Cambodia agreed to a ceasefire starting at midnight.", datetime(2025, 5, 11, 0, 0)),
        # a midnight that has passed is the one that began the day
        ("The ceasefire took effect at midnight.", datetime(2025, 5, 10, 0, 0)),
    ],
)
def test_the_start_of_a_truce_in_wire_copy(sentence: str, start: datetime) -> None:
    times = [t for t in find_times(sentence, PUBLISHED, language="en") if t.role == "start"]
    assert [t.moment for t in times] == [start]


@pytest.mark.parametrize("text", ["from 1700 hours IST", "at 0600 hours local time"])
def test_a_military_hour_is_no_length(text: str) -> None:
    assert period(text, "en") is None


def test_a_length_in_hours_is_still_a_length() -> None:
    found = period("a 72 hours truce", "en")
    assert found is not None
    assert found.days == 3


def test_stopping_all_firing_on_land_air_and_sea_is_one_ceasefire() -> None:
    found = article(
        "Published 10 May 2025, 18:00 BST",
        "India and Pakistan agreed to stop all firing and military action on land, in the air and at sea with effect "
        "from 5pm Indian Standard Time (12.30 BST).",
        "The two agreed that both sides would stop all firing and military action from 1700 hours IST, the foreign "
        "secretary said.",
    )
    assert [(c.kind, c.actors, c.start, c.end) for c in found.commitments] == [
        ("ceasefire", ("India", "Pakistan"), datetime(2025, 5, 10, 17, 0, tzinfo=IST), None)
    ]
