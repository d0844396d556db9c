"""Input that could raise instead of answering, Telegram's own refusals taken for failures, and every command's
argument parser driven by Hypothesis: each update gets an answer and no handler fails.

The real Application and Bot answer through the loopback Bot API in memory (a RecordingRequest), updates fed one at a
time; the Bot API refuses what Telegram refuses (an edit that changes nothing, a second answer to a button press, a
pop-up over 200 characters)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from telegram.ext import ContextTypes

from bot import display
from bot.callback_data import Button, decode
from bot.commands import COMMANDS
from bot.context import Deps, context_for
from bot.i18n import Ctx
from bot.localapi import Call, Chat, LocalBotApi
from storage import chats
from storage.models import CommitmentRow
from tests.bot.harness import ADMIN, GROUP, MEMBER, App, buttons, feed, recording_application

EN = Ctx(language="en", tz=ZoneInfo("UTC"))
ALICE = Chat(ADMIN.id)


@dataclass
class Recorded:
    """The application, its Bot API, and every error a handler raised (the error handler's view)."""

    api: LocalBotApi
    application: App
    errors: list[BaseException] = field(default_factory=list)

    async def send(self, chat: Chat, text: str, user: Any = ADMIN) -> list[Call]:
        before = len(self.api.calls)
        await feed(self.application, self.api.send_text(chat, user, text))
        return self.api.calls[before:]

    async def press(self, chat: Chat, message_id: int, data: str, user: Any = ADMIN) -> list[Call]:
        before = len(self.api.calls)
        await feed(self.application, self.api.press_button(chat, user, message_id, data))
        return self.api.calls[before:]


@pytest.fixture
async def recorded(deps: Deps) -> AsyncIterator[Recorded]:
    api = LocalBotApi()
    # No send pacing: it holds group replies 3 s apart, which is not under test.
    application = recording_application(deps, api, rate_limit=False)
    found = Recorded(api, application)

    async def collect(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.error is not None
        found.errors.append(context.error)

    application.add_error_handler(collect)
    async with application:
        yield found


def sent_texts(calls: list[Call]) -> list[str]:
    return [str(c.params.get("text") or c.params.get("caption") or "") for c in calls if c.result is not None]


def answers(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "answerCallbackQuery"]


# --- input that raised ------------------------------------------------------------------------------------------

UNKNOWN = display.unknown_id("³", EN)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/status ³", UNKNOWN),  # str.isdigit() accepts superscripts; int() then raised
        ("/subscribe ³", UNKNOWN),
        ("/unsubscribe ³", UNKNOWN),
        ("/calendar ³", UNKNOWN),
        ("/report ³ Ukraine accuses Russia of shelling Kherson", display.report_usage(EN)),
        ("/status ٣", display.unknown_id("٣", EN)),  # int() reads an Arabic-Indic 3 as commitment 3
        ("/status 99999999999999999999", display.unknown_id("99999999999999999999", EN)),
        ("/settings timezone Europe", display.bad_setting("timezone", "Europe", "timezone", EN)),  # a folder
        ("/settings timezone " + "A" * 300, display.bad_setting("timezone", "A" * 300, "timezone", EN)),
        ("/settings timezone ../../../etc/passwd", display.bad_setting("timezone", "../../../etc/passwd", "", EN)),
    ],
)
async def test_hostile_arguments_get_a_usage_line(recorded: Recorded, line: str, expected: str) -> None:
    calls = await recorded.send(ALICE, line)
    assert recorded.errors == []
    assert sent_texts(calls) == [expected]


async def test_a_zone_is_taken_in_any_case_and_stored_as_iana_spells_it(recorded: Recorded, deps: Deps) -> None:
    await recorded.send(ALICE, "/settings timezone europe/berlin")
    assert recorded.errors == []
    view = await chats.get_chat(deps.sessions, ALICE.id)
    assert view is not None
    assert view.timezone == "Europe/Berlin"


@pytest.mark.parametrize("data", ["t|tz:Europe", "t|tz:" + "A" * 58, "t|tz:..", "t|lang:fr", "p|" + "9" * 60, "x|1"])
async def test_forged_buttons_are_answered(recorded: Recorded, data: str) -> None:
    calls = await recorded.press(ALICE, 1, data)
    assert recorded.errors == []
    assert len(answers(calls)) == 1, "the spinner stops"


async def test_a_button_whose_handler_fails_is_answered_all_the_same(
    recorded: Recorded, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Whatever goes wrong behind a button, its spinner stops and the user hears of it once."""

    def broken(data: str | None) -> Button | None:
        raise RuntimeError("a bug before the answer")

    monkeypatch.setattr("bot.callbacks.decode", broken)
    with caplog.at_level(logging.ERROR):
        calls = await recorded.press(ALICE, 1, Button("page", "0").encode())
    assert len(recorded.errors) == 1
    [answer] = answers(calls)
    assert answer.result is True
    assert answer.params["text"] == display.to_plain(display.apology(EN))
    assert [c for c in calls if c.method == "sendMessage"] == [], "told once, in the pop-up"


# --- Telegram's refusals that are not failures ---------------------------------------------------------------


async def test_double_taps_on_status_more_and_subscribe_are_no_failures(recorded: Recorded) -> None:
    [welcome] = [c for c in await recorded.send(ALICE, "/start") if c.method == "sendMessage"]
    status = Button("page", "0").encode()
    first = await recorded.press(ALICE, welcome.result["message_id"], status)
    again = await recorded.press(ALICE, welcome.result["message_id"], status)  # the list is already shown
    assert [c.method for c in first if c.result is not None] == ["answerCallbackQuery", "editMessageText"]
    refused = [c for c in again if c.method == "editMessageText"]
    assert [c.result for c in refused] == [None], "Telegram refused the second edit: not modified"

    [listing] = [c for c in first if c.method == "editMessageText"]
    more = next(data for label, data in buttons(listing) if "More" in label)
    await recorded.press(ALICE, welcome.result["message_id"], more)
    await recorded.press(ALICE, welcome.result["message_id"], more)

    shown = next(b.arg for b in map(decode, (d for _, d in buttons(listing))) if b and b.action == "open")
    detail = [c for c in await recorded.send(ALICE, f"/status {shown}") if c.method == "sendMessage"][-1]
    subscribe = next(data for _, data in buttons(detail) if decode(data) == Button("sub", shown))
    await recorded.press(ALICE, detail.result["message_id"], subscribe)
    twice = await recorded.press(ALICE, detail.result["message_id"], subscribe)  # before the new buttons showed

    assert recorded.errors == [], "'message is not modified' is what the user asked for"
    assert all(display.apology(EN) not in text for text in sent_texts(recorded.api.calls))
    assert display.already_subscribed(EN) in sent_texts(twice)
    pressed = answers(recorded.api.calls)
    assert len(pressed) == 6
    assert all(c.result is True for c in pressed), "every press answered once"


async def test_a_long_title_is_cut_in_the_pop_up_and_the_subscription_holds(recorded: Recorded, deps: Deps) -> None:
    async with deps.sessions() as session, session.begin():  # a scope as long as a wordy source's
        await session.execute(update(CommitmentRow).values(scope="grid " * 80))
    listing = [c for c in await recorded.send(ALICE, "/status") if c.method == "sendMessage"][-1]
    shown = next(b.arg for b in map(decode, (d for _, d in buttons(listing))) if b and b.action == "open")
    detail = [c for c in await recorded.send(ALICE, f"/status {shown}") if c.method == "sendMessage"][-1]
    calls = await recorded.press(ALICE, detail.result["message_id"], Button("sub", shown).encode())
    assert recorded.errors == []
    [answer] = answers(calls)
    assert answer.result is True
    assert 150 < len(answer.params["text"]) <= display.POPUP_MAX
    assert await chats.is_subscribed(deps.sessions, ALICE.id, int(shown))
    assert any(c.method == "editMessageReplyMarkup" and c.result is not None for c in calls), "buttons now say 🔕"


# --- every command's argument parser, driven -------------------------------------------------------------------

WORDS = st.sampled_from(
    ["all", "alle", "off", "de", "en", "fr", "timezone", "tz", "language", "quiet", "22:00-07:00", "24:00-01:00",
     "Europe", "Europe/Berlin", "UTC", "#1", "#0", "0", "-1", "1", "3", "¹", "³", "٣", "①", "1e9", "0x10", "#",
     "99999999999999999999", "9" * 400, "A" * 300, "<b>", "&amp;", "\u200b", "..", "/", "@ceasefire_watch_bot",
     "Ukraine accuses Russia of shelling Kherson on 19 March", "Russland wirft der Ukraine Angriffe vor"]
)  # fmt: skip
ARGUMENTS = st.lists(
    WORDS | st.text(st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12),
    max_size=4,
)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arguments=ARGUMENTS, in_group=st.booleans(), as_admin=st.booleans())
async def test_every_command_answers_any_arguments(
    recorded: Recorded, command: str, arguments: list[str], in_group: bool, as_admin: bool
) -> None:
    chat = GROUP if in_group else Chat((ADMIN if as_admin else MEMBER).id)
    calls = await recorded.send(chat, " ".join([f"/{command}", *arguments]), ADMIN if as_admin else MEMBER)
    assert recorded.errors == [], f"/{command} {arguments!r} raised"
    assert any(c.result is not None and c.chat_id == chat.id for c in calls), f"/{command} {arguments!r}: no answer"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.text(max_size=70)
    | st.builds(
        lambda prefix, arg: f"{prefix}|{arg}",
        st.sampled_from(list("opsutmx")),
        WORDS.map(lambda w: w[:60]) | st.from_regex(r"[A-Za-z0-9_:/+\-.]{1,60}", fullmatch=True),
    )
)
async def test_every_button_press_is_answered(recorded: Recorded, data: str) -> None:
    calls = await recorded.press(ALICE, 1, data)
    assert recorded.errors == [], f"{data!r} raised"
    assert [c.result for c in answers(calls)] == [True], f"{data!r}: answered once"


@pytest.mark.parametrize(
    ("line", "answered"),
    [("/start@other_bot", False), ("/frobnicate@Other_Bot now", False), ("/frobnicate@ceasefire_watch_bot", True),
     ("/frobnicate@CEASEFIRE_WATCH_BOT", True), ("/frobnicate", True)],
)  # fmt: skip
async def test_commands_for_other_bots_are_left_to_them(recorded: Recorded, line: str, answered: bool) -> None:
    calls = await recorded.send(GROUP, line, MEMBER)
    assert recorded.errors == []
    expected = [display.unknown_command(EN)] if answered else []
    assert [str(c.params["text"]) for c in calls if c.method == "sendMessage"] == expected


def test_dates_far_from_the_readers_day_show_their_year() -> None:
    """An end thousands of years out read "Thu 17 Apr", as if this spring; near dates stay short."""
    ctx = Ctx(language="en", tz=ZoneInfo("UTC"), today=date(2025, 3, 22))
    assert ctx.date("2025-04-17") == "Thu 17 Apr"
    assert ctx.date("2024-11-26") == "Tue 26 Nov", "four months back: no year needed"
    assert ctx.date("3025-04-17") == "Sun 17 Apr 3025"
    assert ctx.when("9999-12-31T23:00:00+00:00") == "Fri 31 Dec 9999 23:00"
    assert ctx.date("0001-01-01") == "Mon 1 Jan 1"
    german = Ctx(language="de", tz=ZoneInfo("UTC"), today=date(2025, 3, 22))
    assert german.date("3025-04-17") == "So., 17. Apr. 3025"
    assert EN.date("3025-04-17") == "Sun 17 Apr", "without the reader's day, as before"


async def test_the_bots_readers_know_their_day(recorded: Recorded, deps: Deps) -> None:
    view = await chats.ensure_chat(deps.sessions, ALICE.id, type="private", title=None, language="en", timezone="UTC")
    assert context_for(view, deps).today == deps.clock.now().date()
