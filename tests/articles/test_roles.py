"""Who commits, speaks, accuses or is accused in a sentence."""

from __future__ import annotations

import pytest

from articles.entities import find_parties
from articles.roles import Roles, roles
from tests.articles.language import lang


def parts(text: str) -> Roles:
    return roles(text, language=lang(text))


def test_speakers_and_mediators_do_not_commit() -> None:
    found = parts("Sudan's army and the RSF signed a truce, Saudi Arabia and the United States said in a statement.")
    assert found.actors == ("Sudanese Armed Forces", "Rapid Support Forces")
    assert found.speakers == ("Saudi Arabia", "United States")
    found = parts("Israel and Hamas agreed to a truce, mediators Qatar, Egypt and the United States announced.")
    assert found.actors == ("Israel", "Hamas")


def test_addressees_owners_and_recipients_do_not_commit() -> None:
    assert parts("Putin told Donald Trump he ordered a halt to strikes on Ukraine's energy grid.").actors == ("Russia",)
    assert parts("Moskau will 23 verwundete ukrainische Soldaten an Kiew übergeben.").actors == ("Russia",)
    text = "Nach dem Telefonat mit US-Präsident Donald Trump hat Kremlchef Wladimir Putin den Stopp befohlen."
    assert parts(text).actors == ("Russia",)


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # a country named as the place does not commit
        pytest.param(
            "Im Norden des Jemen haben die Huthis am Freitag fünf Seeleute freigelassen.", ("Houthis",), id="place-de"
        ),
        pytest.param("In the north of Yemen, the Houthis freed five sailors on Friday.", ("Houthis",), id="place-en"),
        # an institution in a country is that country
        pytest.param(
            "Die Militärführung in Myanmar hat ihre einseitige Waffenruhe um ein weiteres Jahr verlängert.",
            ("Myanmar",),
            id="institution-de",
        ),
        pytest.param(
            "The military leadership in Myanmar has extended its unilateral ceasefire by another year.",
            ("Myanmar",),
            id="institution-en",
        ),
        # the agent of a passive act commits, and the people it frees do not
        pytest.param(
            "Two Austrian-Iranian dual nationals and a Danish citizen were freed by the authorities in Tehran today.",
            ("Iran",),
            id="passive-agent-en",
        ),
        pytest.param(
            "Zwei österreichische Doppelstaatsbürger wurden am Freitag von den iranischen Behörden freigelassen.",
            ("Iran",),
            id="passive-agent-de",
        ),
        # the country left is where from, not who
        pytest.param("YPG fighters will leave Syria by June.", ("YPG",), id="left-en"),
        pytest.param("Die Kämpfer der Wagner-Gruppe haben Mali verlassen.", ("Wagner Group",), id="left-de"),
    ],
)
def test_who_commits_beside_places_institutions_and_passives(text: str, actors: tuple[str, ...]) -> None:
    assert parts(text).actors == actors


def test_between_names_the_bound_sides_not_the_proposer() -> None:
    assert parts("the 30-day ceasefire between Russia and Ukraine that Washington proposed").actors == (
        "Russia",
        "Ukraine",
    )
    assert parts("Die von Washington vorgeschlagene Waffenruhe zwischen Russland und der Ukraine").actors == (
        "Russia",
        "Ukraine",
    )


def test_whose_attacks_stop_is_who_commits() -> None:
    assert parts("Das Moratorium für russische Angriffe auf die Energieinfrastruktur gilt.").actors == ("Russia",)


def test_accuser_and_accused() -> None:
    found = parts("Kyiv accused Moscow of breaching the moratorium Putin ordered.")
    assert (found.accusers, found.accused) == (("Ukraine",), ("Russia",))
    found = parts("Das russische Verteidigungsministerium beschuldigte die Ukraine, ein Öllager angegriffen zu haben.")
    assert (found.accusers, found.accused) == (("Russia",), ("Ukraine",))
    found = parts("Damit habe Moskau gegen das Moratorium verstoßen, erklärte Präsident Selenskyj.")
    assert (found.accusers, found.accused) == (("Ukraine",), ("Russia",))


def test_a_german_speaker_in_a_clause_of_wie_before_its_verb() -> None:
    found = parts("Die Hamas übergab drei Geiseln an das Rote Kreuz, wie die israelische Armee mitteilte.")
    assert found.speakers == ("Israel",)
    assert found.actors == ("Hamas",)


def test_an_accusing_participle_after_a_comma_accuses_as_the_main_clauses_subject() -> None:
    text = (
        "The Houthis, in a statement on Saturday, told a different story, accusing Saudi-led coalition aircraft of "
        "striking their positions near Marib."
    )
    found = parts(text)
    assert found.accusers == ("Houthis",)
    assert "Houthis" not in found.accused


def test_in_the_german_perfect_the_accused_stands_between_auxiliary_and_participle() -> None:
    found = parts("Die Regierung in Afghanistan hat Pakistan vorgeworfen, die Feuerpause gebrochen zu haben.")
    assert (found.accusers, found.accused) == (("Afghanistan",), ("Pakistan",))


def test_inverted_german_speaker() -> None:
    assert parts("Die Feuerpause soll am Freitag beginnen, teilte der Kreml mit.").speakers == ("Russia",)
    assert parts("Nach Angaben aus Moskau hatte das Militär Drohnen abgeschossen.").speakers == ("Russia",)
    # the speaker named further into the clause than the verb's first words; a place there is no speaker
    late = (
        '"Es wurden 25 Militärangehörige zurückgeholt", hieß es in einer auf Telegram verbreiteten Mitteilung des '
        "russischen Verteidigungsministeriums."
    )
    assert parts(late).speakers == ("Russia",)
    # a source named inside "nach chinesischen Angaben" speaks; the clause around it does not
    inside = "Im Norden haben sich Armee und Rebellen nach chinesischen Angaben auf eine Feuerpause verständigt."
    assert parts(inside).speakers == ("China",)
    placed = "Der Plan sei gut, teilte das Verhandlungsteam am Dienstag in der jordanischen Hauptstadt mit."
    assert parts(placed).speakers == ()
    # a time opens the sentence, the verb comes second and the speaker after it
    assert parts("Wenige Stunden später meldete sich das russische Verteidigungsministerium zu Wort.").speakers == (
        "Russia",
    )
    assert parts("Am Dienstag sagte der Kreml, die Waffenruhe gelte.").speakers == ("Russia",)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # the accuser stands before a relative clause that names whom it mediates between
        ("Angola, which mediates between Congo and Rwanda, accused the M23 of breaking the truce.", "en"),
        ("Angola, das zwischen Kongo und Ruanda vermittelt, warf der M23 einen Bruch der Waffenruhe vor.", "de"),
        # whose act was called a violation stands between the verb and the word
        ("Angola called the capture of the village by the M23 on Sunday a violation of the truce.", "en"),
        ('Angola bezeichnete die Einnahme des Dorfes durch die M23 am Sonntag als "eklatante Verletzung".', "de"),
    ],
)
def test_who_accuses_whom_around_a_relative_clause_or_a_called_act(text: str, language: str) -> None:
    found = roles(text, find_parties(text, language), language)
    assert (found.accusers, found.accused) == (("Angola",), ("M23",))


@pytest.mark.parametrize(
    ("text", "counterpart"),
    [
        ("Colombia said the bilateral ceasefire with the EMC will last until 30 June.", "Estado Mayor Central"),
        ("Israel hat die Waffenruhe mit der Hamas verlängert.", "Hamas"),
    ],
)
def test_the_party_a_truce_is_made_with_is_its_other_side(text: str, counterpart: str) -> None:
    found = parts(text)
    assert counterpart not in found.actors  # bound or not: the extractor decides by the kind of promise
    assert found.counterparts == (counterpart,)


def test_a_person_talks_are_held_with_is_no_side() -> None:
    found = parts("Galant setzte seine Gespräche mit Ressortchef Lloyd Austin fort.")
    assert found.counterparts == ()


@pytest.mark.parametrize(
    "text",
    [
        "Russland und die Ukraine haben unter türkischer Vermittlung eine Waffenruhe vereinbart.",
        "Russia and Ukraine agreed a truce under Turkish mediation.",
        "Russia and Ukraine agreed a Turkish-brokered truce.",
    ],
)
def test_who_mediates_by_an_adjective_does_not_commit(text: str) -> None:
    assert parts(text).actors == ("Russia", "Ukraine")
