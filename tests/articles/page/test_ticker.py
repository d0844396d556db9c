"""Live blogs: each entry's paragraphs are dated by the entry's stamp and the day heading above it, so that
"today" in an entry written yesterday is yesterday."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from articles.extract import extract_text
from articles.page import parse_page
from articles.page.dates import clock_of, day_heading
from articles.page.ticker import Entry, moments

CET = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("07:12 Uhr – Das ist heute geplant", (7, 12)),
        ("+++ 22:45 Waffenruhe in Kraft +++", (22, 45)),
        ("14:05 GMT: Talks resume in Doha", (14, 5)),
        ("21.52 BST", (21, 52)),
        ("10.30 Uhr begann die Sitzung", None),  # a sentence that opens with a time
        ("1. Ukraine", None),
    ],
)
def test_an_entry_stamp_opens_its_line(line: str, expected: tuple[int, int] | None) -> None:
    found = clock_of(line)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Samstag, 22. Februar", date(2025, 2, 22)),
        ("Saturday 22 February", date(2025, 2, 22)),
        ("Monday, May 12", date(2024, 5, 12)),  # no year, and after the publication: the year before
        ("22. Februar 2025", date(2025, 2, 22)),
        ("Am Samstag, 22. Februar, wurde gewählt.", None),
    ],
)
def test_a_day_heading_names_only_a_day(line: str, expected: date | None) -> None:
    assert day_heading(line, date(2025, 2, 23)) == expected


def test_entries_without_headings_count_back_across_midnight_from_the_newest() -> None:
    published = datetime(2025, 2, 23, 7, 41, tzinfo=CET)
    entries = [Entry(-1, None, None), Entry(0, (7, 30), None), Entry(1, (0, 52), None), Entry(2, (22, 18), None)]
    assert moments(entries, published) == [
        None,
        datetime(2025, 2, 23, 7, 30, tzinfo=CET),
        datetime(2025, 2, 23, 0, 52, tzinfo=CET),
        datetime(2025, 2, 22, 22, 18, tzinfo=CET),
    ]
    # oldest first: the last entry is the publication's day
    oldest = [Entry(0, (20, 0), None), Entry(1, (22, 18), None), Entry(2, (0, 52), None), Entry(3, (7, 30), None)]
    assert [m.date() for m in moments(oldest, published) if isinstance(m, datetime)] == [
        date(2025, 2, 22),
        date(2025, 2, 22),
        date(2025, 2, 23),
        date(2025, 2, 23),
    ]


BLOG = """Nahost-Newsblog
Sechs Geiseln frei – Israel verschiebt Freilassung der Häftlinge

Zuletzt aktualisiert: 23.02.2025, 07:41 Uhr

Die Hamas hat am Samstag sechs Geiseln übergeben. Israel hat die Freilassung der Häftlinge verschoben.

Sonntag, 23. Februar

07:41 Uhr – Hamas spricht von Verstoß
Die Hamas wirft Israel vor, mit der Verschiebung gegen die Waffenruhe zu verstoßen, erklärte ein Sprecher.

06:55 Uhr – Warten in Ramallah
In Ramallah warteten Angehörige bis in die Nacht vergeblich auf die Freigelassenen.

Samstag, 22. Februar

07:12 Uhr – Das ist heute geplant
Die Hamas will am heutigen Samstag im Gazastreifen sechs israelische Geiseln freilassen.
"""


def test_an_entrys_today_is_the_day_it_was_written() -> None:
    page = parse_page(BLOG)
    assert page.paragraphs[0].startswith("Die Hamas hat am Samstag")
    assert all("Uhr –" not in p for p in page.paragraphs)  # stamps and headings are no story text
    assert page.entries[0] is None
    assert page.entries[-1] == datetime(2025, 2, 22, 7, 12, tzinfo=CET)
    releases = [c for c in extract_text(BLOG).commitments if c.kind == "release"]
    assert [(c.actors, c.due) for c in releases] == [(("Hamas",), date(2025, 2, 22))]


def test_a_page_with_fewer_than_three_stamped_lines_is_no_live_blog() -> None:
    page = parse_page(BLOG.split("06:55 Uhr")[0])
    assert page.entries == ()


def test_an_entry_stamp_of_numbers_alone_opens_an_entry_and_is_no_row_of_buttons() -> None:
    blog = "\n".join(
        [
            "Ukraine war live: prisoners come home",
            "Sunday 24 August 2025",
            "",
            "22:05",
            "Kyiv reacts",
            "Ukraine's foreign ministry said the swap was a good sign for further exchanges.",
            "",
            "18:15",
            "Numbers from Moscow",
            "Russia's defence ministry said 146 servicemen were returned today.",
            "",
            "08:00",
            "Good morning",
            "Ukraine is marking 34 years since its declaration of independence from the Soviet Union.",
        ]
    )
    page = parse_page(blog)
    assert [p.split()[0] for p in page.paragraphs] == ["Ukraine's", "Russia's", "Ukraine"]  # headings stand apart
    assert page.entries == (date(2025, 8, 24),) * 3  # the page names no clock of its own: entries are days


ASIA_TICKER = """Asia news ticker
Junta frees thousands in Independence Day amnesty

Last updated: 4 January 2025, 13:40 GMT

13:40 GMT: Myanmar amnesty
Myanmar's military government says it has pardoned 5,864 prisoners to mark Independence Day, despite the war.

13:05 GMT: Background
Last January the military freed 9,652 prisoners in a similar amnesty.

12:30 GMT: Fighting in Sagaing
The army bombed villages in Sagaing overnight, residents said, as the war goes on.

11:50 GMT: Markets
Asian shares rose in early trading on Saturday.
"""


def test_a_month_that_opens_an_entrys_sentence_dates_it_not_the_entry() -> None:
    found = extract_text(ASIA_TICKER)
    assert 9652 not in [r.quantity for r in found.reports]
