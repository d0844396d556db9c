"""Reading an article file safely: every way a file can be unusable becomes one short, user-facing reason.

Callers show ``ArticleError.reason`` on one line next to the path and skip the file, so the reasons are short,
lowercase and specific. The file is never read past ``MAX_BYTES + 1`` bytes, so a huge file cannot exhaust memory.
"""

from __future__ import annotations

import os
import stat

from articles.model import ArticleError

__all__ = ["MAX_BYTES", "decode_text", "read_text"]

MAX_BYTES = 5 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_SNIFF = 8192
# Control bytes that never occur in a text page (tab, newlines, form feed and escape are allowed).
_CONTROL = frozenset(range(32)) - {9, 10, 11, 12, 13, 27}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# The common OS errors in the reader's words; any other is told by the system's own message.
_OS_REASONS: tuple[tuple[type[OSError], str], ...] = (
    (FileNotFoundError, "file not found"),
    (NotADirectoryError, "file not found"),  # a path through a file: as good as missing
    (IsADirectoryError, "is a directory"),
    (PermissionError, "cannot read file: permission denied"),
)


def _os_reason(error: OSError) -> str:
    """A short reason for an OS error, so a reader is told what went wrong without a traceback."""
    for kind, reason in _OS_REASONS:
        if isinstance(error, kind):
            return reason
    return f"cannot read file: {(error.strerror or type(error).__name__).lower()}"


def _looks_binary(head: bytes) -> bool:
    """NUL bytes or many control bytes in the first few kilobytes: an image, archive or UTF-16 file."""
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _CONTROL)
    return controls > max(8, len(head) // 100)


def _check_kind(path: str, mode: int, size: int) -> None:
    """Refuse directories and special files (a FIFO would block forever) and files over the limit."""
    if stat.S_ISDIR(mode):
        raise ArticleError(path, "is a directory")
    if not stat.S_ISREG(mode):
        raise ArticleError(path, "not a regular file")
    if size > MAX_BYTES:
        raise ArticleError(path, f"file too large ({_megabytes(size)}, limit {MAX_BYTES // (1024 * 1024)} MB)")


def read_text(path: str | os.PathLike[str]) -> str:
    """The file's text, decoded as UTF-8 (a leading BOM is dropped).

    Raises ArticleError(str(path), reason) for a missing, unreadable, special, empty, binary, oversized or
    non-UTF-8 file.
    """
    name = str(path)
    try:
        info = os.stat(path)
        _check_kind(name, info.st_mode, info.st_size)
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise ArticleError(name, _os_reason(error)) from error
    if len(data) > MAX_BYTES:  # grew after stat; only MAX_BYTES + 1 bytes were read, so the size is unknown
        raise ArticleError(name, f"file too large (over {MAX_BYTES // (1024 * 1024)} MB)")
    return decode_text(name, data)


def decode_text(name: str, data: bytes) -> str:
    """Bytes of an article that did not come from a file (a chat upload) checked like :func:`read_text` does.

    Raises ArticleError(name, reason) for empty, oversized, binary or non-UTF-8 data.
    """
    if len(data) > MAX_BYTES:
        raise ArticleError(name, f"file too large ({_megabytes(len(data))}, limit {MAX_BYTES // (1024 * 1024)} MB)")
    offset = len(_BOM) if data.startswith(_BOM) else 0
    body = data[offset:]
    if not body.strip():
        raise ArticleError(name, "empty file")
    if _looks_binary(body[:_SNIFF]) or b"\x00" in body:  # a NUL anywhere: no text page has one, PostgreSQL refuses it
        raise ArticleError(name, "binary file, not text")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = body[error.start]
        raise ArticleError(name, f"not valid UTF-8 (byte 0x{bad:02x} at offset {error.start + offset})") from error
