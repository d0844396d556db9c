"""Groups (chat admins vs members), configured admins (/report, article uploads), membership and migration."""

from __future__ import annotations

import asyncio
import logging
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot import display, service
from bot.callback_data import Button
from bot.i18n import Ctx
from bot.localapi import Chat, User
from storage import chats
from storage.models import ArticleRow, ReportRow
from tests.bot.harness import ADMIN, GROUP, MEMBER, PolledBot
from tests.bot.test_private_chat import ALICE, BERND, halt_id

EN = Ctx(language="en", tz=ZoneInfo("UTC"))
DE = Ctx(language="de", tz=ZoneInfo("UTC"))


async def count(bot: PolledBot, row: type[ArticleRow] | type[ReportRow]) -> int:
    async with bot.deps.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(row)) or 0)


async def test_group_members_read_but_only_chat_admins_change(bot: PolledBot) -> None:
    [status] = await bot.say(GROUP, MEMBER, "/status")
    assert "day 5 of 30" in status.params["text"]
    [timeline] = await bot.say(GROUP, MEMBER, "/timeline")
    assert timeline.method == "sendPhoto"
    [calendar] = await bot.say(GROUP, MEMBER, "/calendar")
    assert calendar.method == "sendDocument"

    for line in ("/subscribe", "/unsubscribe all", "/settings language de", "/settings quiet 22:00-07:00"):
        [refusal] = await bot.say(GROUP, MEMBER, line)
        assert refusal.params["text"] == display.not_chat_admin(EN)
    chat = await chats.get_chat(bot.deps.sessions, GROUP.id)
    assert chat is not None
    assert (chat.subscribed_all, chat.language, chat.quiet_start) == (False, "en", None)

    [ok] = await bot.say(GROUP, ADMIN, "/subscribe")
    assert ok.params["text"] == display.subscribed(EN, title=None)
    await bot.say(GROUP, ADMIN, "/settings language de")
    chat = await chats.get_chat(bot.deps.sessions, GROUP.id)
    assert chat is not None
    assert (chat.subscribed_all, chat.language) == (True, "de")


async def test_group_buttons_check_chat_admin_too(bot: PolledBot) -> None:
    [view] = await bot.say(GROUP, MEMBER, "/settings")
    await bot.press(GROUP, MEMBER, view.result["message_id"], Button("set", "lang:de").encode())
    [answer] = bot.answered_callbacks()
    assert answer.params["text"] == display.not_chat_admin(EN)
    chat = await chats.get_chat(bot.deps.sessions, GROUP.id)
    assert chat is not None
    assert chat.language == "en"


async def test_report_by_admin_logs_and_names_conflicts(bot: PolledBot) -> None:
    commitment = await halt_id(bot)
    before = await count(bot, ReportRow)
    calls = await bot.say(
        ALICE, ADMIN, f"/report {commitment} Ukraine says Russia struck a power plant near Odesa on March 21."
    )
    assert await count(bot, ReportRow) == before + 1
    text = "\n".join(c.params["text"] for c in calls)
    assert "violation" in text.lower() or "Verstoß" in text
    [again] = await bot.say(
        ALICE, ADMIN, f"/report {commitment} Ukraine says Russia struck a power plant near Odesa on March 21."
    )
    assert await count(bot, ReportRow) == before + 1, "the same report twice is stored once"
    assert again.params["text"]


async def test_non_admins_cannot_report_or_upload(bot: PolledBot) -> None:
    commitment = await halt_id(bot)
    reports, articles = await count(bot, ReportRow), await count(bot, ArticleRow)
    [refusal] = await bot.say(BERND, MEMBER, f"/report {commitment} Russia struck Odesa overnight.")
    assert refusal.params["text"] == display.not_admin(DE)
    [refusal] = await bot.upload(BERND, MEMBER, "story.txt", ARTICLE.encode())
    assert refusal.params["text"] == display.not_admin(DE)
    assert (await count(bot, ReportRow), await count(bot, ArticleRow)) == (reports, articles)


ARTICLE = """Home > World > Middle East

Gaza: <b>mediators</b> & the <script>alert(1)</script> ceasefire

Published 20 March 2025, 09:10 CET

Share   Save

Israel and Hamas agreed to a 30-day ceasefire starting on Monday, mediators said on Saturday <i>in Cairo</i>.

Advertisement
"""


async def test_admin_upload_loads_and_html_is_shown_as_text(bot: PolledBot) -> None:
    # Published before the bot's clock (22 March): what the status shows is what was known at the clock.
    articles = await count(bot, ArticleRow)
    calls = await bot.upload(ALICE, ADMIN, "cairo.txt", ARTICLE.encode())
    assert await count(bot, ArticleRow) == articles + 1
    assert "#" in calls[0].params["text"]
    created = [c for c in (await service.items(bot.deps, EN))[1] if "30 days" in c["title"] and "Hamas" in c["title"]]
    [item] = created
    detail = await bot.say(ALICE, ADMIN, f"/status {item['id']}")
    text = "\n".join(c.params["text"] for c in detail)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;mediators&lt;/b&gt;" in text
    [again] = await bot.upload(ALICE, ADMIN, "cairo.txt", ARTICLE.encode())
    assert await count(bot, ArticleRow) == articles + 1, "the same article twice changes nothing"
    assert again.params["text"]


async def test_an_undated_upload_is_dated_by_its_message_and_says_so(bot: PolledBot) -> None:
    articles = await count(bot, ArticleRow)
    undated = ARTICLE.replace("Published 20 March 2025, 09:10 CET\n", "")
    [reply] = await bot.upload(ALICE, ADMIN, "undated.txt", undated.encode())
    assert "no publication date" in reply.params["text"]
    assert "dated by your message" in reply.params["text"]
    assert await count(bot, ArticleRow) == articles + 1


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"), ("latin.txt", "Müll".encode("latin-1"), "UTF-8"),
     ("empty.txt", b"", "empty"), ("story.pdf", b"%PDF-1.7", ".txt")],
)  # fmt: skip
async def test_bad_uploads_are_named_and_write_nothing(bot: PolledBot, name: str, data: bytes, reason: str) -> None:
    articles = await count(bot, ArticleRow)
    [reply] = await bot.upload(ALICE, ADMIN, name, data)
    assert reason in reply.params["text"]
    assert await count(bot, ArticleRow) == articles


async def membership(bot: PolledBot, chat_id: int, expected: tuple[bool, bool]) -> tuple[bool, bool]:
    """The chat's (enabled, member) once they are as expected, or as they stand after 10 s. Updates of different
    chats are handled at the same time, so an answer in another chat does not prove this one was handled."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10.0
    while True:
        chat = await chats.get_chat(bot.deps.sessions, chat_id)
        found = (chat.enabled, chat.member) if chat is not None else (False, False)
        if found == expected or loop.time() > deadline:
            return found
        await asyncio.sleep(0.02)


async def test_membership_changes_are_recorded_and_start_re_enables(bot: PolledBot) -> None:
    await bot.say(BERND, MEMBER, "/start")
    bot.api.member_change(BERND, MEMBER, "member", "kicked")  # the user blocked the bot
    assert await membership(bot, BERND.id, (False, False)) == (False, False)
    await bot.say(BERND, MEMBER, "/start")
    chat = await chats.get_chat(bot.deps.sessions, BERND.id)
    assert chat is not None
    assert (chat.enabled, chat.member) == (True, True)

    newsroom = Chat(-4004, "group", "Newsroom")
    bot.api.member_change(newsroom, ADMIN, "left", "member")
    assert (await membership(bot, newsroom.id, (True, True)))[1]
    bot.api.member_change(newsroom, ADMIN, "member", "left")
    assert not (await membership(bot, newsroom.id, (True, False)))[1]


async def test_group_migration_moves_subscriptions(bot: PolledBot) -> None:
    old = Chat(-5005, "group", "Old group")
    bot.api.admins[old.id] = {ADMIN.id}
    commitment = await halt_id(bot)
    await bot.say(old, ADMIN, f"/subscribe {commitment}")
    bot.api.migrate(old, ADMIN, -1005005)
    await membership(bot, old.id, (False, False))  # waits until the old chat's row is gone (or 10 s)
    assert await chats.get_chat(bot.deps.sessions, old.id) is None
    assert await chats.subscriptions_of(bot.deps.sessions, -1005005) == (False, [commitment])


async def test_a_failing_handler_apologises_and_logs(
    bot: PolledBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(service, "status_page", broken)
    with caplog.at_level(logging.ERROR):
        [reply] = await bot.say(BERND, MEMBER, "/status")
    assert reply.params["text"] == display.apology(DE)
    assert "database on fire" not in reply.params["text"]
    assert any("database on fire" in (r.exc_text or "") or r.exc_info for r in caplog.records)


async def test_anonymous_group_user_in_private_chat_sees_english_default(bot: PolledBot) -> None:
    nobody = User(404, "Nobody", "fr")
    [reply] = await bot.say(Chat(nobody.id), nobody, "/help")
    assert reply.params["text"] == display.help_text(EN, admin=False)
