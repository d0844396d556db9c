"""Terms a story states about a promise it already told: deadlines and days ahead, what a plan provides for, a
promise named again without its parties, a proposal beside the promise made, a promise denied or long broken."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from articles.temporal import to_date
from tests.articles.test_extract_text import article

if TYPE_CHECKING:
    from collections.abc import Mapping

    from articles.model import Article

RUSSIA = {
    "en": "Russia has waged war on Ukraine since 2022; its strikes and attacks go on.",
    "de": "Russland führt seit 2022 Krieg gegen die Ukraine; Angriffe und Luftangriffe gehen weiter.",
}

INDIA_PAKISTAN = {
    "en": "India and Pakistan agreed on Saturday to stop military action after four days of missile and drone strikes.",
    "de": "Indien und Pakistan einigten sich am Samstag nach vier Tagen mit Raketenangriffen auf eine Waffenruhe.",
}


def _told(stamp: str, war: Mapping[str, str], *sentences: str) -> Article:
    """The sentences under a stamp, after a line of their war in the stamp's language: a page needs signs of war."""
    return article(stamp, war["de" if stamp.startswith("Stand") else "en"], *sentences)


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 20 May 2024, 18:00 GMT",
            "Niger and the United States agreed that the US troops would withdraw from the country by 15 September.",
        ),
        (
            "Stand: 20.05.2024 18:00 Uhr",
            "Niger und die USA einigten sich darauf, dass die US-Truppen bis zum 15. September aus dem Land abziehen.",
        ),
    ],
)
def test_a_pullout_by_a_day_falls_due_on_the_day_it_must_end(stamp: str, sentence: str) -> None:
    found = article(stamp, sentence)
    assert [(c.kind, c.start, c.end, c.due) for c in found.commitments] == [
        ("withdrawal", None, date(2024, 9, 15), date(2024, 9, 15))
    ]


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 25 April 2024, 21:41 GMT",
            "The United States will move some of its military personnel out of Chad in the coming days, officials "
            "said on Thursday, after a senior Chadian officer challenged the legal basis for the American presence.",
        ),
        (
            "Stand: 25.04.2024 21:41 Uhr",
            "Die USA wollen einen Teil ihrer Soldaten aus dem Tschad verlegen, nachdem ein Offizier der tschadischen "
            "Luftwaffe die Rechtsgrundlage der Stationierung infrage gestellt hatte.",
        ),
    ],
)
def test_who_is_named_only_in_a_clause_of_time_or_reason_does_not_leave(stamp: str, sentence: str) -> None:
    war = "Islamist militants have attacked troops around Lake Chad for years; soldiers were killed in the fighting."
    found = article(stamp, war, sentence)
    assert [(c.kind, c.actors) for c in found.commitments] == [("withdrawal", ("United States",))]


@pytest.mark.parametrize(
    ("stamp", "freed", "sentence"),
    [
        (
            "Published 12 May 2025, 18:00 GMT",
            "Hamas freed a US-Israeli soldier in Gaza on Monday after talks with Washington.",
            "Israel had not committed to any ceasefire or to releasing Palestinian prisoners, the office said.",
        ),
        (
            "Stand: 12.05.2025 18:00 Uhr",
            "Die Hamas hat im Gazastreifen einen israelischen Soldaten freigelassen.",
            "Israel habe sich weder zu einer Waffenruhe noch zur Freilassung von Häftlingen verpflichtet, hieß es.",
        ),
        (
            "Stand: 12.05.2025 18:00 Uhr",
            "Die Hamas hat im Gazastreifen einen israelischen Soldaten freigelassen.",
            "Die Waffenruhe zwischen Israel und der Hamas, die im Januar in Kraft getreten war, war im März "
            "zusammengebrochen.",
        ),
    ],
)
def test_a_promise_denied_or_long_broken_is_none(stamp: str, freed: str, sentence: str) -> None:
    # at most the handover told as done, the release it kept; the sentence after it promises nothing
    found = article(stamp, freed, sentence).commitments
    assert all((c.kind, c.actors, c.evidence) == ("release", ("Hamas",), freed) for c in found)


def test_who_said_some_hours_ago_that_it_would_hand_someone_over_hands_them_over() -> None:
    found = article(
        "Published 12 May 2025, 08:00 GMT",
        "Hamas said late on Sunday that it would release Edan Alexander, a US-Israeli soldier held in Gaza.",
    )
    assert [(c.kind, c.actors) for c in found.commitments] == [("release", ("Hamas",))]


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 18 March 2025, 20:00 GMT",
            "Netanyahu has instructed a negotiating team to travel to Doha on Thursday for talks with Hamas, "
            "his office said.",
        ),
        (
            "Published 18 March 2025, 20:00 GMT",
            "Netanyahu said on Tuesday he would send a delegation to Doha on Thursday.",
        ),
        # the auxiliary stands far before the verb at the clause's end
        (
            "Stand: 18.03.2025 20:00 Uhr",
            "Netanjahu kündigte am Dienstag auf seiner Plattform an, er werde die Unterhändler der Hamas am "
            "kommenden Donnerstag, dem 20. März, in der katarischen Hauptstadt Doha treffen.",
        ),
        # the day inside the plan told after the announcing verb looks ahead, though the announcing verb is past
        (
            "Stand: 18.03.2025 20:00 Uhr",
            "Netanjahu kündigte am Dienstag an, am Donnerstag eine Verhandlungsdelegation nach Doha zu schicken.",
        ),
    ],
)
def test_a_team_sent_to_talk_on_a_day_is_talks_due_that_day(stamp: str, sentence: str) -> None:
    found = article(
        stamp, "Israel and Hamas have fought in Gaza since October 2023; a truce collapsed this month.", sentence
    )
    assert [(c.kind, c.due) for c in found.commitments] == [("negotiations", date(2025, 3, 20))]


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 18 March 2025, 20:00 GMT",
            "By Tuesday evening Hamas had not said whether it would send a delegation.",
        ),
        (
            "Stand: 18.03.2025 20:00 Uhr",
            "Die Hamas ließ am Dienstag offen, ob sie eine Delegation nach Doha schicken werde.",
        ),
    ],
)
def test_an_open_question_whether_a_team_goes_promises_nothing(stamp: str, sentence: str) -> None:
    found = article(
        stamp, "Israel and Hamas have fought in Gaza since October 2023; a truce collapsed this month.", sentence
    )
    assert found.commitments == ()


@pytest.mark.parametrize(
    ("stamp", "sentences"),
    [
        (
            "Published 18 February 2022, 20:00 GMT",
            (
                "France announced on Thursday that it would withdraw its troops from Mali.",
                "Russia and Ukraine agreed to exchange 175 prisoners each on Friday.",
                "The withdrawal is to be completed by the end of June, the Elysee said.",
            ),
        ),
        (
            "Stand: 18.02.2022 20:00 Uhr",
            (
                "Frankreich kündigte am Donnerstag an, seine Truppen aus Mali abzuziehen.",
                "Russland und die Ukraine vereinbarten, am Freitag je 175 Gefangene auszutauschen.",
                "Der Abzug soll bis Ende Juni abgeschlossen sein, hieß es aus dem Élysée.",
            ),
        ),
    ],
)
def test_a_promise_named_again_without_its_parties_is_the_one_the_story_has(
    stamp: str, sentences: tuple[str, ...]
) -> None:
    found = article(stamp, *sentences)
    assert [(c.kind, c.actors, c.end) for c in found.commitments] == [
        ("withdrawal", ("France",), date(2022, 6, 30)),
        ("prisoner_exchange", ("Russia", "Ukraine"), None),
    ]


@pytest.mark.parametrize(
    ("stamp", "sentences"),
    [
        (
            "Stand: 19.08.2025 11:40 Uhr",
            (
                "Die Hamas hat einem neuen Vorschlag der Vermittler für eine Waffenruhe mit Israel zugestimmt.",
                "Er sieht eine Feuerpause von 60 Tagen vor.",
            ),
        ),
        (
            "Published 19 August 2025, 11:40 GMT",
            (
                "Hamas has accepted the mediators' new proposal for a ceasefire with Israel.",
                "It provides for a truce of 60 days.",
            ),
        ),
    ],
)
def test_what_a_plan_provides_for_are_its_terms(stamp: str, sentences: tuple[str, ...]) -> None:
    found = article(stamp, *sentences)
    assert [(c.kind, c.duration_days) for c in found.commitments] == [("ceasefire", 60)]


def test_a_proposal_turned_down_is_still_a_proposal_but_a_failed_agreement_promises_nothing() -> None:
    stamp = "Published 18 March 2025, 20:00 GMT"
    refused = "Putin did not accept the full 30-day ceasefire between Russia and Ukraine that Washington proposed."
    found = article(stamp, refused)
    assert [(c.kind, c.status, c.duration_days) for c in found.commitments] == [("ceasefire", "proposed", 30)]
    failed = "Russia and Ukraine were unable to agree on a 30-day ceasefire during the talks in Riyadh."
    assert article(stamp, failed).commitments == ()


def test_a_length_proposed_beside_a_truce_with_both_ends_is_another_truce() -> None:
    found = article(
        "Published 20 April 2025, 12:00 GMT",
        "Putin declared an Easter truce with Ukraine.",
        "Kyiv proposed a 30-day ceasefire with Russia instead.",
        "The truce took effect at 18:00 Moscow time on April 19 and runs until midnight tonight, 00:00 on April 21.",
    )
    moscow = timezone(timedelta(hours=3))
    assert [(c.status, c.actors, c.start, c.duration_days) for c in found.commitments] == [
        ("announced", ("Russia",), datetime(2025, 4, 19, 18, tzinfo=moscow), None),
        ("proposed", ("Ukraine",), None, 30),
    ]


@pytest.mark.parametrize(
    ("stamp", "sentence", "day"),
    [
        (
            "Published 5 May 2023, 12:00 GMT",
            "Prigozhin said on Friday that Wagner units would hand over their positions in Bakhmut to the army on "
            "10 May and withdraw to rear camps.",
            date(2023, 5, 10),
        ),
        (
            "Stand: 08.02.2025 09:00 Uhr",
            "Die israelische Armee soll am Sonntag ihre Stellungen im Netzarim-Korridor aufgeben.",
            date(2025, 2, 9),
        ),
    ],
)
def test_a_pullout_on_a_day_ahead_is_done_by_then(stamp: str, sentence: str, day: date) -> None:
    found = article(stamp, sentence)
    assert [(c.kind, c.end, c.due) for c in found.commitments] == [("withdrawal", day, day)]


@pytest.mark.parametrize(
    ("stamp", "sentence", "day"),
    [
        (
            "Published 11 June 2023, 18:00 GMT",
            "Sudan's army and the Rapid Support Forces agreed to a ceasefire on Friday, the mediators said.",
            date(2023, 6, 9),
        ),
        (
            "Stand: 25.06.2025 18:00 Uhr",
            "Israel und der Iran haben sich am Dienstag auf eine Waffenruhe geeinigt.",
            date(2025, 6, 24),
        ),
    ],
)
def test_a_truce_agreed_on_a_day_named_with_no_start_of_its_own_began_that_day(
    stamp: str, sentence: str, day: date
) -> None:
    assert [(c.kind, c.start) for c in article(stamp, sentence).commitments] == [("ceasefire", day)]


@pytest.mark.parametrize(
    ("stamp", "promise", "done", "due"),
    [
        (
            "Published 2 August 2024, 09:00 GMT",
            "Russia and Ukraine have agreed to swap prisoners of war, Zelensky said.",
            "The prisoners were exchanged on Thursday, Ukraine's ombudsman said.",
            date(2024, 8, 1),
        ),
        (
            "Stand: 02.08.2024 09:00 Uhr",
            "Russland und die Ukraine haben sich auf einen Gefangenenaustausch geeinigt, sagte Selenskyj.",
            "Die Gefangenen wurden am Donnerstag ausgetauscht, teilte der ukrainische Ombudsmann mit.",
            date(2024, 8, 1),
        ),
        (
            "Published 2 August 2024, 09:00 GMT",
            "Russia and Ukraine have agreed to swap prisoners of war, Zelensky said.",
            "The two countries last exchanged prisoners on 8 May, Ukraine's ombudsman said.",
            None,  # an act long before is an earlier one, not the one promised
        ),
    ],
)
def test_a_swap_told_done_fell_due_on_its_day(stamp: str, promise: str, done: str, due: date | None) -> None:
    found = article(stamp, promise, done)
    assert [(c.kind, c.due) for c in found.commitments] == [("prisoner_exchange", due)]


@pytest.mark.parametrize(
    ("stamp", "promise", "parties", "war"),
    [
        (
            "Published 4 September 2025, 18:00 GMT",
            "Two umbrella groups of insurgents signed a fresh ceasefire agreement with the government on Thursday.",
            "The meeting between the Kuki National Organisation and the United People's Front and officials was held "
            "in New Delhi.",
            "More than 260 people have died since the fighting began in May 2023, and rebels and troops still trade "
            "fire.",
        ),
        (
            "Stand: 04.09.2025 18:00 Uhr",
            "Zwei Dachverbände bewaffneter Gruppen haben am Donnerstag ein neues Waffenstillstandsabkommen mit der "
            "Regierung unterzeichnet.",
            "An dem Treffen nahmen die Kuki National Organisation und die United People's Front teil.",
            "Seit Beginn der Kämpfe zwischen Rebellen und Armee im Mai 2023 wurden mehr als 260 Menschen getötet, "
            "Soldaten und Milizen liefern sich weiter Gefechte.",
        ),
    ],
)
def test_a_deal_that_names_nobody_binds_the_parties_the_next_sentence_names(
    stamp: str, promise: str, parties: str, war: str
) -> None:
    found = article(stamp, promise, parties, war)
    assert [(c.kind, c.actors) for c in found.commitments] == [
        ("ceasefire", ("Kuki National Organisation", "United People's Front"))
    ]
    # the parties must follow at once: a sentence of people in between binds nobody
    later = article(stamp, promise, war, parties)
    assert later.commitments == ()


WAR = {
    "en": "The Houthis have fought Yemen's government since 2014; air strikes and attacks go on.",
    "de": "Die Huthi kämpfen seit 2014 gegen die Regierung im Jemen; Luftangriffe und Angriffe gehen weiter.",
}


@pytest.mark.parametrize(
    ("stamp", "sentence", "due"),
    [
        ("Published 11 September 2025, 17:52 GMT", "The Houthis released 52 prisoners on Thursday.", date(2025, 9, 11)),
        ("Stand: 11.09.2025 17:52 Uhr", "Die Huthi haben 52 Gefangene freigelassen.", date(2025, 9, 11)),
        ("Stand: 11.09.2025 17:52 Uhr", "Die Huthi haben am Dienstag 52 Gefangene freigelassen.", date(2025, 9, 9)),
        # the side that did it also says so, after the act
        (
            "Published 11 September 2025, 17:52 GMT",
            "The Houthis released 52 prisoners on Thursday, the group's prisoners' committee said.",
            date(2025, 9, 11),
        ),
    ],
)
def test_a_handover_told_only_as_done_is_the_release_it_kept(stamp: str, sentence: str, due: date) -> None:
    found = _told(stamp, WAR, sentence)
    assert [(c.kind, c.actors, c.quantity, c.due) for c in found.commitments] == [("release", ("Houthis",), 52, due)]
    assert [(r.kind, r.about) for r in found.reports] == [("fulfilment", "release")]


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        # told as earlier, on no day the sentence names
        ("Stand: 11.09.2025 17:52 Uhr", "Bereits im Juni hatten die Huthi 14 Gefangene freigelassen."),
        ("Published 11 September 2025, 17:52 GMT", "In June the Houthis freed 14 prisoners."),
        # done long ago
        ("Published 11 September 2025, 17:52 GMT", "The Houthis released 14 prisoners on 21 June."),
        # who handed them over is not named
        ("Published 11 September 2025, 17:52 GMT", "Rebels in the south have released 14 prisoners."),
    ],
)
def test_a_handover_long_done_or_by_nobody_named_is_no_promise(stamp: str, sentence: str) -> None:
    assert _told(stamp, WAR, sentence).commitments == ()


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 11 September 2025, 17:52 GMT",
            "Saudi Arabia has invited the Houthis to talks in Riyadh on Tuesday.",
        ),
        ("Stand: 11.09.2025 17:52 Uhr", "Saudi-Arabien hat die Huthi zu Gesprächen am Dienstag in Riad eingeladen."),
    ],
)
def test_an_invitation_to_talks_proposes_them(stamp: str, sentence: str) -> None:
    found = _told(stamp, WAR, sentence)
    assert [(c.kind, set(c.actors), c.status) for c in found.commitments] == [
        ("negotiations", {"Saudi Arabia", "Houthis"}, "proposed")
    ]


@pytest.mark.parametrize(
    ("title", "sentence"),
    [
        # the story tells the act in the passive, in what the captors' side said; the headline names who did it
        ("The Houthis free 52 prisoners", "The group's committee said 52 prisoners had been released on Thursday."),
        # the one named after "freed by" freed them; the one named before was freed
        ("Saudi pilot freed by the Houthis", "The pilot and 51 other prisoners were released on Thursday."),
    ],
)
def test_who_handed_over_may_be_named_in_the_headline(title: str, sentence: str) -> None:
    found = article("Published 11 September 2025, 17:52 GMT", WAR["en"], sentence, title=title)
    assert [(c.kind, c.actors, c.due) for c in found.commitments] == [("release", ("Houthis",), date(2025, 9, 11))]


def test_the_mention_that_states_terms_names_the_parties() -> None:
    """A demand in passing names a party by another name than the deal that follows; the deal's own is kept."""
    found = article(
        "Published 12 April 2025, 19:47 BST",
        "Fighting between Turkish-backed factions and the Kurdish-led SDF has gone on for months.",
        "Turkish officials have long said that the YPG must disband and that its foreign fighters must leave Syria.",
        "Under the deal, SDF units are to withdraw from the dam and hand security to government forces.",
    )
    assert [(c.kind, c.actors) for c in found.commitments] == [("withdrawal", ("Syrian Democratic Forces",))]


def test_a_handover_done_keeps_the_promise_the_story_tells_and_makes_no_other() -> None:
    found = article(
        "Published 11 September 2025, 17:52 GMT",
        WAR["en"],
        "The Houthis had promised on Monday to release 52 prisoners.",
        "The Houthis released 52 prisoners on Thursday.",
    )
    assert [(c.kind, c.quantity, c.due) for c in found.commitments] == [("release", 52, date(2025, 9, 11))]


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 12 February 2025, 16:40 GMT",
            "The Kremlin said the United States would free Alexander Vinnik in exchange for Marc Fogel.",
        ),
        (
            "Stand: 12.02.2025 16:40 Uhr",
            "Die USA sollen Alexander Vinnik im Austausch gegen Marc Fogel freilassen, teilte der Kreml mit.",
        ),
    ],
)
def test_one_person_freed_in_exchange_for_another_is_a_swap(stamp: str, sentence: str) -> None:
    found = _told(stamp, RUSSIA, sentence)
    assert [(c.kind, set(c.actors)) for c in found.commitments] == [("prisoner_exchange", {"Russia", "United States"})]


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 26 June 2023, 21:48 CEST",
            "Three Kosovo police officers whose arrest by Serbian forces earlier this month deepened the crisis were "
            "released by Serbia on Monday.",
        ),
        (
            "Stand: 26.06.2023 21:48 Uhr",
            "Serbien hat drei kosovarische Polizisten, deren Festnahme durch serbische Kräfte vergangene Woche die "
            "Krise verschärft hatte, am Montag freigelassen.",
        ),
    ],
)
def test_a_past_time_inside_a_relative_clause_dates_the_clause_not_the_news(stamp: str, sentence: str) -> None:
    war = {
        "en": "Serbia does not recognise Kosovo; soldiers and peacekeeping troops clashed with protesters in May.",
        "de": "Serbien erkennt das Kosovo nicht an; Soldaten und Friedenstruppen lieferten sich im Mai Gefechte.",
    }
    found = _told(stamp, war, sentence)
    assert [(r.kind, r.about, r.date) for r in found.reports] == [("fulfilment", "release", date(2023, 6, 26))]


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 31 January 2025, 21:05 EST",
            "President Donald Trump said on Friday night that six Americans were on their way home from Venezuela.",
        ),
        (
            "Stand: 31.01.2025 21:05 Uhr",
            "Trump teilte am Freitagabend mit, sechs Amerikaner seien auf dem Heimweg aus Venezuela.",
        ),
    ],
)
def test_people_on_their_way_home_were_handed_over(stamp: str, sentence: str) -> None:
    war = {
        "en": "Venezuela's army has jailed opposition fighters; troops and militias patrol the streets.",
        "de": "Venezuelas Armee und Sicherheitskräfte haben Kämpfer inhaftiert; Soldaten und Milizen patrouillieren.",
    }
    found = _told(stamp, war, sentence)
    assert [(r.kind, r.about, r.quantity) for r in found.reports] == [("fulfilment", "release", 6)]


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published: May 14, 2025, 11:20 IST",
            "Constable Purnam Kumar Shaw, held by the Pakistan Rangers since April 23, was handed over to India at "
            "about 10:30 hrs, the force said.",
        ),
        (
            "Stand: 14.05.2025 11:20 Uhr",
            "Der seit dem 23. April von pakistanischen Rangers festgehaltene Grenzsoldat Purnam Kumar Shaw wurde um "
            "10.30 Uhr an Indien übergeben.",
        ),
    ],
)
def test_a_handover_at_a_clock_time_happened_today(stamp: str, sentence: str) -> None:
    found = _told(stamp, INDIA_PAKISTAN, sentence)
    assert [(r.kind, r.about, r.date) for r in found.reports if r.kind == "fulfilment"] == [
        ("fulfilment", "release", date(2025, 5, 14))
    ]


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 9 May 2024, 16:27 GMT",
            "Putin and Pashinyan agreed on Wednesday that Russian border guards would leave some regions of Armenia.",
        ),
        (
            "Stand: 09.05.2024 16:27 Uhr",
            "Putin und Paschinjan verständigten sich am Mittwoch darauf, dass russische Grenzschützer einige Regionen "
            "Armeniens verlassen.",
        ),
    ],
)
def test_who_the_agreed_clause_says_leaves_leaves_not_who_agreed(stamp: str, sentence: str) -> None:
    war = {
        "en": "Azerbaijani troops attacked Armenian territory in 2022; soldiers were killed in the fighting.",
        "de": "Aserbaidschanische Truppen griffen 2022 armenisches Gebiet an; Soldaten wurden bei den Kämpfen getötet.",
    }
    found = _told(stamp, war, sentence)
    assert [(c.kind, c.actors) for c in found.commitments] == [("withdrawal", ("Russia",))]


def test_a_handover_told_with_the_subject_after_the_verb_is_by_that_subject() -> None:
    found = article(
        "Stand: 14.05.2025 14:37 Uhr",
        INDIA_PAKISTAN["de"],
        "Gegen 10.30 Uhr übergaben pakistanische Ranger den indischen Soldaten Purnam Kumar Shaw an Indien.",
    )
    assert [(c.kind, c.actors, c.due) for c in found.commitments if c.kind == "release"] == [
        ("release", ("Pakistan",), date(2025, 5, 14))
    ]


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 14 May 2025, 14:37 GMT",
            "The Pakistani army said on Wednesday that two more soldiers had died of wounds sustained in the fighting.",
        ),
        (
            "Stand: 14.05.2025 14:37 Uhr",
            "Die pakistanische Armee teilte heute mit, zwei weitere Soldaten seien ihren Verletzungen aus den Kämpfen "
            "erlegen.",
        ),
    ],
)
def test_soldiers_dying_of_earlier_wounds_break_no_truce(stamp: str, sentence: str) -> None:
    found = _told(stamp, INDIA_PAKISTAN, sentence)
    assert [r for r in found.reports if r.kind == "violation"] == []


@pytest.mark.parametrize(
    ("stamp", "sentences"),
    [
        (
            "Published 19 December 2024, 23:05 GMT",
            (
                "Negotiators for Gustavo Petro's government and Comuneros del Sur, a guerrilla group that broke away "
                "from the ELN, said on Thursday they would observe a bilateral ceasefire for six months.",
                "The two sides also signed off on a procedure for the destruction of the group's war material.",
            ),
        ),
        (
            "Stand: 19.12.2024 23:05 Uhr",
            (
                "Die Unterhändler der Regierung und Comuneros del Sur, eine Guerillagruppe, die sich von der ELN "
                "abgespalten hat, wollen sechs Monate lang eine beidseitige Waffenruhe einhalten.",
                "Beide Seiten vereinbarten zudem ein Verfahren zur Zerstörung der Waffen der Gruppe.",
            ),
        ),
    ],
)
def test_an_armed_group_named_in_apposition_is_a_party_and_the_two_sides_are_the_pair_just_bound(
    stamp: str, sentences: tuple[str, str]
) -> None:
    war = {
        "en": "Colombia's army has fought the ELN guerrillas for decades; attacks and clashes go on.",
        "de": "Kolumbiens Armee kämpft seit Jahrzehnten gegen die ELN-Guerilla; Angriffe und Gefechte gehen weiter.",
    }
    found = _told(stamp, war, *sentences)
    kinds = {c.kind: c for c in found.commitments}
    assert "Comuneros del Sur" in kinds["ceasefire"].actors
    assert kinds["other"].actors == kinds["ceasefire"].actors
    assert kinds["other"].scope == "disarmament"


def test_a_party_told_of_a_handover_is_not_who_hands_over() -> None:
    found = article(
        "Published 13 October 2025, 06:10 GMT",
        "Israel and Hamas have fought in Gaza since October 2023; a ceasefire took effect on Friday.",
        "Israel has been told that 20 living hostages will be freed this morning.",
    )
    assert all("Israel" not in c.actors for c in found.commitments if c.kind == "release")


def test_a_pullout_by_a_day_falls_due_that_day_though_the_story_gives_it_a_start() -> None:
    found = article(
        "Published 19 May 2024, 18:00 GMT",
        "Niger's junta revoked its military accord with Washington in March; soldiers and militants clash in the west.",
        "Officials from Washington and Niamey, who have been meeting since Wednesday, agreed that the withdrawal of "
        "US forces, which is already under way, will be finished no later than Sept. 15.",
    )
    assert [(c.kind, c.due) for c in found.commitments if c.kind == "withdrawal"] == [("withdrawal", date(2024, 9, 15))]


@pytest.mark.parametrize(
    ("stamp", "sentences"),
    [
        (
            "Published 25 August 2024, 09:00 GMT",
            (
                "Russia and Ukraine swapped 115 prisoners of war each on Saturday, the UAE said.",
                "It was the first swap since late June, when 90 prisoners from each side went home.",
            ),
        ),
        (
            "Stand: 25.08.2024 09:00 Uhr",
            (
                "Russland und die Ukraine tauschten am Samstag je 115 Kriegsgefangene aus, teilten die Emirate mit.",
                "Es war der erste Austausch seit Ende Juni, als je 90 Gefangene heimkehrten.",
            ),
        ),
    ],
)
def test_an_earlier_swap_a_record_is_measured_against_is_no_promise(stamp: str, sentences: tuple[str, str]) -> None:
    found = _told(stamp, RUSSIA, *sentences)
    assert [(c.kind, c.quantity, c.due) for c in found.commitments] == [("prisoner_exchange", 115, date(2024, 8, 24))]


def test_a_swap_told_in_the_present_months_ago_is_history() -> None:
    found = article(
        "Published 6 May 2025, 15:12 GMT",
        "Russia has waged war on Ukraine since 2022; its strikes and attacks go on.",
        "FEBRUARY 5, 2025 - Each side frees 150 prisoners, again with Emirati mediation.",
    )
    assert [c for c in found.commitments if c.kind == "prisoner_exchange"] == []


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 27 January 2025, 09:00 GMT",
            "Lebanon, Israel and the U.S. will also begin negotiations for the return of Lebanese prisoners captured "
            "after Oct. 7, 2023, the statement said.",
        ),
        (
            "Stand: 27.01.2025 09:00 Uhr",
            "Libanon, Israel und die USA wollen zudem über die Rückkehr der nach dem 7. Oktober 2023 festgenommenen "
            "Libanesen verhandeln.",
        ),
    ],
)
def test_the_day_people_were_captured_is_not_the_day_talks_fall_due(stamp: str, sentence: str) -> None:
    war = {
        "en": "Israel and Hezbollah fought a war for more than a year; a ceasefire took effect in November.",
        "de": "Israel und die Hisbollah führten mehr als ein Jahr Krieg; im November trat eine Waffenruhe in Kraft.",
    }
    found = _told(stamp, war, sentence)
    assert [(c.kind, c.due) for c in found.commitments if c.kind == "negotiations"] == [("negotiations", None)]


@pytest.mark.parametrize(
    ("sentence", "actors"),
    [
        (
            "Colombia said the bilateral ceasefire with the EMC will last until 30 June.",
            ("Colombia", "Estado Mayor Central"),
        ),
        (
            "Petro wrote that his government had agreed a bilateral ceasefire with the ELN until 30 June.",
            ("Colombia", "National Liberation Army"),
        ),
        ("Petro declared a ceasefire with the ELN until 30 June.", ("Colombia",)),  # declared: one-sided
    ],
)
def test_the_party_a_truce_is_with_is_bound_where_no_subject_is_or_the_truce_is_agreed(
    sentence: str, actors: tuple[str, ...]
) -> None:
    found = article("Published 2 January 2023, 12:00 GMT", sentence)
    assert [c.actors for c in found.commitments if c.kind == "ceasefire"] == [actors]


def test_words_to_the_reader_state_no_promise() -> None:
    closing = (
        "Our correspondent in Beirut will have more on the morning bulletin, and you can read our analysis of what "
        "the killing means for the year-old truce in the link below."
    )
    assert article("Published 3 May 2025, 20:00 GMT", closing).commitments == ()


def test_decrees_that_suspend_operations_and_the_suspension_s_span_are_one_halt() -> None:
    found = article(
        "Published 14 October 2025, 09:00 GMT",
        "Colombia's government and a FARC splinter group are in peace talks.",
        "Two decrees, numbered 1052 and 1053, suspend offensive military operations at three reserved locations.",
        "The suspension runs in stages, site by site, from October 9 until November 3.",
    )
    halts = [c for c in found.commitments if c.kind == "ceasefire"]
    assert [(c.status, str(c.start), str(c.end)) for c in halts] == [("announced", "2025-10-09", "2025-11-03")]


@pytest.mark.parametrize(
    ("stamp", "sentence", "expected"),
    [
        (
            "Published 11 September 2025, 17:52 GMT",
            "The truce between Russia and Ukraine expired at 7 a.m. on Thursday, the army said.",
            [("ceasefire", ("Russia", "Ukraine"), date(2025, 9, 11))],
        ),
        (
            "Stand: 11.09.2025 17:52 Uhr",
            "Die Feuerpause zwischen Russland und der Ukraine ist am Dienstagmorgen ausgelaufen.",
            [("ceasefire", ("Russia", "Ukraine"), date(2025, 9, 9))],
        ),
        # a back-reference that names neither its sides nor its day restates no terms
        ("Published 11 September 2025, 17:52 GMT", "The Kremlin said that the truce had expired.", []),
    ],
)
def test_a_halt_told_only_as_lapsed_is_the_promise_that_ended(
    stamp: str, sentence: str, expected: list[tuple[str, tuple[str, ...], date]]
) -> None:
    found = _told(stamp, RUSSIA, sentence)
    assert [(c.kind, c.actors, to_date(c.end)) for c in found.commitments] == expected
    assert [r.kind for r in found.reports] == ["expiry"]


@pytest.mark.parametrize(
    ("stamp", "sentence"),
    [
        (
            "Published 18 April 2025, 17:52 GMT",
            "Russia and Ukraine will hold talks in Istanbul from Monday to Thursday.",
        ),
        (
            "Stand: 18.04.2025 17:52 Uhr",
            "Russland und die Ukraine werden von Montag bis Donnerstag in Istanbul verhandeln.",
        ),
    ],
)
def test_talks_over_a_span_of_days_start_and_end_and_fall_due_on_their_first(stamp: str, sentence: str) -> None:
    found = _told(stamp, RUSSIA, sentence)
    talks = [(to_date(c.start), to_date(c.end), to_date(c.due)) for c in found.commitments if c.kind == "negotiations"]
    assert talks == [(date(2025, 4, 21), date(2025, 4, 24), date(2025, 4, 21))]
