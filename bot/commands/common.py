"""What every command handler shares: replying, the admin check, poking the alert scheduler, edits Telegram calls
unchanged."""

from __future__ import annotations

from collections.abc import Awaitable

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import display
from bot.access import is_admin
from bot.context import chat_of, deps_of
from bot.i18n import Ctx

PHOTO_MAX_ROWS = 40
ALERTS_KEY = "alerts"  # where bot.app keeps this process's alert scheduler


def poke(
    context: ContextTypes.DEFAULT_TYPE, *, chat_ids: list[int] | None = None, commitment_ids: list[int] | None = None
) -> None:
    """Ask the alert scheduler (when this process runs one) to reconcile now instead of at its next tick."""
    scheduler = context.application.bot_data.get(ALERTS_KEY)
    if scheduler is not None:
        scheduler.poke(commitment_ids=commitment_ids, chat_ids=chat_ids)


def message_of(update: Update) -> Message:
    message = update.effective_message
    assert message is not None
    return message


async def reply(update: Update, chunks: str | list[str], **kwargs: object) -> None:
    """Send one or more ≤4096-character HTML chunks; buttons go on the last one."""
    parts = [chunks] if isinstance(chunks, str) else chunks
    markup = kwargs.pop("reply_markup", None)
    for index, chunk in enumerate(parts):
        last = index == len(parts) - 1
        await message_of(update).reply_html(chunk, reply_markup=markup if last else None, **kwargs)  # type: ignore[arg-type]


async def admin_here(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Ctx | None:
    """The chat's context when a configured admin asks; anyone else is told so, and None comes back."""
    _, ctx = await chat_of(update, deps_of(context))
    if not is_admin(update, context):
        await reply(update, display.not_admin(ctx))
        return None
    return ctx


def not_modified(error: BaseException) -> bool:
    """Telegram's refusal of an edit that changes nothing (a double tap on "More" or "Subscribe")."""
    return isinstance(error, BadRequest) and "message is not modified" in error.message.lower()


async def unless_unchanged(edit: Awaitable[object]) -> None:
    """Make an edit; one that would change nothing is already what the user asked for, not a failure."""
    try:
        await edit
    except BadRequest as error:
        if not not_modified(error):
            raise
