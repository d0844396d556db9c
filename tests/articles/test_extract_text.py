"""Whole-article behaviour: merging mentions, context (both sides, it, will), reports, broken text, the API.

It also holds what the story tests of this folder are written with: ``article`` (a page from a date line and
paragraphs), ``only`` (its one commitment) and ``story`` (a page as a row of a table, read when its case runs)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

import pytest

from articles.extract import extract_file, extract_reports, extract_text
from articles.model import Article, ArticleError, Commitment

TITLE = "Ceasefire news"
MOSCOW = timezone(timedelta(hours=3))


def article(date_line: str, *paragraphs: str, title: str = TITLE) -> Article:
    return extract_text("\n\n".join([title, date_line, *paragraphs]) + "\n")


class Page(NamedTuple):
    """A story in a row of a table, kept as text: it is read only when its case runs."""

    date_line: str
    paragraphs: tuple[str, ...]
    title: str

    def read(self) -> Article:
        return article(self.date_line, *self.paragraphs, title=self.title)


def story(date_line: str, *paragraphs: str, id: str, title: str = TITLE, **columns: object) -> pytest.ParameterSet:
    """A row of a table of stories: the page written as ``article`` takes it, then the table's other columns by
    name and in the table's order (``expected=…``); ``id`` names the case as its own test's name would, in kebab
    case."""
    return pytest.param(Page(date_line, paragraphs, title), *columns.values(), id=id)


def only(article: Article) -> Commitment:
    assert len(article.commitments) == 1, [c.to_json() for c in article.commitments]
    return article.commitments[0]


@pytest.mark.parametrize(
    ("page", "expected", "evidence"),
    [
        # the mention that says the most is the evidence
        story(
            "Published 3 May 2025, 09:10 CEST",
            "Russia and Ukraine agreed to a ceasefire, the White House said.",
            "The ceasefire will last 30 days, starting on Monday.",
            expected={
                "kind": "ceasefire",
                "actors": ("Russia", "Ukraine"),
                "status": "agreed",
                "start": date(2025, 5, 5),
                "duration_days": 30,
                "end": date(2025, 6, 4),
            },
            evidence="30 days",
            id="two-mentions-of-one-commitment-merge-and-fill-gaps",
        ),
        story(
            "Stand: 28.04.2025 16:02 Uhr",
            "Putin hat eine dreitägige Waffenruhe angeordnet.",
            "Sie soll vom 8. Mai um 0 Uhr bis zum 11. Mai um 0 Uhr Moskauer Zeit gelten, teilte der Kreml mit.",
            expected={
                "actors": ("Russia",),
                "status": "announced",
                "duration_days": 3,
                "start": datetime(2025, 5, 8, tzinfo=MOSCOW),
                "end": datetime(2025, 5, 11, tzinfo=MOSCOW),
            },
            evidence="angeordnet",
            id="german-pronoun-sentence-adds-dates-to-the-last-commitment",
        ),
        # A halt announced with a length and no start runs from the day it was announced; the later sentence
        # that points back without a time changes nothing.
        story(
            "Published 18 March 2025, 21:40 CET",
            "Russia will halt strikes on energy infrastructure for 30 days, the Kremlin said.",
            "Kyiv said such attacks had caused blackouts across the country.",
            expected={"start": date(2025, 3, 18), "end": date(2025, 4, 17)},
            evidence="30 days",
            id="pointing-back-without-a-time-adds-nothing",
        ),
    ],
)
def test_the_one_commitment_and_its_evidence(page: Page, expected: dict[str, object], evidence: str) -> None:
    """The one commitment the story gives, on the fields the case is about, and words its evidence holds: mentions
    of one commitment merge and fill each other's gaps, a German pronoun sentence adds its dates to the commitment
    before it, and a sentence pointing back without a time adds nothing."""
    truce = only(page.read())
    assert {field: getattr(truce, field) for field in expected} == expected
    assert evidence in truce.evidence


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # "Began on Thursday" and, later, "took effect at midnight" name one start: the mentions merge, the start
        # keeps the time, and the length said with it gives the end.
        story(
            "3 August 2023",
            "Colombia and the ELN rebels began a bilateral ceasefire on Thursday.",
            "The truce, which took effect at midnight, will last 180 days.",
            expected={"start": datetime(2023, 8, 3, 0, 0), "duration_days": 180, "end": datetime(2024, 1, 30, 0, 0)},
            id="a-day-and-a-time-on-that-day-are-one-start",
        ),
        story(
            "Stand: 25.03.2025 22:40 Uhr",
            "Russland und die Ukraine haben sich auf eine Waffenruhe im Schwarzen Meer verständigt.",
            "Voraussetzung sei, dass die Sanktionen gegen die Landwirtschaftsbank "
            "aufgehoben werden, teilte Moskau mit.",
            expected={"conditions": ("die Sanktionen gegen die Landwirtschaftsbank aufgehoben",)},
            id="condition-in-its-own-sentence-qualifies-the-last-commitment",
        ),
        story(
            "Stand: 05.06.2025 12:00 Uhr",
            "Russland und die Ukraine haben sich in Istanbul auf den Austausch von "
            "jeweils 1200 Gefangenen verständigt.",
            "Der Austausch soll am kommenden Samstag beginnen, sagte der türkische Außenminister.",
            expected={
                "kind": "prisoner_exchange",
                "actors": ("Russia", "Ukraine"),
                "quantity": 1200,
                "due": date(2025, 6, 7),
                "status": "agreed",
            },
            id="the-exchange-sentence-adds-the-day-to-the-agreed-exchange",
        ),
        story(
            "Datum: Sa, 05.03.2022, 07:00",
            "Die Guerilla ELN teilte mit, die einseitige Feuerpause gelte ab null Uhr am 10. März und ende am 15. März "
            "um 24 Uhr.",
            expected={"kind": "ceasefire", "duration_days": 6},
            id="a-period-told-by-its-two-midnights-is-as-long-as-the-days-between-them",
        ),
        story(
            "5 March 2022",
            "The ELN guerrillas announced a unilateral ceasefire from midnight on 10 March until 15 March.",
            expected={"kind": "ceasefire", "duration_days": None},
            id="an-end-told-as-a-day-alone-tells-no-length",
        ),
        story(
            "Dienstag, 05.09.2023, 06:41 Uhr",
            "In Buenaventura kämpfen die bewaffneten Gruppen «Shottas» und «Espartanos» seit Jahren um die Viertel; "
            "bei den Gefechten wurden Hunderte Kämpfer getötet.",
            "Am Montag haben sich Shottas und Espartanos auf eine Waffenruhe bis zum 4. November verständigt.",
            expected={"kind": "ceasefire", "actors": ("Shottas", "Espartanos")},
            id="names-the-page-introduced-are-the-same-parties-when-named-bare",
        ),
    ],
)
def test_the_one_commitment(page: Page, expected: dict[str, object]) -> None:
    """The one commitment the story gives, on the fields the case is about: a later sentence about the same
    commitment adds to it (a time to its day, a condition, the day of an exchange) rather than making another."""
    truce = only(page.read())
    assert {field: getattr(truce, field) for field in expected} == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "Published 20 May 2023, 23:50 GMT+3",
            "Sudan's army and the Rapid Support Forces signed a seven-day ceasefire in Jeddah.",
            "The two sides also committed to allow humanitarian aid into the capital.",
            expected={
                "kind": "other",
                "actors": ("Sudanese Armed Forces", "Rapid Support Forces"),
                "scope": "humanitarian access",
            },
            id="both-sides-borrow-the-parties-of-the-story",
        ),
        story(
            "Published 16 January 2025, 07:30 CET",
            "Israel and Hamas have agreed to a ceasefire that begins on Sunday.",
            "Talks on a second phase are to begin no later than the 16th day of the truce.",
            expected={"kind": "negotiations", "actors": ("Israel", "Hamas"), "due": date(2025, 2, 3)},
            id="day-number-counts-from-the-ceasefire-start",
        ),
    ],
)
def test_the_second_commitment(page: Page, expected: dict[str, object]) -> None:
    """The commitment a second sentence adds beside the deal, on the fields the case is about: "both sides" borrow
    the parties of the story, and a day number counts from the start of the truce."""
    added = page.read().commitments[1]
    assert {field: getattr(added, field) for field in expected} == expected


@pytest.mark.parametrize(
    ("date_line", "first", "second"),
    [
        (
            "Published 7 May 2025, 09:10 CEST",
            "Israel and Hamas agreed to a ceasefire in Gaza, mediators in Cairo said.",
            "The ceasefire has largely held since Monday, the United Nations said.",
        ),
        (
            "Stand: 07.05.2025 09:10 Uhr",
            "Israel und die Hamas haben sich auf eine Waffenruhe im Gazastreifen geeinigt, teilten die Vermittler mit.",
            "Die Waffenruhe wurde seit Montag weitgehend eingehalten, teilten die Vereinten Nationen mit.",
        ),
    ],
)
def test_a_truce_kept_since_a_day_began_that_day(date_line: str, first: str, second: str) -> None:
    truce = only(article(date_line, first, second))
    assert (truce.kind, truce.start) == ("ceasefire", date(2025, 5, 5))


def test_a_claim_on_the_same_night_happened_on_the_day_told_before() -> None:
    found = article(
        "Published 27 November 2023, 18:00 GMT",
        "Israel and Hamas agreed to exchange 50 hostages for 150 prisoners during a four-day truce, Qatar said.",
        "On Sunday, 17 hostages were handed over to the Red Cross.",
        "Israel released 39 Palestinian prisoners the same night.",
    )
    days = [(r.quantity, r.date) for r in found.reports if r.kind == "fulfilment"]
    assert days == [(17, date(2023, 11, 26)), (39, date(2023, 11, 26))]


@pytest.mark.parametrize(
    ("date_line", "story", "claim"),
    [
        (
            "Published 25 June 2025, 18:00 GMT",
            "Israel and Iran agreed to a ceasefire on Tuesday, the White House said. Israeli jets struck Tehran "
            "overnight and Iranian missiles hit Beersheba.",
            "Trump accused both sides of breaking the deal.",
        ),
        (
            "Stand: 25.06.2025 18:00 Uhr",
            "Israel und der Iran haben sich am Dienstag auf eine Waffenruhe geeinigt, teilte das Weiße Haus mit. "
            "Israelische Kampfjets griffen Teheran in der Nacht an, iranische Raketen trafen Beerscheba.",
            "Trump warf beiden Seiten vor, die Vereinbarung gebrochen zu haben.",
        ),
    ],
)
def test_a_third_party_accusing_both_sides_accuses_each(date_line: str, story: str, claim: str) -> None:
    found = article(date_line, story, claim)
    claims = {(r.claimed_by, r.accused) for r in found.reports if r.kind == "violation"}
    assert claims == {("United States", ("Israel",)), ("United States", ("Iran",))}


@pytest.mark.parametrize(
    ("language", "headline"),
    [
        ("en", "Colombia and ELN rebels begin six-month ceasefire."),
        ("de", "Sechsmonatige Waffenruhe in Kolumbien beginnt."),
    ],
)
def test_a_present_tense_headline_states_a_truce_in_force(language: str, headline: str) -> None:
    date_line = "3 August 2023" if language == "en" else "03.08.2023"
    found = article(date_line, headline if language == "en" else "Die Regierung Kolumbiens und die ELN: " + headline)
    assert [(c.kind, c.status) for c in found.commitments] == [("ceasefire", "in_force")]


@pytest.mark.parametrize(
    ("date_line", "first", "second"),
    [
        (
            "Published 18 March 2025, 21:40 CET",
            "Russia will halt strikes on energy infrastructure for 30 days, the Kremlin said.",
            "Putin ordered the military to stop such attacks immediately.",
        ),
        (
            "18.03.2025 - 22:05 Uhr",
            "Russland wird Angriffe auf die Energieinfrastruktur für 30 Tage einstellen, teilte der Kreml mit.",
            "Putin habe das Militär angewiesen, diese Angriffe sofort zu stoppen.",
        ),
    ],
    ids=["en", "de"],
)
def test_a_sentence_pointing_back_at_the_halt_gives_its_start(date_line: str, first: str, second: str) -> None:
    halt = only(article(date_line, first, second))
    assert (halt.kind, halt.actors, halt.duration_days) == ("strike_halt", ("Russia",), 30)
    assert (halt.start, halt.end) == (date(2025, 3, 18), date(2025, 4, 17))


def test_plain_future_takes_the_status_of_the_deal() -> None:
    found = article(
        "Published 16 January 2025, 07:30 CET",
        "Israel and Hamas have agreed to a ceasefire in Gaza.",
        "Hamas is to free 33 hostages.",
        "Israel will release several hundred prisoners.",
    )
    assert [(c.kind, c.actors, c.quantity, c.status) for c in found.commitments] == [
        ("ceasefire", ("Israel", "Hamas"), None, "agreed"),
        ("release", ("Hamas",), 33, "agreed"),
        ("release", ("Israel",), None, "agreed"),
    ]


def test_reports_with_claimant_accused_and_dates() -> None:
    found = article(
        "Stand: 20.03.2025 09:10 Uhr",
        "Die Ukraine warf Russland vor, in der Nacht zum Mittwoch Energieanlagen angegriffen zu haben.",
        "Der Kreml wies die Vorwürfe am Mittwoch zurück.",
    )
    assert [(r.kind, r.about, r.accused, r.claimed_by, r.date) for r in found.reports] == [
        ("violation", "strike_halt", ("Russia",), "Ukraine", date(2025, 3, 19)),
        ("denial", "strike_halt", (), "Russia", date(2025, 3, 19)),
    ]
    assert found.commitments == ()


def test_fulfilment_with_quantity_is_a_report_not_a_new_commitment() -> None:
    found = article(
        "date 2025-03-19",
        "President Zelensky said 22 severely wounded soldiers had been handed over on Wednesday.",
    )
    assert found.commitments == ()
    assert [(r.kind, r.about, r.claimed_by, r.quantity, r.date) for r in found.reports] == [
        ("fulfilment", "release", "Ukraine", 22, date(2025, 3, 19))
    ]


def test_reaction_without_a_day_happened_on_the_publication_day() -> None:
    found = article(
        "Published 26 November 2024, 21:30 GMT",
        "Israel and Hezbollah have agreed to a 60-day ceasefire.",
        "Lebanon's prime minister welcomed the announcement.",
    )
    assert [(r.kind, r.about, r.claimed_by, r.date) for r in found.reports] == [
        ("reaction", "ceasefire", "Lebanon", date(2024, 11, 26))
    ]


def test_background_and_boilerplate_yield_nothing() -> None:
    found = article(
        "Published 18 March 2025, 19:40 GMT",
        "The two last spoke on February 12, when they agreed to open talks.",
        "Russia launched its full-scale invasion in February 2022.",
        "Advertisement",
        "Sign up for our newsletter",
    )
    assert (found.commitments, found.reports) == ((), ())


@pytest.mark.parametrize(
    "paragraph",
    [
        "Ceasefire. Waffenruhe. Truce truce truce.",
        "Das letzte Telefonat der beiden am 12. Februar.",
        "from until bis ab von on at 24 Uhr 99:99 32.13. the 0th day",
        "Russia and Ukraine,,,, ;; ... agreed — — to",
        "x" * 3000,
        "☮️ 🕊️ \u200b\u200b ceasefire\u00ad",
    ],
)
def test_broken_text_neither_crashes_nor_invents_commitments(paragraph: str) -> None:
    story = "Officials from several countries met in Geneva on Tuesday to discuss the war and its costs."
    found = article("Published 18 March 2025, 19:40 GMT", story, paragraph)
    assert found.commitments == ()


def test_duplicated_paragraph_is_read_once() -> None:
    sentence = "Russia will hand over 23 wounded soldiers tomorrow."
    found = article("Published 18 March 2025, 19:40 GMT", sentence, sentence)
    assert [(c.kind, c.quantity, c.due) for c in found.commitments] == [("release", 23, date(2025, 3, 19))]


def test_extract_reports_reads_one_line() -> None:
    published = datetime(2025, 3, 20, 9, 0, tzinfo=UTC)
    reports = extract_reports(
        "Kyiv accused Moscow of striking energy facilities overnight.", language="en", published=published
    )
    assert [(r.kind, r.about, r.accused, r.claimed_by, r.date) for r in reports] == [
        ("violation", "strike_halt", ("Russia",), "Ukraine", date(2025, 3, 20))
    ]
    assert extract_reports("", language="de", published=published) == ()


def test_extract_file_reads_and_extracts(tmp_path: Path) -> None:
    path = tmp_path / "truce.txt"
    path.write_text(
        "Truce\n\nPublished 3 May 2025, 09:10 CEST\n\nPutin declared a three-day truce in the war.\n", "utf-8"
    )
    found = extract_file(str(path))
    assert found.path == str(path)
    assert [(c.kind, c.duration_days, c.status) for c in found.commitments] == [("ceasefire", 3, "announced")]


def test_bad_files_raise_article_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    with pytest.raises(ArticleError):
        extract_file(str(empty))
    with pytest.raises(ArticleError):
        extract_file(str(tmp_path / "missing.txt"))


def test_speaker_is_the_accuser_even_when_other_parties_come_first() -> None:
    found = article(
        "Published 19 April 2025, 16:00 GMT",
        "Zelensky said Ukraine would mirror any Russian ceasefire but accused Moscow of shelling on Saturday evening.",
    )
    assert [(r.kind, r.accused, r.claimed_by, r.date) for r in found.reports] == [
        ("violation", ("Russia",), "Ukraine", date(2025, 4, 19))
    ]
