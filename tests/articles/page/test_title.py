"""The headline: without breadcrumb numbers, glued kickers and site names; not the outlet's name or a kicker line;
and the headline as low-weight text for the extractor."""

from __future__ import annotations

import pytest

from articles.page import parse_page
from articles.page.title import Title, clean_title, title_index

STAMP = "Stand: 04.02.2025 18:05 Uhr"
DE_STORY = (
    "Israel will die Angriffe im Süden des Gazastreifens für 14 Tage einstellen, teilten die Vermittler in Kairo "
    "mit.\n\nDie Waffenruhe soll in der Nacht beginnen. Die Regierung in Jerusalem bestätigte die Angaben.\n"
)
EN_STORY = (
    "Israel and Hamas agreed to extend the truce in Gaza by two more days, mediators in Doha said on Monday.\n\n"
    "Both sides said they would keep to the terms of the original deal.\n"
)
CRUMBS = (
    "1. Startseite\n  2. Politik\n  3. Ausland\n  4. Nahost: Israel will Angriffe im Süden für 14 Tage einstellen\n"
)


def test_breadcrumb_item_is_not_the_title() -> None:
    page = parse_page(f"{CRUMBS}\nIsrael will Angriffe im Süden für 14 Tage einstellen\n\n{STAMP}\n\n{DE_STORY}")
    assert page.title == "Israel will Angriffe im Süden für 14 Tage einstellen"
    assert page.kicker == "Nahost"  # the breadcrumb item's 'Kicker: Headline'
    assert all("Startseite" not in p and "4." not in p for p in page.paragraphs)


def test_a_paragraphs_first_line_wrapped_by_hand_is_the_story_not_a_headline() -> None:
    top = "Airwaves ceasefire: two community stations end their static war with a frequency swap"
    share = "Share:  Facebook | X | WhatsApp | Email"
    first = (
        "TWO community radio stations that have spent the best part of a year drowning each other out have agreed "
        "what\none volunteer called a ceasefire on the dial."
    )
    byline = "By Megan Tulloch  |  Community Reporter"
    image = "[Image: A volunteer presenter in the studio above the old Co-op. Picture: Echo]"
    head = f"You are here: Home > News > Kellbridge\n\n{top}\n\n{byline}\nTuesday 14 May 2024, 06:30\n\n{share}"
    page = parse_page(f"{head}\n\n{image}\n\n{first}\n\n{EN_STORY}")
    assert page.title == top


def test_the_last_crumb_in_capitals_opening_the_headline_is_not_part_of_it() -> None:
    crumbs = "1. Home\n2. News\n3. Ravensholme\n4. Council\n"
    top = "COUNCIL  Gravediggers call off cemetery strike as council shelves weekend rota plan"
    page = parse_page(f"{crumbs}\n{top}\n\n{STAMP}\n\n{EN_STORY}")
    assert page.title == "Gravediggers call off cemetery strike as council shelves weekend rota plan"


@pytest.mark.parametrize(
    "top",
    [
        "THE LEDGER\n\nMIDDLE EAST / GAZA",
        # a breadcrumb under a label ('you are here:') is still a breadcrumb
        "THE LEDGER\n\nSie befinden sich hier: Startseite > Region > Ausland",
        "THE LEDGER\n\nSie befinden sich hier: Start / Ticker / Kirchwalden",
        # a path set apart by triangles
        "THE LEDGER\n\nWorld ▸ Middle East ▸ Israel-Gaza war",
        # a numbered path under a label, the page's own headline its last item
        "THE LEDGER\n\nYou are here: 1. Home 2. World 3. Middle East 4. Truce in Gaza extended by two days",
        # a row of sections running into the account links
        "THE LEDGER\nPolitics · Security · Energy · Culture · Podcasts · Print edition   Log in   Subscribe from $1",
        # the station's name in front of its row of sections
        "Coastline Radio Network – Listen | Schedule | Podcasts | Traffic | Weather",
        # sections in brackets, the account links after them
        "THE LEDGER\n[ Top stories ] [ For you ] [ Following ] [ Local ] [ Sport ]        ⚙ Settings   Sign in",
    ],
)
def test_a_section_path_or_row_is_not_the_title(top: str) -> None:
    page = parse_page(f"{top}\n\nTruce in Gaza extended by two days\n\n{STAMP}\n\n{EN_STORY}")
    assert page.title == "Truce in Gaza extended by two days"


@pytest.mark.parametrize(
    ("top", "story", "headlines"),
    [
        (
            "AUS ALLER WELT\n\nEndlich Ruhe im Süden?\nVermittler hoffen auf eine längere Pause der Kämpfe",
            DE_STORY,
            {"Endlich Ruhe im Süden?", "Vermittler hoffen auf eine längere Pause der Kämpfe"},
        ),
        ("WORLD IN BRIEF\n\nWill the truce hold this time?", EN_STORY, {"Will the truce hold this time?"}),
    ],
)
def test_a_headline_that_asks_is_a_headline_not_the_story(top: str, story: str, headlines: set[str]) -> None:
    page = parse_page(f"{top}\n\n{STAMP}\n\n{story}")
    assert page.title in headlines
    assert page.paragraphs[0] == story.split("\n")[0]


def test_a_bracketed_insert_above_the_headline_is_not_the_title() -> None:
    top = "THE LEDGER\n\n[Offer: new readers get 12 weeks for £1. Terms apply. Cancel at any time]\n\nREPORT"
    page = parse_page(f"{top}\nTruce in Gaza extended by two days\n\n{STAMP}\n\n{EN_STORY}")
    assert page.title == "Truce in Gaza extended by two days"


def test_a_brief_under_a_section_path_with_topic_links_and_key_points_keeps_its_headline() -> None:
    top = (
        "THE INSTITUTE\nResearch   Events   Publications   About\n\nPublications / Policy Briefs / Conflict Monitor\n\n"
        "POLICY BRIEF No. 31\nTruce in Gaza extended by two days: what was agreed\n\n"
        "Conflict Monitor | Gaza | Peace processes | Armed groups\n\nKEY POINTS\n"
        "• Israel and Hamas have, for the first time, extended a pause by agreement\n"
    )
    assert parse_page(f"{top}\n{STAMP}\n\n{EN_STORY}").title == "Truce in Gaza extended by two days: what was agreed"


def test_who_reads_the_news_is_no_headline() -> None:
    page = parse_page(f"Radio Nord | Nachrichten\n\nSprecherin: Hanna Berger\n\n{STAMP}\n\n{DE_STORY}")
    assert page.title != "Sprecherin: Hanna Berger"


def test_a_slogan_of_short_sentences_under_the_masthead_is_not_the_story() -> None:
    page = parse_page(
        f"THE LEDGER\nYour town. Your news.\n\nTruce in Gaza extended by two days\n\n{STAMP}\n\n{EN_STORY}"
    )
    assert page.title == "Truce in Gaza extended by two days"


@pytest.mark.parametrize(
    ("top", "title"),
    [
        (
            "Europe   Israel and the Middle East\n\nTruce in Gaza extended by two days",
            "Truce in Gaza extended by two days",
        ),
        # a kicker set apart by a gap from a headline of full length stays a headline line
        (
            "Gaza   Truce in Gaza extended by two days after talks in Doha",
            "Truce in Gaza extended by two days after talks in Doha",
        ),
    ],
)
def test_a_section_and_subsection_set_apart_by_a_wide_gap_is_not_the_title(top: str, title: str) -> None:
    page = parse_page(f"{top}\n\n{STAMP}\n\n{EN_STORY}")
    assert title in page.title


@pytest.mark.parametrize(
    "tools",
    [
        "Live updates   By Middle East desk",  # a pair of labels
        "Key events   Show newest first   Share",  # a row of links
    ],
)
def test_a_live_blogs_labels_below_the_stamp_do_not_hide_the_headline_above_it(tools: str) -> None:
    top = (
        "LIVE\nGaza live: negotiators to fly to Doha for second-phase talks\n\nLast updated 3 May 2025 19:30 GMT\n\n"
        f"{tools}\n\n19:30 GMT\nNetanyahu arrives at the White House"
    )
    page = parse_page(f"{top}\n\n{EN_STORY}")
    assert page.title.endswith("negotiators to fly to Doha for second-phase talks")


def test_a_colon_that_lost_its_space_gets_it_back() -> None:
    page = parse_page(f"Nahost:Waffenruhe im Süden hält\n\n{STAMP}\n\n{DE_STORY}")
    assert page.title in {"Nahost: Waffenruhe im Süden hält", "Waffenruhe im Süden hält"}


def test_a_menu_with_an_abbreviation_is_not_the_title() -> None:
    top = "NEWSDESK\nTop Stories   U.S.   World   Business   Tech   Sports   Local   For You\n\nTruce in Gaza extended"
    page = parse_page(f"{top}\n\n{STAMP}\n\n{EN_STORY}")
    assert page.title == "Truce in Gaza extended"


def test_glued_kicker_is_split_off_with_the_breadcrumb_as_evidence() -> None:
    page = parse_page(f"{CRUMBS}\nNahostIsrael will Angriffe im Süden für 14 Tage einstellen\n\n{STAMP}\n\n{DE_STORY}")
    assert page.title == "Israel will Angriffe im Süden für 14 Tage einstellen"
    assert page.kicker == "Nahost"


def test_glued_kicker_of_several_words_is_split_off() -> None:
    text = f"Krieg in NahostWaffenruhe im Süden hält seit zwei Tagen\n\n{STAMP}\n\n{DE_STORY}"
    page = parse_page(text.replace("Die Waffenruhe soll", "Die Waffenruhe in Nahost soll"))
    assert page.title == "Waffenruhe im Süden hält seit zwei Tagen"
    assert page.kicker == "Krieg in Nahost"


@pytest.mark.parametrize(
    ("headline", "kicker", "title"),
    [
        # the kicker's last word is half of a compound: only the run of letters at the join is the glued token
        ("Konflikt Israel–GazaWaffenruhe im Süden hält", "Konflikt Israel–Gaza", "Waffenruhe im Süden hält"),
        # a kicker ending in a hyphenated compound: its last part is the word the story uses
        ("Nach der Gaza-WaffenruheAls die Waffen schwiegen", "Nach der Gaza-Waffenruhe", "Als die Waffen schwiegen"),
        # after words of its own the kicker may end in a short acronym
        ("Kampf gegen den ISWaffenruhe im Süden hält", "Kampf gegen den IS", "Waffenruhe im Süden hält"),
    ],
)
def test_a_glued_kicker_ending_in_a_compound_or_acronym_is_split_off(headline: str, kicker: str, title: str) -> None:
    text = f"{headline}\n\n{STAMP}\n\n{DE_STORY}".replace("Die Waffenruhe soll", "Die Waffenruhe in Gaza soll")
    page = parse_page(text.replace("Israel will", "Israel will nach Angaben aus Gaza"))
    assert (page.kicker, page.title) == (kicker, title)


def test_a_kicker_in_capitals_glued_to_the_headline_is_split_off() -> None:
    page = parse_page(f"GAZA TRUCEMediators extend the truce by two days\n\n{STAMP}\n\n{EN_STORY}")
    assert page.title == "Mediators extend the truce by two days"
    assert page.kicker == "GAZA TRUCE"


def test_a_kicker_in_capitals_glued_to_a_short_word_is_split_off_without_other_evidence() -> None:
    page = parse_page(f"LOCAL SPORTNo more strikes on the lanes as clubs call a truce\n\n{STAMP}\n\n{EN_STORY}")
    assert (page.kicker, page.title) == ("LOCAL SPORT", "No more strikes on the lanes as clubs call a truce")


@pytest.mark.parametrize(
    ("page", "title", "gone"),
    [
        # a breadcrumb ending in a short headline is navigation
        (
            "Home / World / Middle East / Israel and Hamas agree to extend the truce in Gaza\n\n"
            f"Gaza truce extended by two days as talks go on\n\n{STAMP}\n\n{EN_STORY}",
            "Gaza truce extended by two days as talks go on",
            "Home /",
        ),
        # an ad's longer claim right below its label, ending in a call rather than a full stop
        (
            "Anzeige\nTagesgeld: 3,50 % p.a. für Neukunden – garantiert für 4 Monate und ohne Gebühren. Jetzt eröffnen"
            f"\n{STAMP}\n\nIsrael stellt Angriffe im Süden ein\n\n{DE_STORY}",
            "Israel stellt Angriffe im Süden ein",
            "Tagesgeld",
        ),
    ],
)
def test_navigation_or_an_ad_above_the_headline_is_not_the_title(page: str, title: str, gone: str) -> None:
    parsed = parse_page(page)
    assert parsed.title == title
    assert all(gone not in p for p in parsed.paragraphs)


@pytest.mark.parametrize(
    "title",
    [
        "YouTube removes channels of the militia after truce",
        "McDonald's closes restaurants in the region after truce",
        "iPhone maker halts production after the truce ends",
        "DeSantis welcomes the extended truce in Gaza",
    ],
)
def test_names_with_inner_capitals_are_not_kickers(title: str) -> None:
    story = EN_STORY + f"\n{title.split()[0]} said it was following the situation closely.\n"
    page = parse_page(f"{title}\n\n{STAMP}\n\n{story}")
    assert page.title == title
    assert page.kicker is None


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Truce extended by two days | DW", "Truce extended by two days"),
        ("Truce extended by two days | Example Times", "Truce extended by two days"),
        ("Waffenruhe um zwei Tage verlängert – tagesschau.de", "Waffenruhe um zwei Tage verlängert"),
        ("Truce extended by two days - BBC News", "Truce extended by two days"),
        ("Putin verkündet Waffenruhe – Selenskyj misstrauisch", "Putin verkündet Waffenruhe – Selenskyj misstrauisch"),
        ("Video: Putin declares an Easter truce", "Video: Putin declares an Easter truce"),
        ("Gaza: Israel and Hamas agree on a two-day extension", "Gaza: Israel and Hamas agree on a two-day extension"),
    ],
)  # fmt: skip
def test_site_names_leave_the_title(line: str, title: str) -> None:
    assert parse_page(f"{line}\n\n{STAMP}\n\n{EN_STORY}").title == title


def test_a_site_domain_with_a_slogan_of_sentences_above_the_headline_is_not_the_story() -> None:
    # its slogan reads as two sentences: without the domain's test the story would start there, with no headline
    top = "newsplus24.de – Alle Nachrichten. Eine Seite.\n\nNORDSYRIEN\nHTS-Miliz zieht Kämpfer aus Afrin ab"
    assert parse_page(f"{top}\n\n{STAMP}\n\n{DE_STORY}").title == "HTS-Miliz zieht Kämpfer aus Afrin ab"


def test_a_short_headline_stays_above_a_teaser_wrapped_after_an_article() -> None:
    # the teaser's first line is short enough to pass for a headline, but it ends on 'den': the next line goes on
    top = (
        "SÜDEN\nHelfer setzen Streik aus\n"
        "Nach zwei Tagen vereinbaren Stadt und Helfer eine Pause der Proteste bis nach den\n"
        "Osterferien. Über feste Stellen soll jetzt verhandelt werden."
    )
    assert parse_page(f"{top}\n\n{STAMP}\n\n{DE_STORY}").title == "Helfer setzen Streik aus"


def test_outlet_name_slogan_and_menu_are_not_the_title() -> None:
    text = (
        "The Example Herald\nNews you can trust every day\n"
        "News   World   Business   Opinion   Sport\n\n"
        f"Israel and Hamas extend Gaza truce by two more days\n\n{STAMP}\n\n{EN_STORY}"
    )
    page = parse_page(text)
    assert page.title == "Israel and Hamas extend Gaza truce by two more days"
    assert all("Herald" not in p and "Opinion" not in p for p in page.paragraphs)


def test_a_menu_between_bars_and_what_stands_above_it_are_not_the_title() -> None:
    text = (
        "Newsroom Hub: the day's headlines in one place\nTop Stories | World | South Asia | Business | Tech\n\n"
        f"Israel and Hamas extend Gaza truce by two more days\n\n{STAMP}\n\n{EN_STORY}"
    )
    assert parse_page(text).title == "Israel and Hamas extend Gaza truce by two more days"


def test_a_caption_with_its_credit_in_brackets_is_not_the_title() -> None:
    caption = "Police officers outside the town hall on Friday evening. (NNN photo)"
    text = f"{caption}\n\nIsrael and Hamas extend Gaza truce by two more days\n\n{STAMP}\n\n{EN_STORY}"
    page = parse_page(text)
    assert page.title == "Israel and Hamas extend Gaza truce by two more days"
    assert all("NNN" not in p for p in page.paragraphs)


@pytest.mark.parametrize(
    ("top", "title"),
    [
        # a ticker banner is not the headline
        (
            "+++ Eilmeldung: Vollsperrung auf der A 3 nach Unfall +++\n\nWaffenruhe im Süden hält an",
            "Waffenruhe im Süden hält an",
        ),
        # a short kicker line right above a short headline gives way
        ("Vermittlung in Kairo\nWaffenruhe im Süden verlängert", "Waffenruhe im Süden verlängert"),
        # a kicker glued to an acronym, proved by the breadcrumb
        ("1. Startseite\n2. Nahost: UNO fordert Feuerpause\n\nNahostUNO fordert Feuerpause", "UNO fordert Feuerpause"),
        # a kicker line above the headline
        (
            "Krieg in Nahost\nWaffenruhe im Süden des Gazastreifens hält an",
            "Waffenruhe im Süden des Gazastreifens hält an",
        ),
        # a kicker set in capitals above a shorter headline
        ("NACH ZWEI JAHREN IN GEISELHAFT\nWaffenruhe im Süden hält", "Waffenruhe im Süden hält"),
    ],
    ids=["ticker-banner", "short-kicker", "kicker-glued-to-acronym", "kicker-line", "caps-kicker-line"],
)
def test_the_headline_among_what_stands_above_the_story(top: str, title: str) -> None:
    assert parse_page(f"{top}\n\n{STAMP}\n\n{DE_STORY}").title == title


def test_headline_sentences_give_the_title_and_a_teaser() -> None:
    text = (
        f"Israel and Hamas extend Gaza truce\n\nMediators say the pause will now last until Wednesday night\n\n"
        f"{STAMP}\n\n{EN_STORY}"
    )
    page = parse_page(text)
    assert page.teaser == "Mediators say the pause will now last until Wednesday night"
    assert page.headline_sentences() == ("Israel and Hamas extend Gaza truce", page.teaser)
    assert page.teaser not in page.paragraphs


def test_a_term_stated_only_in_the_headline_reaches_the_extractor() -> None:
    page = parse_page(f"{CRUMBS}\nNahostIsrael will Angriffe im Süden für 14 Tage einstellen\n\n{STAMP}\n\n"
                      "Die Vermittler in Kairo bestätigten die Einigung am Abend.\n")  # fmt: skip
    assert "14 Tage" in " ".join(page.headline_sentences())
    assert "14 Tage" not in " ".join(page.paragraphs)


def test_no_headline_sentences_when_the_title_is_the_first_sentence() -> None:
    page = parse_page(f"Published 3 May 2025\n\n{EN_STORY}")
    assert page.title_from_story
    assert page.title.startswith("Israel and Hamas agreed")
    assert page.headline_sentences() == ()


def test_a_share_bar_with_a_licensing_button_below_the_headline_is_no_navigation() -> None:
    top = (
        "World   Business   Markets   Legal   More\n\nWorld > Middle East\n\nTruce in Gaza extended by two days\n\n"
        "May 3, 2025 | 07:10 GMT\n\nShare   X   Facebook   LinkedIn   Email   Link   Purchase Licensing Rights\n\n"
        "Summary\nMediators say both sides accepted the extension"
    )
    page = parse_page(f"{top}\n\n{EN_STORY}")
    assert page.title == "Truce in Gaza extended by two days"


@pytest.mark.parametrize(
    ("headline", "story", "expected"),
    [
        ("ROUNDUP 2: Israel stellt Angriffe im Süden ein", DE_STORY, "Israel stellt Angriffe im Süden ein"),
        ("UPDATE 1-Truce in Gaza extended by two days", EN_STORY, "Truce in Gaza extended by two days"),
        ("EXCLUSIVE: Truce in Gaza extended by two days", EN_STORY, "Truce in Gaza extended by two days"),
        # a broadcast's transcript labelled so
        ("TRANSCRIPT: Truce in Gaza extended by two days", EN_STORY, "Truce in Gaza extended by two days"),
        ("NATO: Truce in Gaza must hold", EN_STORY, "NATO: Truce in Gaza must hold"),  # a name, not a desk's label
    ],
)
def test_a_wire_desks_label_is_not_part_of_the_headline(headline: str, story: str, expected: str) -> None:
    assert parse_page(f"{headline}\n\n{STAMP}\n\n{story}").title == expected


@pytest.mark.parametrize(
    ("above", "headline", "story"),
    [
        # a wire desk's note on what the version changed
        ("ZUSAMMENFASSUNG 2 – neu: Landung, Absätze 1, 2 und 9", "Israel stellt Angriffe im Süden ein", DE_STORY),
        ("UPDATE 2-Adds Kremlin comment in paragraphs 5-6", "Truce in Gaza extended by two days", EN_STORY),
        ("(Adds Kremlin comment in paragraphs 5-6)", "Truce in Gaza extended by two days", EN_STORY),
        # a ticker banner, a wire's metadata
        ("BREAKING NEWS  ▸  Six Americans freed, Trump says", "Truce in Gaza extended by two days", EN_STORY),
        ("EILMELDUNG » Geiseln frei, sagt das Rote Kreuz", "Israel stellt Angriffe im Süden ein", DE_STORY),
        ("Priorität: 2   Wörter: 512   Zusammenfassung", "Israel stellt Angriffe im Süden ein", DE_STORY),
        ("Priority: 1   Words: 640", "Truce in Gaza extended by two days", EN_STORY),
    ],
)
def test_a_desk_note_a_ticker_banner_or_a_wires_metadata_above_the_headline_is_not_it(
    above: str, headline: str, story: str
) -> None:
    assert parse_page(f"{above}\n\n{headline}\n\n{STAMP}\n\n{story}").title == headline


@pytest.mark.parametrize(
    ("headline", "kicker", "title"),
    [
        ("Ost-KongoM23 verkündet Waffenruhe", "Ost-Kongo", "M23 verkündet Waffenruhe"),
        ("Prisoner exchange103 soldiers home in swap", "Prisoner exchange", "103 soldiers home in swap"),
    ],
)
def test_a_glued_kicker_before_an_acronym_with_digits_or_a_number_is_split_off(
    headline: str, kicker: str, title: str
) -> None:
    others = ["Ost-Kongo und die Region", "The prisoner exchange was the eighth this year"]
    found = clean_title(headline, [], others)
    assert (found.text, found.kicker) == (title, kicker)


@pytest.mark.parametrize(
    ("top", "story"),
    [
        # a clip's teaser with its length
        ("Audio: Nahost-Vermittler melden Einigung auf 14 Tage, 3 Min", DE_STORY),
        ("Video: Israel stoppt Angriffe im Süden – die Lage in Gaza, 2:45 Min", DE_STORY),
        ("Watch: Gaza truce extended as mediators meet in Doha, 4 mins", EN_STORY),
        # an outlet's slogan or an aggregator's disclaimer
        ("NEWSFLUT.de – Nachrichten aus über 800 Quellen", DE_STORY),
        ("Nachrichten aus aller Welt – automatisch zusammengestellt aus über 200 Quellen", DE_STORY),
        (
            "Die Meldung wurde automatisch aus der Quelle übernommen. Für den Inhalt ist der jeweilige Anbieter "
            "verantwortlich.",
            DE_STORY,
        ),
        ("Worldwire – news from around the world, from over 900 sources", EN_STORY),
        # a skip link, a script notice, a sponsor's line, a link to elsewhere, a framed note on the text view
        ("Zum Inhalt springen", DE_STORY),
        ("Open in app for a better experience [OPEN]", EN_STORY),
        ("Please enable JavaScript to see live updates automatically.", EN_STORY),
        ("Presented by ACME FREIGHT — Freight forwarding to the Levant in 72 hours. Get a quote →", EN_STORY),
        ("EID 2025: Moon sighted – Eid begins Sunday across the region → Full coverage", EN_STORY),
        ("————— Text view (automatically generated – may contain errors) —————", EN_STORY),
        # a consent notice, a town hall's opening hours
        ("Wir und unsere 143 Partner speichern und/oder greifen auf Informationen auf Ihrem Gerät zu", DE_STORY),
        ("Schalter und Telefon: Mo–Fr 8.00–11.30 / 14.00–17.00 Uhr | Notfall Werkhof", DE_STORY),
    ],
)
def test_a_clips_teaser_an_outlets_slogan_or_a_disclaimer_is_not_the_title(top: str, story: str) -> None:
    headline = "Waffenruhe im Süden verlängert" if story is DE_STORY else "Truce in Gaza extended by two days"
    page = parse_page(f"{top}\n\n{headline}\n\n{STAMP}\n\n{story}")
    assert page.title == headline


@pytest.mark.parametrize(
    ("glued", "headline", "kicker"),
    [
        (
            "Krieg in NahostLIVE: Feuerpause im Gazastreifen verlängert",
            "Feuerpause im Gazastreifen verlängert",
            "Krieg in Nahost",
        ),
        (
            "UkraineEILMELDUNG: Russland und Ukraine tauschen Gefangene aus",
            "Russland und Ukraine tauschen Gefangene aus",
            "Ukraine",
        ),
    ],
)
def test_a_kicker_glued_to_a_section_label_is_cut_with_it(glued: str, headline: str, kicker: str) -> None:
    assert clean_title(glued, [], []) == Title(headline, kicker)


def test_a_kicker_before_a_tickers_framed_line_is_cut_with_the_frame() -> None:
    glued = "Kämpfe im Lager+++ Libanon: Neue Waffenruhe im Lager vereinbart +++"
    assert clean_title(glued, [], []) == Title("Libanon: Neue Waffenruhe im Lager vereinbart", "Kämpfe im Lager")


@pytest.mark.parametrize(
    ("top", "story"),
    [
        # a press release's reference and label, left on the stamp's line once the stamp is cut out of it
        ("Issued: Monday 17 November 2025 | Ref: PR-2025-311 | For immediate release", EN_STORY),
        # a bulletin's player with its length
        ("Transcript of the bulletin as broadcast. Audio ▶ 6:12", EN_STORY),
        ("Manuskript der Sendung. Audio ► 4:05", DE_STORY),
        ("Audio starten, abbrechen mit Escape 03:12 Min", DE_STORY),
        # a newsletter's contents, however long its first item
        ("In this issue: Noticeboard peace deal · Library hours · Pothole of the week · What's on", EN_STORY),
        # a newsletter's tagline that ends with its edition
        ("Markets, policy and money from Buenos Aires to Santiago — Evening edition", EN_STORY),
        # a live page's running label
        ("LIVE  Krieg in der Ukraine, Tag 38", DE_STORY),
        # an e-paper's masthead, and its note on a clipped article, a sentence that is no story
        (
            "THE TAWI TRIBUNE  e-Paper\n\nYou are viewing a clipped article. Tap anywhere on the page to return to "
            "the full page view.",
            EN_STORY,
        ),
        ("DER GRENZBOTE  e-Paper", DE_STORY),
    ],
    ids=[
        "press-release-labels",
        "player-en",
        "player-de",
        "player-length",
        "contents",
        "newsletter-edition",
        "live-day-count",
        "e-paper-masthead-and-clip-note",
        "e-paper-masthead-de",
    ],
)
def test_labels_or_a_player_above_the_headline_are_not_the_title(top: str, story: str) -> None:
    headline = "Waffenruhe im Süden verlängert" if story is DE_STORY else "Truce in Gaza extended by two days"
    stamp = "" if "2025" in top else f"{STAMP}\n\n"
    page = parse_page(f"{top}\n\n{headline}\n\n{stamp}{story}")
    assert page.title == headline


def test_a_headline_with_a_button_word_in_lower_case_is_kept() -> None:
    """'Sign up' is a button; 'firms sign up to' is a headline's verb."""
    headline = "Mediators sign up to a new Gaza truce plan in Doha"
    assert parse_page(f"{headline}\n\n{STAMP}\n\n{EN_STORY}").title == headline
    assert parse_page(f"Sign up for our Middle East briefing\n\n{headline}\n\n{STAMP}\n\n{EN_STORY}").title == headline


def test_the_stamps_own_row_under_the_headline_is_no_navigation() -> None:
    """An aggregator's source row holds the stamp among other items; cut out of it, the rest is no menu that the
    headline would have to stand below."""
    top = (
        "HEADLINEHUB | Your news, all in one place\n"
        "Top Stories  Local  World  Travel  Money  Sport  Weather\n\n"
        "Truce in Gaza extended by two days\n\n"
        "Source: Gulf Evening Post  ·  03.02.2025, 09:14  ·  4 min read\n"
        "Original article on gulfeveningpost.example ↗"
    )
    story = (
        "Israel and Hamas agreed to extend the truce in Gaza by two more days, mediators in Doha said on Monday\n"
        "evening, after talks that ran late into the night.\n\n"
        "Both sides said they would keep to the terms of the original deal.\n"
    )
    assert parse_page(f"{top}\n\n{story}").title == "Truce in Gaza extended by two days"


def test_a_kicker_in_capitals_glued_to_a_quotation_is_split_off() -> None:
    story = (
        "Harwick council and the town's street artists agreed a six-month truce over twelve legal walls on "
        "Monday, the council said.\n\nBoth sides said they would meet again in March.\n"
    )
    page = parse_page(f"HARWICK'Truce' on the walls: council and artists agree deal\n\n{STAMP}\n\n{story}")
    assert page.title == "'Truce' on the walls: council and artists agree deal"
    assert page.kicker == "HARWICK"


@pytest.mark.parametrize("label", ["Betreff: ", "Subject: "])
def test_a_newsletters_subject_label_is_not_part_of_the_headline(label: str) -> None:
    assert clean_title(f"{label}Waffenruhe im Süden verlängert", [], []).text == "Waffenruhe im Süden verlängert"


@pytest.mark.parametrize(
    ("greeting", "item"),
    [
        (
            "Good morning. A long phone call, a new venue and a visitor at the White House\n"
            "today. Here's what you need to know.",
            "",
        ),
        (
            "Guten Morgen. Ein langes Telefonat, ein neuer Ort und ein Besuch im Weißen Haus\n"
            "heute. Das Wichtigste im Überblick.",
            "1 | ",
        ),
        (  # the invitation to subscribe that a forwarded copy carries above the greeting
            "Was this forwarded to you by a colleague? Sign up here, it costs nothing.\n\n"
            "Good evening. Tonight: a long phone call and a new venue.",
            "",
        ),
    ],
)
def test_a_newsletters_greeting_is_no_story_above_which_the_headline_stands(greeting: str, item: str) -> None:
    top = f"THE DISPATCH - MORNING BRIEF\n\nFriday, 17 October 2025\n\n{greeting}\n\nTODAY'S TOP STORY\n\n"
    headline = "Trump and Putin pick Budapest for their next meeting"
    story = (
        "Donald Trump and Vladimir Putin spoke by phone for two hours on Thursday and agreed to meet in Budapest, "
        "the White House said.\n\nTheir advisers will meet next week to prepare the summit.\n"
    )
    assert parse_page(f"{top}{item}{headline}\n\n{story}").title == headline


@pytest.mark.parametrize(
    "masthead",
    [
        "THE DISPATCH\nWeekly Briefing · Issue 87 · Caucasus, Central Asia, Iran",
        "DER NAHOST-BRIEF\nWochenbriefing · Ausgabe 87 · Israel, Libanon, Syrien",
    ],
)
def test_a_newsletters_issue_line_is_its_masthead_not_the_headline(masthead: str) -> None:
    headline = "Trump and Putin pick Budapest for their next meeting"
    story = (
        "Donald Trump and Vladimir Putin spoke by phone for two hours on Thursday and agreed to meet in Budapest, "
        "the White House said.\n\nTheir advisers will meet next week to prepare the summit.\n"
    )
    page = f"{masthead}\n\nFriday, 17 October 2025\n\nGood morning. Here is the week.\n\n{headline}\n\n{story}"
    assert parse_page(page).title == headline


def test_two_kickers_glued_in_a_row_are_both_split_off() -> None:
    others = ["Wenn sich der Vorhang hebt, blickt das Publikum auf Beethovens Zaun."]
    found = clean_title('KritikBeethovens "Fidelio" im GrenzlagerWenn der Minister kommt', [], others)
    assert found.text == "Wenn der Minister kommt"


def test_a_kicker_ending_in_a_road_number_is_split_off() -> None:
    others = ["Der Waffenstillstand gilt seit Montag."]
    found = clean_title("Preiskampf an der B 418Waffenstillstand an der Zapfsäule", [], others)
    assert (found.text, found.kicker) == ("Waffenstillstand an der Zapfsäule", "Preiskampf an der B 418")


@pytest.mark.parametrize(
    ("sender", "title"),
    [
        ("Von: Hanse-Anzeiger Morgenkompass <newsletter@hanse-anzeiger.example>", "Zwei Franzosen raus aus Evin"),
        ("Von: Redaktion <post@zeitung.example>", "Morgenkompass: Zwei Franzosen raus aus Evin"),  # not the sender
    ],
)
def test_a_newsletters_name_that_opens_its_subject_is_not_part_of_the_headline(sender: str, title: str) -> None:
    assert clean_title("Betreff: Morgenkompass: Zwei Franzosen raus aus Evin", [], [sender]).text == title


def test_a_header_line_that_ends_with_the_day_stamps_the_page_and_stays_its_title() -> None:
    page = parse_page(
        "Listen live | Schedule | News\n\nNews › Bulletins\n\n"
        "Harbour Radio News – 8am bulletin, Wednesday 21 May 2025\n"
        f"Transcript | Read by Jo Lane\n\n{EN_STORY}\n{EN_STORY}\n{EN_STORY}"  # the stamp is not among the last lines
    )
    assert str(page.published) == "2025-05-21"
    assert page.title == "Harbour Radio News – 8am bulletin, Wednesday 21 May 2025"


def test_a_headline_that_ends_with_a_short_question_is_the_title_whole() -> None:
    title = "Q&A: The UN is winding down its political mission in Sudan. What happens now?"
    assert parse_page(f"Explainers / Africa / Sudan\n\n{title}\n\n{STAMP}\n\n{EN_STORY}").title == title


def test_a_headline_that_is_one_long_question_is_the_title() -> None:
    title = "Q&A: No ceasefire in Alaska – so what did Trump and Putin agree, and what happens on Monday?"
    assert parse_page(f"THE CONTINENTAL\n\nEXPLAINER\n\n{title}\n\n{STAMP}\n\n{EN_STORY}").title == title


def test_a_press_releases_disclaimer_above_the_headline_is_not_the_title() -> None:
    top = "PRESSEMITTEILUNG\nZur Information der Medien – kein offizielles Dokument"
    headline = "Sicherheitsrat verlangt Abzug der M23 aus Goma und Bukavu"
    assert parse_page(f"{top}\n\n{headline}\n\n{STAMP}\n\n{DE_STORY}").title == headline


def test_a_glued_kicker_whose_last_word_the_story_inflects_is_split_off() -> None:
    # the story has 'Gymnasiums', never 'Gymnasium' or 'Zwölf' on their own
    story = DE_STORY.replace("teilten die Vermittler", "teilten die Schüler des Gymnasiums")
    page = parse_page(f"Abistreich am GymnasiumZwölf Lehrer als Geiseln\n\n{STAMP}\n\n{story}")
    assert (page.kicker, page.title) == ("Abistreich am Gymnasium", "Zwölf Lehrer als Geiseln")


WRAPPED_STORY = (
    "Brightway Markets and the snack maker Crunchley's have agreed to a temporary cease-fire in the pricing\n"
    "dispute that emptied chip aisles across the chain for almost three weeks, the companies said.\n\n"
    "Under the arrangement, Crunchley's will hold its wholesale prices for 90 days, and Brightway will\n"
    "restock the products in its stores beginning Thursday.\n"
)


def test_on_a_page_wrapped_by_hand_a_short_section_path_above_the_headline_is_not_the_title() -> None:
    top = "GROCERY LEDGER\nRetail  Suppliers  Private Label  Supply Chain  Events\n\nSuppliers / Snacks\n\n"
    page = parse_page(
        f"{top}Brightway, Crunchley's call a cease-fire in snack-price standoff\n\n{STAMP}\n\n{WRAPPED_STORY}"
    )
    assert page.title == "Brightway, Crunchley's call a cease-fire in snack-price standoff"


def test_the_first_line_of_a_wrapped_teaser_below_a_short_headline_is_not_the_title() -> None:
    teaser = (
        "Nach monatelangem Zerwürfnis einigen sich Israel und die Vermittler in Kairo auf eine Pause im Süden\n"
        "des Gazastreifens: Die Angriffe sollen für 14 Tage ruhen.\n"
    )
    page = parse_page(f"Nahost\nWaffenruhe im Süden\n\n{teaser}\n{STAMP}\n\n{DE_STORY}")
    assert page.title == "Waffenruhe im Süden"


@pytest.mark.parametrize("label", ["LIVE  ", "LIVELIVE ", "LIVE: "])
def test_a_live_label_before_the_headline_once_or_scraped_twice_is_not_part_of_it(label: str) -> None:
    page = parse_page(f"23 Nov 2023 10:05 KST  {label}Mediators extend the truce by two days\n\n{EN_STORY}")
    assert page.title == "Mediators extend the truce by two days"


def test_a_headline_that_opens_with_a_quotation_in_guillemets_is_no_breadcrumb() -> None:
    top = "Limmat-Zeitung  |  Gemeinden  |  Blaulicht  |  Sport\n\nHome / Region / Obermettlen\n\nAbschlepp-Streit\n"
    headline = "«Meine Karre als Geisel»: Gemeinde stoppt Abschleppdienst für 30 Tage"
    page = parse_page(f"{top}{headline}\n\n{STAMP}\n\n{DE_STORY}")
    assert page.title == headline


def test_a_cookie_notice_wrapped_onto_a_second_line_goes_with_it() -> None:
    notice = (
        "Wir verwenden Cookies und ähnliche Technologien, um Inhalte zu personalisieren und Ihr Nutzungsverhalten\n"
        'zu analysieren. Mit "Alle akzeptieren" stimmen Sie dem zu. Details unter "Einstellungen".'
    )
    page = parse_page(f"{notice}\n\nWaffenruhe im Süden verlängert\n\n{STAMP}\n\n{DE_STORY}")
    assert page.title == "Waffenruhe im Süden verlängert"
    assert not any("analysieren" in p for p in page.paragraphs)


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            "Truce in Gaza extended by two days as\nmediators meet in Doha",
            "Truce in Gaza extended by two days as mediators meet in Doha",
        ),
        (
            "Waffenruhe im Süden verlängert für die\nFeiertage im Gazastreifen",
            "Waffenruhe im Süden verlängert für die Feiertage im Gazastreifen",
        ),
        (
            "Junta frees over 3,000 prisoners in\nNew Year amnesty; church leader among them",
            "Junta frees over 3,000 prisoners in New Year amnesty; church leader among them",
        ),
        # a line that runs on in lower case continues the headline
        ("Kreml lehnt Abzug\nzu Weihnachten ab", "Kreml lehnt Abzug zu Weihnachten ab"),
        (
            "JIRIBAM FEUD\nTwo communities agree to\ncheck arson and firing",
            "Two communities agree to check arson and firing",
        ),
        # a German verb's particle ends a headline: the line below is a teaser of its own
        (
            "Hebammen setzen Protest für 30 Tage aus\nGespräch mit den Kassen am 14. März",
            "Hebammen setzen Protest für 30 Tage aus",
        ),
    ],
)
def test_a_headline_broken_after_a_word_no_headline_ends_on_runs_on(lines: str, title: str) -> None:
    story = EN_STORY if lines.startswith(("Truce", "JIRIBAM")) else DE_STORY
    page = parse_page(f"{lines}\n\n{STAMP}\n\n{story}")
    assert page.title == title


def test_a_kicker_line_set_apart_from_the_headline_by_a_blank_line_is_not_the_title() -> None:
    # the kicker shares more words with the story than the headline does: only its place above it tells
    top = "WRF aktuell\nStartseite  >  Ausland  >  Nahost\n\nAngriffe im Süden\n\n"
    page = parse_page(f"{top}Israel setzt Offensive zwei Wochen aus\n\n{STAMP}\n\n{DE_STORY}")
    assert page.title == "Israel setzt Offensive zwei Wochen aus"


def test_tools_below_the_stamp_of_an_aggregator_do_not_push_the_title_into_the_story() -> None:
    # the stamp is cut out of its line, which keeps the source; the share row under it has an arrow, no path
    top = (
        "newsfeld.de – Nachrichten aus allen Regionen\nTop-News | Deutschland | Welt | Sport\n\n"
        "Israel will Angriffe im Süden für 14 Tage einstellen\n\n"
        "Quelle: Kreisblatt | 04.02.2025, 09:12 Uhr\n\nZum Originalartikel →      Teilen: f  X  ✉      Merken ☆\n\n"
    )
    wrapped = (
        "KAIRO. Nach wochenlangen Verhandlungen haben Israel und die Vermittler eine Pause im Süden des Gazastreifens\n"
        "vereinbart, die in der Nacht beginnen und zunächst für vierzehn Tage gelten soll, wie es hieß. Beide Seiten\n"
        "wollen die Zeit für weitere Gespräche nutzen.\n"
    )
    page = parse_page(f"{top}{wrapped}\n{DE_STORY}")
    assert page.title == "Israel will Angriffe im Süden für 14 Tage einstellen"


def test_a_live_blogs_refresh_row_under_its_stamp_line_is_no_menu_above_the_headline() -> None:
    top = (
        "VELOPOST\nRacing | Tech | Training | Gear | Podcast | Shop\n\nNews › The Gaza Truce Talks Live › Live\n\n"
        "LIVE: Mediators extend the Gaza truce by two more days\n\n"
        "Live updates · Monday 3 February 2025 · Day 3: Doha – Cairo, 14 delegations\n\n"
        "Refresh for latest ↻    Times are GMT\n\n18:02\nThat's it from us\nThanks for following.\n\n17:40\n"
    )
    page = parse_page(f"{top}{EN_STORY}")
    assert page.title == "Mediators extend the Gaza truce by two more days"


def test_a_metered_paywall_notice_is_no_story_text_ending_the_search_for_the_headline() -> None:
    top = (
        "THE NORTHERN REVIEW\nFiction | Essays | Podcasts\n\n"
        "You have 2 free articles left this month. Subscribe for full access.\n\nMIDDLE EAST\n\n"
    )
    page = parse_page(
        f"{top}Mediators extend the Gaza truce by two more days\n\nBy Jane Doe | 3 February 2025\n\n{EN_STORY}"
    )
    assert page.title == "Mediators extend the Gaza truce by two more days"
    assert not any("free articles" in p for p in page.paragraphs)


@pytest.mark.parametrize(
    "top",
    [
        # an e-paper's masthead and its page label above the headline
        "Traunviertler Nachrichten – E-Paper\n\nTextansicht – Lokales – Seite 14\n\n",
        # a row of labels whose page item is long only by its numbers
        "Westerby Courier · Page 7 of 48 · NEWS\n\n",
    ],
)
def test_an_e_papers_labels_above_the_headline_are_not_the_title(top: str) -> None:
    page = parse_page(f"{top}Mediators extend the Gaza truce by two more days\n\n{STAMP}\n\n{EN_STORY}")
    assert page.title == "Mediators extend the Gaza truce by two more days"


@pytest.mark.parametrize(
    ("slot", "below", "title"),
    [
        # the slot of a bulletin with its main item's headline under it: the headline
        (
            "THE WORLD TONIGHT – 22:00 bulletin",
            "Mediators extend the Gaza truce by two more days",
            "Mediators extend the Gaza truce by two more days",
        ),
        # with only a row of labels under it, the slot names the page
        ("Wyvern Sound News – 8am bulletin", "Transcript | Read by Priya Chandler | Duration 4'52\"", None),
    ],
)
def test_a_broadcasts_slot_gives_way_to_the_headline_under_it(slot: str, below: str, title: str | None) -> None:
    page = parse_page(f"RADIO MERIDIAN | World Service\n\n{slot}\n{below}\n\n{STAMP}\n\n{EN_STORY}")
    assert page.title == (title or slot)


@pytest.mark.parametrize(
    "disclaimer",
    [
        "Prepared by the Conflict & Diplomacy Programme. Briefs reflect the views of their authors, not of the Centre.",
        "Die Beiträge geben nicht unbedingt die Meinung der Redaktion wieder.",
        "Mailed to subscribers every weekday",
    ],
)
def test_a_briefs_list_of_contents_is_no_headline_and_no_publication_name(disclaimer: str) -> None:
    headline = "Mediators extend the Gaza truce by two more days as the sides trade lists of the next hostages"
    top = (
        f"LEVANT DAILY BRIEF\nNo. 287 · Wednesday, 20 November 2024 · 07:30\n{disclaimer}\n\n"
        f"IN TODAY'S BRIEF\n1. {headline}\n2. Numbers of the day\n\n---\n\n"
    )
    # the headline repeats the first entry of the contents, which names no publication
    page = parse_page(f"{top}{headline}\n\n{EN_STORY}")
    assert page.title == headline
    assert not any(disclaimer in p for p in page.paragraphs)


def test_a_headline_that_repeats_an_entry_of_the_contents_is_still_the_headline() -> None:
    headline = "Hochstein in Beirut: US envoy says a ceasefire is within reach as Lebanon answers the draft"
    kept = [
        "DAILY BRIEF",
        None,
        "",
        "IN TODAY'S BRIEF",
        f"1. {headline}",
        "2. Security Council votes today on the elected members' Gaza text",
        "",
        headline,
        "",
        "What happened. The US envoy Amos Hochstein was back in Beirut on Tuesday to discuss a ceasefire draft.",
    ]
    assert title_index(kept) == 7
    # a numbered section head that repeats its entry in the contents is no headline of its own
    kept[7] = f"1. {headline.split(':')[0]}"
    kept.insert(8, headline)
    assert title_index(kept) == 8
