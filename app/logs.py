"""Logging set-up with the bot token scrubbed from every line the process writes, tracebacks included.

Scrubbed in any case: python-telegram-bot lower-cases the text of some errors (``…/bot123456:secret/getme``), and a
URL-encoded colon (``123456%3Asecret``) leaves the key after it intact, so the key is scrubbed on its own too.
"""

from __future__ import annotations

import io
import logging
import re
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter

REDACTED = "[REDACTED]"


def secrets_of(token: str) -> list[str]:
    """What must never be printed of a bot token: the whole of it and its key (the part after the colon)."""
    key = token.split(":", 1)[1] if ":" in token else ""
    return [s for s in (token, key) if s]


def _pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted({s for s in secrets if s}, key=len, reverse=True)  # the whole token before its key
    return re.compile("|".join(re.escape(s) for s in unique), re.IGNORECASE) if unique else None


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced, whatever its letter case."""
    pattern = _pattern(secrets)
    return pattern.sub(REDACTED, text) if pattern is not None else text


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then replaces every secret (URLs with the token show up in HTTP errors)."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.pattern = _pattern(secrets)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return self.pattern.sub(REDACTED, text) if self.pattern is not None else text


class RedactingJsonFormatter(JsonFormatter):
    """One JSON object per line (time, level, logger, message, and the traceback as ``exc_info``), then every
    secret replaced in the finished line: tracebacks and fields are JSON-escaped text by then, and a token's
    characters (digits, letters, ``:``, ``_``, ``-``) are never escaped, so it is still found."""

    def __init__(self, secrets: Iterable[str], **kwargs: Any) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            **kwargs,
        )
        self.pattern = _pattern(secrets)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return self.pattern.sub(REDACTED, text) if self.pattern is not None else text


class RedactingStream(io.TextIOBase):
    """A text stream that scrubs secrets line by line before writing to ``target``: what bypasses logging (an
    uncaught traceback, a library's print, a warning) passes here. Whole lines are held back until their end, so a
    token written in two pieces is still found."""

    def __init__(self, target: TextIO, secrets: Iterable[str]) -> None:
        super().__init__()
        self.target = target
        self.pattern = _pattern(secrets)
        self._pending = ""

    def _scrub(self, text: str) -> str:
        return self.pattern.sub(REDACTED, text) if self.pattern is not None else text

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            done, _, self._pending = self._pending.rpartition("\n")
            self.target.write(self._scrub(done + "\n"))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.target.write(self._scrub(self._pending))
            self._pending = ""
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.target, "encoding", "utf-8")


def guard_streams(secrets: Iterable[str]) -> None:
    """Route stdout and stderr through :class:`RedactingStream` (once; a second call changes nothing)."""
    kept = list(secrets)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, RedactingStream):
            setattr(sys, name, RedactingStream(stream, kept))


def setup_logging(secrets: Iterable[str] = (), level: int = logging.INFO, *, json_lines: bool = False) -> None:
    """Log lines to stderr with ``secrets`` scrubbed, and stdout and stderr themselves scrubbed too;
    ``json_lines`` (LOG_FORMAT=json) writes one JSON object per line instead of plain text."""
    kept = list(secrets)
    guard_streams(kept)
    handler = logging.StreamHandler(sys.stderr)
    formatter: logging.Formatter = (
        RedactingJsonFormatter(kept)
        if json_lines
        else RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", kept)
    )
    handler.setFormatter(formatter)
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL, and Telegram's URLs contain the token: keep it to warnings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
