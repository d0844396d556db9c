"""The loopback Bot API's vocabulary (bot.localapi): users and chats as it sends them in updates, the calls it
records, the faults it can be told to answer with, and Telegram's sending limits as the real server enforces them."""

from __future__ import annotations

import contextlib
import json
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class User:
    id: int
    first_name: str = "Ada"
    language_code: str = "en"
    username: str | None = None

    def to_api(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        data["language_code"] = self.language_code
        if self.username:
            data["username"] = self.username
        return data


@dataclass(frozen=True, slots=True)
class Chat:
    id: int
    type: str = "private"
    title: str | None = None

    def to_api(self, user: User | None = None) -> JSON:
        data: JSON = {"id": self.id, "type": self.type}
        if self.type == "private" and user is not None:
            data["first_name"] = user.first_name
        if self.title:
            data["title"] = self.title
        return data


@dataclass(slots=True)
class Call:
    """One request the bot made: method, decoded parameters, uploaded files and when it arrived; ``answered`` once
    the server has answered it (with a result or an error)."""

    method: str
    params: JSON
    files: dict[str, tuple[str, bytes]]
    at: float
    result: Any = None
    answered: bool = False
    origin: str | None = None  # the path prefix the bot was configured with (``origin_url``): which process sent

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None


@dataclass(slots=True)
class Fault:
    """An error answer for the next `times` calls that match; `delay` seconds pass before it (a stall)."""

    method: str
    chat_id: int | None = None
    error_code: int = 500
    description: str = "Internal Server Error"
    parameters: JSON | None = None
    delay: float = 0.0
    times: int = 1
    raw: bytes | None = None  # answer these bytes instead of Telegram's JSON (a proxy's HTML page, say)

    def matches(self, method: str, params: JSON) -> bool:
        if self.times <= 0 or method.lower() != self.method.lower():
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")


def url_entities(text: str) -> list[JSON]:
    """Entities of type "url" for the web addresses in ``text``, offsets in UTF-16 units as Telegram counts."""

    def units(part: str) -> int:
        return len(part.encode("utf-16-le")) // 2

    return [
        {"type": "url", "offset": units(text[: found.start()]), "length": units(found.group())}
        for found in _URL.finditer(text)
    ]


def decode_param(value: str) -> Any:
    """PTB sends strings raw and everything else JSON-encoded, so decode only what parses as JSON structure."""
    if value[:1] in "[{" or value in ("true", "false", "null") or value.lstrip("-").isdigit():
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


@dataclass
class Limits:
    """Telegram's sending limits, enforced like the real server: over them, a call gets 429 with retry_after.

    ~30 messages per second overall, 20 per minute in one group, and about one per second in one chat (Telegram
    tolerates short bursts there; ``chat_burst`` of them within a second pass before 429s start).
    """

    per_second: int = 30
    per_group_minute: int = 20
    chat_burst: int = 3
    seen: deque[float] = field(default_factory=deque)
    per_chat: dict[int, deque[float]] = field(default_factory=dict)
    rejected: int = 0

    def check(self, chat_id: int, now: float) -> float | None:
        """None when the message may go; otherwise the seconds to wait (retry_after)."""
        _trim(self.seen, now - 1.0)
        window = 60.0 if chat_id < 0 else 1.0
        limit = self.per_group_minute if chat_id < 0 else self.chat_burst
        chat = self.per_chat.setdefault(chat_id, deque())
        _trim(chat, now - window)
        if len(self.seen) >= self.per_second:
            wait = self.seen[0] + 1.0 - now
        elif len(chat) >= limit:
            wait = chat[0] + window - now
        else:
            self.seen.append(now)
            chat.append(now)
            return None
        self.rejected += 1
        return max(wait, 0.001)


def _trim(times: deque[float], before: float) -> None:
    while times and times[0] <= before:
        times.popleft()
