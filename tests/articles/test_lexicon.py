"""Lexicon's shortcuts — the stems every match must contain, the lookahead on its first characters — must never
change what a pattern finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from articles.lexicon import Lexicon, guard, required_stems
from articles.rules import all_rules

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
LINES = [
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
def test_the_shortcuts_find_what_the_plain_pattern_finds(lexicon: Lexicon) -> None:
    for line in LINES:
        assert [m.span() for m in lexicon.finditer(line)] == [m.span() for m in lexicon.pattern.finditer(line)], line


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?:the\s+)?night", ["night"]),  # an optional group is skipped, the literal after it is required
        (r"\b(?:is\s+(?:still\s+)?holding|has\s+held)\b", ["holding", "held"]),  # the rarer literal of each
        (r"\w*waffenruhe", ["waffenruhe"]),
        (r"\d+\s+for\s+\d+", ["for"]),
        (r"(?:he|she)\s+(?:said|added)", ["said", "added"]),  # the group whose shortest word is longest
        (r"pauses?|u\.s\.", ["pause", "u.s."]),
        (r"(?:[A-Z]\w+\s+){1,5}Army", ["army"]),
        (r"a|b", None),
        (r"(?:x|yz)+", None),
        (r"\x41bc|ab", None),  # an escape not read here proves nothing after it
    ],
)
def test_required_stems(pattern: str, expected: list[str] | None) -> None:
    assert required_stems(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b(?:said|told)\b", "(?=[st])"),
        (r"(?<!to )(?:the\s+)?night", "(?=[nt])"),
        (r"\d+\s+days|[A-Z]\w+ Army", r"(?=[\d]|[A-Z])"),
        (r"\s*-?\s*war", r"(?=[\-\sw])"),
        (r"(?-i:GMT)|utc", "(?=[Gu])"),  # a group that only narrows its flags is read as it is
        (r"a?", None),  # may match nothing
        (r".x", None),
        (r"(?i:a)b", None),  # widens its flags
    ],
)
def test_guard(pattern: str, expected: str | None) -> None:
    assert guard(pattern) == expected


def test_guard_folds_case_like_the_pattern() -> None:
    """Under IGNORECASE a class of first letters matches exactly what the letters do ('ſ' is an 's')."""
    text = "".join(chr(c) for c in range(0x2200))
    for letters in ("said", "Kelvin", "stand"):
        pattern = re.compile("|".join(letters), re.IGNORECASE)
        lead = guard("|".join(letters))
        assert lead is not None
        assert re.findall(lead + ".", text, re.IGNORECASE + re.DOTALL) == pattern.findall(text)


def test_a_lexicon_compiled_after_a_text_was_looked_up_still_finds_its_words() -> None:
    """The stem index remembers which stems a text holds; a later word list brings stems the answer never knew."""
    text = "The quokkas of Rottnest were released on Tuesday."
    assert Lexicon(r"released").search(text) is not None  # the text's stems are remembered now
    late = Lexicon(r"quokkas?\s+of\s+rottnest")  # stems no lexicon had before
    match = late.search(text)
    assert match is not None
    assert match.group(0) == "quokkas of Rottnest"
    assert Lexicon(r"wallab(?:y|ies)").search(text) is None


def test_windows_and_whole_texts_agree() -> None:
    """A window of the text is tested on its own; the whole text through the index: the same answers."""
    lexicon = Lexicon(r"\b(?:truce|ceasefire)\b")
    text = "After the truce collapsed, both sides shelled the town."
    assert lexicon.search(text) is not None
    assert lexicon.search(text, 0, 8) is None
    assert lexicon.search(text, 8, 20) is not None
    assert lexicon.search(text, 15) is None


def test_a_window_that_starts_before_the_text_starts_at_its_start_as_in_re() -> None:
    lexicon = Lexicon(r"\btruce\b")
    text = "After the truce collapsed, both sides shelled the town."
    found, expected = lexicon.search(text, -30, 20), re.compile(r"\btruce\b", re.IGNORECASE).search(text, -30, 20)
    assert found is not None
    assert expected is not None
    assert found.span() == expected.span()
