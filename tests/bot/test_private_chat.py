"""Every command in a private chat, in English and German, over real long polling against the loopback Bot API."""

from __future__ import annotations

import io
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from PIL import Image

from bot import display
from bot.callback_data import Button, decode
from bot.i18n import Ctx
from bot.keyboards import PAGE_SIZE
from bot.localapi import Chat, User
from storage import chats
from tests.bot.harness import ADMIN, MEMBER, PolledBot, buttons, texts

EN = Ctx(language="en", tz=ZoneInfo("UTC"))
DE = Ctx(language="de", tz=ZoneInfo("UTC"))
ALICE = Chat(ADMIN.id)
BERND = Chat(MEMBER.id)
HALT_TITLE = "Russia: strike halt — energy infrastructure, 30 days"


async def halt_id(bot: PolledBot) -> int:
    calls = await bot.say(ALICE, ADMIN, "/status")
    for page in range(5):
        for label, data in buttons(calls[-1]):
            button = decode(data)
            if button and button.action == "open" and "strike halt" in label and "energy" in label:
                return int(button.arg)
        calls = await bot.press(ALICE, ADMIN, calls[-1].result["message_id"], Button("page", str(page + 1)).encode())
    raise AssertionError("the energy halt is not in the status list")


async def test_start_welcomes_with_two_buttons_in_the_users_language(bot: PolledBot) -> None:
    [reply] = await bot.say(ALICE, ADMIN, "/start")
    assert reply.params["text"] == display.welcome(EN)
    assert reply.params["parse_mode"] == "HTML"
    assert [decode(data) for _, data in buttons(reply)] == [Button("sub", "all"), Button("page", "0")]

    [german] = await bot.say(BERND, MEMBER, "/start")
    assert german.params["text"] == display.welcome(DE)
    assert german.params["text"] != display.welcome(EN)


async def test_help_lists_admin_commands_only_for_admins(bot: PolledBot) -> None:
    [admin_help] = await bot.say(ALICE, ADMIN, "/help")
    [member_help] = await bot.say(BERND, MEMBER, "/help")
    assert admin_help.params["text"] == display.help_text(EN, admin=True)
    assert member_help.params["text"] == display.help_text(DE, admin=False)
    assert "/report" in admin_help.params["text"]
    assert "/report" not in member_help.params["text"]


async def test_status_pages_most_urgent_first_and_buttons_open_items(bot: PolledBot) -> None:
    [first] = await bot.say(ALICE, ADMIN, "/status")
    opened = [decode(d) for _, d in buttons(first)]
    item_buttons = [b for b in opened if b and b.action == "open"]
    assert len(item_buttons) == PAGE_SIZE
    assert Button("page", "1") in opened, "18 commitments need a second page"
    assert "day 5 of 30" in first.params["text"]  # the energy halt on 22 March, as a reader sees it

    [second] = await bot.press(ALICE, ADMIN, first.result["message_id"], Button("page", "1").encode())
    assert second.method == "editMessageText"
    assert second.params["message_id"] == first.result["message_id"]
    assert {b.arg for b in map(decode, (d for _, d in buttons(second))) if b and b.action == "open"}.isdisjoint(
        {b.arg for b in item_buttons}
    )

    detail = await bot.press(ALICE, ADMIN, first.result["message_id"], item_buttons[0].encode())
    assert f"#{item_buttons[0].arg}" in texts(detail)


async def test_status_detail_shows_sources_reports_conflicts_and_next_milestone(bot: PolledBot) -> None:
    commitment = await halt_id(bot)
    calls = await bot.say(ALICE, ADMIN, f"/status {commitment}")
    text = texts(calls)
    assert "energy infrastructure" in text
    assert "Putin agrees to pause strikes on Ukraine" in text  # a source title
    assert "Telefonat mit Trump" in text  # the German source of the same commitment
    assert all(len(c.params["text"]) <= 4096 for c in calls)
    detail_buttons = [decode(d) for _, d in buttons(calls[-1])]
    assert Button("sub", str(commitment)) in detail_buttons


@pytest.mark.parametrize("raw", ["999", "abc", "0", "-3"])
async def test_unknown_or_malformed_id_says_so(bot: PolledBot, raw: str) -> None:
    [reply] = await bot.say(ALICE, ADMIN, f"/status {raw}")
    assert reply.params["text"] == display.unknown_id(raw, EN)


async def test_subscribe_unsubscribe_and_list(bot: PolledBot) -> None:
    commitment = await halt_id(bot)
    [reply] = await bot.say(ALICE, ADMIN, f"/subscribe {commitment}")
    assert reply.params["text"] == display.subscribed(EN, title=HALT_TITLE)
    [again] = await bot.say(ALICE, ADMIN, f"/subscribe {commitment}")
    assert again.params["text"] == display.already_subscribed(EN)
    assert await chats.subscriptions_of(bot.deps.sessions, ALICE.id) == (False, [commitment])

    [everything] = await bot.say(ALICE, ADMIN, "/subscribe")
    assert everything.params["text"] == display.subscribed(EN, title=None)
    [listing] = await bot.say(ALICE, ADMIN, "/subscriptions")
    assert listing.params["text"] == display.subscriptions(EN, all_=True, items=[(commitment, HALT_TITLE)])

    [one] = await bot.say(ALICE, ADMIN, f"/unsubscribe {commitment}")
    assert one.params["text"] == display.unsubscribed(EN, title=HALT_TITLE)
    [all_off] = await bot.say(ALICE, ADMIN, "/unsubscribe all")
    assert all_off.params["text"] == display.unsubscribed(EN, title=None)
    assert await chats.subscriptions_of(bot.deps.sessions, ALICE.id) == (False, [])
    [none] = await bot.say(ALICE, ADMIN, "/unsubscribe all")
    assert none.params["text"] == display.not_subscribed(EN)


async def test_subscribe_button_on_the_detail_toggles(bot: PolledBot) -> None:
    commitment = await halt_id(bot)
    calls = await bot.say(ALICE, ADMIN, f"/status {commitment}")
    await bot.press(ALICE, ADMIN, calls[-1].result["message_id"], Button("sub", str(commitment)).encode())
    assert await chats.is_subscribed(bot.deps.sessions, ALICE.id, commitment)
    edits = [c for c in bot.api.calls if c.method == "editMessageReplyMarkup"]
    assert edits, "the button flips to 'unsubscribe'"
    assert Button("unsub", str(commitment)) in [decode(d) for _, d in buttons(edits[-1])]


async def test_timeline_is_a_png(bot: PolledBot) -> None:
    [photo] = await bot.say(ALICE, ADMIN, "/timeline")
    assert photo.method == "sendPhoto"
    _, data = photo.files["photo"]
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size[0] >= 600
    assert image.size[1] >= 300


async def test_calendar_parses_back_in_the_chats_zone(bot: PolledBot) -> None:
    commitment = await halt_id(bot)
    await bot.say(ALICE, ADMIN, "/settings timezone Europe/Berlin")
    [document] = await bot.say(ALICE, ADMIN, f"/calendar {commitment}")
    assert document.method == "sendDocument"
    name, data = document.files["document"]
    assert name.endswith(".ics")
    calendar = Calendar.from_ical(data)
    starts = [event.decoded("dtstart") for event in calendar.walk("VEVENT")]
    assert date(2025, 4, 17) in [s if not hasattr(s, "date") else s.date() for s in starts]  # the halt's end


async def test_settings_typed_and_bad_values_are_named(bot: PolledBot) -> None:
    [view] = await bot.say(ALICE, ADMIN, "/settings")
    chat = await chats.get_chat(bot.deps.sessions, ALICE.id)
    assert chat is not None
    assert view.params["text"] == display.settings_view(chat, EN)

    await bot.say(ALICE, ADMIN, "/settings timezone Europe/Kyiv")
    await bot.say(ALICE, ADMIN, "/settings quiet 22:00-07:00")
    calls = await bot.say(ALICE, ADMIN, "/settings language de")
    chat = await chats.get_chat(bot.deps.sessions, ALICE.id)
    assert chat is not None
    assert (chat.language, chat.timezone, f"{chat.quiet_start}-{chat.quiet_end}") == (
        "de",
        "Europe/Kyiv",
        "22:00:00-07:00:00",
    )
    assert calls[0].params["text"] == display.setting_changed("language", "de", Ctx("de", ZoneInfo("Europe/Kyiv")))

    [bad_zone] = await bot.say(ALICE, ADMIN, "/settings timezone Mars/Olympus")
    assert "Mars/Olympus" in bad_zone.params["text"]
    [bad_quiet] = await bot.say(ALICE, ADMIN, "/settings quiet 25:00-07:00")
    assert "25:00-07:00" in bad_quiet.params["text"]
    await bot.say(ALICE, ADMIN, "/settings quiet off")
    chat = await chats.get_chat(bot.deps.sessions, ALICE.id)
    assert chat is not None
    assert chat.quiet_start is None


async def test_settings_buttons_change_the_language(bot: PolledBot) -> None:
    [view] = await bot.say(ALICE, ADMIN, "/settings")
    assert Button("set", "lang:de") in [decode(d) for _, d in buttons(view)]
    await bot.press(ALICE, ADMIN, view.result["message_id"], Button("set", "lang:de").encode())
    chat = await chats.get_chat(bot.deps.sessions, ALICE.id)
    assert chat is not None
    assert chat.language == "de"


async def test_unknown_command_hints_at_help(bot: PolledBot) -> None:
    [reply] = await bot.say(BERND, MEMBER, "/frobnicate now")
    assert reply.params["text"] == display.unknown_command(DE)


async def test_forged_button_is_answered_not_trusted(bot: PolledBot) -> None:
    await bot.press(ALICE, ADMIN, 1, "x|<script>")
    [answer] = bot.answered_callbacks()
    assert answer.params.get("text") == display.stale_button(EN)


async def test_every_message_fits_telegram_and_is_html(bot: PolledBot) -> None:
    commitment = await halt_id(bot)
    for line in ("/start", "/help", "/status", f"/status {commitment}", "/subscriptions", "/settings"):
        await bot.say(ALICE, ADMIN, line)
    for call in bot.api.sent(ALICE.id, "sendMessage"):
        assert len(call.params["text"]) <= 4096
        assert call.params.get("parse_mode") == "HTML"


async def test_a_new_german_private_chat_starts_in_german(bot: PolledBot) -> None:
    stranger = User(303, "Greta", "de")
    [reply] = await bot.say(Chat(stranger.id), stranger, "/help")
    assert reply.params["text"] == display.help_text(DE, admin=False)
