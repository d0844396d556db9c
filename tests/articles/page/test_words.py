"""The page layer's data files: plain lists of text, read by the loader as data (not as cues), months only once."""

from __future__ import annotations

from typing import Any

import pytest

from articles.rules import LANGUAGES, common, data, rules


def entries(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every list entry of a data file with the path of its list."""
    if isinstance(value, dict):
        return [item for key, inner in value.items() for item in entries(inner, f"{path}.{key}")]
    if isinstance(value, list):
        return [(path, entry) for entry in value]
    return []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_text(language: str) -> None:
    # YAML reads a bare on/no/yes as a boolean: such words must be quoted in the file
    for path, entry in entries(data(language, "page")):
        assert isinstance(entry, str), f"{language}/page.yaml{path}: {entry!r} is not text"
        assert entry, f"{language}/page.yaml{path}: an empty entry"
        assert entry == entry.strip(), f"{language}/page.yaml{path}: {entry!r}"


def test_common_entries_are_text() -> None:
    for path, entry in entries(common("page")):
        assert isinstance(entry, str), f"page.yaml{path}: {entry!r} is not text"


@pytest.mark.parametrize("language", LANGUAGES)
def test_months_and_weekdays_come_only_from_the_calendar(language: str) -> None:
    calendar = {str(k).lower() for name in ("months", "weekdays") for k in data(language, "calendar")[name]}
    for path, entry in entries(data(language, "page")):
        assert str(entry).lower() not in calendar, f"{language}/page.yaml{path} repeats {entry!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_words_are_data_not_cues(language: str) -> None:
    assert not {rule.name for rule in rules(language)} & set(data(language, "page"))
