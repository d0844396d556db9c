"""The command line end to end: contracts of `extract`, `load`, `status`, and what bad input must not do."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.demo import DemoClock

ENERGY_EN = """Home > World > Europe

Kremlin pauses strikes on power grid for a month

Published 18 March 2025, 21:40 CET

Share   Save   Listen (3 min)

A substation near Kharkiv after an earlier attack. Photo: AFP

Russia will halt strikes on energy infrastructure for 30 days, the Kremlin said on Tuesday after a call between
the two presidents. Putin ordered the military to stop such attacks immediately.

Related: How the grid war began
Advertisement
Newsletter: Europe this week
"""

ENERGY_DE = """1. Startseite
2. Politik
3. Ausland

Kreml setzt Angriffe auf Energieanlagen für 30 Tage aus

18.03.2025 - 22:05 Uhr aktualisiert   Artikel anhören

Ein beschädigtes Umspannwerk bei Charkiw. Foto: Sergey Bobok/AFP/dpa

Moskau. Russland wird Angriffe auf die Energieinfrastruktur der Ukraine für 30 Tage einstellen, teilte der Kreml
am Dienstag mit. Putin habe das Militär angewiesen, die Angriffe sofort zu stoppen.

Verwandte Themen
Russland
Anzeige
Jetzt Strom vergleichen
"""

NO_DATE = """Home > World

Truce talks stall again

Both sides agreed to a 30-day ceasefire, officials said.
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def counts(db: Path) -> dict[str, int]:
    """Row counts straight from SQLite, independent of the code under test."""
    if not db.exists():
        return {}
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "commitments", "commitment_sources", "reports", "conflicts")
        }


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty SQLite database for the CLI, isolated from any developer `.env` in the checkout."""
    path = tmp_path / "data" / "cli.sqlite3"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "UTC")
    return path


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_extract_json_follows_the_contract_and_loads_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    path = write(tmp_path, "energy_en.txt", ENERGY_EN)
    code, out, err = run(capsys, "extract", path, "--json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    [article] = document["articles"]
    assert article["path"] == path
    assert article["language"] == "en"
    assert article["published"] == "2025-03-18T21:40:00+01:00"
    assert article["title"] == "Kremlin pauses strikes on power grid for a month"
    halt = next(c for c in article["commitments"] if c["kind"] == "strike_halt")
    assert set(halt) == {
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
        "evidence",
    }
    assert halt["actors"] == ["Russia"]
    assert halt["scope"] == "energy infrastructure"
    assert halt["duration_days"] == 30
    assert halt["start"] == "2025-03-18"
    assert halt["end"] == "2025-04-17"
    assert "energy infrastructure" in halt["evidence"]
    assert not db.exists(), "extract must not touch the database"


def test_load_merges_languages_and_is_idempotent(capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path) -> None:
    en = write(tmp_path, "energy_en.txt", ENERGY_EN)
    de = write(tmp_path, "energy_de.txt", ENERGY_DE)

    code, out, err = run(capsys, "load", en, de, "--json")
    assert (code, err) == (0, "")
    first, second = json.loads(out)["loaded"]
    assert first["created"]
    assert not first["merged"]
    assert [m["id"] for m in second["merged"]] == [first["created"][0]["id"]]
    before = counts(db)
    assert before["articles"] == 2
    assert before["commitment_sources"] == before["commitments"] + 1

    code, out, err = run(capsys, "load", en, de)
    assert (code, err) == (0, "")
    assert out.count("nothing changed") == 2
    assert counts(db) == before

    code, out, _ = run(capsys, "status", "--json", "--at", "2025-03-22T12:00:00+00:00")
    assert code == 0
    status = json.loads(out)
    assert status["at"] == "2025-03-22T12:00:00+00:00"
    [halt] = [c for c in status["commitments"] if c["kind"] == "strike_halt"]
    assert halt["state"] == "active"
    assert (halt["days_elapsed"], halt["days_left"]) == (4, 25)
    assert sorted(s["language"] for s in halt["sources"]) == ["de", "en"]
    assert set(halt) >= {
        "id",
        "kind",
        "title",
        "actors",
        "scope",
        "conditions",
        "start",
        "end",
        "due",
        "duration_days",
        "quantity",
        "state",
        "disputed",
        "days_elapsed",
        "days_left",
        "sources",
        "reports",
        "conflicts",
    }


def test_status_table_and_detail_are_readable(capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path) -> None:
    assert run(capsys, "load", write(tmp_path, "energy_en.txt", ENERGY_EN))[0] == 0
    code, out, err = run(capsys, "status", "--at", "2025-03-22T12:00:00+00:00")
    assert (code, err) == (0, "")
    assert "day 5 of 30 · 25 days left · ends Thu 17 Apr" in out
    code, out, _ = run(capsys, "status", "1", "--at", "2025-03-22T12:00:00+00:00")
    assert code == 0
    assert "parties:    Russia" in out
    assert "Kremlin pauses strikes on power grid for a month" in out


BAD_INPUTS: list[tuple[str, str | bytes, str]] = [
    ("empty.txt", "", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("latin1.txt", ENERGY_DE.encode("latin-1"), "UTF-8"),
    ("huge.txt", ENERGY_EN + "x" * (5 * 1024 * 1024 + 10), "too large"),
    ("nodate.txt", NO_DATE, "date"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_file_is_one_line_exit_2_and_the_others_still_load(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path, name: str, content: str | bytes, reason: str
) -> None:
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "energy_en.txt", ENERGY_EN)
    code, out, err = run(capsys, "load", bad, good)
    assert code == 2
    [line] = err.splitlines()
    assert bad in line
    assert reason.lower() in line.lower()
    assert "loaded as article" in out
    rows = counts(db)
    assert rows["articles"] == 1, "only the good file is stored"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles WHERE path = ?", (bad,)).fetchone()[0] == 0


@pytest.mark.parametrize("kind", ["missing", "directory", "unreadable"])
def test_unreadable_paths_are_named(capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path, kind: str) -> None:
    path = tmp_path / kind
    if kind == "directory":
        path.mkdir()
    elif kind == "unreadable":
        if os.geteuid() == 0:
            pytest.skip("root reads files whatever their mode")
        path.write_text(ENERGY_EN, encoding="utf-8")
        path.chmod(0)
    code, _, err = run(capsys, "extract", str(path), "--json")
    assert code == 2
    [line] = err.splitlines()
    assert str(path) in line


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["status", "999"], "unknown commitment id 999"),
        (["status", "abc"], "bad commitment id 'abc'"),
        (["status", "--at", "next tuesday"], "bad --at value 'next tuesday'"),
        (["status", "--at", "2025-13-01"], "bad --at value"),
    ],
)
def test_bad_arguments_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], db: Path, argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    [line] = err.splitlines()
    assert needle in line


def test_bad_setting_is_named(capsys: pytest.CaptureFixture[str], db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Mars/Olympus")
    code, _, err = run(capsys, "status")
    assert code == 2
    assert "DEFAULT_TIMEZONE" in err
    assert "Mars/Olympus" in err


def test_console_script_runs_as_installed(tmp_path: Path) -> None:
    """The real entry point in a subprocess, as a user types it."""
    path = write(tmp_path, "energy_de.txt", ENERGY_DE)
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'sub.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "extract", path, "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    [article] = document["articles"]
    assert article["language"] == "de"
    assert article["published"] == "2025-03-18T22:05:00+01:00"


# --- the demo ------------------------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
CLOCK_LINE = re.compile(r"^── (\w{3} \d{1,2} \w{3} \d{4} \d{2}:\d{2}) UTC \(replay clock\) ──$")


def replayed(out: str) -> list[tuple[datetime, str]]:
    """The replay part of the demo's output as (clock heading, line below it), in printed order."""
    lines = out.split("… now the clock runs", 1)[1].splitlines()[1:]
    heading: datetime | None = None
    seen: list[tuple[datetime, str]] = []
    for line in lines:
        if match := CLOCK_LINE.match(line):
            heading = datetime.strptime(match.group(1), "%a %d %b %Y %H:%M").replace(tzinfo=UTC)
        elif line.strip() and heading is not None:
            seen.append((heading, line))
    return seen


def first_index(seen: list[tuple[datetime, str]], needle: str) -> int:
    return next(i for i, (_, line) in enumerate(seen) if needle in line)


def test_demo_shows_milestones_firing_in_order_and_a_live_conflict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    """The README's first command, fast: a clock week per real second for 6 s covers the Lebanon ceasefire coming
    into force (at once) and reaching halfway (after about 4.3 s), with the scripted violation report in between."""
    database = tmp_path / "data" / "demo.sqlite3"
    argv = ["demo", "--articles", str(EXAMPLES), "--database", str(database), "--speed", "604800", "--duration", "6"]
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")

    chat, _, rest = out.partition("… now the clock runs 7 days per real second for 6 s")
    assert rest, out
    assert "you › /subscribe" in chat
    assert "upcoming — starts Wed 27 Nov 02:00" in chat, "the chat runs at real pace, before the first milestone"
    seen = replayed(out)
    headings = [at for at, _ in seen]
    assert headings == sorted(headings), "the clock lines go forward"

    start = first_index(seen, "Israel, Hezbollah: ceasefire, 60 days: comes into force · Wed 27 Nov")
    halfway = first_index(seen, "Israel, Hezbollah: ceasefire, 60 days: halfway through · Fri 27 Dec")
    [(report, commitment)] = [(i, m.group(1)) for i, (_, line) in enumerate(seen) if (m := REPORT.match(line))]
    logged = first_index(seen, "✅ Report logged.")
    conflict = first_index(seen, f"#{commitment} Israel, Hezbollah: ceasefire, 60 days: new conflict — violation")
    assert start < report < logged < conflict < halfway
    # Under the clock at arrival: never before the milestone (how long after depends on the machine's load).
    assert seen[start][0] >= datetime(2024, 11, 27, 2, tzinfo=UTC)
    assert seen[halfway][0] >= datetime(2024, 12, 27, 2, tzinfo=UTC)
    assert "Sent late" not in out
    assert "While the bot was offline" not in out

    summary = out.rstrip("\n").splitlines()[-1]
    match = re.fullmatch(r"(\d+) alerts arrived in 6 s of replay; the replay clock stopped at (.+) UTC", summary)
    assert match, summary
    assert int(match.group(1)) >= 5  # two halts come into force, the conflict, two halts halfway
    assert datetime.strptime(match.group(2), "%a %d %b %Y %H:%M").replace(tzinfo=UTC) >= headings[-1]
    assert (database.parent / "demo.log").stat().st_size > 0, "the bot's log goes to a file, not the terminal"


REPORT = re.compile(r"^you › /report (\d+) \w+ accuses Israel of a drone strike, in breach of the ceasefire$")


@pytest.mark.parametrize(
    ("option", "needle"),
    [
        (["--speed", "0"], "bad --speed 0"),
        (["--speed", "1e6"], "bad --speed 1e+06"),
        (["--duration", "-1"], "bad --duration -1"),
    ],
)
def test_demo_refuses_bad_pace_and_length(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path, option: list[str], needle: str
) -> None:
    database = tmp_path / "data" / "demo.sqlite3"
    code, out, err = run(capsys, "demo", "--database", str(database), *option)
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert needle in line
    assert not database.exists()


def test_demo_clock_reads_each_real_instant_at_the_pace_it_had_then() -> None:
    real = [100.0]
    clock = DemoClock(datetime(2024, 11, 26, 21, 30, tzinfo=UTC), monotonic=lambda: real[0])
    real[0] = 110.0  # ten real seconds at real pace
    assert clock.now() == datetime(2024, 11, 26, 21, 30, 10, tzinfo=UTC)
    clock.run_at(3_600)
    real[0] = 112.0  # two more real seconds, an hour each
    assert clock.now() == datetime(2024, 11, 26, 23, 30, 10, tzinfo=UTC)
    assert clock.speed == 3_600
    assert clock.at(105.0) == datetime(2024, 11, 26, 21, 30, 5, tzinfo=UTC), "a message from before the change"
    assert clock.real_seconds_until(datetime(2024, 11, 27, 1, 30, 10, tzinfo=UTC)) == 2.0
    assert clock.real_seconds_until(datetime(2024, 11, 26, tzinfo=UTC)) == 0.0
    with pytest.raises(ValueError, match="positive"):
        clock.run_at(0)
