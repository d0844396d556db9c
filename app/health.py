"""`GET /healthz` and `GET /metrics` for an operator's probes and Prometheus, on `run --metrics-port`.

/healthz answers 200 when the database answers within :data:`DB_TIMEOUT` and, on the leader, the alert scheduler
ticked in the last :data:`TICK_WITHIN` seconds; 503 otherwise, with the reason in the JSON body (an exception's
class name, never its text: a driver error may carry the database URL). A follower is healthy without ticking: it
only answers updates. /metrics is prometheus-client's text format; the outbox gauges are read from the database
at each scrape (schedules.metrics).

aiohttp rather than prometheus-client's own server: one small server for both paths, on the bot's event loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schedules.clock import Clock
from schedules.metrics import LAST_TICK_AGE, refresh_outbox
from sources.server import AppServer

log = logging.getLogger(__name__)

DB_TIMEOUT = 2.0
TICK_WITHIN = 30.0


class Leading(Protocol):
    @property
    def leading(self) -> bool: ...


class Ticking(Protocol):
    @property
    def ticked_at(self) -> float | None: ...


@dataclass(eq=False)
class HealthServer(AppServer):
    """The two endpoints on ``host``:``port`` (0 picks a free port; :attr:`port` tells which)."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    leader: Leading
    duties: Ticking
    host: str = "127.0.0.1"
    port: int = 0

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics)
        return app

    async def start(self) -> None:
        await super().start()
        log.info("health and metrics on http://%s:%d/healthz and /metrics", self.host, self.port)

    def _tick_age(self) -> float | None:
        ticked = self.duties.ticked_at
        return None if ticked is None else time.monotonic() - ticked

    async def healthz(self, _request: web.Request) -> web.Response:
        leading = self.leader.leading
        try:
            async with asyncio.timeout(DB_TIMEOUT), self.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as error:
            reason = "database did not answer in time" if isinstance(error, TimeoutError) else "database failed"
            failed = {"status": "unavailable", "reason": f"{reason} ({type(error).__name__})", "leader": leading}
            return web.json_response(failed, status=503)
        body: dict[str, object] = {"status": "ok", "database": "ok", "leader": leading}
        if leading:
            age = self._tick_age()
            if age is None or age > TICK_WITHIN:
                body.update(status="unavailable", reason=f"the alert scheduler has not ticked in {TICK_WITHIN:g} s")
                return web.json_response(body, status=503)
            body["last_tick_seconds_ago"] = round(age, 1)
        return web.json_response(body)

    async def metrics(self, _request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(DB_TIMEOUT):
                await refresh_outbox(self.sessions, self.clock.now())
        except Exception:  # the gauges keep their last values; /healthz says what is wrong
            log.warning("could not read the outbox for /metrics", exc_info=True)
        age = self._tick_age()
        LAST_TICK_AGE.set(-1 if age is None else age)
        return web.Response(body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST})
