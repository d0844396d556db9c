"""Party names to canonical English, and who commits, speaks, accuses or is accused in a sentence."""

from __future__ import annotations

import pytest

from articles.parties import find_parties, leaders_in, roles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Kremlin", "Russia"),
        ("Moscow said", "Russia"),
        ("Vladimir Putin", "Russia"),
        ("Kremlchef Wladimir Putin", "Russia"),
        ("Moskau", "Russia"),
        ("Russland", "Russia"),
        ("russische Truppen", "Russia"),
        ("Russian forces", "Russia"),
        ("Kyiv", "Ukraine"),
        ("Kiev", "Ukraine"),
        ("Kiew", "Ukraine"),
        ("Zelensky", "Ukraine"),
        ("Selenskyj", "Ukraine"),
        ("Ukrainian officials", "Ukraine"),
        ("the White House", "United States"),
        ("Washington", "United States"),
        ("Trump", "United States"),
        ("das Weiße Haus", "United States"),
        ("US-Präsident", "United States"),
        ("the U.S.", "United States"),
        ("die Hisbollah-Miliz", "Hezbollah"),
        ("Hezbollah", "Hezbollah"),
        ("Israel", "Israel"),
        ("Hamas", "Hamas"),
        ("Katar", "Qatar"),
        ("Qatar's foreign ministry", "Qatar"),
        ("Ägypten", "Egypt"),
        ("Saudi-Arabien", "Saudi Arabia"),
        ("die Türkei", "Turkey"),
        ("Sudan's army", "Sudanese Armed Forces"),
        ("the Sudanese army", "Sudanese Armed Forces"),
        ("the RSF", "Rapid Support Forces"),
        ("the Rapid Support Forces", "Rapid Support Forces"),
    ],
)
def test_names_are_canonical_english(text: str, expected: str) -> None:
    assert list(dict.fromkeys(m.name for m in find_parties(text))) == [expected]


@pytest.mark.parametrize("text", ["us and them", "the UNESCO site", "a russet sky", "Sudanese refugees said"])
def test_ordinary_words_are_no_parties(text: str) -> None:
    assert find_parties(text) == []


def test_city_as_a_place_is_no_party() -> None:
    assert find_parties("Talks were held in Moscow.") == []
    assert [m.name for m in find_parties("Moscow said talks will follow.")] == ["Russia"]


def test_speakers_and_mediators_do_not_commit() -> None:
    parts = roles("Sudan's army and the RSF signed a truce, Saudi Arabia and the United States said in a statement.")
    assert parts.actors == ("Sudanese Armed Forces", "Rapid Support Forces")
    assert parts.speakers == ("Saudi Arabia", "United States")
    parts = roles("Israel and Hamas agreed to a truce, mediators Qatar, Egypt and the United States announced.")
    assert parts.actors == ("Israel", "Hamas")


def test_addressees_owners_and_recipients_do_not_commit() -> None:
    assert roles("Putin told Donald Trump he ordered a halt to strikes on Ukraine's energy grid.").actors == ("Russia",)
    assert roles("Moskau will 23 verwundete ukrainische Soldaten an Kiew übergeben.").actors == ("Russia",)
    text = "Nach dem Telefonat mit US-Präsident Donald Trump hat Kremlchef Wladimir Putin den Stopp befohlen."
    assert roles(text).actors == ("Russia",)


def test_between_names_the_bound_sides_not_the_proposer() -> None:
    assert roles("the 30-day ceasefire between Russia and Ukraine that Washington proposed").actors == (
        "Russia",
        "Ukraine",
    )
    assert roles("Die von Washington vorgeschlagene Waffenruhe zwischen Russland und der Ukraine").actors == (
        "Russia",
        "Ukraine",
    )


def test_whose_attacks_stop_is_who_commits() -> None:
    assert roles("Das Moratorium für russische Angriffe auf die Energieinfrastruktur gilt.").actors == ("Russia",)


def test_accuser_and_accused() -> None:
    parts = roles("Kyiv accused Moscow of breaching the moratorium Putin ordered.")
    assert (parts.accusers, parts.accused) == (("Ukraine",), ("Russia",))
    parts = roles("Das russische Verteidigungsministerium beschuldigte die Ukraine, ein Öllager angegriffen zu haben.")
    assert (parts.accusers, parts.accused) == (("Russia",), ("Ukraine",))
    parts = roles("Damit habe Moskau gegen das Moratorium verstoßen, erklärte Präsident Selenskyj.")
    assert (parts.accusers, parts.accused) == (("Ukraine",), ("Russia",))


def test_inverted_german_speaker() -> None:
    assert roles("Die Feuerpause soll am Freitag beginnen, teilte der Kreml mit.").speakers == ("Russia",)
    assert roles("Nach Angaben aus Moskau hatte das Militär Drohnen abgeschossen.").speakers == ("Russia",)


def test_leaders_in_order_of_mention() -> None:
    assert leaders_in("Putin spoke with Trump; Selenskyj was not on the call.") == [
        "Russia",
        "United States",
        "Ukraine",
    ]
