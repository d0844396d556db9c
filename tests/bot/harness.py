"""Drives the real python-telegram-bot Application, either over real long polling against LocalBotApi on
127.0.0.1 (`PolledBot`) or, for fast handler tests, through a recording BaseRequest with no HTTP at all."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.error import TimedOut
from telegram.ext import AIORateLimiter, Application
from telegram.request import BaseRequest, RequestData

from bot.app import build_application, rate_limiter, running
from bot.context import Deps
from bot.localapi import Call, Chat, LocalBotApi, User, decode_param

ADMIN = User(101, "Alice", "en", "alice")  # in ADMIN_USER_IDS and admin of GROUP
MEMBER = User(202, "Bernd", "de", "bernd")  # an ordinary user; German app language
GROUP = Chat(-1001234567890, "supergroup", "Ceasefire analysts")


# The production pace without its waits: tests about the pace build it themselves (tests/cli/test_settings.py).
def fast_limiter() -> AIORateLimiter:
    return rate_limiter(1000, group_period=0.001)


SETTLE = 0.3  # seconds without a new send before a step counts as answered
CALLBACK_SETTLE = 1.0  # the same after a button's pop-up, when no message has followed it


@dataclass(slots=True)
class FixedClock:
    """A clock that stands still unless a test moves it."""

    at: datetime
    speed: float = 1.0

    def now(self) -> datetime:
        return self.at

    def real_seconds_until(self, when: datetime) -> float:
        return max(0.0, (when - self.at).total_seconds())


class RecordingRequest(BaseRequest):
    """A BaseRequest that answers from a LocalBotApi in memory: the real Bot object, no sockets, fast.

    With ``timeout``, a call that takes longer raises TimedOut, as HTTPXRequest does on a read timeout (the
    stalled call is recorded but, like Fault's delay, not delivered)."""

    def __init__(self, api: LocalBotApi, timeout: float | None = None) -> None:
        self.api = api
        self.timeout = timeout

    @property
    def read_timeout(self) -> float | None:
        return self.timeout if self.timeout is not None else 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = {k: decode_param(v) for k, v in (request_data.json_parameters if request_data else {}).items()}
        files: dict[str, tuple[str, bytes]] = {}
        for field, content in (request_data.multipart_data if request_data else {}).items():
            filename, data = content[0], content[1]
            files[field] = (filename or field, data if isinstance(data, bytes) else data.read())
        try:
            status, body = await asyncio.wait_for(self.api.dispatch(name, params, files), self.timeout)
        except TimeoutError as error:
            raise TimedOut(f"{name} took longer than {self.timeout} s") from error
        return status, body if isinstance(body, bytes) else json.dumps(body).encode()


@dataclass
class PolledBot:
    """A running bot plus the fake Bot API it polls; steps wait until the bot has answered and gone quiet."""

    api: LocalBotApi
    deps: Deps
    application: App

    async def _step(
        self, push: Callable[[], object], chat_id: int, *, expect: bool = True, callbacks: bool = False
    ) -> list[Call]:
        """Push an update, then wait until the bot has answered in the chat and gone quiet for SETTLE seconds; 10 s
        at most. With ``callbacks``, a button's pop-up alone counts as an answer once CALLBACK_SETTLE seconds pass
        without a message following it (a press may answer only with its pop-up)."""

        def progress() -> tuple[int, int]:
            return len(self.api.sent(chat_id)), len(self.answered_callbacks()) if callbacks else 0

        before = progress()
        push()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        seen, quiet_since = before, loop.time()
        while loop.time() < deadline:
            now = progress()
            if now != seen:
                seen, quiet_since = now, loop.time()
            quiet = loop.time() - quiet_since
            if seen[0] > before[0] and quiet >= SETTLE:
                break
            if (seen[1] > before[1] and quiet >= CALLBACK_SETTLE) or (not expect and quiet >= SETTLE):
                break
            await asyncio.sleep(0.02)
        return self.api.sent(chat_id)[before[0] :]

    async def say(self, chat: Chat, user: User, text: str, *, expect: bool = True) -> list[Call]:
        return await self._step(lambda: self.api.send_text(chat, user, text), chat.id, expect=expect)

    async def reply(self, chat: Chat, user: User, message_id: int, text: str) -> list[Call]:
        """The user answers the bot's message ``message_id`` (a ForceReply question) with ``text``."""
        return await self._step(lambda: self.api.send_text(chat, user, text, reply_to=message_id), chat.id)

    async def press(self, chat: Chat, user: User, message_id: int, data: str) -> list[Call]:
        return await self._step(lambda: self.api.press_button(chat, user, message_id, data), chat.id, callbacks=True)

    async def upload(self, chat: Chat, user: User, name: str, data: bytes) -> list[Call]:
        return await self._step(lambda: self.api.send_document(chat, user, name, data), chat.id)

    def answered_callbacks(self) -> list[Call]:
        return [c for c in self.api.calls if c.method == "answerCallbackQuery"]


@asynccontextmanager
async def polled_bot(deps: Deps) -> AsyncIterator[PolledBot]:
    async with LocalBotApi() as api:
        api.admins[GROUP.id] = {ADMIN.id}
        application = build_application(
            deps, token=api.token, base_url=api.base_url, base_file_url=api.file_url, limiter=fast_limiter()
        )
        async with running(application, poll_timeout=1.0):
            yield PolledBot(api, deps, application)


App = Application[Any, Any, Any, Any, Any, Any]


def recording_application(deps: Deps, api: LocalBotApi, **options: Any) -> App:
    """The real Application over a RecordingRequest on ``api`` (ADMIN administers GROUP): handlers run, no sockets."""
    api.admins[GROUP.id] = {ADMIN.id}
    return build_application(
        deps, token=api.token, base_url="http://unused/bot", base_file_url="x", request=RecordingRequest(api), **options
    )


def texts(calls: list[Call]) -> str:
    return "\n".join(str(c.params.get("text") or c.params.get("caption") or "") for c in calls)


def buttons(call: Call) -> list[tuple[str, str]]:
    keyboard = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in keyboard for b in row]


async def feed(application: App, update: dict[str, Any]) -> None:
    """Process one update directly (the fast path: no polling)."""
    await application.process_update(Update.de_json(update, application.bot))
