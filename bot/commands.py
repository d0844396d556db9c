"""Command handlers: parse the arguments, ask the stored data, render with bot.display. Nothing else lives here."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from typing import Any

from telegram import Message, Update
from telegram.ext import ContextTypes

from articles.extract import extract_reports, extract_text
from articles.model import Article, ArticleError
from articles.page import NO_DATE, detect_language
from articles.reader import MAX_BYTES, decode_text
from bot import display, keyboards, parsing, service
from bot.access import is_admin, may_change_chat
from bot.charts import timeline_png
from bot.context import Deps, chat_of, deps_of
from bot.i18n import Ctx
from bot.ics import calendar_ics
from storage import chats, outbox
from storage.loader import load_article
from storage.queries import UnknownCommitment

PHOTO_MAX_ROWS = 40
ALERTS_KEY = "alerts"  # where bot.app keeps this process's alert scheduler


def poke(
    context: ContextTypes.DEFAULT_TYPE, *, chat_ids: list[int] | None = None, commitment_ids: list[int] | None = None
) -> None:
    """Ask the alert scheduler (when this process runs one) to reconcile now instead of at its next tick."""
    scheduler = context.application.bot_data.get(ALERTS_KEY)
    if scheduler is not None:
        scheduler.poke(commitment_ids=commitment_ids, chat_ids=chat_ids)


def _message(update: Update) -> Message:
    message = update.effective_message
    assert message is not None
    return message


async def _reply(update: Update, chunks: str | list[str], **kwargs: object) -> None:
    """Send one or more ≤4096-character HTML chunks; buttons go on the last one."""
    parts = [chunks] if isinstance(chunks, str) else chunks
    markup = kwargs.pop("reply_markup", None)
    for index, chunk in enumerate(parts):
        last = index == len(parts) - 1
        await _message(update).reply_html(chunk, reply_markup=markup if last else None, **kwargs)  # type: ignore[arg-type]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if not chat.enabled or not chat.member:
        await chats.set_enabled(deps.sessions, chat.id, True)  # /start after a block: the user wants us back
        await chats.set_member(deps.sessions, chat.id, True)
    await _reply(update, display.welcome(ctx), reply_markup=keyboards.start_keyboard(ctx))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _, ctx = await chat_of(update, deps_of(context))
    await _reply(update, display.help_text(ctx, admin=is_admin(update, context)))


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if context.args:
        await show_detail(update, deps, ctx, chat.id, context.args[0])
        return
    await show_page(update, deps, ctx, 0)


async def show_page(update: Update, deps: Deps, ctx: Ctx, page: int, *, edit: bool = False) -> None:
    result = await service.status_page(deps, ctx, page)
    if result.total == 0:
        await _reply(update, display.nothing_tracked(ctx))
        return
    text = display.status_page(result.items, page=result.page, pages=result.pages, total=result.total, ctx=ctx)
    markup = keyboards.status_keyboard(result.items, page=result.page, pages=result.pages, ctx=ctx)
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        await query.edit_message_text(text, reply_markup=markup)
    else:
        await _reply(update, text, reply_markup=markup)


async def show_detail(update: Update, deps: Deps, ctx: Ctx, chat_id: int, raw: str) -> None:
    commitment_id = parsing.commitment_id(raw)
    found = None if commitment_id is None else await service.detail(deps, ctx, commitment_id)
    if commitment_id is None or found is None:
        await _reply(update, display.unknown_id(raw, ctx))
        return
    item, upcoming = found
    subscribed = await chats.is_subscribed(deps.sessions, chat_id, commitment_id)
    chunks = display.status_detail(item, next_milestone=upcoming, subscribed=subscribed, ctx=ctx)
    await _reply(update, chunks, reply_markup=keyboards.detail_keyboard(commitment_id, subscribed=subscribed, ctx=ctx))


async def _changer(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx) -> bool:
    """Whether this user may change this chat's subscriptions or settings; refuses politely when not."""
    if await may_change_chat(update, context):
        return True
    await _reply(update, display.not_chat_admin(ctx))
    return False


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if not await _changer(update, context, ctx):
        return
    await change_subscription(update, context, ctx, chat.id, context.args[0] if context.args else "all", on=True)


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if not await _changer(update, context, ctx):
        return
    await change_subscription(update, context, ctx, chat.id, context.args[0] if context.args else "all", on=False)


async def change_subscription(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, chat_id: int, raw: str, *, on: bool
) -> str | None:
    """Subscribe or unsubscribe ``raw`` ("all" or an id) and reply; returns the reply for button toasts."""
    deps = deps_of(context)
    everything = raw.lower() in ("all", "alle")
    commitment_id = None if everything else parsing.commitment_id(raw)
    if not everything and commitment_id is None:
        await _reply(update, display.unknown_id(raw, ctx))
        return None
    title: str | None = None
    if commitment_id is not None:
        found = await service.detail(deps, ctx, commitment_id)
        if found is None:
            await _reply(update, display.unknown_id(raw, ctx))
            return None
        title = display.title(found[0], ctx)
    try:
        if on:
            changed = await chats.subscribe(deps.sessions, chat_id, commitment_id, at=deps.clock.now())
            text = display.subscribed(ctx, title=title) if changed else display.already_subscribed(ctx)
        else:
            changed = await chats.unsubscribe(deps.sessions, chat_id, commitment_id)
            text = display.unsubscribed(ctx, title=title) if changed else display.not_subscribed(ctx)
    except UnknownCommitment:  # deleted between the lookup and the change
        await _reply(update, display.unknown_id(raw, ctx))
        return None
    await _reply(update, text)
    if changed:  # owed alerts are planned, or those no longer owed cancelled, before the next send
        poke(context, chat_ids=[chat_id])
    return text


async def subscriptions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    everything, ids = await chats.subscriptions_of(deps.sessions, chat.id)
    muted_ids = await chats.muted_of(deps.sessions, chat.id) if everything else []
    named: list[tuple[int, str]] = []
    muted: list[tuple[int, str]] = []
    if ids or muted_ids:
        _, found = await service.items(deps, ctx, [*ids, *muted_ids])
        titles = {int(item["id"]): display.title(item, ctx) for item in found}
        named = [(i, titles[i]) for i in ids if i in titles]
        muted = [(i, titles[i]) for i in muted_ids if i in titles]
    await _reply(update, display.subscriptions(ctx, all_=everything, items=named, muted=muted))


async def timeline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    _, found = await service.items(deps, ctx)
    # Rendering takes up to a few seconds for 200 rows: off the event loop, so other chats are not kept waiting.
    png = await asyncio.to_thread(
        timeline_png, localised(display.ordered(found), ctx), at=deps.clock.now(), tz=ctx.tz, language=ctx.language
    )
    if len(found) > PHOTO_MAX_ROWS:  # Telegram shrinks photos; a tall chart stays readable only as a file
        await _message(update).reply_document(png, filename="timeline.png", caption=display.timeline_caption(ctx))
    else:
        await _message(update).reply_photo(png, caption=display.timeline_caption(ctx))


def localised(found: Sequence[Mapping[str, Any]], ctx: Ctx) -> list[dict[str, Any]]:
    """Items with their titles in the chat's language, for the chart and calendar files."""
    return [{**item, "title": display.title(item, ctx)} for item in found]


async def calendar(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    ids: list[int] | None = None
    if context.args:
        commitment_id = parsing.commitment_id(context.args[0])
        if commitment_id is None:
            await _reply(update, display.unknown_id(context.args[0], ctx))
            return
        ids = [commitment_id]
    try:
        found, plans = await service.plans(deps, ctx, ids)
    except UnknownCommitment:
        await _reply(update, display.unknown_id(context.args[0] if context.args else "", ctx))
        return
    ics = calendar_ics(localised(found, ctx), plans, tz=ctx.tz, language=ctx.language)
    name = f"ceasefire-watch-{ids[0]}.ics" if ids else "ceasefire-watch.ics"
    await _message(update).reply_document(ics, filename=name, caption=display.calendar_caption(ctx))


async def settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if not context.args:
        await _reply(update, display.settings_view(chat, ctx), reply_markup=keyboards.settings_keyboard(chat, ctx))
        return
    if not await _changer(update, context, ctx):
        return
    change = parsing.setting(list(context.args))
    if isinstance(change, parsing.Invalid):
        await _reply(update, display.bad_setting(change.name, change.value, change.reason, ctx))
        return
    await apply_setting(update, deps, chat.id, change)


async def apply_setting(update: Update, deps: Deps, chat_id: int, change: parsing.Change) -> None:
    if change.name == "language":
        view = await chats.update_settings(deps.sessions, chat_id, language=change.value)
    elif change.name == "timezone":
        view = await chats.update_settings(deps.sessions, chat_id, timezone=change.value)
    else:
        view = await chats.update_settings(deps.sessions, chat_id, quiet=change.quiet)
    _, ctx = await chat_of(update, deps)  # the reply speaks the new language / zone
    await _reply(update, display.setting_changed(change.name, change.value, ctx))
    await _reply(update, display.settings_view(view, ctx), reply_markup=keyboards.settings_keyboard(view, ctx))


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/report ID text`: an admin logs what a source says about a commitment; the text is kept as evidence."""
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    if not is_admin(update, context):
        await _reply(update, display.not_admin(ctx))
        return
    args = context.args or []
    commitment_id = parsing.commitment_id(args[0]) if args else None
    text = " ".join(args[1:]).strip()
    if commitment_id is None or not text:
        await _reply(update, display.report_usage(ctx))
        return
    found = await service.detail(deps, ctx, commitment_id)
    if found is None:
        await _reply(update, display.unknown_id(args[0], ctx))
        return
    now = deps.clock.now()
    kind = found[0]["kind"]
    reports = extract_reports(text, language=detect_language(text), published=now, about=kind)
    if not reports:
        await _reply(update, display.report_not_understood(ctx))
        return
    user = update.effective_user
    author = user.full_name if user is not None else "admin"
    article = Article(
        path=f"telegram:report/{_message(update).chat_id}/{_message(update).message_id}",
        language=detect_language(text),
        published=now,
        title=f"Report by {author} via Telegram",
        content_hash=hashlib.sha256(f"report\n{commitment_id}\n{text}".encode()).hexdigest(),
        reports=tuple(replace(r, evidence=text) for r in reports),
    )
    outcome = await load_article(deps.sessions, article, pin_reports_to=commitment_id)
    await _reply(update, display.report_result(outcome, ctx))
    poke(context, commitment_ids=[commitment_id])  # a new conflict alerts subscribers now, not at the next tick


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A `.txt` sent by an admin is loaded as an article, with the same checks as `ceasefire-watch load`."""
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    message = _message(update)
    upload = message.document
    if upload is None:
        return
    if not is_admin(update, context):
        await _reply(update, display.not_admin(ctx))
        return
    name = upload.file_name or "article.txt"
    if not name.lower().endswith(".txt"):
        await _reply(update, display.bad_article(f"{name}: send the article as a .txt file", ctx))
        return
    if upload.file_size is not None and upload.file_size > MAX_BYTES:
        await _reply(update, display.bad_article(f"{name}: file too large (limit 5 MB)", ctx))
        return
    data = bytes(await (await upload.get_file()).download_as_bytearray())
    dated_by_message = None
    try:
        text = decode_text(name, data)
        try:
            article = extract_text(text, f"telegram:{name}")
        except ArticleError as error:
            if error.reason != NO_DATE:
                raise
            # a page without a date of its own is dated by the message that brought it, and the answer says so
            dated_by_message = message.date
            article = extract_text(text, f"telegram:{name}", published=dated_by_message)
    except ArticleError as error:
        await _reply(update, display.bad_article(f"{error.path}: {error.reason}", ctx))
        return
    outcome = await load_article(deps.sessions, article)
    await _reply(update, display.load_result(outcome, ctx, dated_by=dated_by_message))
    poke(context, commitment_ids=[ref.id for ref in (*outcome.created, *outcome.merged)] or None)


async def unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _, ctx = await chat_of(update, deps_of(context))
    await _reply(update, display.unknown_command(ctx))


async def health(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins see the outbox: what is owed, sent and failed, paused chats and the last delivery error."""
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    if not is_admin(update, context):
        await _reply(update, display.not_admin(ctx))
        return
    await _reply(update, display.health(asdict(await outbox.health(deps.sessions)), ctx))
