"""The story text of a page: its language, lines mended into paragraphs, and sentences that do not split at
abbreviations, ordinals or dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from articles.page import Page, detect_language, parse_page
from articles.page.dates import is_clock_line
from articles.page.story import pieces
from tests.articles.page.build import make_page, utc_offset
from tests.articles.stories import DE_STORY, EN_STORY

# --- language ---------------------------------------------------------------------------------------------------


def test_language_english() -> None:
    assert parse_page(make_page("03/05/2025 - 09:10", EN_STORY)).language == "en"


def test_language_german() -> None:
    assert parse_page(make_page("03/05/2025 - 09:10", DE_STORY)).language == "de"


def test_language_english_with_german_names() -> None:
    story = "Officials in Kiew and Moskau said the Waffenruhe would hold, according to a statement from Berlin.\n"
    assert parse_page(make_page("date 2025-03-18", story)).language == "en"


def test_language_ignores_boilerplate() -> None:
    noise = "Verwandte Themen\nRussland und die Ukraine\nMehr zum Thema\nDas könnte Sie auch interessieren\n"
    assert parse_page(make_page("date 2025-03-18", EN_STORY + noise)).language == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Russia broke the truce overnight, Kyiv says", "en"),
        ("Russland hat die Waffenruhe in der Nacht gebrochen, sagt Kiew", "de"),
        ("Kiew", "en"),
        ("Grüße", "de"),
        ("", "en"),
    ],
)
def test_detect_language_on_free_text(text: str, language: str) -> None:
    assert detect_language(text) == language


# --- odd line breaks ----------------------------------------------------------------------------------------------


def test_broken_lines_inside_a_paragraph_are_joined() -> None:
    story = (
        "Kremlin spokesman Dmitry\nPeskov said the pause would begin at midnight and\nlast for three days.\n\n"
        "The truce will hold until\n\nmidnight on Sunday, the ministry said.\n"
    )
    assert parse_page(make_page("date 2025-03-18", story)).paragraphs == (
        "Kremlin spokesman Dmitry Peskov said the pause would begin at midnight and last for three days.",
        "The truce will hold until midnight on Sunday, the ministry said.",
    )


def test_hyphenated_words_are_mended() -> None:
    de = "Die Waffen-\nruhe soll dreißig Tage gelten, sagte ein Sprecher des Kreml in Moskau.\n"
    en = "Both sides want a long-\nterm arrangement for the ports, the mediators said.\n"
    assert parse_page(make_page("date 2025-03-18", de)).paragraphs[0].startswith("Die Waffenruhe soll")
    assert "a long-term arrangement" in parse_page(make_page("date 2025-03-18", en)).paragraphs[0]


def test_separate_paragraphs_stay_separate() -> None:
    story = "The first paragraph ends here.\nThe second paragraph follows directly.\n"
    assert parse_page(make_page("date 2025-03-18", story)).paragraphs == (
        "The first paragraph ends here.",
        "The second paragraph follows directly.",
    )


def test_crlf_nbsp_and_bom_are_normalised() -> None:
    text = "\ufeff" + make_page("Published\u00a03 May 2025, 09:10 CEST").replace("\n", "\r\n")
    page = parse_page(text)
    assert page.published == datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(2))
    assert page.paragraphs[1] == "Both sides said they would keep to the terms of the original deal."


def test_duplicate_paragraph_kept_once() -> None:
    story = EN_STORY + "\nBoth sides said they would keep to the terms of the original deal.\n"
    assert len(parse_page(make_page("date 2025-03-18", story)).paragraphs) == 2


# --- sentences ----------------------------------------------------------------------------------------------------


def sentences(paragraph: str, language: str = "en") -> list[str]:
    page = Page(title="t", published=date(2025, 1, 1), language="de" if language == "de" else "en",
                paragraphs=(paragraph,))  # fmt: skip
    return list(page.sentences())


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Mr. Witkoff met Dr. Dmitriev in Riyadh on Monday.", "en"),
        ("The U.S. Defense Department welcomed the deal.", "en"),
        ("Talks begin at 10 a.m. local time on Monday.", "en"),
        ("The pause ends at 11 p.m. Moscow time on Sunday.", "en"),
        ("Gen. Gerasimov signed the order in St. Petersburg.", "en"),
        ("Die Waffenruhe soll am 3. Mai beginnen.", "de"),
        ("Das gilt z. B. für Kraftwerke und Umspannwerke.", "de"),
        ("Die Frist läuft am 18.03.2025 ab.", "de"),
        ("Am 24. Februar 2022 begann der Krieg.", "de"),
        ("Er erinnerte an das Ende des 2. Weltkriegs.", "de"),
        ("Dafür sind rund 20 Mio. Euro vorgesehen.", "de"),
        ("Die Resolution Nr. 2334 wurde zitiert.", "de"),
        ("Prof. Müller bzw. Dr. Schmidt äußerten sich.", "de"),
    ],
)
def test_sentence_does_not_split(text: str, language: str) -> None:
    assert sentences(text, language) == [text]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "The truce started at 4 a.m. The army confirmed it.",
            "en",
            ["The truce started at 4 a.m.", "The army confirmed it."],
        ),
        (
            "The toll rose to 23. Officials said more were missing.",
            "en",
            ["The toll rose to 23.", "Officials said more were missing."],
        ),
        (
            "Die Zahl stieg auf 23. Das Ministerium bestätigte das.",
            "de",
            ["Die Zahl stieg auf 23.", "Das Ministerium bestätigte das."],
        ),
        (
            "„Wir halten uns daran“, sagte Peskow. Kiew widersprach.",
            "de",
            ["„Wir halten uns daran“, sagte Peskow.", "Kiew widersprach."],
        ),
        (
            'He said: "We will stop firing." Kyiv disagreed.',
            "en",
            ['He said: "We will stop firing."', "Kyiv disagreed."],
        ),
        ("Will it hold? Nobody knows. Wait!", "en", ["Will it hold?", "Nobody knows.", "Wait!"]),
        (
            "Sanctions were imposed by the U.S. The Kremlin objected.",
            "en",
            ["Sanctions were imposed by the U.S.", "The Kremlin objected."],
        ),
        ("He said no. The talks ended.", "en", ["He said no.", "The talks ended."]),
        ("The talks ended in 2025. A new round followed.", "en", ["The talks ended in 2025.", "A new round followed."]),
        # a list the scrape ran into one paragraph: each item is a sentence; a dash inside a sentence is none
        (
            "The main points: – the decree is partly suspended; – elsewhere the truce continues; • talks go on.",
            "en",
            ["The main points:", "the decree is partly suspended;", "elsewhere the truce continues;", "talks go on."],
        ),
        ("Die Männer – alle Soldaten – sind frei.", "de", ["Die Männer – alle Soldaten – sind frei."]),
        # the platform X ends a sentence; an initial does not
        ("Das schrieb sie auf X. Das Komitee stimmte zu.", "de", ["Das schrieb sie auf X.", "Das Komitee stimmte zu."]),
        ("Malcolm X. Little was born in Omaha.", "en", ["Malcolm X. Little was born in Omaha."]),
    ],
)
def test_sentence_splits(text: str, language: str, expected: list[str]) -> None:
    assert sentences(text, language) == expected


def test_a_live_blog_entry_stamp_ends_the_entry_above_and_its_heading_stands_alone() -> None:
    lines = [
        "Die Gespräche über eine Verlängerung gehen weiter, teilte das Außenministerium mit",
        "",
        "08:12 Uhr",
        "Armee: Hamas hat die Feuerpause gebrochen",
        "„Die Hamas hat die Pause verletzt“, teilt die Armee mit.",
        "+++ 07:05 +++",
        "Die Feuerpause ist ausgelaufen, ohne dass sich die Vermittler auf einen weiteren Tag einigen konnten.",
    ]
    texts = [piece.text for piece in pieces(lines, "de")]
    assert texts == [
        lines[0],
        "Armee: Hamas hat die Feuerpause gebrochen",
        "„Die Hamas hat die Pause verletzt“, teilt die Armee mit.",
        lines[6],
    ]
    assert is_clock_line("14:05 GMT")
    assert is_clock_line("+++ 9.30 Uhr +++")
    assert not is_clock_line("14:05 Kyiv said")


def test_a_heading_in_capitals_stands_apart_from_the_text_below_it() -> None:
    lines = ["2. 205 HEIMKEHRER", "Russland und die Ukraine haben am Dienstag erneut Kriegsgefangene ausgetauscht."]
    assert [piece.text for piece in pieces(lines, "de")] == lines
    wrapped = ["UN and EU monitors were to watch the line from Monday, the", "ministry said."]
    assert [piece.text for piece in pieces(wrapped, "en")] == [" ".join(wrapped)]


def test_a_wire_dateline_opens_a_paragraph_of_its_own_below_a_line_without_a_stop() -> None:
    lines = [
        "Soldiers on parade in the capital, in a file picture from 2023",
        "N'DJAMENA, April 25 (Reuters) - The United States will move some of its troops out of Chad.",
    ]
    assert [piece.text for piece in pieces(lines, "en")] == lines


def test_a_gallery_caption_ending_in_its_slashed_archive_credit_is_no_story_text() -> None:
    page = parse_page(
        make_page(
            "Published 25 April 2024, 21:41 GMT",
            "Item 1 of 2 Soldiers take part in an exercise near the capital in a file photo. Wire/Jane Roe/File Photo\n"
            "[1/2]Soldiers take part in an exercise near the capital, in a file photo. Wire/Jane Roe/File Photo "
            "Purchase Licensing Rights\n" + EN_STORY,
        )
    )
    assert not any("File Photo" in p or "Licensing" in p for p in page.paragraphs)


def test_a_line_in_lower_case_goes_on_past_an_abbreviation_at_the_end_of_the_line_above() -> None:
    lines = ["Both sides told U.S.", "negotiators they would respect the pause.", "", "Kyiv said so again."]
    assert [piece.text for piece in pieces(lines, "en")] == [
        "Both sides told U.S. negotiators they would respect the pause.",
        "Kyiv said so again.",
    ]
