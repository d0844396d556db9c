"""What the bot says: escaping of every outside text, both languages, phrases, ordering and the 4096 limit."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app import render
from bot import display
from bot.i18n import Ctx
from schedules.plan import Milestone
from storage.chats import ChatView
from storage.loader import CommitmentRef, LoadOutcome
from tracking.model import ConflictFacts, ConflictView

EN = Ctx("en", ZoneInfo("Europe/Berlin"))
DE = Ctx("de", ZoneInfo("Europe/Berlin"))
BOTH = [EN, DE]
HOSTILE = '<b>bold</b> <script>alert("x")</script> Tom & Jerry'
ALLOWED_TAGS = {"b", "i", "code"}
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
D = dt.date
CET = dt.timezone(dt.timedelta(hours=1))
MSK = dt.timezone(dt.timedelta(hours=3))


class _Checker(HTMLParser):
    """Fails on anything Telegram's HTML mode would reject: unknown tags, unbalanced tags, bad entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"tag <{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()


def assert_valid_html(text: str) -> None:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert checker.errors == [], text
    assert checker.stack == [], text
    for match in re.finditer(r"&[^\s&]*", text):
        assert ENTITY.match(match.group()), f"bad entity {match.group()!r} in {text!r}"


def assert_escaped(text: str) -> None:
    """The hostile text shows as text: no raw tag of it, its escaped form present."""
    assert_valid_html(text)
    assert "<script>" not in text
    assert "<b>bold</b>" not in text
    assert "&lt;script&gt;" in text
    assert "Tom &amp; Jerry" in text or "Tom &amp;" in text


def make_item(**changes: Any) -> dict[str, Any]:
    """A commitment as tracking.status writes it: the 30-day energy strike halt on day 5."""
    item: dict[str, Any] = {
        "id": 12,
        "kind": "strike_halt",
        "title": "Russia: strike halt — energy infrastructure, 30 days",
        "actors": ["Russia"],
        "scope": "energy infrastructure",
        "conditions": [],
        "start": D(2025, 3, 18),
        "end": D(2025, 4, 17),
        "due": None,
        "duration_days": 30,
        "quantity": None,
        "state": "active",
        "disputed": True,
        "days_elapsed": 4,
        "days_left": 25,
        "sources": [
            {
                "title": "Putin agrees to pause strikes on Ukraine's power grid",
                "language": "en",
                "published": dt.datetime(2025, 3, 18, 19, 40, tzinfo=dt.UTC),
                "path": "examples/articles/en_putin-trump-call_2025-03-18.txt",
            },
            {
                "title": "Telefonat mit Trump: Putin stoppt Angriffe auf Energieanlagen",
                "language": "de",
                "published": dt.datetime(2025, 3, 18, 20, 51, tzinfo=CET),
                "path": "examples/articles/de_putin-trump-telefonat_2025-03-18.txt",
            },
        ],
        "reports": [
            {
                "kind": "violation",
                "accused": ["Russia"],
                "claimed_by": "Ukraine",
                "date": D(2025, 3, 19),
                "quantity": None,
                "source": "Ukraine-Krieg: Streit um Angriffe",
            },
            {
                "kind": "denial",
                "accused": [],
                "claimed_by": "Russia",
                "date": D(2025, 3, 19),
                "quantity": None,
                "source": "Ukraine-Krieg: Streit um Angriffe",
            },
        ],
        "conflicts": [],
    }
    item.update(changes)
    return item


VIOLATION = {
    "kind": "violation_in_force",
    "summary": "Ukraine accuses Russia of violating the strike halt on 2025-03-19 …",
    "reports": [make_item()["reports"][0]],
    "sources": [{"title": "Ukraine-Krieg: Streit um Angriffe", "path": "a.txt"}],
}
DENIED = {
    "kind": "claim_denied",
    "summary": "… reports Russia denying it.",
    "reports": make_item()["reports"],
    "sources": [{"title": "Ukraine-Krieg: Streit um Angriffe", "path": "a.txt"}],
}
DATES = {
    "kind": "date_disagreement",
    "summary": "Sources disagree on the dates of the strike halt …",
    "reports": [],
    "sources": [{"title": "A", "path": "a.txt"}, {"title": "B", "path": "b.txt"}],
}


def hostile_item() -> dict[str, Any]:
    """Every field that came from an article carries markup and an ampersand."""
    report = {
        "kind": "violation",
        "accused": [HOSTILE],
        "claimed_by": HOSTILE,
        "date": D(2025, 3, 19),
        "quantity": 3,
        "source": HOSTILE,
    }
    return make_item(
        title=HOSTILE,
        actors=[HOSTILE],
        scope=HOSTILE,
        conditions=[HOSTILE],
        sources=[{"title": HOSTILE, "language": "en", "published": D(2025, 3, 18), "path": "x.txt"}],
        reports=[report],
        conflicts=[
            {"kind": "violation_in_force", "summary": HOSTILE, "reports": [report], "sources": [{"title": HOSTILE}]},
            {"kind": "something_new", "summary": HOSTILE, "reports": [], "sources": []},
        ],
    )


CHAT = ChatView(
    id=-100,
    type="group",
    title="Group",
    language="en",
    timezone="Europe/Berlin",
    quiet_start=dt.time(22, 0),
    quiet_end=dt.time(7, 0),
    enabled=True,
    member=True,
    subscribed_all=False,
)
MILESTONE = Milestone(12, "before_end", dt.datetime(2025, 4, 14, 8, 0, tzinfo=dt.UTC), days_before=3)


def outcome(**changes: Any) -> LoadOutcome:
    values: dict[str, Any] = {
        "article_id": 7,
        "title": "Black Sea truce agreed in Riyadh",
        "created": [CommitmentRef(16, "Russia, Ukraine: maritime ceasefire — Black Sea")],
        "merged": [CommitmentRef(12, "Russia: strike halt — energy infrastructure, 30 days")],
        "linked": [(101, 12), (102, 12), (103, 16)],
        "unlinked": [104],
        "conflicts": [
            ConflictView(5, "date_disagreement", "Sources disagree on the dates of the strike halt.", (), (1, 7))
        ],
    }
    values.update(changes)
    return LoadOutcome(**values)


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


# --- splitting ---------------------------------------------------------------------------------------------------


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


# --- small messages -----------------------------------------------------------------------------------------------


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


def test_subscriptions_view() -> None:
    assert "everything" in display.subscriptions(EN, all_=True, items=[])
    some = display.subscriptions(EN, all_=False, items=[(12, "Halt"), (3, "Talks")])
    assert "<b>#12</b> Halt" in some
    assert "<b>#3</b> Talks" in some
    assert "<code>/subscribe</code>" in display.subscriptions(EN, all_=False, items=[])
    assert "Dieser Chat hat nichts abonniert." in display.subscriptions(DE, all_=False, items=[])


def test_titles_are_localised_from_the_fields() -> None:
    item = make_item(actors=["United States", "Russia"], kind="negotiations", scope=None, duration_days=None)
    assert display.title(item, EN) == "United States, Russia: negotiations"
    assert display.title(item, DE) == "USA, Russland: Verhandlungen"
    people = make_item(kind="release", actors=["Hamas"], scope=None, duration_days=None, quantity=1000)
    assert display.title(people, EN) == "Hamas: release, 1,000 people"
    assert display.title(people, DE) == "Hamas: Freilassung, 1.000 Personen"
    assert display.title(make_item(actors=[], scope=None, duration_days=1), EN) == "Unnamed parties: strike halt, 1 day"


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
