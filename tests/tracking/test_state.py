"""state_at for every state, the day counters, and the zone in which days begin."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.tracking.factories import D, conflict_view, report_view, tracked, tracked_release
from tracking.model import Tracked
from tracking.state import CommitmentState, state_at, title_of

UTC = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
KYIV = ZoneInfo("Europe/Kyiv")
MSK = dt.timezone(dt.timedelta(hours=3))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_proposed() -> None:
    assert state_at(tracked(status="proposed"), at("2025-03-22T12:00:00+00:00"), UTC).state == "proposed"


def test_period_upcoming_active_lapsed() -> None:
    halt = tracked()
    assert state_at(halt, at("2025-03-17T12:00:00+00:00"), UTC) == CommitmentState("upcoming", False, None, None)
    assert state_at(halt, at("2025-03-18T00:00:00+00:00"), UTC) == CommitmentState("active", False, 0, 30)
    assert state_at(halt, at("2025-03-22T12:00:00+00:00"), UTC) == CommitmentState("active", False, 4, 25)
    assert state_at(halt, at("2025-04-16T23:59:59+00:00"), UTC) == CommitmentState("active", False, 29, 0)
    assert state_at(halt, at("2025-04-17T00:00:00+00:00"), UTC) == CommitmentState("lapsed", False, None, None)


def test_open_ended_and_dateless_periods_are_active() -> None:
    open_ended = tracked(end=None, duration_days=None)
    assert state_at(open_ended, at("2026-03-18T00:00:00+00:00"), UTC) == CommitmentState("active", False, 365, None)
    no_start = tracked(start=None)
    assert state_at(no_start, at("2025-03-01T00:00:00+00:00"), UTC) == CommitmentState("active", False, None, 47)
    assert state_at(no_start, at("2025-04-17T00:00:00+00:00"), UTC).state == "lapsed"
    assert state_at(tracked(start=None, end=None), at("2025-03-01T00:00:00+00:00"), UTC).state == "active"


def test_expiry_report_lapses_from_its_day() -> None:
    halt = tracked(reports=(report_view(1, kind="expiry", accused=(), date=D(2025, 4, 1)),))
    assert state_at(halt, at("2025-03-31T12:00:00+00:00"), UTC).state == "active"
    assert state_at(halt, at("2025-04-01T00:00:00+00:00"), UTC).state == "lapsed"


def test_one_off_upcoming_due_overdue_fulfilled() -> None:
    handover = tracked_release()
    assert state_at(handover, at("2025-03-17T09:00:00+00:00"), UTC) == CommitmentState("upcoming", False, None, 2)
    assert state_at(handover, at("2025-03-19T23:59:00+00:00"), UTC) == CommitmentState("due", False, None, 0)
    assert state_at(handover, at("2025-03-20T00:00:00+00:00"), UTC) == CommitmentState("overdue", False, None, None)
    done = tracked_release(reports=(report_view(1, kind="fulfilment", about="release", date=D(2025, 3, 20)),))
    assert state_at(done, at("2025-03-20T00:00:00+00:00"), UTC).state == "fulfilled"
    assert state_at(done, at("2025-03-19T12:00:00+00:00"), UTC).state == "due"  # not yet reported then
    # An undated report counts from its article's publication (known-at-T: not before it was printed).
    undated = tracked_release(
        reports=(report_view(1, kind="fulfilment", about="release", date=None, source_published=D(2025, 3, 1)),)
    )
    assert state_at(undated, at("2025-03-01T00:00:00+00:00"), UTC).state == "fulfilled"
    assert state_at(undated, at("2025-02-28T23:59:00+00:00"), UTC).state == "upcoming"


def test_one_off_without_a_day_is_upcoming() -> None:
    assert state_at(tracked_release(due=None), at("2025-03-20T00:00:00+00:00"), UTC).state == "upcoming"


def test_due_day_begins_at_midnight_in_the_readers_zone() -> None:
    late_utc = at("2025-03-18T23:30:00+00:00")  # already 19 March, 00:30 in Berlin
    assert state_at(tracked_release(), late_utc, BERLIN).state == "due"
    assert state_at(tracked_release(), late_utc, UTC).state == "upcoming"


def test_timed_due_falls_on_its_day_in_the_readers_zone() -> None:
    # 23:30 Moscow time is 22:30 on 19 March in Kyiv but 05:30 on 20 March in Tokyo.
    handover = tracked_release(due=dt.datetime(2025, 3, 19, 23, 30, tzinfo=MSK))
    noon_utc = at("2025-03-19T12:00:00+00:00")
    assert state_at(handover, noon_utc, KYIV) == CommitmentState("due", False, None, 0)
    assert state_at(handover, noon_utc, ZoneInfo("Asia/Tokyo")) == CommitmentState("upcoming", False, None, 1)


def test_date_only_start_begins_at_local_midnight() -> None:
    just_before_utc_midnight = at("2025-03-17T23:30:00+00:00")
    assert state_at(tracked(), just_before_utc_midnight, BERLIN) == CommitmentState("active", False, 0, 29)
    assert state_at(tracked(), just_before_utc_midnight, UTC).state == "upcoming"


def test_aware_start_is_the_same_instant_everywhere() -> None:
    timed = tracked(start=dt.datetime(2025, 3, 18, 18, 0, tzinfo=MSK), end=None)
    for zone in (UTC, BERLIN, ZoneInfo("America/New_York")):
        assert state_at(timed, at("2025-03-18T14:59:00+00:00"), zone).state == "upcoming"
        assert state_at(timed, at("2025-03-18T15:00:00+00:00"), zone).state == "active"


def test_naive_values_are_read_in_the_readers_zone() -> None:
    naive = tracked(start=dt.datetime(2025, 3, 18, 18, 0), end=dt.datetime(2025, 3, 20, 18, 0))
    assert state_at(naive, at("2025-03-18T17:30:00+00:00"), BERLIN).state == "active"  # 18:30 in Berlin
    assert state_at(naive, at("2025-03-18T17:30:00+00:00"), UTC).state == "upcoming"
    assert state_at(naive, dt.datetime(2025, 3, 20, 17, 59), BERLIN) == CommitmentState("active", False, 1, 0)


def test_days_are_counted_on_the_wall_clock_across_dst() -> None:
    # Clocks in Berlin go forward on 30 March 2025; 31 March 00:30 is still the third day of the period.
    spring = tracked(start=D(2025, 3, 29), end=D(2025, 4, 3), duration_days=5)
    assert state_at(spring, at("2025-03-30T22:30:00+00:00"), BERLIN) == CommitmentState("active", False, 2, 2)


def test_disputed_counts_conflicts_known_at_the_time() -> None:
    claim = report_view(1, date=D(2025, 3, 25))
    halt = tracked(
        reports=(claim,),
        conflicts=(conflict_view(1, report_ids=(1,)),),
    )
    assert state_at(halt, at("2025-03-24T12:00:00+00:00"), UTC).disputed is False
    assert state_at(halt, at("2025-03-25T12:00:00+00:00"), UTC).disputed is True
    dates = tracked(conflicts=(conflict_view(2, kind="date_disagreement"),))
    assert state_at(dates, at("2025-03-01T00:00:00+00:00"), UTC).disputed is True


@pytest.mark.parametrize(
    ("view", "title"),
    [
        (tracked(), "Russia: strike halt — energy infrastructure, 30 days"),
        (
            tracked(actors=("Israel", "Hamas"), kind="ceasefire", scope=None, duration_days=1),
            "Israel, Hamas: ceasefire, 1 day",
        ),
        (tracked_release(), "Russia: release, 23 people"),
        (tracked(actors=(), kind="negotiations", scope=None, duration_days=None), "Unnamed parties: negotiations"),
    ],
)
def test_title_of(view: Tracked, title: str) -> None:
    assert title_of(view) == title
