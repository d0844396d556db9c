"""Party names to canonical English, and who fights whom."""

from __future__ import annotations

import pytest

from articles.conflicts import belligerents, conflict_of
from articles.entities import Mention, find_parties, head_index, leaders_in, resolve_heads
from tests.articles.language import lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Union government extended the truce", "India"),
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
        ("SSC-Khaatumo forces", "SSC-Khaatumo"),
        ("Puntland's minister", "Puntland"),
        ("the Barisan Revolusi Nasional", "Barisan Revolusi Nasional"),
        ("die BRN", "Barisan Revolusi Nasional"),
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
    assert list(dict.fromkeys(m.name for m in find_parties(text, lang(text)))) == [expected]


@pytest.mark.parametrize("text", ["us and them", "the UNESCO site", "a russet sky", "a roast turkey"])
def test_ordinary_words_are_no_parties(text: str) -> None:
    assert find_parties(text, lang(text)) == []


def test_city_as_a_place_is_no_party() -> None:
    assert find_parties("Talks were held in Moscow.", "en") == []
    assert [m.name for m in find_parties("Moscow said talks will follow.", "en")] == ["Russia"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Rebellen griffen Stellungen im Gebiet Masisi westlich von Goma an.", "de"),
        ("The rebels attacked army positions in the territory of Masisi west of Goma.", "en"),
    ],
)
def test_a_place_named_after_its_kind_of_area_is_no_party(text: str, language: str) -> None:
    """Masisi is a territory of North Kivu, and also the name of Botswana's president: here it is the place."""
    assert "Botswana" not in [m.name for m in find_parties(text, language)]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Former Nigerian President Olusegun Obasanjo told a news conference.", "en"),
        ("Der frühere nigerianische Präsident Olusegun Obasanjo sprach von einem Durchbruch.", "de"),
    ],
)
def test_a_past_office_names_a_person_not_the_state(text: str, language: str) -> None:
    """Obasanjo speaks for the African Union he mediates for; Nigeria, whose president he was, is no party."""
    assert [m.name for m in find_parties(text, language)] == ["African Union"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Rangers opened fire on posts in the Ramgarh sector, the BSF said.", "en", ["India"]),
        ("The Border Security Force said its troops had responded.", "en", ["India"]),
        ("Die Übergabe sei friedlich abgelaufen, teilte die BSF mit.", "de", ["India"]),
    ],
)
def test_a_state_border_guard_speaks_for_its_state(text: str, language: str, expected: list[str]) -> None:
    assert [m.name for m in find_parties(text, language)] == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # before the group named next: the group acts
        ("The Colombian guerrilla group ELN freed six soldiers on Tuesday.", "en", ["National Liberation Army"]),
        ("The Lebanese militant group Hezbollah fired rockets.", "en", ["Hezbollah"]),
        ("Die kolumbianische Guerillaorganisation ELN ließ sechs Soldaten frei.", "de", ["National Liberation Army"]),
        ("Die palästinensische Terrororganisation Hamas ließ drei Geiseln frei.", "de", ["Hamas"]),
        # before a place it names: where, not who
        ("Drones struck the Sudanese city of El Fasher overnight.", "en", []),
        ("Russian missiles hit the Ukrainian capital.", "en", ["Russia"]),
        ("Die kolumbianische Karibikstadt Barranquilla hofft auf Ruhe.", "de", []),
        # a state's adjective on its own forces stays that state, beside the group named after them
        ("Israeli forces and Hamas agreed to a truce.", "en", ["Israel", "Hamas"]),
        ("The Sudanese army retook the town.", "en", ["Sudanese Armed Forces"]),
    ],
)
def test_a_states_adjective_that_describes_the_group_or_place_named_next_is_no_party(
    text: str, language: str, expected: list[str]
) -> None:
    assert [m.name for m in find_parties(text, language)] == expected


def test_leaders_in_order_of_mention() -> None:
    assert leaders_in("Putin spoke with Trump; Selenskyj was not on the call.", "en") == [
        "Russia",
        "United States",
        "Ukraine",
    ]


def test_german_names_in_an_english_leader_list_are_kept_per_language() -> None:
    assert [m.name for m in find_parties("Selenskyj und Putin", "de")] == ["Ukraine", "Russia"]


def test_an_unknown_armed_group_is_kept_under_its_own_name() -> None:
    names = [m.name for m in find_parties("The Kachin Independence Army and the junta agreed a truce.", "en")]
    assert "Kachin Independence Army" in names


_FACTIONS, _GANGS = ["Kusasi", "Mamprusi"], ["Los Costeños", "Los Pepes"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("The king will meet the feuding Kusasi and Mamprusi factions in Kumasi.", "en", _FACTIONS),
        ("Die verfeindeten Gruppen «Kusasi» und «Mamprusi» wollen sich nicht mehr bekämpfen.", "de", _FACTIONS),
        # ... or quoted, each after its article
        ('The leaders of the "Los Costeños" and the "Los Pepes" signed a statement.', "en", _GANGS),
        # ... or after their head noun, right before or in an apposition
        ("Buenaventura gangs Shottas and Espartanos agree a truce.", "en", ["Shottas", "Espartanos"]),
        (
            "The two armed gangs that have fought for the port for three years, the Shottas and the Espartanos, "
            "have agreed a truce.",
            "en",
            ["Shottas", "Espartanos"],
        ),
        ('Die Anführer der "Los Costeños" und der "Los Pepes" unterzeichneten eine Erklärung.', "de", _GANGS),
    ],
)
def test_two_unknown_names_sharing_one_head_noun_or_quoted_are_two_parties(
    text: str, language: str, expected: list[str]
) -> None:
    assert [m.name for m in find_parties(text, language)] == expected


def test_mediators_are_not_bound_by_a_halt() -> None:
    context = conflict_of(["Russia", "Ukraine", "Russia", "United States"])
    assert belligerents(("United States", "Russia"), context) == ("Russia",)
    assert belligerents(("Russia", "Ukraine", "United States"), context) == ("Russia", "Ukraine")
    assert belligerents(("Israel", "Hamas", "Qatar"), None) == ("Israel", "Hamas")


def test_a_fighter_of_a_neighbouring_conflict_is_bound_by_its_own_pause() -> None:
    """A story of the junta and the ethnic armies: the shadow government's pause binds the shadow government, which
    fights the junta too; a state that fights one side elsewhere is still who announced a truce of others."""
    context = conflict_of(["Myanmar military", "Ta'ang National Liberation Army", "Myanmar military"])
    assert belligerents(("National Unity Government",), context) == ("National Unity Government",)
    iran = conflict_of(["Israel", "Iran", "Israel", "Iran"])
    assert belligerents(("United States",), iran) == ()


def _resolved(body: str, sentence: str, language: str) -> list[Mention]:
    """The sentence's mentions, each bare head noun read against the page it stands on."""
    index = head_index(body, find_parties(body, language), language)
    return resolve_heads(sentence, find_parties(sentence, language), index, language)


@pytest.mark.parametrize(
    ("body", "sentence", "expected"),
    [
        # the page's only armed group
        (
            "Colombia and the ELN agreed a truce. The army said so.",
            "Hours after the guerrilla group denied it.",
            ["ELN"],
        ),
        # two armed groups: "the group" could be either
        ("The M23 and Wazalendo fighters clashed.", "The group did not say when it would leave.", []),
        # a noun that names anything: the page's "Wazalendo group" does not make "the group" Wazalendo
        ("The M23 and the Wazalendo group clashed.", "The group did not say when it would leave.", []),
    ],
)
def test_a_bare_class_noun_stands_for_the_one_party_of_its_class(body: str, sentence: str, expected: list[str]) -> None:
    found = _resolved(body, sentence, "en")
    assert [m.alias for m in found if m.alias in {"group"}] == ["group"] * len(expected)
    assert [m.name for m in found] == [{"ELN": "National Liberation Army"}.get(n, n) for n in expected]


@pytest.mark.parametrize(
    ("language", "body", "sentence", "expected"),
    [
        # a mission named once by its short name: "the mission", "the peacekeepers" are its organisation
        (
            "en",
            "Mali asked MINUSMA to leave without delay.",
            "Under the resolution the mission must be gone by 31 December.",
            ["United Nations"],
        ),
        ("en", "UNIFIL counts some 10,000 troops.", "The peacekeepers will leave within a year.", ["United Nations"]),
        (
            "de",
            "Die Regionaltruppe der Ostafrikanischen Gemeinschaft (EAC) zieht ab.",
            "Ein Sprecher der Truppe bestätigte den Abflug.",
            ["East African Community"],
        ),
        # two organisations on the page: the mission could be either's
        ("en", "The UN and the African Union both keep troops there.", "The mission will leave.", []),
        # a bare "force" on a page without an organisation stands for nobody
        ("en", "Russia and Ukraine agreed a truce.", "The force of the blast was felt far away.", []),
    ],
)
def test_a_bare_mission_stands_for_the_one_organisation_of_the_page(
    language: str, body: str, sentence: str, expected: list[str]
) -> None:
    assert [m.name for m in _resolved(body, sentence, language)] == expected


@pytest.mark.parametrize(
    ("language", "body", "sentence", "expected"),
    [
        # one side of the story's conflict is a state: its armed forces, as the lists name them
        (
            "en",
            "Fighting between the army and the RSF went on in Sudan.",
            "The army said it had repelled them.",
            ["Sudanese Armed Forces"],
        ),
        (
            "de",
            "Im Sudan kämpfen die Armee und die RSF um die Macht.",
            "Die Armee wirft der Miliz Verstöße vor.",
            ["Sudanese Armed Forces"],
        ),
        # a state without forces of its own in the lists: the state
        ("en", "Colombia and the ELN agreed a truce.", "The army said it had come under fire.", ["Colombia"]),
        # states against states: the army could be either
        ("en", "India and Pakistan agreed to stop firing.", "The army said the night was calm.", []),
    ],
)
def test_a_bare_army_stands_for_the_one_state_side_of_the_conflict(
    language: str, body: str, sentence: str, expected: list[str]
) -> None:
    assert [m.name for m in _resolved(body, sentence, language) if m.alias in {"army", "armee"}] == expected
