"""The buttons under an alert: "Details" opens the commitment, "Mute" stops this chat's alerts about it (and turns
into "Unmute"); in a chat that follows everything it mutes that one commitment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import keyboards
from bot.i18n import Ctx
from bot.localapi import Call, Chat, LocalBotApi
from storage import chats
from storage.queries import tracked
from tests.bot.harness import ADMIN, GROUP, MEMBER, App, buttons, feed

EN = Ctx("en", ZoneInfo("UTC"))
ALICE = Chat(ADMIN.id)


@dataclass
class Alerted:
    """The recorded application and the two commitments the alerts are about: the energy strike halt and the
    release of the 23, both known on the bot's clock (22 March)."""

    api: LocalBotApi
    application: App
    sessions: async_sessionmaker[AsyncSession]
    halt: int
    release: int

    async def follow(self, chat: Chat, commitment: int | None) -> None:
        await chats.ensure_chat(self.sessions, chat.id, type=chat.type, title=chat.title, language="en", timezone="UTC")
        await chats.subscribe(self.sessions, chat.id, commitment, at=datetime(2025, 3, 1, tzinfo=UTC))

    async def press(self, chat: Chat, data: str, under: list[int], **shown: Any) -> None:
        """Press a button of an alert about ``under``, as Telegram sends it: with the message's keyboard."""
        update = self.api.press_button(chat, ADMIN if chat != GROUP or shown.get("admin", True) else MEMBER, 42, data)
        markup = keyboards.alert_keyboard(under, EN, muted=shown.get("muted", set()))
        update["callback_query"]["message"]["reply_markup"] = markup.to_dict()
        await feed(self.application, update)

    def called(self, method: str) -> list[Call]:
        return [c for c in self.api.calls if c.method == method]


@pytest.fixture
async def alerted(recorded: tuple[LocalBotApi, App], sessions: async_sessionmaker[AsyncSession]) -> Alerted:
    items = await tracked(sessions)
    halt = next(i.id for i in items if i.kind == "strike_halt" and i.scope == "energy infrastructure")
    release = next(i.id for i in items if i.kind == "release" and i.quantity == 23)
    return Alerted(*recorded, sessions, halt, release)


async def test_mute_stops_this_commitment_and_the_button_becomes_unmute(alerted: Alerted) -> None:
    halt, release = alerted.halt, alerted.release
    await alerted.follow(ALICE, halt)
    await alerted.follow(ALICE, release)
    await alerted.press(ALICE, f"u|{halt}:a", [halt, release])
    assert not await chats.is_subscribed(alerted.sessions, ALICE.id, halt)
    assert await chats.is_subscribed(alerted.sessions, ALICE.id, release)
    [answer] = alerted.called("answerCallbackQuery")
    assert answer.params["text"].startswith("🔕 Unsubscribed from Russia: strike halt")
    [edit] = alerted.called("editMessageReplyMarkup")
    assert buttons(edit) == [
        (f"ℹ️ Details #{halt}", f"o|{halt}"),
        (f"🔔 Unmute #{halt}", f"s|{halt}:a"),
        (f"ℹ️ Details #{release}", f"o|{release}"),
        (f"🔕 Mute #{release}", f"u|{release}:a"),
    ]

    await alerted.press(ALICE, f"s|{halt}:a", [halt, release], muted={halt})
    assert await chats.is_subscribed(alerted.sessions, ALICE.id, halt)
    assert (f"🔕 Mute #{halt}", f"u|{halt}:a") in buttons(alerted.called("editMessageReplyMarkup")[-1])


async def test_mute_in_a_chat_that_follows_everything_mutes_that_commitment(alerted: Alerted) -> None:
    halt, release = alerted.halt, alerted.release
    await alerted.follow(ALICE, None)
    await alerted.press(ALICE, f"u|{halt}:a", [halt, release])
    assert not await chats.is_subscribed(alerted.sessions, ALICE.id, halt)
    assert await chats.is_subscribed(alerted.sessions, ALICE.id, release)
    assert await chats.muted_of(alerted.sessions, ALICE.id) == [halt]
    [edit] = alerted.called("editMessageReplyMarkup")
    assert (f"🔔 Unmute #{halt}", f"s|{halt}:a") in buttons(edit)
    await alerted.press(ALICE, f"s|{halt}:a", [halt, release], muted={halt})
    assert await chats.is_subscribed(alerted.sessions, ALICE.id, halt)
    assert await chats.muted_of(alerted.sessions, ALICE.id) == []


async def test_details_under_an_alert_opens_the_commitment(alerted: Alerted) -> None:
    halt = alerted.halt
    await alerted.press(ALICE, f"o|{halt}", [halt])
    [detail, *_] = alerted.api.sent(ALICE.id, "sendMessage")
    assert detail.params["text"].startswith(f"<b>#{halt} Russia: strike halt")


async def test_a_group_member_may_not_mute_for_the_group(alerted: Alerted) -> None:
    halt = alerted.halt
    await alerted.follow(GROUP, halt)
    await alerted.press(GROUP, f"u|{halt}:a", [halt], admin=False)
    [answer] = alerted.called("answerCallbackQuery")
    assert answer.params["show_alert"] is True
    assert await chats.is_subscribed(alerted.sessions, GROUP.id, halt)
