"""Sent messages waiting for their confirmation in the outbox, written in small batches by one task (schedules.dispatch:
when a message counts as sent, and why the batch is small: each message waiting is a possible duplicate after a
crash)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from storage.outbox import Confirmation

if TYPE_CHECKING:
    from schedules.dispatch import DispatchReport

log = logging.getLogger("schedules.dispatch")


class Confirmations:
    """Sent messages waiting for their confirmation, and the task that writes them (module doc: when, and the
    duplicate bound).

    The writer starts a write when half of ``size`` wait, or ``delay`` after the first one arrived; it writes all
    that wait in one transaction. Senders never wait for it unless ``size`` messages wait (the writer fell behind):
    then they write themselves, which holds them back. Writes take turns (a lock), so nothing is written twice; a
    write that fails or is cancelled puts its messages back for the next one — at the latest :meth:`close`."""

    def __init__(
        self,
        write: Callable[[Sequence[Confirmation]], Awaitable[int]],
        tally: DispatchReport,
        *,
        size: int,
        delay: float,
    ) -> None:
        self._write = write
        self._tally = tally
        self._size = size
        self._delay = delay
        self._waiting: list[Confirmation] = []
        self._lock = asyncio.Lock()
        self._arrived = asyncio.Event()
        self._half_full = asyncio.Event()
        self._closing = False
        self._writer = asyncio.create_task(self._write_when_due())

    def add(self, confirmation: Confirmation) -> None:
        """Called right after Telegram took the message (no await: nothing can come between the two)."""
        self._waiting.append(confirmation)
        self._arrived.set()
        if 2 * len(self._waiting) >= self._size:
            self._half_full.set()

    async def make_room(self) -> None:
        """What a sender calls after :meth:`add`: it waits only when the writer fell ``size`` messages behind."""
        if len(self._waiting) >= self._size:
            await self.flush()

    async def flush(self) -> None:
        """Write everything waiting, in one transaction."""
        async with self._lock:
            batch, self._waiting = self._waiting, []
            if not batch:
                return
            try:
                confirmed = await self._write(batch)
            except BaseException:
                self._waiting[:0] = batch
                raise
        offered = sum(len(c.delivery_ids) for c in batch)
        if confirmed < offered:
            chats = sorted({c.chat_id for c in batch})
            log.warning(
                "%d of %d deliveries were no longer ours to confirm (among chats %s)",
                offered - confirmed,
                offered,
                chats,
            )
        self._tally.sent += confirmed

    async def _write_when_due(self) -> None:
        """The writer. It checks ``_closing`` after every wait rather than trusting cancellation alone: Python
        3.11's ``asyncio.wait_for`` loses a cancel that lands as its awaitable completes, and a writer that missed
        it would wait for messages forever while :meth:`close` waited for it."""
        while not self._closing:
            await self._arrived.wait()
            if not self._half_full.is_set() and not self._closing:
                half_full = asyncio.ensure_future(self._half_full.wait())
                try:
                    await asyncio.wait([half_full], timeout=self._delay)
                finally:
                    half_full.cancel()
            if self._closing:
                return
            self._arrived.clear()  # before the write: what arrives during it sets them again
            self._half_full.clear()
            try:
                await self.flush()
            except Exception:  # the messages stay waiting: the next write (at the latest close) tries them again
                log.exception("could not confirm sent messages yet; the next write tries again")

    async def close(self) -> None:
        """The run's last write. The writer stops while this holds the lock, so none of its writes is cut off
        midway; a failure is logged, and the messages stay claimed until the lease, then go out again."""
        self._closing = True
        self._arrived.set()
        self._half_full.set()
        try:
            async with self._lock:
                self._writer.cancel()
        finally:
            self._writer.cancel()  # also when this wait is cancelled: the writer must not outlive the run
        await asyncio.wait([self._writer])  # unlike awaiting it, never mistakes its cancellation for ours
        try:
            await self.flush()
        except Exception:
            waiting = sum(len(c.delivery_ids) for c in self._waiting)
            log.exception("could not confirm %d sent deliveries; they go out again after their lease", waiting)
