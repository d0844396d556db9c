"""Inline-button handlers: decode the button, check the same permissions as the typed command, reuse its code."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.ext import ContextTypes

from bot import commands, display, intake, keyboards, parsing
from bot.access import is_admin, may_change_chat
from bot.callback_data import Button, decode
from bot.context import Deps, chat_of, deps_of
from bot.i18n import Ctx
from storage import chats, edits
from storage.chats import ChatView
from tracking import corrections
from tracking.model import UNCONFIRMED


@dataclass(frozen=True, slots=True)
class Press:
    """One button press, decoded, with what every button handler needs."""

    update: Update
    context: ContextTypes.DEFAULT_TYPE
    query: CallbackQuery
    deps: Deps
    chat: ChatView
    ctx: Ctx
    button: Button


OnPress = Callable[[Press], Awaitable[None]]
T = TypeVar("T")


def admins_only(handler: OnPress) -> OnPress:
    """Buttons that change tracked data or feeds: the configured admins only, as the typed commands."""

    @functools.wraps(handler)
    async def checked(press: Press) -> None:
        if not is_admin(press.update, press.context):
            await press.query.answer(display.popup(display.not_admin(press.ctx)), show_alert=True)
            return
        await handler(press)

    return checked


def chat_admins_only(handler: OnPress) -> OnPress:
    """Buttons that change the chat's subscriptions or settings: in a group, its admins only."""

    @functools.wraps(handler)
    async def checked(press: Press) -> None:
        if not await may_change_chat(press.update, press.context):
            await press.query.answer(display.not_chat_admin(press.ctx), show_alert=True)
            return
        await handler(press)

    return checked


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Decode the button and route it by its action (:data:`ROUTES`); an unknown or stale one is told so."""
    query = update.callback_query
    assert query is not None
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    button = decode(query.data)
    if button is None:
        await query.answer(display.stale_button(ctx))
        return
    press = Press(update, context, query, deps, chat, ctx, button)
    await ROUTES.get(button.action, _first_page)(press)


async def _first_page(press: Press) -> None:
    await press.query.answer()
    await commands.show_page(press.update, press.deps, press.ctx, 0)


async def _page(press: Press) -> None:
    await press.query.answer()
    page = int(press.button.arg) if press.button.arg.isdigit() else 0
    await commands.show_page(press.update, press.deps, press.ctx, page, edit=True)


async def _open(press: Press) -> None:
    await press.query.answer()
    await commands.show_detail(press.update, press.deps, press.ctx, press.chat.id, press.button.arg)


@chat_admins_only
async def _subscription(press: Press) -> None:
    """🔔 / 🔕 under a detail, or Mute / Unmute under an alert."""
    update, context, ctx, query, button = press.update, press.context, press.ctx, press.query, press.button
    on = button.action == "sub"
    alerted = keyboards.from_alert(button)
    if alerted is not None:
        await on_alert_toggle(update, context, ctx, press.chat.id, alerted, mute=not on)
        return
    text = await commands.change_subscription(update, context, ctx, press.chat.id, button.arg, on=on)
    await query.answer(display.popup(text))
    commitment_id = parsing.commitment_id(button.arg)
    if text and commitment_id is not None and query.message is not None:
        subscribed = await chats.is_subscribed(press.deps.sessions, press.chat.id, commitment_id)
        markup = keyboards.detail_keyboard(commitment_id, subscribed=subscribed, ctx=ctx)
        await commands.unless_unchanged(query.edit_message_reply_markup(markup))


@chat_admins_only
async def _setting(press: Press) -> None:
    field, _, value = press.button.arg.partition(":")
    change = parsing.setting([field, value])
    if isinstance(change, parsing.Invalid):
        await press.query.answer(display.stale_button(press.ctx))
        return
    await press.query.answer()
    await commands.apply_setting(press.update, press.deps, press.chat.id, change)


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


async def _pair(press: Press, read: Callable[[str], T | None]) -> tuple[int, T] | None:
    """(id, what ``read`` makes of the rest) of an ID:VALUE button; a malformed one is answered as stale."""
    pair = keyboards.pair_of(press.button)
    value = read(pair[1]) if pair is not None else None
    if pair is None or value is None:
        await press.query.answer(display.stale_button(press.ctx))
        return None
    return pair[0], value


@admins_only
async def _field(press: Press) -> None:
    """A field to correct, picked from the /edit menu: ask for its value."""
    if (pair := await _pair(press, corrections.field_of)) is None:
        return
    await press.query.answer()
    await commands.ask_value(press.update, press.context, press.ctx, *pair)


@admins_only
async def _into(press: Press) -> None:
    """A commitment to merge into, picked from 🔀's list (storage.edits decides, as for /merge)."""
    if (pair := await _pair(press, parsing.commitment_id)) is None:
        return
    text = await commands.merge_into(press.update, press.context, press.ctx, *pair, None)
    await press.query.answer(display.popup(display.to_plain(text)))


@admins_only
async def _review(press: Press) -> None:
    """A review card's ✅ / ✏️ / 🔀 / ❌ (a press that lost a race or came too late is told so)."""
    update, context, ctx = press.update, press.context, press.ctx
    parsed = keyboards.review_of(press.button)
    if parsed is None:
        await press.query.answer(display.stale_button(ctx))
        return
    verb, target, item_id, version = parsed
    if verb in ("ok", "no"):
        await decide(update, context, ctx, target, item_id, version, confirm=verb == "ok")
        return
    await press.query.answer()
    if verb == "edit":
        await commands.show_edit_menu(update, context, ctx, item_id)
    elif verb == "merge":
        await show_merge_targets(update, context, ctx, item_id)
    else:
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


@admins_only
async def _feed(press: Press) -> None:
    """A feed that /feeds add found linked from a page: checked and added like a typed URL."""
    verb, _, token = press.button.arg.partition(":")
    url = intake.offered(press.context.application.bot_data, token) if verb == "add" else None
    if url is None:  # offered before a restart, or long ago
        await press.query.answer(display.stale_button(press.ctx))
        return
    await press.query.answer()
    await commands.add_feed(press.update, press.context, press.ctx, url, [])


# Every button's action and its handler; anything else shows the first page of /status.
ROUTES: dict[str, OnPress] = {
    "page": _page,
    "open": _open,
    "sub": _subscription,
    "unsub": _subscription,
    "set": _setting,
    "field": _field,
    "into": _into,
    "review": _review,
    "feed": _feed,
}
