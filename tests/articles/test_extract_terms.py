"""Terms as a deal states them, and what only looks like one: obligations ("must"), the length of the war beside
the length of the truce, who sat at the talks, and two powers' trade "truce".

First the tables, one for each projection of what the stories commit, or of a story that gives nothing or not a
kind (those of what stories report are in test_extract_stories.py); each row keeps as its id the name it had as a
test of its own. Then the stories whose assertions are their own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from articles.model import CommitmentKind, ReportKind
from tests.articles.test_extract_text import Page, article, only, story


@pytest.mark.parametrize(
    "page",
    [
        story(
            "Published 18 March 2025, 19:40 GMT",
            "Putin said Kyiv must not be allowed to use a pause in the fighting to rearm.",
            id="a-demand-that-must-not-happen-is-no-commitment",
        ),
        story(
            "Published 9 August 2024, 10:41 CEST",
            "Israeli strikes killed dozens in Gaza overnight, health officials said.",
            "Mediators from Egypt and Qatar have spent months trying to broker a deal to "
            "free the hostages held by Hamas.",
            id="an-attempt-to-broker-a-deal-commits-nobody",
        ),
        story(
            "Stand: 11.06.2025 18:00 Uhr",
            "Im März 2022 hatten Russland und die Ukraine vereinbart, Gefangene auszutauschen.",
            id="an-agreement-told-in-the-pluperfect-years-ago-is-history",
        ),
    ],
)
def test_stories_that_commit_nobody(page: Page) -> None:
    """Stories with no commitment at all: a demand that something must not happen, mediators trying to broker a
    deal, or an agreement told in the pluperfect years ago binds no one now."""
    assert page.read().commitments == ()


@pytest.mark.parametrize(
    "page",
    [
        story(
            "Published 12 May 2025, 10:00 GMT",
            "The United States and China agreed a 90-day truce in their tariff dispute, the White House said.",
            "Washington will cut its duties on Chinese goods to 30 percent from Wednesday, and Beijing will lower its "
            "levies to 10 percent. Delegations of the United States and China will keep "
            "negotiating within the 90 days.",
            "Shares in Shanghai and New York rose after the announcement; China's commerce ministry welcomed the deal.",
            title="Tariff truce lifts markets",
            id="a-trade-truce-between-two-powers-gives-nothing",
        ),
        story(
            "Tue 24 Dec 2024 14.05 GMT",
            "A village will mark 110 years since the Christmas truce of 1914 with a football match on Boxing Day.",
            "At first light the next day, British and German soldiers climbed out of their trenches, exchanged "
            "cigarettes and agreed a ceasefire to bury their dead, before the fighting "
            "and the artillery shelling of "
            "the war resumed.",
            "Orders went out that any further truce with the enemy troops would be treated as a court-martial offence.",
            title="Village marks Christmas truce with match",
            id="a-story-of-a-truce-long-past-gives-nothing",
        ),
        story(
            "Published 16 July 2025, 18:00 BST",
            "Russia's space agency chief met his NASA counterpart in Houston, despite the war and the invasion of "
            "Ukraine that occupied much of the talks on the sidelines.",
            "In 2022, the agency's head announced that Russia would withdraw from the project after 2024.",
            "Roscosmos said afterwards that the two sides had discussed extending the seat swap beyond 2027.",
            id="leaving-a-project-or-discussing-an-extension-commits-nobody",
        ),
        story(
            "2 November 2024 · 5 min read",
            "Its battlefield is a three-bedroom semi in Sheffield, and the fighting "
            "starts before the turkey is carved.",
            "By the interval Gary has accused Jackie of breaking the ceasefire by opening the presents early.",
            title="Ceasefire at Number Nine review – a family truce that cannot hold",
            id="a-review-whose-words-of-war-are-metaphors-gives-nothing",
        ),
        story(
            "29/01/2023, 13:00 WAT",
            "Nigeria's central bank extends the deadline for swapping old naira notes by ten days.",
            "Nigerians now have until 10 February to exchange the notes, the bank's governor said in Abuja after "
            "meeting President Buhari, who approved the extension.",
            "Queues outside banks in Abuja and Lagos grew again as Nigerian traders refused the old notes.",
            title="Nigeria extends deadline for old naira notes",
            id="a-country-at-war-named-again-and-again-in-a-money-story-gives-nothing",
        ),
        story(
            "14/04/2025, 18:00",
            "The peso held inside its new band on the first day without currency controls. \"For a first day, it's "
            'a truce," one trader said.',
            "Savers who felt held hostage by the controls since 2019 can now move their dollars, analysts in "
            "Washington said after the United States welcomed the plan.",
            "The International Monetary Fund's board on Friday approved a US$20 billion programme, and the United "
            "States extended its support for another year.",
            "Brazil: A truckers' association says its members will vote next week on talks with the government, the "
            "United States embassy noted.",
            title="Peso holds on its first day without the cepo",
            id="a-truce-only-in-a-quote-and-savers-held-hostage-by-controls-give-nothing",
        ),
        story(
            "14/08/2025, 09:00",
            "Balloon operators and safari camps in Kenya's Maasai Mara have agreed what both sides call a "
            "'ceasefire' over dawn flights.",
            "\"Fighting each other in the newspapers helped nobody,\" the county's tourism chief said in Kenya's "
            "capital.",
            "Camp owners had accused the operators of breaking an earlier truce. Balloon operators had rejected the "
            "claims as exaggerated, saying their pilots kept to the agreed distances.",
            title="Mara balloon pilots and camps call a ceasefire",
            id="a-ceasefire-in-scare-quotes-and-fighting-only-in-a-quote-give-nothing",
        ),
        story(
            "Sunday, 9 November 2025 · 08:30 GST",
            "Good morning. Today: an exchange house stops its transfers, and rivals call a quiet truce on fees.",
            "For most of the year the big chains had been cutting the fee on transfers to India, Pakistan and the "
            "Philippines. Since last week, fees at the four largest chains have quietly returned to AED 15.",
            '"They are holding our salaries hostage," a driver said. The chains say the truce will hold until '
            "the end of the year.",
            title="Exchange houses end their fee war",
            id="two-warring-states-named-once-in-a-list-make-no-war-story",
        ),
    ],
)
def test_stories_that_give_nothing(page: Page) -> None:
    """Stories with neither a commitment nor a report, though they speak of truces, swaps and breaches: a trade
    truce between two powers, a truce of a war long past, leaving a space project, a review whose war is a
    metaphor, a fee "truce" on a page that names two warring states once each in a list."""
    found = page.read()
    assert (found.commitments, found.reports) == ((), ())


@pytest.mark.parametrize(
    ("page", "absent"),
    [
        story(
            "Stand: 11.12.2024 09:00 Uhr",
            "Die SDF und die protürkischen Milizen haben eine Waffenruhe in Manbidsch vereinbart.",
            "Die Kämpfer sollen die Stadt verlassen, die Milizen sollen die Konvois im Gegenzug passieren lassen.",
            absent="release",
            id="in-return-without-a-head-count-is-no-release",
        ),
        story(
            "March 22, 2025 2:47 PM GMT",
            "The M23 said it would withdraw its fighters from Walikale.",
            "It called on Kinshasa to keep the town free of troops and militia fighters.",
            absent="release",
            id="a-town-kept-free-of-troops-frees-nobody",
        ),
        story(
            "Published 11 July 2025, 19:40 CEST",
            "The PKK declared a ceasefire with Turkey on March 1 and decided in May to disarm.",
            "The phase of armed struggle was over, he said; he urged parliament to set up a commission to oversee "
            "the disarmament.",
            absent="expiry",
            id="the-end-of-armed-struggle-is-no-lapsed-promise",
        ),
        story(
            "Published 7 November 2025, 10:00 GMT",
            "The RSF said it accepted a humanitarian truce with the army; its commander said violations would be "
            "investigated after the fall of El Fasher.",
            absent="violation",
            id="violations-to-be-investigated-are-no-violation-claim",
        ),
        story(
            "Published 1 March 2025, 12:00 GMT",
            "The first phase of the ceasefire between Israel and Hamas took effect on January 19 and ends today.",
            "Israel wants to prolong the first phase by up to 42 days, two officials said.",
            absent="extension",
            id="wanting-to-prolong-a-truce-is-no-extension",
        ),
        story(
            "Stand: 16.04.2023 18:00 Uhr",
            "Die Huthi und die Regierung haben am Freitag mit dem Austausch von knapp 900 Gefangenen begonnen.",
            "Mit den letzten Flügen zwischen Marib und Sanaa ist der Austausch am Sonntag zu Ende gegangen.",
            absent="expiry",
            id="a-swap-that-came-to-an-end-was-carried-out-not-lapsed",
        ),
        story(
            "Published 15 February 2025, 17:52 GMT",
            "Hamas freed three Israeli hostages today, the Israeli army said.",
            "An exchange of fire will be investigated by the mediators on Monday.",
            absent="prisoner_exchange",
            id="an-exchange-of-fire-is-no-swap",
        ),
    ],
)
def test_kinds_the_story_does_not_give(page: Page, absent: CommitmentKind | ReportKind) -> None:
    """A kind the story gives neither as a commitment nor as a report (the two sets of kinds share no name), where
    a word looks like one: "in return" without a head count or a town kept free of troops frees nobody, the end of
    an armed struggle or of a swap is no lapsed promise, violations still to be investigated are no claim, wanting
    to prolong a truce is no extension, and an exchange of fire is no swap."""
    found = page.read()
    assert absent not in [c.kind for c in found.commitments]
    assert absent not in [r.kind for r in found.reports]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "Stand: 23.03.2025, 12:47 Uhr",
            "Die Rebellenallianz AFC/M23 will ihre Kämpfer aus der Stadt Walikale im Osten der Demokratischen Republik "
            "Kongo abziehen.",
            expected=[("withdrawal", ("M23",))],
            id="the-country-troops-leave-a-town-in-is-not-who-leaves",
        ),
        story(
            "Published 17 December 2025, 16:58 GMT",
            "Fighting between the army and the M23 rebels has killed hundreds, and troops shelled the town overnight.",
            "The M23 rebel alliance has said it will withdraw its forces from Uvira, the city on Lake Tanganyika that "
            "it seized last week.",
            expected=[("withdrawal", ("M23",))],
            id="a-relative-clause-that-dates-a-place-does-not-make-the-promise-history",
        ),
        story(
            "Stand: 02.08.2025, 12:00 Uhr",
            "Stammesälteste aus Bajaur haben gestern mit Kämpfern der pakistanischen Taliban verhandelt.",
            "Die TTP-Vertreter baten um Bedenkzeit bis heute, um sich mit ihrer Führung in Afghanistan abzustimmen.",
            "Bis dahin, so sicherten sie zu, werde ihre vorübergehende Waffenruhe verlängert.",
            expected=[("ceasefire", ("Tehrik-i-Taliban Pakistan",))],
            id="their-truce-is-the-truce-of-the-subject-before",
        ),
        story(
            "Published November 27, 2023 7:45 am",
            "A German Catholic priest who was kidnapped in Mali's capital Bamako one year ago has been released and "
            "is on his way back to Germany, church and government officials said on Sunday.",
            "The war against jihadist groups in the Sahel has killed thousands of people.",
            expected=[],
            id="the-nationality-of-the-one-freed-is-not-who-freed-him",
        ),
    ],
)
def test_commitment_kinds_and_actors(page: Page, expected: list[tuple[CommitmentKind, tuple[str, ...]]]) -> None:
    """Every commitment as its kind and whom it binds: the country a town lies in is not who leaves it, a relative
    clause that dates a place does not make the promise history, and "their truce" in a sentence that names no
    party is the truce of the party the sentence before names first, not of the conflict's two sides; "a German
    priest" freed was not freed by Germany."""
    assert [(c.kind, c.actors) for c in page.read().commitments] == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "Posted Mon 22 Jul 2024 at 7:05pm",
            "The Philippines and China have agreed on a provisional arrangement meant to let Manila keep supplying "
            "troops stationed on a grounded warship, after months of confrontations at sea.",
            expected=[("other", ("Philippines", "China"), "resupply")],
            id="an-arrangement-to-resupply-an-outpost-is-a-commitment",
        ),
        story(
            "March 10, 2023 4:18 PM GMT",
            "Iran and Saudi Arabia agreed on Friday to restore the diplomatic relations they cut seven years ago.",
            "Since then the two have backed opposite sides in Yemen, where a Saudi-led coalition has been fighting "
            "the Houthis since 2015.",
            expected=[("other", ("Iran", "Saudi Arabia"), "diplomatic relations")],
            id="two-states-restoring-their-relations-both-commit-whatever-war-the-page-tells-of",
        ),
        story(
            "Published 17 December 2025, 16:58 GMT",
            "Fighting between the army and the M23 rebels has killed hundreds, and troops shelled the town overnight.",
            "The deal commits Rwanda to pull its troops out of eastern Congo, a demand heard there since the 1994 "
            "genocide.",
            expected=[("withdrawal", ("Rwanda",), "eastern Congo")],
            id="pulling-troops-out-is-a-withdrawal-and-a-year-naming-a-thing-dates-nothing",
        ),
    ],
)
def test_commitment_kinds_actors_and_scopes(
    page: Page, expected: list[tuple[CommitmentKind, tuple[str, ...], str | None]]
) -> None:
    """Every commitment as its kind, whom it binds and what it covers: an arrangement to resupply an outpost is a
    commitment of its own, and pulling troops out of a region is a withdrawal from it."""
    assert [(c.kind, c.actors, c.scope) for c in page.read().commitments] == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "January 21, 2025",
            "China says the Myanmar military and the MNDAA have signed a formal ceasefire in Kunming.",
            "For months China squeezed the Myanmar National Democratic Alliance Army from "
            "every side. It shut the border "
            "crossings into Kokang and has kept its leader in Kunming since late October.",
            expected=[("ceasefire", None)],
            id="a-pronoun-points-back-to-the-sentence-before-it-not-to-a-truce-told-earlier",
        ),
        story(
            "Published 25 June 2025",
            "The truce between Israel and Iran has largely held since Tuesday.",
            "Trump announced the ceasefire between Israel and Iran on Monday night.",
            expected=[("ceasefire", date(2025, 6, 24))],
            id="a-truce-held-since-a-day-told-before-the-truce-began-that-day",
        ),
    ],
)
def test_commitment_kinds_and_starts(page: Page, expected: list[tuple[CommitmentKind, date | None]]) -> None:
    """Every commitment as its kind and start: a pronoun points back to the sentence before it, so a day told of
    something else gives the truce no start, and a truce held since a day began that day."""
    assert [(c.kind, c.start) for c in page.read().commitments] == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "28 August 2025",
            "The Council decided that Israel should begin the withdrawal of its troops from southern Lebanon on "
            "31 December 2026, to be completed within one year.",
            expected=[("withdrawal", date(2026, 12, 31), date(2027, 12, 31))],
            id="a-pullout-that-begins-on-a-day-is-completed-within-its-period-from-that-day",
        ),
        story(
            "Stand: 31.10.2025 08:45 Uhr",
            "Pakistan und Afghanistan hatten nach tagelangen Gefechten an der Grenze mit Dutzenden toten Soldaten "
            "Gespräche aufgenommen.",
            "Am 15. Oktober einigten sich beide Seiten zunächst auf eine 48-stündige Feuerpause.",
            expected=[("ceasefire", date(2025, 10, 15), date(2025, 10, 17))],
            id="a-truce-with-only-a-length-begins-on-the-day-it-was-agreed",
        ),
    ],
)
def test_commitment_kinds_starts_and_ends(page: Page, expected: list[tuple[CommitmentKind, date, date]]) -> None:
    """Every commitment as its kind, start and end: a pullout to be completed within a period from a day ends that
    period after it, and a truce told only with its length begins on the day it was agreed."""
    assert [(c.kind, c.start, c.end) for c in page.read().commitments] == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "Stand: 11.06.2025 18:00 Uhr",
            "Bei ihrem Treffen in Istanbul am 2. Juni hatten Russland und die Ukraine vereinbart, jeweils 6.000 "
            "Leichen gefallener Soldaten zurückzugeben.",
            expected=[("prisoner_exchange", 6000)],
            id="an-agreement-told-in-the-pluperfect-weeks-ago-is-still-a-commitment",
        ),
        story(
            "Stand: 23.07.2025, 21:52 Uhr",
            "Russland und die Ukraine haben sich in Istanbul auf die Übergabe von "
            "mindestens je 1.200 Gefangenen geeinigt.",
            expected=[("prisoner_exchange", 1200)],
            id="a-handover-of-the-same-number-each-is-an-exchange",
        ),
    ],
)
def test_commitment_kinds_and_quantities(page: Page, expected: list[tuple[CommitmentKind, int | None]]) -> None:
    """Every commitment as its kind and head count: an agreement told in the pluperfect weeks ago still stands, and
    a handover of the same number by each side is an exchange."""
    assert [(c.kind, c.quantity) for c in page.read().commitments] == expected


@pytest.mark.parametrize(
    ("page", "kind", "expected"),
    [
        story(
            "March 22, 2025 2:47 PM GMT",
            "Rwanda-backed M23 rebels said on Saturday they would withdraw their fighters from the town of Walikale, "
            "days after the presidents of Congo and Rwanda called for a ceasefire.",
            kind="withdrawal",
            expected=[("M23",)],
            id="who-says-it-would-withdraw-commits-and-its-backer-does-not",
        ),
        story(
            "31/10/2023 - 18:47",
            "Fighting between Mali's army and Tuareg-led rebels of the CSP has intensified, with drone strikes and "
            "artillery around Kidal.",
            # (told done, "pulled its last troops out", the same sentence is the withdrawal's fulfilment instead)
            "The UN mission in Mali will pull its last troops out of its camp in Kidal by the end of the year.",
            kind="withdrawal",
            expected=[("United Nations",)],
            id="an-outsider-that-pulls-out-is-the-one-bound-and-the-state-it-sits-in-a-place",
        ),
        story(
            "Published 15 November 2025, 20:00 GMT",
            "Congo and the M23 rebels signed a framework in Doha on Saturday and reaffirmed their ceasefire; the army "
            "and the M23 have fought for years in the east.",
            "Envoys of Qatar and the United States attended the ceremony.",
            "The remaining six protocols are to be negotiated in the coming weeks, diplomats said.",
            kind="negotiations",
            expected=[("Democratic Republic of the Congo", "M23")],
            id="talks-after-a-sentence-of-mediators-are-between-the-sides",
        ),
    ],
)
def test_whom_the_commitments_of_a_kind_bind(page: Page, kind: CommitmentKind, expected: list[tuple[str, ...]]) -> None:
    """Whom each commitment of one kind binds, the others left aside: who says it would withdraw is bound and its
    backer is not, an outsider that pulls out is bound and the state it sits in is a place, and talks told after a
    sentence of mediators are between the sides."""
    assert [c.actors for c in page.read().commitments if c.kind == kind] == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "Published 10 October 2025, 14:00 GMT",
            "The ceasefire between Israel and Hamas took effect in Gaza at noon, the Israeli military said.",
            "Under the first phase, Hamas must release 20 hostages within 72 hours, the mediators said.",
            expected=[(("Hamas",), 20)],
            id="an-obligation-under-the-deal-is-a-commitment",
        ),
        story(
            "10.04.2023, 15:42 Uhr",
            "Saudische Unterhändler verhandeln in Sanaa mit den Huthi-Rebellen über eine dauerhafte Waffenruhe.",
            "Die Rebellen sollen 181 Gefangene übergeben, darunter Saudis und Sudanesen.",
            expected=[(("Houthis",), 181)],
            id="the-rebels-are-the-rebels-the-page-named-in-a-compound-and-those-handed-over-are-no-party",
        ),
        story(
            "25 January 2025, 17:32 GMT",
            "The Houthis released 153 detainees in Sanaa on Saturday, the Red Cross said.",
            "The government and the Houthis are to exchange 900 prisoners next month.",
            expected=[(("Houthis",), 153)],
            id="a-release-done-today-is-the-promise-it-kept-beside-an-exchange-to-come",
        ),
    ],
)
def test_who_releases_how_many(page: Page, expected: list[tuple[tuple[str, ...], int | None]]) -> None:
    """Each release as whom it binds and its head count: an obligation under the deal ("must") is a commitment, and
    "the rebels" are the rebels the page named in a compound; those handed over are no party; a release done today
    is the promise it kept, though the page also tells of an exchange to come."""
    assert [(c.actors, c.quantity) for c in page.read().commitments if c.kind == "release"] == expected


def test_the_length_of_the_war_is_not_the_length_of_the_truce() -> None:
    found = article(
        "Published 10 October 2025, 14:00 GMT",
        "A ceasefire between Israel and Hamas took effect on Friday under a plan to end the two-year war.",
    )
    truce = only(found)
    assert (truce.kind, truce.start, truce.duration_days, truce.end) == ("ceasefire", date(2025, 10, 10), None, None)


def test_a_party_left_out_of_the_talks_is_not_bound_to_talk() -> None:
    found = article(
        "Published 2 November 2022, 18:00 GMT",
        "Ethiopia and the TPLF agreed on Wednesday to a permanent cessation of hostilities.",
        "Eritrean troops were not part of the talks, and it was not clear how the agreement would affect them.",
    )
    assert [c.kind for c in found.commitments] == ["ceasefire"]


def test_a_finished_time_in_another_clause_does_not_make_the_agreement_history() -> None:
    found = article(
        "Published 20 September 2022, 11:46 CEST",
        "Armenia and Azerbaijan have agreed to keep to the ceasefire and to pull back the troops they moved to the "
        "border last week, after the heaviest fighting in two years.",
    )
    assert sorted(c.kind for c in found.commitments) == ["ceasefire", "withdrawal"]


def test_a_clock_time_without_a_day_is_on_the_day_the_sentence_named() -> None:
    found = article(
        "Published 20 September 2022, 11:46 GMT",
        "The two defence ministers agreed on Friday that the guns would fall silent from 4 p.m. GMT, "
        "Armenia and Azerbaijan said.",
    )
    truce = only(found)
    assert (truce.kind, truce.start) == ("ceasefire", datetime(2022, 9, 16, 16, 0, tzinfo=UTC))


def test_a_denial_of_something_no_commitment_is_about_is_no_report() -> None:
    found = article(
        "Published 15 November 2025, 20:00 GMT",
        "Congo and the M23 rebels reaffirmed their ceasefire in Doha on Saturday; fighting went on in South Kivu.",
        "Rwanda denies backing the rebels with its own troops.",
        "The M23 accused the army of shelling its positions on Friday. The army denied the claims.",
    )
    assert sorted(r.kind for r in found.reports) == ["denial", "violation"]


def test_a_denial_of_this_answers_the_sentence_before_it() -> None:
    truce = "Congo and the M23 rebels reaffirmed their ceasefire in Doha on Saturday."
    arming = "Kinshasa accuses Rwanda of arming the M23 and sending its own troops. Kigali denies this."
    shelling = "The M23 accused the army of shelling its positions on Friday. The army denied this."
    page = ("Published 15 November 2025, 20:00 GMT", truce)
    assert [r.kind for r in article(*page, arming).reports if r.kind == "denial"] == []
    assert [(r.kind, r.claimed_by) for r in article(*page, shelling).reports if r.kind == "denial"] == [
        ("denial", "Democratic Republic of the Congo")
    ]


def test_a_claim_in_the_mood_of_reported_speech_is_a_claim() -> None:
    """German reports a claim in Konjunktiv II when Konjunktiv I would look like the indicative ("hätten")."""
    found = article(
        "Stand: 28.11.2023 10:00 Uhr",
        "Im Gazastreifen gilt seit Freitag eine Feuerpause zwischen Israel und der Hamas.",
        "Die Hamas stellte die Lage anders dar: Israelische Truppen hätten gegen die Abmachung verstoßen.",
    )
    assert [(r.kind, r.accused, r.claimed_by) for r in found.reports] == [("violation", ("Israel",), "Hamas")]


def test_a_truce_that_came_to_an_end_lapsed() -> None:
    found = article(
        "Stand: 01.12.2023 09:00 Uhr",
        "Die Feuerpause zwischen Israel und der Hamas ist am Freitag um 7 Uhr Ortszeit zu Ende gegangen.",
    )
    assert [(r.kind, r.about, r.date) for r in found.reports] == [("expiry", "ceasefire", date(2023, 12, 1))]


def test_a_lapse_that_restates_the_length_states_the_terms() -> None:
    found = article(
        "Published 1 March 2025",
        "The 42-day first stage of the truce between Israel and Hamas that began on January 19 runs out today.",
    )
    truce = only(found)
    assert (truce.kind, truce.start, truce.duration_days, truce.end) == (
        "ceasefire",
        date(2025, 1, 19),
        42,
        date(2025, 3, 2),
    )
    assert [(r.kind, r.date) for r in found.reports] == [("expiry", date(2025, 3, 1))]


def test_committing_to_observe_a_truce_is_a_promise_and_acting_to_carry_out_an_order_is_compliance() -> None:
    pledge = article(
        "Stand: 25.04.2025 23:48 Uhr",
        "Erst am Mittwoch hatten sich die kongolesische Regierung und die M23 in einer gemeinsamen Erklärung "
        "verpflichtet, eine Waffenruhe während der gesamten Gespräche einzuhalten.",
    )
    congo = ("Democratic Republic of the Congo", "M23")
    assert [(c.kind, c.actors) for c in pledge.commitments] == [("ceasefire", congo)]
    assert pledge.reports == ()
    order = article(
        "Stand: 20.03.2025 09:10 Uhr",
        "Putin hatte am Dienstag einen Stopp der Angriffe auf Energieanlagen für 30 Tage angeordnet.",
        "Das russische Militär schoss am Dienstag eigene Drohnen ab, um den Befehl Putins umzusetzen.",
    )
    assert [(r.kind, r.claimed_by) for r in order.reports] == [("compliance", "Russia")]


def test_calm_returning_is_compliance_and_people_returning_home_no_handover() -> None:
    found = article(
        "Published 27 November 2024, 12:00 GMT",
        "A ceasefire between Israel and Hezbollah took effect at 4 a.m. local time on Wednesday.",
        "Lebanon's army said calm has returned to the south after more than 3,000 people were killed.",
        "The Israeli army urged people to hold off returning to their villages near the border.",
    )
    assert [c.kind for c in found.commitments] == ["ceasefire"]
    assert [r.kind for r in found.reports] == ["compliance"]


def test_the_next_exchange_in_a_story_of_swaps_is_an_exchange_to_come() -> None:
    found = article(
        "Stand: 15.02.2025 17:52 Uhr",
        "Die Hamas hat heute drei Geiseln freigelassen, Israel ließ im Gegenzug 369 Häftlinge frei.",
        "Der nächste Austausch soll am 22. Februar stattfinden.",
    )
    assert [(c.kind, c.due) for c in found.commitments] == [("prisoner_exchange", date(2025, 2, 22))]


def test_a_clock_time_without_its_zone_is_the_same_start_as_with_it() -> None:
    found = article(
        "Published 19 January 2025, 17:50 GMT",
        "The ceasefire between Israel and Hamas took effect in Gaza at 11:15 local time on Sunday.",
        "Netanyahu's office says the ceasefire began at 11:15 after Israel received the list of names.",
    )
    truce = only(found)
    assert truce.start == datetime(2025, 1, 19, 11, 15, tzinfo=timezone(timedelta(hours=2)))


def test_the_deadline_of_the_talks_is_the_one_beside_them() -> None:
    found = article(
        "Published 2 November 2022, 18:00 GMT",
        "Under the deal, Tigrayan forces are to be disarmed within 30 days of the signing, and senior commanders of "
        "Ethiopia and the TPLF are to meet within five days to work out the details.",
    )
    assert [c.due for c in found.commitments if c.kind == "negotiations"] == [date(2022, 11, 7)]


def test_talks_to_be_concluded_within_months_last_that_long_and_the_facilitator_is_no_party() -> None:
    found = article(
        "Issued on: 12/12/2024 - 09:14",
        "Somalia and Ethiopia have agreed to end their bitter dispute over Ethiopian access to the sea.",
        "Under a joint text released by the Turkish presidency, the two neighbours will start technical "
        "negotiations before the end of February 2025, with Turkey acting as facilitator.",
        "The talks are to be concluded, and the outcome signed, within four months.",
    )
    talks = [c for c in found.commitments if c.kind == "negotiations"]
    assert [(set(c.actors), c.due, c.duration_days) for c in talks] == [
        ({"Somalia", "Ethiopia"}, date(2025, 2, 28), 120)
    ]
    assert [r.kind for r in found.reports] == []  # a text "released" by a presidency frees nobody


def test_agreeing_to_stop_violence_is_a_truce_and_talks_that_ended_lapse_nothing() -> None:
    found = article(
        "PUBLISHED : 2 Apr 2022 at 06:12",
        "The government and the Barisan Revolusi Nasional (BRN), the insurgent group in the far South, have agreed "
        "to stop violence during Ramadan.",
        "The accord was announced after two days of meetings near Kuala Lumpur ended on Friday, the facilitator said.",
    )
    assert [(c.kind, "Barisan Revolusi Nasional" in c.actors) for c in found.commitments] == [("ceasefire", True)]
    assert [r.kind for r in found.reports] == []


def test_a_truce_told_again_in_reported_speech_gets_its_terms() -> None:
    found = article(
        "16.05.2022",
        "Die Guerillaorganisation ELN will die Waffen rund um die Präsidentenwahl Ende Mai ruhen lassen.",
        "Die Feuerpause beginne am 25. Mai um 0 Uhr Ortszeit und ende am 3. Juni um 24 Uhr, erklärte das "
        "Zentralkommando der ELN im Internet.",
    )
    truce = only(found)
    bogota = timezone(timedelta(hours=-5))
    assert (truce.kind, truce.start, truce.end) == (
        "ceasefire",
        datetime(2022, 5, 25, 0, 0, tzinfo=bogota),
        datetime(2022, 6, 4, 0, 0, tzinfo=bogota),
    )


def test_a_pullback_under_way_is_a_withdrawal_in_force() -> None:
    found = article(
        "Stand: 09.09.2022 17:24 Uhr",
        "Seit zwei Jahren stehen sich indische und chinesische Soldaten mit Artillerie gegenüber; bei Gefechten "
        "wurden Soldaten getötet.",
        "Indien und China haben mit dem Abzug ihrer Truppen aus einem umstrittenen Grenzgebiet begonnen.",
        "Bis Montag sollen die Stellungen vollständig geräumt sein, sagte ein Sprecher in Neu-Delhi.",
    )
    assert [(c.kind, set(c.actors), c.status) for c in found.commitments] == [
        ("withdrawal", {"India", "China"}, "in_force")
    ]


def test_a_phase_told_again_gives_the_truce_its_terms() -> None:
    found = article(
        "Published 4 February 2025, 19:30 GMT",
        "Israel and Hamas agreed a ceasefire in January after more than a year of war and shelling in Gaza.",
        "Israeli forces are to complete their withdrawal from the Netzarim corridor by Sunday.",
        "The six-week first phase took effect on 19 January.",
    )
    truce = next(c for c in found.commitments if c.kind == "ceasefire")
    assert (truce.start, truce.duration_days, truce.end) == (date(2025, 1, 19), 42, date(2025, 3, 2))


def test_an_armed_group_s_truce_with_its_government_is_war_news_without_other_words_of_war() -> None:
    """A group called armed, refraining from offensive operations: a truce of an armed conflict, not of a trade."""
    page = article(
        "28 Dec 2022, 06:12 AM IST",
        "IMPHAL, Dec 27: The Zeliangrong United Front (ZUF), an armed group active in the hill districts of Manipur, "
        "on Tuesday signed a cessation of operations agreement with the Government of India, bringing the outfit into "
        "a formal truce.",
        "Under the agreement, the security forces and the ZUF will refrain from offensive operations against each "
        "other.",
        title="ZUF inks pact with Centre",
    )
    assert [(c.kind, c.start) for c in page.commitments] == [("ceasefire", date(2022, 12, 27))]
    assert "Zeliangrong United Front" in page.commitments[0].actors
