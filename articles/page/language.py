"""Which language a text is in: the stopwords of ``resources/<lang>/page.yaml`` counted, letters breaking a tie."""

from __future__ import annotations

import re
from collections import Counter
from typing import cast

from articles.model import Language
from articles.page.words import page_data
from articles.rules import LANGUAGES

__all__ = ["STOPWORDS", "detect_language"]

_WORDS = re.compile(r"[^\W\d_]+")


def _owners() -> dict[str, str]:
    """Stopword → language; a word two languages share counts for the first (as listed in ``LANGUAGES``)."""
    owners: dict[str, str] = {}
    for language in LANGUAGES:
        for word in page_data(language).get("stopwords") or ():
            owners.setdefault(str(word).lower(), language)
    return owners


_OWNER = _owners()
STOPWORDS = frozenset(_OWNER)
_LETTERS = {language: str(page_data(language).get("letters") or "") for language in LANGUAGES}


def detect_language(text: str) -> Language:
    """The language whose stopwords occur most; on a tie the first whose own letters (umlauts) occur.

    For any free text too (chat messages): short texts without stopwords fall back to the letters, then to the
    first language.
    """
    lowered = text.lower()
    counts = Counter(map(_OWNER.get, _WORDS.findall(lowered)))
    counts.pop(None, None)
    top = max(counts.values(), default=0)
    leaders = [language for language in LANGUAGES if counts.get(language, 0) == top]
    if len(leaders) > 1:
        lettered = [lang for lang in leaders if _LETTERS[lang] and any(ch in lowered for ch in _LETTERS[lang])]
        leaders = lettered or leaders
    return cast(Language, leaders[0])
