"""Alert texts: one message per chat and batch, escaped, localised, never over Telegram's limit."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.display import ALERT_LINES_MAX, LIMIT, AlertLine, alert_message, health
from bot.i18n import Ctx
from schedules.plan import Milestone

EN = Ctx(language="en", tz=ZoneInfo("Europe/Berlin"))
DE = Ctx(language="de", tz=ZoneInfo("Europe/Berlin"))
END = Milestone(12, "before_end", datetime(2025, 4, 14, 22, tzinfo=UTC), days_before=3)
HANDOVER = Milestone(15, "fulfilled", datetime(2025, 3, 19, tzinfo=UTC), promised=23, delivered=22)


def lines() -> list[AlertLine]:
    return [
        AlertLine(12, "Russia: strike halt <b>energy</b>", milestone=END),
        AlertLine(15, "Russia: release, 23 people", milestone=HANDOVER),
        AlertLine(
            12,
            "Russia: strike halt <b>energy</b>",
            conflict_kind="violation_in_force",
            conflict_summary="Ukraine accuses Russia <script>",
            sources=("Kyiv & Moscow trade blame",),
        ),
    ]


def test_on_time_message_lists_each_alert_and_escapes_outside_text() -> None:
    text = alert_message(lines(), "on_time", EN)
    assert "3 days before the end" in text
    assert "Tue 15 Apr" in text  # 22:00 UTC on the 14th is the 15th in Berlin
    assert "&lt;b&gt;energy&lt;/b&gt;" in text
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "Kyiv &amp; Moscow trade blame" in text
    assert "offline" not in text


def test_late_and_summary_say_so_in_both_languages() -> None:
    assert "offline" in alert_message(lines()[:1], "late", EN)
    summary = alert_message(lines(), "offline_summary", DE)
    assert "Während der Bot offline war, wurden 3 Hinweise fällig" in summary
    assert "neuer Widerspruch" in summary


def test_a_huge_offline_summary_stays_within_one_message() -> None:
    many = [AlertLine(i, "x" * 200, milestone=END) for i in range(500)]
    text = alert_message(many, "offline_summary", EN)
    assert len(text) <= LIMIT
    shown = text.count("⏰")
    assert f"and {500 - shown} more — see /status" in text
    short = alert_message([AlertLine(i, "halt", milestone=END) for i in range(100)], "offline_summary", EN)
    assert short.count("⏰") == ALERT_LINES_MAX
    assert f"and {100 - ALERT_LINES_MAX} more" in short


def test_health_names_every_count_and_the_last_error() -> None:
    text = health(
        {"pending": 3, "sending": 0, "sent": 1200, "failed": 2, "disabled_chats": 5, "last_error": "Timed <out>"}, EN
    )
    assert "pending: 3" in text
    assert "sent: 1,200" in text
    assert "Timed &lt;out&gt;" in text
