"""Scoring against annotations: lenient where the annotation says so, strict everywhere else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from articles.evaluate import Split, evaluate_folder, field_ok, held_out, score_article, summarise
from articles.model import ArticleError


def _got(**overrides: Any) -> dict[str, Any]:
    article: dict[str, Any] = {
        "language": "en",
        "published": "2025-03-18T19:40:00+00:00",
        "title": "Putin agrees to pause strikes",
        "commitments": [],
        "reports": [],
    }
    article.update(overrides)
    return article


def _commitment(kind: str, actors: list[str], **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "actors": actors, **fields}


@pytest.mark.parametrize(
    ("name", "gold", "got", "ok"),
    [
        ("start", "2025-03-18", "2025-03-18T18:00:00+03:00", True),  # dates by day
        ("start", ["2025-03-18", "2025-03-19"], "2025-03-19", True),  # any alternative
        ("start", ["2025-03-18", None], None, True),  # null: leaving it empty is fine
        ("start", "2025-03-18", None, False),
        ("duration_days", [42, 43], 43, True),
        ("duration_days", 30, 31, False),
        ("actors", ["Russia", "Ukraine"], ["Ukraine"], True),  # one bound party is enough
        ("actors", ["Russia"], ["United States"], False),
        ("claimed_by", "Ukraine", "ukraine", True),  # names ignore case
        ("accused", "Russia", ["Russia", "Belarus"], True),
        ("accused", [], [], True),
        ("accused", [], ["Russia"], False),
        ("claimed_by", ["witnesses", None], None, True),  # null among the names: naming none is fine too
        ("claimed_by", ["Russia", None], "Ukraine", False),
        ("claimed_by", ["Russia", "Ukraine"], None, False),
        # an annotation may spell a party as readers do: a capital, an abbreviation, a German name
        ("claimed_by", "Kyiv", "Ukraine", True),
        ("actors", ["BLA", "Pakistan"], ["Baloch Liberation Army"], True),
        ("accused", "Russland", "Russia", True),
        ("actors", ["Kurram tribes"], ["Kurram tribes"], True),  # a name the lists do not know: as written
        ("actors", ["Kyiv"], ["Russia"], False),
    ],
)
def test_field_rules(name: str, gold: Any, got: Any, ok: bool) -> None:
    assert field_ok(name, gold, got) is ok


def test_pairs_by_kind_and_parties_then_scores_fields() -> None:
    gold = {
        "language": "en",
        "published": "2025-03-18",
        "commitments": [
            _commitment("strike_halt", ["Russia"], start="2025-03-18", end="2025-04-17"),
            _commitment("negotiations", ["United States", "Russia"], optional=True),
        ],
        "reports": [{"kind": "violation", "about": "strike_halt", "claimed_by": "Ukraine"}],
    }
    got = _got(
        commitments=[
            _commitment("strike_halt", ["Russia"], start="2025-03-18", end="2025-04-18"),
            _commitment("ceasefire", ["Russia", "Ukraine"]),
        ],
        reports=[],
    )
    score = score_article("a", gold, got)
    assert (score.commitments.found, score.commitments.missed, score.commitments.extra) == (1, 0, 1)
    assert (score.commitments.fields_right, score.commitments.fields_total) == (1, 2)
    assert (score.reports.found, score.reports.missed) == (0, 1)
    assert any("end is '2025-04-18'" in p for p in score.problems)
    assert any("extra ceasefire" in p for p in score.problems)


def test_an_optional_item_found_is_neither_found_nor_extra() -> None:
    gold = {"commitments": [_commitment("negotiations", ["Russia"], optional=True)], "reports": []}
    score = score_article("a", gold, _got(commitments=[_commitment("negotiations", ["Russia"])]))
    assert (score.commitments.found, score.commitments.extra, score.commitments.missed) == (0, 0, 0)


def test_each_item_pairs_with_the_extraction_that_fits_it() -> None:
    """Today's swap is required, last month's optional: neither takes the other's extraction."""
    today = {"kind": "fulfilment", "about": "prisoner_exchange", "date": "2025-02-05", "quantity": 150}
    earlier = {"kind": "fulfilment", "about": "prisoner_exchange", "date": "2024-12-30", "quantity": 189}
    told_twice = {**today, "quantity": 300, "optional": True}  # a second mention an annotator allowed for
    gold = {"commitments": [], "reports": [today, told_twice, {**earlier, "optional": True}]}
    score = score_article("a", gold, _got(reports=[earlier, today]))
    assert (score.reports.found, score.reports.extra) == (1, 0)
    assert [p for p in score.problems if p.startswith("report")] == []


def test_pairing_first_makes_as_many_pairs_as_it_can() -> None:
    """The second truce agrees best with the first extraction, but only the first truce can take it."""
    first = _commitment("ceasefire", ["Israel"], start="2025-01-19")
    second = _commitment("ceasefire", ["Israel", "Hamas"], start="2025-01-19")
    gold = {"commitments": [second, first], "reports": []}
    got = [_commitment("ceasefire", ["Israel"], start="2025-01-19"), _commitment("ceasefire", ["Hamas"])]
    score = score_article("a", gold, _got(commitments=got))
    assert (score.commitments.found, score.commitments.missed, score.commitments.extra) == (2, 0, 0)


def test_a_list_of_titles_accepts_any_of_them() -> None:
    gold: dict[str, Any] = {"title": ["Truce holds", "LIVE Truce holds"], "commitments": [], "reports": []}
    assert score_article("a", gold, {**_got(), "title": "LIVE  truce holds"}).title_ok
    assert not score_article("a", gold, {**_got(), "title": "Truce"}).title_ok


def test_off_topic_output_is_counted() -> None:
    gold: dict[str, Any] = {"language": "en", "published": "2025-03-18", "commitments": [], "reports": []}
    split = Split("x", [score_article("a", gold, _got(commitments=[_commitment("ceasefire", [])]))])
    assert split.off_topic == (1, 1)
    assert split.total("commitments").precision == 0.0


def test_an_unread_page_misses_everything() -> None:
    gold = {"language": "de", "published": "2025-03-18", "commitments": [_commitment("ceasefire", [])], "reports": []}
    score = score_article("a", gold, None, "no publication date")
    assert not score.language_ok
    assert not score.published_ok
    assert score.commitments.missed == 1
    assert score.problems[0] == "not read: no publication date"


def _folder(tmp_path: Path, names: list[str], held: list[str]) -> Path:
    for name in names:
        (tmp_path / f"{name}.txt").write_text("text", encoding="utf-8")
        (tmp_path / f"{name}.json").write_text(
            '{"language": "en", "published": "2025-03-18", "commitments": [{"kind": "ceasefire"}], "reports": []}',
            encoding="utf-8",
        )
    (tmp_path / "held-out.list").write_text("# kept apart\n" + "\n".join(f"{n}.txt" for n in held), encoding="utf-8")
    return tmp_path


def test_a_held_out_list_splits_the_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["a", "b", "c"], ["c"])
    assert held_out(folder) == {"c"}

    def extract(path: Path) -> dict[str, Any]:
        if path.stem == "b":
            raise ArticleError(str(path), "empty file")
        return _got(commitments=[_commitment("ceasefire", [])])

    dev, kept = evaluate_folder(folder, extract)
    assert [a.name for a in dev.articles] == ["a", "b"]
    assert [a.name for a in kept.articles] == ["c"]
    assert dev.total("commitments").recall == 0.5
    table = "\n".join(summarise([dev, kept]))
    assert "(held-out)" in table
    assert "commitment kind" not in table
