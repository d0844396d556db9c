"""The example articles are the specification: every field of every commitment and report must match.

Commitments and reports are paired with the expected ones by kind (and, for reports, what they are about) in
order of appearance; ``evidence`` only has to contain the expected excerpt (whitespace collapsed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from articles.extract import extract_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"
CASES = sorted(EXAMPLES.glob("*.txt"))
ARTICLE_FIELDS = ("language", "published", "title")
COMMITMENT_FIELDS = (
    "kind",
    "actors",
    "scope",
    "start",
    "duration_days",
    "end",
    "due",
    "quantity",
    "conditions",
    "status",
)
REPORT_FIELDS = ("kind", "about", "accused", "claimed_by", "date", "quantity")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _label(item: dict[str, Any]) -> str:
    about = f" about {item['about']}" if "about" in item else ""
    return f"{item['kind']}{about} ({_squash(str(item.get('evidence', '')))[:60]!r})"


def _pair(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> tuple[list[Any], list[Any], list[Any]]:
    """Pairs by kind/about in order; returns (pairs, missing, unexpected)."""
    left = list(actual)
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    missing: list[dict[str, Any]] = []
    for want in expected:
        match = next(
            (got for got in left if got["kind"] == want["kind"] and got.get("about") == want.get("about")), None
        )
        if match is None:
            missing.append(want)
        else:
            left.remove(match)
            pairs.append((want, match))
    return pairs, missing, left


def _differences(section: str, fields: tuple[str, ...], expected: list[Any], actual: list[Any]) -> list[str]:
    pairs, missing, unexpected = _pair(expected, actual)
    problems = [f"{section}: missing {_label(item)}" for item in missing]
    problems += [f"{section}: unexpected {_label(item)}" for item in unexpected]
    for want, got in pairs:
        for name in fields:
            if want[name] != got[name]:
                problems.append(f"{section} {_label(want)}: {name} is {got[name]!r}, expected {want[name]!r}")
        if _squash(want["evidence"]) not in _squash(got["evidence"]):
            problems.append(f"{section} {_label(want)}: evidence {got['evidence']!r} lacks {want['evidence']!r}")
    return problems


def test_there_are_enough_examples() -> None:
    assert len(CASES) >= 12
    assert sum(path.name.startswith("de_") for path in CASES) >= 5


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_example_article(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text("utf-8"))
    actual = extract_file(str(path)).to_json()
    problems = [
        f"article: {name} is {actual[name]!r}, expected {expected[name]!r}"
        for name in ARTICLE_FIELDS
        if actual[name] != expected[name]
    ]
    problems += _differences("commitment", COMMITMENT_FIELDS, expected["commitments"], actual["commitments"])
    problems += _differences("report", REPORT_FIELDS, expected["reports"], actual["reports"])
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)
