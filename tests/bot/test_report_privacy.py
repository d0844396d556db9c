"""A report logged with /report names no one to readers ("an editor"); the Telegram user id is kept for the audit."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot import display
from bot.i18n import Ctx
from bot.localapi import Chat, User
from storage.models import ArticleRow
from tests.bot.harness import ADMIN, GROUP, MEMBER, PolledBot, texts
from tests.bot.test_private_chat import halt_id

EN = Ctx(language="en", tz=ZoneInfo("UTC"))
DE = Ctx(language="de", tz=ZoneInfo("UTC"))
ALICE = Chat(ADMIN.id)
# An admin whose full name must stay private: generated, so no real name sits in the repository.
REPORTER = User(ADMIN.id, "Zelda-" + "q" * 6, "en", "alice")
CLAIM = "Ukraine says Russia struck a power plant near Odesa on March 21."


async def test_readers_see_an_editor_and_the_audit_keeps_the_user_id(bot: PolledBot) -> None:
    commitment = await halt_id(bot)
    logged = await bot.say(ALICE, REPORTER, f"/report {commitment} {CLAIM}")
    assert REPORTER.first_name not in texts(logged)

    group = texts(await bot.say(GROUP, MEMBER, f"/status {commitment}"))
    assert REPORTER.first_name not in group
    assert display.source_title(display.REPORT_TITLE, EN) in group

    await bot.say(Chat(MEMBER.id), MEMBER, "/settings language de")
    german = texts(await bot.say(Chat(MEMBER.id), MEMBER, f"/status {commitment}"))
    assert REPORTER.first_name not in german
    assert display.source_title(display.REPORT_TITLE, DE) in german
    assert display.source_title(display.REPORT_TITLE, DE) != display.REPORT_TITLE, "said in German"

    async with bot.deps.sessions() as session:
        [(title, path)] = (
            await session.execute(select(ArticleRow.title, ArticleRow.path).where(ArticleRow.path.like("telegram:%")))
        ).all()
    assert title == display.REPORT_TITLE, "no name is stored for readers"
    assert path.endswith(f"/user/{ADMIN.id}"), "who logged it, for the audit"


async def test_reports_stored_with_a_name_before_read_the_same(bot: PolledBot) -> None:
    commitment = await halt_id(bot)
    await bot.say(ALICE, REPORTER, f"/report {commitment} {CLAIM}")
    async with bot.deps.sessions() as session, session.begin():  # as the bot stored it until now
        await session.execute(
            update(ArticleRow)
            .where(ArticleRow.path.like("telegram:report/%"))
            .values(title=f"Report by {REPORTER.first_name} Lastname via Telegram")
        )
    shown = texts(await bot.say(GROUP, MEMBER, f"/status {commitment}"))
    assert REPORTER.first_name not in shown
    assert display.REPORT_TITLE in shown


def test_an_ordinary_title_is_shown_as_written() -> None:
    assert display.source_title("Report by UN experts on Gaza aid", EN) == "Report by UN experts on Gaza aid"
