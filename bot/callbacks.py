"""Inline-button handlers: decode the button, check the same permissions as the typed command, reuse its code."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import commands, display, keyboards, parsing
from bot.access import may_change_chat
from bot.callback_data import decode
from bot.context import chat_of, deps_of
from bot.i18n import Ctx
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
    elif button.action in ("sub", "unsub") and (alerted := keyboards.from_alert(button)) is not None:
        await on_alert_toggle(update, context, ctx, chat.id, alerted, mute=button.action == "unsub")
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


async def on_alert_toggle(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, chat_id: int, commitment_id: int, *, mute: bool
) -> None:
    """ "Mute" / "Unmute" under an alert: the chat stops (or starts again) hearing about this commitment — its own
    subscription goes, or in a chat that follows everything the commitment is muted — then the same buttons with
    this one's toggled."""
    query = update.callback_query
    assert query is not None
    deps = deps_of(context)
    text = await commands.change_subscription(update, context, ctx, chat_id, str(commitment_id), on=not mute)
    await query.answer(display.to_plain(text) if text else None)
    message = query.message
    ids, muted = keyboards.alert_keyboard_ids(message.reply_markup if isinstance(message, Message) else None)
    if text and ids:  # Telegram sends the pressed message's buttons along; without them, leave them as they are
        subscribed = await chats.is_subscribed(deps.sessions, chat_id, commitment_id)
        muted = muted - {commitment_id} if subscribed else muted | {commitment_id}
        await query.edit_message_reply_markup(keyboards.alert_keyboard(ids, ctx, muted=muted))
