"""What a careless or hostile user types on the command line gets one stderr line and exit 2, never a traceback;
`status` says which database it read and refuses one that is not there instead of creating it."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import UsageError, main, parse_at, parse_id
from app.settings import Settings
from tests.cli.helpers import write
from tests.cli.test_cli import ENERGY_EN

UTC_SETTINGS = Settings(default_timezone="UTC", _env_file=None)  # type: ignore[call-arg]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def loaded(tmp_path: Path, db: Path) -> Path:
    """A database holding one article, for the CLI of this test."""
    assert run("load", write(tmp_path, "energy_en.txt", ENERGY_EN))[0] == 0
    return db


HOSTILE = [
    (["status", "³"], "bad commitment id '³'"),  # str.isdigit() says yes, int() says no
    (["status", "٣"], "bad commitment id"),  # an Arabic-Indic three: int() would read it as 3
    (["status", "#0"], "bad commitment id"),
    (["status", "99999999999999999999"], "unknown commitment id"),  # past SQLite's 64-bit integers
    (["status", "9" * 5000], "unknown commitment id"),  # past int()'s 4,300-digit limit
    (["status", "--at", "9999-12-31T23:59:59-23:59"], "bad --at value"),  # no UTC equivalent: OverflowError
    (["status", "--at", "0001-01-01T00:00:00+14:00"], "bad --at value"),
    (["status", "1", "--at", "9999-12-31T23:59:59-23:59", "--json"], "bad --at value"),
    (["run", "--replay-from", "9999-12-31T23:59:59-23:59", "--speed", "2"], "bad --replay-from value"),
    (["chat", "--replay-from", "0001-01-01T00:00:00+01:00"], "bad --replay-from value"),
]


@pytest.mark.parametrize(("argv", "needle"), HOSTILE, ids=[" ".join(a)[:40] for a, _ in HOSTILE])
def test_hostile_arguments_are_one_line_and_exit_2(loaded: Path, argv: list[str], needle: str) -> None:
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert needle in line
    assert len(line) < 300, "a 5,000-digit argument is shown shortened"


def test_the_far_future_is_a_valid_instant_to_ask_about(loaded: Path) -> None:
    code, out, err = run("status", "--at", "9999-12-30T00:00:00+00:00")
    assert (code, err) == (0, "")
    assert "lapsed" in out


def test_status_names_the_database_it_read(loaded: Path) -> None:
    code, out, _ = run("status", "--at", "2025-03-22T12:00:00+00:00")
    assert code == 0
    assert out.splitlines()[0] == f"database: {loaded}"
    code, out, _ = run("status", "1", "--json", "--at", "2025-03-22T12:00:00+00:00")
    assert code == 0
    assert out.startswith("{"), "JSON stays JSON"


def test_status_from_another_folder_refuses_instead_of_creating_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("DATABASE_URL", raising=False)  # the default: data/ceasefire-watch.sqlite3, relative
    monkeypatch.setenv("DEFAULT_TIMEZONE", "UTC")
    code, out, err = run("status")
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert f"no database at {elsewhere / 'data' / 'ceasefire-watch.sqlite3'}" in line
    assert list(elsewhere.iterdir()) == [], "nothing was created"


@given(st.text(max_size=30) | st.from_regex(r"#?[0-9٠-٩¹²³]{1,30}", fullmatch=True))
def test_parse_id_answers_a_number_or_a_usage_error(text: str) -> None:
    try:
        value = parse_id(text)
    except UsageError as error:
        refusal = str(error)
    else:
        refusal = ""
    if refusal:
        assert "\n" not in refusal, "one line, whatever was typed"
        return
    assert value is not None
    assert 0 < value < 2**62
    assert str(value) == text.strip().removeprefix("#").lstrip("0")


@given(
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())
    | st.text(max_size=40)
    | st.builds(
        lambda y, h: f"{y:04d}-12-31T23:59:59{h}",
        st.sampled_from([1, 2, 9998, 9999]),
        st.sampled_from(["-23:59", "+23:59", "+00:00", ""]),
    )
)
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_parse_at_answers_an_instant_or_a_usage_error(text: str) -> None:
    try:
        value = parse_at(text, UTC_SETTINGS)
    except UsageError:
        return
    assert value.tzinfo is not None
    value.timestamp()  # comparable with every other instant: no OverflowError left for later
