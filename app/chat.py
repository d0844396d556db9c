"""`ceasefire-watch chat` and the demo: the unchanged bot against a Bot API on 127.0.0.1, talked to from a terminal.

What the user types is sent as a private-chat message from an admin; everything the bot sends (replies and alerts)
is printed as plain text the way a phone would show it; photos and files are saved and their paths printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from telegram.ext import Application

from app.settings import Settings
from bot.app import PerChatOrder, build_application, running
from bot.commands import ALERTS_KEY
from bot.context import Deps
from bot.display import to_plain
from bot.localapi import Call, Chat, LocalBotApi, User
from schedules.clock import Clock
from storage.db import create_engine, migrate, session_factory

YOU = User(id=1001, first_name="You", language_code="en")
QUIET_AFTER = 0.4  # seconds without a new bot message before the next scripted line goes out


# What a file's first bytes say it is, for an upload that came without a usable name.
_MAGIC = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"BEGIN:VCALENDAR", ".ics"))
# The bot sends one picture, the timeline chart, and photos carry no file name on Telegram (python-telegram-bot
# sends a stand-in made from the MIME type, such as "application.octet-stream").
PHOTO_STEM = "timeline"
_MIME_TYPES = frozenset({"application", "audio", "font", "image", "text", "video"})


def saved_name(field_name: str, name: str | None, data: bytes) -> str:
    """The file name to save what the bot sent under: the document's own name ("ceasefire-watch.ics"), or for a
    photo or a nameless file, a name with the extension its content shows ("timeline.png"). A later file of the
    same name replaces the earlier one, as a download would; only the last path component of a name is used."""
    own = Path(name or "").name
    if own.split(".", 1)[0] in _MIME_TYPES:  # python-telegram-bot's stand-in for a missing name: "image.png"
        own = ""
    suffix = next((ext for magic, ext in _MAGIC if data.startswith(magic)), "")
    if field_name == "document" and own and Path(own).suffix:
        return own
    stem = PHOTO_STEM if field_name == "photo" else (Path(own).stem or "file")
    return stem + (suffix or Path(own).suffix or ".bin")


@dataclass
class Conversation:
    """A private chat between one terminal user and the bot; prints what the bot sends as it arrives."""

    api: LocalBotApi
    files: Path
    out: TextIO = sys.stdout
    user: User = YOU
    buttons: list[tuple[int, str]] = field(default_factory=list)  # (message id, callback data) of the last keyboard
    application: Application[Any, Any, Any, Any, Any, Any] | None = None
    # A heading for each message (the demo prints the bot's clock at arrival); a repeat of the last one is skipped.
    stamp: Callable[[Call], str] | None = None
    _printed: int = 0
    _heading: str | None = None

    @property
    def chat(self) -> Chat:
        return Chat(self.user.id)

    def print_new(self) -> int:
        """Print the bot's messages not printed yet; returns how many were new."""
        sent = self.api.sent(self.user.id)
        for call in sent[self._printed :]:
            if self.stamp is not None:
                self.heading(self.stamp(call))
            self.out.write(self.render(call) + "\n")
        self.out.flush()
        new = len(sent) - self._printed
        self._printed = len(sent)
        return new

    def heading(self, line: str) -> None:
        """Print a heading unless it is the one printed last (several messages in the same minute share one)."""
        if line != self._heading:
            self.out.write(line + "\n")
            self._heading = line

    def wake_alerts(self) -> None:
        """Re-plan the alert wake-up at once: after the clock changes pace, the armed one is at the wrong time."""
        scheduler = self.application.bot_data.get(ALERTS_KEY) if self.application is not None else None
        if scheduler is not None:
            scheduler.poke()

    def render(self, call: Call) -> str:
        lines: list[str] = []
        if call.method in ("sendPhoto", "sendDocument"):
            field_name = "photo" if call.method == "sendPhoto" else "document"
            name, data = call.files.get(field_name, ("", b""))
            self.files.mkdir(parents=True, exist_ok=True)
            path = self.files / saved_name(field_name, name, data)
            path.write_bytes(data)
            lines.append(f"[{'image' if field_name == 'photo' else 'file'} saved: {path}]")
            if call.params.get("caption"):
                lines.append(to_plain(str(call.params["caption"])))
        else:
            lines.append(to_plain(str(call.params.get("text", ""))))
        keyboard = (call.params.get("reply_markup") or {}).get("inline_keyboard")
        if keyboard:
            self.buttons = []
            labels = []
            for row in keyboard:
                for button in row:
                    self.buttons.append((int(call.result["message_id"]), str(button.get("callback_data", ""))))
                    labels.append(f"[{len(self.buttons)}] {button['text']}")
            lines.append("  ".join(labels))
        return "\n".join(lines) + "\n"

    async def send(self, text: str) -> None:
        """Type a line: a number presses that button of the last keyboard, anything else is a message."""
        stripped = text.strip()
        if stripped.isdigit() and 0 < int(stripped) <= len(self.buttons):
            message_id, data = self.buttons[int(stripped) - 1]
            self.api.press_button(self.chat, self.user, message_id, data)
        else:
            self.api.send_text(self.chat, self.user, stripped)

    async def settle(self, limit: float = 15.0) -> None:
        """Wait until the bot has answered and gone quiet (bounded by ``limit`` seconds)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        quiet_since = loop.time()
        answered = False
        while loop.time() < deadline:
            if self.print_new():
                answered, quiet_since = True, loop.time()
            elif answered and loop.time() - quiet_since >= QUIET_AFTER:
                return
            await asyncio.sleep(0.05)

    async def drain(self, limit: float = 60.0) -> None:
        """Wait until the bot has taken every update sent, handled them all and gone quiet, printing as it goes
        (bounded by ``limit`` seconds): piped input ends before the replies are in."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        quiet_since = loop.time()
        while loop.time() < deadline:
            if self.print_new():
                quiet_since = loop.time()
            elif not self._busy() and loop.time() - quiet_since >= QUIET_AFTER:
                return
            await asyncio.sleep(0.05)

    def _busy(self) -> bool:
        """Whether updates are still on their way through the bot (not fetched, queued or being handled)."""
        if self.api.unfetched:
            return True
        if self.application is None:
            return False
        processor = self.application.update_processor
        in_hand = processor.current_concurrent_updates if isinstance(processor, PerChatOrder) else 0
        return in_hand > 0 or not self.application.update_queue.empty()

    async def say(self, text: str, *, wait: bool = True) -> None:
        """Type a line as the user; ``wait=False`` leaves the answer to whoever prints next (the demo's replay loop,
        which must keep an eye on the clock meanwhile)."""
        self.out.write(f"you › {text}\n")
        await self.send(text)
        if wait:
            await self.settle()


@asynccontextmanager
async def offline_bot(settings: Settings, clock: Clock, files: Path, out: TextIO) -> AsyncIterator[Conversation]:
    """The real Application, database and clock against a LocalBotApi; the terminal user is an admin."""
    api = LocalBotApi()
    settings = settings.model_copy(update={"admin_user_ids": (*settings.admin_user_ids, YOU.id)})
    engine = create_engine(settings.database_url)
    try:
        await migrate(engine)
        deps = Deps(settings=settings, sessions=session_factory(engine), clock=clock)
        async with api:
            application = build_application(deps, token=api.token, base_url=api.base_url, base_file_url=api.file_url)
            async with running(application, poll_timeout=1.0):
                yield Conversation(api, files, out, application=application)
    finally:
        await engine.dispose()


async def interactive(settings: Settings, clock: Clock, files: Path) -> None:
    print("ceasefire-watch chat — offline. Type /start or /help; a number presses a button; Ctrl-D quits.")
    async with offline_bot(settings, clock, files, sys.stdout) as conversation:
        printer = asyncio.create_task(_print_forever(conversation))
        try:
            while True:
                line = await asyncio.to_thread(sys.stdin.readline)
                if not line:
                    break
                if line.strip():
                    await conversation.send(line)
            await conversation.drain()  # input ended (Ctrl-D, or the end of a pipe): the answers still come
        finally:
            printer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await printer
            conversation.print_new()


async def _print_forever(conversation: Conversation) -> None:
    """Alerts arrive unasked: print whatever the bot sends, as soon as it sends it."""
    while True:
        conversation.print_new()
        await asyncio.sleep(0.1)
