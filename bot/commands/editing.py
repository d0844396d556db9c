"""Editors' commands: /edit (typed or by menu and reply), /merge, /retract, /history, /review (storage.edits)."""

from __future__ import annotations

import re

from telegram import ForceReply, ReplyParameters, Update
from telegram.ext import ContextTypes

from bot import display, keyboards, parsing
from bot.access import Handler
from bot.commands.common import admin_here, message_of, poke, reply
from bot.context import chat_of, deps_of
from bot.i18n import Ctx
from storage import edits
from tracking import corrections
from tracking.model import VISIBLE

# --- corrections and review (admins; storage.edits) -------------------------------------------------------------

PROMPTS_KEY = "edit_prompts"  # chat_data: the bot's "new value?" message id → (commitment id, field)
_REASON = re.compile(r"\s+(?:—|–|--)\s*")  # "/edit 3 end 2025-04-16 — Kremlin readout"


def editor_of(update: Update) -> edits.Editor:
    """Who is editing, as /history shows it: the admin's name and Telegram id."""
    user = update.effective_user
    if user is None:
        return edits.Editor("admin")
    return edits.Editor(user.full_name or str(user.id), user.id)


def _arguments(update: Update) -> str:
    """What follows the command on its line ("/edit@bot 3 end …" → "3 end …"), spacing inside kept."""
    text = message_of(update).text or ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


def _reason(text: str) -> tuple[str, str | None]:
    """("3 end 2025-04-16", "Kremlin readout") from "3 end 2025-04-16 — Kremlin readout"."""
    parts = _REASON.split(text, maxsplit=1)
    reason = parts[1].strip() if len(parts) == 2 else ""
    return parts[0].strip(), reason or None


async def edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/edit ID FIELD VALUE [— reason]` corrects a field; `/edit ID` shows the fields as buttons; `/edit ID FIELD`
    asks for the value."""
    ctx = await admin_here(update, context)
    if ctx is None:
        return
    body, reason = _reason(_arguments(update))
    words = body.split(maxsplit=2)
    commitment_id = parsing.commitment_id(words[0]) if words else None
    if commitment_id is None:
        await reply(update, display.edit_usage(ctx))
        return
    if len(words) == 1:
        await show_edit_menu(update, context, ctx, commitment_id)
        return
    if len(words) == 2:
        field = corrections.field_of(words[1])
        if field is None:
            error = edits.EditError("invalid", commitment_id, invalid=corrections.Invalid(words[1], "", "field"))
            await reply(update, display.edit_refused(error, ctx))
            return
        await ask_value(update, context, ctx, commitment_id, field)
        return
    await apply_edit(update, context, ctx, commitment_id, [(words[1], words[2])], reason)


async def apply_edit(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    ctx: Ctx,
    commitment_id: int,
    changes: list[tuple[str, str]],
    reason: str | None,
) -> bool:
    """Make the change and answer; True when it was made."""
    deps = deps_of(context)
    try:
        outcome = await edits.edit(
            deps.sessions,
            commitment_id,
            changes,
            editor=editor_of(update),
            at=deps.clock.now(),
            reason=reason,
            language=ctx.language,
        )
    except edits.EditError as error:
        await reply(update, display.edit_refused(error, ctx))
        return False
    await reply(update, display.edited(outcome, ctx))
    poke(context, commitment_ids=[commitment_id])  # pending alerts move, the correction goes out, now
    return True


async def show_edit_menu(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, commitment_id: int) -> None:
    """The current values and a button per field (a commitment an editor may still change)."""
    deps = deps_of(context)
    try:
        tracked = await edits.commitment(deps.sessions, commitment_id)
        if tracked.review not in VISIBLE:
            raise edits.EditError("gone", commitment_id, state=tracked.review)
    except edits.EditError as error:
        await reply(update, display.edit_refused(error, ctx))
        return
    await reply(update, display.edit_menu(tracked, ctx), reply_markup=keyboards.edit_fields_keyboard(tracked.id, ctx))


async def ask_value(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, commitment_id: int, field: str
) -> None:
    """Ask for a field's new value; the admin's reply to this message is the value (:func:`edit_reply`)."""
    chat = update.effective_chat
    assert chat is not None
    # Typed (/edit ID FIELD): a reply to the admin's message, so in a group only they get the reply field; from a
    # button there is no message of theirs to answer, and everyone's client offers it (any other answer is refused).
    typed = update.message
    asked = await context.bot.send_message(
        chat.id,
        display.edit_prompt(commitment_id, field, ctx),
        reply_markup=ForceReply(selective=typed is not None, input_field_placeholder=display.EDIT_EXAMPLES.get(field)),
        reply_parameters=ReplyParameters(typed.message_id) if typed is not None else None,
    )
    prompts: dict[int, tuple[int, str]] = context.chat_data.setdefault(PROMPTS_KEY, {})  # type: ignore[union-attr]
    prompts[asked.message_id] = (commitment_id, field)


async def edit_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to the bot's "new value?" question: the value (and `— reason`) for that field."""
    message = message_of(update)
    asked = message.reply_to_message
    if asked is None or asked.from_user is None or asked.from_user.id != context.bot.id:
        return  # a reply to someone else: not for us
    prompts: dict[int, tuple[int, str]] = (context.chat_data or {}).get(PROMPTS_KEY, {})
    pending = prompts.get(asked.message_id)
    if pending is None:
        if (asked.text or "").startswith("✏️"):  # our question, from before a restart
            _, ctx = await chat_of(update, deps_of(context))
            await reply(update, display.prompt_expired(ctx))
        return
    editor_ctx = await admin_here(update, context)
    if editor_ctx is None:
        return
    value, reason = _reason(message.text or "")
    commitment_id, field = pending
    if await apply_edit(update, context, editor_ctx, commitment_id, [(field, value)], reason):
        prompts.pop(asked.message_id, None)  # answered; a refused value may be tried again on the same question


async def merge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/merge ID INTO_ID [reason]`."""
    ctx = await admin_here(update, context)
    if ctx is None:
        return
    body, reason = _reason(_arguments(update))
    words = body.split(maxsplit=2)
    ids = [parsing.commitment_id(word) for word in words[:2]]
    if len(ids) < 2 or ids[0] is None or ids[1] is None:
        await reply(update, display.merge_usage(ctx))
        return
    await merge_into(update, context, ctx, ids[0], ids[1], reason or (words[2] if len(words) == 3 else None))


async def merge_into(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, commitment_id: int, into_id: int, reason: str | None
) -> str:
    """Merge and answer; returns the answer (a button shows it as a toast too)."""
    deps = deps_of(context)
    try:
        outcome = await edits.merge(
            deps.sessions, commitment_id, into_id, editor=editor_of(update), at=deps.clock.now(), reason=reason
        )
    except edits.EditError as error:
        text = display.edit_refused(error, ctx)
        await reply(update, text)
        return text
    text = display.merged(outcome, ctx)
    await reply(update, text)
    poke(context, commitment_ids=[commitment_id, into_id])
    return text


async def retract(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/retract ID [reason]` or `/retract report N [reason]`."""
    ctx = await admin_here(update, context)
    if ctx is None:
        return
    deps = deps_of(context)
    body, dashed = _reason(_arguments(update))
    words = body.split(maxsplit=2)
    report = bool(words) and words[0].lower() in ("report", "bericht", "meldung")
    if report:
        words = words[1:]
        body = " ".join(words)
    number = parsing.commitment_id(words[0]) if words else None
    if number is None:
        await reply(update, display.retract_usage(ctx))
        return
    reason = dashed or (" ".join(body.split()[1:]) or None)
    operation = edits.retract_report if report else edits.retract
    try:
        outcome = await operation(deps.sessions, number, editor=editor_of(update), at=deps.clock.now(), reason=reason)
    except edits.EditError as error:
        await reply(update, display.edit_refused(error, ctx))
        return
    await reply(update, display.retracted(outcome, ctx))
    if outcome.commitment is not None and outcome.commitment.id:
        poke(context, commitment_ids=[outcome.commitment.id])


async def history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/history ID`: who changed what, newest first."""
    ctx = await admin_here(update, context)
    if ctx is None:
        return
    args = context.args or []
    commitment_id = parsing.commitment_id(args[0]) if args else None
    if commitment_id is None:
        await reply(update, display.history_usage(ctx))
        return
    try:
        tracked, found = await edits.history(deps_of(context).sessions, commitment_id)
    except edits.EditError as error:
        await reply(update, display.edit_refused(error, ctx))
        return
    await reply(update, display.history(tracked, found, ctx))


async def review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/review`: what waits for an editor, a button per item to open its card."""
    ctx = await admin_here(update, context)
    if ctx is None:
        return
    waiting = await edits.queue(deps_of(context).sessions)
    markup = keyboards.queue_keyboard(
        [t.id for t in waiting.commitments], [report.id for report, _ in waiting.reports], ctx
    )
    await reply(update, display.review_queue(waiting, ctx), reply_markup=markup if len(waiting) else None)


# Editors' commands, by name (each checks the admin itself: a non-admin is told so).
ROUTES: dict[str, Handler] = {
    "edit": edit,
    "merge": merge,
    "retract": retract,
    "history": history,
    "review": review,
}
