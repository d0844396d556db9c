"""Durations and head counts in digits and words, English and German."""

from __future__ import annotations

import pytest

from articles.amounts import duration_days, normalise, quantity
from articles.model import Language


@pytest.mark.parametrize(
    ("text", "lang", "days"),
    [
        ("a ceasefire for 30 days", "en", 30),
        ("a 30-day halt", "en", 30),
        ("a three-day truce", "en", 3),
        ("a week-long ceasefire", "en", 7),
        ("the first phase will last six weeks", "en", 42),
        ("hostilities cease for 72 hours", "en", 3),
        ("troops withdraw within sixty days", "en", 60),
        ("for at least 30 days", "en", 30),
        ("eine Waffenruhe für 30 Tage", "de", 30),
        ("die 30-tägige Waffenruhe", "de", 30),
        ("eine dreitägige Feuerpause", "de", 3),
        ("für dreißig Tage", "de", 30),
        ("die Phase soll sechs Wochen dauern", "de", 42),
        ("binnen sechzig Tagen", "de", 60),
        ("eine einhundertzwanzigtägige Frist", "de", 120),
        # lengths without a number
        ("the truce will last a fortnight", "en", 14),
        ("a fortnight-long pause in the fighting", "en", 14),
        ("a ceasefire for half a year", "en", 180),
        ("eine halbjährige Waffenruhe", "de", 180),
        ("eine Waffenruhe für ein halbes Jahr", "de", 180),
    ],
)
def test_durations(text: str, lang: Language, days: int) -> None:
    assert duration_days(normalise(text, lang), lang) == days


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the truce takes effect 48 hours after signing", "en"),
        ("the pause was extended by two more days", "en"),
        ("nach einem mehr als zweistündigen Telefonat", "de"),
        ("a 30-hour Easter truce", "en"),
        ("die Waffenruhe wurde um zwei Tage verlängert", "de"),
        ("die vor knapp zwei Wochen vereinbarte Waffenruhe", "de"),  # how long ago, not how long
    ],
)
def test_offsets_extensions_and_odd_hours_are_no_duration(text: str, lang: Language) -> None:
    assert duration_days(normalise(text, lang), lang) is None


def test_an_offset_does_not_hide_the_real_duration() -> None:
    text = "after a call lasting over two hours, he ordered a halt for 30 days"
    assert duration_days(normalise(text, "en")) == 30


@pytest.mark.parametrize(
    ("text", "lang", "count"),
    [
        ("will exchange 175 prisoners of war each", "en", 175),
        ("agreed to swap 1,000 prisoners each", "en", 1000),
        ("a 1,000 for 1,000 exchange", "en", 1000),
        ("hand over 23 severely wounded Ukrainian soldiers", "en", 23),
        ("Hamas releases ten Israeli hostages each day", "en", 10),
        ("Venezuela released seven jailed U.S. citizens on Saturday", "en", 7),  # an abbreviation is one word
        ("the fighting lasted 3 days. Soldiers were killed", "en", None),  # a stop ends the counted words
        ("jeweils 175 Kriegsgefangene austauschen", "de", 175),
        ("23 schwer verwundete ukrainische Soldaten übergeben", "de", 23),
        ("dreiunddreißig Geiseln freilassen", "de", 33),
        ("1.000 Gefangene", "de", 1000),
        ("+++ 09:25 Hamas übergibt drei Geiseln +++", "de", 3),
        ("at 14:05 Israel freed 183 prisoners", "en", 183),
        # a number of stages before the number of people counts nobody
        ("solle die Hamas in zwei Etappen zehn lebende Geiseln freilassen", "de", 10),
        ("Hamas would free ten living hostages in two stages", "en", 10),
        ("in two stages, ten living hostages would be freed", "en", 10),
        ("M23 rebels handed over 12 captured soldiers", "en", 12),
        ("the four men were handed over at the Hakari bridge", "en", 4),
        ("Die Hamas lässt drei israelische Männer frei", "de", 3),
        # the count given per side after the act
        ("haben Kriegsgefangene ausgetauscht, je 205 auf beiden Seiten", "de", 205),
        ("the sides swapped prisoners of war, 205 on each side", "en", 205),
        # a number standing for people named before it, as the subject of what befalls them
        ("he had said that the seven would be set free on Monday", "en", 7),
        ("die sieben sollten am Montag freikommen", "de", 7),
        ("the 30 days of the truce", "en", None),
        # a count that is only a floor counts no one exactly
        ("The Houthis released more than a hundred people on Sunday", "en", None),
        ("Die Junta ließ mehr als 200 Häftlinge frei", "de", None),
        # people counted by who they are, or by the dozen
        ("Hamas freed three Israelis on Friday", "en", 3),
        # two groups joined: the people of one act
        ("Hamas freed three Israelis and five Thais", "en", 8),
        ("those released today were 270 servicemen and 120 civilians", "en", 390),
        ("freigelassen wurden 270 Soldaten und 120 Zivilisten", "de", 390),
        ("The ELN freed five soldiers and a police officer", "en", 6),  # one more, told without a number
        ("Die ELN hat fünf Soldaten und einen Polizisten freigelassen", "de", 6),
        ("Serbia freed the three police officers on Monday", "en", 3),
        # someone named, freed with a count of others: one more than the count
        ("Sisi pardoned the activist on Monday along with five other prisoners", "en", 6),
        ("Sisi hatte ihn am Montag begnadigt, gemeinsam mit fünf weiteren Gefangenen", "de", 6),
        ("Minsk freed Tsikhanouski and 13 other prisoners", "en", 14),
        ("Hamas freed five other hostages on Saturday", "en", 5),  # nobody named before them
        ("Russia returned 49 Ukrainian defenders", "en", 49),
        ("the release of a dozen hostages", "en", 12),
        ("zwei Dutzend Gefangene kamen frei", "de", 24),
        # a running total counts no one act; the act's own count beside it does
        ("With today's return, 3,956 Ukrainians have been freed from captivity", "en", None),
        ("189 defenders came home today, bringing the number freed so far to 3,956", "en", 189),
        ("Mit dem heutigen Austausch sind 3956 Ukrainer befreit worden", "de", None),
        # a year between a singular article and a participle dates someone; after "die" it is a count
        ("die Überreste des 2014 getöteten israelischen Soldaten übergeben", "de", None),
        ("die 2000 gefangenen Soldaten kamen frei", "de", 2000),
    ],
)
def test_head_counts(text: str, lang: Language, count: int | None) -> None:
    assert quantity(normalise(text, lang), lang) == count


@pytest.mark.parametrize(
    "text",
    [
        "several hundred Palestinian prisoners",
        "mehrere hundert Häftlinge",
        "in 2 minutes",
        "Day 16",
        "exchanged hundreds of captured soldiers",
        "tens of thousands of people",
        "Hunderte Gefangene",
        # the digits of a name count nobody
        "seit dem Absturz der Il-76 wieder Gefangene",
        "M23 fighters took the town",
    ],
)
def test_vague_or_unrelated_numbers_are_no_head_count(text: str) -> None:
    lang: Language = "de" if any(w in text for w in ("Häftlinge", "Gefangene")) else "en"
    assert quantity(normalise(text, lang), lang) is None


def test_normalise_never_raises_on_odd_text() -> None:
    for text in ["", "—", "one one one", "drei-", "zwei und und", "\u200b\u200b"]:
        normalise(text, "en")
        normalise(text, "de")


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The two countries last exchanged prisoners on 8 May."),
        ("de", "Die beiden Länder tauschten zuletzt am 8. Mai Gefangene aus."),
        ("de", "Die 20 Jahre alte Soldatin wurde an das Rote Kreuz übergeben."),
    ],
)
def test_a_number_that_counts_other_things_is_no_head_count(language: Language, sentence: str) -> None:
    assert quantity(normalise(sentence, language), language) is None
