"""Inline-button handlers: decode the button, check the same permissions as the typed command, reuse its code."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import commands, display, intake, keyboards, parsing
from bot.access import is_admin, may_change_chat
from bot.callback_data import Button, decode
from bot.context import chat_of, deps_of
from bot.i18n import Ctx
from storage import chats, edits
from tracking import corrections
from tracking.model import UNCONFIRMED


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    button = decode(query.data)
    if button is None:
        await query.answer(display.stale_button(ctx))
        return
    if button.action in EDITOR_ACTIONS:
        await on_editor_button(update, context, ctx, button)
        return
    if button.action == "feed":
        await on_feed_button(update, context, ctx, button)
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
        await query.answer(display.popup(text))
        commitment_id = parsing.commitment_id(button.arg)
        if text and commitment_id is not None and query.message is not None:
            subscribed = await chats.is_subscribed(deps.sessions, chat.id, commitment_id)
            markup = keyboards.detail_keyboard(commitment_id, subscribed=subscribed, ctx=ctx)
            await commands.unless_unchanged(query.edit_message_reply_markup(markup))
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
    await query.answer(display.popup(text))
    message = query.message
    ids, muted = keyboards.alert_keyboard_ids(message.reply_markup if isinstance(message, Message) else None)
    if text and ids:  # Telegram sends the pressed message's buttons along; without them, leave them as they are
        subscribed = await chats.is_subscribed(deps.sessions, chat_id, commitment_id)
        muted = muted - {commitment_id} if subscribed else muted | {commitment_id}
        markup = keyboards.alert_keyboard(ids, ctx, muted=muted)
        await commands.unless_unchanged(query.edit_message_reply_markup(markup))


# --- corrections and review (admins) ---------------------------------------------------------------------------

EDITOR_ACTIONS = frozenset({"review", "field", "into"})


async def on_editor_button(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, button: Button) -> None:
    """A review card's ✅ / ✏️ / 🔀 / ❌, a field to correct, a commitment to merge into: admins only, the same
    rules as the typed commands (storage.edits decides; a press that lost a race or came too late is told so)."""
    query = update.callback_query
    assert query is not None
    if not is_admin(update, context):
        await query.answer(display.to_plain(display.not_admin(ctx)), show_alert=True)
        return
    if button.action == "field":
        pair = keyboards.pair_of(button)
        field = corrections.field_of(pair[1]) if pair is not None else None
        if pair is None or field is None:
            await query.answer(display.stale_button(ctx))
            return
        await query.answer()
        await commands.ask_value(update, context, ctx, pair[0], field)
        return
    if button.action == "into":
        pair = keyboards.pair_of(button)
        into = parsing.commitment_id(pair[1]) if pair is not None else None
        if pair is None or into is None:
            await query.answer(display.stale_button(ctx))
            return
        text = await commands.merge_into(update, context, ctx, pair[0], into, None)
        await query.answer(display.to_plain(text)[:200])
        return
    parsed = keyboards.review_of(button)
    if parsed is None:
        await query.answer(display.stale_button(ctx))
        return
    verb, target, item_id, version = parsed
    if verb in ("ok", "no"):
        await decide(update, context, ctx, target, item_id, version, confirm=verb == "ok")
    elif verb == "edit":
        await query.answer()
        await commands.show_edit_menu(update, context, ctx, item_id)
    elif verb == "merge":
        await query.answer()
        await show_merge_targets(update, context, ctx, item_id)
    else:
        await query.answer()
        await send_card(update, context, ctx, target, item_id)


async def decide(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    ctx: Ctx,
    target: str,
    item_id: int,
    version: int | None,
    *,
    confirm: bool,
) -> None:
    """✅ or ❌ on a card: once. The winner's card becomes the record of what was done; a press that came second
    is told who did it first (and its card too); a card older than the item gets the current one instead."""
    query = update.callback_query
    assert query is not None
    deps = deps_of(context)
    kind: edits.Target = "report" if target == "report" else "commitment"
    editor = commands.editor_of(update)
    try:
        outcome = await edits.decide(
            deps.sessions, kind, item_id, confirm=confirm, editor=editor, at=deps.clock.now(), version=version
        )
    except edits.EditError as error:
        await query.answer(display.to_plain(display.edit_refused(error, ctx))[:200], show_alert=True)
        if error.reason == "stale":
            await send_card(update, context, ctx, kind, item_id)
        elif error.reason == "already" and error.state is not None:
            await _record_on_card(update, context, ctx, kind, item_id, (error.state, error.by or ctx._("an editor")))
        return
    await query.answer(display.review_done(kind, item_id, confirm, ctx))
    state = "confirmed" if confirm else "rejected"
    await _record_on_card(update, context, ctx, kind, item_id, (state, editor.name))
    if outcome.commitment is not None:
        commands.poke(context, commitment_ids=[outcome.commitment.id])  # its alerts (or conflicts) are planned now


async def _record_on_card(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    ctx: Ctx,
    target: edits.Target,
    item_id: int,
    done: tuple[str, str],
) -> None:
    """The pressed card, rewritten as the record of what was decided, without buttons."""
    query = update.callback_query
    assert query is not None
    text = await _card_text(context, ctx, target, item_id, done)
    if text is not None and isinstance(query.message, Message):
        await query.edit_message_text(text, reply_markup=None)


async def _card_text(
    context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, target: edits.Target, item_id: int, done: tuple[str, str] | None
) -> str | None:
    sessions = deps_of(context).sessions
    try:
        if target == "report":
            report, _, owner = await edits.report(sessions, item_id)
            return display.report_card(report, owner, ctx, decided=done)
        return display.review_card(await edits.commitment(sessions, item_id), ctx, decided=done)
    except edits.EditError:
        return None


async def send_card(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, target: edits.Target | str, item_id: int
) -> None:
    """The item's card as it is now: with buttons while it waits, else the record of who decided it."""
    kind: edits.Target = "report" if target == "report" else "commitment"
    deps = deps_of(context)
    chat = update.effective_chat
    assert chat is not None
    try:
        state, by = await edits.decided_by(deps.sessions, kind, item_id)
    except edits.EditError as error:
        await context.bot.send_message(chat.id, display.edit_refused(error, ctx))
        return
    waiting = state == UNCONFIRMED
    text = await _card_text(context, ctx, kind, item_id, None if waiting else (state, by or ctx._("an editor")))
    if text is None:
        return
    markup = None
    if waiting:
        version = None if kind == "report" else (await edits.commitment(deps.sessions, item_id)).version
        markup = keyboards.review_keyboard(kind, item_id, version, ctx)
    await context.bot.send_message(chat.id, text, reply_markup=markup)


async def show_merge_targets(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, commitment_id: int) -> None:
    """🔀 on a card: the likeliest commitments to merge this one into, a button each."""
    deps = deps_of(context)
    chat = update.effective_chat
    assert chat is not None
    try:
        tracked = await edits.commitment(deps.sessions, commitment_id)
        targets = await edits.merge_targets(deps.sessions, commitment_id)
    except edits.EditError as error:
        await context.bot.send_message(chat.id, display.edit_refused(error, ctx))
        return
    markup = keyboards.merge_keyboard(commitment_id, targets, ctx) if targets else None
    await context.bot.send_message(chat.id, display.merge_choices(tracked, targets, ctx), reply_markup=markup)


# --- feeds (admins) ------------------------------------------------------------------------------------------------


async def on_feed_button(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, button: Button) -> None:
    """A feed that /feeds add found linked from a page: checked and added like a typed URL (admins only)."""
    query = update.callback_query
    assert query is not None
    if not is_admin(update, context):
        await query.answer(display.popup(display.not_admin(ctx)), show_alert=True)
        return
    verb, _, token = button.arg.partition(":")
    url = intake.offered(context.application.bot_data, token) if verb == "add" else None
    if url is None:  # offered before a restart, or long ago
        await query.answer(display.stale_button(ctx))
        return
    await query.answer()
    await commands.add_feed(update, context, ctx, url, [])
