"""The command line end to end: contracts of `extract`, `load`, `status`, and what bad input must not do."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.demo import STORY, DemoClock, read_story, replay_start
from app.render import when
from tests.cli.helpers import console, run, write

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


def counts(db: Path) -> dict[str, int]:
    """Row counts straight from SQLite, independent of the code under test."""
    if not db.exists():
        return {}
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "commitments", "commitment_sources", "reports", "conflicts")
        }


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
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path, argv: list[str], needle: str
) -> None:
    assert run(capsys, "load", write(tmp_path, "energy_en.txt", ENERGY_EN))[0] == 0  # `status` reads, never creates
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
    result = console("extract", path, "--json", env=env, cwd=tmp_path)
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


def first_index(seen: list[tuple[datetime, str]], pattern: str) -> int:
    found = [i for i, (_, line) in enumerate(seen) if re.search(pattern, line)]
    assert found, f"no line like {pattern!r} among:\n" + "\n".join(line for _, line in seen)
    return found[0]


# The alerts of the story, by their first line (the bot's own words, not the articles'): the halt's whole life,
# the exchange due and carried out.
HALT_LIFE = (
    r"^🟢 In force from .+: strike halt",
    r"^⏳ Halfway: strike halt",
    r"^⏰ 3 days left: strike halt",
    r"^⏰ 1 day left: strike halt",
    r"^🔚 Lapsed .+: strike halt",
)
EXCHANGE = (r"^📅 Due (today|tomorrow), .+: prisoner exchange", r"^(✅|⚠) Carried out .+: prisoner exchange")
CONFLICT = re.compile(r"^⚠ (?!Overdue:|Carried out )")  # a conflict alert's first line; the other ⚠ are milestones


def test_demo_replays_the_story_the_halt_s_whole_life_the_exchange_and_the_conflicts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    """`make demo`, faster: a clock week per real second, 5 s of it, cover 17 March to 21 April. What must be seen
    is the sequence and the kinds of alerts; the wording of what the extractor found is not checked."""
    database = tmp_path / "data" / "demo.sqlite3"
    argv = ["demo", "--articles", str(EXAMPLES), "--database", str(database), "--speed", "604800", "--duration", "5"]
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")

    chat, _, rest = out.partition("… now the clock runs 7 days per real second for 5 s")
    assert rest, out
    assert "you › /subscribe" in chat
    assert "Subscribed to everything" in chat
    seen = replayed(out)
    headings = [at for at, _ in seen]
    assert headings == sorted(headings), "the clock lines go forward"

    life = [first_index(seen, pattern) for pattern in HALT_LIFE]
    assert life == sorted(life), [seen[i][1] for i in life]
    due, fulfilled = [first_index(seen, pattern) for pattern in EXCHANGE]
    assert life[0] < due <= fulfilled < life[1]
    conflicts = [i for i, (_, line) in enumerate(seen) if CONFLICT.match(line)]
    assert len(conflicts) >= 2, "the 22 of 23 and the violation claims"
    assert life[0] < conflicts[0] < life[1], "claims of strikes during the halt, before it is halfway"
    assert first_index(seen, r"^you › /status$") < conflicts[0], (
        "the user looks at the status on the evening of the call"
    )
    assert "Sent late" not in out
    assert "While the bot was offline" not in out
    # The two loopback feeds, polled on the replay clock: each item once, in publication order, what it became.
    fed = [re.fullmatch(r"📡 feed “(.+)”: “.+” — (.+) \[http://127\.0\.0\.1:\d+/(.+)\]", line) for _, line in seen
           if line.startswith("📡 feed")]  # fmt: skip
    assert [(m.group(1), m.group(2), m.group(3)) for m in fed if m] == [
        ("Mekong Wire", "1 new commitment", "en/alliance-pause"),
        ("Mekong Wire", "1 new commitment", "en/junta-truce"),
        ("Südostasien-Dienst", "1 more source for a tracked one", "de/waffenruhe-junta"),
        ("Südostasien-Dienst", "off-topic, nothing stored", "de/erdbeben-hilfe"),
    ]
    # The last scene, REVIEW_MODE=review: cards for the admin, nothing for the subscriber until confirmed.
    scene = out.split("… and REVIEW_MODE=review", 1)[1]
    assert scene.count("🔎 To review: new commitment") >= 2
    assert "❌ Rejected by You" in scene
    assert "✅ Confirmed by You" in scene
    assert re.search(r"^• .+ · You: confirmed it$", scene, flags=re.MULTILINE)

    saved = dict(re.findall(r"^\[(image|file) saved: (.+)\]$", out, flags=re.MULTILINE))
    assert Path(saved["image"]).name == "timeline.png"
    assert Path(saved["image"]).read_bytes().startswith(b"\x89PNG")
    assert Path(saved["file"]).name == "ceasefire-watch.ics"
    assert Path(saved["file"]).read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")

    summary = out.rstrip("\n").splitlines()[-1]
    match = re.fullmatch(r"(\d+) alerts arrived in 5 s of replay; the replay clock stopped at (.+) UTC", summary)
    assert match, summary
    assert int(match.group(1)) >= len(HALT_LIFE) + len(EXCHANGE) + 2
    assert datetime.strptime(match.group(2), "%a %d %b %Y %H:%M").replace(tzinfo=UTC) >= headings[-1]
    assert (database.parent / "demo.log").stat().st_size > 0, "the bot's log goes to a file, not the terminal"


def test_the_demo_reads_its_fixed_story_whatever_else_the_folder_holds(tmp_path: Path) -> None:
    """examples/articles keeps growing; a new article there, even one about the same call, changes nothing."""
    for name in STORY[1:]:
        shutil.copy(EXAMPLES / name, tmp_path / name)
    (tmp_path / "en_aaa-first_2025-03-17.txt").write_text(ENERGY_EN.replace("18 March", "17 March"), encoding="utf-8")
    out = io.StringIO()
    story = read_story(tmp_path, ZoneInfo("UTC"), out)
    assert {news.name for news in story} == set(STORY[1:])
    assert [news.at for news in story] == sorted(news.at for news in story)
    assert out.getvalue().startswith(f"skipped {tmp_path / STORY[0]}: "), "a missing story file is named, not fatal"
    assert replay_start(story) == datetime(2025, 3, 17, 19, tzinfo=UTC), "the evening before the call"


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
    assert (clock.speed, clock.pace) == (3_600, 3_600)
    assert clock.at(105.0) == datetime(2024, 11, 26, 21, 30, 5, tzinfo=UTC), "a message from before the change"
    assert clock.real_seconds_until(datetime(2024, 11, 27, 1, 30, 10, tzinfo=UTC)) == 2.0
    assert clock.real_seconds_until(datetime(2024, 11, 26, tzinfo=UTC)) == 0.0
    with pytest.raises(ValueError, match="positive"):
        clock.run_at(0)
    clock.run_at(1.0)  # held at real pace: waits are real again, lateness is still judged at the replay's pace
    assert (clock.speed, clock.pace) == (3_600, 1.0)
    assert clock.real_seconds_until(clock.now() + timedelta(seconds=30)) == 30.0


def test_published_dates_a_page_without_a_stamp(capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path) -> None:
    path = write(tmp_path, "undated.txt", NO_DATE.replace("officials said", "Russia and Ukraine said"))
    code, _, err = run(capsys, "extract", path, "--json")
    assert code == 2
    assert "no publication date" in err
    assert '"18.03.2025 - 20:51 Uhr"' in err  # the error names the shapes it looked for
    code, out, err = run(capsys, "extract", path, "--json", "--published", "2025-03-18")
    assert (code, err) == (0, "")
    [article] = json.loads(out)["articles"]
    assert article["published"] == "2025-03-18"
    code, _, err = run(capsys, "load", path, "--published", "2025-03-18T09:00:00+01:00")
    assert (code, err) == (0, "")
    assert counts(db)["articles"] == 1
    code, _, err = run(capsys, "extract", path, "--published", "18 March")
    assert code == 2
    assert "bad --published value" in err


def test_a_stamp_on_the_page_wins_over_published(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "energy_en.txt", ENERGY_EN)
    code, out, _ = run(capsys, "extract", path, "--json", "--published", "2020-01-01")
    assert code == 0
    assert json.loads(out)["articles"][0]["published"] == "2025-03-18T21:40:00+01:00"


def _annotated(folder: Path, name: str, gold: dict[str, Any], text: str = ENERGY_EN) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.json").write_text(json.dumps(gold), encoding="utf-8")


def test_evaluate_prints_misses_and_a_table_and_sets_its_exit_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "annotated"
    halt = {"kind": "strike_halt", "actors": ["Russia"], "start": "2025-03-18", "end": "2025-04-17"}
    _annotated(
        folder,
        "en_halt_2025-03-18",
        {"language": "en", "published": "2025-03-18", "commitments": [halt], "reports": []},
    )
    code, out, _ = run(capsys, "evaluate", str(folder), "--min-f1", "0.9")
    assert code == 0
    assert "annotated" in out
    assert "commit P" in out
    talks = {"kind": "negotiations", "actors": ["Belarus"]}
    gold = {"language": "en", "published": "2025-03-18", "commitments": [halt, talks], "reports": []}
    _annotated(folder, "en_halt_2025-03-18", gold)
    code, out, err = run(capsys, "evaluate", str(folder), "--min-f1", "0.9")
    assert code == 1
    assert "missed negotiations [Belarus]" in out
    assert "below --min-f1 0.90" in err
    code, out, _ = run(capsys, "evaluate", str(folder), "--quiet")
    assert code == 0
    assert "missed" not in out


def test_evaluate_refuses_what_it_cannot_score(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "evaluate", str(tmp_path / "missing"))
    assert code == 2
    assert "not a folder" in err
    _annotated(tmp_path / "broken", "en_x_2025-03-18", {"language": "en"})
    code, _, err = run(capsys, "evaluate", str(tmp_path / "broken"))
    assert code == 2
    assert "needs 'commitments' and 'reports'" in err


def test_status_dates_carry_their_year() -> None:
    """A date thousands of years out (or a year off) must not read like this week's; near ones stay short, as in
    the bot."""
    near = datetime(2025, 3, 22).date()
    msk = timezone(timedelta(hours=3))
    assert when(date(9999, 3, 1), ZoneInfo("UTC"), today=near) == "Mon 1 Mar 9999"
    assert when(datetime(2024, 3, 1, 21, 0, tzinfo=msk), ZoneInfo("UTC"), today=near) == "Fri 1 Mar 2024 18:00"
    assert when(date(2025, 4, 17), ZoneInfo("UTC"), today=near) == "Thu 17 Apr"
