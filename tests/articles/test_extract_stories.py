"""Short stories read whole: who a bare "the army" is, who claims a breach against whom, which sentence states
terms and which only restates, refers back or threatens — the rules behind first-contact misses on unseen pages.

First the tables, one for each projection of what the stories report (those of what stories commit, or give in
neither way, are in test_extract_terms.py); each row keeps as its id the name it had as a test of its own. Then the
stories whose assertions are their own."""

from __future__ import annotations

from datetime import date

import pytest

from articles import frames
from articles.conflicts import conflict_of
from articles.extract import extract_reports
from articles.model import CommitmentKind, ReportKind
from articles.temporal import to_date as to_day
from tests.articles.test_extract_text import Page, article, story


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "Stand: 26.11.2025 13:05 Uhr",
            "Die sudanesische Armee hat die von der RSF verkündete Feuerpause zurückgewiesen.",
            "Die RSF hatte am Montag eine Waffenruhe für drei Monate ausgerufen.",
            "Nur Stunden nach der Ankündigung hätten RSF-Kämpfer die Stadt Babanusa angegriffen, teilte die Armee mit.",
            expected=[("Sudanese Armed Forces", ("Rapid Support Forces",))],
            id="a-bare-army-is-the-army-the-page-named",
        ),
        story(
            "Stand: 03.12.2024 10:00 Uhr",
            "Seit dem 27. November gilt eine Waffenruhe zwischen Israel und der Hisbollah.",
            "Die libanesische Miliz feuerte am Montag zwei Granaten auf einen Armeeposten ab.",
            "Israel habe die Vereinbarung immer wieder verletzt, erklärte die Miliz.",
            expected=[("Hezbollah", ("Israel",))],
            id="a-state-adjective-before-a-militia-does-not-make-the-militia-the-state",
        ),
        story(
            "Stand: 03.12.2024 10:00 Uhr",
            "Seit dem 27. November gilt eine Waffenruhe zwischen Israel und der Hisbollah im Libanon.",
            "Libanesische Behörden meldeten Tote im Süden des Libanon.",
            "Ministerpräsident Benjamin Netanjahu sprach von einem schweren Bruch der Waffenruhe.",
            expected=[("Israel", ("Hezbollah",))],
            id="a-breach-named-by-one-party-is-laid-on-the-other-party-of-the-truce",
        ),
        story(
            "28 August 2025",
            "A cessation of hostilities between Israel and Hezbollah has been in force since 27 November 2024.",
            "Lebanon’s representative told the Council that Israel’s almost daily strikes were flagrant violations "
            "of the cessation of hostilities.",
            expected=[("Lebanon", ("Israel",))],
            id="who-told-the-council-that-there-were-violations-claims-them",
        ),
        story(
            "Published 8 March 2023, 10:00 GMT",
            "Angola said on Monday that the M23 had agreed to a ceasefire starting at noon on Tuesday.",
            "In a statement on Tuesday evening, the M23's spokesman Lawrence Kanyuka said the movement was respecting "
            "the ceasefire, but that its positions near Kilolirwe had been attacked by the Congolese army.",
            "Residents told the Observer that heavy weapons could be heard from about 3pm on Tuesday, three hours "
            "after the truce formally took effect.",
            expected=[("M23", ("Democratic Republic of the Congo",))],
            id="a-side-keeping-the-truce-but-attacked-claims-a-breach",
        ),
        story(
            "Stand: 08.03.2023 10:00 Uhr",
            "Seit Dienstagmittag gilt im Osten Kongos eine Waffenruhe der M23, teilte Angola mit.",
            "Die M23 erklärte, sie halte die Waffenruhe ein, doch ihre Stellungen seien von der kongolesischen Armee "
            "angegriffen worden.",
            expected=[("M23", ("Democratic Republic of the Congo",))],
            id="eine-seite-die-die-waffenruhe-einhaelt-und-angegriffen-wird-meldet-einen-bruch",
        ),
        # troops under orders to keep a truce: it stands, and the other side's attack breaks it
        story(
            "Stand: 13.02.2024 10:00 Uhr",
            "Aserbaidschanische Soldaten hätten am Montag armenische Stellungen beschossen, teilte Eriwan mit.",
            "Die armenische Truppe habe den klaren Befehl, die Waffenruhe einzuhalten, hieß es.",
            expected=[("Armenia", ("Azerbaijan",))],
            id="ein-befehl-die-waffenruhe-einzuhalten-laesst-sie-bestehen",
        ),
        story(
            "13 February 2024",
            "Azerbaijani troops shelled Armenian positions on Monday, Yerevan said.",
            "Armenian units are under clear orders to observe the ceasefire, the ministry added.",
            expected=[("Armenia", ("Azerbaijan",))],
            id="orders-to-observe-the-ceasefire-mean-one-stands",
        ),
    ],
)
def test_violation_claims(page: Page, expected: list[tuple[str | None, tuple[str, ...]]]) -> None:
    """Each violation report in order as who claims it and whom it accuses: a bare "the army" or "the militia" is
    the one the page named, a breach one party of the truce speaks of is laid on the other party, and a side that
    says it keeps the truce but was attacked claims a breach (the attack told "hours after the truce took effect" is
    no second truce)."""
    found = page.read()
    assert [(r.claimed_by, r.accused) for r in found.reports if r.kind == "violation"] == expected


@pytest.mark.parametrize(
    ("page", "claim"),
    [
        story(
            "Stand: 28.11.2023 10:00 Uhr",
            "Im Gazastreifen gilt seit Freitag eine Feuerpause zwischen Israel und der Hamas.",
            "Das sei ein klarer Verstoß gegen die Feuerpause, teilte die israelische Armee mit.",
            "Der bewaffnete Arm der Hamas, die Kassam-Brigaden, stellte die Lage anders dar: Israelische Truppen seien "
            "vorgerückt und hätten damit gegen die Abmachung verstoßen.",
            claim=("Hamas", ("Israel",)),
            id="who-stands-before-the-colon-claims-what-follows-not-the-last-speaker",
        ),
        story(
            "Published 1 March 2025, 12:00 GMT",
            "The ceasefire between Israel and Hamas took effect on January 19.",
            "Two men were killed by Israeli fire east of Rafah on Saturday morning, medics said.",
            "Hamas called the shooting another breach of the ceasefire.",
            claim=("Hamas", ("Israel",)),
            id="who-calls-an-attack-a-breach-accuses-the-other-side",
        ),
    ],
)
def test_a_claim_among_the_violation_claims(page: Page, claim: tuple[str, tuple[str, ...]]) -> None:
    """One violation claim, as claimant and accused, among those the story gives (others may stand beside it): who
    stands before a colon claims what follows it, not the last speaker, and who calls an attack a breach accuses the
    other side."""
    found = page.read()
    assert claim in {(r.claimed_by, r.accused) for r in found.reports if r.kind == "violation"}


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "Stand: 03.12.2024 10:00 Uhr",
            "Seit dem 27. November gilt eine Waffenruhe zwischen Israel und der Hisbollah.",
            "Das US-Außenministerium erklärte, die Waffenruhe halte im Großen und Ganzen. Man habe mit einzelnen "
            "Verstößen gerechnet.",
            expected=[("compliance", "United States")],
            id="violations-that-were-expected-are-no-claim-but-the-truce-holding-is",
        ),
        story(
            "Published 18 October 2025, 14:10 CEST",
            "Russia and Ukraine agreed to local ceasefire zones brokered by the International Atomic Energy Agency.",
            "By midday the agency's team said no military activity had been observed near the site.",
            expected=[("compliance", "International Atomic Energy Agency")],
            id="a-bare-agency-is-the-agency-the-page-named",
        ),
        story(
            "Published 3 April 2025, 12:00 BST",
            "Myanmar's military declared a temporary ceasefire on Wednesday to help earthquake relief efforts.",
            "The Ta'ang National Liberation Army said on Thursday that military aircraft had bombed two villages "
            "overnight, hours after the ceasefire was declared.",
            expected=[("violation", "Ta'ang National Liberation Army")],
            id="an-attack-hours-after-the-truce-was-declared-breaks-it",
        ),
        story(
            "Stand: 11.03.2025 21:47 Uhr",
            "Die USA haben eine sofortige 30-tägige Waffenruhe zwischen Russland und der Ukraine vorgeschlagen.",
            "Selenskyj nannte den Vorschlag in seiner abendlichen Videobotschaft positiv.",
            expected=[("reaction", "Ukraine")],
            id="a-side-answering-a-proposal-made-to-it-reacts",
        ),
        story(
            "Published 1 March 2025, 09:00 GMT",
            "Israel and Hamas agreed to a ceasefire in Gaza that began on January 19.",
            'Hamas said it rejected extending the first phase "in the format Israel is proposing".',
            expected=[("reaction", "Hamas")],
            id="a-side-of-the-deal-answering-the-other-side-s-proposal-reacts",
        ),
        story(
            "Published 27 November 2023, 20:00 GMT",
            "Israel and Hamas have agreed to prolong the four-day truce in Gaza by two more days, mediator Qatar said.",
            "Hamas said in a statement that it had agreed with Qatar and Egypt to extend the truce on the same terms.",
            expected=[("extension", "Qatar")],
            id="an-extension-told-by-the-mediator-and-by-a-side-is-one-report",
        ),
    ],
)
def test_report_kinds_and_claimants(page: Page, expected: list[tuple[ReportKind, str | None]]) -> None:
    """Every report as its kind and who says it: a truce said to hold is compliance even when violations were
    expected, an attack hours after a truce was declared breaks it, an answer to a proposal (by a side of the deal
    too) is a reaction, a bare "the agency" is the agency the page named, and an extension told by the mediator and
    by a side is one report."""
    assert [(r.kind, r.claimed_by) for r in page.read().reports] == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "18. Januar 2025, 18:52 Uhr",
            "Kolumbien und die ELN-Guerilla verhandeln seit 2022 über Frieden; eine Waffenruhe galt ein Jahr lang.",
            "Präsident Gustavo Petro setzte die Friedensgespräche mit der ELN am Freitag aus.",
            expected=[("expiry", "negotiations")],
            id="abgebrochene-gespraeche-enden",
        ),
        story(
            "January 21, 2025",
            "The Myanmar military and the MNDAA have signed a formal ceasefire in Kunming, "
            "China's foreign ministry said.",
            "The MNDAA had also agreed to pull its fighters out of Lashio by June, exile media reported.",
            "An MNDAA member who confirmed the truce denied that any withdrawal from the town had been agreed.",
            expected=[("denial", "withdrawal")],
            id="a-denial-is-about-what-it-denies-not-what-describes-its-speaker",
        ),
        story(
            "Published 10 October 2025, 14:00 GMT",
            "A ceasefire between Israel and Hamas took effect in Gaza at noon, the Israeli military said.",
            "Israeli troops are to withdraw to the agreed line within 24 hours, the mediators said.",
            "The military said its troops had completed their pullback to the agreed line by the evening.",
            expected=[("fulfilment", "withdrawal")],
            id="a-completed-pullback-fulfils-the-withdrawal",
        ),
    ],
)
def test_report_kinds_and_subjects(page: Page, expected: list[tuple[ReportKind, CommitmentKind]]) -> None:
    """Every report as its kind and what it is about: talks broken off end the talks, not the truce that once ran
    beside them; a denial is about what it denies, not about what the sentence says of its speaker; a completed
    pullback fulfils the withdrawal."""
    assert [(r.kind, r.about) for r in page.read().reports] == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "Stand: 11.12.2024 09:00 Uhr",
            "Die SDF und die protürkischen Milizen haben eine Waffenruhe in Manbidsch vereinbart.",
            "Trotz der Waffenruhe kam es nach Angaben der Syrischen Beobachtungsstelle für Menschenrechte erneut zu "
            "Gefechten.",
            expected=["Syrian Observatory for Human Rights"],
            id="the-syrian-observatory-is-a-monitor-not-syria",
        ),
        story(
            "Stand: 20.07.2025 12:00 Uhr",
            "Seit Samstagabend gilt in Suwaida eine Waffenruhe zwischen Drusen und Beduinen.",
            "Nach Angaben der in Großbritannien ansässigen Syrischen Beobachtungsstelle für Menschenrechte lieferten "
            "sich Beduinenkämpfer und drusische Bewaffnete trotz der Waffenruhe noch in der Nacht Gefechte.",
            expected=["Syrian Observatory for Human Rights"],
            id="a-place-beside-the-source-is-not-the-source",
        ),
    ],
)
def test_claimants(page: Page, expected: list[str | None]) -> None:
    """Who says each report: a monitor whose name holds a country, or that is told beside the place it sits in, is
    the monitor, not the country."""
    assert [r.claimed_by for r in page.read().reports] == expected


@pytest.mark.parametrize(
    "page",
    [
        story(
            "Stand: 11.12.2024 09:00 Uhr",
            "Die SDF und die protürkischen Milizen haben eine Waffenruhe in Manbidsch vereinbart.",
            "Die Kämpfer des Militärrats würden so bald wie möglich aus dem Gebiet abgezogen, hieß es.",
            id="a-pullout-told-in-the-conditional-has-not-happened",
        ),
        story(
            "Saturday 5 March 2022 21:12, UK",
            "Russia declared a ceasefire from 10am Moscow time so civilians could leave Mariupol.",
            "Ukrainian officials were talking to the Russian side about the breach, the deputy mayor said.",
            id="talking-about-the-breach-is-no-new-breach",
        ),
        story(
            "Tue 11 Mar 2025 · 20:05 GMT",
            "The Houthis have halted their attacks on shipping in the Red Sea since the "
            "Gaza truce began on January 19.",
            "Any Israeli ship that tried to break the ban would be attacked, the group's spokesman said.",
            id="a-ship-that-would-try-to-break-the-ban-breaks-nothing-yet",
        ),
        story(
            "Stand: 28.11.2023 10:00 Uhr",
            "Im Gazastreifen gilt seit Freitag eine Feuerpause zwischen Israel und der Hamas.",
            "Ohne die Einigung hätten beide Seiten gegen die Abmachung verstoßen.",
            id="without-a-speaker-the-subjunctive-stays-a-hedge",
        ),
        story(
            "Stand: 27.11.2024 12:00 Uhr",
            "Die Waffenruhe zwischen Israel und der Hisbollah ist seit 4 Uhr Ortszeit in Kraft.",
            "Jeder Verstoß werde mit Gewalt beantwortet, sagte der israelische Verteidigungsminister.",
            "Any violation will be met with force, the Israeli army said.",
            id="a-threat-against-any-violation-claims-none",
        ),
        story(
            "Published 1 April 2023, 10:00 GMT",
            "The M23 rebels and the Congolese army agreed a truce on Friday.",
            "Congo accuses Rwanda of backing the M23 with troops and weapons, a charge Kigali denies.",
            "Ruanda bestreitet, die Rebellen mit eigenen Soldaten zu unterstützen.",
            id="a-denial-of-backing-a-side-answers-no-promise",
        ),
        story(
            "Published 2 June 2025, 18:00 GMT",
            "Russia and Ukraine agreed to swap all severely wounded prisoners of war.",
            "The talks took place one day after Ukraine's Security Service struck Russian air bases.",
            id="talks-no-sentence-promised-fulfil-nothing",
        ),
    ],
)
def test_stories_that_report_nothing(page: Page) -> None:
    """Stories with no report at all: what is told in the conditional, only talked about, or threatened should a
    case come has not happened, and a subjunctive with no one to say it stays a hedge."""
    assert [r.kind for r in page.read().reports] == []


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "Stand: 22.11.2023 10:47 Uhr",
            "Im Gazastreifen sollen erstmals seit Kriegsbeginn die Waffen schweigen: Israel und die Hamas haben eine "
            "viertägige Feuerpause vereinbart.",
            "Die Vereinbarung sieht vor, dass die Feuerpause um jeweils einen Tag verlängert werden kann.",
            expected=([], ["agreed"]),
            id="a-truce-that-can-be-prolonged-was-not-prolonged-and-is-not-yet-in-force",
        ),
        story(
            "Stand: 11.05.2025 18:00 Uhr",
            "Putin hatte einseitig eine dreitägige Waffenruhe ausgerufen; sie ist in der "
            "Nacht zum Sonntag ausgelaufen.",
            "Wie reagiert Kiew? Wird Moskau eine Waffenruhe von 30 Tagen akzeptieren?",
            expected=(["expiry"], ["announced"]),
            id="a-question-states-nothing",
        ),
    ],
)
def test_report_kinds_and_commitment_statuses(page: Page, expected: tuple[list[ReportKind], list[str]]) -> None:
    """The kinds of the reports beside the status of each commitment: a truce that can be prolonged is neither
    prolonged nor in force yet, and a question states nothing — it neither reports nor changes a status."""
    found = page.read()
    assert ([r.kind for r in found.reports], [c.status for c in found.commitments]) == expected


def test_a_breach_dated_before_the_truce_began_is_a_story_of_the_war() -> None:
    found = article(
        "Published 18 October 2025, 14:10 CEST",
        "Russia and Ukraine agreed to a local ceasefire around the plant that took effect on Saturday morning.",
        "Moscow blames Ukrainian shelling for the damage of 23 September.",
    )
    assert [(c.kind, c.start) for c in found.commitments] == [("ceasefire", date(2025, 10, 18))]
    assert [r.kind for r in found.reports] == []


def test_a_militia_suspending_its_attacks_declares_a_truce_of_its_own() -> None:
    found = article(
        "31. Januar 2024, 7:48 Uhr",
        "Die Miliz Kataib Hisbollah im Irak setzt nach eigenen Angaben ihre Angriffe auf US-Truppen in der Region aus.",
        "Die USA hatten nach dem Angriff auf Tower 22 Vergeltung angekündigt.",
    )
    assert [(c.kind, c.actors, c.status) for c in found.commitments] == [
        ("ceasefire", ("Kataib Hezbollah",), "announced")
    ]


def test_the_story_s_conflict_is_the_one_whose_both_sides_it_names_often() -> None:
    names = ["United States"] * 5 + ["Iraq"] * 4 + ["Islamic State"] + ["Kataib Hezbollah"] * 4
    sides = conflict_of(names)
    assert sides is not None
    assert any("Kataib Hezbollah" in side for side in sides)


def test_a_rebuttal_and_a_counter_claim_in_one_sentence_are_two_reports() -> None:
    found = article(
        "Stand: 11.12.2024 09:00 Uhr",
        "Die SDF und die SNA haben am Dienstag eine Waffenruhe in Manbidsch vereinbart, die sofort gilt.",
        "Die SDF werfen der SNA vor, sich nicht an die Absprache zu halten.",
        "Ein Kommandeur der Syrischen Nationalen Armee (SNA) wies das zurück: Nicht seine Leute, sondern "
        "SDF-Einheiten hätten am Morgen das Feuer eröffnet, sagte er dem türkischen Sender TRT Haber.",
    )
    claims = [(r.accused, r.claimed_by, r.date) for r in found.reports if r.kind == "violation"]
    assert claims == [
        (("Syrian National Army",), "Syrian Democratic Forces", date(2024, 12, 11)),
        (("Syrian Democratic Forces",), "Syrian National Army", date(2024, 12, 11)),
    ]


@pytest.mark.parametrize(
    ("date_line", "lines"),
    [
        (
            "Stand: 08.03.2023 09:00 Uhr",
            (
                "Die M23-Rebellen und die kongolesische Armee haben am Dienstag eine Waffenruhe vereinbart.",
                "Die Armee warf den Rebellen vor, am Dienstagabend Stellungen bei Sake angegriffen zu haben.",
                "Die M23 wies das zurück und beschuldigte ihrerseits die Armee, die Waffenruhe gebrochen zu haben.",
            ),
        ),
        (
            "Published 8 March 2023, 09:00 GMT",
            (
                "The M23 rebels and the Congolese army agreed a ceasefire on Tuesday.",
                "The army accused the rebels of attacking positions near Sake on Tuesday evening.",
                "The M23 rejected the accusation and accused the army of breaking the ceasefire.",
            ),
        ),
    ],
)
def test_a_rebuttal_and_a_counter_claim_joined_by_and_are_a_denial_and_a_claim(
    date_line: str, lines: tuple[str, ...]
) -> None:
    found = article(date_line, *lines)
    kinds = [(r.kind, r.claimed_by, r.accused) for r in found.reports if r.kind in {"violation", "denial"}]
    congo = "Democratic Republic of the Congo"
    assert kinds == [("violation", congo, ("M23",)), ("denial", "M23", ()), ("violation", "M23", (congo,))]


def test_a_rebuttal_and_the_counter_claim_it_goes_on_saying_are_the_denier_s() -> None:
    found = article(
        "Published 8 March 2023, 09:00 GMT",
        "The M23 rebels and the Congolese army agreed a ceasefire that took effect at noon on Tuesday.",
        "The M23 said its positions had been attacked by the army.",
        "The army's spokesman, Lt Col Guillaume Ndjike, rejected that account on Wednesday, telling reporters in Goma "
        "that it was the rebels who had gone on attacking army positions after noon on Tuesday.",
    )
    congo = "Democratic Republic of the Congo"
    kinds = [(r.kind, r.claimed_by, r.accused) for r in found.reports if r.kind in {"violation", "denial"}]
    assert kinds == [("violation", "M23", (congo,)), ("denial", congo, ()), ("violation", congo, ("M23",))]


@pytest.mark.parametrize(
    "text",
    [
        "Eine Darstellung, die Phnom Penh umgehend zurückwies.",
        "Die Grenztruppe wies das zurück.",
        "Kambodscha wies die Behauptung zurück.",
    ],
)
def test_a_rejection_told_after_its_noun_or_of_a_pronoun_is_a_denial(text: str) -> None:
    assert frames.report_kind(text, "de") == "denial"


def test_am_morgen_is_the_morning_not_tomorrow() -> None:
    found = article(
        "Stand: 11.12.2024 09:00 Uhr",
        "Die Waffenruhe zwischen der SDF und der SNA soll am Morgen beginnen.",
    )
    assert [c.start for c in found.commitments] == [None]  # a time of day without a day: not 12 December


def test_the_accuser_is_the_subject_of_accuse_not_the_speaker_of_the_next_clause() -> None:
    found = article(
        "Published 15 October 2025, 09:40 GMT",
        "The Democratic Republic of Congo and the M23 rebels agreed to a permanent ceasefire in Doha on July 19.",
        "The rebels accuse the Congolese army of shelling their positions in Masisi, while Kinshasa says the M23 "
        "has kept advancing.",
    )
    claims = [(r.claimed_by, r.accused) for r in found.reports if r.kind == "violation"]
    assert ("M23", ("Democratic Republic of the Congo",)) in claims
    assert all("Botswana" not in (c or "") and "Botswana" not in a for c, a in claims)  # Masisi is a place here


def test_an_outsider_accompanying_the_talks_is_no_party_to_them() -> None:
    found = article(
        "12.12.2024 | 05:42 Uhr",
        "Somalia und Äthiopien haben ihren Streit über einen Meereszugang Äthiopiens beigelegt.",
        "Darin vereinbaren beide Länder, bis spätestens Ende Februar 2025 technische Verhandlungen aufzunehmen.",
        "Die Türkei soll die Gespräche begleiten.",
    )
    assert [(set(c.actors), c.due) for c in found.commitments] == [({"Somalia", "Ethiopia"}, date(2025, 2, 28))]


def test_a_phase_that_ended_restates_the_truce_not_what_the_next_phase_was_to_bring() -> None:
    found = article(
        "Aktualisiert am 18.03.2025, 22:14 Uhr",
        "Die Waffenruhe zwischen Israel und der Hamas war am 19. Januar in Kraft getreten.",
        "Ihre erste Phase von sechs Wochen endete am 1. März, ohne dass sich beide Seiten auf die zweite Phase "
        "verständigt hätten, in der der vollständige Abzug der israelischen Truppen geregelt werden sollte.",
    )
    assert [(c.kind, c.start, c.duration_days) for c in found.commitments] == [("ceasefire", date(2025, 1, 19), 42)]
    assert [(r.kind, r.about) for r in found.reports] == [("expiry", "ceasefire")]


def test_a_truce_that_came_into_force_at_midnight_began_then() -> None:
    found = article(
        "Aug 3, 2023",
        "A ceasefire between the Colombian government and the National Liberation Army (ELN) came into force at "
        "midnight on Thursday.",
        "Under the accord the 180-day truce can be extended, and it will be reviewed at each round of talks, "
        "negotiators said at the time.",
    )
    assert [(c.kind, to_day(c.start), c.duration_days) for c in found.commitments] == [
        ("ceasefire", date(2023, 8, 3), 180)
    ]


def test_a_truce_in_force_since_a_day_told_at_the_time_is_still_in_force() -> None:
    found = article(
        "22 Apr 2025 · 16:20 UTC",
        "The Myanmar military and the MNDAA signed a formal ceasefire in Kunming in January.",
        "The truce has been in force since midnight on January 18, China's foreign ministry said at the time.",
    )
    assert [to_day(c.start) for c in found.commitments if c.kind == "ceasefire"] == [date(2025, 1, 18)]


def test_a_bare_date_weeks_ago_is_not_next_year() -> None:
    found = article(
        "Stand: 22.11.2023 10:47 Uhr",
        "Israel und die Hamas haben eine viertägige Feuerpause vereinbart.",
        "Die Hamas soll 50 Frauen und Kinder freilassen, die am 7. Oktober verschleppt wurden.",
    )
    assert all(c.due is None or c.due.year == 2023 for c in found.commitments)


def test_talks_suspended_lapse_and_a_border_is_a_place() -> None:
    found = article(
        "January 17, 2025 - 7:52 p.m.",
        "Colombia and the ELN rebels have held peace talks since 2022, and a bilateral ceasefire ran for a year.",
        "President Gustavo Petro on Friday suspended peace talks with the ELN after a wave of violence.",
        "Petro accuses the ELN of attacks on civilians near the Venezuelan border.",
    )
    assert ("expiry", "negotiations", "Colombia") in [(r.kind, r.about, r.claimed_by) for r in found.reports]
    assert all("Venezuela" not in r.accused for r in found.reports)


def test_letting_observers_monitor_the_truce_is_a_term_of_its_own() -> None:
    found = article(
        "Posted Thu 7 Aug 2025 at 10:14pm",
        "Thailand and Cambodia have agreed to let observers from South-East Asian countries monitor their "
        "fragile ceasefire and not to reinforce their troops along the disputed border.",
    )
    assert [(c.kind, c.scope) for c in found.commitments] == [("other", "peacekeepers; troop freeze")]


def test_the_army_is_not_a_rebel_group_whose_name_ends_in_army() -> None:
    found = article(
        "22 Apr 2025 · 16:20 UTC",
        "The Myanmar National Democratic Alliance Army (MNDAA) and the Myanmar military signed a ceasefire in "
        "January; the Arakan Army is not part of it.",
        "On Monday the MNDAA said the army had kept up air strikes near Lashio.",
    )
    claims = [(r.claimed_by, r.accused) for r in found.reports if r.kind == "violation"]
    assert claims
    assert all("Arakan Army" not in a for _, a in claims)


def test_commanders_who_did_meet_fulfil_the_talks() -> None:
    found = article(
        "Published 29 July 2025, 12:00 BST",
        "Thailand and Cambodia agreed on Monday to an immediate ceasefire from midnight.",
        "The regional commanders of Thailand and Cambodia did meet as planned on Tuesday, according to both "
        "militaries.",
    )
    assert ("fulfilment", "negotiations") in [(r.kind, r.about) for r in found.reports]


def test_memoranda_exchanged_and_earlier_rounds_are_no_swap() -> None:
    found = article(
        "07/23/2025 July 23, 2025",
        "Russia and Ukraine agreed in Istanbul on Wednesday to exchange at least 1,200 prisoners of war each.",
        "A summit should be held to sign a finished agreement, he said, adding that the memoranda the two sides "
        "exchanged in June were still far apart.",
        "The first two rounds of talks, held in Istanbul on May 16 and June 2, also produced deals on prisoner "
        "exchanges.",
    )
    assert [(c.kind, c.quantity) for c in found.commitments] == [("prisoner_exchange", 1200)]
    assert [r.kind for r in found.reports] == []


def test_officials_who_say_it_is_a_breach_claim_it_and_nationals_are_people() -> None:
    found = article(
        "March 11, 20254:38 PM GMTUpdated 2 hours ago",
        "Israel will release five Lebanese nationals detained during the war with Hezbollah, Prime Minister "
        "Benjamin Netanyahu's office said on Tuesday.",
        "Israel and Hezbollah have observed a ceasefire since November 27, but Israeli troops remain on five hills.",
        "Lebanese officials say the continued presence amounts to a breach of the truce.",
    )
    assert [(c.kind, c.actors, c.quantity) for c in found.commitments if c.kind == "release"] == [
        ("release", ("Israel",), 5)
    ]
    assert [(r.claimed_by, r.accused) for r in found.reports if r.kind == "violation"] == [("Lebanon", ("Israel",))]


def test_a_threat_should_the_truce_fail_is_no_truce_and_the_breach_falls_on_the_truce_s_other_side() -> None:
    found = article(
        "Stand: 03.12.2024 10:00 Uhr",
        "Knapp eine Woche nach Beginn der Waffenruhe zwischen Israel und der Hisbollah hat die libanesische Miliz "
        "erstmals wieder Ziele in Israel angegriffen.",
        "Ministerpräsident Benjamin Netanjahu sprach von einem schweren Bruch der Waffenruhe.",
        "Verteidigungsminister Israel Katz drohte, sollte die Waffenruhe scheitern, werde Israel nicht länger "
        "zwischen dem libanesischen Staat und der Hisbollah unterscheiden.",
    )
    assert found.commitments == ()
    assert [(r.claimed_by, r.accused) for r in found.reports if r.kind == "violation"] == [("Israel", ("Hezbollah",))]


def test_who_criticise_a_move_as_a_violation_claim_it() -> None:
    found = article(
        "09.12.2024, 17.32 Uhr",
        "Israelische Truppen sind in die Pufferzone auf den Golanhöhen vorgerückt, die seit dem Abkommen mit Syrien "
        "von der Uno überwacht wird.",
        "Auch Katar und Jordanien kritisierten den Vorstoss als Verstoss gegen das Abkommen.",
    )
    assert [r.claimed_by for r in found.reports if r.kind == "violation"] in (["Jordan"], ["Qatar"])


def test_a_truce_that_took_effect_immediately_began_the_day_it_was_announced() -> None:
    found = article(
        "Published 3 April 2025, 09:00 GMT",
        "Myanmar's military government announced late on Wednesday a temporary ceasefire after the earthquake.",
        "The truce took effect immediately and will last until April 22, state television said.",
        "The army said the truce should start immediately, a spokesman said on Thursday.",
    )
    assert [(c.kind, to_day(c.start)) for c in found.commitments] == [("ceasefire", date(2025, 4, 2))]


def test_a_length_proposed_for_a_truce_already_running_is_another_truce() -> None:
    found = article(
        "Stand: 20.04.2025 17:12 Uhr",
        "Putin hatte die Feuerpause am Samstag angeordnet. Sie gilt seit Samstag um 18 Uhr Moskauer Zeit.",
        "Sollte Russland zu einer vollständigen Waffenruhe bereit sein, schlage Kiew vor, diese auf 30 Tage "
        "auszudehnen.",
    )
    assert sorted((c.status, c.duration_days) for c in found.commitments) == [("announced", None), ("proposed", 30)]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        story(
            "Stand: 17.04.2025 10:00 Uhr",
            "Am 17. Januar hatte Präsident Petro die Gespräche mit der ELN-Guerilla ausgesetzt.",
            expected=[],
            id="talks-suspended-three-months-before-the-page-are-its-history",
        ),
        story(
            "Stand: 17.04.2025 10:00 Uhr",
            "Am 14. April hat Präsident Petro die Gespräche mit der ELN-Guerilla ausgesetzt.",
            expected=[("expiry", date(2025, 4, 14))],
            id="talks-suspended-three-days-before-the-page-are-its-news",
        ),
        story(
            "Published 17 April 2025, 10:00 GMT",
            "On 17 January President Petro suspended the peace talks with the ELN.",
            expected=[],
            id="a-lapse-months-before-the-page-is-history",
        ),
        story(
            "Published 17 April 2025, 10:00 GMT",
            "On 14 April President Petro suspended the peace talks with the ELN.",
            expected=[("expiry", date(2025, 4, 14))],
            id="a-lapse-days-before-the-page-is-news",
        ),
    ],
)
def test_a_claim_dated_months_before_the_page_is_history(page: Page, expected: list[tuple[str, date]]) -> None:
    assert [(r.kind, r.date) for r in page.read().reports] == expected


def test_an_editor_reporting_an_old_event_is_taken_as_meant() -> None:
    text = "On 17 January President Petro suspended the peace talks with the ELN."
    [found] = extract_reports(text, language="en", published=date(2025, 4, 17))
    assert (found.kind, found.date) == ("expiry", date(2025, 1, 17))


def test_a_swap_told_without_a_number_counts_the_people_its_handover_brought_home() -> None:
    found = article(
        "Stand: 14.09.2024 18:40 Uhr",
        "Russland und die Ukraine haben erneut Kriegsgefangene ausgetauscht. Je 103 Soldaten seien am Samstag in "
        "ihre Heimat zurückgekehrt, teilte das Verteidigungsministerium in Moskau mit.",
        "Es ist bereits der zweite Austausch binnen weniger Wochen, bei dem Russland Soldaten zurückerhält, die seit "
        "dem Beginn der ukrainischen Offensive Anfang August gefangen genommen wurden.",
        "Über ein Ende der Kämpfe wird dagegen nicht verhandelt.",
    )
    assert [(c.kind, c.due, c.quantity) for c in found.commitments] == [("prisoner_exchange", date(2024, 9, 14), 103)]


def test_a_bare_military_junta_is_the_army_of_the_story_s_war() -> None:
    found = article(
        "Stand: 15.12.2023 12:00 Uhr",
        "Im Norden Myanmars kämpft die Drei-Brüder-Allianz seit Wochen gegen das Militär.",
        "Nun haben sich die Militärjunta und eine Allianz bewaffneter "
        "Gruppen nach chinesischen Angaben auf eine vorübergehende Feuerpause verständigt.",
    )
    assert [(c.kind, c.actors) for c in found.commitments] == [("ceasefire", ("Myanmar military",))]


def test_pauses_told_again_with_daily_hours_last_until_the_last_day_s_closing_hour() -> None:
    found = article(
        "Published 2 November 2024, 16:37 GMT",
        "The last stage of a polio vaccination campaign began in Gaza City on Saturday under limited pauses in the "
        "fighting agreed by Israel.",
        "The pauses were to run from 6 a.m. until 4 p.m. local time each day for three days.",
        "Israeli troops and Hamas fighters clashed in the north of Gaza.",
    )
    [pause] = found.commitments
    assert (pause.duration_days, str(pause.end)) == (3, "2024-11-04 16:00:00+02:00")


def test_a_claim_in_a_month_long_before_the_page_is_history_and_one_since_then_is_news() -> None:
    found = article(
        "Published 10 November 2025, 18:00 GMT",
        "Thailand and Cambodia agreed to a ceasefire on July 28 after five days of border fighting.",
        "In January, Thailand had accused Cambodia of violating an earlier truce along the border.",
        "Cambodian troops had strictly respected the ceasefire since it took hold in late July, the defence ministry "
        "said.",
    )
    assert [(r.kind, r.claimed_by) for r in found.reports] == [("compliance", "Cambodia")]


def test_a_future_whose_verb_closes_the_clause_after_a_list_is_a_promise_not_a_handover() -> None:
    found = article(
        "Stand: 27.01.2025 10:00 Uhr",
        "Die Hamas werde sie, die Soldatin Agam Berger und eine weitere Geisel am Donnerstag übergeben, teilte das "
        "Büro Netanjahus mit.",
        "Israelische Truppen und Hamas-Kämpfer lieferten sich im Gazastreifen Gefechte.",
    )
    assert [(c.kind, c.actors, c.due) for c in found.commitments] == [("release", ("Hamas",), date(2025, 1, 30))]
    assert [r.kind for r in found.reports] == []


@pytest.mark.parametrize(
    ("stamp", "history", "now"),
    [
        (
            "Published 5 August 2024, 12:00 CEST",
            "The ceasefire between Congo and Rwanda had been agreed in Luanda last week.",
            "It has been in force since midnight on Sunday. The army and the rebels fought in the east for months.",
        ),
        (
            "Stand: 05.08.2024 12:00 Uhr",
            "Die Feuerpause zwischen Kongo und Ruanda war vergangene Woche in Luanda vereinbart worden.",
            "Sie gilt seit Mitternacht in der Nacht zum Sonntag. Armee und Rebellen kämpften monatelang im Osten.",
        ),
    ],
)
def test_a_promise_told_as_history_and_then_said_to_hold_is_news(stamp: str, history: str, now: str) -> None:
    found = article(stamp, history, now)
    assert [(c.kind, to_day(c.start)) for c in found.commitments] == [("ceasefire", date(2024, 8, 4))]
