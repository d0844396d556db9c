"""The one place that wires the bot: handlers, error handling, the command menu, and the polling lifecycle."""

from __future__ import annotations

import asyncio
import html
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import Bot, BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import alerting, callbacks, commands, display, extraction, intake, members, service
from bot.access import THROTTLES_KEY, UPLOADS, throttled, throttles
from bot.commands import ALERTS_KEY, FEEDS_KEY
from bot.context import DEPS_KEY, Deps, chat_of, deps_of
from bot.i18n import Ctx
from schedules.alerts import AlertScheduler
from schedules.dispatch import Dispatcher, DispatchSettings
from schedules.feeds import FeedPoller
from schedules.sender import Sender
from sources.fetch import Fetcher

log = logging.getLogger(__name__)


def build_application(
    deps: Deps,
    *,
    token: str,
    base_url: str,
    base_file_url: str,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    rate_limit: bool = True,
    limiter: AIORateLimiter | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The real python-telegram-bot Application; ``request`` swaps the HTTP layer (fast tests), nothing else. The
    overall send rate comes from ``deps.settings`` (TELEGRAM_MAX_MESSAGES_PER_SECOND); ``limiter`` replaces the
    pace itself (tests that are not about the pace need not wait 3 s per group message)."""
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
        limiter = limiter or rate_limiter(deps.settings.telegram_max_messages_per_second)
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]  # builder's generic
    builder = builder.concurrent_updates(PerChatOrder())
    application = builder.build()
    application.bot_data[DEPS_KEY] = deps
    application.bot_data[THROTTLES_KEY] = throttles()
    for name, handler in commands.COMMANDS.items():
        application.add_handler(CommandHandler(name, handler))
    application.add_handler(CallbackQueryHandler(callbacks.on_button))
    application.add_handler(ChatMemberHandler(members.on_my_member, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, members.on_migrate))
    application.add_handler(MessageHandler(filters.Document.ALL, throttled(UPLOADS, commands.document)))
    # An admin's link, or a forwarded channel post, in a private chat: loaded like a .txt (replies are /edit's).
    linked = filters.Entity("url") | filters.Entity("text_link")
    linked |= filters.CaptionEntity("url") | filters.CaptionEntity("text_link") | filters.FORWARDED
    private = filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.REPLY
    application.add_handler(MessageHandler(private & linked, throttled(UPLOADS, commands.link_or_post)))
    # An admin's answer to "new value?" (/edit ID, then a field's button): a reply to the bot's question.
    application.add_handler(MessageHandler(filters.REPLY & filters.TEXT & ~filters.COMMAND, commands.edit_reply))
    application.add_handler(MessageHandler(filters.COMMAND, commands.unknown))
    application.add_error_handler(on_error)
    return application


class PerChatOrder(BaseUpdateProcessor):
    """Updates of different chats are handled at the same time; those of one chat (or, without a chat, of one
    user) one after another in the order Telegram sent them, so /subscribe 3 then /subscriptions never overtake
    each other. One user's 15 × /timeline no longer holds up another user's /status.

    PTB's semaphore (``queued``) bounds the updates taken in, waiting ones included; the inner one (``running``)
    bounds handlers running at once and is taken only after the chat's turn has come, so a chat that floods the
    bot occupies one running slot, not all of them."""

    def __init__(self, queued: int = 1024, running: int = 32) -> None:
        super().__init__(queued)
        self._running = asyncio.Semaphore(running)
        self._turns: dict[tuple[str, int], tuple[asyncio.Lock, int]] = {}  # key → (its lock, updates holding it)

    @staticmethod
    def order_key(update: object) -> tuple[str, int] | None:
        if not isinstance(update, Update):
            return None
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
        return None

    @property
    def busy(self) -> int:
        """Updates taken in and not yet handled (waiting for their chat's turn or running)."""
        return self.current_concurrent_updates

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self.order_key(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        lock, holders = self._turns.get(key, (asyncio.Lock(), 0))
        self._turns[key] = (lock, holders + 1)
        try:
            async with lock, self._running:  # asyncio.Lock wakes its waiters first come, first served
                await coroutine
        finally:
            lock, holders = self._turns[key]
            if holders == 1:
                del self._turns[key]
            else:
                self._turns[key] = (lock, holders - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: PTB awaits the update tasks before it shuts the processor down."""


def rate_limiter(per_second: float, *, group_period: float = 3.0) -> AIORateLimiter:
    """The overall pace from the settings (Telegram: ~30/s) and 20/min per group, spread evenly: one request per
    1/rate seconds, one per 3 s in a group. PTB's bucket set up as "30 per 1 s" first lets a burst of 30 out and then
    30 a second, up to 59 in one second, which Telegram answers with 429s. No retries in here: 429s are the
    Sender's to handle, which bounds and reports the waits."""
    return AIORateLimiter(
        overall_max_rate=1,
        overall_time_period=1 / per_second,
        group_max_rate=1,
        group_time_period=group_period,
        max_retries=0,
    )


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the traceback; the user gets a short apology in their language, never the traceback, and a button
    press is answered whatever failed (else the spinner stays). An edit Telegram refused because it changed
    nothing (a double tap) is what the user asked for: no apology."""
    error = context.error
    if error is not None and commands.not_modified(error):
        log.debug("edit changed nothing on update %s", getattr(update, "update_id", "?"))
        return
    log.error("handler failed on update %s", getattr(update, "update_id", "?"), exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        _, ctx = await chat_of(update, deps_of(context))
    except Exception:  # the database may be what failed
        ctx = Ctx(language="en", tz=deps_of(context).settings.tz)
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(display.popup(display.apology(ctx)), show_alert=True)
            return  # the pop-up says it
        except TelegramError:  # answered before the failure: Telegram refuses a second answer
            log.debug("button press %s was answered already", update.callback_query.id)
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


def build_alerts(
    application: Application[Any, Any, Any, Any, Any, Any],
    *,
    every: float = 1.0,
    sender: Callable[[Bot], Sender] = Sender,
) -> AlertScheduler:
    """The alert scheduler for this process: its own worker name, Telegram's faults handled by the Sender
    (``sender`` builds it from the bot: `run` passes one that is counted and gated on leadership)."""
    deps = deps_of(application)
    host = socket.gethostname()
    texts = alerting.AlertTexts()  # claims through it, so each batch's commitments are at hand for the texts
    dispatcher = Dispatcher(
        deps.sessions,
        sender(alerting.with_buttons(application.bot)),
        deps.clock,
        texts.render,
        outbox=texts,
        # host:pid:random: at start-up, claims of a dead pid on this host are taken back (AlertScheduler.start).
        worker=f"{host}:{os.getpid()}:{uuid.uuid4().hex[:6]}",
        settings=DispatchSettings(
            lease=timedelta(seconds=120),  # longer than the Sender's longest 429 wait (60 s): no claim lapses mid-send
            staleness=deps.settings.staleness,
        ),
    )
    return AlertScheduler(
        deps.sessions,
        deps.clock,
        dispatcher,
        deps.settings.tz,
        deps.offsets,
        every=every,
        host=host,
        reviewers=sorted(deps.admins),  # review cards go to the admins' private chats
    )


def build_feeds(application: Application[Any, Any, Any, Any, Any, Any], alerts: AlertScheduler) -> FeedPoller:
    """The feed poller for this process: the settings' fetch rules, failing feeds told to the admins, and what
    feeds bring in reconciled at once (REVIEW_MODE=review: it waits for an editor)."""
    deps = deps_of(application)
    return FeedPoller(
        deps.sessions,
        deps.clock,
        Fetcher(allow_private=deps.settings.feeds_allow_private),
        notify=intake.admin_notifier(application),
        loaded=lambda ids: alerts.poke(commitment_ids=ids or None),
        review=deps.settings.reviewing,
    )


class StartupFailed(Exception):
    """Telegram refused start-up, or kept failing past the patience: one line, not yet scrubbed of the token."""


class StartupAbandoned(Exception):
    """Asked to stop (SIGTERM, Ctrl-C) while start-up was still waiting to retry."""


# Refusals that a retry cannot change; every other TelegramError (5xx, 429, timeouts, connection errors, a reply
# that is not JSON) may pass. InvalidToken (401/404) is the caller's to name.
PERMANENT = (BadRequest, Forbidden, Conflict, ChatMigrated, EndPointNotFound)
FIRST_PAUSE, LONGEST_PAUSE = 0.5, 30.0  # seconds between attempts, doubling


def _reason(error: TelegramError) -> str:
    """An error as one short line (it may echo a request path, hence the token: the caller scrubs it)."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:200]}"


class _QuietBootstrap(logging.Filter):
    """PTB logs its own "Bootstrap … Aborting" with a traceback when deleteWebhook fails; start-up reports that
    failure itself, in one line, and retries."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Network Retry Loop (Bootstrap")


async def _tear_down(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Undo a partial start so the next attempt (or the exit) finds nothing running; a failure here is logged
    quietly, as the one that made start-up fail is what matters."""
    try:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
    except Exception:
        log.debug("tearing down a failed start", exc_info=True)


@dataclass(frozen=True, slots=True)
class Webhook:
    """Webhook mode: Telegram posts updates to ``url``; PTB's own server takes them on ``listen``:``port`` (TLS is
    the proxy's or load balancer's) and refuses, with 403, every request without ``secret`` in Telegram's
    X-Telegram-Bot-Api-Secret-Token header."""

    url: str
    secret: str
    listen: str = "0.0.0.0"
    port: int = 8443

    @property
    def path(self) -> str:
        """The path PTB's server answers on: the URL's own, so a proxy can pass it through unchanged."""
        return urlsplit(self.url).path.strip("/")


async def poll_updates(application: Application[Any, Any, Any, Any, Any, Any], poll_timeout: float = 10.0) -> None:
    """Long polling: deleteWebhook, then getUpdates in the background until the updater stops."""
    assert application.updater is not None
    await application.updater.start_polling(
        timeout=int(poll_timeout), poll_interval=0.0, allowed_updates=Update.ALL_TYPES, bootstrap_retries=0
    )


async def _start_once(
    application: Application[Any, Any, Any, Any, Any, Any],
    poll_timeout: float,
    webhook: Webhook | None = None,
    poll: bool = True,
) -> None:
    try:
        await application.initialize()  # getMe
        await register_commands(application)  # setMyCommands
        await application.start()
        assert application.updater is not None
        if webhook is not None:  # setWebhook (every replica sets the same one), then PTB's server listens
            await application.updater.start_webhook(
                listen=webhook.listen, port=webhook.port, url_path=webhook.path, webhook_url=webhook.url,
                secret_token=webhook.secret, allowed_updates=Update.ALL_TYPES, bootstrap_retries=0,
            )  # fmt: skip
            return
        if poll:
            await poll_updates(application, poll_timeout)
    except BaseException:
        await _tear_down(application)
        raise


async def start_up(
    application: Application[Any, Any, Any, Any, Any, Any],
    *,
    poll_timeout: float,
    patience: float,
    stop: asyncio.Event | None = None,
    webhook: Webhook | None = None,
    poll: bool = True,
) -> None:
    """Start the application against the Bot API. A passing fault (a 502 from deleteWebhook after a good getMe,
    a 429, a reply that is not JSON, a refused connection) is retried, whole start-up again after a clean
    tear-down, with pauses doubling from 0.5 s to 30 s (a 429's retry_after when it gives one) for up to
    ``patience`` seconds; then StartupFailed. A refusal raises StartupFailed at once; InvalidToken passes through."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    pause, attempt = FIRST_PAUSE, 0
    quiet = _QuietBootstrap()
    logging.getLogger("telegram.ext").addFilter(quiet)
    try:
        while True:
            attempt += 1
            try:
                await _start_once(application, poll_timeout, webhook, poll)
                return
            except InvalidToken:
                raise
            except PERMANENT as error:
                raise StartupFailed(f"the Bot API refused start-up ({_reason(error)})") from None
            except TelegramError as error:
                wait = error.retry_after if isinstance(error, RetryAfter) else pause
                seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                if loop.time() + seconds > deadline:
                    raise StartupFailed(
                        f"the Bot API kept failing at start-up for {patience:g} s, {attempt} attempts "
                        f"(last: {_reason(error)})"
                    ) from None
                log.warning("start-up attempt %d failed (%s); retrying in %.1f s", attempt, _reason(error), seconds)
                pause = min(pause * 2, LONGEST_PAUSE)
            if stop is None:
                await asyncio.sleep(seconds)
                continue
            try:
                await asyncio.wait_for(stop.wait(), seconds)
            except TimeoutError:
                continue
            raise StartupAbandoned
    finally:
        logging.getLogger("telegram.ext").removeFilter(quiet)


@asynccontextmanager
async def running(
    application: Application[Any, Any, Any, Any, Any, Any],
    *,
    poll_timeout: float = 10.0,
    alerts: bool = True,
    stop: asyncio.Event | None = None,
    webhook: Webhook | None = None,
    poll: bool = True,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Start (initialise, register the menu, long-poll; Telegram's passing faults retried, see :func:`start_up`),
    send alerts until the block ends, then stop cleanly. ``stop`` set during start-up abandons it
    (StartupAbandoned). ``webhook`` takes updates on PTB's webhook server instead of long polling; ``alerts``
    False leaves the alert scheduler and the feed poller to the caller (`run` starts them on the leader only), and
    ``poll`` False long polling too (Telegram lets one process poll: on PostgreSQL only the leader does)."""
    await service.warm(deps_of(application))  # the /status list is ready before the first update is taken
    await start_up(
        application,
        poll_timeout=poll_timeout,
        patience=deps_of(application).settings.telegram_startup_retry_seconds,
        stop=stop,
        webhook=webhook,
        poll=poll,
    )
    assert application.updater is not None
    try:
        scheduler = build_alerts(application) if alerts else None
        feeds: FeedPoller | None = None
        if scheduler is not None:
            application.bot_data[ALERTS_KEY] = scheduler
            await scheduler.start()
            feeds = application.bot_data[FEEDS_KEY] = build_feeds(application, scheduler)
            feeds.attach(scheduler.scheduler)  # the feed job runs next to the alert jobs
        try:
            yield application
        finally:
            if scheduler is not None:
                await scheduler.stop()
            if feeds is not None:
                await feeds.close()
            await extraction.shutdown(application)  # workers reading an upload end with the bot
            if application.updater.running:  # a follower that never polled has nothing to stop
                await application.updater.stop()
            await application.stop()
    finally:
        if application.updater.running or application.running:  # the scheduler failed to start, say
            await _tear_down(application)
        else:
            await application.shutdown()
