"""Attacks told as breaches of a truce: who claims them, who is accused, and whether the truce had begun, also when
the story says when it began only later on."""

from __future__ import annotations

from datetime import date

import pytest

from tests.articles.test_extract_text import article

STAMP = "Stand: 31.10.2025 08:45 Uhr"
TRUCE = "Pakistan und Afghanistan hatten am 19. Oktober in Doha eine Waffenruhe vereinbart."
CLASH = (
    "Die Taliban-Behörden in Kandahar stellten es umgekehrt dar: Der Beschuss sei von pakistanischer Seite ausgegangen."
)


def breaches(*paragraphs: str) -> list[tuple[tuple[str, ...], str | None, date | None]]:
    found = article(STAMP, *paragraphs)
    return [(r.accused, r.claimed_by, r.date) for r in found.reports if r.kind == "violation"]


def test_who_stands_before_the_colon_claims_the_attack_told_after_it() -> None:
    assert breaches(TRUCE, CLASH) == [(("Pakistan",), "Afghanistan", date(2025, 10, 31))]


def test_an_attack_told_before_the_story_dates_the_truce_is_judged_once_it_has() -> None:
    undated = "Pakistan und Afghanistan wollen ihre Waffenruhe fortsetzen, teilten die Vermittler mit."
    later = "Die Waffenruhe war am 19. Oktober in Doha vereinbart worden."
    assert breaches(undated, CLASH, later) == [(("Pakistan",), "Afghanistan", date(2025, 10, 31))]
    # never dated: a truce the story tells of as standing began by the day of the page at the latest, so an attack
    # of that day breaks it, and one of an earlier day may have come before it
    assert breaches(undated, CLASH) == [(("Pakistan",), "Afghanistan", date(2025, 10, 31))]
    earlier = CLASH.replace("Der Beschuss sei", "Der Beschuss am Montag sei")
    assert breaches(undated, earlier) == []


def test_an_attack_told_before_the_story_names_any_truce_is_a_breach_once_it_has() -> None:
    assert breaches(CLASH, TRUCE) == [(("Pakistan",), "Afghanistan", date(2025, 10, 31))]
    assert breaches(CLASH) == []  # no truce told at all: a story of the war
    earlier = CLASH.replace("Der Beschuss sei", "Der Beschuss am 15. Oktober sei")
    assert breaches(earlier, TRUCE) == []  # before the truce began


@pytest.mark.parametrize(
    ("stamp", "truce", "attack", "expected"),
    [
        (
            "Published 12 November 2025, 17:26 CET",
            "The ceasefire Thailand and Cambodia signed in Kuala Lumpur is in danger.",
            "Thai soldiers fired on villagers in Prey Chan on Wednesday afternoon, Cambodia's information ministry "
            "said.",
            (("Thailand",), "Cambodia", date(2025, 11, 12)),
        ),
        (
            STAMP,
            "Zwei Wochen nach der Unterzeichnung steht die Waffenruhe zwischen Thailand und Kambodscha auf der Kippe.",
            "Thailändische Soldaten hätten am Freitag ohne Vorwarnung auf Zivilisten geschossen, teilte das "
            "kambodschanische Informationsministerium mit.",
            (("Thailand",), "Cambodia", date(2025, 10, 31)),
        ),
    ],
)
def test_a_sides_fighters_who_fire_are_accused_by_the_side_that_tells_of_it(
    stamp: str, truce: str, attack: str, expected: tuple[tuple[str, ...], str, date]
) -> None:
    found = article(stamp, truce, attack)
    assert [(r.accused, r.claimed_by, r.date) for r in found.reports if r.kind == "violation"] == [expected]


SUDAN_TRUCE = (
    "Published 21 April 2023, 18:00 GMT",
    "Sudan's army and the Rapid Support Forces agreed to a three-day truce from 6 a.m. on Friday.",
    "The RSF has issued a second statement this afternoon.",
)


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(
            (
                "Published 25 June 2025, 18:00 GMT",
                "Israel and Iran agreed to a ceasefire that took effect on Tuesday, after twelve days of war.",
                "Israel said its air force had stopped its operations over Iran; Iran said it would answer any Israeli "
                "attack.",
                "Trump compared the US strikes on Fordo and Natanz to the end of the Second World War, Iranian media "
                "said.",
            ),
            id="an attack by one bound by no truce of the story",
        ),
        pytest.param(
            (*SUDAN_TRUCE, "Aircraft carried out air strikes on Kafouri after the truce had begun, it says."),
            id="an attacker not named, and not on the claimant's own positions",
        ),
        pytest.param(
            (
                "Stand: 18.09.2023 19:26 Uhr",
                "Iran und die USA haben am Montag je fünf Gefangene ausgetauscht; Katar hatte den Austausch "
                "vermittelt.",
                "Im Gegenzug ließen die USA fünf Iraner frei, die wegen Verstößen gegen Sanktionen verurteilt worden "
                "waren.",
            ),
            id="a breach of a law",
        ),
        pytest.param(
            (
                "Published 26 June 2023, 21:00 CEST",
                "Serbia and Kosovo agreed on a ceasefire along the boundary line on Friday.",
                "Kurti said the abduction of the three officers was a grave violation of human rights.",
            ),
            id="a breach of rights",
        ),
        pytest.param(
            (
                "Stand: 08.05.2025 21:52 Uhr",
                "Seit Mitternacht Moskauer Zeit gilt die von Putin angeordnete einseitige Waffenruhe.",
                "US-Präsident Donald Trump hat Russland und die Ukraine zu einer bedingungslosen Waffenruhe von 30 "
                "Tagen aufgerufen. Werde diese nicht eingehalten, würden die USA und ihre Partner weitere Sanktionen "
                "verhängen, schrieb Trump.",
            ),
            id="a breach supposed",
        ),
        pytest.param(
            (
                "Published 8 May 2025, 21:52 GMT",
                "Putin's unilateral ceasefire has been in force since midnight.",
                "Had the truce been broken, Washington would have imposed sanctions, Trump wrote.",
            ),
            id="a breach supposed, in English",
        ),
    ],
)
def test_what_breaks_no_promise_of_the_story_is_no_breach(page: tuple[str, ...]) -> None:
    assert [r for r in article(*page).reports if r.kind == "violation"] == []


def test_a_breach_of_the_truce_and_of_a_law_breaks_the_truce_and_a_rights_group_may_claim_it() -> None:
    both = "Damascus called the shelling of Afrin a violation of the ceasefire and of international law."
    group = "The Syrian Observatory for Human Rights said government forces violated the truce on Friday."
    page = ("Published 22 March 2025, 18:00 GMT", "The Syrian government and the SDF agreed on a truce on 10 March.")
    assert [r.kind for r in article(*page, both).reports] == ["violation"]
    assert [r.kind for r in article(*page, group).reports] == ["violation"]


def test_a_claim_without_a_day_happened_on_the_day_its_paragraph_named_just_before() -> None:
    shots = (
        "Noch am Dienstag eröffneten afghanische Grenzposten das Feuer auf pakistanische Stellungen, sagte ein "
        "Sprecher der Provinzregierung."
    )
    tuesday, friday = date(2025, 10, 28), date(2025, 10, 31)
    assert breaches(TRUCE, f"{shots} {CLASH}") == [(("Pakistan",), "Afghanistan", tuesday)]
    # a paragraph of its own tells of its own day: the publication's, when it names none
    assert breaches(TRUCE, shots, CLASH) == [(("Pakistan",), "Afghanistan", friday)]


def test_a_claim_without_a_day_happened_on_the_day_the_next_sentence_of_its_paragraph_names() -> None:
    tuesday, friday = date(2025, 10, 28), date(2025, 10, 31)
    said = "Das teilte ein Sprecher der Provinzregierung am Dienstag in Quetta mit."
    assert breaches(TRUCE, f"{CLASH} {said}") == [(("Pakistan",), "Afghanistan", tuesday)]
    # only the very next sentence: one further on tells of something else
    aside = "Die Grenze blieb geschlossen."
    assert breaches(TRUCE, f"{CLASH} {aside} {said}") == [(("Pakistan",), "Afghanistan", friday)]


def test_the_day_a_claim_was_confirmed_on_is_not_the_day_of_the_shots_it_tells_of() -> None:
    confirmed = (
        "Das Verteidigungsministerium in Islamabad bestätigte am Donnerstag, dass afghanische Grenzposten am "
        "Dienstag das Feuer auf pakistanische Stellungen eröffnet hätten."
    )
    assert breaches(TRUCE, confirmed) == [(("Afghanistan",), "Pakistan", date(2025, 10, 28))]


def test_a_day_long_before_the_publication_dates_no_later_claim_of_its_paragraph() -> None:
    old = "Am 19. Oktober hatten beide Seiten in Doha eine Waffenruhe vereinbart."
    assert breaches(f"{old} {CLASH}") == [(("Pakistan",), "Afghanistan", date(2025, 10, 31))]


def test_a_denial_without_a_day_answers_on_the_day_its_paragraph_named() -> None:
    found = article(
        "Published 26 June 2025, 18:00 GMT",
        "Israel and Iran agreed to a ceasefire that took effect early on Tuesday, after twelve days of war.",
        "Israel accused Iran on Tuesday of firing missiles after the truce began. Iran denied firing any missile.",
    )
    assert [(r.claimed_by, r.date) for r in found.reports if r.kind == "denial"] == [("Iran", date(2025, 6, 24))]


def test_a_violation_in_a_story_of_talks_alone_breaks_no_promise() -> None:
    found = article(
        "Published 22 January 2024, 18:40 GMT",
        "Pakistan and Iran agreed on Monday to hold talks in Islamabad on January 29, a week after exchanging strikes.",
        "Islamabad said two children were killed and called the Iranian strikes a violation of its airspace.",
    )
    assert [r.kind for r in found.reports if r.kind in {"violation", "compliance"}] == []
    assert [c.kind for c in found.commitments] == ["negotiations"]


def test_an_attack_on_the_claimants_own_positions_is_blamed_on_the_other_side() -> None:
    own = "Army aircraft carried out air strikes on its positions in Kafouri after the truce had begun, it says."
    found = article(*SUDAN_TRUCE, own)
    assert [(r.accused, r.claimed_by) for r in found.reports if r.kind == "violation"] == [
        (("Sudanese Armed Forces",), "Rapid Support Forces")
    ]


def test_two_accusations_set_against_each_other_in_one_sentence_are_two_claims_of_one_day() -> None:
    found = article(
        "Published 20 September 2022, 12:00 GMT",
        "Kyrgyzstan and Tajikistan agreed on Friday that the guns would fall silent from 4 p.m. that day.",
        "The Kyrgyz border service said on Saturday that Tajik forces had kept shelling villages in Batken overnight, "
        "while Dushanbe blamed Kyrgyz troops for firing on Tajik border posts on the same day.",
    )
    saturday = date(2022, 9, 17)
    assert sorted((r.claimed_by, r.accused, r.date) for r in found.reports if r.kind == "violation") == [
        ("Kyrgyzstan", ("Tajikistan",), saturday),
        ("Tajikistan", ("Kyrgyzstan",), saturday),
    ]


@pytest.mark.parametrize(
    ("stamp", "truce", "sentence"),
    [
        (
            "Published 26 June 2025, 12:00 GMT",
            "Israel and Iran agreed to a ceasefire that took effect early on Tuesday.",
            "On Tuesday, Israel accused Iran of firing missiles after the truce began, a charge Tehran denied.",
        ),
        (
            "Stand: 26.06.2025 12:00 Uhr",
            "Israel und Iran hatten eine Waffenruhe vereinbart, die am Dienstag in Kraft trat.",
            "Am Dienstag warf Israel dem Iran vor, nach Beginn der Waffenruhe Raketen abgefeuert zu haben, was Teheran "
            "zurückwies.",
        ),
    ],
)
def test_an_accusation_with_its_rebuttal_in_apposition_is_a_claim_and_a_denial_of_its_day(
    stamp: str, truce: str, sentence: str
) -> None:
    found = article(stamp, truce, sentence)
    tuesday = date(2025, 6, 24)
    assert sorted((r.kind, r.claimed_by, r.accused, r.date) for r in found.reports) == [
        ("denial", "Iran", (), tuesday),
        ("violation", "Israel", ("Iran",), tuesday),
    ]


def test_each_accusing_the_other_names_only_the_sides_not_the_host_of_the_deal() -> None:
    found = article(
        "Published 10 November 2025, 11:48 GMT",
        "Thailand and Cambodia agreed to a ceasefire in Malaysia on July 28.",
        "The truce agreed in Malaysia has largely held, though Thailand and Cambodia have accused each other of "
        "breaking it on Sunday.",
    )
    pairs = {(r.accused, r.claimed_by) for r in found.reports if r.kind == "violation"}
    assert pairs == {(("Cambodia",), "Thailand"), (("Thailand",), "Cambodia")}


@pytest.mark.parametrize(
    "sentence",
    [
        "The truce has largely held, though Thailand and Cambodia have repeatedly accused each other of breaking it.",
        "Thailand und Kambodscha warfen einander seither immer wieder Verstöße gegen die Waffenruhe vor.",
    ],
)
def test_accusations_that_keep_coming_are_no_claim_made_on_a_day(sentence: str) -> None:
    stamp = "Stand: 10.11.2025 11:48 Uhr" if "Waffenruhe" in sentence else "Published 10 November 2025, 11:48 GMT"
    truce = (
        "Thailand und Kambodscha hatten am 28. Juli eine Waffenruhe vereinbart."
        if "Waffenruhe" in sentence
        else "Thailand and Cambodia agreed to a ceasefire on July 28."
    )
    assert [r for r in article(stamp, truce, sentence).reports if r.kind == "violation"] == []


@pytest.mark.parametrize(
    ("stamp", "sentences"),
    [
        (
            "Published 10 November 2025, 11:48 GMT",
            (
                "Thailand and Cambodia agreed to a ceasefire on July 28.",
                "Cambodia has consistently rejected the accusations.",
            ),
        ),
        (
            "Stand: 10.11.2025 11:48 Uhr",
            (
                "Thailand und Kambodscha hatten am 28. Juli eine Waffenruhe vereinbart.",
                "Kambodscha hatte die Vorwürfe stets als haltlos zurückgewiesen.",
            ),
        ),
    ],
)
def test_a_denial_that_was_always_made_is_no_claim_made_on_a_day(stamp: str, sentences: tuple[str, str]) -> None:
    assert [r for r in article(stamp, *sentences).reports if r.kind == "denial"] == []


def test_a_unilateral_truce_is_not_the_ceasefire_signed_with_the_other_side() -> None:
    found = article(
        "Published 22 April 2025, 16:20 GMT",
        "The Kokang rebels and Myanmar's military signed a bilateral ceasefire in Kunming in January.",
        "Separately, Myanmar's military said on Tuesday that it would extend until April 30 the unilateral truce it "
        "declared after the earthquake.",
    )
    ceasefires = {str(c.end): c.actors for c in found.commitments if c.kind == "ceasefire"}
    assert sorted(ceasefires) == ["2025-04-30", "None"]  # two promises, not one
    assert ceasefires["2025-04-30"] == ("Myanmar military",)


def test_the_war_s_own_start_is_no_attack_and_denying_involvement_answers_the_claim_before() -> None:
    found = article(
        STAMP,
        TRUCE,
        "Seit Beginn der Kämpfe sind nach Angaben Pakistans mehr als 14.000 Menschen geflohen.",
        CLASH,
        "Pakistan wies jede Beteiligung zurück.",
    )
    assert [(r.kind, r.claimed_by) for r in found.reports] == [("violation", "Afghanistan"), ("denial", "Pakistan")]


@pytest.mark.parametrize(
    ("history", "attack", "expected"),
    [
        (
            "Armenien und Aserbaidschan werfen einander seit 2020 immer wieder Verstöße gegen die damals vereinbarte "
            "Waffenruhe vor.",
            "Aserbaidschanische Soldaten hätten am Sonntag auf armenische Stellungen geschossen, teilte das "
            "Verteidigungsministerium in Eriwan mit.",
            [(("Azerbaijan",), "Armenia", date(2025, 10, 26))],
        ),
        # the truce stands between other sides than the one accused: no breach of it
        (
            "Armenien und Aserbaidschan werfen einander seit 2020 immer wieder Verstöße gegen die damals vereinbarte "
            "Waffenruhe vor.",
            "Russische Drohnen hätten am Sonntag Kiew angegriffen, teilte die ukrainische Luftwaffe mit.",
            [],
        ),
        # a truce only asked for stands nowhere
        (
            "Die Sprecherin rief Armenien und Aserbaidschan zu einer Waffenruhe auf.",
            "Aserbaidschanische Soldaten hätten am Sonntag auf armenische Stellungen geschossen, teilte das "
            "Verteidigungsministerium in Eriwan mit.",
            [],
        ),
    ],
)
def test_an_attack_breaks_a_truce_the_story_tells_of_as_standing_only_as_its_history(
    history: str, attack: str, expected: list[tuple[tuple[str, ...], str | None, date | None]]
) -> None:
    assert breaches(attack, history) == expected


@pytest.mark.parametrize(
    ("stamp", "attack", "truce", "expected"),
    [
        (
            "Updated: Apr 29, 2025, 11:38 IST",
            "Pakistani troops opened small-arms fire at Indian positions along the Line of Control for the fifth "
            "night in a row, the Army said in a statement on Tuesday morning.",
            "The firing has put the February 2021 understanding under its greatest strain. In a joint statement the "
            "DGMOs of India and Pakistan had agreed to cease firing along the LoC with effect from midnight of "
            "February 24-25, 2021.",
            [(("Pakistan",), "India")],
        ),
        (
            "Updated: Apr 29, 2025, 11:38 IST",
            "Pakistani troops opened small-arms fire at Indian positions along the Line of Control for the fifth "
            "night in a row, residents said.",
            "The firing has put the February 2021 understanding under its greatest strain. In a joint statement the "
            "DGMOs of India and Pakistan had agreed to cease firing along the LoC with effect from midnight of "
            "February 24-25, 2021.",
            [],
        ),
    ],
    ids=["the-army-says", "residents-say"],
)
def test_an_army_the_lists_do_not_name_claims_the_other_sides_attack(
    stamp: str, attack: str, truce: str, expected: list[tuple[tuple[str, ...], str]]
) -> None:
    found = article(stamp, attack, truce)
    assert [(r.accused, r.claimed_by) for r in found.reports if r.kind == "violation"] == expected
