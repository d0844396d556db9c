"""An uploaded page is extracted in a worker process with a time limit: while an admin's 5 MB
upload is read, another chat's /status is answered within a second; a page past the limit gets a clear answer;
the workers end with the Application."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from articles.model import ArticleError
from articles.page import NO_DATE
from articles.reader import MAX_BYTES
from bot import display, extraction
from bot.i18n import Ctx
from bot.localapi import Chat, User
from storage.models import ArticleRow
from tests.bot.harness import ADMIN, MEMBER, PolledBot
from tests.bot.test_groups_and_admins import ARTICLE
from tests.bot.test_private_chat import ALICE, BERND

EN = Ctx(language="en", tz=ZoneInfo("UTC"))
# Generous but bounded: the worker reads 5 MB in about 12 s on a quiet machine.
UPLOAD_DEADLINE = 180.0


def monitors_log(size: int) -> bytes:
    """A long but ordinary page, made here rather than kept in the repository: a monitoring mission's daily log,
    one distinct paragraph per sector (repeated paragraphs would be read once)."""
    head = "Ceasefire monitors publish their daily log\n\n19/04/2025 - 17:40\n\n"
    parts, total, sector = [head], len(head), 0
    while True:
        tag = "".join(chr(97 + (sector // 26**k) % 26) for k in range(5))
        paragraph = (
            f"Monitors in sector {tag} reported that Russian and Ukrainian units exchanged artillery fire near the "
            f"village on Saturday, while officials in Kyiv said the truce announced by Moscow was not observed. The "
            f"mission counted {sector % 90 + 3} explosions and said talks would resume within 5 days.\n\n"
        )
        if total + len(paragraph) > size:
            return "".join(parts).encode()
        parts.append(paragraph)
        total += len(paragraph)
        sector += 1


async def _until(condition: Callable[[], bool], seconds: float) -> None:
    """Return once ``condition`` holds, or after ``seconds``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        if condition() or loop.time() >= deadline:
            return
        await asyncio.sleep(0.01)


async def answered_in(bot: PolledBot, chat: Chat, user: User, text: str) -> float:
    """Seconds from sending ``text`` to the bot's first message in ``chat`` (at most 10)."""
    loop = asyncio.get_running_loop()
    before = len(bot.api.sent(chat.id))
    started = loop.time()
    bot.api.send_text(chat, user, text)
    await _until(lambda: len(bot.api.sent(chat.id)) > before, 10)
    assert len(bot.api.sent(chat.id)) > before, f"{text} was never answered"
    return loop.time() - started


async def articles(bot: PolledBot) -> int:
    async with bot.deps.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(ArticleRow)) or 0)


@pytest.mark.latency
async def test_status_is_answered_within_a_second_while_a_5_mb_upload_is_read(bot: PolledBot) -> None:
    page = monitors_log(MAX_BYTES - 4096)
    assert len(page) > 5_000_000
    stored = await articles(bot)
    loop = asyncio.get_running_loop()
    replies = len(bot.api.sent(ALICE.id))
    bot.api.send_document(ALICE, ADMIN, "monitors-log.txt", page)
    await _until(lambda: any(c.method == "getFile" for c in bot.api.calls), 10)

    latencies: list[float] = []
    deadline = loop.time() + UPLOAD_DEADLINE
    try:
        while len(bot.api.sent(ALICE.id)) == replies and loop.time() < deadline:
            latencies.append(await answered_in(bot, BERND, MEMBER, "/status"))
    finally:
        await extraction.shutdown(bot.application)

    [answer] = bot.api.sent(ALICE.id)[replies:][:1]
    assert "monitors-log.txt" in answer.params["text"] or "#" in answer.params["text"], answer.params["text"]
    assert await articles(bot) == stored + 1, answer.params["text"]
    assert len(latencies) >= 3, "the upload was answered before other chats could be, so it held the loop"
    # Within a second as a rule; one answer may catch a busy moment of a loaded machine (the test suite's own
    # neighbours), but never the extraction itself, which takes several seconds and held every answer before.
    assert sorted(latencies)[len(latencies) * 9 // 10] < 1.0, latencies
    assert max(latencies) < 3.0, latencies


async def test_a_page_past_the_time_limit_gets_a_clear_answer_and_the_next_upload_loads(bot: PolledBot) -> None:
    pool = extraction.ExtractionPool(limit=0.5)  # the worker alone takes longer than that to start
    bot.application.bot_data[extraction.POOL_KEY] = pool
    try:
        stored = await articles(bot)
        [answer] = await bot.upload(ALICE, ADMIN, "slow.txt", monitors_log(1_000_000))
        assert answer.params["text"] == display.extraction_too_slow("slow.txt", 0.5, EN)
        assert await articles(bot) == stored

        pool.limit = extraction.TIME_LIMIT
        [loaded] = await bot.upload(ALICE, ADMIN, "cairo.txt", ARTICLE.encode())
        assert "#" in loaded.params["text"]
        assert await articles(bot) == stored + 1
    finally:
        pool.close()


async def test_the_workers_start_with_the_first_upload_and_end_with_the_application(bot: PolledBot) -> None:
    assert extraction.POOL_KEY not in bot.application.bot_data  # no upload, no pool
    [loaded] = await bot.upload(ALICE, ADMIN, "cairo.txt", ARTICLE.encode())
    assert "#" in loaded.params["text"]
    pool = bot.application.bot_data[extraction.POOL_KEY]
    processes = list(getattr(pool._executor, "_processes", {}).values())
    assert processes
    assert all(p.is_alive() for p in processes)
    await extraction.shutdown(bot.application)
    # The pool's own thread reaps the workers too, so either may see the exit first: wait for the exit codes.
    await _until(lambda: all(p.exitcode is not None for p in processes), 10)
    assert all(p.exitcode is not None for p in processes)
    assert extraction.POOL_KEY not in bot.application.bot_data


async def test_errors_in_the_worker_reach_the_handler_as_themselves() -> None:
    pool = extraction.ExtractionPool()
    try:
        with pytest.raises(ArticleError) as refused:
            await pool.extract("just a line without a date\n", "telegram:x.txt")
        assert (refused.value.path, refused.value.reason) == ("telegram:x.txt", NO_DATE)
    finally:
        pool.close()
