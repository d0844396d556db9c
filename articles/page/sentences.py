"""Sentences of a story paragraph: a full stop after an abbreviation, an initial or an ordinal ends none.

The abbreviations and sentence starters are those of every language's ``page.yaml`` (quotes and names cross
languages); the shapes — initials, acronyms, two-digit ordinals before a month — are here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from articles.model import Language
from articles.page.dates import MONTHS
from articles.page.words import lower_set, page_data, union
from articles.rules import LANGUAGES, data

__all__ = ["HARD_ABBREVIATIONS", "NOT_PLACES", "split_paragraph", "split_sentences"]

HARD_ABBREVIATIONS = lower_set("abbreviations.hard")


def _month_abbreviations() -> frozenset[str]:
    """Month names that start a longer name of the same month in the same language: 'Jan.', 'Sept.', 'Okt.'."""
    found: set[str] = set()
    for language in LANGUAGES:
        months = {str(k).lower(): v for k, v in (data(language, "calendar").get("months") or {}).items()}
        found |= {m for m in months if any(o != m and o.startswith(m) and months[o] == months[m] for o in months)}
    return frozenset(found)


_SOFT_ABBREVIATIONS = lower_set("abbreviations.soft") | _month_abbreviations()
_PLATFORM_PREPOSITIONS = frozenset({"auf", "on", "via", "bei"})  # "posted on X.", "schrieb auf X."
_NUMBERING = lower_set("abbreviations.numbering")
_STARTERS = frozenset(union("starters"))
# Words that open a sentence rather than name a place ('Die Ukraine. Sie …' has no dateline).
NOT_PLACES = frozenset(union("interjections")) | _STARTERS
# Only the first stop of a run starts a match, and the runs are possessive: '…' a megabyte long is read once.
_SENTENCE_END = re.compile(r"(?<![.!?…])([.!?…]++)([\"'”“»«’)\]]*+)\s++(?=[\"'„“«»‚(\[]?[A-ZÄÖÜ0-9])")
_NEXT_WORD = re.compile(r"[\"'„“«»‚(\[]?([\w.-]+)")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
# Languages that write ordinals with a full stop ('am 3. Mai'): a number and a stop end a sentence there only
# before a word that starts one.
_ORDINAL_DOT = frozenset(lang for lang in LANGUAGES if page_data(lang).get("ordinal_dot"))


def _splits_here(paragraph: str, m: re.Match[str], language: Language) -> bool:
    """Whether this candidate full stop ends a sentence (abbreviations, initials and ordinals do not)."""
    if m.group(1) != ".":
        return True
    token = paragraph[paragraph.rfind(" ", 0, m.start()) + 1 : m.start()].lstrip("\"'„“«»‚([")
    next_match = _NEXT_WORD.match(paragraph, m.end())
    following = next_match.group(1).rstrip(".") if next_match else ""
    lower = token.lower()
    if lower in HARD_ABBREVIATIONS:
        return lower in _NUMBERING and not following[:1].isdigit()
    if len(token) == 1 and token.isalpha():
        # initials, 'z. B.', 'U. S.'; but the platform X ends a sentence: '… schrieb sie auf X. Das Komitee …'
        before = paragraph[: m.start() - 1].rstrip().rsplit(" ", 1)[-1].lower()
        return token == "X" and before in _PLATFORM_PREPOSITIONS and following in _STARTERS
    if _ACRONYM.fullmatch(token) or lower in _SOFT_ABBREVIATIONS:
        return following in _STARTERS
    if token.isdigit() and len(token) <= 2:
        if following.lower() in MONTHS:
            return False
        return language not in _ORDINAL_DOT or following in _STARTERS
    return True


def split_sentences(text: str, language: Language) -> Iterator[str]:
    """Sentences of a short free text (an admin's /report), by the same rules as story paragraphs."""
    return split_paragraph(" ".join(text.split()), language)


# a list the scrape ran into one paragraph: '… The main points: – the effects … are suspended; – everywhere else …'
_ITEM_BREAK = re.compile(r"(?:^|(?<=[;:]))\s*[–•▪*-] (?=[^\W\d_])")


def split_paragraph(paragraph: str, language: Language) -> Iterator[str]:
    """Sentences of one paragraph whose whitespace is already single spaces; each item of a run-in list is one."""
    if _ITEM_BREAK.search(paragraph) is None:
        yield from _sentences(paragraph, language)
        return
    for item in _ITEM_BREAK.split(paragraph):
        yield from _sentences(item.strip(), language)


def _sentences(paragraph: str, language: Language) -> Iterator[str]:
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        if _splits_here(paragraph, m, language):
            end = m.start(2) + len(m.group(2))
            sentence = paragraph[start:end].strip()
            if sentence:
                yield sentence
            start = m.end()
    rest = paragraph[start:].strip()
    if rest:
        yield rest
