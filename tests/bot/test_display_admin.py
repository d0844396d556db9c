"""What an admin reads after loading an article or reporting: what a load created, merged and linked, and the
conflicts it raised, in the admin's language."""

from __future__ import annotations

import datetime as dt
import re

from bot import display
from storage.loader import CommitmentRef, LoadOutcome
from tests.bot.display_kit import DE, EN, outcome
from tracking.model import ConflictFacts, ConflictView


def test_load_result_lists_what_happened() -> None:
    text = "\n".join(display.load_result(outcome(), EN))
    assert "<b>#16</b> Russia, Ukraine: maritime ceasefire — Black Sea" in text
    assert "<b>#12</b>" in text
    assert "3 reports linked to #12 and #16." in text
    assert "1 report matched no commitment." in text
    assert "dates disagree" in text
    german = "\n".join(display.load_result(outcome(), DE))
    assert "3 Meldungen zugeordnet zu #12 und #16." in german
    assert "Neue Zusagen:" in german


def test_report_result_accepts_the_conflicts_or_the_whole_outcome() -> None:
    assert display.report_result(outcome(), EN) == display.report_result(outcome().conflicts, EN)
    many = [ConflictView(i, "claim_denied", f"summary {i}", (), ()) for i in range(14)]
    text = display.report_result(many, DE)
    assert "14 Widersprüche" in text
    assert "… und 4 weitere." in text
    assert "summary 9" in text
    assert "summary 10" not in text


def test_a_german_admin_reads_the_conflicts_a_load_raised_in_german() -> None:
    """The rules store facts, not an English sentence: what a load raised is worded in the reader's language."""
    violation = ConflictFacts(
        "violation_in_force", "strike_halt", claimant="Ukraine", accused=("Russia",), day=dt.date(2025, 3, 19)
    )
    short_by_one = ConflictFacts("quantity_mismatch", "release", day=dt.date(2025, 3, 19), promised=23, delivered=22)
    raised = [
        ConflictView(1, "violation_in_force", violation.record(), (1,), (11,)),
        ConflictView(2, "quantity_mismatch", short_by_one.record(), (2,), (1,)),
    ]
    german = display.report_result(raised, DE)
    assert "Ukraine wirft Russland einen Verstoß am Mi., 19. März vor – trotz Angriffsstopp" in german
    assert "Am Mi., 19. März nur 22 von 23 übergeben" in german
    assert not re.search(r"\b(accuses|handed over|strike halt)\b", german), german
    english = display.report_result(raised, EN)
    assert "Ukraine accuses Russia of a violation on Wed 19 Mar — during the strike halt" in english
    assert "{" not in german + english, "the stored record is never shown as it is"


def test_what_a_load_created_is_titled_in_the_readers_language() -> None:
    halt = {"kind": "strike_halt", "actors": ["Russia"], "scope": "energy infrastructure", "duration_days": 30}
    outcome = LoadOutcome(3, "Putin orders halt", created=[CommitmentRef(12, "Russia: strike halt, 30 days", halt)])
    german = "\n".join(display.load_result(outcome, DE))
    assert "<b>#12</b> Russland: Angriffsstopp — energy infrastructure…" in german
    assert "strike halt" not in german
