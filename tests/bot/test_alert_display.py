"""Alert texts read at a glance: what happened on the first line, in plain words with a short date, in English and
German for every kind of alert; then the commitment and its state; at most three sources; never over a limit."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import display
from bot.display import (
    ALERT_LINES_MAX,
    CAPTION_LIMIT,
    LIMIT,
    AlertLine,
    AlertSource,
    alert_message,
    health,
)
from bot.i18n import Ctx
from schedules.plan import Milestone
from tests.bot.display_kit import HOSTILE, assert_valid_html, make_item
from tests.tracking.factories import denied_violation
from tracking.model import ConflictFacts

UTC = dt.UTC
EN = Ctx("en", ZoneInfo("UTC"))
DE = Ctx("de", ZoneInfo("UTC"))
D = dt.date
MSK = dt.timezone(dt.timedelta(hours=3))


def at(month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=UTC)


def halt(**changes: Any) -> dict[str, Any]:
    """The 30-day energy strike halt as the status document has it on 19 March (day 2)."""
    return make_item(**{"id": 1, "days_elapsed": 1, "days_left": 29} | changes)


def exchange(**changes: Any) -> dict[str, Any]:
    item = halt(
        id=4,
        kind="prisoner_exchange",
        actors=["Russia", "Ukraine"],
        scope=None,
        start=None,
        end=None,
        due=D(2025, 3, 19),
        duration_days=None,
        quantity=175,
        state="upcoming",
        days_elapsed=None,
        days_left=None,
    )
    item.update(changes)
    return item


def release(**changes: Any) -> dict[str, Any]:
    return exchange(id=5, kind="release", actors=["Russia"], quantity=23, **changes)


def milestone(item: dict[str, Any], key: str, when: dt.datetime, **numbers: Any) -> AlertLine:
    number = int(item.get("id", 1))  # a payload snapshot has no id: the alert row carries it
    return AlertLine(number, item, when, milestone=Milestone(number, key, when, **numbers))  # type: ignore[arg-type]


def conflict(kind: str, facts: ConflictFacts | None, item: dict[str, Any] | None = None) -> AlertLine:
    item = item or halt()
    return AlertLine(int(item["id"]), item, at(3, 20, 8), conflict_kind=kind, facts=facts, summary="The record.")


VIOLATION = ConflictFacts("violation_in_force", claimant="Ukraine", accused=("Russia",), day=D(2025, 3, 19))

# Every kind of alert: (name, alert, first line in English, first line in German).
FIRST_LINES: list[tuple[str, AlertLine, str, str]] = [
    (
        "in force",
        milestone(halt(days_elapsed=0), "start", at(3, 18)),
        "🟢 <b>In force from Tue 18 Mar: strike halt (30 days) — ends Thu 17 Apr</b>",
        "🟢 <b>In Kraft ab Di., 18. März: Angriffsstopp (30 Tage) – endet Do., 17. Apr.</b>",
    ),
    (
        "halfway",
        milestone(halt(days_elapsed=15), "halfway", at(4, 2)),
        "⏳ <b>Halfway: strike halt (30 days) — ends Thu 17 Apr</b>",
        "⏳ <b>Halbzeit: Angriffsstopp (30 Tage) – endet Do., 17. Apr.</b>",
    ),
    (
        "3 days before the end",
        milestone(halt(days_elapsed=27), "before_end", at(4, 14), days_before=3),
        "⏰ <b>3 days left: strike halt (30 days) — ends Thu 17 Apr</b>",
        "⏰ <b>Noch 3 Tage: Angriffsstopp (30 Tage) – endet Do., 17. Apr.</b>",
    ),
    (
        "1 day before the end",
        milestone(halt(days_elapsed=29), "before_end", at(4, 16), days_before=1),
        "⏰ <b>1 day left: strike halt (30 days) — ends Thu 17 Apr</b>",
        "⏰ <b>Noch 1 Tag: Angriffsstopp (30 Tage) – endet Do., 17. Apr.</b>",
    ),
    (
        "lapse",
        milestone(halt(state="lapsed"), "end", at(4, 17)),
        "🔚 <b>Lapsed Thu 17 Apr: strike halt (30 days) — no extension reported</b>",
        "🔚 <b>Ausgelaufen am Do., 17. Apr.: Angriffsstopp (30 Tage) – keine Verlängerung gemeldet</b>",
    ),
    (
        "end, extended",
        milestone(halt(), "end", at(4, 17), extended=True),
        "🔁 <b>Ended Thu 17 Apr: strike halt (30 days) — an extension was reported</b>",
        "🔁 <b>Beendet am Do., 17. Apr.: Angriffsstopp (30 Tage) – eine Verlängerung wurde gemeldet</b>",
    ),
    (
        "due tomorrow",
        milestone(exchange(), "due_before", at(3, 18), days_before=1),
        "📅 <b>Due tomorrow, Wed 19 Mar: prisoner exchange (175 people)</b>",
        "📅 <b>Morgen fällig, Mi., 19. März: Gefangenenaustausch (175 Personen)</b>",
    ),
    (
        "due in 3 days",
        milestone(exchange(), "due_before", at(3, 16), days_before=3),
        "📅 <b>Due in 3 days, Wed 19 Mar: prisoner exchange (175 people)</b>",
        "📅 <b>In 3 Tagen fällig, Mi., 19. März: Gefangenenaustausch (175 Personen)</b>",
    ),
    (
        "due today",
        milestone(exchange(state="due"), "due", at(3, 19)),
        "📅 <b>Due today, Wed 19 Mar: prisoner exchange (175 people)</b>",
        "📅 <b>Heute fällig, Mi., 19. März: Gefangenenaustausch (175 Personen)</b>",
    ),
    (
        "overdue",
        milestone(exchange(state="overdue"), "overdue", at(3, 20)),
        "⚠ <b>Overdue: prisoner exchange (175 people) — was due Wed 19 Mar, no fulfilment reported</b>",
        "⚠ <b>Überfällig: Gefangenenaustausch (175 Personen) – fällig war Mi., 19. März, keine Erfüllung gemeldet</b>",
    ),
    (
        "fulfilled",
        milestone(exchange(state="fulfilled"), "fulfilled", at(3, 19), promised=175, delivered=175),
        "✅ <b>Carried out Wed 19 Mar: prisoner exchange — 175 handed over</b>",
        "✅ <b>Erfolgt am Mi., 19. März: Gefangenenaustausch – 175 übergeben</b>",
    ),
    (
        "fulfilled, fewer than promised",
        milestone(release(state="fulfilled"), "fulfilled", at(3, 19), promised=23, delivered=22),
        "⚠ <b>Carried out Wed 19 Mar: release — 22 of 23 handed over</b>",
        "⚠ <b>Erfolgt am Mi., 19. März: Freilassung – 22 von 23 übergeben</b>",
    ),
    (
        "fulfilled, more than promised",
        milestone(release(state="fulfilled"), "fulfilled", at(3, 19), promised=23, delivered=24),
        "⚠ <b>Carried out Wed 19 Mar: release — 24 handed over, 23 promised</b>",
        "⚠ <b>Erfolgt am Mi., 19. März: Freilassung – 24 übergeben, zugesagt waren 23</b>",
    ),
    (
        "fulfilled, no numbers",
        milestone(exchange(quantity=None, state="fulfilled"), "fulfilled", at(3, 19)),
        "✅ <b>Carried out Wed 19 Mar: prisoner exchange</b>",
        "✅ <b>Erfolgt am Mi., 19. März: Gefangenenaustausch</b>",
    ),
    (
        "violation while in force",
        conflict("violation_in_force", VIOLATION),
        "⚠ <b>Ukraine accuses Russia of a violation on Wed 19 Mar — during the strike halt</b>",
        "⚠ <b>Ukraine wirft Russland einen Verstoß am Mi., 19. März vor – trotz Angriffsstopp</b>",
    ),
    (
        "numbers disagree",
        conflict(
            "quantity_mismatch",
            ConflictFacts("quantity_mismatch", day=D(2025, 3, 19), promised=23, delivered=22),
            release(state="fulfilled"),
        ),
        "⚠ <b>Only 22 of 23 handed over on Wed 19 Mar</b>",
        "⚠ <b>Am Mi., 19. März nur 22 von 23 übergeben</b>",
    ),
    (
        "dates disagree",
        conflict(
            "date_disagreement",
            ConflictFacts(
                "date_disagreement",
                dates=(("start", (D(2025, 3, 18), D(2025, 3, 25))), ("end", (D(2025, 4, 17), D(2025, 4, 24)))),
            ),
        ),
        "⚠ <b>Sources disagree on the dates: start Tue 18 Mar or Tue 25 Mar; end Thu 17 Apr or Thu 24 Apr</b>",
        "⚠ <b>Quellen nennen verschiedene Daten: Beginn Di., 18. März oder Di., 25. März; "
        "Ende Do., 17. Apr. oder Do., 24. Apr.</b>",
    ),
    (
        "violation denied",
        conflict(
            "claim_denied",
            denied_violation(commitment_kind=None),
        ),
        "⚠ <b>Russia denies a violation on Wed 19 Mar (claimed by Ukraine)</b>",
        "⚠ <b>Russland bestreitet einen Verstoß am Mi., 19. März (Vorwurf: Ukraine)</b>",
    ),
    (
        "fulfilment denied",
        conflict(
            "claim_denied",
            ConflictFacts("claim_denied", claimant="Ukraine", day=D(2025, 3, 19), claim="fulfilment", denier="Russia"),
            release(),
        ),
        "⚠ <b>Russia denies it was carried out on Wed 19 Mar (claimed by Ukraine)</b>",
        "⚠ <b>Russland bestreitet die Erfüllung am Mi., 19. März (Meldung: Ukraine)</b>",
    ),
    (
        "a conflict without its facts",
        conflict("violation_in_force", None),
        "⚠ <b>New conflict: violation while in force</b>",
        "⚠ <b>Neuer Widerspruch: Verstoß während der Geltung</b>",
    ),
]


@pytest.mark.parametrize(
    ("line", "english", "german"), [case[1:] for case in FIRST_LINES], ids=[case[0] for case in FIRST_LINES]
)
def test_the_first_line_says_what_happened_in_both_languages(line: AlertLine, english: str, german: str) -> None:
    assert alert_message([line], "on_time", EN).split("\n")[0] == english
    assert alert_message([line], "on_time", DE).split("\n")[0] == german


def test_every_kind_of_alert_has_its_first_line_tested() -> None:
    milestones = {case[1].milestone.key for case in FIRST_LINES if case[1].milestone is not None}
    conflicts = {case[1].conflict_kind for case in FIRST_LINES if case[1].milestone is None}
    assert milestones == {"start", "halfway", "before_end", "end", "due_before", "due", "overdue", "fulfilled"}
    assert conflicts == {"violation_in_force", "quantity_mismatch", "date_disagreement", "claim_denied"}


def test_a_violation_alert_reads_at_a_glance() -> None:
    """A conflict alert at a glance: what happened, the commitment and where it stands, the sources by title and day."""
    line = AlertLine(
        1,
        halt(),
        at(3, 20, 8),
        conflict_kind="violation_in_force",
        facts=VIOLATION,
        sources=(
            AlertSource("Russia and Ukraine swap 175 prisoners each hours after Putin-Trump call", D(2025, 3, 19)),
            AlertSource(
                "Putin agrees to pause strikes on Ukraine's power grid, rejects full truce",
                dt.datetime(2025, 3, 18, 19, 40),
            ),
        ),
    )
    assert alert_message([line], "on_time", EN).split("\n") == [
        "⚠ <b>Ukraine accuses Russia of a violation on Wed 19 Mar — during the strike halt</b>",
        "#1 Strike halt · Russia · energy infrastructure · day 2 of 30",
        "📰 <i>Russia and Ukraine swap 175…</i> · Wed 19 Mar; <i>Putin agrees to pause strikes on…</i> · Tue 18 Mar",
    ]
    assert alert_message([line], "on_time", DE).split("\n")[1] == (
        "#1 Angriffsstopp · Russland · energy infrastructure · Tag 2 von 30"
    )


@pytest.mark.parametrize(
    ("item", "english", "german"),
    [
        (halt(), "day 2 of 30", "Tag 2 von 30"),
        (
            halt(duration_days=None, end=dt.datetime(2025, 4, 21, 0, tzinfo=MSK)),
            "until Sun 20 Apr 21:00",
            "bis So., 20. Apr., 21:00",
        ),
        (halt(state="lapsed"), "ended Thu 17 Apr", "endete Do., 17. Apr."),
        (exchange(), "175 people · due Wed 19 Mar", "175 Personen · fällig Mi., 19. März"),
        (exchange(state="fulfilled"), "175 people · fulfilled", "175 Personen · erfüllt"),
        (halt(state="proposed", start=None), "proposed", "vorgeschlagen"),
    ],
)
def test_the_second_line_gives_the_commitment_and_its_state(item: dict[str, Any], english: str, german: str) -> None:
    line = milestone(item, "halfway", at(4, 2))
    assert alert_message([line], "on_time", EN).split("\n")[1].endswith(english)
    assert alert_message([line], "on_time", DE).split("\n")[1].endswith(german)


def test_from_the_outbox_snapshot_alone_an_alert_still_reads() -> None:
    """No look-up (payload only): no state, no sources — the first line reckons the end from the milestone."""
    snapshot = {"kind": "strike_halt", "actors": ["Russia"], "scope": "energy infrastructure", "duration_days": 30}
    lines = alert_message([milestone(snapshot, "before_end", at(4, 14), days_before=3)], "on_time", EN).split("\n")
    assert lines == [
        "⏰ <b>3 days left: strike halt (30 days) — ends Thu 17 Apr</b>",
        "#1 Strike halt · Russia · energy infrastructure",
    ]
    record = AlertLine(1, snapshot, at(3, 20), conflict_kind="violation_in_force", summary="Ukraine accuses <b>")
    text = alert_message([record], "on_time", DE)
    assert "Neuer Widerspruch: Verstoß während der Geltung" in text
    assert "Ukraine accuses &lt;b&gt;" in text, "the stored English record stands in for the facts"


def test_at_most_three_sources_each_by_short_title_and_day() -> None:
    sources = tuple(
        AlertSource(f"Source number {i} with a very long headline indeed", D(2025, 3, 18)) for i in range(5)
    )
    doubled = (*sources, sources[0])
    text = alert_message([AlertLine(1, halt(), at(3, 19), conflict_kind="x", sources=doubled)], "on_time", EN)
    line = text.split("\n")[-1]
    assert line.count("<i>") == 3
    assert "<i>Source number 0 with a very long…</i> · Tue 18 Mar" in line
    assert line.endswith("+2 more")
    assert "+2 weitere" in alert_message([AlertLine(1, halt(), at(3, 19), sources=sources)], "on_time", DE)


def test_several_alerts_in_one_message_are_a_blank_line_apart() -> None:
    text = alert_message(
        [milestone(exchange(state="due"), "due", at(3, 19)), conflict("violation_in_force", VIOLATION)],
        "on_time",
        EN,
    )
    first, second = text.split("\n\n")
    assert first.startswith("📅 <b>Due today")
    assert second.startswith("⚠ <b>Ukraine accuses Russia")


def test_late_and_summary_say_so_in_both_languages() -> None:
    lines = [case[1] for case in FIRST_LINES]
    late = alert_message(lines[:1], "late", EN)
    assert late.startswith("<i>Sent late — the bot was offline when this fell due.</i>")
    summary = alert_message(lines, "offline_summary", DE)
    assert summary.startswith(f"<i>Während der Bot offline war, wurden {len(lines)} Hinweise fällig:</i>")
    assert "⏳ <b>Halbzeit: Angriffsstopp (30 Tage) – endet Do., 17. Apr.</b> · #1" in summary
    assert "#1 Angriffsstopp" not in summary, "a summary gives each alert its first line only"


def test_outside_text_is_escaped_everywhere() -> None:
    hostile = halt(actors=[HOSTILE], scope=HOSTILE)
    facts = ConflictFacts("claim_denied", claimant=HOSTILE, accused=(HOSTILE,), claim="violation", denier=HOSTILE)
    lines = [
        AlertLine(1, hostile, at(3, 20), conflict_kind="claim_denied", facts=facts, sources=(AlertSource(HOSTILE),)),
        AlertLine(1, hostile, at(3, 20), conflict_kind="violation_in_force", summary=HOSTILE),
        milestone(hostile, "halfway", at(4, 2)),
    ]
    for ctx in (EN, DE):
        for mode in ("on_time", "late", "offline_summary"):
            text = alert_message(lines, mode, ctx)
            assert_valid_html(text)
            assert "<script>" not in text
            assert "&lt;script&gt;" in text


@pytest.mark.parametrize("ctx", [EN, DE], ids=["en", "de"])
@pytest.mark.parametrize("mode", ["on_time", "late", "offline_summary"])
def test_no_alert_message_exceeds_telegrams_limit(ctx: Ctx, mode: str) -> None:
    """Ten alerts per message (the dispatcher's most), every outside text enormous: still one valid message."""
    huge = "Tom & Jerry <b> " * 400
    item = halt(actors=[huge] * 20, scope=huge)
    facts = ConflictFacts("violation_in_force", claimant=huge, accused=(huge,) * 10, day=D(2025, 3, 19))
    sources = tuple(AlertSource(huge + str(i), D(2025, 3, 19)) for i in range(50))
    lines = [
        AlertLine(i, item, at(3, 20), conflict_kind="violation_in_force", facts=facts, summary=huge, sources=sources)
        for i in range(10)
    ]
    text = alert_message(lines, mode, ctx)  # type: ignore[arg-type]
    assert len(text) <= LIMIT
    assert_valid_html(text)
    assert text.count("<b>") >= 1, "at least the first alert is shown, not only a pointer to /status"


def test_a_huge_offline_summary_stays_within_one_message() -> None:
    end = milestone(halt(), "before_end", at(4, 14), days_before=3)
    text = alert_message([end] * 500, "offline_summary", EN)
    assert len(text) <= LIMIT
    shown = text.count("⏰")
    assert f"and {500 - shown} more — see /status" in text
    short = alert_message([end] * 100, "offline_summary", EN)
    assert short.count("⏰") == ALERT_LINES_MAX
    assert f"and {100 - ALERT_LINES_MAX} more" in short


@pytest.mark.parametrize("ctx", [EN, DE, Ctx("de", ZoneInfo("America/Argentina/ComodRivadavia"))])
def test_captions_and_button_answers_fit_telegrams_limits(ctx: Ctx) -> None:
    assert len(display.timeline_caption(ctx)) <= CAPTION_LIMIT
    assert len(display.calendar_caption(ctx)) <= CAPTION_LIMIT


def test_health_names_every_count_and_the_last_error() -> None:
    text = health(
        {"pending": 3, "sending": 0, "sent": 1200, "failed": 2, "disabled_chats": 5, "last_error": "Timed <out>"}, EN
    )
    assert "pending: 3" in text
    assert "sent: 1,200" in text
    assert "Timed &lt;out&gt;" in text


def test_days_are_counted_on_the_reader_s_wall_clock_across_a_dst_switch() -> None:
    """Berlin leaves summer time on 26 October: 3 days after midnight on the 25th is midnight on the 28th (72 hours
    in UTC would still be the 27th there)."""
    berlin = Ctx("en", ZoneInfo("Europe/Berlin"))
    snapshot = {"kind": "strike_halt", "actors": ["Russia"], "duration_days": 30}
    reminder = dt.datetime(2025, 10, 24, 22, tzinfo=UTC)  # 00:00 on 25 October in Berlin
    text = alert_message([milestone(snapshot, "before_end", reminder, days_before=3)], "on_time", berlin)
    assert text.startswith("⏰ <b>3 days left: strike halt (30 days) — ends Tue 28 Oct</b>")
