"""History and context against news: which sentences tell what was, not what is promised now.

A sentence of the past ("the two last spoke on ...", "the grain deal collapsed in July 2023") commits nobody, however
many promise words it holds; the cues come from ``resources/<lang>/frames.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from articles.rules import RuleSet, rules

__all__ = ["is_background"]

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_CLAUSE = 100  # characters before a past time where the clause that dates a noun may begin


def is_background(text: str, year: int, language: str, recent: Callable[[str], bool] | None = None) -> bool:
    """History and context ("the two last spoke on ...", "a few days ago Ukraine agreed ...") commit nobody.

    A year before the publication's makes a sentence background unless it points ahead: "the truce agreed in
    December 2024 will end on 10 January" still states a commitment. ``recent`` tells whether a sentence dates
    what it reports within the last weeks ("at their meeting on 2 June they had agreed ...": still news).
    """
    cues = rules(language)
    for match in cues.cue("background").finditer(text):
        if cues.cue("reported_past").match(match.group(0)) and (
            cues.cue("speech").search(text, 0, match.start())
            or cues.cue("recent_day").search(text)
            or (recent is not None and recent(text))
        ):
            continue  # "X said the two sides had agreed", "hatte am Montagabend verkündet": news, not history
        if cues.cue("reported_past").match(match.group(0)) and cues.cue("in_force_now").search(text):
            continue  # "Kongo und Ruanda hatten sie vereinbart; sie gilt seit dem 4. August": the truce of today
        if _perfect_news(text, match, cues):
            continue
        if match.start() > 0 and cues.cue("relative_lead").search(text, max(0, match.start() - _CLAUSE), match.start()):
            # "withdraw from Uvira, the city that it seized last week", "the nine people abducted from a parish in
            # the South West more than five weeks ago have been released": the clause dates the city, the people
            continue
        if _dated_saying(text, match, cues):
            continue
        return True
    counted = cues.cue("counted_people")
    all_years = [m for m in _YEAR.finditer(text) if not counted.match(text, m.end())]  # "2000 Gefangene": a count
    years = [m for m in all_years if int(m.group(0)) < year]
    if not years:
        return False
    if any(int(m.group(0)) >= year for m in all_years) and cues.cue("year_span").search(text):
        return False  # "a final mandate from 16 July 2023 to 15 July 2024": a span that reaches the page's year
    deals = [m.span() for m in cues.cue("dated_deal").finditer(text)]  # "signed the 2015 Algiers accord": that year's
    named = [
        m.span()  # "the 1994 genocide" dates nothing
        for m in cues.cue("attributive_year").finditer(text)
        if not any(a <= m.start() < b for a, b in deals)
    ]
    earlier = next((m for m in years if not any(a <= m.start() < b for a, b in named)), None)
    if earlier is None or cues.cue("in_force_now").search(text):
        return False  # "Die Waffenruhe gilt seit dem 27. November 2024": a truce of a past year, in force today
    if cues.cue("recent_day").search(text, 0, earlier.start()):
        return False  # "released 153 on Saturday, the largest since the swap of April 2023": a comparison's year
    return cues.cue("modal_future").search(text) is None


def _dated_saying(text: str, match: re.Match[str], cues: RuleSet) -> bool:
    """A past time that dates the saying of a promise still ahead ("had said last week that the seven would be
    set free") leaves the promise news."""
    saying = next((m for m in cues.cue("speech_dated").finditer(text) if m.start() <= match.start() < m.end()), None)
    return saying is not None and cues.cue("modal_future").search(text, saying.end()) is not None


def _perfect_news(text: str, match: re.Match[str], cues: RuleSet) -> bool:
    """A finished time beside a present perfect agreement is another clause's, in a language whose perfect takes
    no such time (English; German's does)."""
    if not cues.data["perfect_is_present"]:
        return False
    return bool(cues.cue("definite_past").fullmatch(match.group(0)) and cues.cue("news_perfect").search(text))
