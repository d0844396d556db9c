"""The publication stamp wherever a page puts it: its own line, glued to a teaser, leading a caption, beside a
caption, at the bottom, as a wire dateline — and never a date inside a story sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from articles.model import ArticleError
from articles.page import NO_DATE, parse_page
from articles.temporal import to_date
from tests.articles.stories import DE_STORY, EN_STORY, TITLE


def tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


def story_text(text: str) -> str:
    page = parse_page(text)
    return "\n".join(page.paragraphs)


def dated_story(text: str, published: date) -> tuple[str, ...]:
    """The story paragraphs of a page whose stamp is checked first: most tests here look at both."""
    page = parse_page(text)
    assert page.published == published
    return page.paragraphs


# --- glued to the end of a teaser paragraph ---------------------------------------------------------------------


def test_stamp_glued_to_a_teaser_is_found_and_cut_out() -> None:
    text = (
        "Feuerpause im Süden verlängert\n\n"
        "Die Vermittler haben sich mit beiden Seiten auf eine längere Pause geeinigt. Die Gespräche dauerten drei "
        "Stunden. 04.02.2025 - 18:05 Uhr aktualisiert Artikel anhören\n"
        "Vermittler bei einem Treffen im Januar: Die Gespräche sollen weitergehen. Foto: Max Muster/AP/dpa\n\n"
        + DE_STORY
    )
    assert dated_story(text, datetime(2025, 2, 4, 18, 5, tzinfo=tz(1)))[0] == (
        "Die Vermittler haben sich mit beiden Seiten auf eine längere Pause geeinigt. Die Gespräche dauerten drei "
        "Stunden."
    )
    assert "anhören" not in story_text(text)
    assert "Foto:" not in story_text(text)


def test_stamp_glued_without_a_space() -> None:
    text = (
        "Feuerpause im Süden verlängert\n\n"
        "Die Vermittler haben sich auf eine längere Pause geeinigt.Aktualisiert am 25.01.2025-17:34\n\n" + DE_STORY
    )
    assert dated_story(text, datetime(2025, 1, 25, 17, 34, tzinfo=tz(1)))[0] == (
        "Die Vermittler haben sich auf eine längere Pause geeinigt."
    )


def test_bare_date_glued_to_the_full_stop_of_a_teaser() -> None:
    text = (
        "Feuerpause im Süden verlängert\n\n"
        "Die Armee stellt die Kämpfe für einige Stunden ein. Die Helfer sprechen von einem Anfang.04.02.2025, 18:05 "
        "Uhr\n\n" + DE_STORY
    )
    assert dated_story(text, datetime(2025, 2, 4, 18, 5, tzinfo=tz(1)))[0] == (
        "Die Armee stellt die Kämpfe für einige Stunden ein. Die Helfer sprechen von einem Anfang."
    )


def test_date_glued_to_a_wire_dateline_opening_the_story() -> None:
    text = f"{TITLE}\n\n4 February 2025NICOSIA: {EN_STORY}"
    assert dated_story(text, date(2025, 2, 4))[0].startswith("NICOSIA: ")


def test_a_date_inside_a_dotted_number_is_no_date() -> None:
    from articles.page.dates import find_dates

    assert find_dates("Version 1.27.07.2025 of the app") == []


def test_stamp_glued_after_a_sentence_ending_in_a_number() -> None:
    text = f"{TITLE}\n\nThe toll of the night rose to 23. 18.03.2025 - 20:51\n\n{EN_STORY}"
    assert dated_story(text, datetime(2025, 3, 18, 20, 51))[0] == "The toll of the night rose to 23."


def test_section_label_after_a_glued_date() -> None:
    text = (
        f"{TITLE}\n\nThe mediators welcomed the agreement and urged both sides to keep it. 27 June 2025 Peace and "
        f"Security\n\n{EN_STORY}"
    )
    assert dated_story(text, date(2025, 6, 27))[0] == (
        "The mediators welcomed the agreement and urged both sides to keep it."
    )


# --- at the start of a line that runs on into a caption --------------------------------------------------------


def test_stamp_leading_a_caption_line() -> None:
    text = (
        " date 2025-02-04 Since the talks began in January, the envoys have met four times. (archive picture) "
        "Bild: dpa\n\n" + EN_STORY
    )
    assert dated_story(text, date(2025, 2, 4))[0].startswith("Hamas and Israel agreed")
    assert "archive" not in story_text(text)


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("Mittwoch, 12. März 2025 Russland und die Ukraine haben je 150 Gefangene übergeben.", date(2025, 3, 12)),
        ("12.3.2025 Russland und die Ukraine haben je 150 Gefangene übergeben.", date(2025, 3, 12)),
        ("12th March 2025 Russia and Ukraine handed over 150 prisoners each.", date(2025, 3, 12)),
    ],
)
def test_a_day_glued_to_the_start_of_the_story_dates_a_page_with_no_other_date(opening: str, expected: date) -> None:
    page = parse_page(f"Home | World\n{TITLE}\n{opening}\n\n{EN_STORY}")
    assert to_date(page.published) == expected
    assert page.paragraphs[0].startswith(("Russ", "Russia"))


def test_a_timeline_item_opening_with_a_day_does_not_outrank_the_stamp() -> None:
    text = (
        f"{TITLE}\nUpdated 14 March 2025, 09:10 GMT\n\n"
        "12 March 2025 Russia and Ukraine handed over 150 prisoners each.\n\n" + EN_STORY
    )
    page = parse_page(text)
    assert to_date(page.published) == date(2025, 3, 14)
    assert page.paragraphs[0].startswith("12 March 2025 Russia")


def test_the_dated_steps_of_a_chronology_are_not_the_stamp_beside_its_caption() -> None:
    caption = "[Foto] Zaki nach der Ankunft am Flughafen. | Foto: ANSA | 24.07.2023"
    steps = "7. Februar 2020 – Die Festnahme\nZaki wird festgenommen.\n\n8. Dezember 2021 – Frei, aber nicht frei"
    page = parse_page(f"{TITLE}\n\n{caption}\n\n{steps}\n{DE_STORY}")
    assert page.published == date(2023, 7, 24)
    assert page.paragraphs[0].startswith("7. Februar 2020 – Die Festnahme")


def test_date_opening_a_caption_without_keyword() -> None:
    text = f"May 13, 2023 Smoke rises over the port after an air strike on Saturday. AFP\n\n{TITLE}\n\n{EN_STORY}"
    page = parse_page(text)
    assert page.published == date(2023, 5, 13)
    assert "Smoke" not in story_text(text)


def test_a_stamp_whose_am_is_glued_to_the_story_is_cut_out_up_to_the_am() -> None:
    # 'amA': without the glued capital read as the next sentence, 'am' stays and the stamp stays in the story
    text = (
        "Monday, November 27, 2023     Search...     Login\n\n"
        f"{TITLE}\n\nNovember 27, 2023 7:45 amA priest who was kidnapped a year ago has been freed, officials said.\n\n"
        + EN_STORY
    )
    page = parse_page(text)
    assert to_date(page.published) == date(2023, 11, 27)
    assert page.paragraphs[0].startswith("A priest who was kidnapped")


# --- beside a caption ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Residents return to a village near the border. (AP Photo) Updated 6:42 AM EST, January 27, 2025",
            datetime(2025, 1, 27, 6, 42, tzinfo=tz(-5)),
        ),
        ("Rescuers at a damaged building. Photo: Jane Roe/AFP 18 March 2025, 09:10 GMT", datetime(2025, 3, 18, 9, 10)),
        (
            "Leaders at the signing - Copyright AP Photo By Example News with AP, AFP Published on 08/08/2025 - "
            "23:18 GMT+2 • Updated 09/08/2025 - 07:02 GMT+2",
            datetime(2025, 8, 8, 23, 18, tzinfo=tz(2)),
        ),
    ],
)
def test_stamp_beside_a_caption(line: str, expected: datetime) -> None:
    page = parse_page(f"{TITLE}\n\n{line}\n\n{EN_STORY}")
    assert page.published == expected.replace(tzinfo=expected.tzinfo or tz(0))
    assert "Photo" not in story_text(f"{TITLE}\n\n{line}\n\n{EN_STORY}")


# --- lines of their own in other shapes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "story", "expected"),
    [
        ("Tue 10 Nov 2020 · Last updated 11:58 GMT", EN_STORY, date(2020, 11, 10)),
        ("Updated 5:32 AM EDT, Wed May 7, 2025", EN_STORY, datetime(2025, 5, 7, 5, 32, tzinfo=tz(-4))),
        ("LIVEBLOG October 13, 2025", EN_STORY, date(2025, 10, 13)),
        ("Von dpa · Aktualisiert am 23.05.2025, 18:37 Uhr · 2 Min. Lesezeit", DE_STORY, datetime(2025, 5, 23, 18, 37,
                                                                                                  tzinfo=tz(2))),
        ("Jana Beispiel — Sunday, 25 May 2025, 14:18", EN_STORY, datetime(2025, 5, 25, 14, 18)),
        ("Sa 27.01.24 | 13:48 Uhr Artikel anhören Merken", DE_STORY, datetime(2024, 1, 27, 13, 48, tzinfo=tz(1))),
        (
            "Sat 10 May 2025 21.52 BST First published on Sat 10 May 2025 06.05 BST",
            EN_STORY,
            datetime(2025, 5, 10, 6, 5, tzinfo=tz(1)),
        ),
        ("Published On 5 Mar 20245 Mar 2024", EN_STORY, date(2024, 3, 5)),  # one date written twice, glued
        ("Published: 05/03/2024 10:12 AEDT", EN_STORY, datetime(2024, 3, 5, 10, 12, tzinfo=tz(11))),
        ("Nation | 5 March 2024", EN_STORY, date(2024, 3, 5)),  # a section's name and the day
        ("The Kelmouth Herald, 5 March 2024, page 3", EN_STORY, date(2024, 3, 5)),  # an e-paper's page
        ("Kelmünde - 05. 03. 2024", DE_STORY, date(2024, 3, 5)),  # a local paper's place
    ],
)  # fmt: skip
def test_more_stamp_line_shapes(line: str, story: str, expected: date) -> None:
    published = parse_page(f"{TITLE}\n\n{line}\n\n{story}").published
    assert published == expected
    assert published.isoformat() == expected.isoformat()


def test_bare_date_line_above_a_live_ticker() -> None:
    text = (
        "Liveticker: Waffenruhe im Süden\n\n"
        "Samstag, 10. Oktober 2020\n\n"
        "18:20 Uhr\nDie Vermittler melden, dass die Waffenruhe bislang hält, sagte ein Sprecher.\n\n"
        "16:05 Uhr\nBeide Seiten haben ihre Truppen von der Front zurückgezogen, teilte das Ministerium mit.\n\n"
        "Freitag, 9. Oktober 2020\n\n"
        "22:10 Uhr\nDie Gespräche in Moskau sind nach zehn Stunden zu Ende gegangen, hieß es.\n"
    )
    assert parse_page(text).published == date(2020, 10, 10)


def test_a_day_heading_below_the_first_entry_is_not_the_stamp_of_a_ticker_that_has_one() -> None:
    text = (
        "LIVE  Krieg in der Ukraine\nTruppen verlassen das Kraftwerk\n\n"
        "Zuletzt aktualisiert: 01.04.2022, 16:40 Uhr\n\n"
        "16:40 Uhr – Rotes Kreuz bricht Fahrt ab\nDas Team sei zurückgekehrt, teilte das IKRK mit.\n\n"
        "12:25 Uhr – Soldaten kehren heim\nBei einem Austausch sind 86 Soldaten freigekommen.\n\n"
        "Donnerstag, 31. März 2022\n\n"
        "21:50 Uhr – Übergabe bestätigt\nDie Behörde hat die Übergabe bestätigt, hieß es.\n\n"
        "17:05 Uhr – Einheiten ziehen ab\nDie Truppen haben das Gelände verlassen.\n"
    )
    assert parse_page(text).published == datetime(2022, 4, 1, 16, 40, tzinfo=tz(2))


# --- at the bottom -----------------------------------------------------------------------------------------------

FILLER = "".join(f"Line {n} of a long story about the ceasefire, officials said.\n\n" for n in range(25))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Veröffentlicht am 12.01.2025 um 14:05 Uhr", datetime(2025, 1, 12, 14, 5, tzinfo=tz(1))),
        ("Stand: 10.05.2025 08:00 Uhr", datetime(2025, 5, 10, 8, 0, tzinfo=tz(2))),
        ("Quelle: dpa, AFP, Reuters · 25.06.2025, 14:12 Uhr", datetime(2025, 6, 25, 14, 12, tzinfo=tz(2))),
    ],
)
def test_stamp_at_the_bottom(line: str, expected: datetime) -> None:
    assert parse_page(f"Truce holds in the south\n\n{FILLER}{line}\n").published == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Publiziert am 18.07.2024 um 07.48 Uhr, zuletzt aktualisiert um 09.15 Uhr",
            datetime(2024, 7, 18, 7, 48, tzinfo=tz(2)),
        ),
        (
            "Bulletin broadcast 28/12/2022 13:00 EAT. Transcript prepared by the newsroom.",
            datetime(2022, 12, 28, 13, 0, tzinfo=tz(3)),
        ),
    ],
)
def test_a_stamp_above_the_links_at_the_bottom_needs_its_word(line: str, expected: datetime) -> None:
    links = "".join(f"Related story number {n}\n" for n in range(8))
    assert parse_page(f"Truce holds in the south\n\n{FILLER}{line}\n\n{links}").published == expected


def test_bottom_stamp_glued_to_the_last_paragraph() -> None:
    text = f"Truce holds in the south\n\n{FILLER}The talks will go on next week, they said. Stand: 10.05.2025\n"
    assert dated_story(text, date(2025, 5, 10))[-1] == "The talks will go on next week, they said."


# --- choosing between candidates --------------------------------------------------------------------------------


def test_published_wins_over_updated_on_another_line() -> None:
    text = f"{TITLE}\n\nUpdated 21 May 2023, 08:15 GMT\n\n{EN_STORY}\nVeröffentlicht am 20.05.2023 um 23:50 Uhr\n"
    assert parse_page(text).published == datetime(2023, 5, 20, 23, 50, tzinfo=tz(2))


def test_date_in_a_story_sentence_is_not_the_stamp() -> None:
    text = (
        f"{TITLE}\n\nThe deal was signed on 8 May 2025 in Moscow, officials said on Friday.\n\n"
        "On 9 May 2025 the first prisoners crossed the border.\n\n"
        f"{EN_STORY}\nStand: 10.05.2025\n"
    )
    assert dated_story(text, date(2025, 5, 10))[0] == (
        "The deal was signed on 8 May 2025 in Moscow, officials said on Friday."
    )


def test_every_stamp_is_cut_but_story_dates_stay() -> None:
    text = f"{TITLE}\n\nPublished 3 May 2025\nUpdated 4 May 2025, 10:00 GMT\n\n{EN_STORY}"
    assert parse_page(text).published == date(2025, 5, 3)
    assert "2025" not in story_text(text)


# --- wire datelines ----------------------------------------------------------------------------------------------

WIRE = (
    "KHARTOUM, May 20 (Reuters) - The army and the paramilitary forces agreed to a seven-day truce, mediators said.\n"
)


def test_dateline_takes_its_year_from_an_updated_stamp() -> None:
    text = f"Sudan truce agreed\n\nUpdated 10:00 AM GMT, May 21, 2025\n\n{WIRE}\n{EN_STORY}"
    assert dated_story(text, date(2025, 5, 20))[0].startswith("The army and the paramilitary forces")


def test_dateline_takes_the_nearest_year_from_the_page() -> None:
    wire = "KHARTOUM, Jan 3 (Reuters) - The truce agreed on 28 December 2024 held for a sixth day, mediators said.\n"
    assert parse_page(f"Sudan truce holds\n\n{wire}\n{EN_STORY}").published == date(2025, 1, 3)


@pytest.mark.parametrize("footer", ["© 2023 Reuters. All rights reserved.", "(c) 2019-2023 Wire Services"])
def test_dateline_takes_its_year_from_the_copyright_line_when_nothing_else_has_one(footer: str) -> None:
    page = parse_page(f"Sudan truce agreed\n\n{WIRE}\n{EN_STORY}\n\n{footer}\n")
    assert page.published == date(2023, 5, 20)


@pytest.mark.parametrize(
    "dateline",
    ["KHARTOUM, May 20, 2023 (AFP) - ", "KHARTOUM, 20 May 2023 (AFP) - ", "Khartum, 20. Mai 2023 (AFP) - "],
)
def test_a_dateline_that_gives_its_year_dates_the_page(dateline: str) -> None:
    wire = dateline + "The army and the paramilitary forces agreed to a seven-day truce, mediators said.\n"
    page = parse_page(f"Sudan truce agreed\n\n{wire}\n{EN_STORY}")
    assert page.published == date(2023, 5, 20)
    assert page.paragraphs[0].startswith("The army and the paramilitary forces")


@pytest.mark.parametrize(
    ("dateline", "published"),
    [
        (
            "Khartum/Kairo, 20. Mai 2023, 11:42 Uhr MESZ (AFP) – ",
            datetime(2023, 5, 20, 11, 42, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("KHARTOUM, May 20, 2023, 09:15 GMT (AFP) - ", datetime(2023, 5, 20, 9, 15, tzinfo=UTC)),
    ],
)
def test_a_dateline_with_two_places_or_a_clock_time_dates_the_page_to_the_minute(
    dateline: str, published: datetime
) -> None:
    wire = dateline + "The army and the paramilitary forces agreed to a seven-day truce, mediators said.\n"
    page = parse_page(f"Sudan truce agreed\n\n{wire}\n{EN_STORY}")
    assert page.published == published
    assert page.paragraphs[0].startswith("The army and the paramilitary forces")


@pytest.mark.parametrize(
    "footer", ["Text: Jonas Berger   |   Veröffentlicht am 20. Mai 2023", "Words: Jane Doe | Published 20 May 2023"]
)
def test_a_labelled_byline_beside_the_stamp_at_the_bottom_dates_the_page(footer: str) -> None:
    page = parse_page(f"Sudan truce agreed\n\n{EN_STORY}\n\n{footer}\n\nMore from Africa\n")
    assert page.published == date(2023, 5, 20)


@pytest.mark.parametrize(
    "line",
    [
        "Ihr Briefing am Samstag, 20. Mai 2023 · versendet um 06:00 Uhr",
        "Your briefing for Saturday, 20 May 2023 · sent at 06:00",
    ],
)
def test_a_newsletters_sending_line_dates_it(line: str) -> None:
    assert parse_page(f"THE LEDGER · MORNING\n{line}\n\nSudan truce agreed\n\n{EN_STORY}").published.day == 20


def test_the_address_of_the_page_dates_it_when_nothing_else_does() -> None:
    text = f"Sudan truce agreed\n\nhttps://news.example/world/africa/2023/05/20/sudan-truce-agreed\n\n{EN_STORY}"
    assert all("https://" not in p for p in dated_story(text, date(2023, 5, 20)))


def test_a_short_stamp_line_the_story_runs_on_from_keeps_the_story() -> None:
    text = (
        f"{TITLE}\n\nQuelle: epd | 03.10.2025, 11:32 Uhr Bogotá (epd). Die beiden verfeindeten Gruppen\n"
        f"haben eine befristete Waffenruhe vereinbart.\n\n{DE_STORY}"
    )
    page = parse_page(text)
    assert page.published == datetime(2025, 10, 3, 11, 32, tzinfo=tz(2))
    assert page.paragraphs[0].startswith("Die beiden verfeindeten Gruppen haben eine befristete Waffenruhe vereinbart.")


def test_a_news_agencys_item_number_dates_the_page_when_nothing_else_does() -> None:
    text = f"Waffenruhe verlängert\n\n{DE_STORY}\n© dpa-infocom, dpa:240305-99-123456/2\n"
    assert dated_story(text, date(2024, 3, 5))
    stamped = f"Waffenruhe verlängert\n\nStand: 06.03.2024\n\n{DE_STORY}\n© dpa-infocom, dpa:240305-99-123456/2\n"
    assert parse_page(stamped).published == date(2024, 3, 6)  # a stamp of the page's own comes first


def test_dateline_without_any_year_is_no_stamp() -> None:
    with pytest.raises(ArticleError) as caught:
        parse_page(f"Sudan truce agreed\n\n{WIRE}\n{EN_STORY}", "wire.txt")
    assert caught.value.reason == NO_DATE


# --- no stamp at all ---------------------------------------------------------------------------------------------


def test_no_date_names_the_shapes_looked_for() -> None:
    with pytest.raises(ArticleError) as caught:
        parse_page(f"{TITLE}\n\n{EN_STORY}", "pages/x.txt")
    assert caught.value.path == "pages/x.txt"
    assert caught.value.reason == (
        'no publication date (looked for a stamp like "18.03.2025 - 20:51 Uhr", "Published 3 May 2025", '
        '"Stand: …", "date 2025-03-18"); give one with --published'
    )
    assert "\n" not in caught.value.reason


@pytest.mark.parametrize("given", [date(2025, 1, 2), datetime(2025, 1, 2, 9, 30, tzinfo=tz(1))])
def test_published_is_used_when_the_page_has_no_stamp(given: date) -> None:
    assert parse_page(f"{TITLE}\n\n{EN_STORY}", published=given).published == given


def test_published_does_not_override_the_page() -> None:
    text = f"{TITLE}\n\nPublished 3 May 2025\n\n{EN_STORY}"
    assert parse_page(text, published=date(2025, 1, 2)).published == date(2025, 5, 3)


def test_published_does_not_rescue_a_page_without_story() -> None:
    with pytest.raises(ArticleError) as caught:
        parse_page("Home > World\n\nShare Save\n", "b.txt", published=date(2025, 1, 2))
    assert caught.value.reason == "no story text"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Diese Nachricht wurde am 24.01.2024 im Programm des Senders gesendet.", date(2024, 1, 24)),
        ("This article was first published on 3 May 2025.", date(2025, 5, 3)),
    ],
)
def test_closing_sentence_with_the_date(line: str, expected: date) -> None:
    page = parse_page(f"{TITLE}\n\n{EN_STORY}\n{line}\n")
    assert page.published == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Diese Nachricht wurde am 22.09.2023 im Programm NordInfo gesendet.", date(2023, 9, 22)),
        ("This article was first published on 3 May 2025.", date(2025, 5, 3)),
    ],
)
def test_closing_sentence_about_the_page_itself_may_stand_above_a_block_of_links(line: str, expected: date) -> None:
    links = "\n".join(f"{h:02d}:00 Uhr   Wetter: Am Wochenende Schauer, bis {h} Grad" for h in range(6, 14))
    page = parse_page(f"{TITLE}\n\n{EN_STORY}\n{line}\n\nTeilen   Facebook   X\n\nWeitere Nachrichten\n{links}\n")
    assert page.published == expected


def test_closing_sentence_loses_to_a_stamp() -> None:
    text = f"{TITLE}\n\nPublished 5 May 2025\n\n{EN_STORY}\nThis article was first published on 3 May 2025.\n"
    assert dated_story(text, date(2025, 5, 5))[-1] == "This article was first published on 3 May 2025."


# --- more shapes of a full date, and stamps without a year -------------------------------------------------------


@pytest.mark.parametrize(
    "stamp",
    [
        "18-03-2025",
        "18-03-2025 20:51",
        "2025.03.18",
        "18/03/25",
        "Published 2h ago · 18 March 2025",
        "Erschienen in der Ausgabe vom 18.03.2025",
        "Originally published March 18, 2025",
        "Created: 18 March 2025",
        "Issued on 18 March 2025",
        "Written by Jane Doe on 18 March 2025",
        "Letzte Aktualisierung: 18.03.2025",
    ],
)
def test_more_shapes_of_a_full_date(stamp: str) -> None:
    assert to_date(parse_page(f"Truce talks\n\n{stamp}\n\n{EN_STORY}").published) == date(2025, 3, 18)


@pytest.mark.parametrize("stamp", ["Updated 18 March, 20:51 GMT", "18 Mar 20.51 GMT", "Di 18.03.", "18. März"])
def test_a_stamp_without_a_year_takes_the_year_the_page_gives(stamp: str) -> None:
    page = parse_page(f"Truce talks\n\n{stamp}\n\n{EN_STORY}\n\n© 2025 Wire Services\n")
    assert to_date(page.published) == date(2025, 3, 18)
    assert all(stamp not in p for p in page.paragraphs)


def test_a_stamp_without_a_year_on_a_page_that_gives_none_is_no_stamp() -> None:
    with pytest.raises(ArticleError):
        parse_page(f"Truce talks\n\nUpdated 18 March, 20:51 GMT\n\n{EN_STORY}", "yearless.txt")


@pytest.mark.parametrize(
    ("top", "story"),
    [
        ("Jane Doe | 18 March 2025", EN_STORY),
        ("Anna Berger | 18.03.2025", DE_STORY),
        # with a role or only a comma
        ("Jane Doe, 18 March 2025", EN_STORY),
        ("Jane Doe, Moscow correspondent | 18 March 2025", EN_STORY),
        ("Anna Berger, Korrespondentin in Kiew | 18.03.2025", DE_STORY),
        # no stamp at all: the day a photo caption names
        ("Prisoners of war arrive after the swap, 18 March 2025. (Photo: AFP)", EN_STORY),
    ],
)
def test_an_author_beside_the_date_or_a_captions_day_dates_the_page(top: str, story: str) -> None:
    assert to_date(parse_page(f"{TITLE}\n\n{top}\n\n{story}").published) == date(2025, 3, 18)


def test_an_archive_pictures_day_dates_nothing() -> None:
    with pytest.raises(ArticleError):
        parse_page(
            f"{TITLE}\n\nPrisoners of war arrive after a swap, 18 March 2022. (Archive picture)\n\n{EN_STORY}", "x"
        )


def test_a_german_dateline_with_a_numeric_date_dates_the_page() -> None:
    page = parse_page(f"{TITLE}\n\nKiew, 18.03.2025 (dpa) - {DE_STORY}")
    assert to_date(page.published) == date(2025, 3, 18)
    assert not page.paragraphs[0].startswith("Kiew")


@pytest.mark.parametrize("first", ["Prisoner swap agreed | 18 March 2025", "Prisoner swap agreed - 18.03.2025"])
def test_a_date_set_apart_after_the_headline_on_the_first_line_dates_the_page(first: str) -> None:
    page = parse_page(f"{first}\n\n{EN_STORY}")
    assert (to_date(page.published), page.title) == (date(2025, 3, 18), "Prisoner swap agreed")


def test_a_related_story_with_its_date_further_down_dates_nothing() -> None:
    with pytest.raises(ArticleError):
        parse_page(f"Prisoner swap agreed\n\nTalks stall in Geneva | 12 March 2025\n\n{EN_STORY}", "related.txt")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a US zone after the clock: the date of slashes gives the month first
        ("Last updated: 3/5/2025 7:00 a.m. ET", datetime(2025, 3, 5, 7, 0, tzinfo=tz(-5))),
        ("Posted 12/2/2024 at 5:30 PM EST", datetime(2024, 12, 2, 17, 30, tzinfo=tz(-5))),
        ("3/15/2025 7:00 a.m. ET", datetime(2025, 3, 15, 7, 0, tzinfo=tz(-4))),  # month first whatever the zone
        # anywhere else the day comes first
        ("Updated 05/03/2025 07:00 GMT", datetime(2025, 3, 5, 7, 0, tzinfo=UTC)),
    ],
)
def test_a_date_of_slashes_reads_month_first_on_a_us_clock(line: str, expected: datetime) -> None:
    assert parse_page(f"{TITLE}\n\n{line}\n\n{EN_STORY}").published == expected


LINKS_BELOW = "Teilen:  Facebook  ·  WhatsApp  ·  E-Mail\nMehr aus der Region\n" + "".join(
    f"• Meldung {n}: Umfahrung wird ab Montag gesperrt\n" for n in range(1, 5)
)


def test_a_date_alone_under_the_credit_that_signs_the_story_dates_a_page_with_no_stamp() -> None:
    # without the credit it would be a day the story names (test_published: a day alone in the middle of the page)
    filler = "".join(f"Absatz {n} der langen Geschichte über die Waffenruhe, sagten Beamte.\n\n" for n in range(25))
    page = parse_page(f"{TITLE}\n\n{DE_STORY}\n{filler}red, noe-regional.at\n\n21.10.2025\n\n{LINKS_BELOW}")
    assert to_date(page.published) == date(2025, 10, 21)


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        # a date that opens a row of labels
        ("The 1pm bulletin\nMonday 14 October 2024 · Audio 4'26\" · Transcript as broadcast", date(2024, 10, 14)),
        # a print page's masthead row: place and date, pages, price
        ("E-PAPER | THE VALLEY SENTINEL\nSILCHAR, FRIDAY, AUGUST 2, 2024 | Pages 12 | Rs 5.00", date(2024, 8, 2)),
        # an aggregator's row: the source first, the day and its clock time alone in the middle item
        (
            "NORDSYRIEN\nHTS zieht ab\n\nQuelle: AFP/dpa | 19.10.2022, 10:52 Uhr | Lesezeit: ca. 4 Min.",
            date(2022, 10, 19),
        ),
        # an e-paper's row: paper, edition, the day alone, the page
        ("THE CHRONICLE  e-Paper  |  Kolkata Edition  |  Monday, January 6, 2025  |  Page 3", date(2025, 1, 6)),
        # its page label counts its words, not its numbers
        ("E-PAPER | Ausgabe Wien | Samstag, 18. November 2023 | Seite 7 von 48", date(2023, 11, 18)),
    ],
    ids=["labels", "masthead", "source-row", "edition-row", "page-of-pages"],
)
def test_a_date_in_a_row_near_the_top_dates_the_page(top: str, expected: date) -> None:
    page = parse_page(f"{top}\n\n{EN_STORY}")
    assert to_date(page.published) == expected


@pytest.mark.parametrize(
    ("line", "lang"),
    [
        ("April 18, 2023, to April 17, 2024, the ministry said, meaning that it", "en"),
        ("18. April 2023 bis 17. April 2024, teilte das Ministerium mit, womit", "de"),
    ],
)
def test_two_dates_joined_into_a_span_near_the_top_are_no_stamp(line: str, lang: str) -> None:
    teaser = "India renewed its truces for a year. Here is what they cover.Apr 6, 2023 11:20 AM GMT  3 min read"
    story = EN_STORY if lang == "en" else DE_STORY
    page = parse_page(f"{TITLE}\n\n{teaser}\n\n* The truce runs from\n{line}\n\n{story}")
    assert to_date(page.published) == date(2023, 4, 6)


def test_a_stamp_in_a_column_beside_the_player_dates_the_page() -> None:
    top = "Saturday late bulletin\n▶ Listen to this bulletin (6 min 12 sec)   On air: 22:00 BST, Saturday 16 April 2022"
    page = parse_page(f"{top} — read by Jane Doe\n\n{EN_STORY}")
    assert page.published == datetime(2022, 4, 16, 22, 0, tzinfo=timezone(timedelta(hours=1)))
