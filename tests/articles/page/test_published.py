"""The publication line on a minimal page: every stamp shape and zone, a date-only stamp, story dates that are no
stamp, and a page without one."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from articles.model import ArticleError
from articles.page import NO_DATE, parse_page
from articles.temporal import to_date as to_day
from tests.articles.page.build import make_page, utc_offset
from tests.articles.stories import DE_STORY, EN_STORY

# --- publication date line --------------------------------------------------------------------------------------

# "Published" and "Updated" on one line, in either order: the publication time is the stamp.
PUBLISHED_NOT_UPDATED = datetime(2023, 5, 20, 23, 50, tzinfo=utc_offset(3))


@pytest.mark.parametrize(
    ("line", "story", "expected"),
    [
        ("18.03.2025 - 20:51 Uhr aktualisiert", DE_STORY, datetime(2025, 3, 18, 20, 51, tzinfo=utc_offset(1))),
        ("05.01.2023 - 17:32 Uhr aktualisiert", DE_STORY, datetime(2023, 1, 5, 17, 32, tzinfo=utc_offset(1))),
        ("date 2025-03-18", EN_STORY, date(2025, 3, 18)),
        ("Published 3 May 2025, 09:10 CEST", EN_STORY, datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(2))),
        ("Published 20 May 2023, 23:50 GMT+3 · Updated 21 May 2023, 08:15 GMT+3", EN_STORY, PUBLISHED_NOT_UPDATED),
        ("May 3, 2025 | 07:10 GMT", EN_STORY, datetime(2025, 5, 3, 7, 10, tzinfo=utc_offset(0))),
        # a wire page that lost the spaces around its clock time: year, time and the "Updated" note glued together
        ("March 11, 20254:38 PM GMTUpdated 2 hours ago", EN_STORY, datetime(2025, 3, 11, 16, 38, tzinfo=utc_offset(0))),
        ("Samstag, 3. Mai 2025, 09:10 Uhr", DE_STORY, datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(2))),
        ("Stand: 03.05.2025 09:10 Uhr", DE_STORY, datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(2))),
        ("03/05/2025 - 09:10", DE_STORY, datetime(2025, 5, 3, 9, 10, tzinfo=utc_offset(2))),
        ("03/05/2025 - 09:10", EN_STORY, datetime(2025, 5, 3, 9, 10)),
        ("Monday 27 November 2023 21:02", EN_STORY, datetime(2023, 11, 27, 21, 2)),
        ("Samstag, 3. Mai 2025", DE_STORY, date(2025, 5, 3)),
        ("Stand: 03.05.2025", DE_STORY, date(2025, 5, 3)),
        ("3 May 2025", EN_STORY, date(2025, 5, 3)),
        # a newsletter's issue number beside its date; an author and a place before a Swiss paper's stamp
        ("Wednesday, 24 July 2024 · Issue 412 · 6 min read", EN_STORY, date(2024, 7, 24)),
        ("Mittwoch, 24. Juli 2024 · Ausgabe 412", DE_STORY, date(2024, 7, 24)),
        (
            "Peter Amstutz, Bogotá 09.11.2023, 18.37 Uhr   Lesezeit: 3 Min.",
            DE_STORY,
            datetime(2023, 11, 9, 18, 37, tzinfo=utc_offset(1)),
        ),
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
        ("Updated 21 May 2023, 08:15 · Published 20 May 2023, 23:50 EEST", EN_STORY, PUBLISHED_NOT_UPDATED),
        ("By Jane Porter | 3rd May 2025 | 12:00 UTC", EN_STORY, datetime(2025, 5, 3, 12, 0, tzinfo=utc_offset(0))),
        ("Tue 18 Mar 2025 06.30 GMT", EN_STORY, datetime(2025, 3, 18, 6, 30, tzinfo=utc_offset(0))),
        ("Sonntag, 9. März 2025, 18:00 Uhr MEZ", DE_STORY, datetime(2025, 3, 9, 18, 0, tzinfo=utc_offset(1))),
        ("Date: 2025/05/03 09:10", EN_STORY, datetime(2025, 5, 3, 9, 10)),
        ("Jan. 9, 2025 10:00 a.m. ET", EN_STORY, datetime(2025, 1, 9, 10, 0, tzinfo=utc_offset(-5))),
        ("3 May 2025 18:00 AKST", EN_STORY, datetime(2025, 5, 3, 18, 0)),  # unknown zone: clock time kept
        ("12.03.2025 | Lesedauer: 3 Min.", DE_STORY, date(2025, 3, 12)),  # a reading time ends with a full stop
        ("Sendung vom 03.05.2025", DE_STORY, date(2025, 5, 3)),  # a broadcaster's programme date
        # one item of a row: the paper's name, the date, the page
        ("Schwarzwälder Landbote · Ausgabe vom Donnerstag, 23. Januar 2025 · Seite 19", DE_STORY, date(2025, 1, 23)),
        ("Sonntagsausgabe · 19.05.2024 · Seite 5 · Politik", DE_STORY, date(2024, 5, 19)),  # an edition's own word
        ("Erschienen in VELO 7/2025 · Online seit 04.06.2025", DE_STORY, date(2025, 6, 4)),  # a magazine's print issue
        ("Updated 18 June 2023, 2:10 p.m.", EN_STORY, datetime(2023, 6, 18, 14, 10)),  # so does 'p.m.'
        # the day alone, then the clock time of its last edit: that day's edit is the time the page gives
        (
            "Thursday, September 26, 2024 · Updated 11:10 pm (GMT+3)",
            EN_STORY,
            datetime(2024, 9, 26, 23, 10, tzinfo=utc_offset(3)),
        ),
        (
            "Donnerstag, 26. September 2024, aktualisiert 23:10 Uhr",
            DE_STORY,
            datetime(2024, 9, 26, 23, 10, tzinfo=utc_offset(2)),
        ),
        # an aggregator's source line with the item's age beside the stamp
        (
            "Quelle: Westfälische Zeitung   ·   Di., 04.03.2025 – 11:52 Uhr   ·   vor 3 Std.",
            DE_STORY,
            datetime(2025, 3, 4, 11, 52, tzinfo=utc_offset(1)),
        ),
        (
            "Source: The Wire Desk · Mar 4, 2025 11:52 GMT · 3 hours ago",
            EN_STORY,
            datetime(2025, 3, 4, 11, 52, tzinfo=utc_offset(0)),
        ),
        # a dateline's place opens the stamp line; the updated label before one date, the published one before the next
        (
            "RANCHI - Updated - March 05, 2025 10:42 pm IST - Published - March 05, 2025 09:15 pm IST",
            EN_STORY,
            datetime(2025, 3, 5, 21, 15, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
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


@pytest.mark.parametrize(
    ("teaser", "expected"),
    [
        ("Mediators say more talks are planned in GenevaMay 3, 2025 09:10 AM   Listen", datetime(2025, 5, 3, 9, 10)),
        ("Both sides welcomed the extension. Listen · 3 min3 May 2025, 09:10", datetime(2025, 5, 3, 9, 10)),
        # the stamp's own word in capitals after the teaser's last, lower-case word
        (
            "The pause will now run until 28 December, beyond the election Updated 15 December 2023, 17:20 GMT",
            datetime(2023, 12, 15, 17, 20, tzinfo=utc_offset(0)),
        ),
        # a byline whose place runs into the date
        (
            "Bald sollen die Soldaten wieder patrouillieren.Christoph Imhof, Neu-Delhi31.10.2024, 06.12 Uhr",
            datetime(2024, 10, 31, 6, 12, tzinfo=utc_offset(1)),
        ),
        # a byline with the reporter's role, and a player's symbol after the stamp words
        (
            "The row has been put on hold until autumn. By Ann Roe, Nature Reporter  08/04/2025, 06:00  Listen ▷ 5 min",
            datetime(2025, 4, 8, 6, 0),
        ),
        # a byline whose desk runs into a date written with slashes
        (
            "What their move means, and what could come next. By Awa Kone, Africa desk23/12/2022 - 14:20 GMT",
            datetime(2022, 12, 23, 14, 20, tzinfo=utc_offset(0)),
        ),
    ],
)
def test_a_stamp_glued_to_the_teasers_last_word(teaser: str, expected: datetime) -> None:
    page = parse_page(make_page(teaser, EN_STORY))
    assert page.published == expected
    assert all("2025" not in p for p in page.paragraphs[:1])


def test_no_date_line_raises() -> None:
    with pytest.raises(ArticleError, match="no publication date"):
        parse_page("Truce extended\n\n" + EN_STORY, "a.txt")


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        ("12 March 2025 Truce holds in the south", date(2025, 3, 12)),
        ("By Jane Porter | March 12, 2025 Truce holds in the south", date(2025, 3, 12)),
        ("12 March 2025 • 2 min read Truce holds in the south", date(2025, 3, 12)),
    ],
)
def test_a_date_that_opens_the_page_is_its_stamp(first_line: str, expected: date) -> None:
    """The scrape glued the stamp to the headline: the page's first line opens with it."""
    page = parse_page(first_line + "\n\n" + EN_STORY)
    assert page.published == expected


def test_a_sentence_that_ends_with_a_date_is_no_stamp() -> None:
    page = parse_page(
        "Truce holds in the south\n\nPublished 3 May 2025\n\nThe talks began on 12 March 2025.\n\n" + EN_STORY
    )
    assert page.published == date(2025, 5, 3)


def test_a_stamp_with_a_section_label_glued_to_the_story() -> None:
    text = (
        "Truce in Gaza extended by two days\n\nFacebook   Twitter   Print   Email\n\n"
        "28 August 2025   Peace and SecurityThe Security Council on Thursday renewed the mission for a final time, "
        "diplomats said.\n\n" + EN_STORY
    )
    page = parse_page(text)
    assert page.published == date(2025, 8, 28)
    assert page.paragraphs[0].startswith("The Security Council on Thursday")


def test_an_agency_dateline_takes_its_year_from_the_copyright_line() -> None:
    text = (
        "Ukrainian army violated Easter truce, ministry says\n\n20 APR, 11:38\n\n"
        "MOSCOW, April 20. /TASS/. Ukrainian forces violated the Easter truce overnight, the ministry said.\n\n"
        + EN_STORY
        + "\n© TASS 1999-2025. Russian News Agency TASS.\n"
    )
    assert parse_page(text).published == date(2025, 4, 20)


def test_a_line_of_only_a_day_and_a_time_is_the_stamp_wherever_it_stands() -> None:
    filler = "".join(f"Paragraph {n} of a long story about the ceasefire, officials said.\n\n" for n in range(25))
    related = "More on this story\n\nArmy and rebels meet in Jeddah\n\nPrice of bread doubles in Khartoum\n\n" * 2
    text = "Truce holds in the south\n\n" + filler + "Mon 11 Dec 2023 14:26\n\n" + related + "About · Privacy\n"
    page = parse_page(text)
    assert page.published == datetime(2023, 12, 11, 14, 26)
    assert not any("14:26" in p for p in page.paragraphs)
    # a day without a time in the middle of the page stays the story's
    with pytest.raises(ArticleError):
        parse_page(text.replace("Mon 11 Dec 2023 14:26", "Mon 11 Dec 2023"))


@pytest.mark.parametrize("byline", ["Text: Hauke Berger · 11.12.2023", "By Jane Roe | 11 December 2023"])
def test_a_line_of_only_a_byline_and_its_day_is_the_stamp_wherever_it_stands(byline: str) -> None:
    filler = "".join(f"Paragraph {n} of a long story about the ceasefire, officials said.\n\n" for n in range(25))
    related = "More on this story\n\nArmy and rebels meet in Jeddah\n\nPrice of bread doubles in Khartoum\n\n" * 2
    text = "Truce holds in the south\n\n" + filler + byline + "\n\n" + related + "About · Privacy\n"
    page = parse_page(text)
    assert page.published == date(2023, 12, 11)
    assert not any("2023" in p for p in page.paragraphs)


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("Donnerstag, 16. Oktober 2025 – Hoher Kellerforst. Um 10.04 Uhr öffnete der Förster das Tor.", "de"),
        ("Thursday, 16 October 2025 – Upper Keller Forest. At 10.04 the ranger opened the gate.", "en"),
    ],
)
def test_a_day_before_a_place_opens_the_lead_as_its_stamp(lead: str, expected: str) -> None:
    page = parse_page(make_page("", lead + "\n\n" + (DE_STORY if expected == "de" else EN_STORY)))
    assert page.published == date(2025, 10, 16)
    assert page.paragraphs[0].startswith(("Um 10.04 Uhr", "At 10.04"))  # the dateline's place goes with it


@pytest.mark.parametrize(
    ("stamp", "story", "expected"),
    [
        # a press release's places before its day
        ("Bonn/Goma, 5. August 2024", DE_STORY, date(2024, 8, 5)),
        ("Genf, 5. August 2024", DE_STORY, date(2024, 8, 5)),
        # a radio script's slot: the bulletin's hour, weekday and day
        ("BULLETIN: 0800 WED 26/03/2025", EN_STORY, date(2025, 3, 26)),
    ],
)
def test_a_press_release_s_places_and_a_bulletin_s_slot_stamp_the_page(stamp: str, story: str, expected: date) -> None:
    page = parse_page(f"Truce extended\n\n{stamp}\n\n{story}")
    assert to_day(page.published) == expected
    assert not any(stamp[-4:] in p for p in page.paragraphs)


@pytest.mark.parametrize(
    ("lead", "story"),
    [
        ("May 3, 2025 — ", EN_STORY),  # a press release's day, set off by a dash, opens its story
        ("3. Mai 2025 – ", DE_STORY),
    ],
)
def test_a_day_set_off_by_a_dash_opens_the_lead_as_its_stamp(lead: str, story: str) -> None:
    page = parse_page(make_page("", lead + story))
    assert page.published == date(2025, 5, 3)
    assert not any("2025 –" in p or "2025 —" in p for p in page.paragraphs)


@pytest.mark.parametrize(
    ("line", "story"),
    [
        ("3.Mai 2025", DE_STORY),  # no space after the day's full stop
        ("Reporting by Jane Roe | 3 May 2025", EN_STORY),  # a wire's credit as the byline
    ],
)
def test_a_day_glued_to_its_month_and_a_reporting_credit_stamp_the_page(line: str, story: str) -> None:
    assert parse_page(make_page(line, story)).published == date(2025, 5, 3)
