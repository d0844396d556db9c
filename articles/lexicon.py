"""Word-list patterns that skip sentences cheaply: most sentences contain none of a list's words.

A regex alternation is tried at every position of a sentence; a substring test on the lowered text is far cheaper.
:class:`Lexicon` derives, from the pattern itself, literal stems one of which every match must contain, and runs
the regex only when the sentence contains one of them. Patterns whose alternatives do not all start with a
literal get no stems and always run, so the shortcut can never change a result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Lexicon", "stems"]

_LEAD_RE = re.compile(r"^(?:\\b|\(\?<[!=](?:[^()\\]|\\.)*\))*")
_META = set("\\()[]{}.*+?|^$")
_QUANTIFIER = set("*?{")


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """The pattern's characters that shape it (not escaped, not inside a character class), each with the group
    depth after it: what both splitting into alternatives and finding a group's end walk over."""
    depth = 0
    index = start
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            depth += (char == "(") - (char == ")")
            yield index, char, depth
        index += 1


def _split(pattern: str) -> list[str] | None:
    """Top-level alternatives of a pattern, or None when its brackets do not balance."""
    parts: list[str] = []
    start = depth = 0
    for index, char, depth in _structure(pattern):
        if char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    if depth != 0:
        return None
    parts.append(pattern[start:])
    return parts


def _group_end(pattern: str, start: int) -> int:
    """Index just after the group that opens at ``start``."""
    for index, char, depth in _structure(pattern, start):
        if char == ")" and depth == 0:
            return index + 1
    return len(pattern)


def _alternative_stems(alternative: str) -> list[str] | None:
    """Stems for one alternative: its leading literal, or the stems of the group it starts with."""
    alternative = _LEAD_RE.sub("", alternative)
    if alternative.startswith("(?:") or alternative.startswith("(?-i:"):
        end = _group_end(alternative, 0)
        if end < len(alternative) and alternative[end] in _QUANTIFIER:
            return None  # an optional group proves nothing
        inner = alternative[alternative.index(":") + 1 : end - 1]
        return stems(inner)
    literal: list[str] = []
    for index, char in enumerate(alternative):
        if char in _META:
            if char in _QUANTIFIER and literal:
                literal.pop()  # "pauses?" only guarantees "pause"
            break
        if index + 1 < len(alternative) and alternative[index + 1] in _QUANTIFIER:
            break
        literal.append(char)
    text = "".join(literal).lower()
    return [text] if len(text.strip()) >= 2 else None


def stems(pattern: str) -> list[str] | None:
    """Lower-case stems one of which every match of ``pattern`` contains; None when that cannot be shown."""
    alternatives = _split(pattern)
    if alternatives is None:
        return None
    found: list[str] = []
    for alternative in alternatives:
        more = _alternative_stems(alternative)
        if more is None:
            return None
        found.extend(more)
    return found


# The last text and its lower-case form: one sentence meets many lexicons in a row. One tuple, replaced whole,
# so a reader in another thread never pairs one text with another text's lower case.
_last: tuple[str, str] = ("", "")


def _lowered(text: str) -> str:
    """The lower-case text, computed once per sentence rather than once per word list."""
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    lowered = text.lower()
    _last = (text, lowered)
    return lowered


class Lexicon:
    """A compiled pattern with a substring pre-check; used like ``re.Pattern`` for search, finditer and sub."""

    __slots__ = ("_stems", "pattern")

    def __init__(self, pattern: str, flags: int = re.IGNORECASE) -> None:
        self.pattern = re.compile(pattern, flags)
        found = stems(pattern)
        self._stems = tuple(sorted(set(found), key=len)) if found else None

    def _possible(self, text: str, pos: int = 0, endpos: int = 2**31 - 1) -> bool:
        """False only when no stem occurs between ``pos`` and ``endpos``, which proves the pattern cannot match
        there (every match contains a stem; lookbehinds are not part of it).

        A window is tested on its own: the loops that look 12 or 60 characters before each name of a long page
        would otherwise scan the whole page once per name, quadratic in its length.
        """
        if self._stems is None:
            return True
        lowered = _lowered(text) if pos <= 0 and endpos >= len(text) else text[pos:endpos].lower()
        return any(map(lowered.__contains__, self._stems))

    def search(self, text: str, pos: int = 0, endpos: int = 2**31 - 1) -> re.Match[str] | None:
        return self.pattern.search(text, pos, endpos) if self._possible(text, pos, endpos) else None

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        # Anchored at ``pos``: the regex looks at a few characters there, far less than a stem scan of the rest.
        if pos > 0:
            return self.pattern.match(text, pos)
        return self.pattern.match(text, pos) if self._possible(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = 2**31 - 1) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text, pos, endpos) if self._possible(text, pos, endpos) else iter(())

    def fullmatch(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.pattern.fullmatch(text, pos) if self._possible(text, pos) else None

    def findall(self, text: str) -> list[Any]:
        return self.pattern.findall(text) if self._possible(text) else []

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.pattern.sub(repl, text) if self._possible(text) else text
