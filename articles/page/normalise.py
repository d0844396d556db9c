"""Lines of a scraped page with invisible characters and whitespace runs removed, the content hash, line shapes.

Every later step of the page layer works on these normalised lines, so a pattern can rely on single spaces and
never needs an unbounded whitespace run (which keeps all patterns linear).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

__all__ = [
    "CLOSERS",
    "ROW_SEPARATOR",
    "TERMINAL",
    "WORD",
    "content_hash",
    "ends_sentence",
    "in_numbered_list",
    "key",
    "label_words",
    "lines",
    "read",
    "word_count",
]

_INVISIBLE = "\ufeff\u00ad\u200b\u200c\u200d\u2060"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

_GAP = re.compile(r"[ \t\u00a0]{2,}")
_MIN_COLUMNS = 3
_MAX_COLUMN_WORDS = 4
_WIDE_GAP = re.compile(r"[ \t\u00a0]{3,}|\t")
_MAX_SECTION_WORDS = 5
_LETTERS = re.compile(r"\w")
CLOSERS = "\"'”“»«’‘)]"
ROW_SEPARATOR = re.compile(r" [·•|] ")  # between the items of a row: 'Paper · Ausgabe vom … · Seite 19'
TERMINAL = (".", "!", "?", "…")
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _raw_lines(text: str) -> list[str]:
    for char in _INVISIBLE:
        if char in text:  # a scan per character is far cheaper than str.translate over megabytes
            text = text.replace(char, "")
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def lines(text: str) -> list[str]:
    """Lines with invisible characters removed and inner whitespace collapsed; blank lines become ''."""
    return [_SPACES.sub(" ", line).strip() for line in _raw_lines(text)]


def _columns(raw: str) -> int:
    """How many short items a row sets apart by wide gaps: a site's menu ('Politik   Wirtschaft   Panorama') has
    three or more; a section beside its subsection ('Europe   Ukraine and Russia at war'), set apart by a gap no
    headline has, two. Zero for any other line."""
    if "  " not in raw and "\t" not in raw:
        return 0
    items = [item for item in _GAP.split(raw.strip()) if item]
    if any(ends_sentence(item) and len(item.split()) > 1 for item in items):
        return 0  # a sentence set apart; one word with a full stop is an abbreviation ('U.S.')
    sizes = [sum(1 for w in item.split() if _LETTERS.search(w)) for item in items]
    if len(items) >= _MIN_COLUMNS:
        return len(items) if max(sizes) <= _MAX_COLUMN_WORDS else 0
    pair = len(items) == 2 and _WIDE_GAP.search(raw.strip()) is not None and max(sizes) <= _MAX_SECTION_WORDS
    return 2 if pair else 0


def read(text: str) -> tuple[list[str], frozenset[int], frozenset[int]]:
    """:func:`lines`, the indexes of lines that were menus (rows of three or more columns) before their gaps were
    collapsed, and those of rows of two (a section path or a pair of labels: dropped like a menu, but navigation only
    above the publication stamp, see :func:`..boilerplate.strip_boilerplate`)."""
    raw = _raw_lines(text)
    columns = [_columns(r) for r in raw]
    return (
        [_SPACES.sub(" ", line).strip() for line in raw],
        frozenset(i for i, n in enumerate(columns) if n >= _MIN_COLUMNS),
        frozenset(i for i, n in enumerate(columns) if n == 2),
    )


def content_hash(text: str) -> str:
    """SHA-256 of the page with line endings and whitespace runs normalised.

    Re-saving a page (CRLF vs LF, a BOM, trailing spaces, extra blank lines) must not make it a new article,
    but a changed word must.
    """
    out: list[str] = []
    for line in lines(text):
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return hashlib.sha256("\n".join(out).encode("utf-8")).hexdigest()


def ends_sentence(line: str) -> bool:
    """True when the line ends like a sentence (closing quotes and brackets ignored)."""
    return line.rstrip(CLOSERS).endswith(TERMINAL)


def word_count(line: str) -> int:
    return len(line.split())


def label_words(item: str) -> int:
    """Words of a row's item, its numbers not counted: 'Seite 7 von 48' is as short a label as 'Page 3'."""
    return sum(1 for word in WORD.findall(item) if not word.isdigit())


def key(line: str) -> str:
    """Comparison key for duplicate detection: case and punctuation spacing do not matter."""
    return " ".join(WORD.findall(line.casefold()))


_NUMBERED = re.compile(r"\s*\d{1,2}[.)]\s")


def in_numbered_list(lines: Sequence[str | None], index: int, *, alone: bool = False) -> bool:
    """A numbered line next to another ('1. Hochstein in Beirut …' over '2. UN Security Council votes …'): an item
    of a list of contents, not a headline. A numbered line alone ('1. UKRAINE: 144 HOME') may head its story;
    ``alone`` asks only whether the line is numbered."""
    near = (lines[i] for i in (index - 1, index + 1) if 0 <= i < len(lines))
    numbered = bool(_NUMBERED.match(lines[index] or ""))
    return numbered and (alone or any(_NUMBERED.match(line or "") for line in near))
