"""The language of a one-line test text, for tests that mix English and German lines in one table."""

from __future__ import annotations

from articles.page import detect_language

GERMAN = ("Russland", "russisch", "Moskau", "Kiew", "Selenskyj", "Kreml", "Katar", "Präsident", "Arabien", "Hisbollah")


def lang(text: str) -> str:
    """The language the test text is written in (one- or two-word names say too little for detection)."""
    if any(word in text for word in GERMAN) or any(c in text for c in "äöüß"):
        return "de"
    return detect_language(text)
