"""Inline-button handlers: decode the button, check the same permissions as the typed command, reuse its code."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import commands, display, keyboards, parsing
from bot.access import may_change_chat
from bot.callback_data import decode
from bot.context import chat_of, deps_of
from storage import chats


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    button = decode(query.data)
    if button is None:
        await query.answer(display.stale_button(ctx))
        return
    if button.action in ("sub", "unsub", "set") and not await may_change_chat(update, context):
        await query.answer(display.not_chat_admin(ctx), show_alert=True)
        return
    if button.action == "page":
        await query.answer()
        await commands.show_page(update, deps, ctx, int(button.arg) if button.arg.isdigit() else 0, edit=True)
    elif button.action == "open":
        await query.answer()
        await commands.show_detail(update, deps, ctx, chat.id, button.arg)
    elif button.action in ("sub", "unsub"):
        text = await commands.change_subscription(update, context, ctx, chat.id, button.arg, on=button.action == "sub")
        await query.answer(display.to_plain(text) if text else None)
        commitment_id = parsing.commitment_id(button.arg)
        if text and commitment_id is not None and query.message is not None:
            subscribed = await chats.is_subscribed(deps.sessions, chat.id, commitment_id)
            await query.edit_message_reply_markup(
                keyboards.detail_keyboard(commitment_id, subscribed=subscribed, ctx=ctx)
            )
    elif button.action == "set":
        field, _, value = button.arg.partition(":")
        change = parsing.setting([field, value])
        if isinstance(change, parsing.Invalid):
            await query.answer(display.stale_button(ctx))
            return
        await query.answer()
        await commands.apply_setting(update, deps, chat.id, change)
    else:
        await query.answer()
        await commands.show_page(update, deps, ctx, 0)
