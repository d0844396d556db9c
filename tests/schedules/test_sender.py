"""The Sender against LocalBotApi through the real telegram.Bot: each Telegram fault lands in the right outcome, 429s
are waited out exactly and the same message goes again, and each chat is paced. No real waiting: sleeps are
recorded and advance a fake clock (except the pacing test, which measures real time on a short interval)."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.localapi import Call, Fault, LocalBotApi
from schedules.sender import Outcome, Sender, SendSettings, classify, exponential_backoff, retry_after_seconds
from tests.bot.harness import RecordingRequest

START = datetime(2025, 3, 22, 12, 0, tzinfo=UTC)
CHAT = 4242
GROUP = -1001000000001


class FakeTime:
    """A Timekeeper whose monotonic and wall time only move when someone sleeps; every sleep is recorded."""

    def __init__(self, start: datetime = START) -> None:
        self.t = 0.0
        self.start = start
        self.slept: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds
        await asyncio.sleep(0)

    def monotonic(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return self.start + timedelta(seconds=self.t)

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def api() -> LocalBotApi:
    return LocalBotApi()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


async def make_bot(api: LocalBotApi, read_timeout: float | None = 0.02) -> Bot:
    request = RecordingRequest(api, read_timeout)
    bot = Bot(api.token, request=request, get_updates_request=RecordingRequest(api))
    await bot.initialize()
    return bot


@pytest.fixture
async def bot(api: LocalBotApi) -> AsyncIterator[Bot]:
    bot = await make_bot(api)
    yield bot
    await bot.shutdown()


def sender_for(bot: Bot, clock: FakeTime, **settings: Any) -> Sender:
    """A sender on fake time with a plain backoff (10 s, 20 s, ...); ``settings`` are SendSettings fields."""
    return Sender(
        bot,
        settings=SendSettings(**settings),
        backoff=lambda n: 10.0 * (n + 1),
        time=clock,
    )


def flood(chat_id: int | None, retry_after: int, *, times: int = 1) -> Fault:
    """Telegram's 429 answer, as LocalBotApi injects it."""
    description = f"Too Many Requests: retry after {retry_after}"
    return Fault("sendMessage", chat_id, 429, description, parameters={"retry_after": retry_after}, times=times)


def upgraded(chat_id: int, new_id: int) -> Fault:
    """Telegram's answer for a group that became a supergroup, as LocalBotApi injects it."""
    description = "Bad Request: group chat was upgraded to a supergroup chat"
    return Fault("sendMessage", chat_id, 400, description, parameters={"migrate_to_chat_id": new_id})


def sends(api: LocalBotApi, chat_id: int) -> list[Call]:
    return [c for c in api.calls if c.method == "sendMessage" and c.chat_id == chat_id]


def delivered(api: LocalBotApi, chat_id: int) -> list[Call]:
    return [c for c in sends(api, chat_id) if c.result is not None]


async def test_sent_returns_the_message_id_and_chat(api: LocalBotApi, bot: Bot, fake_time: FakeTime) -> None:
    outcome = await sender_for(bot, fake_time).send(CHAT, "<b>lapses today</b>", silent=False)
    assert outcome == Outcome("sent", CHAT, message_id=delivered(api, CHAT)[0].result["message_id"], requests=1)
    call = sends(api, CHAT)[0]
    assert call.params["text"] == "<b>lapses today</b>"
    assert call.params["parse_mode"] == "HTML"
    assert call.params.get("disable_notification") in (None, False)
    assert fake_time.slept == []


async def test_silent_turns_notifications_off(api: LocalBotApi, bot: Bot, fake_time: FakeTime) -> None:
    await sender_for(bot, fake_time).send(CHAT, "quiet", silent=True)
    assert sends(api, CHAT)[0].params["disable_notification"] is True


async def test_429_is_waited_out_exactly_and_the_same_message_sent_again(
    api: LocalBotApi, bot: Bot, fake_time: FakeTime
) -> None:
    api.faults.append(
        Fault(
            "sendMessage",
            chat_id=CHAT,
            error_code=429,
            description="Too Many Requests: retry after 2",
            parameters={"retry_after": 2},
            times=1,
        )
    )
    outcome = await sender_for(bot, fake_time, max_attempts=1).send(CHAT, "halfway", silent=False)
    assert outcome.status == "sent"
    assert (outcome.requests, outcome.flood_wait) == (2, 2.0)
    assert fake_time.slept == [2.0]  # exactly as told, no backoff on top; max_attempts=1 shows it is no failure
    assert [c.params["text"] for c in sends(api, CHAT)] == ["halfway", "halfway"]
    assert len(delivered(api, CHAT)) == 1


async def test_429_waits_are_bounded_then_handed_back_with_a_time(
    api: LocalBotApi, bot: Bot, fake_time: FakeTime
) -> None:
    api.faults.append(flood(CHAT, 25, times=3))
    outcome = await sender_for(bot, fake_time, max_flood_wait=60).send(CHAT, "end", silent=False)
    # 25 + 25 fit into 60 s; a third 25 would not: the outbox gets it back for 25 s after the third answer.
    assert outcome.status == "retry"
    assert fake_time.slept == [25.0, 25.0]
    assert outcome.retry_at == START + timedelta(seconds=75)
    assert (outcome.requests, outcome.flood_wait) == (3, 50.0)
    assert outcome.error is not None
    assert "RetryAfter" in outcome.error
    assert delivered(api, CHAT) == []


async def test_an_absurd_retry_after_is_not_slept_in_process(api: LocalBotApi, bot: Bot, fake_time: FakeTime) -> None:
    api.faults.append(
        Fault("sendMessage", chat_id=CHAT, error_code=429, description="Too Many", parameters={"retry_after": 3600})
    )
    sender = sender_for(bot, fake_time)
    outcome = await sender.send(CHAT, "start", silent=False)
    assert outcome.status == "retry"
    assert outcome.retry_at == START + timedelta(hours=1)
    assert fake_time.slept == []
    # The chat is held for the flood wait: a send to it now waits for the rest of the hour first.
    await sender.send(CHAT, "start", silent=False)
    assert fake_time.slept == [3600.0]


async def test_5xx_is_retried_with_backoff_then_sent(api: LocalBotApi, bot: Bot, fake_time: FakeTime) -> None:
    api.faults.append(Fault("sendMessage", chat_id=CHAT, error_code=500, times=2))
    outcome = await sender_for(bot, fake_time).send(CHAT, "due", silent=False)
    assert outcome.status == "sent"
    assert outcome.requests == 3
    assert fake_time.slept == [10.0, 20.0]  # backoff(0), backoff(1)
    assert len(delivered(api, CHAT)) == 1


async def test_timeouts_are_retried_and_deliver_once(api: LocalBotApi, fake_time: FakeTime) -> None:
    bot = await make_bot(api, read_timeout=0.01)
    try:
        api.faults.append(Fault("sendMessage", chat_id=CHAT, delay=0.2, times=2))
        outcome = await sender_for(bot, fake_time).send(CHAT, "overdue", silent=False)
    finally:
        await bot.shutdown()
    assert outcome.status == "sent"
    assert outcome.requests == 3
    assert len(sends(api, CHAT)) == 3
    assert len(delivered(api, CHAT)) == 1  # the stalled calls delivered nothing, so exactly once


async def test_timeouts_exhausted_fail(api: LocalBotApi, fake_time: FakeTime) -> None:
    bot = await make_bot(api, read_timeout=0.01)
    try:
        api.faults.append(Fault("sendMessage", chat_id=CHAT, delay=0.2, times=10))
        outcome = await sender_for(bot, fake_time, max_attempts=3).send(CHAT, "overdue", silent=False)
    finally:
        await bot.shutdown()
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert outcome.error.startswith("TimedOut")
    assert outcome.requests == 3
    assert fake_time.slept == [10.0, 20.0]
    assert delivered(api, CHAT) == []


async def test_5xx_exhausted_fail(api: LocalBotApi, bot: Bot, fake_time: FakeTime) -> None:
    api.faults.append(Fault("sendMessage", chat_id=CHAT, error_code=502, description="Bad Gateway", times=9))
    outcome = await sender_for(bot, fake_time, max_attempts=2).send(CHAT, "due", silent=False)
    assert (outcome.status, outcome.requests, outcome.error) == ("failed", 2, "NetworkError: Bad Gateway")


@pytest.mark.parametrize(
    ("code", "description"),
    [
        (403, "Forbidden: bot was blocked by the user"),
        (403, "Forbidden: bot was kicked from the group chat"),
        (403, "Forbidden: user is deactivated"),
        (400, "Bad Request: chat not found"),
    ],
)
async def test_refusals_for_the_chat_disable_it(
    api: LocalBotApi, bot: Bot, fake_time: FakeTime, code: int, description: str
) -> None:
    api.faults.append(Fault("sendMessage", chat_id=CHAT, error_code=code, description=description))
    outcome = await sender_for(bot, fake_time).send(CHAT, "x", silent=False)
    assert outcome.status == "disabled"
    assert outcome.requests == 1
    assert outcome.error is not None
    assert description.split(": ", 1)[1].lower() in outcome.error.lower()
    assert fake_time.slept == []


async def test_another_bad_request_fails_without_retry(api: LocalBotApi, bot: Bot, fake_time: FakeTime) -> None:
    api.faults.append(
        Fault("sendMessage", chat_id=CHAT, error_code=400, description="Bad Request: message is too long")
    )
    outcome = await sender_for(bot, fake_time).send(CHAT, "x" * 5000, silent=False)
    assert (outcome.status, outcome.requests) == ("failed", 1)
    assert outcome.error == "BadRequest: Message is too long"


async def test_migration_names_the_new_chat(api: LocalBotApi, bot: Bot, fake_time: FakeTime) -> None:
    new_id = -1009999999999
    api.faults.append(upgraded(GROUP, new_id))
    outcome = await sender_for(bot, fake_time).send(GROUP, "x", silent=False)
    assert (outcome.status, outcome.chat_id, outcome.new_chat_id) == ("migrated", GROUP, new_id)
    assert delivered(api, GROUP) == []


async def test_an_unknown_token_is_raised_not_recorded(api: LocalBotApi, bot: Bot, fake_time: FakeTime) -> None:
    api.faults.append(Fault("sendMessage", error_code=401, description="Unauthorized"))
    with pytest.raises(InvalidToken):
        await sender_for(bot, fake_time).send(CHAT, "x", silent=False)


@pytest.mark.latency
async def test_each_chat_is_paced_and_chats_do_not_wait_for_each_other(api: LocalBotApi, bot: Bot) -> None:
    interval = 0.2
    sender = Sender(bot, settings=SendSettings(per_chat_interval=interval))
    chats = [1, 2, 3]
    begin = time.monotonic()
    # All twelve sends start at once: three per chat race for the same slots.
    outcomes = await asyncio.gather(*(sender.send(c, f"{c}-{n}", silent=False) for n in range(4) for c in chats))
    assert {o.status for o in outcomes} == {"sent"}
    # A call is stamped a moment after its slot (the slots themselves are exactly spaced); without pacing the
    # gaps would be about zero, so a generous allowance for a loaded machine still tests the pacing.
    tolerance = 0.05
    for chat in chats:
        stamps = [c.at for c in sends(api, chat)]
        assert len(stamps) == 4
        gaps = [b - a for a, b in itertools.pairwise(stamps)]
        assert min(gaps) >= interval - tolerance, gaps
        assert stamps[0] - begin < interval / 2  # every chat's first message went at once
    assert time.monotonic() - begin < 3 * interval + 0.25  # chats in parallel, not 11 intervals in a row


async def test_pacing_holds_on_a_fake_clock(api: LocalBotApi, bot: Bot, fake_time: FakeTime) -> None:
    stamps: list[tuple[int | None, float]] = []
    api.on_call = lambda call: stamps.append((call.chat_id, fake_time.t))
    sender = sender_for(bot, fake_time, per_chat_interval=1.0)
    for n in range(3):
        await sender.send(CHAT, str(n), silent=False)
    fake_time.advance(0.25)
    await sender.send(CHAT, "after a pause", silent=False)
    await sender.send(CHAT + 1, "other", silent=False)
    assert [t for chat, t in stamps if chat == CHAT] == [0.0, 1.0, 2.0, 3.0]
    assert fake_time.slept == [1.0, 1.0, 0.75]  # only the rest of the slot; the other chat waits for nothing


def test_backoff_grows_with_jitter_and_is_bounded() -> None:
    for failures in range(12):
        bound = min(30.0, 0.5 * 2**failures)
        for _ in range(20):
            assert bound / 2 <= exponential_backoff(failures) <= bound
    assert max(exponential_backoff(20) for _ in range(50)) <= 30.0


def test_retry_after_in_seconds_without_a_warning(recwarn: pytest.WarningsRecorder) -> None:
    whole, fraction = RetryAfter(7), RetryAfter(timedelta(seconds=1.5))
    recwarn.clear()  # PTB's own constructor warns; reading the value through us must not
    assert retry_after_seconds(whole) == 7.0
    assert retry_after_seconds(fraction) == 1.5
    assert len(recwarn) == 0


@pytest.mark.parametrize(
    ("error", "verdict"),
    [
        (RetryAfter(3), "flood"),
        (ChatMigrated(-1002), "migrated"),
        (Forbidden("Forbidden: bot was blocked by the user"), "disabled"),
        (BadRequest("Chat not found"), "disabled"),
        (BadRequest("Can't parse entities: unsupported start tag"), "failed"),
        (TimedOut(), "transient"),
        (NetworkError("Bad Gateway"), "transient"),
        (TelegramError("an answer that did not parse"), "transient"),
        (InvalidToken(), "fatal"),
        (EndPointNotFound("Not Found"), "fatal"),
    ],
)
def test_every_refusal_has_one_meaning(error: TelegramError, verdict: str) -> None:
    assert classify(error) == verdict


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        ({"max_attempts": 0}, "max_attempts must be at least 1"),
        ({"per_chat_interval": -1.0}, "cannot be negative"),
        ({"max_flood_wait": -0.5}, "cannot be negative"),
        ({"per_second": 0.0}, "per_second must be positive"),
    ],
)
def test_settings_a_sender_cannot_work_with_are_refused_when_made(wrong: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SendSettings(**wrong)
