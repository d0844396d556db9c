"""The fan-out bench's Bot API server: one :class:`bot.localapi.LocalBotApi`, in a child process with a core of its
own (as Telegram's servers would have, so the figures measure the bot's side) or in the bench's event loop (as the
tests run it), and what it received since it was last reset."""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Protocol

from bot.localapi import Limits, LocalBotApi

SERVER_TIMEOUT = 60.0  # seconds the child process may take to start or answer


@dataclass(frozen=True, slots=True)
class Stats:
    """What the server saw since its last reset: successful sendMessage calls per chat, a digest of the sorted
    (chat, text) pairs, the 429s it answered under its limits, and when the first and last message arrived."""

    by_chat: dict[int, int]
    digest: str
    rejected: int
    first: float | None
    last: float | None

    @property
    def messages(self) -> int:
        return sum(self.by_chat.values())


def _stats(api: LocalBotApi) -> dict[str, Any]:
    """:class:`Stats` as a plain dict, so it crosses the pipe from the child process."""
    sent = [c for c in api.calls if c.method == "sendMessage" and c.result is not None]
    pairs = sorted((int(c.params["chat_id"]), str(c.params.get("text", ""))) for c in sent)
    digest = hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]
    times = [c.at for c in sent]
    return {
        "by_chat": dict(Counter(chat for chat, _ in pairs)),
        "digest": digest,
        "rejected": api.limits.rejected if api.limits is not None else 0,
        "first": min(times, default=None),
        "last": max(times, default=None),
    }


def _new_api(limited: bool) -> LocalBotApi:
    api = LocalBotApi()
    if limited:
        api.limits = Limits()
    return api


def _serve(conn: Connection, limited: bool) -> None:
    """The child process: one LocalBotApi until told to stop; answers "stats" and "reset" over the pipe."""
    asyncio.run(_serve_until_stopped(conn, limited))


async def _serve_until_stopped(conn: Connection, limited: bool) -> None:
    async with _new_api(limited) as api:
        conn.send(api.port)
        while (command := await asyncio.to_thread(conn.recv)) != "stop":
            if command == "reset":
                api.calls.clear()
                conn.send(None)
            else:
                conn.send(_stats(api))
    conn.send(None)


class Server(Protocol):
    base_url: str
    file_url: str
    token: str

    async def stats(self) -> Stats: ...

    async def reset(self) -> None: ...


class ChildServer:
    """LocalBotApi in a child process (its own core); the bench asks it for its records over a pipe."""

    def __init__(self, limited: bool) -> None:
        self._limited = limited
        self.token = LocalBotApi().token
        self.base_url = self.file_url = ""

    async def __aenter__(self) -> ChildServer:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, self._limited), daemon=True)
        self._process.start()
        port = await self._receive()
        self.base_url = f"http://127.0.0.1:{port}/bot"
        self.file_url = f"http://127.0.0.1:{port}/file/bot"
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self._ask("stop")
        finally:
            await asyncio.to_thread(self._process.join, 10)
            if self._process.is_alive():
                self._process.terminate()

    async def _receive(self) -> Any:
        if not await asyncio.to_thread(self._conn.poll, SERVER_TIMEOUT):
            raise TimeoutError(f"the Bot API process did not answer within {SERVER_TIMEOUT} s")
        return self._conn.recv()

    async def _ask(self, command: str) -> Any:
        self._conn.send(command)
        return await self._receive()

    async def stats(self) -> Stats:
        return Stats(**await self._ask("stats"))

    async def reset(self) -> None:
        await self._ask("reset")


class LoopServer:
    """LocalBotApi in this event loop, as the tests run it."""

    def __init__(self, limited: bool) -> None:
        self.api = _new_api(limited)
        self.token = self.api.token
        self.base_url = self.file_url = ""

    async def __aenter__(self) -> LoopServer:
        await self.api.start()
        self.base_url, self.file_url = self.api.base_url, self.api.file_url
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.api.stop()

    async def stats(self) -> Stats:
        return Stats(**_stats(self.api))

    async def reset(self) -> None:
        self.api.calls.clear()
