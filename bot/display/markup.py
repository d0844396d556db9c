"""Telegram HTML at its limits: cut a message at 4096 characters without breaking a tag or an entity, the plain
text of a message, a button's pop-up."""

from __future__ import annotations

import html
import re

from bot.display.base import LIMIT, short

# --- split and plain ---------------------------------------------------------------------------------------------

# Atoms a cut may never go through: a whole tag, a whole entity, or one character.
_ATOM = re.compile(r"<[^<>]*>|&#?[A-Za-z0-9]+;|[^<&]|[<&]", re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")


def _step(stack: tuple[tuple[str, str], ...], atom: str) -> tuple[tuple[str, str], ...]:
    """The open tags after ``atom``: (name, opening text) pairs, innermost last."""
    match = _TAG.fullmatch(atom)
    if not match:
        return stack
    closing, name, self_closing = match.groups()
    name = name.lower()
    if self_closing:
        return stack
    if not closing:
        return (*stack, (name, atom))
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == name:
            return stack[:index]
    return stack


def _closers(stack: tuple[tuple[str, str], ...]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _split_line(line: str, limit: int) -> list[str]:
    """One overlong line in pieces ≤ ``limit``: cut after a space when there is one, never inside a tag or an
    entity; tags still open at a cut are closed there and reopened in the next piece, so each piece is valid."""
    atoms = _ATOM.findall(line)
    pieces: list[str] = []
    start = 0
    stack: tuple[tuple[str, str], ...] = ()
    while start < len(atoms):
        prefix = "".join(opening for _, opening in stack)
        length = len(prefix)
        current = stack
        index = start
        space: tuple[int, tuple[tuple[str, str], ...]] | None = None
        while index < len(atoms):
            atom = atoms[index]
            after = _step(current, atom)
            if length + len(atom) + len(_closers(after)) > limit:
                break
            length += len(atom)
            current = after
            index += 1
            if atom.isspace():
                space = (index, current)
        if index >= len(atoms):
            pieces.append(prefix + "".join(atoms[start:]))
            break
        cut, at_cut = space if space is not None else (index, current)
        if cut <= start:
            raise ValueError(f"cannot split a line into pieces of {limit} characters")
        pieces.append(prefix + "".join(atoms[start:cut]) + _closers(at_cut))
        start, stack = cut, at_cut
    return pieces


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """Messages of at most ``limit`` characters, cut at line breaks; a single overlong line is cut at a space.

    Joining the chunks with newlines gives the text back whenever no single line is longer than ``limit``.
    """
    if len(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        if len(line) > limit:
            if current:
                chunks.append("\n".join(current))
                current, size = [], 0
            chunks.extend(_split_line(line, limit))
            continue
        extra = len(line) + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append("\n".join(current))
            current, size = [line], len(line)
        else:
            current.append(line)
            size += extra
    if current:
        chunks.append("\n".join(current))
    return chunks


def to_plain(text: str) -> str:
    """What a reader sees: tags removed, entities turned back into characters (for the terminal chat)."""
    return html.unescape(re.sub(r"<[^<>]*>", "", text))


POPUP_MAX = 200  # Telegram refuses a button's pop-up (answerCallbackQuery text) longer than this


def popup(text: str | None) -> str | None:
    """A reply as a button's pop-up: plain text cut to Telegram's 200 characters (a long title made the answer
    fail although the subscription was saved); None for no pop-up."""
    return short(to_plain(text), POPUP_MAX) if text else None
