"""Report sentences, English and German, read one at a time through ``extract_reports``."""

from __future__ import annotations

from datetime import date

import pytest

from articles.extract import extract_reports
from articles.model import Language
from tests.articles.test_extract_text import article

MONDAY = date(2025, 4, 21)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Russia handed over 22 wounded soldiers on Friday, one fewer than promised.",
            "en",
            ("fulfilment", "release", (), "Russia", date(2025, 4, 18), 22),
        ),
        (  # people handed by one side to another: a handover
            "Hamas said 20 prisoners were handed to the Red Cross on Sunday.",
            "en",
            ("fulfilment", "release", (), "Hamas", date(2025, 4, 20), 20),
        ),
        (  # a truce that ended lapsed when it ended, not when it began
            "Die Feuerpause hatte am Samstag um 18 Uhr begonnen und endete um Mitternacht in der Nacht zum Montag.",
            "de",
            ("expiry", "ceasefire", (), None, MONDAY, None),
        ),
        (
            "The truce had begun at 6 p.m. on Saturday and ended at midnight on the night to Monday.",
            "en",
            ("expiry", "ceasefire", (), None, MONDAY, None),
        ),
        (  # a truce its party will not renew lapses
            "The government will not renew its ceasefire with the dissident bloc, the commissioner said on Wednesday.",
            "en",
            ("expiry", "ceasefire", (), None, date(2025, 4, 16), None),
        ),
        (
            "Die Regierung hat die Waffenruhe mit den Dissidenten nicht verlängert, teilte das Büro am Mittwoch mit.",
            "de",
            ("expiry", "ceasefire", (), None, date(2025, 4, 16), None),
        ),
        (  # kept "since" a day: said today, kept since then
            "Cambodian troops have strictly respected the ceasefire since it took hold on 28 March, the ministry said.",
            "en",
            ("compliance", "ceasefire", (), "Cambodia", MONDAY, None),
        ),
        (  # people handed over for someone named: one side of a swap
            "Iran released the two Swedish prisoners on Saturday in exchange for Hamid Nouri.",
            "en",
            ("fulfilment", "prisoner_exchange", (), "Iran", date(2025, 4, 19), 2),
        ),
        (
            "The Taliban released two US citizens on Tuesday and received in return an Afghan man serving a life term.",
            "en",
            ("fulfilment", "prisoner_exchange", (), "Afghanistan", date(2025, 4, 15), 2),
        ),
        (  # people freed one by one are named by who they are, not counted
            "Die ELN hat den Vater des Fußballspielers am Donnerstag freigelassen.",
            "de",
            ("fulfilment", "release", (), "National Liberation Army", date(2025, 4, 17), None),
        ),
        (
            "The ELN freed the footballer's father on Thursday, the ombudsman said.",
            "en",
            ("fulfilment", "release", (), "National Liberation Army", date(2025, 4, 17), None),
        ),
        (
            "Russland und die Ukraine tauschten am Samstag je 246 Gefangene aus.",
            "de",
            ("fulfilment", "prisoner_exchange", (), "Russia", date(2025, 4, 19), 246),
        ),
        (
            "Hamas freed three hostages on Sunday in return for 90 Palestinian prisoners, Israel confirmed.",
            "en",
            ("fulfilment", "prisoner_exchange", (), "Israel", date(2025, 4, 20), 3),
        ),
        (  # a peace deal named by the year it was made in, ended today: an expiry of a promise of its own
            "Die in Mali herrschende Militärjunta hat das 2015 geschlossene Friedensabkommen mit bewaffneten Gruppen "
            "aufgekündigt.",
            "de",
            ("expiry", "other", (), "Mali", MONDAY, None),
        ),
        (
            "Mali's junta terminated the 2015 peace agreement with armed groups in the north with immediate effect.",
            "en",
            ("expiry", "other", (), "Mali", MONDAY, None),
        ),
        (  # "in exchange" standing alone, the other half of the swap told after it
            "Russia's defence ministry says 146 servicemen were returned on Saturday and that, in exchange, 146 "
            "Ukrainian prisoners were handed over.",
            "en",
            ("fulfilment", "prisoner_exchange", (), "Russia", date(2025, 4, 19), 146),
        ),
        (  # "each" after the parties shares the act out; it does not make it anyone's at all
            "Russia and Ukraine each handed over 115 prisoners of war on Saturday, in an exchange mediated by the UAE.",
            "en",
            ("fulfilment", "prisoner_exchange", (), "United Arab Emirates", date(2025, 4, 19), 115),
        ),
        (  # one person told by their age is people freed
            "Das rumänische Außenministerium teilte am Mittwoch mit, der 47-Jährige sei freigelassen worden.",
            "de",
            ("fulfilment", "release", (), "Romania", date(2025, 4, 16), None),
        ),
        (
            "The Romanian foreign ministry said on Wednesday that the 47-year-old had been freed.",
            "en",
            ("fulfilment", "release", (), "Romania", date(2025, 4, 16), None),
        ),
        (  # saying one never promised what others claim is a denial of it
            "Netanyahu's office said on Sunday that Israel had not committed to any ceasefire.",
            "en",
            ("denial", "ceasefire", (), "Israel", date(2025, 4, 20), None),
        ),
        (
            "Israel habe sich weder zu einer Waffenruhe noch zu einer Freilassung verpflichtet, hieß es am Sonntag.",
            "de",
            ("denial", "ceasefire", (), "Israel", date(2025, 4, 20), None),
        ),
        (
            "Ukraine's General Staff dismissed the statement on Sunday as Russian disinformation and said its forces "
            "had carried out no strikes on energy targets since the pause began.",
            "en",
            ("denial", "strike_halt", (), "Ukraine", date(2025, 4, 20), None),
        ),
        (
            "Iran's foreign minister said on Sunday that no agreement has taken place about restarting negotiations.",
            "en",
            ("denial", "negotiations", (), "Iran", date(2025, 4, 20), None),
        ),
        (  # an exchange that came to an end was carried out
            "Mit letzten Flügen ist am Sonntag der Austausch von 887 Gefangenen zwischen den Huthis und der Regierung "
            "zu Ende gegangen.",
            "de",
            ("fulfilment", "prisoner_exchange", (), "Houthis", date(2025, 4, 20), 887),
        ),
        (
            "The Houthis let go the 25 crew members of the Galaxy Leader on Wednesday.",
            "en",
            ("fulfilment", "release", (), "Houthis", date(2025, 4, 16), 25),
        ),
        (
            "Die Hamas ließ am Samstag drei Geiseln frei.",
            "de",
            ("fulfilment", "release", (), "Hamas", date(2025, 4, 19), 3),
        ),
        (  # an older year in what the handover is measured against neither dates it nor names its kind
            "The Houthis released 153 detainees on Saturday, the Red Cross said, describing it as one of the larger "
            "releases since the exchange of nearly 900 prisoners in April 2023.",
            "en",
            ("fulfilment", "release", (), "International Committee of the Red Cross", date(2025, 4, 19), 153),
        ),
        (
            "Die Huthis ließen am Samstag 153 Gefangene frei, die größte Freilassung seit dem Austausch von fast "
            "900 Gefangenen im April 2023.",
            "de",
            ("fulfilment", "release", (), "Houthis", date(2025, 4, 19), 153),
        ),
        (
            "Pakistan and Afghanistan agreed on Thursday to continue the ceasefire.",
            "en",
            ("extension", "ceasefire", (), "Pakistan", date(2025, 4, 17), None),
        ),
        (
            "Pakistan und Afghanistan haben sich am Donnerstag darauf verständigt, die Waffenruhe fortzusetzen.",
            "de",
            ("extension", "ceasefire", (), "Pakistan", date(2025, 4, 17), None),
        ),
        (
            "Das Verteidigungsministerium hat den Abzug seiner Truppen vom rechten Ufer für abgeschlossen erklärt.",
            "de",
            ("fulfilment", "withdrawal", (), None, MONDAY, None),
        ),
        (
            "The defence ministry declared the withdrawal from the right bank complete on Friday.",
            "en",
            ("fulfilment", "withdrawal", (), None, date(2025, 4, 18), None),
        ),
        (  # calm told without the word: a night that passed peacefully, no firing heard
            "Residents told reporters that the night had passed peacefully and no firing was heard.",
            "en",
            ("compliance", "ceasefire", (), None, MONDAY, None),
        ),
        (  # a handover in the mood of reported speech, its speaker named
            "Beide Seiten hätten am Samstag je 185 Gefangene übergeben, teilte das Ministerium in Moskau mit.",
            "de",
            ("fulfilment", "prisoner_exchange", (), "Russia", date(2025, 4, 19), 185),
        ),
        (
            "Wir haben am Samstag 215 Menschen aus der russischen Gefangenschaft zurückgeholt, sagte Jermak in Kiew.",
            "de",
            ("fulfilment", "release", (), "Ukraine", date(2025, 4, 19), 215),
        ),
        (  # people handed over uncounted, on a day named
            "Am Samstag kamen dann die ersten Gefangenen frei.",
            "de",
            ("fulfilment", "release", (), None, date(2025, 4, 19), None),
        ),
        (  # an attack "hours after" a truce that "was due to begin" breaks it
            'Russian troops attacked Ukrainian positions on Friday, "barely hours" after the truce was due to begin, '
            "Kyiv said.",
            "en",
            ("violation", "ceasefire", ("Russia",), "Ukraine", date(2025, 4, 18), None),
        ),
        (
            "Die sudanesische Armee wirft der RSF vor, die Feuerpause zu missachten.",
            "de",
            ("violation", "ceasefire", ("Rapid Support Forces",), "Sudanese Armed Forces", MONDAY, None),
        ),
        (  # using the truce for something else breaks it
            "The Sudanese army accused RSF fighters of using the pause to loot homes in Khartoum.",
            "en",
            ("violation", "ceasefire", ("Rapid Support Forces",), "Sudanese Armed Forces", MONDAY, None),
        ),
        (
            "Israel accused Hezbollah of violating the ceasefire by moving fighters south.",
            "en",
            ("violation", "ceasefire", ("Hezbollah",), "Israel", MONDAY, None),
        ),
        (
            "Moskau warf Kiew vor, die Osterwaffenruhe mehr als 1000 Mal gebrochen zu haben.",
            "de",
            ("violation", "ceasefire", ("Ukraine",), "Russia", MONDAY, None),
        ),
        (
            "The Kremlin said Ukraine had violated the moratorium on energy strikes since Tuesday.",
            "en",
            ("violation", "strike_halt", ("Ukraine",), "Russia", date(2025, 4, 15), None),
        ),
        (
            "Laut Kiew wurden am Sonntag 120 Angriffe registriert, obwohl die Waffenruhe galt.",
            "de",
            ("violation", "ceasefire", (), "Ukraine", date(2025, 4, 20), None),
        ),
        (
            "Hemedti denied the accusations on Sunday.",
            "en",
            ("denial", "ceasefire", (), "Rapid Support Forces", date(2025, 4, 20), None),
        ),
        (
            "The Kremlin rejected Ukrainian claims that drones struck a power plant.",
            "en",
            ("denial", "strike_halt", (), "Russia", MONDAY, None),
        ),
        (
            "Kyiv rejected the offer as a cynical trap.",
            "en",
            ("reaction", "ceasefire", (), "Ukraine", MONDAY, None),
        ),
        (
            "Putin extended the Easter truce until Tuesday.",
            "en",
            ("extension", "ceasefire", (), "Russia", MONDAY, None),
        ),
        (
            "Die Feuerpause wurde um drei Tage verlängert, teilte Katar mit.",
            "de",
            ("extension", "ceasefire", (), "Qatar", MONDAY, None),
        ),
        (
            "Die Waffenruhe ist am Sonntag ausgelaufen.",
            "de",
            ("expiry", "ceasefire", (), None, date(2025, 4, 20), None),
        ),
        (  # one named person swapped for another on a day named: done, though nobody counted heads
            "Russia freed the ballerina on Friday in exchange for a man held in the United States, officials said.",
            "en",
            ("fulfilment", "prisoner_exchange", (), "Russia", date(2025, 4, 18), None),
        ),
        (  # a handover to the Red Cross is the act itself, with no head count and no day
            "Hamas has handed Edan Alexander to the Red Cross in Khan Younis, the Israeli military said.",
            "en",
            ("fulfilment", "release", (), "Israel", MONDAY, 1),  # one person named: one handed over
        ),
        (  # the party whose account is denied does not deny it
            "Azerbaijan said the Russian account of a breach of the truce does not reflect the truth.",
            "en",
            ("denial", "ceasefire", (), "Azerbaijan", MONDAY, None),
        ),
        (
            "Both sides have largely respected the truce in the Black Sea, UN observers said.",
            "en",
            ("compliance", "maritime_ceasefire", (), "United Nations", MONDAY, None),
        ),
        (  # handovers of people of both sides in one sentence: the two halves of a swap
            "The Russian defence ministry said 100 Russian servicemen had been returned and that 100 Ukrainian "
            "prisoners of war had been handed over.",
            "en",
            ("fulfilment", "prisoner_exchange", (), "Russia", MONDAY, 100),
        ),
        (
            "Russland teilte mit, 100 russische Soldaten seien freigelassen und 100 ukrainische Kriegsgefangene "
            "übergeben worden.",
            "de",
            ("fulfilment", "prisoner_exchange", (), "Russia", MONDAY, 100),
        ),
        (  # two handovers of one side's people: releases
            "Hamas released three Israeli hostages and handed over the bodies of two more.",
            "en",
            ("fulfilment", "release", (), "Hamas", MONDAY, 3),
        ),
    ],
)
def test_report_sentence(text: str, lang: Language, expected: tuple[object, ...]) -> None:
    reports = extract_reports(text, language=lang, published=MONDAY)
    assert [(r.kind, r.about, r.accused, r.claimed_by, r.date, r.quantity) for r in reports] == [expected]
    assert reports[0].evidence == text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Russia will hand over 23 wounded soldiers tomorrow.", "en"),
        ("Israel received a list of hostages due to be freed that evening.", "en"),
        ("The truce could be extended by a day for every 10 additional hostages released.", "en"),
        ("Many of the freed men had spent more than two years in detention.", "en"),
        ("Eine vollständige Waffenruhe lehnt Moskau vorerst ab.", "de"),
        # a proposal to extend is no extension
        ("He also proposed extending the ceasefire for 30 days if Russia observed it in full.", "en"),
        ("Er schlug vor, die Waffenruhe um 30 Tage zu verlängern.", "de"),
        ("Die Übergabe hätte am Samstag stattfinden sollen.", "de"),  # counterfactual: nothing was handed over
        # agreed to hand over: to be done, not done
        ("Beide Seiten verständigten sich, die Leichen und die Häftlinge gleichzeitig zu übergeben.", "de"),
        # neither confirmed nor denied: no denial
        ("The army said it could neither confirm nor deny that Russia had withdrawn.", "en"),
        ("Der Oberbefehlshaber kann einen Abzug der Russen derzeit weder bestätigen noch dementieren.", "de"),
        # what a purpose clause wants to ensure has not happened
        ("Washington would act to ensure that promises made to the president were kept, Rubio said.", "en"),
        ("Die USA würden handeln, um sicherzustellen, dass die gegebenen Zusagen eingehalten werden.", "de"),
        # whoever breaks it: no one in particular
        ("The mechanism will impose penalties on the side that violates the agreement, the text says.", "en"),
        ("Gegen die Seite, die die Vereinbarung bricht, sollen Strafen verhängt werden, heißt es im Text.", "de"),
        # a denial told about a party in a relative clause is what it is known for, not its answer now
        ("Rwanda, which denies accusations that it backs the M23, said it supported the ceasefire.", "en"),
        ("Ruanda, das die Vorwürfe bestreitet, die M23 zu unterstützen, schickte einen Gesandten nach Luanda.", "de"),
        # kept by none is no compliance
        ("Neither ceasefire so far has been respected in full.", "en"),
        # a mission's mandate renewed or run out: a body's licence, no promise of the sides
        ("The Security Council on Friday extended the mission's mandate by a year.", "en"),
        ("Zugleich verlängerten die 15 Mitglieder das Mandat der Mission ein weiteres Mal um ein Jahr.", "de"),
        # a future whose infinitive closes a sentence of one clause: to be done, not done
        ("Die Hamas werde drei Geiseln am Donnerstag übergeben.", "de"),
    ],
)
def test_promises_and_background_are_no_reports(text: str, lang: Language) -> None:
    assert extract_reports(text, language=lang, published=MONDAY) == ()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ukraine says Russia struck a power plant near Odesa on March 21.", "en"),
        ("Die Ukraine sagt, Russland habe am 21. März ein Kraftwerk bei Odessa angegriffen.", "de"),
    ],
)
def test_an_attack_reported_on_a_named_halt_is_a_violation_claim(text: str, lang: Language) -> None:
    """An admin's /report names the halt, so the attack itself is the claim; in a plain article it is not."""
    [report] = extract_reports(text, language=lang, published=date(2025, 3, 22), about="strike_halt")
    assert (report.kind, report.about, report.accused, report.claimed_by) == (
        "violation",
        "strike_halt",
        ("Russia",),
        "Ukraine",
    )
    assert report.date == date(2025, 3, 21)
    assert extract_reports(text, language=lang, published=date(2025, 3, 22)) == ()


def test_a_named_negotiation_is_not_violated_by_an_attack() -> None:
    reports = extract_reports(
        "Ukraine says Russia struck a power plant near Odesa.",
        language="en",
        published=date(2025, 3, 22),
        about="negotiations",
    )
    assert reports == ()


def test_a_handover_to_the_red_cross_is_done_in_german_too() -> None:
    text = "In Rafah übergab die Hamas Tal Schoham und Avera Mengistu an das Rote Kreuz, wie die Armee mitteilte."
    reports = extract_reports(text, language="de", published=MONDAY)
    assert [(r.kind, r.about, r.date, r.quantity) for r in reports] == [("fulfilment", "release", MONDAY, 2)]


def test_people_named_one_by_one_are_counted() -> None:
    text = "Hamas handed Romi Gonen, Emily Damari and Doron Steinbrecher to the Red Cross in Gaza City on Sunday."
    reports = extract_reports(text, language="en", published=MONDAY)
    assert [(r.kind, r.quantity) for r in reports] == [("fulfilment", 3)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Both sides handed over 75 people on Friday, officials in Kyiv and Moscow said.", "en"),
        ("Beide Seiten übergaben am Freitag je 75 Gefangene, teilten Kiew und Moskau mit.", "de"),
    ],
)
def test_both_sides_handing_people_over_carry_out_a_swap(text: str, lang: Language) -> None:
    reports = extract_reports(text, language=lang, published=MONDAY)
    assert [(r.kind, r.about, r.quantity) for r in reports] == [("fulfilment", "prisoner_exchange", 75)]


def test_a_handover_as_large_as_the_swap_told_before_is_one_side_of_it() -> None:
    text = (
        "Ukraine and Russia swapped 107 prisoners of war each on Monday. "
        "Russia's defence ministry confirmed 107 of its servicemen had been returned. "
        "Separately, Russia freed 12 wounded soldiers."
    )
    reports = extract_reports(text, language="en", published=MONDAY)
    assert {(r.about, r.quantity) for r in reports} == {("prisoner_exchange", 107), ("release", 12)}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Israel und die Hamas hatten eine Waffenruhe vereinbart. Verteidigungsminister Katz sagte, Israel sei "
            "bereit. Am Montag meldeten sich die Islamisten. Er warf Israel vor, gegen das Abkommen zu verstoßen: "
            "Die Rückkehr in den Norden werde verzögert.",
            "de",
        ),
        (
            "Israel and Hamas agreed a ceasefire last week. Defence Minister Katz said Israel was ready. "
            "On Monday the militants spoke up. He accused Israel of violating the agreement.",
            "en",
        ),
    ],
)
def test_an_accusation_after_the_accused_spoke_is_the_other_sides(text: str, lang: Language) -> None:
    reports = extract_reports(text, language=lang, published=MONDAY)
    assert [(r.kind, r.accused, r.claimed_by) for r in reports] == [("violation", ("Israel",), "Hamas")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "A truce between Israel and Islamic Jihad has been in force since Saturday. A few minutes later, sirens "
            "sounded again near Gaza, the Israeli army said, and more rockets were fired from the coastal strip.",
            "en",
        ),
        (
            "Zwischen Israel und dem Islamischen Dschihad gilt seit Samstag eine Waffenruhe. Kurz darauf heulten nach "
            "Angaben der israelischen Armee noch einmal die Sirenen, es seien weitere Raketen abgefeuert worden.",
            "de",
        ),
    ],
)
def test_fire_that_came_in_without_its_shooter_named_comes_from_the_other_side(text: str, lang: Language) -> None:
    reports = extract_reports(text, language=lang, published=MONDAY)
    assert [(r.kind, r.accused, r.claimed_by) for r in reports] == [
        ("violation", ("Palestinian Islamic Jihad",), "Israel")
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "A truce between Israel and Hezbollah has been in force since Wednesday. Israel's military said on Monday "
            "it had struck Hezbollah fighters and launchers across southern Lebanon.",
            "en",
        ),
        (
            "Zwischen Israel und der Hisbollah gilt seit Mittwoch eine Waffenruhe. Die israelische Armee teilte am "
            "Montag mit, sie habe Stellungen der Hisbollah im Südlibanon angegriffen.",
            "de",
        ),
    ],
)
def test_a_side_telling_of_its_own_strikes_accuses_no_one(text: str, lang: Language) -> None:
    assert [r for r in extract_reports(text, language=lang, published=MONDAY) if r.kind == "violation"] == []


def test_an_accusation_names_the_fighting_party_it_names_not_the_state_of_the_truce() -> None:
    text = (
        "The ceasefire between Israel and Lebanon has been in force since Wednesday. On Monday Netanyahu said Israel "
        "would respond forcefully to the Hezbollah fire and called it a serious violation."
    )
    reports = extract_reports(text, language="en", published=MONDAY)
    assert [(r.kind, r.accused, r.claimed_by) for r in reports] == [("violation", ("Hezbollah",), "Israel")]


def test_a_handover_told_as_done_is_not_dated_by_the_next_one_due() -> None:
    text = "Three hostages were handed to the Red Cross in Khan Younis; three more are due to be freed next Saturday."
    reports = extract_reports(text, language="en", published=MONDAY)
    assert [(r.kind, r.date, r.quantity) for r in reports] == [("fulfilment", MONDAY, 3)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "The M23 said it would withdraw from Bunagana. Kinshasa said on Friday that the M23 had not left but "
            "had only swapped positions.",
            "en",
        ),
        (
            "Die M23 hat den Abzug aus Bunagana angekündigt. Kinshasa erklärte am Freitag, die M23 sei nicht "
            "abgezogen.",
            "de",
        ),
    ],
)
def test_troops_said_not_to_have_left_break_the_withdrawal(text: str, lang: Language) -> None:
    reports = extract_reports(text, language=lang, published=MONDAY)
    found = [(r.kind, r.about, r.accused, r.claimed_by) for r in reports]
    assert found == [("violation", "withdrawal", ("M23",), "Democratic Republic of the Congo")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Russia has respected the timetable for the withdrawal of its border guards, the ministry said.", "en"),
        ("Der Zeitplan für den Abzug der russischen Grenzschützer wurde exakt eingehalten, teilte Moskau mit.", "de"),
    ],
)
def test_a_one_off_act_kept_to_its_timetable_is_carried_out(text: str, lang: Language) -> None:
    """A pull-out or a handover is kept by being done: no compliance to watch, a fulfilment."""
    [report] = extract_reports(text, language=lang, published=MONDAY, about="withdrawal")
    assert (report.kind, report.about, report.claimed_by) == ("fulfilment", "withdrawal", "Russia")


def test_a_truce_extended_in_the_german_present_passive_is_extended_now() -> None:
    decided = "Die Waffenruhe zwischen der Armee und der M23 wird um 15 Tage verlängert, teilte das Weiße Haus mit."
    [report] = extract_reports(decided, language="de", published=MONDAY)
    assert (report.kind, report.about, report.claimed_by) == ("extension", "ceasefire", "United States")
    ahead = decided.replace("verlängert,", "verlängert werden,")
    assert extract_reports(ahead, language="de", published=MONDAY) == ()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Die Waffenruhe zwischen Armee und M23 wird um 15 Tage verlängert. Das teilte das Weiße Haus mit.", "de"),
        ("The truce between army and M23 was extended by 15 days. That was announced by the White House.", "en"),
    ],
)
def test_a_sentence_that_only_names_the_source_gives_the_claims_before_it(text: str, lang: Language) -> None:
    [report] = extract_reports(text, language=lang, published=MONDAY)
    assert (report.kind, report.claimed_by) == ("extension", "United States")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Russia and Ukraine agreed a ceasefire on Monday. Zelensky then proposed a Russian withdrawal by "
            "Christmas. The Kremlin denied this on Tuesday.",
            "en",
        ),
        (
            "Russland und die Ukraine vereinbarten am Montag eine Waffenruhe. Selenskyj schlug dann einen Abzug der "
            "russischen Truppen bis Weihnachten vor. Der Kreml wies das am Dienstag zurück.",
            "de",
        ),
    ],
)
def test_a_denial_that_names_nothing_denies_what_the_sentence_before_it_named(text: str, lang: Language) -> None:
    denials = [r for r in extract_reports(text, language=lang, published=MONDAY) if r.kind == "denial"]
    assert [(r.about, r.claimed_by) for r in denials] == [("withdrawal", "Russia")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Abu Dhabi rejected the Saudi charge that it had armed Yemeni groups before the pull-out.", "en"),
        ("Abu Dhabi wies die saudischen Vorwürfe zurück, es habe vor dem Abzug jemenitische Gruppen bewaffnet.", "de"),
    ],
)
def test_denying_having_armed_a_side_denies_no_promise(text: str, lang: Language) -> None:
    assert [r for r in extract_reports(text, language=lang, published=MONDAY) if r.kind == "denial"] == []


def test_a_truce_s_start_is_not_the_day_it_was_extended_on() -> None:
    found = article(
        "Published November 30, 2023",
        "Israel and Hamas agreed to extend their truce in Gaza for a seventh day on Thursday.",
        "The truce began at 7 a.m. local time on Friday, Nov. 24, for four days and was later extended by two days.",
    )
    assert [(r.kind, r.date) for r in found.reports] == [("extension", date(2023, 11, 30))]


def test_what_someone_has_held_since_a_day_is_no_truce_that_held() -> None:
    found = article(
        "Published November 30, 2023",
        "Israel and Hamas agreed to extend their truce in Gaza for a seventh day on Thursday.",
        "About 60 people gathered on Thursday evening for the weekly vigil the congregation has held since October.",
    )
    assert [r.kind for r in found.reports] == ["extension"]


def test_a_lapse_is_not_dated_by_what_the_next_sentence_tells_of() -> None:
    found = article(
        "Stand: 18.04.2025 14:52 Uhr",
        "Russland und die Ukraine hatten eine Pause bei Angriffen auf Energieanlagen für 30 Tage vereinbart. "
        "Die Pause ist nach Angaben des Kreml ausgelaufen. Am Donnerstag griffen russische Drohnen Charkiw an.",
    )
    assert [(r.kind, r.date) for r in found.reports if r.kind == "expiry"] == [("expiry", date(2025, 4, 18))]
