"""Implausible values are dropped at extraction, each with a reason: dates outside 1900–2100,
periods over ten years, head counts over ten million. A publication date outside that range refuses the page."""

from __future__ import annotations

import datetime as dt

import pytest

from articles.extract import extract_reports, extract_text
from articles.model import Article, ArticleError, Commitment
from articles.plausible import MAX_QUANTITY, clamp, screen

HEAD = "Truce declared\n\n19/04/2025 - 17:40\n\n"


def _page(body: str, head: str = HEAD) -> str:
    return head + body + "\n"


@pytest.mark.parametrize(
    ("body", "note"),
    [
        # Start plus 30 days stepped past year 9999: an OverflowError ("internal error") before.
        ("Russia declared a ceasefire in Ukraine for 30 days from 25 December 9999, the Kremlin said.", "9999-12-25"),
        ("Russia declared a ceasefire in Ukraine for 30 days until 2 January 0001, the Kremlin said.", "0001-01-02"),
        ("Russia declared a ceasefire in Ukraine from 1 January 9999 until 5 January 9999.", "9999-01-01"),
        ("Ukraine accused Russia of violating the ceasefire on 3 March 9999. Russia agreed to a 30-day truce.", "9999"),
        ("Russia agreed to exchange 5,000,000,000 prisoners with Ukraine on Sunday, Kyiv said.", "10,000,000"),
        ("Russia declared a ceasefire in Ukraine for 9999999 days from Sunday, the Kremlin said.", "10 years"),
    ],
)
def test_implausible_values_are_dropped_with_a_reason(body: str, note: str) -> None:
    article = extract_text(_page(body))
    assert any(note in text for text in article.notes), article.notes
    for commitment in article.commitments:
        for moment in (commitment.start, commitment.end, commitment.due):
            assert moment is None or 1900 <= moment.year <= 2100
        assert commitment.quantity is None or commitment.quantity <= MAX_QUANTITY
        assert commitment.duration_days is None or commitment.duration_days <= 3660
    for report in article.reports:
        assert report.date is None or 1900 <= report.date.year <= 2100


@pytest.mark.parametrize("stamp", ["19/04/9999 - 17:40", "31/12/9999 - 23:40", "01/01/0001 - 00:10"])
def test_a_publication_date_outside_the_range_refuses_the_page(stamp: str) -> None:
    text = _page("Russia declared a ceasefire in Ukraine for 30 days from tomorrow.", f"Truce\n\n{stamp}\n\n")
    with pytest.raises(ArticleError, match="outside 1900–2100"):
        extract_text(text)
    with pytest.raises(ArticleError, match="outside 1900–2100"):
        extract_text(_page("Russia declared a ceasefire.", "Truce\n\n"), published=dt.date(9999, 1, 1))


def test_ordinary_pages_carry_no_notes() -> None:
    ordinary = "Russia declared a ceasefire in Ukraine for 30 days from 18 March 2025, releasing 175 prisoners."
    assert extract_text(_page(ordinary)).notes == ()


def test_a_report_with_an_implausible_day_keeps_its_claim() -> None:
    reports = extract_reports(
        "Ukraine says Russia struck a power plant on 3 March 9999.",
        language="en",
        published=dt.date(2025, 3, 20),
        about="strike_halt",
    )
    assert all(r.date is None or r.date.year == 2025 for r in reports)


def test_screen_drops_fields_an_older_extractor_or_another_caller_set() -> None:
    bad = Commitment("release", ("Russia",), None, dt.date(9999, 1, 1), 99_999, None, None, 2**70, (), "agreed", "…")
    screened = screen(Article("x.txt", "en", dt.date(2025, 3, 1), "T", "h", commitments=(bad,)))
    [commitment] = screened.commitments
    assert (commitment.start, commitment.duration_days, commitment.quantity) == (None, None, None)
    assert len(screened.notes) == 3


def test_clamp_keeps_instants_inside_the_range() -> None:
    far = dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC)
    assert clamp(far).year == 2100
    assert clamp(dt.datetime(1, 1, 1, tzinfo=dt.UTC)).year == 1900
    ordinary = dt.datetime(2025, 3, 18, 12, tzinfo=dt.UTC)
    assert clamp(ordinary) == ordinary
