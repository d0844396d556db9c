"""Truces as wire copy states them: the clock time of a named zone, a military hour, a midnight still to come, and
the verbs of a ceasefire spelled out ("stop all firing")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from articles.amounts import normalise, period, quantity
from articles.temporal import find_times
from tests.articles.test_extract_text import article

IST = timezone(timedelta(hours=5, minutes=30))
PUBLISHED = datetime(2025, 5, 10, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        # the zone spelled out; the bracket's other zone names the same instant
        (
            "India and Pakistan agreed to stop all firing with effect from 5pm Indian Standard Time (12.30 BST).",
            datetime(2025, 5, 10, 17, 0, tzinfo=IST),
        ),
        # a military hour is a clock time
        (
            "Both sides would stop all firing and military action from 1700 hours IST.",
            datetime(2025, 5, 10, 17, 0, tzinfo=IST),
        ),
        # the span's own participle looks ahead, though the agreement is told in the past
        ("Thailand and Cambodia agreed to a ceasefire starting at midnight.", datetime(2025, 5, 11, 0, 0)),
        # a midnight that has passed is the one that began the day
        ("The ceasefire took effect at midnight.", datetime(2025, 5, 10, 0, 0)),
    ],
)
def test_the_start_of_a_truce_in_wire_copy(sentence: str, start: datetime) -> None:
    times = [t for t in find_times(sentence, PUBLISHED, language="en") if t.role == "start"]
    assert [t.moment for t in times] == [start]


@pytest.mark.parametrize("text", ["from 1700 hours IST", "at 0600 hours local time"])
def test_a_military_hour_is_no_length(text: str) -> None:
    assert period(text, "en") is None


def test_a_length_in_hours_is_still_a_length() -> None:
    found = period("a 72 hours truce", "en")
    assert found is not None
    assert found.days == 3


def test_stopping_all_firing_on_land_air_and_sea_is_one_ceasefire() -> None:
    found = article(
        "Published 10 May 2025, 18:00 BST",
        "India and Pakistan agreed to stop all firing and military action on land, in the air and at sea with effect "
        "from 5pm Indian Standard Time (12.30 BST).",
        "The two agreed that both sides would stop all firing and military action from 1700 hours IST, the foreign "
        "secretary said.",
    )
    assert [(c.kind, c.actors, c.start, c.end) for c in found.commitments] == [
        ("ceasefire", ("India", "Pakistan"), datetime(2025, 5, 10, 17, 0, tzinfo=IST), None)
    ]


CEST = timezone(timedelta(hours=2))
MOSCOW = timezone(timedelta(hours=3))


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        # the verb at the end of a relative clause says what the time is for, and that it lies ahead
        (
            "Russland kündigte eine Waffenruhe über Ostern an, die am Samstag um 18 Uhr Moskauer Zeit beginnt.",
            datetime(2025, 5, 17, 18, 0, tzinfo=MOSCOW),
        ),
        (
            "Die Regierung und die ELN vereinbarten eine sechsmonatige Waffenruhe, die am 3. August beginnt.",
            date(2025, 8, 3),
        ),
        # what holds ("gilt") may hold since a day past, here more than two months before: the verb says no tense
        ("Die Öffnung gehört zu den Zusagen der Waffenruhe, die seit dem 2. März gilt.", date(2025, 3, 2)),
    ],
)
def test_a_german_clause_ending_in_its_verb(sentence: str, start: object) -> None:
    times = find_times(sentence, datetime(2025, 5, 14, 18, 0, tzinfo=CEST), language="de")
    assert [(t.role, t.moment) for t in times] == [("start", start)]


@pytest.mark.parametrize(
    ("stamp", "sentence", "status"),
    [
        (
            "Published 14 May 2025, 18:00 GMT",
            "The Colombian government and the ELN agreed to a six-month bilateral ceasefire that begins on August 3.",
            "agreed",
        ),
        ("Published 14 May 2025, 18:00 GMT", "The ceasefire between Colombia and the ELN began on Monday.", "in_force"),
        (
            "Stand: 14.05.2025 18:00 Uhr",
            "Die kolumbianische Regierung und die ELN vereinbarten eine Waffenruhe, die am 3. August beginnt.",
            "agreed",
        ),
    ],
)
def test_a_truce_that_begins_on_a_day_to_come_is_not_in_force_yet(stamp: str, sentence: str, status: str) -> None:
    assert [c.status for c in article(stamp, sentence).commitments] == [status]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        (
            "Indien und Pakistan einigten sich darauf, ab 17 Uhr alle Kampfhandlungen zu Land, in der Luft und zur "
            "See einzustellen.",
            "ceasefire",
        ),
        ("Die Huthi wollen ab Dienstag keine US-Schiffe mehr angreifen, teilte der Oman mit.", "ceasefire"),
    ],
)
def test_german_ways_to_stop_fighting(sentence: str, kind: str) -> None:
    assert [c.kind for c in article("Stand: 14.05.2025 18:00 Uhr", sentence).commitments] == [kind]


@pytest.mark.parametrize(
    ("stamp", "agreed", "lapsed"),
    [
        (
            "Stand: 14.05.2025 18:00 Uhr",
            "Die Armee und die RSF hatten eine Waffenruhe vereinbart.",
            "Die Waffenruhe zwischen Armee und RSF lief am Montag aus, ohne verlängert zu werden.",
        ),
        (
            "Published 14 May 2025, 18:00 GMT",
            "The army and the RSF had agreed to a truce.",
            "The truce between the army and the RSF expired on Monday without being extended.",
        ),
    ],
)
def test_a_truce_that_ran_out_unextended_expired(stamp: str, agreed: str, lapsed: str) -> None:
    assert [(r.kind, r.date) for r in article(stamp, agreed, lapsed).reports] == [("expiry", date(2025, 5, 12))]


@pytest.mark.parametrize(
    ("stamp", "promise", "done", "denied"),
    [
        (
            "Published 20 March 2025, 18:00 GMT",
            "The M23 rebels promised on Saturday to withdraw from the town of Walikale to make room for peace talks.",
            "The M23 said on Tuesday it had pulled its fighters out of Walikale as promised.",
            "The Congolese army said the rebels were still on the town's outskirts.",
        ),
        (
            "Stand: 20.03.2025 18:00 Uhr",
            "Die M23-Rebellen versprachen am Samstag, sich aus der Stadt Walikale zurückzuziehen.",
            "Die M23 teilte am Dienstag mit, sie habe ihre Kämpfer wie versprochen aus Walikale abgezogen.",
            "Die kongolesische Armee erklärte, die Rebellen stünden noch am Stadtrand.",
        ),
    ],
)
def test_a_promise_to_withdraw_and_its_fulfilment(stamp: str, promise: str, done: str, denied: str) -> None:
    found = article(stamp, promise, done, denied)
    assert [(c.kind, c.actors, c.status, c.end) for c in found.commitments] == [
        ("withdrawal", ("M23",), "announced", None)
    ]
    assert [(r.kind, r.about, r.claimed_by, r.date) for r in found.reports] == [
        ("fulfilment", "withdrawal", "M23", date(2025, 3, 18))
    ]


@pytest.mark.parametrize(
    ("stamp", "halt", "meeting"),
    [
        (
            "Published 20 March 2025, 18:00 GMT",
            "Russian and Ukrainian officials agreed on a halt to strikes on energy infrastructure, the White House "
            "said.",
            "The two sides will meet again in Riyadh next week to discuss a maritime ceasefire in the Black Sea.",
        ),
        (
            "Stand: 20.03.2025 18:00 Uhr",
            "Russische und ukrainische Vertreter einigten sich auf einen Stopp der Angriffe auf Energieanlagen, teilte "
            "das Weiße Haus mit.",
            "Beide Seiten wollen sich kommende Woche in Riad erneut treffen, um über eine Waffenruhe im Schwarzen Meer "
            "zu verhandeln.",
        ),
    ],
)
def test_a_truce_the_sides_meet_to_discuss_is_only_talked_about(stamp: str, halt: str, meeting: str) -> None:
    assert [c.kind for c in article(stamp, halt, meeting).commitments] == ["strike_halt", "negotiations"]


EASTER = "Russia declared an Easter truce from 6 p.m. Moscow time on Saturday until midnight on Sunday."


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        # a count of breaches, vague or exact, is a claim about today, not history
        ("The truce was broken dozens of times, Zelensky said on Sunday.", [("Ukraine", ("Russia",))]),
        ("The truce was broken 2,935 times, Zelensky said on Sunday.", [("Ukraine", ("Russia",))]),
        # trading accusations is accusing each other: one claim each way
        (
            "Kyiv and Moscow traded accusations of violations on Sunday.",
            [("Ukraine", ("Russia",)), ("Russia", ("Ukraine",))],
        ),
    ],
)
def test_breaches_claimed_during_a_truce(claim: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    found = article("Published 20 April 2025, 18:00 GMT", EASTER, claim)
    assert sorted((r.claimed_by, r.accused) for r in found.reports if r.kind == "violation") == sorted(expected)


def test_a_german_count_of_breaches_is_a_claim_about_today() -> None:
    found = article(
        "Stand: 20.04.2025 18:00 Uhr",
        "Russland hat eine Osterwaffenruhe von Samstag 18 Uhr Moskauer Zeit bis Mitternacht am Sonntag ausgerufen.",
        "Die Waffenruhe sei dutzende Male gebrochen worden, sagte Selenskyj am Sonntag.",
    )
    assert [(r.kind, r.claimed_by, r.accused) for r in found.reports] == [("violation", "Ukraine", ("Russia",))]


@pytest.mark.parametrize(
    ("text", "language"),
    [("agreed to a 1,000-for-1,000 prisoner exchange", "en"), ("ein Austausch 1000-gegen-1000", "de")],
)
def test_a_swap_written_with_hyphens_counts_its_people(text: str, language: str) -> None:
    assert quantity(normalise(text, language), language) == 1000


@pytest.mark.parametrize(
    ("sentence", "moment"),
    [
        # "from" that starts no time ("withdrawal from Niger") says nothing about the tense
        ("The French army will complete its withdrawal from Niger by December 22.", date(2025, 12, 22)),
        ("The truce runs from late Saturday.", date(2025, 5, 17)),
    ],
)
def test_from_speaks_of_the_time_right_after_it(sentence: str, moment: date) -> None:
    assert [t.moment for t in find_times(sentence, datetime(2025, 5, 14, 18, 0, tzinfo=UTC), language="en")] == [moment]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # both sides accuse each other without a name: one claim each way between the story's two sides
        (
            "Both sides accused each other of breaking the truce in the afternoon.",
            [("violation", "Kyrgyzstan", ("Tajikistan",)), ("violation", "Tajikistan", ("Kyrgyzstan",))],
        ),
        # officials of both sides telling of calm: a side tells it
        (
            "Since Sunday the border has been largely calm, officials on both sides said.",
            [("compliance", "Kyrgyzstan", ())],
        ),
    ],
)
def test_both_sides_unnamed_are_the_story_s_two_sides(
    sentence: str, expected: list[tuple[str, str, tuple[str, ...]]]
) -> None:
    found = article(
        "Published 20 September 2022, 18:00 GMT",
        "Kyrgyzstan and Tajikistan agreed on a ceasefire on their disputed border on Friday after clashes with tanks "
        "and artillery, the Kyrgyz and Tajik governments said.",
        sentence,
    )
    assert sorted((r.kind, r.claimed_by, r.accused) for r in found.reports) == sorted(expected)


@pytest.mark.parametrize(
    ("stamp", "sentence", "start"),
    [
        # announced for "midnight" with no day and no start told as past: the midnight to come
        (
            "Published 14 May 2025, 18:00 GMT",
            "Malaysia's prime minister announced an immediate and unconditional ceasefire between Thailand and "
            "Cambodia from midnight.",
            datetime(2025, 5, 15, 0, 0),
        ),
        (
            "Stand: 14.05.2025 18:00 Uhr",
            "Malaysias Regierungschef verkündete eine Waffenruhe zwischen Thailand und Kambodscha ab Mitternacht.",
            datetime(2025, 5, 15, 0, 0),  # a clock time in no zone the text names stays without one
        ),
        # a start told as past: the midnight that began the day
        (
            "Published 14 May 2025, 18:00 GMT",
            "The ceasefire between Thailand and Cambodia took effect from midnight.",
            datetime(2025, 5, 14, 0, 0),
        ),
        # agreed on a day named: the midnight after that day, and "immediate" ends no range
        (
            "Published 29 July 2025",
            "Thailand and Cambodia agreed on Monday to an immediate and unconditional ceasefire from midnight.",
            datetime(2025, 7, 29, 0, 0),
        ),
    ],
)
def test_a_truce_from_midnight(stamp: str, sentence: str, start: datetime) -> None:
    war = (
        "Thailändische und kambodschanische Truppen hatten sich fünf Tage lang mit Artillerie und Kampfjets Gefechte "
        "geliefert."
        if stamp.startswith("Stand")
        else "Thai and Cambodian troops had clashed for five days, with artillery and jets."
    )
    found = article(stamp, sentence, war)
    assert [(c.kind, c.start, c.end) for c in found.commitments] == [("ceasefire", start, None)]


@pytest.mark.parametrize(
    ("date_line", "sentence", "releaser", "count"),
    [
        (
            "Published 12 May 2023",
            "Pakistan on Thursday released 198 Indian fishermen from a Karachi jail, officials said. Officials said "
            "more Indian fishermen whose sentences were complete would be freed in the coming weeks.",
            "Pakistan",
            198,
        ),
        (
            "Stand: 10.07.2025 06:30 Uhr",
            "Damit hat Südkorea sechs nordkoreanische Fischer in ihre Heimat zurückgebracht, teilte das "
            "Vereinigungsministerium mit.",
            "South Korea",
            6,
        ),
    ],
)
def test_fishermen_sent_home_are_people_released_and_their_nation_is_not_the_releaser(
    date_line: str, sentence: str, releaser: str, count: int
) -> None:
    war = (
        "The war has killed thousands since the fighting began."
        if date_line.startswith("Published")
        else "Der Krieg hat seit Beginn der Kämpfe Tausende Menschen getötet."
    )
    found = article(date_line, f"{sentence} {war}")
    done = [r for r in found.reports if r.kind == "fulfilment"]
    assert [(r.claimed_by, r.quantity) for r in done] == [(releaser, count)]
    assert all(c.actors == (releaser,) for c in found.commitments if c.kind == "release")


def test_prisoners_who_completed_their_sentences_fulfil_nothing() -> None:
    found = article(
        "Published 1 January 2025",
        'New Delhi called on Islamabad to "expedite the release" of 183 Indian fishermen who had already completed '
        "their sentences.",
        "The war has killed thousands since the fighting began.",
    )
    assert not [r for r in found.reports if r.kind == "fulfilment"]


def test_a_government_that_says_it_has_pardoned_prisoners_released_them() -> None:
    found = article(
        "Published 4 January 2024",
        "Myanmar's military government said on Thursday it had pardoned 9,652 prisoners to mark Independence Day.",
        "The war has killed thousands since the fighting began.",
    )
    assert [(r.kind, r.quantity) for r in found.reports] == [("fulfilment", 9652)]
    assert [(c.kind, c.actors, c.quantity) for c in found.commitments] == [("release", ("Myanmar military",), 9652)]


def test_a_pardon_told_beside_sentences_cut_short_released_the_prisoners() -> None:
    found = article(
        "Stand: 05.02.2023 17:52 Uhr",
        "Irans Oberster Führer Ali Chamenei hat 2000 Gefangene begnadigt oder ihre Strafen verkürzt, darunter auch "
        "Teilnehmer der Proteste. Auch wer wegen Körperverletzung angeklagt ist, kommt nicht frei.",
        "Die USA werfen Iran vor, Proteste niederzuschlagen.",
    )
    assert [(r.kind, r.about, r.claimed_by) for r in found.reports] == [("fulfilment", "release", "Iran")]


@pytest.mark.parametrize(
    ("date_line", "sentence", "day"),
    [
        ("Stand: 20.02.2023 09:14 Uhr", "Frankreich hat seinen Militäreinsatz in Burkina Faso am Sonntag beendet.", 19),
        ("Published 20 February 2023", "France ended its military operation in Burkina Faso on Sunday.", 19),
    ],
)
def test_a_military_operation_ended_is_a_withdrawal_done(date_line: str, sentence: str, day: int) -> None:
    context = (
        "Burkina Faso gave France a month to pull out its troops, after soldiers seized power in a coup."
        if date_line.startswith("Published")
        else "Burkina Faso gab Frankreich einen Monat für den Abzug seiner Truppen, nachdem Soldaten geputscht hatten."
    )
    found = article(date_line, sentence, context)
    assert [(r.kind, r.about, r.claimed_by, r.date) for r in found.reports] == [
        ("fulfilment", "withdrawal", "France", date(2023, 2, day))
    ]


@pytest.mark.parametrize(
    ("date_line", "paragraphs"),
    [
        (
            "Published 11 August 2023, 21:00 BST",
            (
                "A year and a half after they were abducted in the south of Yemen, five UN staff members are free "
                "again, the United Nations said on Friday.",
                "The civil war between the Houthis and the Saudi-backed government has killed thousands; air strikes "
                "and shelling have eased since a truce.",
            ),
        ),
        (
            "Stand: 11.08.2023 21:00 Uhr",
            (
                "Anderthalb Jahre nach ihrer Entführung im Süden des Jemen sind fünf Mitarbeiter der Vereinten "
                "Nationen wieder in Freiheit. Das teilten die Vereinten Nationen am Freitag mit.",
                "Im Bürgerkrieg zwischen den Huthis und der Regierung haben Luftangriffe und Kämpfe seit einer "
                "Waffenruhe nachgelassen.",
            ),
        ),
    ],
    ids=["en", "de"],
)
def test_people_free_again_are_a_release_done_by_no_one_named(date_line: str, paragraphs: tuple[str, ...]) -> None:
    """Neither the place they were held ("im Süden des Jemen") nor their employer ("UN staff") freed them."""
    found = article(date_line, *paragraphs)
    done = [r for r in found.reports if r.kind == "fulfilment"]
    assert [(r.about, r.quantity, r.claimed_by, str(r.date)) for r in done] == [
        ("release", 5, "United Nations", "2023-08-11")
    ]
    assert not [c for c in found.commitments if c.kind == "release"]


@pytest.mark.parametrize(
    ("date_line", "sentence", "war"),
    [
        (
            "Published 3 November 2024, 10:00 GMT",
            "Guns have fallen silent in a village of Pagalungan after two feuding commanders of the Moro Islamic "
            "Liberation Front agreed to a ceasefire on Saturday.",
            "Fighting and air strikes have killed thousands of civilians since the war began.",
        ),
        (
            "Stand: 03.11.2024 10:00 Uhr",
            "In dem Dorf schweigen die Waffen, nachdem sich zwei verfeindete Kommandeure der Moro Islamic Liberation "
            "Front am Samstag auf eine Waffenruhe geeinigt haben.",
            "Bei Kämpfen und Luftangriffen sind seit Kriegsbeginn Tausende Zivilisten getötet worden.",
        ),
    ],
    ids=["en", "de"],
)
def test_guns_silent_after_a_truce_was_agreed_tell_of_the_truce(date_line: str, sentence: str, war: str) -> None:
    """The calm is a report, and the agreement it follows is the news; a party's own commanders bind the party."""
    found = article(date_line, f"{sentence} {war}")
    truce = [c for c in found.commitments if c.kind == "ceasefire"]
    assert [(c.actors, c.status) for c in truce] == [(("Moro Islamic Liberation Front",), "agreed")]
