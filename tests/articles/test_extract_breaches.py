"""Attacks told as breaches of a truce: who claims them, who is accused, and whether the truce had begun, also when
the story says when it began only later on."""

from __future__ import annotations

from datetime import date

from tests.articles.test_extract_text import article

STAMP = "Stand: 31.10.2025 08:45 Uhr"
TRUCE = "Pakistan und Afghanistan hatten am 19. Oktober in Doha eine Waffenruhe vereinbart."
CLASH = (
    "Die Taliban-Behörden in Kandahar stellten es umgekehrt dar: Der Beschuss sei von pakistanischer Seite ausgegangen."
)


def breaches(*paragraphs: str) -> list[tuple[tuple[str, ...], str | None, date | None]]:
    found = article(STAMP, *paragraphs)
    return [(r.accused, r.claimed_by, r.date) for r in found.reports if r.kind == "violation"]


def test_who_stands_before_the_colon_claims_the_attack_told_after_it() -> None:
    assert breaches(TRUCE, CLASH) == [(("Pakistan",), "Afghanistan", date(2025, 10, 31))]


def test_an_attack_told_before_the_story_dates_the_truce_is_judged_once_it_has() -> None:
    undated = "Pakistan und Afghanistan wollen ihre Waffenruhe fortsetzen, teilten die Vermittler mit."
    later = "Die Waffenruhe war am 19. Oktober in Doha vereinbart worden."
    assert breaches(undated, CLASH, later) == [(("Pakistan",), "Afghanistan", date(2025, 10, 31))]
    # never dated: an attack is no breach of a truce whose start the story never gives
    assert breaches(undated, CLASH) == []


def test_an_attack_by_one_bound_by_no_truce_of_the_story_is_no_breach() -> None:
    found = article(
        "Published 25 June 2025, 18:00 GMT",
        "Israel and Iran agreed to a ceasefire that took effect on Tuesday, after twelve days of war.",
        "Israel said its air force had stopped its operations over Iran; Iran said it would answer any Israeli attack.",
        "Trump compared the US strikes on Fordo and Natanz to the end of the Second World War, Iranian media said.",
    )
    assert [r for r in found.reports if r.kind == "violation"] == []
