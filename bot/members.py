"""The bot's own membership: added to or removed from a chat, blocked in private, and groups becoming supergroups."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ContextTypes

from bot.context import chat_of, deps_of
from storage import chats

log = logging.getLogger(__name__)
_PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


async def on_my_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    assert change is not None
    deps = deps_of(context)
    view, _ = await chat_of(update, deps)
    present = change.new_chat_member.status in _PRESENT or (
        change.new_chat_member.status == ChatMemberStatus.RESTRICTED
        and bool(getattr(change.new_chat_member, "is_member", False))
    )
    await chats.set_member(deps.sessions, view.id, present)
    if not present and view.type == "private":
        await chats.set_enabled(deps.sessions, view.id, False, "blocked by the user")
    log.info("bot %s chat %s (%s)", "added to" if present else "removed from", view.id, view.type)


async def on_migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: its settings and subscriptions follow it to the new id."""
    message = update.effective_message
    assert message is not None
    deps = deps_of(context)
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    await chats.migrate_chat(deps.sessions, old, new)
    log.info("chat %s migrated to %s", old, new)
