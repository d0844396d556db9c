"""Extraction time grows linearly with the page, whatever the page holds.

Hypothesis builds hostile pages from runs of what the rules look for — digits, function words ("aus ", "von ",
"of the "), names, quotes, datelines, breadcrumbs — laid out as long sentences, one endless line, many short
lines or many short paragraphs. Each page is timed at two sizes: four times the text may take at most eight
times as long (a quadratic step takes sixteen), and no page may take more than a generous bound per kilobyte.
The pages are generated, never stored; the examples pinned below are the shapes that were quadratic.
"""

from __future__ import annotations

import contextlib
import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.extract import extract_text
from articles.model import ArticleError

SMALL, LARGE = 16_000, 64_000  # characters of body
MAX_GROWTH = 8.0  # linear is 4
MAX_MS_PER_KB = 40.0  # a normal page takes 1-10 ms per KB; a quadratic step at 64 KB takes seconds
NOISE_FLOOR = 0.25  # seconds: below this, ratios are timer noise

HEADS = {
    "en": "Home > News > World\n\nTruce declared in Ukraine\n\n19/04/2025 - 17:40\n\n",
    "de": "Startseite > Politik\n\nWaffenruhe verkündet\n\nStand: 19.04.2025 17:40 Uhr\n\n",
}
OPENING = {
    "en": "Russia and Ukraine agreed a ceasefire for 30 days from Sunday, the Kremlin said.",
    "de": "Russland und die Ukraine vereinbarten ab Sonntag eine Waffenruhe für 30 Tage, sagte der Kreml.",
}
TOKENS = (
    "1", "1 ", "12 ", "1,", "1.", "2025 ", "999999 ", "aus ", "von ", "of the ", "the ", "der ", "and ", "und ",
    '"', '" ', '"a" ', "„a“ ", "“", "”", "'s ", "> ", " - ", "– ", "—", "(", ")", "/ ", "| ", ": ", "; ", ", ",
    "… ", "...", "Putin ", "Russia ", "Ukraine ", "Kyiv ", "Moscow ", "Hamas ", "Israel ", "KYIV ", "(Reuters) ",
    "Free ", "Army ", "Forces ", "ceasefire ", "Waffenruhe ", "truce ", "for ", "days ", "Tage ", "week ",
    "18 March ", "18. März ", "from ", "until ", "bis zum ", "within ", "binnen ", "6 pm ", "18 Uhr ",
    "Moscow time ", "Tuesday ", "Nacht ", "zum ", "prisoners ", "Gefangene ", "hostages ", "said ", "sagte ",
    "accused ", "violated ", "denied ", "withdraw ", "zurück ", "troops ", "halt ", "strikes ", "A. ", "U.S. ",
    "Mr. ", "Stand: ", "Photo: ", "Share ", "Updated ", "x", "a ", "not ",
)  # fmt: skip
LAYOUTS = ("sentences", "lines", "one line", "paragraphs")


def _tag(index: int) -> str:
    """A word unique to each paragraph: repeated paragraphs are read once, which would hide the cost."""
    return "Q" + "".join(chr(97 + (index // 26**k) % 26) for k in range(4))


def page(language: str, layout: str, tokens: list[str], size: int) -> str:
    """A page of ``size`` characters of body made of ``tokens`` cycled in ``layout``."""
    cycle = "".join(tokens)

    def run(length: int) -> str:
        return (cycle * (length // len(cycle) + 1))[:length]

    body: list[str] = []
    total = index = 0
    while total < size:
        if layout == "sentences":
            piece = f"{OPENING[language][:-1]} {_tag(index)} {run(600)}.\n\n"
        elif layout == "lines":
            piece = run(40).strip() + "\n"
        elif layout == "one line":
            piece = run(size) + "\n"
        else:
            piece = f"{_tag(index)} {run(80)}\n\n"
        body.append(piece)
        total += len(piece)
        index += 1
    return HEADS[language] + OPENING[language] + "\n\n" + "".join(body) + OPENING[language] + "\n"


def seconds(text: str, runs: int = 2) -> float:
    """The best of ``runs`` runs in CPU seconds: a busy machine must not make a rule look slow."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        with contextlib.suppress(ArticleError):  # not an article at all is an answer too, and must come as fast
            extract_text(text)
        best = min(best, time.process_time() - started)
    return best


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    language=st.sampled_from(sorted(HEADS)),
    layout=st.sampled_from(LAYOUTS),
    tokens=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=4),
)
# Each name of a page of wire datelines was compared with every other one (entities.find_parties).
@example(language="en", layout="lines", tokens=["KYIV ", "(Reuters) ", " - ", "Russia "])
# Each city of a long page scanned the whole page for "in"/"talks in" before it (lexicon's pre-check).
@example(language="en", layout="sentences", tokens=["Kyiv "])
@example(language="de", layout="sentences", tokens=["aus "])
@example(language="de", layout="one line", tokens=["von "])
@example(language="en", layout="one line", tokens=["1"])
@example(language="en", layout="sentences", tokens=["of the "])
def test_extraction_time_grows_linearly(language: str, layout: str, tokens: list[str]) -> None:
    small_text, large_text = page(language, layout, tokens, SMALL), page(language, layout, tokens, LARGE)
    small, large = seconds(small_text), seconds(large_text)
    if large > NOISE_FLOOR and large / max(small, 1e-3) >= MAX_GROWTH:
        # Near the bound on a loaded machine: measure again, more carefully. A quadratic step stays at ~16.
        small, large = seconds(small_text, runs=5), seconds(large_text, runs=5)
    per_kb = large * 1000 / (len(large_text.encode()) / 1024)
    assert per_kb < MAX_MS_PER_KB, f"{per_kb:.1f} ms per KB"
    if large > NOISE_FLOOR:
        assert large / max(small, 1e-3) < MAX_GROWTH, f"{small:.3f} s for 16 KB, {large:.3f} s for 64 KB"
