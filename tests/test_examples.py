"""The annotated example articles: every annotation well-formed, and extraction held to measured floors.

The folder is split once (``examples/articles/held-out.list``): rules are tuned on the dev split only, and the
held-out split is scored separately. The floors below are the figures of the last measured run, rounded down;
a change that lowers either split below them fails here, so it has to be a deliberate one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from articles.evaluate import Split, evaluate_folder, held_out
from articles.extract import extract_file
from articles.model import COMMITMENT_KINDS, REPORT_KINDS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"
CASES = sorted(p for p in EXAMPLES.glob("*.txt") if p.with_suffix(".json").is_file())
COMMITMENT_FIELDS = {"kind", "actors", "scope", "start", "end", "duration_days", "due", "quantity", "optional"}
REPORT_FIELDS = {"kind", "about", "accused", "claimed_by", "date", "quantity", "optional"}
STRICT_EXTRA = {"conditions", "status", "evidence"}  # the first examples spell out every field
_NAME = re.compile(r"^(?P<lang>en|de)_[a-z0-9-]+_(?P<day>\d{4}-\d{2}-\d{2})$")


def _gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return data


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_the_corpus_has_its_shape() -> None:
    golds = [_gold(p) for p in CASES]
    assert len(CASES) >= 80
    assert sum(p.name.startswith("de_") for p in CASES) >= 35
    assert sum(p.name.startswith("en_") for p in CASES) >= 35
    assert sum(not g["commitments"] and not g["reports"] for g in golds) >= 15
    apart = held_out(EXAMPLES)
    assert apart <= {p.stem for p in CASES}
    assert len(CASES) // 4 <= len(apart) <= len(CASES) // 2


def _kinds(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_annotation_is_well_formed(path: Path) -> None:
    gold = _gold(path)
    name = _NAME.match(path.stem)
    assert name, f"{path.name}: name is not <lang>_<slug>_<YYYY-MM-DD>"
    assert gold["language"] == name.group("lang")
    assert all(str(day)[:10] == name.group("day") for day in _kinds(gold["published"]))  # a list: any of these
    if "title" in gold:
        titles = gold["title"] if isinstance(gold["title"], list) else [gold["title"]]  # a list: any of these
        page = path.read_text(encoding="utf-8")
        # a headline hyphenated across lines in an e-paper dump is cited joined ("Katzen-\nstreit")
        pages = {_squash(page), _squash(re.sub(r"-[ \t]*\n\s*", "", page)), _squash(re.sub(r"-[ \t]*\n\s*", "-", page))}
        assert any(_squash(title) in text for title in titles for text in pages)
    for item in gold["commitments"]:
        assert set(item) <= COMMITMENT_FIELDS | STRICT_EXTRA, item
        assert all(k in COMMITMENT_KINDS for k in _kinds(item["kind"])), item
    for item in gold["reports"]:
        assert set(item) <= REPORT_FIELDS | STRICT_EXTRA, item
        assert all(k in REPORT_KINDS for k in _kinds(item["kind"])), item
        # null among the alternatives: a report about no tracked commitment is accepted too
        assert all(k in COMMITMENT_KINDS or k is None for k in _kinds(item.get("about", "ceasefire"))), item


@pytest.fixture(scope="module")
def splits() -> dict[str, Split]:
    found = evaluate_folder(EXAMPLES, lambda p: extract_file(str(p)).to_json())
    return {split.name.split("(")[-1].rstrip(")"): split for split in found}


# (commitment F1, commitment field accuracy, report F1, language and date read) each split must keep; pages
# added to the held-out split unseen may hold stamp shapes no rule reads yet. Dev's commitment F1 sits just under
# 0.79 since the fiftieth batch's first-contact pages joined it (December 2026), so its floor is the next step down.
FLOORS = {"dev": (0.78, 0.82, 0.60, 1.0), "held-out": (0.50, 0.60, 0.40, 0.90)}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_scores_keep_their_floor(splits: dict[str, Split], name: str) -> None:
    split = splits[name]
    commitments, reports = split.total("commitments"), split.total("reports")
    f1, fields, report_f1, read = FLOORS[name]
    assert commitments.f1 >= f1
    assert commitments.field_accuracy >= fields
    assert reports.f1 >= report_f1
    assert split.language >= read
    assert split.published >= read


def test_off_topic_articles_give_nothing(splits: dict[str, Split]) -> None:
    bad, total = splits["dev"].off_topic
    assert total >= 8
    assert bad == 0
