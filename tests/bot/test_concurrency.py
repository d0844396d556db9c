"""One user cannot slow everyone: updates of different chats are handled at the same time (each chat's in order),
and expensive commands have a per-user budget that answers "try again in N s" past it."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from telegram import Chat as TgChat
from telegram import Message, Update

from bot import display
from bot.access import Throttle
from bot.app import PerChatOrder
from bot.i18n import Ctx
from bot.localapi import Chat
from tests.bot.harness import ADMIN, MEMBER, PolledBot

EN = Ctx(language="en", tz=ZoneInfo("UTC"))
DE = Ctx(language="de", tz=ZoneInfo("UTC"))
ALICE, BERND = Chat(ADMIN.id), Chat(MEMBER.id)


@pytest.mark.latency
async def test_fifteen_timelines_from_one_user_do_not_delay_another_users_status(bot: PolledBot) -> None:
    for _ in range(15):
        bot.api.send_text(ALICE, ADMIN, "/timeline")
    asked = time.monotonic()
    bot.api.send_text(BERND, MEMBER, "/status")
    await bot.api.wait_for(lambda calls: bool(bot.api.sent(BERND.id)), within=30)
    [status] = bot.api.sent(BERND.id)
    waited = status.at - asked
    assert waited < 1.0, f"/status waited {waited:.2f} s behind another user's charts"

    await bot.api.wait_for(lambda calls: len(bot.api.sent(ALICE.id)) == 15, within=60)
    replies = bot.api.sent(ALICE.id)
    charts = [c for c in replies if c.method in ("sendPhoto", "sendDocument")]
    waits = [str(c.params["text"]) for c in replies if c.method == "sendMessage"]
    assert len(charts) == 3, "three charts at once, then the budget is spent"
    assert len(waits) == 12
    seconds = [int(m.group(1)) for text in waits if (m := re.search(r"in (\d+) seconds?", text))]
    assert len(seconds) == 12
    assert all(1 <= s <= 10 for s in seconds)


async def test_one_chats_updates_keep_their_order(bot: PolledBot) -> None:
    """Sent together, a chat's commands are answered in the order sent: the language change before /help."""
    bot.api.send_text(BERND, MEMBER, "/settings language en")
    for number in range(9001, 9009):
        bot.api.send_text(BERND, MEMBER, f"/status {number}")
    bot.api.send_text(BERND, MEMBER, "/help")
    await bot.api.wait_for(lambda calls: len(bot.api.sent(BERND.id)) == 11, within=30)
    replies = [str(c.params["text"]) for c in bot.api.sent(BERND.id)]
    unknown = [int(m.group(1)) for text in replies if (m := re.search(r"There is no commitment #(\d+)", text))]
    assert unknown == list(range(9001, 9009))
    assert replies[-1] == display.help_text(EN, admin=False), "/help came after the switch to English"


async def test_a_chat_flooding_the_bot_holds_one_running_slot() -> None:
    """The inner bound is taken only when a chat's turn has come: ten updates of one chat and one of another
    with two running slots, and the other chat's update runs while the first chat's queue waits."""
    processor = PerChatOrder(queued=64, running=2)
    release = asyncio.Event()
    order: list[str] = []

    async def handle(name: str) -> None:
        order.append(f"start {name}")
        if name.startswith("a"):
            await release.wait()
        order.append(f"end {name}")

    def update(chat: int) -> Update:
        message = Message(message_id=1, date=datetime(2025, 3, 22, tzinfo=UTC), chat=TgChat(chat, "private"))
        return Update(update_id=chat, message=message)

    tasks = [asyncio.create_task(processor.process_update(update(1), handle(f"a{i}"))) for i in range(10)]
    other = asyncio.create_task(processor.process_update(update(2), handle("b")))
    await asyncio.wait_for(other, timeout=5)
    assert order == ["start a0", "start b", "end b"], "the other chat did not wait for the flood"
    release.set()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)
    assert [x for x in order if x.startswith("start a")] == [f"start a{i}" for i in range(10)], "in order"
    assert order[-1] == "end a9"
    assert processor.busy == 0


def test_throttle_allows_a_burst_then_one_every_period() -> None:
    now = [1000.0]
    throttle = Throttle(burst=3, every=10.0, clock=lambda: now[0])
    assert [throttle.take(7) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert throttle.take(7) == pytest.approx(10.0)
    assert throttle.take(8) == 0.0, "another user has a budget of their own"
    now[0] += 4
    assert throttle.take(7) == pytest.approx(6.0)
    now[0] += 6
    assert throttle.take(7) == 0.0
    assert throttle.take(7) == pytest.approx(10.0)
    now[0] += 3600
    assert [throttle.take(7) for _ in range(4)][:3] == [0.0, 0.0, 0.0], "the bucket refills to the burst, no more"


def test_the_wait_is_said_in_the_readers_language() -> None:
    assert "Try again in 7 seconds" in display.try_again(7, EN)
    assert "Try again in 1 second." in display.try_again(1, EN)
    assert display.try_again(7, DE) != display.try_again(7, EN)
