"""Extraction of an uploaded page away from the bot's event loop: a process pool with a time limit.

Extraction is CPU-bound Python: a 5 MB page takes seconds. Run on the event loop (or in a thread, which holds the
GIL just the same) it would stall every other chat's /status and the alert ticks for that long. A separate process
leaves the loop free; the pool is started at the first upload (most bots never get one), its workers are spawned
rather than forked (a fork of a process running asyncio, aiosqlite's and PTB's threads can inherit a held lock),
and it is shut down with the Application (:func:`shutdown`).

A page that takes longer than the limit gets a clear answer instead of an endless wait; its worker is stopped so
it does not keep burning a CPU, and the next upload gets a fresh pool.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from telegram.ext import Application

from articles.extract import extract_text
from articles.model import Article, Moment
from articles.rules import LANGUAGES, rules

__all__ = ["POOL_KEY", "TIME_LIMIT", "ExtractionPool", "ExtractionTimeout", "pool_of", "shutdown"]

log = logging.getLogger(__name__)

POOL_KEY = "extraction_pool"  # where the Application keeps its pool (bot_data)
# A 5 MB page (the upload limit) extracts in well under 20 s; three times that is a page that will never finish.
TIME_LIMIT = 60.0
WORKERS = 2  # two admins' uploads at once; more would only take CPU from the bot itself


class ExtractionTimeout(Exception):
    """The page was not extracted within the limit; the worker was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"extraction took longer than {seconds:g} s")
        self.seconds = seconds


def _warm() -> None:
    """Compile every language's rules once per worker, so the first upload does not pay for it."""
    for language in LANGUAGES:
        rules(language)


def _extract(text: str, path: str, published: Moment | None) -> Article:
    return extract_text(text, path, published=published)


class ExtractionPool:
    """A lazily started process pool for :func:`articles.extract.extract_text` with a time limit per page."""

    def __init__(self, *, workers: int = WORKERS, limit: float = TIME_LIMIT) -> None:
        self.workers = workers
        self.limit = limit
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=_warm
            )
        return self._executor

    async def extract(self, text: str, path: str, *, published: Moment | None = None) -> Article:
        """The article, as :func:`extract_text` gives it (ArticleError passes through); ExtractionTimeout when it
        takes longer than the limit (time waiting for a busy worker counts too)."""
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool(), _extract, text, path, published)
        try:
            return await asyncio.wait_for(future, self.limit)
        except TimeoutError:
            log.warning("extraction of %s stopped after %g s; its worker was ended", path, self.limit)
            self.close()
            raise ExtractionTimeout(self.limit) from None
        except BrokenProcessPool:  # a worker died (out of memory, killed): the next upload gets a new pool
            self.close()
            raise

    def close(self) -> None:
        """End the workers; a page being extracted is abandoned (nobody waits for it any more). The next
        :meth:`extract` starts a new pool."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        # A running task cannot be cancelled: its process is ended (Python 3.14 has kill_workers() for this).
        processes: dict[int, Any] = getattr(executor, "_processes", None) or {}
        for process in list(processes.values()):
            process.kill()
        executor.shutdown(wait=False, cancel_futures=True)


def pool_of(application: Application[Any, Any, Any, Any, Any, Any]) -> ExtractionPool:
    """The Application's pool, made on first use; a garbage-collected Application takes its workers with it."""
    pool = application.bot_data.get(POOL_KEY)
    if not isinstance(pool, ExtractionPool):
        pool = application.bot_data[POOL_KEY] = ExtractionPool()
        weakref.finalize(application, pool.close)
    return pool


async def shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop the Application's pool, if it ever started one (call when the Application stops)."""
    pool = application.bot_data.pop(POOL_KEY, None)
    if isinstance(pool, ExtractionPool):
        await asyncio.to_thread(pool.close)
