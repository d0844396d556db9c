"""Handler tests without sockets: the real Application and Bot over a recording BaseRequest, updates fed directly."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot import display
from bot.i18n import Ctx
from bot.localapi import Chat, LocalBotApi
from tests.bot.harness import ADMIN, GROUP, MEMBER, App, feed

EN = Ctx(language="en", tz=ZoneInfo("UTC"))


async def test_status_via_recording_request(
    recorded: tuple[LocalBotApi, App],
) -> None:
    api, application = recorded
    await feed(application, api.send_text(Chat(ADMIN.id), ADMIN, "/status"))
    [reply] = api.sent(ADMIN.id)
    assert "day 5 of 30" in reply.params["text"]
    assert [c.method for c in api.calls] == ["getMe", "sendMessage"]


async def test_group_member_refused_without_polling(
    recorded: tuple[LocalBotApi, App],
) -> None:
    api, application = recorded
    await feed(application, api.send_text(GROUP, MEMBER, "/subscribe all"))
    [reply] = api.sent(GROUP.id)
    assert reply.params["text"] == display.not_chat_admin(EN)
    assert any(c.method == "getChatMember" and c.params["user_id"] == MEMBER.id for c in api.calls)


@pytest.mark.parametrize(
    "line", ["/status@ceasefire_watch_bot", "/status@ceasefire_watch_bot 999", "/help@ceasefire_watch_bot"]
)
async def test_commands_addressed_to_the_bot_in_groups(recorded: tuple[LocalBotApi, App], line: str) -> None:
    api, application = recorded
    await feed(application, api.send_text(GROUP, MEMBER, line))
    assert len(api.sent(GROUP.id)) == 1
