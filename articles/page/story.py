"""Story paragraphs: broken lines re-joined, wire datelines dropped, only pieces that read like story text kept."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from articles.model import Language
from articles.page.dates import clock_of, is_clock_line
from articles.page.normalise import ends_sentence, word_count
from articles.page.sentences import HARD_ABBREVIATIONS, NOT_PLACES
from articles.page.words import alternation, common_list, page_data
from articles.rules import LANGUAGES

__all__ = ["Piece", "is_paragraph", "pieces", "strip_dateline"]

_WIRE = alternation(common_list("wire_agencies"))
_DATELINE_AGENCY = re.compile(
    r"^[A-ZÄÖÜ][^\s().:;!?/,]*(?:[ ,/]{1,3}[^\s().:;!?/,]+){0,5} ?"
    rf"(?:\((?i:{_WIRE})(?i:/[a-z]{{2,8}}){{0,4}}\) ?[-–—:.]?|\([A-Za-z][\w./ -]{{0,20}}\) ?[-–—:]) (?=\S)"
)
_DATELINE_CAPS = re.compile(r"^[A-ZÄÖÜ]{3,}(?:(?:, | |/|-)[A-ZÄÖÜ][A-Za-zäöüÄÖÜß.]*){0,3} ?[-–—] (?=\S)")
_DATELINE_PLACE = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][a-zäöüß]+(?:[-/ ][A-ZÄÖÜ][a-zäöüß]+){0,3})(?:\. | [–—-] )(?=[A-ZÄÖÜ„\"“])"
)
_PLACE_PARTS = re.compile(r"[-/ ]")
_PLACE_PARAGRAPHS = 2  # a bare 'Moskau.' opens one of the first paragraphs (a teaser may come first)
_HEADING_WORDS = 12  # an entry's heading is short; a longer line after a stamp is the entry's text
_MIN_CAPS = 4  # letters of a heading in capitals ('UN' or 'USA' alone may open a sentence's line)
_MENDS = frozenset(lang for lang in LANGUAGES if page_data(lang).get("mend_hyphen"))


@dataclass(frozen=True, slots=True)
class Piece:
    """Lines joined into one paragraph candidate, with the index of its first line."""

    start: int
    text: str
    lines: int  # how many lines were joined
    clock: tuple[int, int] | None = None  # the live blog's entry stamp (hour, minute) this piece opens


def strip_dateline(paragraph: str, index: int) -> str:
    """Drop a 'KYIV (Reuters) -' / 'WASHINGTON —' prefix; a bare 'Moskau.' only opens one of the first paragraphs."""
    for pattern in (_DATELINE_AGENCY, _DATELINE_CAPS):
        m = pattern.match(paragraph)
        if m:
            return paragraph[m.end() :]
    if index < _PLACE_PARAGRAPHS:
        m = _DATELINE_PLACE.match(paragraph)
        if m and not any(
            w.lower() in HARD_ABBREVIATIONS or w in NOT_PLACES for w in _PLACE_PARTS.split(m.group("place"))
        ):
            return paragraph[m.end() :]
    return paragraph


def _join(parts: list[str], line: str, language: Language) -> None:
    """Join a line broken in the middle of a sentence, mending a hyphenated word split across the break."""
    previous = parts[-1]
    if previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha() and line[:1].isalpha():
        parts[-1] = previous[:-1] if language in _MENDS and line[0].islower() else previous
        parts.append("")
    else:
        parts.append(" ")
    parts.append(line)


def pieces(kept: Sequence[str | None], language: Language, *, ticker: bool = False) -> list[Piece]:
    """Re-join lines that belong together into paragraphs.

    Inside a block of adjacent lines a line without final punctuation continues onto the next; across a blank
    line or removed boilerplate it continues only when the next line starts in lower case, which also carries it
    past a full stop directly above (an abbreviation at the line's end). A live blog's entry
    stamp ("08:12 Uhr" alone on its line) ends the piece above it, and the short heading right after it is a piece
    of its own, as the page's headline is. In a ``ticker`` an entry stamp may also open its heading's line
    ("07:12 Uhr – Das ist heute geplant"); each entry's first piece carries its stamp.
    """
    out: list[Piece] = []
    parts: list[str] = []  # the current piece, joined once it is complete (joining as we go would be quadratic)
    start = joined = 0
    adjacent = False  # the previous kept line was directly above this one
    entry = False  # the previous kept line was a live blog's entry stamp
    clock: tuple[int, int] | None = None  # the entry stamp the next piece opens with
    for i, line in enumerate(kept):
        if not line:
            adjacent = False
            continue
        alone = is_clock_line(line)
        stamp = clock_of(line) if ticker or alone else None
        if stamp is not None or alone:  # "08:12 Uhr": a new entry; the stamp itself is no story text
            if parts:
                out.append(Piece(start, "".join(parts), joined, clock))
                clock = None
            parts, adjacent, entry = [], False, True
            clock = stamp[0] if stamp is not None else None
            rest = line[stamp[1] :].strip(" ") if stamp is not None else ""
            if not rest:
                continue
            heading, plus, body = rest.partition("+++")  # '+++ 22:45 Waffenruhe in Kraft +++ Seit 23.30 Uhr …'
            if plus or (not ends_sentence(rest) and word_count(rest) <= _HEADING_WORDS):
                out.append(Piece(i, heading.strip(), 1, clock))  # the heading stands alone, like a headline
                entry, clock = False, None
                if not body.strip(" +"):
                    continue
                line = body.strip(" +")
            parts, start, joined = [line], i, 1
            adjacent = True
            continue
        if entry and not ends_sentence(line) and word_count(line) <= _HEADING_WORDS:
            out.append(Piece(i, line, 1, clock))  # the entry's heading stands alone, like the page's headline
            entry = adjacent = False
            clock = None
            continue
        entry = False
        lower = line[0].islower()  # no sentence starts in lower case: 'told U.S.' / 'negotiators they …' is one
        capitals = len(parts) == 1 and _is_caps_heading(parts[0])  # '2. 205 HEIMKEHRER' above its item's text
        # a wire's dateline opens the story, never the rest of a caption's line above it
        dateline = not lower and (_DATELINE_AGENCY.match(line) or _DATELINE_CAPS.match(line)) is not None
        opens = capitals or dateline
        if parts and not opens and ((not ends_sentence(parts[-1]) and (adjacent or lower)) or (adjacent and lower)):
            _join(parts, line, language)
            joined += 1
        else:
            if parts:
                out.append(Piece(start, "".join(parts), joined, clock))
                clock = None
            parts, start, joined = [line], i, 1
        adjacent = True
    if parts:
        out.append(Piece(start, "".join(parts), joined, clock))
    return out


def _is_caps_heading(line: str) -> bool:
    """A short line in capitals without a final stop: a section's heading, never the start of a sentence."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= _MIN_CAPS and all(c.isupper() for c in letters) and word_count(line) <= _HEADING_WORDS


def is_paragraph(text: str, lines: int = 1) -> bool:
    """Story text: a sentence of at least three words, or one long line of words missing its final period (several
    short lines without one are a list of links or headings)."""
    if ends_sentence(text):
        return word_count(text) >= 3
    return lines == 1 and word_count(text) >= 12
