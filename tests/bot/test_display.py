"""What the bot says is valid Telegram HTML with every outside text escaped."""

from __future__ import annotations

import pytest

from bot import display
from bot.i18n import Ctx
from storage.chats import ChatView
from storage.loader import CommitmentRef
from tests.bot.display_kit import (
    BOTH,
    CHAT,
    DE,
    EN,
    HOSTILE,
    MILESTONE,
    D,
    assert_escaped,
    assert_valid_html,
    hostile_item,
    make_item,
    outcome,
)
from tracking.model import ConflictView

# --- escaping --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ctx", BOTH, ids=["en", "de"])
def test_status_detail_escapes_everything_from_articles(ctx: Ctx) -> None:
    text = "\n".join(display.status_detail(hostile_item(), next_milestone=None, subscribed=False, ctx=ctx))
    assert_escaped(text)
    assert text.count("&lt;script&gt;") >= 8  # actors, scope, condition, source, report ×3, conflicts, title
    plain = display.to_plain(text)
    assert HOSTILE in plain  # a reader sees exactly what the source wrote


@pytest.mark.parametrize("ctx", BOTH, ids=["en", "de"])
def test_status_page_escapes_titles(ctx: Ctx) -> None:
    item = make_item(actors=["<script>x</script> & co"], scope="<b>bold</b>")
    text = display.status_page([item], page=0, pages=1, total=1, ctx=ctx)
    assert_valid_html(text)
    assert "<script>" not in text
    assert "<b>bold</b>" not in text
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in text


def test_an_unknown_conflict_kind_falls_back_to_its_escaped_summary() -> None:
    item = hostile_item()
    sentence = display.conflict_sentence(item["conflicts"][1], item, EN)
    assert sentence == display.esc(HOSTILE)


@pytest.mark.parametrize("ctx", BOTH, ids=["en", "de"])
def test_every_function_showing_outside_text_escapes_it(ctx: Ctx) -> None:
    hostile_conflict = ConflictView(1, "violation_in_force", HOSTILE, (1,), (1,))
    texts = [
        display.subscribed(ctx, title=HOSTILE),
        display.unsubscribed(ctx, title=HOSTILE),
        display.subscriptions(ctx, all_=True, items=[(3, HOSTILE)]),
        display.setting_changed("timezone", HOSTILE, ctx),
        display.setting_changed("quiet", HOSTILE, ctx),
        display.setting_changed(HOSTILE, HOSTILE, ctx),
        display.bad_setting("timezone", HOSTILE, "timezone", ctx),
        display.bad_setting("language", HOSTILE, "language", ctx),
        display.bad_setting("quiet", HOSTILE, "quiet", ctx),
        display.bad_setting(HOSTILE, "x", "unknown_setting", ctx),
        display.bad_article(HOSTILE, ctx),
        display.unknown_id(HOSTILE, ctx),
        display.alert_message(
            [
                display.AlertLine(
                    12,
                    hostile_item(),
                    MILESTONE.at,
                    milestone=MILESTONE,
                    sources=(display.AlertSource(HOSTILE, D(2025, 3, 18)),),
                ),
                display.AlertLine(12, hostile_item(), MILESTONE.at, conflict_kind="something_new", summary=HOSTILE),
            ],
            "on_time",
            ctx,
        ),
        display.report_result([hostile_conflict], ctx),
        "\n".join(
            display.load_result(
                outcome(
                    title=HOSTILE,
                    created=[CommitmentRef(1, HOSTILE)],
                    merged=[CommitmentRef(2, HOSTILE)],
                    conflicts=[hostile_conflict],
                ),
                ctx,
            )
        ),
        "\n".join(display.load_result(outcome(title=HOSTILE, duplicate=True), ctx)),
    ]
    for text in texts:
        assert_valid_html(text)
        assert "<script>" not in text, text
        assert "<b>bold</b>" not in text, text
        assert "&lt;" in text, text


def test_settings_view_escapes_the_stored_zone_and_lists_the_typed_forms() -> None:
    odd = ChatView(1, "private", None, "en", "<script>", None, None, True, True, False)
    text = display.settings_view(odd, EN)
    assert_valid_html(text)
    assert "&lt;script&gt;" in text
    for typed in ("timezone Europe/Berlin", "language de", "quiet 22:00-07:00", "quiet off"):
        assert f"<code>/settings {typed}</code>" in text
    assert "Quiet hours:</b> off" in text
    assert "22:00–07:00" in display.settings_view(CHAT, EN)
    assert "Ruhezeiten:</b> 22:00–07:00" in display.settings_view(CHAT, DE)
