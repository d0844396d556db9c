"""Articles per second of `extract_text`, side by side with `dateparser.search_dates` over the same texts.

Both run in one process pinned to one core, in interleaved rounds (A B, B A, ...) so that drift in machine load
hits both alike; the median round of each is reported, and the ratio ours / baseline. The pages are
``bench/pages``: long pages (3–8 KB) as a browser saves them, navigation, cookie notes, related links and footers
included, English and German; they are bench data, not part of the scored corpus (``examples/articles``, which
``--articles`` can measure too).

    .venv/bin/python -m bench.extract [--rounds 7] [--articles DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import dateparser.search

from articles.extract import extract_text
from articles.model import ArticleError
from bench.targets import Target, report

PAGES = Path(__file__).resolve().parent / "pages"
TARGET = Target("extract_text on one core", 100.0, "articles/s", at_least=True)


def pin_to_one_core() -> str:
    """One core, as the issue asks; the first one this process may use."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def rate(run: Callable[[str], object], texts: Sequence[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        run(text)
    return len(texts) / (time.perf_counter() - started)


def ours(text: str) -> object:
    return extract_text(text, "bench.txt")


def _readable(text: str) -> bool:
    try:
        ours(text)
    except ArticleError:
        return False
    return True


def baseline(text: str) -> object:
    return dateparser.search.search_dates(text, languages=["en", "de"])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--articles", type=Path, default=PAGES)
    args = parser.parse_args(argv)

    pages = [p.read_text(encoding="utf-8") for p in sorted(args.articles.glob("*.txt"))]
    texts = [text for text in pages if _readable(text)]  # a page without a date stops at once: not a fair sample
    if not texts:
        raise SystemExit(f"no readable *.txt articles under {args.articles}")
    if len(texts) < len(pages):
        print(f"{len(pages) - len(texts)} of {len(pages)} pages left out: no publication date")
    pinning = pin_to_one_core()
    rate(baseline, texts)  # warm its caches and lazy imports; the readability pass above warmed ours on every page

    ours_rates: list[float] = []
    base_rates: list[float] = []
    for round_no in range(args.rounds):
        pair = [(ours, ours_rates), (baseline, base_rates)]
        for run, sink in pair if round_no % 2 == 0 else reversed(pair):
            sink.append(rate(run, texts))

    mine, theirs = statistics.median(ours_rates), statistics.median(base_rates)
    size = statistics.mean(len(t.encode()) for t in texts) / 1024
    print(f"{len(texts)} articles (mean {size:.1f} KB), {args.rounds} interleaved rounds, {pinning}")
    print(f"extract_text:               {mine:8.1f} articles/s (median; min {min(ours_rates):.1f})")
    print(f"dateparser.search_dates:    {theirs:8.1f} articles/s (median; min {min(base_rates):.1f})")
    print(f"ratio extract / dateparser: {mine / theirs:8.2f}x")
    report(TARGET, mine)


if __name__ == "__main__":
    main()
