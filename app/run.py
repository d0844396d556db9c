"""`ceasefire-watch run`: the bot in production, with a clean stop on SIGTERM/SIGINT.

Updates come by long polling (the default) or, with a webhook URL, through python-telegram-bot's own webhook
server; every process answers them. Alerts, sends and feed polls run in one process only (app.leader): on
PostgreSQL the holder of an advisory lock, on SQLite the one process a file lock lets start (app.runlock). With
``metrics_port`` the process serves /healthz and /metrics (app.health).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import Application, TypeHandler

from app.leader import LeaderDuties, Leadership, SoleLeader
from app.logs import redact, secrets_of, setup_logging
from app.runlock import AlreadyRunning, single_run
from app.settings import Settings
from bot.app import StartupAbandoned, StartupFailed, Webhook, build_application, running
from bot.commands import COMMANDS
from bot.context import Deps
from schedules.clock import Clock, ReplayClock, SystemClock
from schedules.metrics import counter_of_updates
from storage.db import create_engine, describe, migrate, session_factory, sqlite_path

log = logging.getLogger("ceasefire-watch")


class StartupError(Exception):
    """Start-up failed for a reason the operator can fix; the message is one line, free of secrets."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How updates arrive (``webhook_url`` set: webhook mode on ``listen``:``port``) and where /healthz and
    /metrics are served (``metrics_port``; None: nowhere)."""

    webhook_url: str | None = None
    listen: str = "0.0.0.0"
    port: int = 8443
    metrics_port: int | None = None
    metrics_listen: str = "127.0.0.1"


def make_clock(replay_from: datetime | None, speed: float) -> Clock:
    return SystemClock() if replay_from is None else ReplayClock(replay_from, speed)


@contextlib.contextmanager
def _run_lock(settings: Settings) -> Iterator[None]:
    """SQLite: the file lock that keeps a second `run` off the same database; PostgreSQL needs none."""
    path = sqlite_path(settings.database_url)
    if path is None:
        yield
        return
    try:
        with single_run(Path(path)):
            yield
    except AlreadyRunning as refused:
        raise StartupError(str(refused), 1) from None


def _webhook(settings: Settings, options: RunOptions) -> Webhook | None:
    if options.webhook_url is None:
        return None
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret is not None else ""
    if not secret:
        raise StartupError("webhook mode needs WEBHOOK_SECRET: requests without it are refused", 2)
    return Webhook(options.webhook_url, secret, options.listen, options.port)


async def serve(
    settings: Settings,
    clock: Clock,
    stop: asyncio.Event,
    options: RunOptions | None = None,
    *,
    connect_args: Mapping[str, Any] | None = None,
) -> None:
    """Run until ``stop`` is set; wraps start-up failures (the Bot API's, a second run on one SQLite file, a port
    taken) in StartupError. ``connect_args`` go to the database driver (tests pin a PostgreSQL schema)."""
    options = options or RunOptions()
    token = settings.token()
    secrets = secrets_of(token)
    webhook = _webhook(settings, options)
    with _run_lock(settings):
        engine = create_engine(settings.database_url, connect_args=connect_args)
        try:
            await migrate(engine)
            deps = Deps(settings=settings, sessions=session_factory(engine), clock=clock)
            application = build_application(
                deps, token=token, base_url=settings.telegram_api_base_url, base_file_url=settings.file_url
            )
            commands = frozenset(COMMANDS)
            application.add_handler(TypeHandler(Update, counter_of_updates(commands)), group=-1)
            # Telegram lets one process long-poll: on PostgreSQL, where replicas share the database, the leader.
            poll = webhook is None and engine.dialect.name != "postgresql"
            try:
                async with running(application, stop=stop, alerts=False, webhook=webhook, poll=poll):
                    await _lead_and_wait(application, engine, deps, clock, stop, options, connect_args)
            except StartupAbandoned:
                log.info("stopped during start-up")
            except InvalidToken:
                raise StartupError("the Bot API rejected TELEGRAM_BOT_TOKEN", 2) from None
            except StartupFailed as failure:
                where = redact(settings.telegram_api_base_url, secrets)
                raise StartupError(f"{redact(str(failure), secrets)} ({where})", 1) from None
            except OSError as error:  # the webhook's or the metrics' port
                raise StartupError(f"cannot listen: {redact(str(error), secrets)}", 1) from None
        finally:
            await engine.dispose()


async def _lead_and_wait(
    application: Application[Any, Any, Any, Any, Any, Any],
    engine: AsyncEngine,
    deps: Deps,
    clock: Clock,
    stop: asyncio.Event,
    options: RunOptions,
    connect_args: Mapping[str, Any] | None,
) -> None:
    """Try for leadership in the background, serve health and metrics, and wait for the stop."""
    postgres = engine.dialect.name == "postgresql"
    leadership: Leadership | SoleLeader
    if postgres:
        polling = options.webhook_url is None
        duties = LeaderDuties(application, take_over=True, allowed=lambda: leadership.allowed(), polling=polling)
        leadership = Leadership(engine, duties, connect_args=connect_args)
    else:
        duties = LeaderDuties(application, take_over=False)
        leadership = SoleLeader(duties)
    health = None
    if options.metrics_port is not None:
        from app.health import HealthServer  # aiohttp's server, loaded only when asked for (~11 MB)

        health = HealthServer(
            deps.sessions, clock, leadership, duties, host=options.metrics_listen, port=options.metrics_port
        )
        await health.start()
    leading = asyncio.create_task(leadership.run(), name="leadership")
    mode = f"webhook {options.webhook_url}" if options.webhook_url else "long polling"
    log.info(
        "running (%s, database %s); bot clock at %s",
        mode,
        describe(engine.url),
        clock.now().isoformat(timespec="seconds"),
    )
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({leading, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if leading.done() and not leading.cancelled() and leading.exception() is not None:
            log.error("leadership ended with an error; stopping", exc_info=leading.exception())
        log.info("stopping")
    finally:
        stopping.cancel()
        leading.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await leading
        if health is not None:
            await health.stop()


def run(settings: Settings, *, replay_from: datetime | None, speed: float, options: RunOptions | None = None) -> int:
    """Exit 0 after a signal-initiated stop; StartupError and ValueError (bad token) go to the caller."""
    token = settings.token()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret is not None else ""
    setup_logging([*secrets_of(token), *([secret] if secret else [])], json_lines=settings.log_format == "json")
    clock = make_clock(replay_from, speed)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(settings, clock, stop, options)

    asyncio.run(main())
    return 0
