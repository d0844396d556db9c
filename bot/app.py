"""The one place that wires the bot: handlers, error handling, the command menu, and the polling lifecycle."""

from __future__ import annotations

import html
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import alerting, callbacks, commands, display, members
from bot.commands import ALERTS_KEY
from bot.context import DEPS_KEY, Deps, chat_of, deps_of
from bot.i18n import Ctx
from schedules.alerts import AlertScheduler
from schedules.dispatch import Dispatcher
from schedules.sender import Sender

log = logging.getLogger(__name__)

COMMANDS = (
    ("start", commands.start),
    ("help", commands.help_command),
    ("status", commands.status),
    ("subscribe", commands.subscribe),
    ("unsubscribe", commands.unsubscribe),
    ("subscriptions", commands.subscriptions),
    ("timeline", commands.timeline),
    ("calendar", commands.calendar),
    ("settings", commands.settings),
    ("report", commands.report),
    ("health", commands.health),
)


def build_application(
    deps: Deps,
    *,
    token: str,
    base_url: str,
    base_file_url: str,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    rate_limit: bool = True,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The real python-telegram-bot Application; ``request`` swaps the HTTP layer (fast tests), nothing else. The
    overall send rate comes from ``deps.settings`` (TELEGRAM_MAX_MESSAGES_PER_SECOND)."""
    builder = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    if rate_limit:
        limiter = rate_limiter(deps.settings.telegram_max_messages_per_second)
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]  # builder's generic
    application = builder.build()
    application.bot_data[DEPS_KEY] = deps
    for name, handler in COMMANDS:
        application.add_handler(CommandHandler(name, handler))
    application.add_handler(CallbackQueryHandler(callbacks.on_button))
    application.add_handler(ChatMemberHandler(members.on_my_member, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, members.on_migrate))
    application.add_handler(MessageHandler(filters.Document.ALL, commands.document))
    application.add_handler(MessageHandler(filters.COMMAND, commands.unknown))
    application.add_error_handler(on_error)
    return application


def rate_limiter(per_second: int) -> AIORateLimiter:
    """The overall pace from the settings (Telegram: ~30/s) and 20/min per group, spread evenly: one request per
    1/rate seconds, one per 3 s in a group. PTB's bucket set up as "30 per 1 s" first lets a burst of 30 out and then
    30 a second, up to 59 in one second, which Telegram answers with 429s. No retries in here: 429s are the
    Sender's to handle, which bounds and reports the waits."""
    return AIORateLimiter(
        overall_max_rate=1,
        overall_time_period=1 / per_second,
        group_max_rate=1,
        group_time_period=3,
        max_retries=0,
    )


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the traceback; the user gets a short apology in their language, never the traceback."""
    error = context.error
    log.error("handler failed on update %s", getattr(update, "update_id", "?"), exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        _, ctx = await chat_of(update, deps_of(context))
    except Exception:  # the database may be what failed
        ctx = Ctx(language="en", tz=deps_of(context).settings.tz)
    try:
        await context.bot.send_message(update.effective_chat.id, display.apology(ctx))
    except Exception:
        log.warning("could not send the apology to chat %s", update.effective_chat.id, exc_info=True)


async def register_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The command menu in English (default) and German."""
    settings = deps_of(application).settings
    for language in ("en", "de"):
        ctx = Ctx(language=language, tz=settings.tz)
        menu = [BotCommand(name, html.unescape(text)) for name, text in display.command_menu(ctx)]
        await application.bot.set_my_commands(menu, language_code=None if language == "en" else language)


def build_alerts(application: Application[Any, Any, Any, Any, Any, Any], *, every: float = 1.0) -> AlertScheduler:
    """The alert scheduler for this process: its own worker name, Telegram's faults handled by the Sender."""
    deps = deps_of(application)
    host = socket.gethostname()
    texts = alerting.AlertTexts()  # claims through it, so each batch's commitments are at hand for the texts
    dispatcher = Dispatcher(
        deps.sessions,
        Sender(alerting.with_buttons(application.bot)),
        deps.clock,
        texts.render,
        outbox=texts,
        # host:pid:random: at start-up, claims of a dead pid on this host are taken back (AlertScheduler.start).
        worker=f"{host}:{os.getpid()}:{uuid.uuid4().hex[:6]}",
        lease=timedelta(seconds=120),  # longer than the Sender's longest 429 wait (60 s), so no claim lapses mid-send
        staleness=deps.settings.staleness,
    )
    return AlertScheduler(deps.sessions, deps.clock, dispatcher, deps.settings.tz, deps.offsets, every=every, host=host)


@asynccontextmanager
async def running(
    application: Application[Any, Any, Any, Any, Any, Any], *, poll_timeout: float = 10.0, alerts: bool = True
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Initialise, register the menu, long-poll and send alerts until the block ends, then stop cleanly."""
    async with application:
        await register_commands(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            timeout=int(poll_timeout), poll_interval=0.0, allowed_updates=Update.ALL_TYPES
        )
        scheduler = build_alerts(application) if alerts else None
        if scheduler is not None:
            application.bot_data[ALERTS_KEY] = scheduler
            await scheduler.start()
        try:
            yield application
        finally:
            if scheduler is not None:
                await scheduler.stop()
            await application.updater.stop()
            await application.stop()
