"""One `run` per SQLite database: a second one refuses to start instead of racing the first one's scheduler.

An exclusive ``flock`` on a file beside the database (``<database>.run.lock``, owner-only) is held for as long as
the bot runs; the kernel lets go of it when the process ends, however it ends, so a killed bot never leaves a
stale lock behind. The file holds the owner's pid for the refusal message. Commands that only read or load
(`status`, `load`, `edit`, …) do not take it: they share the file under SQLite's own locking, as before.
``flock`` is POSIX; where it is missing (Windows) the check is skipped.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

FILE_MODE = 0o600


class AlreadyRunning(Exception):
    """Another process runs the bot on this database; the message is one line naming the file and its pid."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".run.lock")


@contextlib.contextmanager
def single_run(database: Path) -> Iterator[Path]:
    """Hold the run lock of ``database`` for the block; AlreadyRunning when another process holds it."""
    path = lock_path(database)
    if fcntl is None:
        yield path
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise AlreadyRunning(
                f"another `ceasefire-watch run` (pid {owner}) already uses {database}; stop it first "
                "(several replicas need PostgreSQL)"
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        try:
            yield path
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)  # closing lets go of the lock
