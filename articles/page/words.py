"""The page layer's words, read from ``resources/<lang>/page.yaml``, ``calendar.yaml`` and ``resources/page.yaml``.

A scraped page mixes languages before its own language is known (an English page quotes a German caption, the
buttons of a German site say "Share"), so boilerplate and stamps are recognised with the words of *every*
language at once; only sentence splitting and the local zone of a stamp depend on one language. Everything is read
once per process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from articles.rules import LANGUAGES, common, data

__all__ = [
    "alternation",
    "calendar_union",
    "common_list",
    "language_of",
    "lower_set",
    "page_data",
    "phrase_pattern",
    "union",
    "words_of",
]


def page_data(language: str) -> Mapping[str, Any]:
    """One language's ``page.yaml``."""
    return data(language, "page")


def _get(language: str, path: str) -> Any:
    value: Any = page_data(language)
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


@cache
def union(path: str) -> tuple[str, ...]:
    """The entries under ``path`` ('stamp.published') of every language, in file order, without repeats."""
    seen: dict[str, None] = {}
    for language in LANGUAGES:
        for entry in _strings(_get(language, path)):
            seen.setdefault(entry, None)
    return tuple(seen)


@cache
def lower_set(path: str) -> frozenset[str]:
    """:func:`union` case-folded, for membership tests of single words or whole lines."""
    return frozenset(entry.lower() for entry in union(path))


@cache
def words_of(path: str) -> frozenset[str]:
    """Every single word of the entries under ``path`` (multi-word phrases are split)."""
    return frozenset(word for entry in union(path) for word in entry.lower().split())


@cache
def common_list(name: str) -> tuple[str, ...]:
    """A list of the language-independent ``resources/page.yaml``."""
    return tuple(_strings(common("page").get(name)))


@cache
def calendar_union(name: str) -> Mapping[str, int]:
    """``months`` / ``weekdays`` / ``weekday_abbreviations`` of every language's ``calendar.yaml``, merged."""
    merged: dict[str, int] = {}
    for language in LANGUAGES:
        merged.update({str(k).lower(): int(v) for k, v in (data(language, "calendar").get(name) or {}).items()})
    return merged


@cache
def _owners(kind: str) -> Mapping[str, str]:
    """Word → the one language that uses it (for months, weekdays, day suffixes, clock words); shared words omitted."""
    owners: dict[str, set[str]] = {}
    for language in LANGUAGES:
        if kind in ("months", "weekdays"):
            entries: Iterable[str] = (str(k).lower() for k in (data(language, "calendar").get(kind) or {}))
        else:
            entries = (e.lower() for e in _strings(_get(language, kind)))
        for entry in entries:
            owners.setdefault(entry, set()).add(language)
    return {word: next(iter(langs)) for word, langs in owners.items() if len(langs) == 1}


def language_of(kind: str, word: str) -> str | None:
    """The language a month name, weekday, day suffix ('date.day_suffixes') or clock word belongs to alone."""
    return _owners(kind).get(word.lower())


def alternation(entries: Iterable[str], *, stars: bool = False) -> str:
    """A regex alternation of literal entries, longest first (so 'September' is not read as 'Sep').

    With ``stars`` an entry ending in '*' matches any word ending ('newsletter*'). An empty list gives a pattern
    that never matches, so a language without such words needs no special case.
    """
    parts = []
    for entry in sorted(set(entries), key=len, reverse=True):
        if stars and entry.endswith("*"):
            parts.append(re.escape(entry[:-1]) + r"[\w-]*")
        else:
            parts.append(re.escape(entry).replace(r"\ ", " "))
    return "|".join(parts) if parts else "(?!x)x"


def phrase_pattern(entries: Iterable[str], *, stars: bool = False) -> str:
    """:func:`alternation` as a whole-word group: not inside a longer word (a hyphen may join it to one)."""
    return rf"(?<!\w)(?:{alternation(entries, stars=stars)})(?!\w)"
