"""`ceasefire-watch edit | merge | retract | history`: the same rules as the bot, one stderr line and exit code 2
for anything refused, with nothing written; REVIEW_MODE=review makes `load` keep what it finds unconfirmed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.helpers import run, write
from tests.cli.test_cli import ENERGY_DE, ENERGY_EN

SWAP = """Home > World > Europe

Russia and Ukraine to swap 175 prisoners each on Wednesday

Published 18 March 2025, 22:10 CET

Share   Save

Russia and Ukraine will exchange 175 prisoners each on Wednesday, the Kremlin said after the call.

Advertisement
"""


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql).fetchall())


def state(db: Path) -> list[list[tuple[object, ...]]]:
    """What an edit could change, read straight from SQLite."""
    return [
        rows(db, 'SELECT id, "end", duration_days, review, version, merged_into_id FROM commitments ORDER BY id'),
        rows(db, "SELECT id, commitment_id, review FROM reports ORDER BY id"),
        rows(db, "SELECT commitment_id, article_id FROM commitment_sources ORDER BY id"),
        rows(db, "SELECT count(*) FROM edits"),
    ]


@pytest.fixture
def loaded(capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path) -> int:
    code, _, err = run(capsys, "load", write(tmp_path, "energy.txt", ENERGY_EN))
    assert (code, err) == (0, "")
    [(halt,)] = rows(db, "SELECT id FROM commitments WHERE kind = 'strike_halt'")
    return int(str(halt))


def test_edit_prints_what_moved_and_history_json_lists_it(
    capsys: pytest.CaptureFixture[str], db: Path, loaded: int
) -> None:
    code, out, err = run(
        capsys, "edit", str(loaded), "--end", "2025-04-16", "--reason", "Kremlin readout", "--by", "Ed"
    )
    assert (code, err) == (0, "")
    assert f"Corrected #{loaded}" in out
    assert "end: Thu 17 Apr → Wed 16 Apr" in out
    assert rows(db, f'SELECT "end", corrected FROM commitments WHERE id = {loaded}') == [
        ("2025-04-16", json.dumps({"end": [1]}))
    ]
    code, out, err = run(capsys, "history", str(loaded), "--json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["review"] == "confirmed"
    [edit] = document["edits"]
    assert {k: edit[k] for k in ("action", "field", "old", "new", "reason", "editor")} == {
        "action": "edit",
        "field": "end",
        "old": "2025-04-17",
        "new": "2025-04-16",
        "reason": "Kremlin readout",
        "editor": "Ed",
    }
    code, out, _ = run(capsys, "history", str(loaded))
    assert code == 0
    assert "Ed: end: Thu 17 Apr → Wed 16 Apr — Kremlin readout" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["edit", "{id}", "--end", "tomorrowish"], "is not a valid end. Write a date like 2025-04-16"),
        (["edit", "{id}", "--duration", "45 days", "--parties", "Narnia"], "Name parties I know"),
        (["edit", "{id}"], "nothing to change"),
        (["edit", "999", "--end", "2025-04-16"], "There is no commitment #999"),
        (["edit", "x1", "--end", "2025-04-16"], "bad commitment id 'x1'"),
        (["merge", "{id}", "{id}"], "cannot be merged into itself"),
        (["merge", "{id}", "999"], "There is no commitment #999"),
        (["retract", "report", "999"], "There is no report #999"),
        (["retract", "{id}", "{id}"], "expected `retract ID` or `retract report N`"),
        (["history", "999"], "There is no commitment #999"),
    ],
)
def test_refusals_are_one_line_exit_2_and_write_nothing(
    capsys: pytest.CaptureFixture[str], db: Path, loaded: int, argv: list[str], needle: str
) -> None:
    before = state(db)
    code, out, err = run(capsys, *(a.replace("{id}", str(loaded)) for a in argv))
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith("ceasefire-watch: error: ")
    assert needle in line
    assert state(db) == before


def test_retract_twice_and_merge(capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path, loaded: int) -> None:
    code, _, err = run(capsys, "load", write(tmp_path, "swap.txt", SWAP))
    assert (code, err) == (0, "")
    [(swap,)] = rows(db, "SELECT id FROM commitments WHERE kind = 'prisoner_exchange'")
    code, out, err = run(capsys, "retract", str(swap), "--reason", "a duplicate", "--by", "Ed")
    assert (code, err) == (0, "")
    assert f"Retracted #{swap}" in out
    before = state(db)
    code, out, err = run(capsys, "retract", str(swap), "--by", "Flo")
    assert (code, out) == (2, "")
    assert f"commitment #{swap} was already retracted by Ed. Nothing was changed." in err
    assert state(db) == before
    code, _, err = run(capsys, "merge", str(swap), str(loaded))
    assert code == 2
    assert f"#{swap} was retracted" in err

    code, _, err = run(capsys, "load", write(tmp_path, "energy-de.txt", ENERGY_DE))
    assert (code, err) == (0, "")


def test_review_mode_load_keeps_new_commitments_unconfirmed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEW_MODE", "review")
    code, _, err = run(capsys, "load", write(tmp_path, "energy.txt", ENERGY_EN))
    assert (code, err) == (0, "")
    assert {review for (review,) in rows(db, "SELECT review FROM commitments")} == {"unconfirmed"}
    code, out, _ = run(capsys, "status", "--at", "2025-03-20T12:00:00+00:00", "--json")
    assert code == 0
    assert {item["review"] for item in json.loads(out)["commitments"]} == {"unconfirmed"}, "marked for the operator"
    monkeypatch.setenv("REVIEW_MODE", "sometimes")
    code, out, err = run(capsys, "status")
    assert (code, out) == (2, "")
    assert "REVIEW_MODE" in err
