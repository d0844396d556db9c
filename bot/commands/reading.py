"""What every chat may ask: /start, /help, /status, subscriptions, the timeline and calendar, settings."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot import display, keyboards, parsing, service
from bot.access import RENDERING, Handler, is_admin, may_change_chat, sees_unconfirmed, throttled
from bot.commands.common import PHOTO_MAX_ROWS, message_of, poke, reply, unless_unchanged
from bot.context import Deps, chat_of, deps_of
from bot.i18n import Ctx
from bot.ics import calendar_ics
from storage import chats
from storage.queries import UnknownCommitment


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if not chat.enabled or not chat.member:
        await chats.set_enabled(deps.sessions, chat.id, True)  # /start after a block: the user wants us back
        await chats.set_member(deps.sessions, chat.id, True)
    await reply(update, display.welcome(ctx), reply_markup=keyboards.start_keyboard(ctx))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _, ctx = await chat_of(update, deps_of(context))
    await reply(update, display.help_text(ctx, admin=is_admin(update, context)))


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if context.args:
        await show_detail(update, deps, ctx, chat.id, context.args[0])
        return
    await show_page(update, deps, ctx, 0)


async def show_page(update: Update, deps: Deps, ctx: Ctx, page: int, *, edit: bool = False) -> None:
    result = await service.status_page(deps, ctx, page, admin=sees_unconfirmed(update, deps.admins))
    if result.total == 0:
        await reply(update, display.nothing_tracked(ctx))
        return
    text = display.status_page(result.items, page=result.page, pages=result.pages, total=result.total, ctx=ctx)
    markup = keyboards.status_keyboard(result.items, page=result.page, pages=result.pages, ctx=ctx)
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        await unless_unchanged(query.edit_message_text(text, reply_markup=markup))
    else:
        await reply(update, text, reply_markup=markup)


async def show_detail(update: Update, deps: Deps, ctx: Ctx, chat_id: int, raw: str) -> None:
    commitment_id = parsing.commitment_id(raw)
    admin = sees_unconfirmed(update, deps.admins)
    found = None if commitment_id is None else await service.detail(deps, ctx, commitment_id, admin=admin)
    if commitment_id is None or found is None:
        await reply(update, display.unknown_id(raw, ctx))
        return
    item, upcoming = found
    subscribed = await chats.is_subscribed(deps.sessions, chat_id, commitment_id)
    chunks = display.status_detail(item, next_milestone=upcoming, subscribed=subscribed, ctx=ctx)
    await reply(update, chunks, reply_markup=keyboards.detail_keyboard(commitment_id, subscribed=subscribed, ctx=ctx))


async def _changer(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx) -> bool:
    """Whether this user may change this chat's subscriptions or settings; refuses politely when not."""
    if await may_change_chat(update, context):
        return True
    await reply(update, display.not_chat_admin(ctx))
    return False


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _subscription_command(update, context, on=True)


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _subscription_command(update, context, on=False)


async def _subscription_command(update: Update, context: ContextTypes.DEFAULT_TYPE, *, on: bool) -> None:
    """`/subscribe [ID]` or `/unsubscribe [ID|all]`, for those who may change the chat's subscriptions."""
    chat, ctx = await chat_of(update, deps_of(context))
    if not await _changer(update, context, ctx):
        return
    await change_subscription(update, context, ctx, chat.id, context.args[0] if context.args else "all", on=on)


async def change_subscription(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, chat_id: int, raw: str, *, on: bool
) -> str | None:
    """Subscribe or unsubscribe ``raw`` ("all" or an id) and reply; returns the reply for button toasts."""
    deps = deps_of(context)
    everything = raw.lower() in ("all", "alle")
    commitment_id = None if everything else parsing.commitment_id(raw)
    if not everything and commitment_id is None:
        await reply(update, display.unknown_id(raw, ctx))
        return None
    title: str | None = None
    if commitment_id is not None:
        found = await service.detail(deps, ctx, commitment_id)
        if found is None:
            await reply(update, display.unknown_id(raw, ctx))
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
        await reply(update, display.unknown_id(raw, ctx))
        return None
    await reply(update, text)
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
    await reply(update, display.subscriptions(ctx, all_=everything, items=named, muted=muted))


async def timeline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    _, found = await service.items(deps, ctx)
    # matplotlib costs ~50 MB and a quarter second to import: only a bot that is asked for a chart pays for it.
    from bot.charts import timeline_png

    # Rendering takes up to a few seconds for 200 rows: off the event loop, so other chats are not kept waiting.
    png = await asyncio.to_thread(
        timeline_png, localised(display.ordered(found), ctx), at=deps.clock.now(), tz=ctx.tz, language=ctx.language
    )
    if len(found) > PHOTO_MAX_ROWS:  # Telegram shrinks photos; a tall chart stays readable only as a file
        await message_of(update).reply_document(png, filename="timeline.png", caption=display.timeline_caption(ctx))
    else:
        await message_of(update).reply_photo(png, caption=display.timeline_caption(ctx))


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
            await reply(update, display.unknown_id(context.args[0], ctx))
            return
        ids = [commitment_id]
    try:
        found, plans = await service.plans(deps, ctx, ids)
    except UnknownCommitment:
        await reply(update, display.unknown_id(context.args[0] if context.args else "", ctx))
        return
    ics = calendar_ics(localised(found, ctx), plans, tz=ctx.tz, language=ctx.language)
    name = f"ceasefire-watch-{ids[0]}.ics" if ids else "ceasefire-watch.ics"
    await message_of(update).reply_document(ics, filename=name, caption=display.calendar_caption(ctx))


async def settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if not context.args:
        await reply(update, display.settings_view(chat, ctx), reply_markup=keyboards.settings_keyboard(chat, ctx))
        return
    if not await _changer(update, context, ctx):
        return
    change = parsing.setting(list(context.args))
    if isinstance(change, parsing.Invalid):
        await reply(update, display.bad_setting(change.name, change.value, change.reason, ctx))
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
    await reply(update, display.setting_changed(change.name, change.value, ctx))
    await reply(update, display.settings_view(view, ctx), reply_markup=keyboards.settings_keyboard(view, ctx))


# The commands every chat may send, by name; the charts are throttled per user (each one is a rendering).
ROUTES: dict[str, Handler] = {
    "start": start,
    "help": help_command,
    "status": status,
    "timeline": throttled(RENDERING, timeline),
    "subscribe": subscribe,
    "unsubscribe": unsubscribe,
    "subscriptions": subscriptions,
    "calendar": throttled(RENDERING, calendar),
    "settings": settings,
}
