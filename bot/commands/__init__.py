"""Command handlers: parse the arguments, ask the stored data, render with bot.display. Nothing else lives here.

One module per kind of user: every chat (`reading`), admins who load (`loading`), editors (`editing`), admins who
watch feeds (`feeds`); `common` has what they share. Each module names its own commands (`ROUTES`, next to their
handlers); this module joins them into ``COMMANDS`` for the one place that wires them (`bot.app`).
"""

from __future__ import annotations

from bot.access import Handler
from bot.commands.common import (
    ALERTS_KEY,
    PHOTO_MAX_ROWS,
    message_of,
    not_modified,
    poke,
    reply,
    unless_unchanged,
)
from bot.commands.editing import (
    PROMPTS_KEY,
    apply_edit,
    ask_value,
    edit,
    edit_reply,
    editor_of,
    history,
    merge,
    merge_into,
    retract,
    review,
    show_edit_menu,
)
from bot.commands.editing import ROUTES as EDITING_ROUTES
from bot.commands.feeds import (
    FEEDS_KEY,
    add_feed,
    change_feed,
    feeds,
    first_link,
    link_or_post,
    load,
    load_url,
    poll_soon,
    track_feed,
)
from bot.commands.feeds import ROUTES as FEEDS_ROUTES
from bot.commands.loading import ROUTES as LOADING_ROUTES
from bot.commands.loading import (
    document,
    health,
    pooled_extract,
    report,
    unknown,
)
from bot.commands.reading import ROUTES as READING_ROUTES
from bot.commands.reading import (
    apply_setting,
    calendar,
    change_subscription,
    help_command,
    localised,
    settings,
    show_detail,
    show_page,
    start,
    status,
    subscribe,
    subscriptions,
    timeline,
    unsubscribe,
)

COMMANDS: dict[str, Handler] = {**READING_ROUTES, **LOADING_ROUTES, **EDITING_ROUTES, **FEEDS_ROUTES}

__all__ = [
    "ALERTS_KEY",
    "COMMANDS",
    "FEEDS_KEY",
    "PHOTO_MAX_ROWS",
    "PROMPTS_KEY",
    "add_feed",
    "apply_edit",
    "apply_setting",
    "ask_value",
    "calendar",
    "change_feed",
    "change_subscription",
    "document",
    "edit",
    "edit_reply",
    "editor_of",
    "feeds",
    "first_link",
    "health",
    "help_command",
    "history",
    "link_or_post",
    "load",
    "load_url",
    "localised",
    "merge",
    "merge_into",
    "message_of",
    "not_modified",
    "poke",
    "poll_soon",
    "pooled_extract",
    "reply",
    "report",
    "retract",
    "review",
    "settings",
    "show_detail",
    "show_edit_menu",
    "show_page",
    "start",
    "status",
    "subscribe",
    "subscriptions",
    "timeline",
    "track_feed",
    "unknown",
    "unless_unchanged",
    "unsubscribe",
]
