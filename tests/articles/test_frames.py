"""Sentence classification: kinds, status cues, report kinds, conditions, scope and background."""

from __future__ import annotations

import pytest

from articles import frames, history
from articles.amounts import normalise
from articles.model import CommitmentKind, Language, ReportKind
from articles.page import detect_language


def lang(text: str) -> Language:
    return detect_language(text)


def norm(text: str) -> str:
    return normalise(text, lang(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putin ordered a halt to strikes on Ukraine's energy infrastructure.", ["strike_halt"]),
        ("Putin hat befohlen, die Angriffe auf die Energieinfrastruktur einzustellen.", ["strike_halt"]),
        ("Both sides agreed to a 30-day ceasefire.", ["ceasefire"]),
        ("Die Waffenruhe zum orthodoxen Weihnachtsfest soll am Freitag beginnen.", ["ceasefire"]),
        ("Putin declared an Easter truce.", ["ceasefire"]),
        ("Russia and Ukraine agreed to halt military action in the Black Sea.", ["maritime_ceasefire"]),
        ("Beide Seiten haben sich auf eine Waffenruhe im Schwarzen Meer verständigt.", ["maritime_ceasefire"]),
        ("Moscow and Kyiv will exchange 175 prisoners of war each.", ["prisoner_exchange"]),
        ("Die Seiten wollen 1000 gegen 1000 Gefangene austauschen.", ["prisoner_exchange"]),
        ("Russia will hand over 23 wounded soldiers.", ["release"]),
        ("Hamas is to free 33 hostages.", ["release"]),
        ("Lukashenko will pardon 14 political prisoners.", ["release"]),  # a pardon frees them
        # a peace treaty agreed, signed or initialled, and a pledge to renounce force, are promises of their own
        ("Armenia and Azerbaijan have agreed the text of a peace treaty.", ["other"]),
        ("Armenien und Aserbaidschan haben sich auf den Text eines Friedensvertrags geeinigt.", ["other"]),
        ("Both sides agreed to renounce the use of force.", ["other"]),
        ("Talks are aimed at reaching a peace deal.", []),
        # envoys sent back and embassies reopened mend relations a war broke: a promise of its own
        ("Pakistan and Iran agreed that their ambassadors would return to their posts by Friday.", ["other"]),
        ("Zudem sollen die Botschaften in Washington und Moskau wieder arbeitsfähig werden.", ["other"]),
        ("Pakistan recalled its ambassador from Tehran.", []),
        # roads and crossings reopened, when someone is to open them
        ("The Houthis committed to reopen the main roads into Taiz.", ["other"]),
        ("Die Kriegsparteien sicherten zu, zwei Grenzübergänge wieder zu öffnen.", ["other"]),
        ("Lukaschenko will die 14 politischen Gefangenen in den kommenden Tagen begnadigen.", ["release"]),
        ("Israeli troops are to withdraw from southern Lebanon.", ["withdrawal"]),
        # someone "to return" with no one handed back returns, nobody is released
        ("The MNDAA agreed to pull its fighters out of Lashio, letting the junta to return.", ["withdrawal"]),
        ("The deal allows displaced people to return home.", []),
        (
            "Under the accord, the faction's fighters are to lay down their weapons and return to civilian life.",
            ["ceasefire"],
        ),
        ("Die Armee soll sich aus dem Südlibanon zurückziehen.", ["withdrawal"]),
        ("Talks are to begin in Riyadh next week.", ["negotiations"]),
        ("Beide vereinbarten, dass unverzüglich Verhandlungen beginnen sollen.", ["negotiations"]),
        ("They committed to allow humanitarian aid into the capital.", ["other"]),
        ("Negotiations on a maritime ceasefire would begin immediately.", ["negotiations"]),
        # what the talks are to produce guidance on is their topic
        (
            "The army chiefs are to meet within five days and produce guidance on a cessation of hostilities.",
            ["negotiations"],
        ),
        (
            "Die Armeechefs sollen zu Gesprächen zusammenkommen und Leitlinien für eine Waffenruhe erarbeiten.",
            ["negotiations"],
        ),
        ("The truce came after three days of talks.", ["ceasefire"]),
        # people who fled going home are handed over by nobody; a pull-back that lets them is still one
        ("The rebels are to pull back between the two towns so that civilians who fled can return.", ["withdrawal"]),
        (
            "Die Rebellen sollen abziehen, damit die geflohenen Menschen zwischen beiden Orten zurückkehren können.",
            ["withdrawal"],
        ),
        # a refusal with a condition names a demand, not a promise
        ("There will be no ceasefire without the release of the hostages, Netanyahu said.", []),
        ("Es werde keine Waffenruhe ohne die Freilassung der Geiseln geben, sagte Netanjahu.", []),
        # talks said not to take place promise none
        ("Über ein Ende der Kämpfe wird dagegen nicht verhandelt.", []),
        ("An end to the war is not being negotiated, the Kremlin said.", []),
        ("The weather was fine.", []),
        # who left a prison was set free; no troops withdrew
        ("Zwei Franzosen haben nach drei Jahren ein iranisches Gefängnis verlassen.", ["release"]),
        ("Kohler and Paris have left Evin prison after three years.", ["release"]),
        # freeing all "until" which a demand holds is no promise
        ("Der Druck müsse aufrechterhalten werden, bis die Repression ende und alle Gefangenen frei seien.", []),
        ("Pressure must be kept up until all political prisoners are freed.", []),
        # leaving politics withdraws no troops
        ("Das Militär müsse sich aus der Politik zurückziehen, erklärte der Sprecher.", []),
        ("The military must withdraw from politics, the spokesman said.", []),
        # an immediate end to the fighting demanded is a ceasefire
        ("Der Text fordert zudem ein sofortiges Ende der Kämpfe in und um Al-Faschir.", ["ceasefire"]),
        ("The resolution demands an immediate end to the fighting around El Fasher.", ["ceasefire"]),
        # letting aid through is a promise of its own, unless it is what a truce is declared for
        ("Senior commanders agreed to allow aid to flow unhindered.", ["other"]),
        ("Beide Seiten verpflichten sich, humanitäre Hilfe zu erleichtern.", ["other"]),
        ("The alliance announced a one-month ceasefire to facilitate aid deliveries.", ["ceasefire"]),
        ("Die Allianz kündigte eine einmonatige Feuerpause an, um Hilfslieferungen zu erleichtern.", ["ceasefire"]),
        ("Both sides agreed to a ceasefire and to allow humanitarian aid into the region.", ["ceasefire", "other"]),
        # a party named by what it did, in a clause set apart by commas: the main clause promises
        ("The ICRC, which co-chaired the talks with the UN envoy, will organise the transfers.", []),
        ("Das IKRK, das die Gespräche gemeinsam mit dem UN-Büro geleitet hatte, wird die Flüge organisieren.", []),
        ("The envoy, who brokered the talks, said a ceasefire would begin on Monday.", ["ceasefire"]),
        # talks about cricket or trade between two states at war are no talks about their war
        ("India and Pakistan will resume cricket talks next week.", []),
        ("Russland und die Ukraine führen nächste Woche Handelsgespräche in Genf.", []),
        ("India and Pakistan will resume their talks next week.", ["negotiations"]),
        # talks named after the truce they are about promise the talks, not the truce
        ("Israel und die Hamas wollen am Montag in Kairo Waffenruhe-Gespräche führen.", ["negotiations"]),
        ("India and Pakistan will resume ceasefire talks next week.", ["negotiations"]),
    ],
)
def test_commitment_kinds(text: str, expected: list[CommitmentKind]) -> None:
    assert frames.commitment_kinds(norm(text), lang(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Washington proposed a ceasefire.", "proposed"),
        ("Russia offered a truce.", "proposed"),
        ("Die Ukraine schlug eine Waffenruhe vor.", "proposed"),
        ("Both sides agreed to a truce.", "agreed"),
        ("The parties signed a ceasefire.", "agreed"),
        ("Sie haben eine Waffenruhe vereinbart.", "agreed"),
        ("Putin ordered a halt.", "announced"),
        ("The Kremlin announced a truce.", "announced"),
        ("Putin ordnet eine Waffenruhe an.", "announced"),
        ("Der Kreml kündigte eine Feuerpause an.", "announced"),
        ("The truce began on Friday.", "in_force"),
        ("The ceasefire took effect at dawn.", "in_force"),
        ("The truce has held since Friday.", "in_force"),
        ("Die Waffenruhe gilt seit Sonntag.", "in_force"),
        ("Die Waffenruhe soll am Freitag beginnen.", "modal"),
        ("Die Feuerpause gilt ab Freitag.", "valid"),
        ("A truce.", None),
        # what someone fears or warns would follow commits nobody
        ("Ukraine fears that clearing the mines would leave Odesa open to attack.", None),
        ("Kiew befürchtet, dass eine Räumung der Minen Odessa schutzlos machen würde.", None),
        # nor does a hope
        ("China hoped the sides would keep up the ceasefire and the peace talks.", None),
        ("China hoffe, dass beide Seiten an der Waffenruhe festhalten würden.", None),
        ("Washington wanted the working groups to start meeting soon, she said.", None),
        # whether it will is open
        ("Offen ist auch, ob Moskau eine Waffenruhe ab Montag akzeptiert.", None),
        ("It is unclear whether Moscow will accept a truce from Monday.", None),
        # an effort told after the verb is no promise either
        ("Qatar will try to secure the release of the remaining hostages.", None),
        ("Kyiv would keep working to free every Ukrainian still held by Russia.", None),
        ("Katar will sich um die Freilassung der übrigen Geiseln bemühen.", None),
        ("Kiew werde weiter versuchen, alle Gefangenen freizubekommen.", None),
        ("Hamas will free 33 hostages.", "modal"),
    ],
)
def test_status_cues(text: str, expected: str | None) -> None:
    assert frames.status(norm(text), lang(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv accused Moscow of attacking energy facilities.", "violation"),
        ("Both sides accused each other of violations.", "violation"),
        ("Die Ukraine warf Russland vor, Energieanlagen angegriffen zu haben.", "violation"),
        ("Russian forces kept up shelling despite Putin's order.", "violation"),
        ("The Kremlin denied the accusations.", "denial"),
        ("Der Kreml wies die Vorwürfe zurück.", "denial"),
        ("Kyiv rejected it as a cynical trap.", "reaction"),
        ("Kiew wies den Vorstoß umgehend zurück.", "reaction"),
        ("Zelensky reacted with scepticism.", "reaction"),
        ("Lebanon welcomed the announcement.", "reaction"),
        ("The truce was extended by two days.", "extension"),
        ("Die Waffenruhe wurde verlängert.", "extension"),
        ("The truce had expired and Putin gave no order to extend it.", "expiry"),
        ("Die Waffenruhe ist abgelaufen.", "expiry"),
        ("22 wounded soldiers were handed over on Wednesday.", "fulfilment"),
        ("Die 175 Gefangenen wurden freigelassen.", "fulfilment"),
        ("The truce has largely held.", "compliance"),
        ("Die Seiten haben die Feuerpause eingehalten.", "compliance"),
        ("Russia will release 23 soldiers.", None),
        ("Hostages due to be freed that evening.", None),
        ("The truce can be extended if both parties agree.", None),
        # no violations is word that the truce held, not a claim that it was broken
        ("No violations were recorded overnight, the army said.", "compliance"),
        ("Es habe keine Verstöße gegeben, hieß es aus dem Ministerium.", "compliance"),
        # what nearly happened did not: but a number that is nearly reached was still handed over
        ("A clash at the border nearly broke the truce on its first night.", None),
        ("Ein Zwischenfall an der Grenze hat die Waffenruhe beinahe gebrochen.", None),
        ("Russland und die Ukraine haben fast 500 Kriegsgefangene ausgetauscht.", "fulfilment"),
        # a charge of supporting a side claims no breach, whatever attack is named further on
        ("Kigali, which Kinshasa accuses of backing the M23, wants the rebels to halt their offensive.", None),
        ("Kinshasa wirft Ruanda vor, die M23 zu unterstützen und ihre Offensive zu bewaffnen.", None),
        ("Kinshasa accused the M23 of attacking its positions despite the truce.", "violation"),
        # breaking with one's leaders breaks no promise
        ("Sagni broke with the OLA leadership in September.", None),
        ("Sagni brach mit der Führung der OLA.", None),
        # setting off on a journey ("bricht … auf") breaks nothing
        ("Trump bricht am Dienstag zu einer Reise nach Saudi-Arabien, Katar und in die Emirate auf.", None),
        # a demand that the guns fall silent first tells of no calm that held
        ("Erst müssten die Waffen schweigen, dann könne geredet werden.", None),
        ("First the guns must fall silent, then talks can follow.", None),
        # an answer threatened to breaches names none that happened
        ("The Kremlin vowed to respond to Ukrainian violations.", None),
        ('Der Kreml kündigte an, auf ukrainische Verstöße "angemessen" zu reagieren.', None),
        # people let out of a prison on a day named were set free, named rather than counted
        ("Kohler und Paris seien am Dienstagabend aus dem Teheraner Evin-Gefängnis entlassen worden.", "fulfilment"),
        # a meeting, however described in a relative clause, that ended lapsed no promise; nor did a sanctions deadline
        ("The meeting, which lasted several hours, ended without an agreement on the corridor.", None),
        ("Die Frist verstrich, ohne dass Washington neue Strafmaßnahmen verhängte.", None),
        ("The truce, which held for a week, ended on Sunday.", "expiry"),
        # candidacies withdrawn are no troops withdrawn
        ("Am Sonntag haben mehr als 200 Kandidaten ihre Bewerbung zurückgezogen.", None),
        # a base handed over: the force that held it has left; memoranda handed over are no positions
        ("The UN mission yesterday handed its base at Kamanyola to the Congolese National Police.", "fulfilment"),
        ("Frankreich hat am Donnerstag seinen Militärstützpunkt in Abidjan übergeben.", "fulfilment"),
        ("Beide Delegationen übergaben einander am Montag Memoranden mit ihren Vorstellungen.", None),
        ('"The mission has not handed over the camp to any armed group," the spokesperson said.', None),
        ("Der Trainer wurde am Dienstag aus der Mannschaft entlassen.", None),
        # an extension denied, also with its "nicht" at the end of the clause, is an expiry
        ("Moskau verlängert die Vereinbarung über ukrainische Getreideexporte nicht.", "expiry"),
        ("Russland werde das Abkommen nicht verlängern, sagte Peskow.", "expiry"),
        ("Moskau verlängert die Waffenruhe nicht nur um zwei Tage, sondern um eine Woche.", "extension"),
    ],
)
def test_report_kinds(text: str, expected: ReportKind | None) -> None:
    assert frames.report_kind(norm(text), lang(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It could work only if foreign military aid for Kyiv is stopped.", ("foreign military aid for Kyiv stopped",)),
        ("The truce holds only if Kyiv does the same, he said.", ("Kyiv does the same",)),
        ("The truce would take effect only after sanctions on banks are lifted.", ("sanctions on banks lifted",)),
        ("Es könne sie nur geben, wenn die Militärhilfe eingestellt werden.", ("die Militärhilfe eingestellt",)),
        ("Die Truppen schweigen, sofern Kiew dasselbe tut, hieß es.", ("Kiew dasselbe tut",)),
        ("Voraussetzung sei, dass die Sanktionen aufgehoben werden.", ("die Sanktionen aufgehoben",)),
        ("The truce can be extended if both parties agree.", ()),
    ],
)
def test_conditions_are_short_clauses(text: str, expected: tuple[str, ...]) -> None:
    assert frames.conditions(norm(text), lang(text)) == expected


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("strike_halt", "stop hitting energy infrastructure", "energy infrastructure"),
        ("strike_halt", "Angriffe auf die Energieinfrastruktur einstellen", "energy infrastructure"),
        ("strike_halt", "halt strikes on civilian infrastructure", "civilian infrastructure"),
        ("maritime_ceasefire", "a truce in the Black Sea", "Black Sea"),
        (
            "withdrawal",
            "troops are to pull back from densely populated areas of Gaza.",
            "densely populated areas of Gaza",
        ),
        (
            "withdrawal",
            "soll sich aus dicht besiedelten Gebieten des Gazastreifens zurückziehen",
            "densely populated areas of Gaza",
        ),
        ("withdrawal", "sollen sich aus dem Südlibanon zurückziehen", "southern Lebanon"),
        (
            "other",
            "allow humanitarian aid in and withdraw from hospitals",
            "humanitarian access; withdrawal from hospitals",
        ),
        (
            "prisoner_exchange",
            "Hamas releases 10 hostages each day in exchange for 30 prisoners",
            "10 hostages per day for 30 prisoners",
        ),
        ("ceasefire", "a general truce", None),
    ],
)
def test_scope_is_canonical_english(kind: CommitmentKind, text: str, expected: str | None) -> None:
    assert frames.scope(kind, text, lang(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The two last spoke on February 12, when they agreed to open talks.",
        "Previous truces have collapsed within hours.",
        "Zuletzt hatte Putin über Ostern eine Feuerpause verkündet.",
        "The grain deal collapsed in July 2023.",
        "Zum Hintergrund: Prigoschin hatte am Freitag dem Militär Angriffe auf seine Lager vorgeworfen.",
        "By way of background, Prigozhin accused the army on Friday of shelling his camps.",
        "Several of the CSP's member groups signed the 2015 Algiers peace agreement with the government.",
        # what someone is said to have done ("soll … übergeben haben") in an earlier year lies behind
        "Er soll 2018 Sprengstoff für einen Anschlag auf ein Treffen von Exil-Iranern bei Paris übergeben haben.",
        "The MFDC said last week that it had freed the 7 soldiers.",  # what was said then tells of then
    ],
)
def test_background_commits_nobody(text: str) -> None:
    assert history.is_background(text, 2025, lang(text))


@pytest.mark.parametrize(
    "text",
    [
        "Putin ordered a 30-day halt on March 18, 2025.",
        "Israel violated the 1974 disengagement agreement, Syria said.",  # the breach is today's, the deal old
        "The FDLR, linked to the 1994 genocide, must disarm within 90 days.",
        # a truce of a past year that is in force today
        "Die Waffenruhe zwischen Israel und der Hisbollah gilt seit dem 27. November 2024.",
        "The ceasefire between Israel and Hezbollah has been in force since November 27, 2024.",
        # a span from a past year into the page's
        "The summit gave the mission a final mandate, from 16 July 2024 to 15 July 2025, with every contingent to "
        "have left by the July deadline.",
        "Der Gipfel gab der Mission ein letztes Mandat vom 16. Juli 2024 bis zum 15. Juli 2025.",
        # a past time that dates the saying of a promise still ahead
        "The MFDC had said last week that the 7 soldiers would be set free on Monday.",
        "Die MFDC hatte vergangene Woche angekündigt, die 7 Soldaten sollten am Montag freikommen.",
    ],
)
def test_current_events_are_not_background(text: str) -> None:
    assert not history.is_background(text, 2025, lang(text))


@pytest.mark.parametrize(
    "text",
    [
        "Die Waffenruhe hatten Kongo und Ruanda Ende Juli in Luanda vereinbart; sie gilt seit dem 4. August.",
        "Congo and Rwanda had agreed the truce in Luanda in late July; it has been in force since 4 August.",
    ],
)
def test_an_agreement_told_in_the_pluperfect_that_holds_now_is_not_background(text: str) -> None:
    assert not history.is_background(text, 2024, lang(text))


def test_an_offer_told_with_a_speech_tag_is_an_offer_not_a_reaction() -> None:
    offer = "Russland biete der Führung in Kiew an, die Verhandlungen wieder aufzunehmen, wie er betonte."
    assert frames.status(offer, "de") == "proposed"
    assert frames.report_kind(offer, "de") is None
    assert frames.report_kind("Russia offered to resume the talks without preconditions, as he stressed.", "en") is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Statt einer Waffenruhe bietet er Verhandlungen an.", "de"),
        ("Instead of a ceasefire, Putin offered talks.", "en"),
    ],
)
def test_what_a_sentence_sets_aside_is_not_what_it_offers(text: str, lang: str) -> None:
    assert "ceasefire" not in frames.commitment_kinds(frames.split_conditions(text, lang), lang)


@pytest.mark.parametrize(
    ("text", "planned"),
    [
        ("Über eine Verlängerung wird derzeit beraten.", False),
        ("Über die Zukunft des Stützpunkts wird in Berlin noch beraten, hieß es.", False),
        ("The troops will stay for now while talks on a new agreement continue.", False),
        ("Über eine Verlängerung wird am Montag in Genf beraten.", True),
        ("The talks will resume on Monday in Geneva.", True),
        # a past time right after the talks word: held, not to come
        ("The leaders decided at their summit last August to give the mission a mandate to begin in July.", False),
        (
            "Die Staatschefs beschlossen beim Gipfel im vergangenen August, die Mission zu beenden, die am Montag "
            "enden soll.",
            False,
        ),
        # "under way" about the withdrawal, far from the talks word, leaves the talks alone
        (
            "Officials who have been meeting since Wednesday will meet again once the withdrawal, already under way, "
            "ends.",
            True,
        ),
    ],
)
def test_talks_under_way_are_no_talks_to_come(text: str, planned: bool) -> None:
    assert frames.talks_planned(norm(text), lang(text)) is planned


@pytest.mark.parametrize(
    "text",
    [
        "Israel hätte im Gegenzug für die sechs Geiseln mehr als 600 Häftlinge freilassen sollen.",
        "Israel should have freed more than 600 prisoners in return for the six hostages.",
        "The prisoners were to have been released on Saturday.",
    ],
)
def test_what_was_to_happen_and_did_not_is_no_promise(text: str) -> None:
    assert frames.status(text, lang(text)) is None


@pytest.mark.parametrize(
    "text",
    ["He did not say when talks with the coalition could begin.", "Er ließ offen, wann die Gespräche beginnen sollen."],
)
def test_a_time_left_open_states_no_promise(text: str) -> None:
    assert frames.status(text, lang(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "UN-led talks between the two sides on a new exchange have made little progress since last year.",
        "Die Gespräche über einen neuen Austausch kommen seit Monaten nicht voran.",
    ],
)
def test_a_swap_talks_are_about_is_no_swap_promised(text: str) -> None:
    assert "prisoner_exchange" not in frames.commitment_kinds(normalise(text, lang(text)), lang(text))
