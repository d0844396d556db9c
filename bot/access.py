"""Who may change what: configured admins change tracked data; in groups only chat admins change chat settings."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ContextTypes

from bot.context import deps_of


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A configured admin (ADMIN_USER_IDS): the only people who may log reports or load articles."""
    user = update.effective_user
    return user is not None and user.id in deps_of(context).admins


async def may_change_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Anyone in their private chat; in a group, its creator and administrators (also when posting anonymously)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous group admin speaks as the group itself
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
