"""The buttons under an alert: "Details" opens the commitment, "Mute" stops this chat's alerts about it (and turns
into "Unmute"); in a chat that follows everything it mutes that one commitment."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application

from bot import keyboards
from bot.app import build_application
from bot.context import Deps
from bot.i18n import Ctx
from bot.localapi import Call, Chat, LocalBotApi
from storage import chats
from storage.queries import tracked
from tests.bot.harness import ADMIN, GROUP, MEMBER, RecordingRequest, buttons, feed

EN = Ctx("en", ZoneInfo("UTC"))
ALICE = Chat(ADMIN.id)
App = Application[Any, Any, Any, Any, Any, Any]


@pytest.fixture
async def recorded(deps: Deps) -> AsyncIterator[tuple[LocalBotApi, App]]:
    api = LocalBotApi()
    api.admins[GROUP.id] = {ADMIN.id}
    request = RecordingRequest(api)
    application = build_application(
        deps, token=api.token, base_url="http://unused/bot", base_file_url="x", request=request
    )
    async with application:
        yield api, application


async def follow(sessions: async_sessionmaker[AsyncSession], chat: Chat, commitment: int | None) -> None:
    await chats.ensure_chat(sessions, chat.id, type=chat.type, title=chat.title, language="en", timezone="UTC")
    await chats.subscribe(sessions, chat.id, commitment, at=datetime(2025, 3, 1, tzinfo=UTC))


async def press(api: LocalBotApi, application: App, chat: Chat, data: str, under: list[int], **shown: Any) -> None:
    """Press a button of an alert about ``under``, as Telegram sends it: with the message's keyboard."""
    update = api.press_button(chat, ADMIN if chat != GROUP or shown.get("admin", True) else MEMBER, 42, data)
    markup = keyboards.alert_keyboard(under, EN, muted=shown.get("muted", set()))
    update["callback_query"]["message"]["reply_markup"] = markup.to_dict()
    await feed(application, update)


async def halt_and_release(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    """The ids of the energy strike halt and the release of the 23, both known on the bot's clock (22 March)."""
    items = await tracked(sessions)
    halt = next(i.id for i in items if i.kind == "strike_halt" and i.scope == "energy infrastructure")
    release = next(i.id for i in items if i.kind == "release" and i.quantity == 23)
    return halt, release


def called(api: LocalBotApi, method: str) -> list[Call]:
    return [c for c in api.calls if c.method == method]


async def test_mute_stops_this_commitment_and_the_button_becomes_unmute(
    recorded: tuple[LocalBotApi, App], sessions: async_sessionmaker[AsyncSession]
) -> None:
    api, application = recorded
    halt, release = await halt_and_release(sessions)
    await follow(sessions, ALICE, halt)
    await follow(sessions, ALICE, release)
    await press(api, application, ALICE, f"u|{halt}:a", [halt, release])
    assert not await chats.is_subscribed(sessions, ALICE.id, halt)
    assert await chats.is_subscribed(sessions, ALICE.id, release)
    [answer] = called(api, "answerCallbackQuery")
    assert answer.params["text"].startswith("🔕 Unsubscribed from Russia: strike halt")
    [edit] = called(api, "editMessageReplyMarkup")
    assert buttons(edit) == [
        (f"ℹ️ Details #{halt}", f"o|{halt}"),
        (f"🔔 Unmute #{halt}", f"s|{halt}:a"),
        (f"ℹ️ Details #{release}", f"o|{release}"),
        (f"🔕 Mute #{release}", f"u|{release}:a"),
    ]

    await press(api, application, ALICE, f"s|{halt}:a", [halt, release], muted={halt})
    assert await chats.is_subscribed(sessions, ALICE.id, halt)
    assert (f"🔕 Mute #{halt}", f"u|{halt}:a") in buttons(called(api, "editMessageReplyMarkup")[-1])


async def test_mute_in_a_chat_that_follows_everything_mutes_that_commitment(
    recorded: tuple[LocalBotApi, App], sessions: async_sessionmaker[AsyncSession]
) -> None:
    api, application = recorded
    halt, release = await halt_and_release(sessions)
    await follow(sessions, ALICE, None)
    await press(api, application, ALICE, f"u|{halt}:a", [halt, release])
    assert not await chats.is_subscribed(sessions, ALICE.id, halt)
    assert await chats.is_subscribed(sessions, ALICE.id, release)
    assert await chats.muted_of(sessions, ALICE.id) == [halt]
    [edit] = called(api, "editMessageReplyMarkup")
    assert (f"🔔 Unmute #{halt}", f"s|{halt}:a") in buttons(edit)
    await press(api, application, ALICE, f"s|{halt}:a", [halt, release], muted={halt})
    assert await chats.is_subscribed(sessions, ALICE.id, halt)
    assert await chats.muted_of(sessions, ALICE.id) == []


async def test_details_under_an_alert_opens_the_commitment(
    recorded: tuple[LocalBotApi, App], sessions: async_sessionmaker[AsyncSession]
) -> None:
    api, application = recorded
    halt, _ = await halt_and_release(sessions)
    await press(api, application, ALICE, f"o|{halt}", [halt])
    [detail, *_] = api.sent(ALICE.id, "sendMessage")
    assert detail.params["text"].startswith(f"<b>#{halt} Russia: strike halt")


async def test_a_group_member_may_not_mute_for_the_group(
    recorded: tuple[LocalBotApi, App], sessions: async_sessionmaker[AsyncSession]
) -> None:
    api, application = recorded
    halt, _ = await halt_and_release(sessions)
    await follow(sessions, GROUP, halt)
    await press(api, application, GROUP, f"u|{halt}:a", [halt], admin=False)
    [answer] = called(api, "answerCallbackQuery")
    assert answer.params["show_alert"] is True
    assert await chats.is_subscribed(sessions, GROUP.id, halt)
