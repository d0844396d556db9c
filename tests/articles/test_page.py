"""The page layer on whole pages: boilerplate removal, the headline, a page without a story, the sentences of a
whole page and the content hash."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from articles.model import ArticleError
from articles.page import content_hash, parse_page
from tests.articles.page.build import make_page, utc_offset
from tests.articles.stories import DE_STORY, EN_STORY

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


# --- whole pages -----------------------------------------------------------------------------------------------


# Each language's whole page and the story paragraphs that are all that may remain of it.
PAGES = {"en": (EN_PAGE, EN_PARAGRAPHS), "de": (DE_PAGE, DE_PARAGRAPHS)}


@pytest.mark.parametrize(
    ("language", "title", "published"),
    [
        ("en", "Russia and Ukraine agree on Black Sea truce", datetime(2025, 3, 25, 18, 40, tzinfo=utc_offset(0))),
        ("de", "Russland und Ukraine tauschen Gefangene aus", datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(2))),
    ],
    ids=["english", "german"],
)
def test_page_keeps_story_only(language: str, title: str, published: datetime) -> None:
    text, paragraphs = PAGES[language]
    page = parse_page(text)
    assert page.title == title
    assert page.published == published
    assert page.language == language
    assert page.paragraphs == paragraphs


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
        "View this email in your browser | Forward to a friend | Manage preferences",
        "Diese E-Mail wird nicht richtig angezeigt? Im Browser lesen",
        "▶ Audio: Die Nachrichten (5:08 min)   ⬇ Herunterladen   ⤴ Teilen   ☆ Merken",
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


@pytest.mark.parametrize(
    ("heading", "item", "story"),
    [
        ("What people are reading", "Red Sea shipping: insurers cautious despite pledge", EN_STORY),
        ("Was andere lesen", "Waffenruhe in Gefahr: Beobachter zweifeln an Zusagen", DE_STORY),
        ("Popular now", "Explainer: who holds power in the capital?", EN_STORY),
    ],
)
def test_a_list_of_what_others_read_leaves_the_story(heading: str, item: str, story: str) -> None:
    items = f"{item}\nThe envoy: talks resume in Muscat\nExplainer: who holds power in the capital?\n"
    page = parse_page(make_page("date 2025-03-18", f"{story}\n{heading}\n{items}"))
    assert all(item not in p and heading not in p for p in page.paragraphs)


def test_short_story_sentence_after_ad_label_survives() -> None:
    story = f"{EN_STORY}\nAdvertisement\n\nPrevious truces have collapsed within hours.\n"
    assert parse_page(make_page("date 2025-03-18", story)).paragraphs[-1] == (
        "Previous truces have collapsed within hours."
    )


@pytest.mark.parametrize(
    ("stamp", "block", "kept"),
    [
        (  # a live blog's entry after an ad label keeps its first line (its heading may stay glued to it)
            "Stand: 12.12.2024 19:05 Uhr",
            "Anzeige\n\n+++ 13:10 Uhr – Berater: Keine Gespräche +++\n"
            "Der Präsidentenberater hat bestritten, dass es zwischen Kiew und\n"
            "Budapest Kontakte über eine Feuerpause gegeben habe.\n",
            r"Der Präsidentenberater hat bestritten, dass es zwischen Kiew und Budapest",
        ),
        (  # a subheading after an ad label leaves the paragraph under it whole, and on its own
            "Stand: 11.02.2025 19:48 Uhr",
            "Anzeige\n\nAbkommen in drei Phasen\n"
            "Die Waffenruhe war am 19. Januar um 11.15 Uhr Ortszeit in Kraft getreten, fast drei Stunden später als\n"
            "vorgesehen. Ihre erste Phase ist auf sechs Wochen angelegt.\n",
            r"^Die Waffenruhe war am 19\. Januar .* als vorgesehen\.",
        ),
    ],
)
def test_what_follows_an_ad_label_is_kept_whole(stamp: str, block: str, kept: str) -> None:
    paragraphs = parse_page(make_page(stamp, f"{DE_STORY}\n{block}")).paragraphs
    assert any(re.search(kept, p) for p in paragraphs), paragraphs


# --- pages without a story -------------------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    "doubled",
    [
        "Truce extended by two days Truce extended by two days",
        "Truce extended by two daysTruce extended by two days",
        "Truce extended by two daysTruce extended",
    ],
)
def test_headline_doubled_on_one_line(doubled: str) -> None:
    page = parse_page(make_page("date 2025-03-18", title=doubled))
    assert page.title == "Truce extended by two days"


def test_title_after_the_date_line_and_labels() -> None:
    text = "Politik\nAusland\n\nStand: 03.05.2025 09:10 Uhr\n\nKreml verkündet Feuerpause zum Kriegsende-Gedenken\n\n"
    page = parse_page(text + DE_STORY)
    assert page.title == "Kreml verkündet Feuerpause zum Kriegsende-Gedenken"


@pytest.mark.parametrize(
    "masthead",
    [
        "Nordsee-Kurier\nStartseite | Region | Politik | Sport\n\nAnzeige\n\nNahost\n",
        "KÜSTENLAND – Das Magazin für Natur und Menschen\nReportagen | Natur | Reisen\n\nAnzeige\n\n",
    ],
)
def test_a_banners_ad_label_above_the_story_leaves_the_headline_under_it(masthead: str) -> None:
    text = f"{masthead}Kreml verkündet Feuerpause zum Kriegsende-Gedenken\n\nStand: 03.05.2025 09:10 Uhr\n\n"
    assert parse_page(text + DE_STORY).title == "Kreml verkündet Feuerpause zum Kriegsende-Gedenken"


def test_a_line_repeating_the_publication_s_name_above_the_headline_is_not_it() -> None:
    text = (
        "Caspian Policy Forum\nCaucasus Daily Brief\n\nHome / Publications / Caucasus Daily Brief\n\n"
        "CAUCASUS DAILY BRIEF — No. 412\nKreml verkündet Feuerpause zum Kriegsende-Gedenken\n"
        "Stand: 03.05.2025 09:10 Uhr\n\n"
    )
    assert parse_page(text + DE_STORY).title == "Kreml verkündet Feuerpause zum Kriegsende-Gedenken"


def test_a_headline_framed_by_ticker_marks_is_read_without_them() -> None:
    page = parse_page(make_page("date 2025-03-18", title="+++ Kreml verkündet Feuerpause zum Kriegsende-Gedenken +++"))
    assert page.title == "Kreml verkündet Feuerpause zum Kriegsende-Gedenken"


@pytest.mark.parametrize("label", ["LIVE  ", "EILMELDUNG: ", "LIVE | "])
def test_a_section_label_in_capitals_opening_the_headline_is_no_part_of_it(label: str) -> None:
    page = parse_page(make_page("date 2025-03-18", title=f"{label}Kreml verkündet Feuerpause zum Kriegsende-Gedenken"))
    assert page.title == "Kreml verkündet Feuerpause zum Kriegsende-Gedenken"


def test_video_headline_is_not_a_caption() -> None:
    page = parse_page(make_page("date 2025-03-18", title="Video: Putin declares an Easter truce"))
    assert page.title == "Video: Putin declares an Easter truce"


def test_title_falls_back_to_first_sentence() -> None:
    page = parse_page("Published 3 May 2025\n\n" + EN_STORY)
    assert page.title.startswith("Hamas and Israel agreed")


def test_a_headline_quoting_html_is_not_a_breadcrumb() -> None:
    """Scraped headlines can contain tag-like text; its ">" must not read as "Home > World"."""
    text = (
        "Home > World\n\nGaza: <b>mediators</b> & the <script>alert(1)</script> ceasefire\n\n"
        "Published 3 May 2025, 09:10 CEST\n\nIsrael and Hamas agreed to a ceasefire on Saturday, mediators said.\n"
    )
    assert parse_page(text).title == "Gaza: <b>mediators</b> & the <script>alert(1)</script> ceasefire"


# --- sentences ----------------------------------------------------------------------------------------------------


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
