"""One aiohttp application on ``host``:``port``, started and stopped the one way: the loopback news site (the
demo's, the bench's and the tests'), the loopback Bot API and the operator's /healthz all serve like this.

Only the modules that serve import it, so a process that serves nothing never loads aiohttp.
"""

from __future__ import annotations

from typing import ClassVar, Self

from aiohttp import web


class AppServer:
    """Mixed into a server: it says what to serve (:meth:`application`) and where (``host``, ``port``); ``port``
    0 picks a free one, which :meth:`start` then puts in ``port``."""

    host: str
    port: int
    # How long stop waits for answers still being written (aiohttp's default, unless a server says otherwise).
    shutdown_timeout: ClassVar[float] = 60.0
    _runner: web.AppRunner | None = None

    def application(self) -> web.Application:
        raise NotImplementedError

    async def start(self) -> None:
        self._runner = web.AppRunner(
            self.application(), access_log=None, handle_signals=False, shutdown_timeout=self.shutdown_timeout
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
