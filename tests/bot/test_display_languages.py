"""Every message in English and in German, each language's own phrases, and the fixed messages, help and command
menu as Telegram accepts them."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import pytest

from bot import display
from bot.commands import COMMANDS
from bot.i18n import Ctx
from tests.bot.display_kit import (
    BOTH,
    CHAT,
    DATES,
    DE,
    DENIED,
    EN,
    MILESTONE,
    VIOLATION,
    assert_valid_html,
    make_item,
    outcome,
)

# --- both languages ---------------------------------------------------------------------------------------------


def _all_texts(ctx: Ctx) -> dict[str, str]:
    item = make_item(conflicts=[VIOLATION, DENIED, DATES])
    return {
        "welcome": display.welcome(ctx),
        "help": display.help_text(ctx, admin=False),
        "help_admin": display.help_text(ctx, admin=True),
        "status_page": display.status_page([item], page=0, pages=2, total=9, ctx=ctx),
        "status_detail": "\n".join(display.status_detail(item, next_milestone=MILESTONE, subscribed=True, ctx=ctx)),
        "status_detail_unsub": "\n".join(display.status_detail(item, next_milestone=None, subscribed=False, ctx=ctx)),
        "milestone": display.alert_message(
            [display.AlertLine(12, make_item(), MILESTONE.at, milestone=MILESTONE)], "on_time", ctx
        ),
        "subscribed_all": display.subscribed(ctx, title=None),
        "subscribed_one": display.subscribed(ctx, title="Title"),
        "already": display.already_subscribed(ctx),
        "unsubscribed_all": display.unsubscribed(ctx, title=None),
        "unsubscribed_one": display.unsubscribed(ctx, title="Title"),
        "not_subscribed": display.not_subscribed(ctx),
        "subscriptions_all": display.subscriptions(ctx, all_=True, items=[]),
        "subscriptions_some": display.subscriptions(ctx, all_=False, items=[(12, "Title")]),
        "subscriptions_none": display.subscriptions(ctx, all_=False, items=[]),
        "settings": display.settings_view(CHAT, ctx),
        "changed_language": display.setting_changed("language", "de", ctx),
        "changed_timezone": display.setting_changed("timezone", "Europe/Kyiv", ctx),
        "changed_quiet": display.setting_changed("quiet", "22:00-07:00", ctx),
        "changed_quiet_off": display.setting_changed("quiet", "off", ctx),
        "bad_timezone": display.bad_setting("timezone", "Mars/Olympus", "timezone", ctx),
        "bad_language": display.bad_setting("language", "fr", "language", ctx),
        "bad_quiet": display.bad_setting("quiet", "late", "quiet", ctx),
        "bad_name": display.bad_setting("colour", "red", "unknown_setting", ctx),
        "bad_missing": display.bad_setting("timezone", "", "missing_value", ctx),
        "load": "\n".join(display.load_result(outcome(), ctx)),
        "load_duplicate": "\n".join(display.load_result(outcome(duplicate=True), ctx)),
        "load_empty": "\n".join(
            display.load_result(outcome(created=[], merged=[], linked=[], unlinked=[], conflicts=[]), ctx)
        ),
        "report": display.report_result(outcome().conflicts, ctx),
        "report_none": display.report_result([], ctx),
        "report_usage": display.report_usage(ctx),
        "report_not_understood": display.report_not_understood(ctx),
        "bad_article": display.bad_article("empty file", ctx),
        "not_admin": display.not_admin(ctx),
        "not_chat_admin": display.not_chat_admin(ctx),
        "unknown_command": display.unknown_command(ctx),
        "unknown_number": display.unknown_id("999", ctx),
        "unknown_word": display.unknown_id("abc", ctx),
        "apology": display.apology(ctx),
        "nothing": display.nothing_tracked(ctx),
        "stale": display.stale_button(ctx),
        "timeline": display.timeline_caption(ctx),
        "calendar": display.calendar_caption(ctx),
    }


def test_every_message_exists_in_both_languages_and_german_is_not_english() -> None:
    english, german = _all_texts(EN), _all_texts(DE)
    assert english.keys() == german.keys()
    for name in english:
        assert english[name].strip(), name
        assert german[name].strip(), name
        assert english[name] != german[name], f"{name} is the same in German: {german[name]!r}"
        assert_valid_html(english[name])
        assert_valid_html(german[name])


# What each language says where: (language, text, phrase the text holds).
PHRASES = [
    ("de", "welcome", "Alles abonnieren"),
    ("de", "help", "Befehle"),
    ("de", "status_page", "Tag 5 von 30 · noch 25 Tage · endet Do., 17. Apr. ⚠ 3"),
    ("de", "status_page", "Seite 1/2"),
    ("de", "status_detail", "Russland: Angriffsstopp — energy infrastructure, 30 Tage"),
    ("de", "status_detail", "Als Nächstes: 3 Tage vor dem Ende, Mo., 14. Apr."),
    ("de", "status_detail", "Ukraine wirft Russland einen Verstoß am Mi., 19. März vor"),
    ("de", "status_detail", "Sie galt vom Di., 18. März bis zum Do., 17. Apr."),
    ("de", "unknown_number", "Es gibt keine Zusage #999."),
    ("de", "unknown_word", "„abc“ ist keine Nummer einer Zusage."),
    ("en", "status_page", "day 5 of 30 · 25 days left · ends Thu 17 Apr ⚠ 3"),
    ("en", "status_detail", "Next: 3 days before the end, Mon 14 Apr"),
    ("en", "status_detail", "This chat is subscribed to it."),
    ("en", "status_detail_unsub", "This chat is not subscribed to it."),
    ("en", "unknown_number", "There is no commitment #999."),
    ("en", "unknown_word", "“abc” is not a commitment number."),
    ("en", "unknown_command", "/help"),
    ("en", "bad_timezone", "Mars/Olympus"),
    ("en", "bad_language", "fr"),
    ("en", "bad_quiet", "late"),
    ("en", "bad_name", "colour"),
    ("en", "load_duplicate", "nothing changed"),
]


@functools.cache
def _texts_in(language: str) -> dict[str, str]:
    return _all_texts({"en": EN, "de": DE}[language])


@pytest.mark.parametrize(("language", "name", "phrase"), PHRASES)
def test_each_language_says_it_its_way(language: str, name: str, phrase: str) -> None:
    assert phrase in _texts_in(language)[name]


def test_german_dates_leave_no_double_stop() -> None:
    assert ".." not in _texts_in("de")["status_detail"]


def test_english_page_head_and_apology() -> None:
    english = _texts_in("en")
    assert english["status_page"].startswith("<b>9 commitments</b> · page 1/2")
    assert "Traceback" not in english["apology"]
    assert len(english["apology"]) < 100


def test_help_shows_admin_commands_only_to_admins() -> None:
    for ctx in BOTH:
        everyone = display.help_text(ctx, admin=False)
        admin = display.help_text(ctx, admin=True)
        for command in ("/start", "/help", "/status", "/subscribe", "/unsubscribe", "/subscriptions", "/timeline"):
            assert command in everyone
        for command in ("/calendar", "/settings", "[ID|all]", "/status ID"):
            assert command in everyone
        assert "/report" not in everyone
        assert ".txt" not in everyone
        assert "/report ID text" in admin
        assert ".txt" in admin


def test_command_menu_names_each_command_once_in_both_languages() -> None:
    english = display.command_menu(EN)
    german = display.command_menu(DE)
    names = [name for name, _ in english]
    assert names == [name for name, _ in german]
    assert len(names) == len(set(names))
    assert {"start", "help", "status", "subscribe", "settings"} <= set(names)
    assert "report" not in names
    assert all(re.fullmatch(r"[a-z0-9_]{1,32}", name) for name in names)
    assert all(0 < len(text) <= 256 for _, text in english + german)
    assert [t for _, t in english] != [t for _, t in german]


def test_every_command_the_menu_and_help_offer_has_a_handler() -> None:
    """The words live in bot.display, the routes beside their handlers: a command offered must also be routed."""
    offered = {name for name, _ in display.command_menu(EN)}
    offered |= set(re.findall(r"(?<![<\w])/([a-z]+)", display.help_text(EN, admin=True)))
    assert offered <= set(COMMANDS)
    assert {"report", "edit", "merge", "retract", "history", "review", "feeds", "load", "health"} <= set(COMMANDS)


# --- small messages -----------------------------------------------------------------------------------------------


def test_subscriptions_view() -> None:
    assert "everything" in display.subscriptions(EN, all_=True, items=[])
    some = display.subscriptions(EN, all_=False, items=[(12, "Halt"), (3, "Talks")])
    assert "<b>#12</b> Halt" in some
    assert "<b>#3</b> Talks" in some
    assert "<code>/subscribe</code>" in display.subscriptions(EN, all_=False, items=[])
    assert "Dieser Chat hat nichts abonniert." in display.subscriptions(DE, all_=False, items=[])


@pytest.mark.parametrize(
    "function",
    [
        display.welcome,
        display.apology,
        display.not_admin,
        display.not_chat_admin,
        display.unknown_command,
        display.nothing_tracked,
        display.stale_button,
        display.timeline_caption,
        display.calendar_caption,
        display.already_subscribed,
        display.not_subscribed,
        display.report_usage,
        display.report_not_understood,
    ],
)
def test_fixed_messages_are_valid_html_in_both_languages(function: Callable[[Ctx], str]) -> None:
    for ctx in BOTH:
        text = function(ctx)
        assert_valid_html(text)
        assert len(text) <= 4096
