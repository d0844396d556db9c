"""The milestone plan as a pure function: periods, short truces, one-off acts, fulfilment, proposals, extensions,
zones and DST, the next milestone, and replanning after the dates changed."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from schedules.plan import Milestone, PlanOffsets, milestone_plan, next_milestone, replan
from tests.tracking.factories import tracked, tracked_release
from tracking.model import ReportView, Tracked

UTC = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
KYIV = ZoneInfo("Europe/Kyiv")
D = dt.date
MSK = dt.timezone(dt.timedelta(hours=3))


def at(text: str) -> dt.datetime:
    """An aware UTC instant from ISO text."""
    value = dt.datetime.fromisoformat(text)
    assert value.tzinfo is not None
    return value.astimezone(dt.UTC)


def halt(**overrides: Any) -> Tracked:
    """The 30-day halt on strikes against energy infrastructure from 18 March 2025 (dates only), no sources."""
    return tracked(**{"id": 7, "sources": ()} | overrides)


def exchange(**overrides: Any) -> Tracked:
    """23 seriously wounded prisoners to be handed over on 19 March 2025, agreed by both sides, no sources."""
    agreed = {"id": 9, "kind": "prisoner_exchange", "actors": ("Russia", "Ukraine"), "status": "agreed", "sources": ()}
    return tracked_release(**agreed | overrides)


def report(id: int, kind: str, date: dt.date | None, quantity: int | None = None) -> ReportView:
    return ReportView(
        id=id,
        article_id=100 + id,
        kind=kind,
        about="prisoner_exchange",
        accused=(),
        claimed_by="Ukraine",
        date=date,
        quantity=quantity,
        evidence="...",
        source_title=f"Report {id}",
        source_path=f"examples/articles/report-{id}.txt",
        source_published=dt.date(2025, 3, 1),
    )


def slugs(plan: list[Milestone]) -> list[str]:
    return [m.slug for m in plan]


def test_thirty_day_halt_in_berlin() -> None:
    # Days begin at 00:00 in Berlin; summer time starts on 30 March, so the offset moves from +01:00 to +02:00.
    assert milestone_plan(halt(), BERLIN) == [
        Milestone(7, "start", at("2025-03-17T23:00:00+00:00")),
        Milestone(7, "halfway", at("2025-04-01T22:00:00+00:00")),  # 2 April, 00:00: 15 days done, 15 left
        Milestone(7, "before_end", at("2025-04-13T22:00:00+00:00"), days_before=3),
        Milestone(7, "before_end", at("2025-04-15T22:00:00+00:00"), days_before=1),
        Milestone(7, "end", at("2025-04-16T22:00:00+00:00")),
    ]


def test_thirty_day_halt_in_utc() -> None:
    assert milestone_plan(halt(), UTC) == [
        Milestone(7, "start", at("2025-03-18T00:00:00+00:00")),
        Milestone(7, "halfway", at("2025-04-02T00:00:00+00:00")),
        Milestone(7, "before_end", at("2025-04-14T00:00:00+00:00"), days_before=3),
        Milestone(7, "before_end", at("2025-04-16T00:00:00+00:00"), days_before=1),
        Milestone(7, "end", at("2025-04-17T00:00:00+00:00")),
    ]
    assert slugs(milestone_plan(halt(), UTC)) == ["start", "halfway", "before_end-3", "before_end-1", "end"]


def test_start_and_duration_give_the_same_plan_as_start_and_end() -> None:
    for tz in (UTC, BERLIN, KYIV):
        assert milestone_plan(halt(end=None), tz) == milestone_plan(halt(), tz)


def test_every_instant_is_aware_utc_and_sorted() -> None:
    for plan in (milestone_plan(halt(), BERLIN), milestone_plan(exchange(), KYIV)):
        assert all(m.at.tzinfo is dt.UTC for m in plan)
        assert [m.at for m in plan] == sorted(m.at for m in plan)


def test_easter_truce_with_clock_times_and_offset() -> None:
    # 19 April 2025 18:00 Moscow time until midnight after Easter Sunday: 30 hours. "3 days before" would fall
    # before the truce began and is dropped; "1 day before" (20 April, 00:00 +03:00) is six hours in.
    truce = halt(
        id=3,
        kind="ceasefire",
        scope=None,
        start=dt.datetime(2025, 4, 19, 18, 0, tzinfo=MSK),
        end=dt.datetime(2025, 4, 21, 0, 0, tzinfo=MSK),
        duration_days=None,
    )
    expected = [
        Milestone(3, "start", at("2025-04-19T15:00:00+00:00")),
        Milestone(3, "before_end", at("2025-04-19T21:00:00+00:00"), days_before=1),
        Milestone(3, "halfway", at("2025-04-20T06:00:00+00:00")),
        Milestone(3, "end", at("2025-04-20T21:00:00+00:00")),
    ]
    assert milestone_plan(truce, UTC) == expected
    # An instant with an offset is the same everywhere: the chat's zone does not move it.
    assert milestone_plan(truce, BERLIN) == expected
    assert milestone_plan(truce, KYIV) == expected


def test_short_truces_drop_reminders_that_collide_or_come_too_early() -> None:
    three_days = halt(start=D(2025, 5, 8), end=D(2025, 5, 11), duration_days=3)
    # "3 days before" is the start itself: the start stays, the reminder goes.
    assert milestone_plan(three_days, UTC) == [
        Milestone(7, "start", at("2025-05-08T00:00:00+00:00")),
        Milestone(7, "halfway", at("2025-05-09T12:00:00+00:00")),
        Milestone(7, "before_end", at("2025-05-10T00:00:00+00:00"), days_before=1),
        Milestone(7, "end", at("2025-05-11T00:00:00+00:00")),
    ]
    two_days = halt(start=D(2025, 5, 8), end=D(2025, 5, 10), duration_days=2)
    # Halfway and "1 day before" are both 9 May, 00:00: one alert, the one that says how long is left.
    assert milestone_plan(two_days, UTC) == [
        Milestone(7, "start", at("2025-05-08T00:00:00+00:00")),
        Milestone(7, "before_end", at("2025-05-09T00:00:00+00:00"), days_before=1),
        Milestone(7, "end", at("2025-05-10T00:00:00+00:00")),
    ]
    one_day = halt(start=D(2025, 5, 8), end=D(2025, 5, 9), duration_days=1)
    assert slugs(milestone_plan(one_day, UTC)) == ["start", "halfway", "end"]


def test_only_a_start_known_gives_just_the_start() -> None:
    open_ended = halt(end=None, duration_days=None)
    assert milestone_plan(open_ended, BERLIN) == [Milestone(7, "start", at("2025-03-17T23:00:00+00:00"))]
    assert milestone_plan(halt(start=None, end=None, duration_days=None), UTC) == []


def test_only_an_end_known_gives_the_reminders_and_the_end() -> None:
    assert slugs(milestone_plan(halt(start=None), UTC)) == ["before_end-3", "before_end-1", "end"]


def test_naive_clock_times_are_read_in_the_chats_zone() -> None:
    naive = halt(start=dt.datetime(2025, 3, 18, 12, 0), end=dt.datetime(2025, 4, 17, 12, 0), duration_days=None)
    plan = milestone_plan(naive, BERLIN)
    assert plan[0] == Milestone(7, "start", at("2025-03-18T11:00:00+00:00"))
    # Reminders keep the end's clock time (12:00 Berlin, summer time by then).
    assert plan[-2] == Milestone(7, "before_end", at("2025-04-16T10:00:00+00:00"), days_before=1)
    assert plan[-1] == Milestone(7, "end", at("2025-04-17T10:00:00+00:00"))


def test_extension_report_marks_the_end() -> None:
    extended = halt(reports=(report(1, "extension", D(2025, 4, 15)),))
    plan = milestone_plan(extended, UTC)
    assert plan[-1] == Milestone(7, "end", at("2025-04-17T00:00:00+00:00"), extended=True)
    assert [m for m in plan if m.key != "end"] == [m for m in milestone_plan(halt(), UTC) if m.key != "end"]
    assert not milestone_plan(halt(reports=(report(1, "violation", D(2025, 3, 19)),)), UTC)[-1].extended


def test_proposed_commitments_have_no_milestones() -> None:
    assert milestone_plan(halt(status="proposed"), UTC) == []
    conditional = halt(status="proposed", conditions=("if Ukraine agrees to halt too",))
    assert milestone_plan(conditional, BERLIN) == []
    assert milestone_plan(exchange(status="proposed"), UTC) == []
    # Conditions alone do not hold it back once a source says it is agreed.
    assert slugs(milestone_plan(halt(status="agreed", conditions=("reciprocity",)), UTC))[0] == "start"


def test_one_off_exchange_day_before_due_and_overdue() -> None:
    assert milestone_plan(exchange(), UTC) == [
        Milestone(9, "due_before", at("2025-03-18T00:00:00+00:00"), days_before=1),
        Milestone(9, "due", at("2025-03-19T00:00:00+00:00")),
        Milestone(9, "overdue", at("2025-03-20T00:00:00+00:00")),
    ]
    assert milestone_plan(exchange(), BERLIN) == [
        Milestone(9, "due_before", at("2025-03-17T23:00:00+00:00"), days_before=1),
        Milestone(9, "due", at("2025-03-18T23:00:00+00:00")),
        Milestone(9, "overdue", at("2025-03-19T23:00:00+00:00")),
    ]
    assert slugs(milestone_plan(exchange(), UTC)) == ["due_before-1", "due", "overdue"]


def test_one_off_with_a_fulfilment_report_is_fulfilled_not_overdue() -> None:
    handed_over = exchange(reports=(report(1, "fulfilment", D(2025, 3, 19), quantity=22),))
    assert milestone_plan(handed_over, UTC) == [
        Milestone(9, "due_before", at("2025-03-18T00:00:00+00:00"), days_before=1),
        Milestone(9, "due", at("2025-03-19T00:00:00+00:00")),
        Milestone(9, "fulfilled", at("2025-03-19T00:00:00+00:00"), promised=23, delivered=22),
    ]
    late = exchange(reports=(report(1, "fulfilment", D(2025, 3, 21), quantity=23),))
    assert milestone_plan(late, UTC)[-1] == Milestone(
        9, "fulfilled", at("2025-03-21T00:00:00+00:00"), promised=23, delivered=23
    )
    assert "overdue" not in slugs(milestone_plan(late, UTC))


def test_fulfilment_before_the_due_day_drops_the_stale_reminders() -> None:
    early = exchange(reports=(report(1, "fulfilment", D(2025, 3, 18), quantity=23),))
    assert milestone_plan(early, UTC) == [
        Milestone(9, "fulfilled", at("2025-03-18T00:00:00+00:00"), promised=23, delivered=23)
    ]


def test_first_dated_fulfilment_counts_and_undated_falls_on_the_due_day() -> None:
    two = exchange(
        reports=(
            report(2, "fulfilment", D(2025, 3, 20), quantity=23),
            report(1, "fulfilment", None, quantity=21),
            report(3, "fulfilment", D(2025, 3, 19), quantity=22),
        )
    )
    assert milestone_plan(two, UTC)[-1].delivered == 22
    undated = exchange(reports=(report(1, "fulfilment", None),))
    assert milestone_plan(undated, UTC)[-1] == Milestone(9, "fulfilled", at("2025-03-19T00:00:00+00:00"), promised=23)


def test_talks_at_a_clock_time_get_the_reminder_at_that_time_the_day_before() -> None:
    talks = exchange(kind="negotiations", quantity=None, due=dt.datetime(2025, 3, 25, 10, 0, tzinfo=MSK))
    assert milestone_plan(talks, BERLIN) == [
        Milestone(9, "due_before", at("2025-03-24T07:00:00+00:00"), days_before=1),
        Milestone(9, "due", at("2025-03-25T07:00:00+00:00")),
        Milestone(9, "overdue", at("2025-03-25T23:00:00+00:00")),  # the day after, from 00:00 in Berlin
    ]


def test_a_due_date_alone_makes_any_kind_a_one_off() -> None:
    withdrawal = halt(kind="withdrawal", start=None, end=None, duration_days=None, due=D(2025, 3, 19))
    assert slugs(milestone_plan(withdrawal, UTC)) == ["due_before-1", "due", "overdue"]


def test_offsets_are_configurable_and_checked() -> None:
    offsets = PlanOffsets(before_end_days=(7, 3, 1), due_before_days=(2, 1), overdue_after_days=2)
    assert slugs(milestone_plan(halt(), UTC, offsets)) == [
        "start",
        "halfway",
        "before_end-7",
        "before_end-3",
        "before_end-1",
        "end",
    ]
    assert milestone_plan(exchange(), UTC, offsets) == [
        Milestone(9, "due_before", at("2025-03-17T00:00:00+00:00"), days_before=2),
        Milestone(9, "due_before", at("2025-03-18T00:00:00+00:00"), days_before=1),
        Milestone(9, "due", at("2025-03-19T00:00:00+00:00")),
        Milestone(9, "overdue", at("2025-03-21T00:00:00+00:00")),
    ]
    assert slugs(milestone_plan(halt(), UTC, PlanOffsets(before_end_days=()))) == ["start", "halfway", "end"]
    with pytest.raises(ValueError, match="at least 1"):
        PlanOffsets(before_end_days=(3, 0))
    with pytest.raises(ValueError, match="at least 1"):
        PlanOffsets(overdue_after_days=0)


def test_next_milestone() -> None:
    plan = milestone_plan(halt(), UTC)
    assert next_milestone(plan, at("2025-03-01T00:00:00+00:00")) == plan[0]
    assert next_milestone(plan, at("2025-03-18T00:00:00+00:00")) == plan[1]  # the start is firing, halfway is next
    assert next_milestone(plan, at("2025-04-15T12:00:00+00:00")) == plan[3]
    assert next_milestone(list(reversed(plan)), at("2025-04-15T12:00:00+00:00")) == plan[3]
    assert next_milestone(plan, at("2025-04-17T00:00:00+00:00")) is None
    assert next_milestone([], at("2025-04-17T00:00:00+00:00")) is None


def test_replan_after_an_extension_keeps_sent_milestones_out() -> None:
    old = milestone_plan(halt(), UTC)
    sent = {"start", "halfway", "before_end-3"}  # by 15 April these went out
    longer = halt(end=D(2025, 5, 17), duration_days=60, reports=(report(1, "extension", D(2025, 4, 15)),))
    new = milestone_plan(longer, UTC)
    assert replan(old, new, sent) == [
        Milestone(7, "before_end", at("2025-05-16T00:00:00+00:00"), days_before=1),
        Milestone(7, "end", at("2025-05-17T00:00:00+00:00"), extended=True),
    ]
    assert replan(old, new, set()) == new


def test_replan_after_a_due_date_moved() -> None:
    old = milestone_plan(exchange(), UTC)
    moved = milestone_plan(exchange(due=D(2025, 3, 21)), UTC)
    assert replan(old, moved, ["due_before-1"]) == [
        Milestone(9, "due", at("2025-03-21T00:00:00+00:00")),
        Milestone(9, "overdue", at("2025-03-22T00:00:00+00:00")),
    ]
    # Back to "proposed" (a source says it is not agreed after all): nothing left to schedule.
    assert replan(old, milestone_plan(exchange(status="proposed"), UTC), []) == []
