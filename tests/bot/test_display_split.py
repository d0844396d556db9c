"""Messages over Telegram's 4096-character limit split at line breaks, or at spaces, never inside a tag or an entity;
and what a message reads as without its markup."""

from __future__ import annotations

import re

from bot import display
from tests.bot.display_kit import DATES, DENIED, EN, HOSTILE, MILESTONE, VIOLATION, D, assert_valid_html, make_item


def test_a_30000_character_detail_splits_at_lines_within_the_limit() -> None:
    reports = [
        {
            "kind": "violation",
            "accused": ["Russia"],
            "claimed_by": "Ukraine",
            "date": D(2025, 3, 1 + i % 28),
            "quantity": i,
            "source": f"Source number {i} <b>with</b> markup & ampersands, long enough to fill the message " * 2,
        }
        for i in range(200)
    ]
    item = make_item(reports=reports, conflicts=[VIOLATION, DENIED, DATES] * 20)
    chunks = display.status_detail(item, next_milestone=MILESTONE, subscribed=True, ctx=EN)
    total = sum(len(chunk) for chunk in chunks)
    assert total >= 30_000
    assert len(chunks) >= 8
    for chunk in chunks:
        assert 0 < len(chunk) <= 4096
        assert_valid_html(chunk)
    joined = "\n".join(chunks)
    assert display.split_html(joined) == chunks  # cut only at line breaks: the lines come back unchanged
    assert joined.count("\n• ") >= 200 + 2


def test_split_html_joins_back_to_the_text() -> None:
    lines = [f"<b>#{i}</b> line {i} &amp; more " + "x" * (i % 90) for i in range(2000)]
    text = "\n".join(lines)
    chunks = display.split_html(text, limit=500)
    assert all(len(chunk) <= 500 for chunk in chunks)
    assert "\n".join(chunks) == text
    assert display.split_html("short") == ["short"]
    assert display.split_html("") == []


def test_a_single_overlong_line_is_cut_at_spaces_never_in_a_tag_or_entity() -> None:
    words = " ".join(f"<b>bold{i}</b> &amp; &lt;w{i}&gt; <i>it {i} x</i>" for i in range(800))
    line = f"<b>start {words} end</b>"
    chunks = display.split_html(line, limit=300)
    assert len(chunks) > 10
    for chunk in chunks:
        assert len(chunk) <= 300
        assert_valid_html(chunk)  # tags open at a cut are closed there and reopened after
        assert not re.search(r"&[#\w]*$", chunk)
    assert "".join(display.to_plain(c) for c in chunks) == display.to_plain(line)


def test_a_line_without_spaces_is_still_cut_between_atoms() -> None:
    line = "&amp;" * 1000
    chunks = display.split_html(line, limit=99)
    assert all(len(c) <= 99 and c.endswith(";") and c.startswith("&amp;") for c in chunks)
    assert "".join(chunks) == line


def test_to_plain() -> None:
    assert display.to_plain("<b>#1</b> a &amp; b &lt;script&gt;") == "#1 a & b <script>"
    assert display.to_plain(display.esc(HOSTILE)) == HOSTILE
