"""Word-list patterns that skip sentences cheaply: most sentences contain none of a list's words.

A regex alternation is tried at every position of a sentence; a substring test on the lowered text is far cheaper.
:class:`Lexicon` derives, from the pattern itself, literal stems one of which every match must contain, and runs
the regex only when the sentence contains one of them. :func:`required_stems` may take any literal or group an
alternative cannot skip ("held" of ``is (?:still )?held``), so that a pattern of short or optional openings still
gets a rare stem. Patterns where some alternative has no such literal get no stems and always run, so the shortcut
can never change a result. The stems of all lexicons live in one Aho-Corasick automaton (:class:`_StemIndex`), so a
sentence is scanned once for all of them, not once per stem of each list.

Where the regex does run, :func:`guard` puts a lookahead on the characters a match can start with in front of it
(``(?=[st])`` before ``(?:said|told)``): the engine then leaves most positions after one test instead of trying
every alternative there, and finds the same matches.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ahocorasick_rs import AhoCorasick, MatchKind

__all__ = ["Lexicon", "guard", "guarded", "guarded_group", "required_stems"]

_META = set("\\()[]{}.*+?|^$")
_BRACES_RE = re.compile(r"\{(\d*)(?:,(\d*))?\}")
_FLAGS_RE = re.compile(r"\(\?([aiLmsux-]*)([:)])")


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


def _quantifier(pattern: str, index: int) -> tuple[int, int]:
    """The end of the quantifier at ``index`` and the fewest repeats it allows; ``(index, 1)`` when there is none."""
    char = pattern[index] if index < len(pattern) else ""
    if char in ("*", "?", "+"):
        end, least = index + 1, int(char == "+")
    elif char == "{" and (braces := _BRACES_RE.match(pattern, index)) is not None:
        end, least = braces.end(), int(braces.group(1) or 0)  # "{}" is a literal to re: taking it as "{0,}" only loses
    else:
        return index, 1
    if end < len(pattern) and pattern[end] in "?+":
        end += 1  # lazy or possessive
    return end, least


@dataclass(frozen=True, slots=True)
class _Element:
    """One element of a pattern's sequence, without its quantifier."""

    end: int
    char: str | None = None  # the literal character it is
    single: str | None = None  # its own source when it matches exactly one character ("a", "\\.", "[a-z]", "\\d")
    inner: str | None = None  # a group's content, which the match contains
    zero_width: bool = False  # "\\b", "^", a lookaround
    scoped: bool = False  # a group that adds flags of its own ("(?i:...)"), or global flags


def _group(pattern: str, index: int) -> _Element | None:
    """A group at ``index``; None for a kind this reader does not take apart."""
    end = _group_end(pattern, index)
    if not pattern.startswith("(?", index):
        return _Element(end, inner=pattern[index + 1 : end - 1])
    if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
        return _Element(end, zero_width=True)
    if pattern.startswith("(?P=", index):
        return _Element(end)  # a back-reference: some text, not known here
    if pattern.startswith(("(?P<", "(?>"), index):
        return _Element(end, inner=pattern[pattern.index(">", index) + 1 : end - 1])
    flags = _FLAGS_RE.match(pattern, index)
    if flags is None or "x" in flags.group(1):
        return None  # a comment, a condition, verbose mode
    if flags.group(2) == ")":
        return _Element(flags.end(), zero_width=True, scoped=True)  # global flags, "(?i)"
    added = flags.group(1).split("-")[0]  # "(?-i:...)" only narrows what its content matches; "(?i:...)" widens it
    return _Element(end, inner=pattern[flags.end() : end - 1], scoped=added != "")


def _element(pattern: str, index: int) -> _Element | None:
    """The element of a sequence at ``index``; None when this reader does not know it."""
    char = pattern[index]
    if char == "(":
        return _group(pattern, index)
    if char == "\\":
        escaped = pattern[index + 1 : index + 2]
        if escaped and not escaped.isalnum():
            return _Element(index + 2, char=escaped, single=pattern[index : index + 2])  # "\\." is a full stop
        if escaped and escaped in "dDwWsS":
            return _Element(index + 2, single=pattern[index : index + 2])
        return _Element(index + 2, zero_width=True) if escaped and escaped in "bBAZ" else None  # not "\\x41", "\\1"
    if char == "[":
        if pattern.startswith(("[]", "[^]"), index):
            return None
        close = index + 1
        while close < len(pattern) and pattern[close] != "]":
            close += 2 if pattern[close] == "\\" else 1
        return _Element(close + 1, single=pattern[index : close + 1]) if close < len(pattern) else None
    if char in "^$":
        return _Element(index + 1, zero_width=True)
    if char in _META:
        return _Element(index + 1) if char == "." else None
    return _Element(index + 1, char=char, single=char)


def _sequence_stems(alternative: str) -> list[str] | None:
    """The stems of the best element the alternative cannot skip: a literal run, or a group it must match.

    "Best" is the set whose shortest stem is longest (then the smallest set): short stems are common words.
    """
    best: list[str] | None = None
    run: list[str] = []

    def offer(found: list[str]) -> None:
        nonlocal best
        if best is None or (min(map(len, found)), -len(found)) > (min(map(len, best)), -len(best)):
            best = found

    def close() -> None:
        literal = "".join(run).lower()
        run.clear()
        if len(literal.strip()) >= 2:
            offer([literal])

    index = 0
    while index < len(alternative):
        element = _element(alternative, index)
        if element is None:
            break  # what came before is still required; what follows is not read
        after, least = _quantifier(alternative, element.end)
        if element.char is not None and least >= 1:
            run.append(element.char)  # "b+" still contains a "b"
        if element.char is None or after != element.end:
            close()
        if element.inner is not None and least >= 1 and (found := required_stems(element.inner)):
            offer(found)
        index = after
    close()
    return best


def _first_characters(pattern: str) -> tuple[list[str], bool] | None:
    """The one-character patterns a match of ``pattern`` may start with, and whether it may match nothing at all;
    None when not known (a wildcard first, flags of its own)."""
    alternatives = _split(pattern)
    if alternatives is None:
        return None
    found: list[str] = []
    empty = False
    for alternative in alternatives:
        index = 0
        while index < len(alternative):
            element = _element(alternative, index)
            if element is None or element.scoped:
                return None
            after, least = _quantifier(alternative, element.end)
            index = after
            if element.zero_width:
                continue
            if element.inner is not None:
                inner = _first_characters(element.inner)
                if inner is None:
                    return None
                firsts, skippable = inner
            elif element.single is not None:
                firsts, skippable = [element.single], False
            else:
                return None
            found.extend(firsts)
            if least >= 1 and not skippable:
                break
        else:
            empty = True
    return found, empty


def guard(pattern: str) -> str | None:
    """A lookahead on the characters every match of ``pattern`` starts with (``(?=[aeh]|[A-Z])``), or None.

    Put before the pattern (with the same flags) it cannot change a match, as the match starts with one of them;
    it lets the engine leave a position after one test instead of trying every alternative there.
    """
    first = _first_characters(pattern)
    if first is None or first[1]:
        return None
    singles = sorted({f for f in first[0] if not f.startswith("[")})
    classes = sorted({f for f in first[0] if f.startswith("[")})
    merged = "".join(f if f.startswith("\\") else re.escape(f) for f in singles)
    return "(?=" + "|".join(([f"[{merged}]"] if merged else []) + classes) + ")"


def required_stems(pattern: str) -> list[str] | None:
    """Lower-case stems one of which every match of ``pattern`` contains, from any part of each alternative that
    no match can skip; None when some alternative has none. Not for verbose patterns (the caller checks)."""
    alternatives = _split(pattern)
    if alternatives is None:
        return None
    found: list[str] = []
    for alternative in alternatives:
        more = _sequence_stems(alternative)
        if more is None:
            return None
        found.extend(more)
    return found


def guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile`` with the pattern's :func:`guard` in front: the same matches, found sooner."""
    lead = None if flags & re.VERBOSE else guard(pattern)  # an inline "(?x)" gets no guard either
    return re.compile(pattern if lead is None else f"{lead}(?:{pattern})", flags)


def guarded_group(pattern: str) -> str:
    """``(?:pattern)`` led by its :func:`guard`, to embed in a larger pattern (a list of month names)."""
    return f"(?:{guard(pattern) or ''}(?:{pattern}))"


def _minimal(found: list[str]) -> tuple[str, ...]:
    """The stems without those that contain another stem (which is then present too), shortest first."""
    unique = sorted(set(found), key=len)
    return tuple(s for i, s in enumerate(unique) if not any(other in s for other in unique[:i]))


_MEMO_TEXTS = 64  # a sentence and the variants cut from it meet many lists in a row; older texts are not asked again


class _StemIndex:
    """Every stem of every lexicon in one Aho-Corasick automaton: one pass over a text tells which stems it holds,
    where each lexicon alone would scan the text once per stem (a sentence meets some 300 lexicons, 1,700 stems).

    Lexicons register as they are compiled (at import, or when a language's rules are first asked for); the
    automaton is rebuilt on the next lookup after one did. Each remembered answer keeps the automaton it came
    from, so an answer from before a registration is never used after it.
    """

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._automaton: AhoCorasick | None = None
        self._seen: dict[str, tuple[AhoCorasick, frozenset[int]]] = {}
        self._lock = threading.Lock()

    def register(self, stems: tuple[str, ...]) -> frozenset[int]:
        with self._lock:
            for stem in stems:
                if stem not in self._ids:
                    self._ids[stem] = len(self._ids)
                    self._automaton = None
            return frozenset(self._ids[stem] for stem in stems)

    def _current(self) -> AhoCorasick:
        automaton = self._automaton
        if automaton is None:
            with self._lock:
                if self._automaton is None:
                    self._automaton = AhoCorasick(list(self._ids), matchkind=MatchKind.Standard)
                automaton = self._automaton
        return automaton

    def present(self, text: str) -> frozenset[int]:
        """The ids of the stems the lower-case text contains."""
        automaton = self._current()
        seen = self._seen.get(text)
        if seen is not None and seen[0] is automaton:
            return seen[1]
        found = frozenset(match[0] for match in automaton.find_matches_as_indexes(text.lower(), overlapping=True))
        if len(self._seen) >= _MEMO_TEXTS:
            self._seen.clear()
        self._seen[text] = (automaton, found)
        return found


_INDEX = _StemIndex()


class Lexicon:
    """A compiled pattern with a substring pre-check and a guard; used like ``re.Pattern`` for search, finditer and
    sub."""

    __slots__ = ("_fast", "_flags", "_ids", "_plain", "_source", "_stems")

    def __init__(self, pattern: str, flags: int = re.IGNORECASE) -> None:
        self._source, self._flags = pattern, flags
        self._fast = guarded(pattern, flags)  # what the methods run: the same matches
        self._plain = self._fast if self._fast.pattern == pattern else None
        found = None if flags & re.VERBOSE else required_stems(pattern)  # an inline "(?x)" gets no stems either
        self._stems = _minimal(found) if found else None
        self._ids = _INDEX.register(self._stems) if self._stems else frozenset()

    @property
    def pattern(self) -> re.Pattern[str]:
        """The plain compiled pattern, compiled when first asked for (the methods never need it)."""
        if self._plain is None:
            self._plain = re.compile(self._source, self._flags)
        return self._plain

    def _possible(self, text: str, pos: int = 0, endpos: int = 2**31 - 1) -> bool:
        """False only when no stem occurs between ``pos`` and ``endpos``, which proves the pattern cannot match
        there (every match contains a stem; lookbehinds are not part of it).

        A window is tested on its own: the loops that look 12 or 60 characters before each name of a long page
        would otherwise scan the whole page once per name, quadratic in its length.
        """
        if self._stems is None:
            return True
        if pos <= 0 and endpos >= len(text):
            return not _INDEX.present(text).isdisjoint(self._ids)
        lowered = text[max(pos, 0) : endpos].lower()  # as ``re``: a negative start is the text's start, not its end
        return any(map(lowered.__contains__, self._stems))

    def search(self, text: str, pos: int = 0, endpos: int = 2**31 - 1) -> re.Match[str] | None:
        return self._fast.search(text, pos, endpos) if self._possible(text, pos, endpos) else None

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        # Anchored at ``pos``: the regex looks at a few characters there, far less than a stem scan of the rest.
        if pos > 0:
            return self._fast.match(text, pos)
        return self._fast.match(text, pos) if self._possible(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = 2**31 - 1) -> Iterator[re.Match[str]]:
        return self._fast.finditer(text, pos, endpos) if self._possible(text, pos, endpos) else iter(())

    def fullmatch(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self._fast.fullmatch(text, pos) if self._possible(text, pos) else None

    def findall(self, text: str) -> list[Any]:
        return self._fast.findall(text) if self._possible(text) else []

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self._fast.sub(repl, text) if self._possible(text) else text
