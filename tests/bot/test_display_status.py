"""The status list and a commitment's detail: progress phrases, order, titles, fields, sources, reports, conflicts
and milestones in the chat's language and zone."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app import render
from bot import display
from bot.i18n import Ctx
from schedules.plan import Milestone
from tests.bot.display_kit import DATES, DE, DENIED, EN, MILESTONE, MSK, VIOLATION, D, assert_valid_html, make_item

# --- progress and ordering --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "english", "german"),
    [
        ({}, "day 5 of 30 · 25 days left · ends Thu 17 Apr", "Tag 5 von 30 · noch 25 Tage · endet Do., 17. Apr."),
        ({"days_left": 1, "days_elapsed": 28}, "day 29 of 30 · 1 day left · ends Thu 17 Apr", None),
        ({"end": None}, "in force since Tue 18 Mar", "in Kraft seit Di., 18. März"),
        ({"end": None, "start": None}, "in force", "in Kraft"),
        (
            {"state": "upcoming", "start": dt.datetime(2025, 4, 19, 18, tzinfo=MSK)},
            "starts Sat 19 Apr 17:00",
            "beginnt Sa., 19. Apr., 17:00",
        ),
        ({"state": "upcoming", "start": None, "end": None}, "no date announced yet", "noch kein Datum bekannt"),
        ({"state": "upcoming", "due": D(2025, 3, 19)}, "due Wed 19 Mar", "fällig Mi., 19. März"),
        ({"state": "due", "due": D(2025, 3, 19)}, "due today (Wed 19 Mar)", "heute fällig (Mi., 19. März)"),
        ({"state": "overdue", "due": D(2025, 3, 19)}, "due Wed 19 Mar · overdue", "fällig Mi., 19. März · überfällig"),
        (
            {"state": "fulfilled", "reports": [{"kind": "fulfilment", "date": D(2025, 3, 19)}]},
            "fulfilled Wed 19 Mar",
            "erfüllt Mi., 19. März",
        ),
        ({"state": "fulfilled", "reports": []}, "fulfilled", "erfüllt"),
        ({"state": "lapsed"}, "ended Thu 17 Apr", "endete Do., 17. Apr."),
        ({"state": "lapsed", "end": None}, "lapsed", "abgelaufen"),
        ({"state": "proposed", "conditions": ["a", "b"]}, "proposed · 2 conditions", "vorgeschlagen · 2 Bedingungen"),
        ({"state": "proposed", "conditions": ["a"]}, "proposed · 1 condition", "vorgeschlagen · 1 Bedingung"),
        ({"state": "proposed"}, "proposed", "vorgeschlagen"),
    ],
)
def test_progress_phrases(changes: dict[str, Any], english: str, german: str | None) -> None:
    item = make_item(**changes)
    assert display.progress(item, EN) == english
    if " 1 day left" not in english:  # the terminal says "1 days left"; the bot gets the plural right
        assert display.progress(item, EN) == render.progress(item, ZoneInfo("Europe/Berlin"))
    if german is not None:
        assert display.progress(item, DE) == german


def test_progress_dates_follow_the_chat_zone() -> None:
    item = make_item(state="upcoming", start=dt.datetime(2025, 4, 19, 23, 30, tzinfo=dt.UTC))
    assert display.progress(item, Ctx("en", ZoneInfo("Europe/Kyiv"))) == "starts Sun 20 Apr 02:30"
    assert display.progress(item, Ctx("en", ZoneInfo("America/New_York"))) == "starts Sat 19 Apr 19:30"


def test_ordered_matches_the_terminal_order() -> None:
    states = ["lapsed", "active", "overdue", "proposed", "fulfilled", "upcoming", "due", "active", "mystery"]
    items = [
        make_item(id=i + 1, state=state, days_left=(30 - i if state == "active" else None))
        for i, state in enumerate(states)
    ]
    ours = [item["id"] for item in display.ordered(items)]
    assert ours == [item["id"] for item in render.ordered(items)]
    assert [display.ordered(items)[i]["state"] for i in range(3)] == ["overdue", "due", "active"]
    actives = [item for item in display.ordered(items) if item["state"] == "active"]
    assert [a["days_left"] for a in actives] == sorted(a["days_left"] for a in actives)
    assert display.ordered(items)[-1]["state"] == "mystery"


def test_status_page_lines() -> None:
    items = [make_item(conflicts=[VIOLATION, DATES]), make_item(id=3, state="overdue", due=D(2025, 3, 18))]
    text = display.status_page(display.ordered(items), page=0, pages=1, total=2, ctx=EN)
    lines = text.split("\n")
    assert lines[0] == "<b>2 commitments</b>"
    assert lines[2].startswith("‼ <b>#3</b>")
    assert "● <b>#12</b> Russia: strike halt — energy infrastructure, 30…" in text
    assert "⚠ 2" in text
    assert display.status_page([], page=0, pages=1, total=0, ctx=EN) == display.nothing_tracked(EN)
    one = display.status_page([make_item()], page=0, pages=1, total=1, ctx=EN)
    assert one.startswith("<b>1 commitment</b>\n")


def test_long_titles_are_cut_before_escaping() -> None:
    item = make_item(scope="&" * 200)
    text = display.status_page([item], page=0, pages=1, total=1, ctx=EN)
    assert_valid_html(text)
    assert "…" in text


# --- detail ------------------------------------------------------------------------------------------------------


def test_detail_shows_a_deadline_that_ends_the_commitment_once() -> None:
    pullout = make_item(kind="withdrawal", start=None, due=D(2025, 4, 17), duration_days=None)
    text = "\n".join(display.status_detail(pullout, next_milestone=None, subscribed=True, ctx=EN))
    assert "<b>Ends:</b> Thu 17 Apr" in text
    assert "Due:" not in text
    later = make_item(kind="withdrawal", start=None, due=D(2025, 4, 20), duration_days=None)
    assert "<b>Due:</b> Sun 20 Apr" in "\n".join(
        display.status_detail(later, next_milestone=None, subscribed=True, ctx=EN)
    )


def test_detail_lists_fields_sources_reports_and_conflicts_in_the_chat_zone() -> None:
    item = make_item(conflicts=[VIOLATION, DENIED, DATES], conditions=["sanctions relief"], quantity=23)
    text = "\n".join(display.status_detail(item, next_milestone=MILESTONE, subscribed=True, ctx=EN))
    for expected in (
        "<b>#12 Russia: strike halt — energy infrastructure, 30 days, 23</b>",
        "● in force · disputed — day 5 of 30",
        "<b>Parties:</b> Russia",
        "<b>Scope:</b> energy infrastructure",
        "<b>Condition:</b> sanctions relief",
        "<b>Starts:</b> Tue 18 Mar",
        "<b>Ends:</b> Thu 17 Apr",
        "<b>Duration:</b> 30 days",
        "<b>Number:</b> 23",
        "<i>Putin agrees to pause strikes on Ukraine's power grid</i> · English · Tue 18 Mar 20:40",
        "· German · Tue 18 Mar 20:51",
        "• Wed 19 Mar: <b>violation</b>, claimed by Ukraine, against Russia — <i>Ukraine-Krieg: Streit um Angriffe</i>",
        "Ukraine accuses Russia of a violation on Wed 19 Mar, while the commitment was in force.",
        "It ran from Tue 18 Mar to Thu 17 Apr.",
        "Ukraine reports a violation by Russia on Wed 19 Mar; Russia denies it.",
        "The sources do not agree on the dates.",
        "Sources: <i>A</i>; <i>B</i>",
    ):
        assert expected in text, expected
    assert text.index("<b>violation</b>") < text.index("<b>denial</b>")  # reports keep their time order
    kyiv = "\n".join(
        display.status_detail(item, next_milestone=None, subscribed=True, ctx=Ctx("en", ZoneInfo("Europe/Kyiv")))
    )
    assert "English · Tue 18 Mar 21:40" in kyiv
    german = "\n".join(display.status_detail(item, next_milestone=None, subscribed=True, ctx=DE))
    assert "· Englisch · Di., 18. März, 20:40" in german
    assert "laut Ukraine, gegen Russland" in german
    assert "Ukraine meldet am Mi., 19. März einen Verstoß durch Russland; Russland bestreitet das." in german


def test_quantity_mismatch_and_fulfilment_denial_in_words() -> None:
    fulfilment: dict[str, Any] = {
        "kind": "fulfilment",
        "accused": [],
        "claimed_by": "Ukraine",
        "date": D(2025, 3, 19),
        "quantity": 22,
    }
    denial: dict[str, Any] = {"kind": "denial", "accused": [], "claimed_by": "Russia", "date": None, "quantity": None}
    item = make_item(kind="release", quantity=23, state="fulfilled", reports=[fulfilment, denial])
    mismatch = {"kind": "quantity_mismatch", "summary": "x", "reports": [fulfilment], "sources": []}
    denied = {"kind": "claim_denied", "summary": "x", "reports": [fulfilment, denial], "sources": []}
    assert (
        display.conflict_sentence(mismatch, item, EN)
        == "23 were promised, but a report of Wed 19 Mar says 22 were handed over."
    )
    assert (
        display.conflict_sentence(mismatch, item, DE)
        == "Zugesagt waren 23, laut einer Meldung vom Mi., 19. März wurden aber 22 übergeben."
    )
    assert (
        display.conflict_sentence(denied, item, EN) == "Ukraine reports it fulfilled on Wed 19 Mar; Russia denies it."
    )
    no_date = dict(fulfilment, date=None)
    assert display.conflict_sentence({**denied, "reports": [no_date, denial]}, item, DE) == (
        "Ukraine meldet die Erfüllung; Russland bestreitet das."
    )
    broken = {"kind": "quantity_mismatch", "summary": "23 & 22", "reports": [], "sources": []}
    assert display.conflict_sentence(broken, item, EN) == "23 &amp; 22"


def test_milestone_phrases_for_the_next_milestone_in_the_detail_view() -> None:
    at = dt.datetime(2025, 4, 16, 22, 30, tzinfo=dt.UTC)
    cases: list[tuple[Milestone, str, str]] = [
        (Milestone(1, "start", at), "comes into force", "tritt in Kraft"),
        (Milestone(1, "halfway", at), "halfway through", "Halbzeit"),
        (Milestone(1, "before_end", at, days_before=1), "1 day before the end", "1 Tag vor dem Ende"),
        (Milestone(1, "before_end", at, days_before=3), "3 days before the end", "3 Tage vor dem Ende"),
        (Milestone(1, "end", at), "lapses — no extension reported", "läuft aus – keine Verlängerung gemeldet"),
        (Milestone(1, "end", at, extended=True), "ends — an extension was reported", "endet – eine Verlängerung"),
        (Milestone(1, "due_before", at, days_before=1), "due in 1 day", "fällig in 1 Tag"),
        (Milestone(1, "due", at), "due today", "heute fällig"),
        (Milestone(1, "overdue", at), "overdue — no fulfilment reported", "überfällig"),
        (Milestone(1, "fulfilled", at, promised=23, delivered=22), "22 handed over, 23 promised", "22 übergeben"),
        (Milestone(1, "fulfilled", at, promised=5, delivered=5), "fulfilled — 5 handed over", "erfüllt – 5"),
        (Milestone(1, "fulfilled", at), "fulfilled", "erfüllt"),
    ]
    for milestone, english, german in cases:
        assert english in display.milestone_phrase(milestone, EN)
        assert german in display.milestone_phrase(milestone, DE)


# --- titles and numbers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("999", "There is no commitment #999."),
        ("#999", "There is no commitment #999."),
        ("abc", "“abc” is not a commitment number."),
        ("<b>", "“&lt;b&gt;” is not a commitment number."),
        ("１２", "“１２” is not a commitment number."),
    ],
)
def test_unknown_id(raw: str, expected: str) -> None:
    assert display.unknown_id(raw, EN).startswith(expected)


def test_titles_are_localised_from_the_fields() -> None:
    item = make_item(actors=["United States", "Russia"], kind="negotiations", scope=None, duration_days=None)
    assert display.title(item, EN) == "United States, Russia: negotiations"
    assert display.title(item, DE) == "USA, Russland: Verhandlungen"
    people = make_item(kind="release", actors=["Hamas"], scope=None, duration_days=None, quantity=1000)
    assert display.title(people, EN) == "Hamas: release, 1,000 people"
    assert display.title(people, DE) == "Hamas: Freilassung, 1.000 Personen"
    assert display.title(make_item(actors=[], scope=None, duration_days=1), EN) == "Unnamed parties: strike halt, 1 day"
