"""The page layer runs in linear time: no pattern backtracks on long lines, nothing rebuilds a growing string.

The texts are generated to be hostile: dense with dates, clock times, stamp words, bylines, brackets, dots and
capitals, as a single line of a megabyte and as five megabytes of mixed lines. The bounds are generous (a second
per megabyte is the design aim; a catastrophic pattern takes minutes).
"""

from __future__ import annotations

import random
import time
from datetime import date

import pytest

from articles.model import ArticleError
from articles.page import parse_page

TOKENS = (
    "Published", "Updated", "18.03.2025", "-", "20:51", "Uhr", "aktualisiert", "Artikel", "anhören", "By", "Jane",
    "Doe", "and", "with", "AP,", "AFP", "(dpa)", "Photo:", "Reuters", "the", "truce", "said.", "Stand:", "3", "May",
    "2025", "12:00", "GMT+3", "Foto:", "dpa/AP", "KYIV", "(Reuters)", "—", "UkraineRussland", "1.", "2.",
    "Startseite", ">", "|", "·", "a.m.", "p.m.", "EDT,", "Wed", "Jan.", "9,", "2025-03-18T20:51:00+01:00", "((((",
    "))))", "....", "Mr.", "Dr.", "z.", "B.", "U.S.", "©", "Anzeige", "Cookie", "newsletter", "ÄÖÜ", "date",
    "KHARTOUM,", "May", "20", "-", "Samstag,", "10.", "Oktober", "2020", "23.", "99.99.99", "\u00a0", "  ",
)  # fmt: skip

LINES = (
    "Home > World > Europe",
    "Share   Save   Print",
    "Anzeige",
    "Smoke rises over Gaza. Photo: AFP",
    "(dpa/afp/rtr)",
    "Mehr zum Thema",
    "1. Startseite",
    "Russia and Ukraine agreed on a truce on Tuesday, the Kremlin said.",
    "KYIV (Reuters) - Russia said on 18 March 2025 that it would halt strikes.",
    "The talks lasted long. 18.03.2025 - 20:51 Uhr aktualisiert Artikel anhören",
    "date 2025-03-18 Since the envoys met, they talked twice. (archive picture) Bild: dpa",
    "Tue 10 Nov 2020 · Last updated 11:58 GMT",
    "The truce will hold until",
    "midnight on Sunday, the ministry said.",
    "",
    "",
)


def words(size: int, rng: random.Random) -> str:
    out: list[str] = []
    total = 0
    while total < size:
        token = rng.choice(TOKENS)
        out.append(token)
        total += len(token) + 1
    return " ".join(out)


def mixed(size: int, rng: random.Random) -> str:
    out: list[str] = []
    total = 0
    while total < size:
        roll = rng.random()
        line = rng.choice(LINES) if roll < 0.6 else words(rng.randint(20, 600 if roll < 0.9 else 20_000), rng)
        out.append(line)
        total += len(line) + 1
    return "\n".join(out)


def timed(text: str) -> float:
    """CPU seconds to parse the text and split its sentences (a page left without story text counts too); CPU
    time, not wall time, so other work on a busy machine does not count."""
    start = time.process_time()
    try:
        page = parse_page(text, published=date(2025, 5, 3))
        sum(1 for _ in page.sentences())
    except ArticleError:
        pass
    return time.process_time() - start


def test_one_megabyte_single_line() -> None:
    assert timed(words(1_000_000, random.Random(1))) < 2.0


def test_five_megabytes_of_mixed_lines() -> None:
    assert timed(mixed(5_000_000, random.Random(2))) < 10.0


@pytest.mark.parametrize("unit", [*" .-:(/|,1A!…'", "a. ", "1. ", "Mr. ", "(dpa) ", "3 May 2025 ", "By A ", "Aa",
                                  "99.99.", "Published ", "1. A\n"])  # fmt: skip
def test_long_runs_of_one_shape(unit: str) -> None:
    text = "Published 3 May 2025\n\nThe truce holds, they said. " + unit * (1_000_000 // len(unit)) + "\n"
    assert timed(text) < 5.0  # a pattern that backtracks takes minutes here


def test_a_page_of_five_kilobytes_takes_milliseconds() -> None:
    text = "Truce holds\n\nPublished 3 May 2025, 09:10 CEST\n\n" + mixed(5_000, random.Random(3))
    parse_page(text)
    start = time.process_time()
    for _ in range(20):
        parse_page(text)
    assert (time.process_time() - start) / 20 < 0.02
