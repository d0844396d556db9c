"""The /calendar file: parsed back with icalendar, dates and instants checked in two zones, UIDs stable."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from bot.ics import calendar_ics, event_uid, milestone_phrase
from schedules.plan import Milestone

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC
STAMP = dt.datetime(2025, 3, 22, 12, tzinfo=UTC)
CET = dt.timezone(dt.timedelta(hours=1))
MSK = dt.timezone(dt.timedelta(hours=3))
D = dt.date


def commitment(ident: int, **fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": ident,
        "kind": "ceasefire",
        "title": f"Party {ident}: ceasefire",
        "actors": ["Russia", "Ukraine"],
        "scope": "energy infrastructure",
        "conditions": ["sanctions lifted"],
        "start": None,
        "end": None,
        "due": None,
        "sources": [
            {
                "title": "Putin stops strikes",
                "language": "de",
                "published": dt.datetime(2025, 3, 18, 20, 51, tzinfo=CET),
                "path": "p",
            }
        ],
        "reports": [],
        "conflicts": [],
    }
    item.update(fields)
    return item


def halt(tz: ZoneInfo) -> tuple[dict[str, Any], list[Milestone]]:
    """The energy strike halt: 18 March to 17 April (days), with the plan a chat in ``tz`` would get."""
    item = commitment(12, title="Russia: strike halt — energy infrastructure", start=D(2025, 3, 18), end=D(2025, 4, 17))

    def local(day: int, month: int) -> dt.datetime:
        return dt.datetime(2025, month, day, tzinfo=tz).astimezone(UTC)

    plan = [
        Milestone(12, "start", local(18, 3)),
        Milestone(12, "halfway", local(2, 4)),
        Milestone(12, "before_end", local(14, 4), days_before=3),
        Milestone(12, "before_end", local(16, 4), days_before=1),
        Milestone(12, "end", local(17, 4), extended=True),
    ]
    return item, plan


def easter() -> dict[str, Any]:
    """The Easter truce: timed, with offsets, from 18:00 Moscow time."""
    start, end = dt.datetime(2025, 4, 19, 18, tzinfo=MSK), dt.datetime(2025, 4, 21, 0, tzinfo=MSK)
    return commitment(11, title="Russia: ceasefire", start=start, end=end)


def exchange(tz: ZoneInfo) -> tuple[dict[str, Any], list[Milestone]]:
    """A release due on 19 March, reported done that day (milestone at that day's midnight in ``tz``)."""
    item = commitment(15, kind="release", title="Russia: release, 23 people", due=D(2025, 3, 19))
    done = dt.datetime(2025, 3, 19, tzinfo=tz).astimezone(UTC)
    fulfilled = Milestone(15, "fulfilled", done, promised=23, delivered=22)
    return item, [fulfilled]


def parse(data: bytes) -> list[Event]:
    calendar = Calendar.from_ical(data)
    return list(calendar.events)


def by_uid(events: list[Event]) -> dict[str, Event]:
    return {str(event["uid"]): event for event in events}


@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK])
def test_days_are_all_day_events_and_instants_are_timed(tz: ZoneInfo) -> None:
    item, plan = halt(tz)
    release, done = exchange(tz)
    data = calendar_ics([item, easter(), release], {12: plan, 15: done}, tz=tz, stamp=STAMP)
    events = by_uid(parse(data))
    # 12: end (the item's) + start, halfway, two reminders (its "end" milestone is the same event); 11: end;
    # 15: due + fulfilled.
    assert len(events) == 5 + 1 + 2
    end = events[event_uid(12, "end")]
    assert end.start == dt.date(2025, 4, 17)
    assert end.end == dt.date(2025, 4, 18)
    assert b"VALUE=DATE" in end.to_ical()
    assert events[event_uid(12, "before_end-3")].start == dt.date(2025, 4, 14)
    assert events[event_uid(12, "start")].start == dt.date(2025, 3, 18)
    assert events[event_uid(15, "fulfilled")].start == dt.date(2025, 3, 19)
    assert events[event_uid(15, "due")].start == dt.date(2025, 3, 19)

    truce = events[event_uid(11, "end")].start
    assert isinstance(truce, dt.datetime)
    assert truce == dt.datetime(2025, 4, 20, 21, 0, tzinfo=UTC)  # the same instant
    assert truce.tzinfo is not None
    assert str(truce.tzinfo) == tz.key  # shown in the chat's local time
    assert truce.hour == {"Europe/Berlin": 23, "America/New_York": 17}[tz.key]


def test_timed_events_carry_their_zone_definition() -> None:
    data = calendar_ics([easter()], {}, tz=NEW_YORK, stamp=STAMP)
    text = data.decode()
    assert "DTSTART;TZID=America/New_York:20250420T170000" in text.replace("\r\n ", "")
    calendar = Calendar.from_ical(data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_naive_times_are_read_in_the_chats_zone() -> None:
    item = commitment(3, kind="negotiations", title="Talks", due=dt.datetime(2025, 11, 28, 7, 0))
    for tz in (BERLIN, NEW_YORK):
        (event,) = parse(calendar_ics([item], {}, tz=tz, stamp=STAMP))
        assert event.start == dt.datetime(2025, 11, 28, 7, tzinfo=tz)


def test_timed_milestones_of_a_timed_commitment_stay_timed() -> None:
    start = dt.datetime(2025, 4, 19, 15, tzinfo=UTC)
    events = by_uid(parse(calendar_ics([easter()], {11: [Milestone(11, "start", start)]}, tz=BERLIN, stamp=STAMP)))
    assert events[event_uid(11, "start")].start == start
    assert isinstance(events[event_uid(11, "start")].start, dt.datetime)


def test_uids_are_unique_and_stable_between_calls() -> None:
    item, plan = halt(BERLIN)
    release, done = exchange(BERLIN)
    first = parse(calendar_ics([item, easter(), release], {12: plan, 15: done}, tz=BERLIN))
    second = parse(calendar_ics([item, easter(), release], {12: plan, 15: done}, tz=BERLIN))
    uids = [str(e["uid"]) for e in first]
    assert len(uids) == len(set(uids))
    assert uids == [str(e["uid"]) for e in second]
    assert all(uid.startswith("commitment-") and uid.endswith("@ceasefire-watch") for uid in uids)
    assert event_uid(12, "before_end-3") == "commitment-12-before_end-3@ceasefire-watch"
    assert calendar_ics([item], {12: plan}, tz=BERLIN, stamp=STAMP) == calendar_ics(
        [item], {12: plan}, tz=BERLIN, stamp=STAMP
    )


def test_summaries_and_descriptions_in_english_and_german() -> None:
    item, plan = halt(BERLIN)
    en = by_uid(parse(calendar_ics([item], {12: plan}, tz=BERLIN, stamp=STAMP)))
    de = by_uid(parse(calendar_ics([item], {12: plan}, tz=BERLIN, language="de", stamp=STAMP)))
    uid = event_uid(12, "before_end-3")
    assert en[uid]["summary"] == "Russia: strike halt — energy infrastructure: 3 days before the end"
    assert de[uid]["summary"] == "Russia: strike halt — energy infrastructure: noch 3 Tage bis zum Ende"
    assert str(en[event_uid(12, "end")]["summary"]).endswith(": ends (extension reported)")
    description = str(en[uid]["description"])
    for part in ("Russia, Ukraine", "energy infrastructure", "sanctions lifted", "Putin stops strikes"):
        assert part in description
    assert "Parteien: Russia, Ukraine" in str(de[uid]["description"])
    assert "dtstamp" in en[uid]


def test_milestone_phrases() -> None:
    assert milestone_phrase("before_end", days_before=1) == "1 day before the end"
    assert milestone_phrase("due_before", "de", days_before=2) == "fällig in 2 Tagen"
    assert milestone_phrase("fulfilled", promised=23, delivered=22) == "fulfilled (22 of 23)"
    assert milestone_phrase("fulfilled", "de", promised=5, delivered=5) == "erfüllt"
    assert milestone_phrase("overdue", "fr") == "overdue"


def test_commas_semicolons_and_newlines_survive_the_round_trip() -> None:
    title = "Israel, Hamas; talks\nphase 2 <b>"
    item = commitment(8, kind="negotiations", title=title, due=D(2025, 2, 3), scope="a; b, c")
    data = calendar_ics([item], {}, tz=BERLIN, stamp=STAMP)
    assert b"Israel\\, Hamas\\; talks\\nphase 2" in data
    (event,) = parse(data)
    assert event["summary"] == f"{title}: due"
    assert "Scope: a; b, c" in str(event["description"])


def test_nothing_to_put_in_a_calendar_is_still_a_valid_calendar() -> None:
    data = calendar_ics([commitment(5)], {}, tz=BERLIN, prodid="-//test//EN")
    calendar = Calendar.from_ical(data)
    assert list(calendar.events) == []
    assert str(calendar["prodid"]) == "-//test//EN"


@pytest.mark.parametrize(
    ("key", "details", "english", "german"),
    [
        ("start", {}, "starts", "beginnt"),
        ("halfway", {}, "halfway", "Halbzeit"),
        ("before_end", {"days_before": 1}, "1 day before the end", "noch 1 Tag bis zum Ende"),
        ("before_end", {"days_before": 3}, "3 days before the end", "noch 3 Tage bis zum Ende"),
        ("end", {}, "ends", "endet"),
        ("end", {"extended": True}, "ends (extension reported)", "endet (Verlängerung gemeldet)"),
        ("due_before", {"days_before": 1}, "due tomorrow", "morgen fällig"),
        ("due_before", {"days_before": 7}, "due in 7 days", "fällig in 7 Tagen"),
        ("due", {}, "due", "fällig"),
        ("overdue", {}, "overdue", "überfällig"),
        ("fulfilled", {}, "fulfilled", "erfüllt"),
        ("fulfilled", {"promised": 23, "delivered": 22}, "fulfilled (22 of 23)", "erfüllt (22 von 23)"),
    ],
)
def test_milestone_phrases_in_both_languages(key: str, details: dict[str, Any], english: str, german: str) -> None:
    assert milestone_phrase(key, **details) == english
    assert milestone_phrase(key, "de", **details) == german


def test_the_calendar_name_and_description_in_german_and_english() -> None:
    item = commitment(
        8,
        title="Russia: strike halt",
        start=D(2025, 3, 18),
        due=D(2025, 4, 1),
        conflicts=[{"kind": "date_disagreement", "summary": "s", "reports": [], "sources": []}],
    )
    for language, name, lines in (
        (
            "de",
            "Zusagen zur Waffenruhe",
            [
                "Parteien: Russia, Ukraine",
                "Bereich: energy infrastructure",
                "Bedingungen: sanctions lifted",
                "Zeitraum: 18.03.2025 – offen",
                "Fällig: 01.04.2025",
                "Widersprüchliche Berichte: 1",
                "Quellen:",
                "- Putin stops strikes (de, 18.03.2025)",
                "Details: /status 8",
            ],
        ),
        (
            "en",
            "Ceasefire commitments",
            [
                "Parties: Russia, Ukraine",
                "Scope: energy infrastructure",
                "Conditions: sanctions lifted",
                "Period: Mar 18, 2025 – open",
                "Due: Apr 1, 2025",
                "Conflicting reports: 1",
                "Sources:",
                "- Putin stops strikes (de, Mar 18, 2025)",
                "Details: /status 8",
            ],
        ),
    ):
        data = calendar_ics([item], {}, tz=BERLIN, language=language, stamp=STAMP)
        assert str(Calendar.from_ical(data)["x-wr-calname"]) == name
        (event,) = parse(data)
        assert str(event["description"]).split("\n") == lines
