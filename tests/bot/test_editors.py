"""Editors in the bot, end to end: the real Application with its alert scheduler, long-polling the loopback Bot API,
on a real SQLite database. /edit (typed, and by buttons and a reply), /merge, /retract (a commitment or a report),
/history and /review; review cards and their buttons; who may do what; what subscribers hear and do not hear."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.settings import Settings
from bot import display
from bot.callback_data import decode
from bot.commands import ALERTS_KEY
from bot.context import Deps
from bot.i18n import Ctx
from bot.localapi import Call, Chat, User
from storage import chats, edits
from storage.db import create_engine, migrate, session_factory
from storage.loader import load_article
from storage.models import AlertRow, CommitmentRow, DeliveryRow, EditRow, ReportRow
from storage.queries import tracked
from tests.bot.harness import ADMIN, GROUP, MEMBER, FixedClock, PolledBot, buttons, polled_bot
from tests.storage.test_edits import CLAIM, EXCHANGE, HALT, LATER
from tests.tracking.factories import article, commitment

EN = Ctx(language="en", tz=ZoneInfo("UTC"))
DE = Ctx(language="de", tz=ZoneInfo("UTC"))
CAROL = User(303, "Carol", "en", "carol")  # a second admin
DORA = User(404, "Dora", "de", "dora")  # a reader who follows nothing, so no alert interleaves with her replies
ALICE, BERND, CAROLS, DORAS = Chat(ADMIN.id), Chat(MEMBER.id), Chat(CAROL.id), Chat(DORA.id)
NOW = dt.datetime(2025, 3, 22, 12, tzinfo=dt.UTC)
SUBSCRIBED = dt.datetime(2025, 3, 17, 20, tzinfo=dt.UTC)  # Bernd follows everything from the evening before
# What an article is first to report, the day before the bot's clock: in review mode it waits for an admin.
NEWS = article(
    "Cairo talks end with a truce",
    commitments=(
        commitment(
            kind="ceasefire",
            actors=("Israel", "Hamas"),
            scope=None,
            start=dt.date(2025, 3, 24),
            end=dt.date(2025, 4, 23),
            evidence="Israel and Hamas agreed to a 30-day ceasefire starting on Monday, mediators said.",
        ),
    ),
    published=dt.datetime(2025, 3, 21, 18, tzinfo=dt.UTC),
)


@dataclasses.dataclass
class Editors:
    bot: PolledBot
    sessions: async_sessionmaker[AsyncSession]
    halt: int


async def _bot(tmp_path: Path, *, review: bool, clock_at: dt.datetime = NOW) -> AsyncIterator[Editors]:
    database = tmp_path / "editors.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    await migrate(engine)
    sessions = session_factory(engine)
    outcome = await load_article(sessions, HALT)  # confirmed: it was tracked before the review
    await load_article(sessions, EXCHANGE)
    for chat, user in ((ALICE, ADMIN), (BERND, MEMBER), (CAROLS, CAROL)):
        language = user.language_code or "en"
        await chats.ensure_chat(sessions, chat.id, type="private", title=None, language=language, timezone="UTC")
    await chats.subscribe(sessions, BERND.id, None, at=SUBSCRIBED)
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{database}",
        default_timezone="UTC",
        admin_user_ids=(ADMIN.id, CAROL.id),
        review_mode="review" if review else "off",
        _env_file=None,  # type: ignore[call-arg]
    )
    try:
        async with polled_bot(Deps(settings=settings, sessions=sessions, clock=FixedClock(clock_at))) as bot:
            yield Editors(bot, sessions, outcome.created[0].id)
    finally:
        await engine.dispose()


@pytest.fixture
async def editors(tmp_path: Path) -> AsyncIterator[Editors]:
    async for made in _bot(tmp_path, review=False):
        yield made


@pytest.fixture
async def reviewing(tmp_path: Path) -> AsyncIterator[Editors]:
    async for made in _bot(tmp_path, review=True):
        yield made


def text_of(calls: list[Call]) -> str:
    return "\n".join(str(c.params.get("text", "")) for c in calls)


async def _state(sessions: async_sessionmaker[AsyncSession]) -> tuple[object, ...]:
    async with sessions() as session:
        columns = (CommitmentRow.id, CommitmentRow.end, CommitmentRow.review, CommitmentRow.version)
        commitments = list((await session.execute(select(*columns).order_by(CommitmentRow.id))).all())
        reports = list((await session.execute(select(ReportRow.id, ReportRow.review).order_by(ReportRow.id))).all())
        edited = await session.scalar(select(func.count()).select_from(EditRow))
    return commitments, reports, edited


def poke(bot: PolledBot) -> None:
    bot.application.bot_data[ALERTS_KEY].poke()


async def test_every_editor_command_refuses_a_non_admin_and_changes_nothing(editors: Editors) -> None:
    bot, halt = editors.bot, editors.halt
    await load_article(editors.sessions, CLAIM)
    before = await _state(editors.sessions)
    lines = [f"/edit {halt} end 2025-04-16", f"/edit {halt}", f"/merge 2 {halt}", f"/retract {halt}"]
    lines += ["/retract report 1", f"/history {halt}", "/review"]
    for line in lines:
        [refusal] = await bot.say(DORAS, DORA, line)
        assert refusal.params["text"] == display.not_admin(DE), line
    assert await _state(editors.sessions) == before


async def test_bad_values_unknown_ids_self_merges_and_double_retractions_get_one_line(editors: Editors) -> None:
    bot, halt = editors.bot, editors.halt
    before = await _state(editors.sessions)
    cases = {
        f"/edit {halt} end tomorrowish": "2025-04-16",
        f"/edit {halt} colour red": "not a field",
        f"/edit {halt} parties Russia, Narnia": "Russia, Ukraine",
        f"/edit {halt} end 2025-03-01": "before the start",
        "/edit 999 end 2025-04-16": "no commitment #999",
        f"/merge {halt} {halt}": "cannot be merged into itself",
        "/merge 999 1": "no commitment #999",
        "/retract report 999": "no report #999",
        "/history 999": "no commitment #999",
        "/edit": "/edit ID FIELD VALUE",
    }
    for line, needle in cases.items():
        [answer] = await bot.say(ALICE, ADMIN, line)
        text = answer.params["text"]
        assert needle in text, (line, text)
        assert "\n" not in text, f"one line: {text!r}"
        if not line.startswith("/edit") or line != "/edit":
            assert "Nothing was changed." in text or "/edit ID" in text
    assert await _state(editors.sessions) == before

    [retracted] = await bot.say(ALICE, ADMIN, f"/retract {halt} only an idea")
    assert "Retracted" in retracted.params["text"]
    after = await _state(editors.sessions)
    [again] = await bot.say(CAROLS, CAROL, f"/retract {halt}")
    assert again.params["text"].startswith("ℹ️")
    assert "already retracted by Alice" in again.params["text"]
    assert "\n" not in again.params["text"]
    assert await _state(editors.sessions) == after


async def test_edit_typed_then_status_and_history_show_it(editors: Editors) -> None:
    bot, halt = editors.bot, editors.halt
    [done] = await bot.say(ALICE, ADMIN, f"/edit {halt} end 2025-04-16 — Kremlin readout")
    assert "Corrected" in done.params["text"]
    assert "Thu 17 Apr → <b>Wed 16 Apr</b>" in done.params["text"]
    detail = text_of(await bot.say(BERND, MEMBER, f"/status {halt}"))
    assert "Mi., 16. Apr." in detail, "everyone sees the corrected end"
    [history] = await bot.say(ALICE, ADMIN, f"/history {halt}")
    text = history.params["text"]
    assert "Alice" in text
    assert "end: Thu 17 Apr → Wed 16 Apr" in text
    assert "Kremlin readout" in text


async def test_edit_by_buttons_asks_for_the_value_and_takes_the_reply(editors: Editors) -> None:
    bot, halt = editors.bot, editors.halt
    [menu] = await bot.say(ALICE, ADMIN, f"/edit {halt}")
    fields = dict(buttons(menu))
    labels = ["start", "end", "due date", "duration", "number", "parties", "scope", "kind", "status", "title"]
    assert list(fields) == labels
    [prompt] = await bot.press(ALICE, ADMIN, menu.result["message_id"], fields["end"])
    assert prompt.params["reply_markup"]["force_reply"] is True
    assert f"New end for #{halt}?" in prompt.params["text"]
    [bad] = await bot.reply(ALICE, ADMIN, prompt.result["message_id"], "next Tuesday-ish")
    assert "is not a valid end" in bad.params["text"]
    [done] = await bot.reply(ALICE, ADMIN, prompt.result["message_id"], "2025-04-16 — second source")
    assert "Corrected" in done.params["text"]
    [view] = await tracked(editors.sessions, [halt])
    assert view.end == dt.date(2025, 4, 16)
    # In a group, a member's reply to an admin's question changes nothing.
    [other] = await bot.say(GROUP, ADMIN, f"/edit {halt} quantity")
    [refusal] = await bot.reply(GROUP, MEMBER, other.result["message_id"], "12")
    assert refusal.params["text"] == display.not_admin(EN)
    [view] = await tracked(editors.sessions, [halt])
    assert view.quantity is None


async def test_merge_and_retract_a_report_end_to_end(editors: Editors) -> None:
    bot, halt = editors.bot, editors.halt
    [exchange] = [t.id for t in await tracked(editors.sessions) if t.kind == "prisoner_exchange"]
    await load_article(editors.sessions, CLAIM)
    [view] = await tracked(editors.sessions, [halt])
    [claim] = view.reports
    [done] = await bot.say(ALICE, ADMIN, f"/retract report {claim.id} — misread the date")
    assert f"Retracted report #{claim.id}" in done.params["text"]
    [view] = await tracked(editors.sessions, [halt])
    assert view.reports == ()
    # Merging two different kinds of thing is the editor's call; the answer names where everything went.
    [merged] = await bot.say(ALICE, ADMIN, f"/merge {exchange} {halt}")
    assert f"Merged #{exchange} into" in merged.params["text"]
    assert [t.id for t in await tracked(editors.sessions)] == [halt]
    [history] = await bot.say(ALICE, ADMIN, f"/history {exchange}")
    assert f"merged this one into #{halt}" in history.params["text"]


async def test_a_date_correction_moves_alerts_and_corrects_the_chat_that_had_the_old_date_once(tmp_path: Path) -> None:
    # The bot's clock on the evening of the call: Bernd, subscribed the day before, gets the halt's start alert.
    async for made in _bot(tmp_path, review=False, clock_at=dt.datetime(2025, 3, 18, 21, tzinfo=dt.UTC)):
        bot, halt = made.bot, made.halt
        await bot.api.wait_for(lambda calls: any("In Kraft ab" in str(c.params.get("text")) for c in calls), 15)
        [started] = [c for c in bot.api.sent(BERND.id) if "In Kraft ab" in str(c.params.get("text"))]
        assert "endet Do., 17. Apr." in started.params["text"]
        sent_before = len(bot.api.sent(BERND.id))

        [done] = await bot.say(ALICE, ADMIN, f"/edit {halt} end 2025-04-16 — Kremlin readout")
        assert "A correction goes to 1 chat" in done.params["text"]
        await bot.api.wait_for(lambda calls: any("Korrektur" in str(c.params.get("text")) for c in calls), 15)
        await asyncio.sleep(2.5)  # two more scheduler ticks: nothing else may follow
        new = bot.api.sent(BERND.id)[sent_before:]
        assert len(new) == 1, text_of(new)
        correction = new[0].params["text"]
        assert correction.startswith("✏️ <b>Korrektur:")
        assert "Mi., 16. Apr." in correction
        assert "Do., 17. Apr." in correction
        assert "Kremlin readout" in correction
        assert not [c for c in bot.api.sent(ALICE.id) if "Korrektur" in str(c.params.get("text"))], "Alice had none"
        async with made.sessions() as session:
            end = await session.scalar(
                select(DeliveryRow.due_at)
                .join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
                .where(AlertRow.key == f"milestone:{halt}:end", DeliveryRow.chat_id == BERND.id)
            )
        assert end == dt.datetime(2025, 4, 16, tzinfo=dt.UTC), "the pending lapse moved at once"

        # A later article with the old date: stored, a conflict naming both values, the corrected end stays.
        later = dataclasses.replace(LATER, published=dt.datetime(2025, 3, 18, 20, 55, tzinfo=dt.UTC))
        await load_article(made.sessions, later)
        poke(bot)
        await bot.api.wait_for(lambda calls: any("Redaktion" in str(c.params.get("text")) for c in calls), 15)
        [conflict] = [c for c in bot.api.sent(BERND.id) if "Redaktion" in str(c.params.get("text"))]
        assert "Fr., 18. Apr." in conflict.params["text"]
        assert "Mi., 16. Apr." in conflict.params["text"]
        [view] = await tracked(made.sessions, [halt])
        assert view.end == dt.date(2025, 4, 16)


async def _card(bot: PolledBot, chat: Chat, needle: str) -> Call:
    await bot.api.wait_for(lambda calls: any(needle in str(c.params.get("text")) for c in bot.api.sent(chat.id)), 15)
    return [c for c in bot.api.sent(chat.id) if needle in str(c.params.get("text"))][-1]


async def test_review_mode_cards_confirm_reject_and_nobody_else_hears(reviewing: Editors) -> None:
    bot, sessions = reviewing.bot, reviewing.sessions
    await load_article(sessions, NEWS, review=True)
    [waiting] = [t for t in await tracked(sessions) if t.review == "unconfirmed"]
    poke(bot)
    cards = {chat.id: await _card(bot, chat, f"new commitment #{waiting.id}") for chat in (ALICE, CAROLS)}
    assert [label for label, _ in buttons(cards[ALICE.id])] == ["✅ Confirm", "✏️ Edit", "🔀 Merge into…", "❌ Reject"]
    assert "Israel and Hamas agreed to a 30-day ceasefire" in cards[ALICE.id].params["text"], "the evidence"
    assert "Cairo talks end with a truce" in cards[ALICE.id].params["text"], "the source"
    assert not [c for c in bot.api.sent(BERND.id) if f"#{waiting.id}" in str(c.params.get("text"))]

    listed = text_of(await bot.say(BERND, MEMBER, "/status"))
    assert f"#{waiting.id}" not in listed, "a subscriber's /status does not list it"
    [refused] = await bot.say(BERND, MEMBER, f"/status {waiting.id}")
    assert "#" in refused.params["text"]
    assert "unbestätigt" not in refused.params["text"]
    mine = text_of(await bot.say(ALICE, ADMIN, "/status"))
    assert f"#{waiting.id}" in mine
    assert "🔎 unconfirmed" in mine
    [queue] = await bot.say(ALICE, ADMIN, "/review")
    assert "1 item waits for review" in queue.params["text"]

    # Both admins press ✅ at once: one confirms, the other is told it was done already.
    ok = {
        chat.id: next(d for label, d in buttons(cards[chat.id]) if label.startswith("✅")) for chat in (ALICE, CAROLS)
    }
    bot.api.press_button(ALICE, ADMIN, cards[ALICE.id].result["message_id"], ok[ALICE.id])
    bot.api.press_button(CAROLS, CAROL, cards[CAROLS.id].result["message_id"], ok[CAROLS.id])
    await bot.api.wait_for(lambda calls: len(bot.answered_callbacks()) >= 2, 15)
    answers = sorted(str(c.params.get("text")) for c in bot.answered_callbacks())
    assert answers[0].startswith("Confirmed #")
    assert "already confirmed by" in answers[1]
    [view] = await tracked(sessions, [waiting.id])
    assert (view.review, view.alerts_from) == ("confirmed", NOW)
    async with sessions() as session:
        [winner] = (await session.scalars(select(EditRow.editor).where(EditRow.action == "confirm"))).all()
    assert f"already confirmed by {winner}" in answers[1]

    # Both cards become the record of what was done, by whom, without buttons.
    def edited(calls: list[Call]) -> list[Call]:
        return [c for c in calls if c.method == "editMessageText" and c.answered]

    await bot.api.wait_for(lambda calls: len(edited(calls)) == 2, 10)
    for record in edited(bot.api.calls):
        assert f"✅ Confirmed by {winner}" in record.params["text"]
        assert "inline_keyboard" not in str(record.params.get("reply_markup"))


async def test_review_reject_stale_card_and_report_card(reviewing: Editors) -> None:
    bot, sessions, halt = reviewing.bot, reviewing.sessions, reviewing.halt
    await load_article(sessions, NEWS, review=True)
    await load_article(sessions, CLAIM, review=True)  # a claim on the confirmed halt: waits too, no conflict yet
    [waiting] = [t for t in await tracked(sessions) if t.review == "unconfirmed"]
    poke(bot)
    card = await _card(bot, ALICE, f"new commitment #{waiting.id}")
    report = await _card(bot, ALICE, "report #")
    assert [label for label, _ in buttons(report)] == ["✅ Confirm", "❌ Reject"]
    assert not [c for c in bot.api.sent(BERND.id) if "Verstoß" in str(c.params.get("text"))], "no conflict alert yet"

    # A reader who is no admin, pressing a card's ✅ (a forwarded card, a forged button): refused, nothing changes.
    before = await _state(sessions)
    confirm_card = next(d for label, d in buttons(card) if label.startswith("✅"))
    bot.api.press_button(DORAS, DORA, card.result["message_id"], confirm_card)
    await bot.api.wait_for(lambda _: any(c.params.get("show_alert") for c in bot.answered_callbacks()), 10)
    [refused] = [c for c in bot.answered_callbacks() if c.params.get("show_alert")]
    assert refused.params["text"] == display.to_plain(display.not_admin(DE))
    assert await _state(sessions) == before

    # Carol corrects it meanwhile: Alice's card is out of date, and she gets the current one instead.
    await bot.say(CAROLS, CAROL, f"/edit {waiting.id} end 2025-04-19")
    stale = next(d for label, d in buttons(card) if label.startswith("✅"))
    fresh = await bot.press(ALICE, ADMIN, card.result["message_id"], stale)
    assert "out of date" in str(bot.answered_callbacks()[-1].params.get("text"))
    assert [c for c in fresh if "new commitment" in str(c.params.get("text"))], "the current card"
    [view] = await tracked(sessions, [waiting.id])
    assert view.review == "unconfirmed"

    reject = next(d for label, d in buttons(fresh[-1]) if label.startswith("❌"))
    await bot.press(ALICE, ADMIN, fresh[-1].result["message_id"], reject)
    assert f"#{waiting.id}" not in text_of(await bot.say(ALICE, ADMIN, "/status")), "rejected: gone from /status"

    confirm = next(d for label, d in buttons(report) if label.startswith("✅"))
    await bot.press(ALICE, ADMIN, report.result["message_id"], confirm)
    poke(bot)
    await bot.api.wait_for(
        lambda calls: any("Verstoß" in str(c.params.get("text")) for c in bot.api.sent(BERND.id)), 15
    )
    [view] = await tracked(sessions, [halt])
    assert [c.kind for c in view.conflicts] == ["violation_in_force"]
    [empty] = await bot.say(ALICE, ADMIN, "/review")
    assert empty.params["text"] == display.review_queue(await edits.queue(sessions), EN)
    assert "Nothing waits" in empty.params["text"]


async def test_merge_into_button_offers_the_likeliest_commitments(reviewing: Editors) -> None:
    bot, sessions, halt = reviewing.bot, reviewing.sessions, reviewing.halt
    news = article(
        "Kyiv: the power-grid truce holds",
        commitments=(commitment(actors=("Ukraine",), scope="power grid", start=dt.date(2025, 3, 20)),),
        published=dt.datetime(2025, 3, 21, 9, tzinfo=dt.UTC),
    )
    await load_article(sessions, news, review=True)
    [waiting] = [t for t in await tracked(sessions) if t.review == "unconfirmed"]
    poke(bot)
    card = await _card(bot, ALICE, f"new commitment #{waiting.id}")
    merge = next(d for label, d in buttons(card) if label.startswith("🔀"))
    [choices] = await bot.press(ALICE, ADMIN, card.result["message_id"], merge)
    offered = [decode(d) for _, d in buttons(choices)]
    assert offered[0] is not None
    assert offered[0].arg == f"{waiting.id}:{halt}"
    [done] = await bot.press(ALICE, ADMIN, choices.result["message_id"], buttons(choices)[0][1])
    assert f"Merged #{waiting.id} into" in done.params["text"]
    [view] = await tracked(sessions, [halt])
    assert len(view.sources) == 2
    assert view.review == "confirmed"
