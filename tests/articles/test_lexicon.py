"""The substring shortcut of Lexicon must never change what a pattern finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.lexicon import Lexicon
from articles.rules import all_rules

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
SENTENCES = [
    line.strip()
    for path in sorted(EXAMPLES.glob("*.txt"))
    for line in path.read_text("utf-8").splitlines()
    if line.strip()
] + [
    "Die Waffen sollen über das Osterfest schweigen.",
    "Beide Seiten haben die Feuerpause weitgehend eingehalten.",
    "The truce, which took effect at dawn, was honoured by both sides.",
    "Ägypten und Katar vermittelten; die Hamas übergab 3 Geiseln.",
]


def _lexicons() -> list[Lexicon]:
    return [rule.pattern for rule in all_rules()]


@pytest.mark.parametrize("lexicon", _lexicons(), ids=lambda lexicon: lexicon.pattern.pattern[:40])
def test_shortcut_agrees_with_the_plain_pattern(lexicon: Lexicon) -> None:
    for sentence in SENTENCES:
        fast, plain = lexicon.search(sentence), lexicon.pattern.search(sentence)
        assert (fast and fast.span()) == (plain and plain.span()), sentence
