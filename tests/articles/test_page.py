"""The page layer: boilerplate removal, publication line, headline, language and sentences on hand-written pages."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from articles.model import ArticleError
from articles.page import NO_DATE, Page, content_hash, detect_language, parse_page
from tests.articles.stories import DE_STORY, EN_STORY, TITLE

EN_PAGE = """Home > World > Europe
Europe · Live

Russia and Ukraine agree on Black Sea truce
Russia and Ukraine agree on Black Sea truce

By Jane Porter
Published 25 March 2025, 18:40 GMT

Share   Save   Print   Comments (12)
Listen to this article (5 min)

A cargo ship leaves the port of Odesa. Photo: Oleksandr Hnatiuk/AFP

KYIV (Reuters) - Russia and Ukraine have agreed to stop attacks on shipping in the Black Sea, the White House \
said on Tuesday after three days of talks in Riyadh.

Delegations meet in Riyadh on Monday Getty Images

The deal also covers energy facilities, according to U.S. officials. Mr. Zelensky said the truce would start
immediately, while the Kremlin said it depended on sanctions relief.

Advertisement
Try our new crossword app

The previous grain corridor collapsed in July 2023.

Related topics
Ukraine war
Black Sea
Read more: What the Black Sea deal means for grain prices
Most read
1. Hostage talks resume in Doha
2. Markets slide as tariffs bite
Sign up for our Europe newsletter
We use cookies to give you the best experience. By continuing you accept our cookie policy.
Subscribe for unlimited access
(jp/rtr)
"""

EN_PARAGRAPHS = (
    "Russia and Ukraine have agreed to stop attacks on shipping in the Black Sea, the White House said on "
    "Tuesday after three days of talks in Riyadh.",
    "The deal also covers energy facilities, according to U.S. officials. Mr. Zelensky said the truce would "
    "start immediately, while the Kremlin said it depended on sanctions relief.",
    "The previous grain corridor collapsed in July 2023.",
)

DE_PAGE = """1. Startseite
  2. Politik
  3. International

Liveblog
Ukraine-Krieg

Russland und Ukraine tauschen Gefangene aus

Samstag, 3. Mai 2025, 09:10 Uhr   Artikel anhören

Teilen   Merken   Drucken

Freigelassene ukrainische Soldaten an der Grenze zu Belarus. Foto: Ukrainisches Präsidialamt/AP/dpa

Kiew/Moskau. Russland und die Ukraine haben jeweils 205 Kriegsgefangene ausgetauscht. Vermittelt hatten
die Vereinigten Arabischen Emirate, teilte das Verteidigungsministerium in Moskau mit.

Der Austausch ist der größte seit Wochen. Präsident Selenskyj kündigte weitere Schritte an, z. B. die \
Rückführung von Verwundeten am 10. Mai.

Anzeige
Jetzt Stromtarif wechseln und sparen

Ein Sprecher des Kreml sagte, man halte an der Waffenruhe zum 9. Mai fest.
(Archivbild) Bild: picture alliance
Mehr zum Thema
Gefangenenaustausch im Überblick
Waffenruhe: Was bekannt ist
Newsletter abonnieren
Diese Website verwendet Cookies.
(dpa/afp/rtr)
"""

DE_PARAGRAPHS = (
    "Russland und die Ukraine haben jeweils 205 Kriegsgefangene ausgetauscht. Vermittelt hatten die "
    "Vereinigten Arabischen Emirate, teilte das Verteidigungsministerium in Moskau mit.",
    "Der Austausch ist der größte seit Wochen. Präsident Selenskyj kündigte weitere Schritte an, z. B. die "
    "Rückführung von Verwundeten am 10. Mai.",
    "Ein Sprecher des Kreml sagte, man halte an der Waffenruhe zum 9. Mai fest.",
)


def make_page(date_line: str, story: str = EN_STORY, title: str = TITLE) -> str:
    """A minimal page: headline, publication line, story."""
    return f"{title}\n\n{date_line}\n\n{story}"


def utc_offset(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


def all_text(page: Page) -> str:
    return "\n".join((page.title, *page.paragraphs))


# --- whole pages -----------------------------------------------------------------------------------------------


def test_english_page_keeps_story_only() -> None:
    page = parse_page(EN_PAGE)
    assert page.title == "Russia and Ukraine agree on Black Sea truce"
    assert page.published == datetime(2025, 3, 25, 18, 40, tzinfo=utc_offset(0))
    assert page.language == "en"
    assert page.paragraphs == EN_PARAGRAPHS


def test_german_page_keeps_story_only() -> None:
    page = parse_page(DE_PAGE)
    assert page.title == "Russland und Ukraine tauschen Gefangene aus"
    assert page.published == datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(2))
    assert page.language == "de"
    assert page.paragraphs == DE_PARAGRAPHS


# What each page's boilerplate says, none of which may reach the story.
EN_BOILERPLATE = [
    "Home",
    "Live",
    "Share",
    "Listen",
    "Photo:",
    "Getty",
    "Reuters",
    "Advertisement",
    "crossword",
    "Related",
    "Ukraine war",
    "grain prices",
    "Most read",
    "Doha",
    "newsletter",
    "cookie",
    "Subscribe",
    "jp/rtr",
    "Jane Porter",
]
DE_BOILERPLATE = [
    "Startseite",
    "Politik",
    "Liveblog",
    "Ukraine-Krieg",
    "anhören",
    "Teilen",
    "Foto:",
    "Kiew/Moskau.",
    "Anzeige",
    "Stromtarif",
    "Archivbild",
    "Mehr zum Thema",
    "Überblick",
    "Was bekannt ist",
    "Newsletter",
    "Cookies",
    "dpa",
]


@pytest.mark.parametrize(
    ("page", "fragment"),
    [pytest.param(EN_PAGE, f, id=f"en-{f}") for f in EN_BOILERPLATE]
    + [pytest.param(DE_PAGE, f, id=f"de-{f}") for f in DE_BOILERPLATE],
)
def test_boilerplate_never_reaches_paragraphs(page: str, fragment: str) -> None:
    assert fragment not in "\n".join(parse_page(page).paragraphs)


# --- each kind of boilerplate on its own ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "noise",
    [
        "1. Startseite 2. Politik 3. International",
        "1. Home\n2. World\n3. Middle East",
        "Home > World > Middle East",
        "Startseite › Politik › Ausland",
        "Home / News / World",
        "Listen to this article",
        "Artikel anhören",
        "Listen (4 min)",
        "Share Save Listen (4 min)",
        "Teilen Kommentieren Merken",
        "Share on Facebook Share on X Email",
        "Print",
        "Kremlchef Putin bei einem Treffen im Kreml. Foto: Sputnik/AP/dpa",
        "Smoke rises over Khan Younis. Photo: AFP",
        "(archive picture) Bild: dpa",
        "Bild: picture alliance",
        "Soldiers near Bakhmut (Image: Reuters)",
        "Rescuers at a damaged building in Kharkiv REUTERS/Vitalii Hnidyi",
        "A convoy crosses into Rafah. AFP",
        "Ein zerstörtes Umspannwerk bei Odessa © dpa",
        "(dpa/afp/rtr)",
        "fh/AP",
        "(dpa)",
        "By Jane Porter, Europe correspondent",
        "Von Anna Berger und Tobias Klein",
        "Mit Material von dpa und AFP",
        "Reporting by Olena Harmash; Editing by Ed Osmond",
        "Related topics\nUkraine war\nEnergy",
        "Related: How the last truce fell apart",
        "Verwandte Themen\nRussland\nUkraine",
        "Mehr zum Thema\nWas über die Waffenruhe bekannt ist\nWie Kiew reagiert",
        "Mehr zum Thema: Die Chronik des Kriegs",
        "Most read\nMarkets slide as tariffs bite\nStorm hits the coast",
        "Read more\nWhy the talks stalled",
        "Lesen Sie auch: Wie stabil ist die Waffenruhe?",
        "Anzeige\nJetzt Tarife vergleichen",
        "Advertisement\nTry our new crossword app",
        "Sponsored\nThe best travel insurance for 2025",
        "Werbung\nHier Stromanbieter wechseln!",
        "Sign up to the morning briefing",
        "Newsletter: Africa this week",
        "Subscribe to our newsletter for daily updates",
        "Jetzt den Newsletter abonnieren und nichts verpassen",
        "We use cookies to improve your experience. By clicking accept you agree to our use of cookies.",
        "Diese Seite nutzt Cookies. Mit der Nutzung stimmen Sie zu.",
        "Already a subscriber? Log in",
        "Live",
        "Middle East · Live",
        "Politik | Ausland",
        "Eilmeldung",
    ],
)
def test_each_boilerplate_kind_is_dropped(noise: str) -> None:
    text = make_page("Published 3 May 2025, 09:10 CEST", f"{EN_STORY}\n{noise}\n")
    page = parse_page(text)
    assert page.paragraphs == (
        "Hamas and Israel agreed to extend the pause in fighting, mediators in Doha said on Monday evening.",
        "Both sides said they would keep to the terms of the original deal.",
    )


@pytest.mark.parametrize(
    ("prefix", "start"),
    [
        ("Moskau. ", "Russland"),
        ("KYIV (Reuters) - ", "Russia"),
        ("Berlin/Kiew (dpa) - ", "Russland"),
        ("WASHINGTON — ", "Russia"),
        ("LONDON, May 3 (Reuters) - ", "Russia"),
        ("Beirut/Tel Aviv. ", "Russland"),
        ("Berlin – ", "Russland"),
    ],
)
def test_dateline_prefix_is_stripped_but_paragraph_kept(prefix: str, start: str) -> None:
    sentence = (
        "Russland hat eine Waffenruhe für drei Tage angekündigt, teilte der Kreml mit."
        if start == "Russland"
        else "Russia announced a three-day ceasefire, the Kremlin said on Monday."
    )
    page = parse_page(make_page("Published 3 May 2025, 09:10 CEST", prefix + sentence + "\n"))
    assert page.paragraphs == (sentence,)


def test_mr_is_not_a_dateline() -> None:
    story = "Mr. Peskov said the Kremlin would respect the pause.\n"
    assert parse_page(make_page("date 2025-03-18", story)).paragraphs == (story.strip(),)


def test_sentence_opening_is_not_a_dateline() -> None:
    story = "Die Ukraine. Sie stand im Mittelpunkt der Gespräche in Riad, sagten Diplomaten.\n"
    assert parse_page(make_page("date 2025-03-18", story)).paragraphs == (story.strip(),)


def test_trailing_agency_initials_leave_the_paragraph() -> None:
    story = "Washington und Moskau wollen in den kommenden Tagen weiter beraten. (dpa/rtr)\n"
    assert parse_page(make_page("date 2025-03-18", story)).paragraphs == (
        "Washington und Moskau wollen in den kommenden Tagen weiter beraten.",
    )


def test_list_at_the_top_stops_at_the_publication_line() -> None:
    text = "Most read\nMarkets slide as tariffs bite\n\nPublished 3 May 2025\n\nTruce extended by two more days\n\n"
    page = parse_page(text + EN_STORY)
    assert page.title == "Truce extended by two more days"
    assert len(page.paragraphs) == 2


def test_short_story_sentence_after_ad_label_survives() -> None:
    story = f"{EN_STORY}\nAdvertisement\n\nPrevious truces have collapsed within hours.\n"
    assert parse_page(make_page("date 2025-03-18", story)).paragraphs[-1] == (
        "Previous truces have collapsed within hours."
    )


# --- publication date line --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "story", "expected"),
    [
        ("18.03.2025 - 20:51 Uhr aktualisiert", DE_STORY, datetime(2025, 3, 18, 20, 51, tzinfo=utc_offset(1))),
        ("05.01.2023 - 17:32 Uhr aktualisiert", DE_STORY, datetime(2023, 1, 5, 17, 32, tzinfo=utc_offset(1))),
        ("date 2025-03-18", EN_STORY, date(2025, 3, 18)),
        ("Published 3 May 2025, 09:10 CEST", EN_STORY, datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(2))),
        (
            "Published 20 May 2023, 23:50 GMT+3 · Updated 21 May 2023, 08:15 GMT+3",
            EN_STORY,
            datetime(2023, 5, 20, 23, 50, tzinfo=utc_offset(3)),
        ),
        ("May 3, 2025 | 07:10 GMT", EN_STORY, datetime(2025, 5, 3, 7, 10, tzinfo=utc_offset(0))),
        ("Samstag, 3. Mai 2025, 09:10 Uhr", DE_STORY, datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(2))),
        ("Stand: 03.05.2025 09:10 Uhr", DE_STORY, datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(2))),
        ("03/05/2025 - 09:10", DE_STORY, datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(2))),
        ("03/05/2025 - 09:10", EN_STORY, datetime(2025, 5, 3, 9, 10)),
        ("Monday 27 November 2023 21:02", EN_STORY, datetime(2023, 11, 27, 21, 2)),
        ("Samstag, 3. Mai 2025", DE_STORY, date(2025, 5, 3)),
        ("Stand: 03.05.2025", DE_STORY, date(2025, 5, 3)),
        ("3 May 2025", EN_STORY, date(2025, 5, 3)),
        # Berlin local time across the spring change of 30 March 2025
        ("30.03.2025 - 01:30 Uhr", DE_STORY, datetime(2025, 3, 30, 1, 30, tzinfo=utc_offset(1))),
        ("30.03.2025 - 03:30 Uhr", DE_STORY, datetime(2025, 3, 30, 3, 30, tzinfo=utc_offset(2))),
        # 'Uhr' marks German local time even on a page that reads as English
        ("03.05.2025, 9 Uhr", EN_STORY, datetime(2025, 5, 3, 9, 0, tzinfo=utc_offset(2))),
        ("Veröffentlicht am 12.01.2025 um 14:05 Uhr", DE_STORY, datetime(2025, 1, 12, 14, 5, tzinfo=utc_offset(1))),
        ("2025-03-18T20:51:00+01:00", EN_STORY, datetime(2025, 3, 18, 20, 51, tzinfo=utc_offset(1))),
        ("2025-03-18T19:51Z", EN_STORY, datetime(2025, 3, 18, 19, 51, tzinfo=utc_offset(0))),
        ("March 18, 2025 8:51 pm GMT", EN_STORY, datetime(2025, 3, 18, 20, 51, tzinfo=utc_offset(0))),
        ("Updated 4:15 p.m. EST, Jan. 9, 2025", EN_STORY, datetime(2025, 1, 9, 16, 15, tzinfo=utc_offset(-5))),
        (
            "Updated 21 May 2023, 08:15 · Published 20 May 2023, 23:50 EEST",
            EN_STORY,
            datetime(2023, 5, 20, 23, 50, tzinfo=utc_offset(3)),
        ),
        ("By Jane Porter | 3rd May 2025 | 12:00 UTC", EN_STORY, datetime(2025, 5, 3, 12, 0, tzinfo=utc_offset(0))),
        ("Tue 18 Mar 2025 06.30 GMT", EN_STORY, datetime(2025, 3, 18, 6, 30, tzinfo=utc_offset(0))),
        ("Sonntag, 9. März 2025, 18:00 Uhr MEZ", DE_STORY, datetime(2025, 3, 9, 18, 0, tzinfo=utc_offset(1))),
        ("Date: 2025/05/03 09:10", EN_STORY, datetime(2025, 5, 3, 9, 10)),
        ("Jan. 9, 2025 10:00 a.m. ET", EN_STORY, datetime(2025, 1, 9, 10, 0, tzinfo=utc_offset(-5))),
        ("3 May 2025 18:00 HKT", EN_STORY, datetime(2025, 5, 3, 18, 0)),  # unknown zone: clock time kept
        # no regex shape fits: the keyword-led line goes to dateparser as a last resort
        ("Published: 3rd of May 2025 at noon", EN_STORY, datetime(2025, 5, 3, 12, 0)),
    ],
)
def test_publication_line_shapes(line: str, story: str, expected: date) -> None:
    published = parse_page(make_page(line, story)).published
    assert published == expected
    assert published.isoformat() == expected.isoformat()  # same offset, not just the same instant


@pytest.mark.parametrize(
    ("zone", "hours"),
    [
        ("GMT", 0),
        ("UTC", 0),
        ("BST", 1),
        ("CET", 1),
        ("CEST", 2),
        ("MEZ", 1),
        ("MESZ", 2),
        ("EET", 2),
        ("EEST", 3),
        ("MSK", 3),
        ("EST", -5),
        ("EDT", -4),
        ("GMT+3", 3),
        ("GMT-4", -4),
        ("UTC+05:30", 5.5),
        ("UTC−2", -2),
        ("CDT", -5),
        ("ET", -4),  # New York on daylight time in May
        ("PT", -7),
    ],
)
def test_zone_abbreviations(zone: str, hours: float) -> None:
    published = parse_page(make_page(f"Published 3 May 2025, 09:10 {zone}")).published
    assert published == datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(hours))


def test_published_date_is_a_date_not_a_datetime_without_clock() -> None:
    published = parse_page(make_page("date 2025-03-18")).published
    assert type(published) is date
    assert published.isoformat() == "2025-03-18"


def test_date_inside_the_story_is_not_the_publication_line() -> None:
    story = (
        "On 3 May 2025 the army said it would halt its advance.\n\n"
        "Am 3. Mai 2025.\n\n"
        "The ceasefire was agreed in Riyadh, officials said on Monday.\n"
    )
    with pytest.raises(ArticleError) as caught:
        parse_page(make_page("Europe", story), "pages/x.txt")
    assert caught.value.reason == NO_DATE
    assert caught.value.path == "pages/x.txt"


def test_story_date_before_the_publication_line_is_ignored() -> None:
    text = (
        "Waffenruhe hält seit einer Woche\n\n"
        "Am 3. Mai 2025 trat die Waffenruhe in Kraft, seither ist es ruhig geblieben.\n\n"
        "Stand: 10.05.2025 08:00 Uhr\n\n" + DE_STORY
    )
    page = parse_page(text)
    assert page.published == datetime(2025, 5, 10, 8, 0, tzinfo=utc_offset(2))
    assert page.paragraphs[0].startswith("Am 3. Mai 2025 trat")


def test_publication_line_near_the_bottom_with_keyword() -> None:
    filler = "".join(f"Line {n} of a long story about the ceasefire, said officials.\n\n" for n in range(25))
    text = "Truce holds in the south\n\n" + filler + "Stand: 10.05.2025 08:00 Uhr\n"
    assert parse_page(text).published == datetime(2025, 5, 10, 8, 0, tzinfo=utc_offset(2))


def test_no_date_line_raises() -> None:
    with pytest.raises(ArticleError, match="no publication date"):
        parse_page("Truce extended\n\n" + EN_STORY, "a.txt")


def test_no_story_text_raises() -> None:
    with pytest.raises(ArticleError) as caught:
        parse_page("Home > World\n\nTruce extended\n\nPublished 3 May 2025\n\nShare Save\nAdvertisement\n", "b.txt")
    assert caught.value.reason == "no story text"


def test_empty_text_raises() -> None:
    with pytest.raises(ArticleError):
        parse_page("", "c.txt")


# --- title -------------------------------------------------------------------------------------------------------


def test_repeated_headline_kept_once() -> None:
    text = (
        "Truce extended by two more days\n"
        "Truce extended by two more days\n\n"
        "Published 3 May 2025, 09:10 CEST\n\n"
        "Truce extended by two more days\n\n" + EN_STORY
    )
    page = parse_page(text)
    assert page.title == "Truce extended by two more days"
    assert all("Truce extended" not in p for p in page.paragraphs)
    assert len(page.paragraphs) == 2


def test_headline_doubled_on_one_line() -> None:
    page = parse_page(make_page("date 2025-03-18", title="Truce extended by two days Truce extended by two days"))
    assert page.title == "Truce extended by two days"


def test_title_after_the_date_line_and_labels() -> None:
    text = "Politik\nAusland\n\nStand: 03.05.2025 09:10 Uhr\n\nKreml verkündet Feuerpause zum Kriegsende-Gedenken\n\n"
    page = parse_page(text + DE_STORY)
    assert page.title == "Kreml verkündet Feuerpause zum Kriegsende-Gedenken"


def test_video_headline_is_not_a_caption() -> None:
    page = parse_page(make_page("date 2025-03-18", title="Video: Putin declares an Easter truce"))
    assert page.title == "Video: Putin declares an Easter truce"


def test_title_falls_back_to_first_sentence() -> None:
    page = parse_page("Published 3 May 2025\n\n" + EN_STORY)
    assert page.title.startswith("Hamas and Israel agreed")


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
    ],
)
def test_sentence_splits(text: str, language: str, expected: list[str]) -> None:
    assert sentences(text, language) == expected


def test_sentences_walk_all_paragraphs_in_order() -> None:
    page = parse_page(DE_PAGE)
    assert list(page.sentences()) == [
        "Russland und die Ukraine haben jeweils 205 Kriegsgefangene ausgetauscht.",
        "Vermittelt hatten die Vereinigten Arabischen Emirate, teilte das Verteidigungsministerium in Moskau mit.",
        "Der Austausch ist der größte seit Wochen.",
        "Präsident Selenskyj kündigte weitere Schritte an, z. B. die Rückführung von Verwundeten am 10. Mai.",
        "Ein Sprecher des Kreml sagte, man halte an der Waffenruhe zum 9. Mai fest.",
    ]


# --- content hash -------------------------------------------------------------------------------------------------


def test_content_hash_ignores_resaving() -> None:
    resaved = "\ufeff" + EN_PAGE.replace("\n", "\r\n").replace(". ", ".  ") + "\r\n\r\n"
    assert content_hash(resaved) == content_hash(EN_PAGE)
    assert len(content_hash(EN_PAGE)) == 64


def test_content_hash_sees_a_changed_word() -> None:
    assert content_hash(EN_PAGE) != content_hash(EN_PAGE.replace("Riyadh", "Jeddah"))


def test_content_hash_keeps_paragraph_breaks() -> None:
    assert content_hash("a b\n\nc") != content_hash("a b c")


def test_a_headline_quoting_html_is_not_a_breadcrumb() -> None:
    """Scraped headlines can contain tag-like text; its ">" must not read as "Home > World"."""
    text = (
        "Home > World\n\nGaza: <b>mediators</b> & the <script>alert(1)</script> ceasefire\n\n"
        "Published 3 May 2025, 09:10 CEST\n\nIsrael and Hamas agreed to a ceasefire on Saturday, mediators said.\n"
    )
    assert parse_page(text).title == "Gaza: <b>mediators</b> & the <script>alert(1)</script> ceasefire"
