"""`ceasefire-watch run`: the bot in production (long polling), with a clean stop on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from telegram.error import InvalidToken

from app.logs import redact, secrets_of, setup_logging
from app.settings import Settings
from bot.app import StartupAbandoned, StartupFailed, build_application, running
from bot.context import Deps
from schedules.clock import Clock, ReplayClock, SystemClock
from storage.db import create_engine, migrate, session_factory

log = logging.getLogger("ceasefire-watch")


class StartupError(Exception):
    """Start-up failed for a reason the operator can fix; the message is one line, free of secrets."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def make_clock(replay_from: datetime | None, speed: float) -> Clock:
    return SystemClock() if replay_from is None else ReplayClock(replay_from, speed)


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[Deps]:
    """A migrated database and the handlers' dependencies; the engine is disposed on the way out."""
    engine = create_engine(settings.database_url)
    try:
        await migrate(engine)
        yield Deps(settings=settings, sessions=session_factory(engine), clock=SystemClock())
    finally:
        await engine.dispose()


async def serve(settings: Settings, clock: Clock, stop: asyncio.Event) -> None:
    """Run until ``stop`` is set; wraps the Bot API's start-up failures in StartupError."""
    token = settings.token()
    async with database(settings) as base:
        deps = Deps(settings=settings, sessions=base.sessions, clock=clock)
        application = build_application(
            deps, token=token, base_url=settings.telegram_api_base_url, base_file_url=settings.file_url
        )
        try:
            async with running(application, stop=stop):
                log.info("running; bot clock at %s", clock.now().isoformat(timespec="seconds"))
                await stop.wait()
                log.info("stopping")
        except StartupAbandoned:
            log.info("stopped during start-up")
        except InvalidToken:
            raise StartupError("the Bot API rejected TELEGRAM_BOT_TOKEN", 2) from None
        except StartupFailed as failure:
            where = redact(settings.telegram_api_base_url, secrets_of(token))
            raise StartupError(f"{redact(str(failure), secrets_of(token))} ({where})", 1) from None


def run(settings: Settings, *, replay_from: datetime | None, speed: float) -> int:
    """Exit 0 after a signal-initiated stop; StartupError and ValueError (bad token) go to the caller."""
    token = settings.token()
    setup_logging(secrets_of(token))
    clock = make_clock(replay_from, speed)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(settings, clock, stop)

    asyncio.run(main())
    return 0
