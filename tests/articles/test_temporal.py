"""Relative days, clock times and zones, each resolved against a fixed publication moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from articles.entities import local_zone
from articles.model import Moment
from articles.temporal import find_times


def _hours(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


# Tuesday 18 March 2025, 20:51 in Berlin
PUBLISHED = datetime(2025, 3, 18, 20, 51, tzinfo=timezone(timedelta(hours=1)))
MOSCOW = timezone(timedelta(hours=3))


def moments(text: str, lang: str = "en", published: Moment = PUBLISHED) -> list[tuple[str, Moment | None]]:
    return [(t.role, t.moment) for t in find_times(text, published, language=lang, local=local_zone(text, lang))]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The two sides will meet on Wednesday.", "en", date(2025, 3, 19)),
        ("The talks are to take place on Monday.", "en", date(2025, 3, 24)),
        ("Kyiv said on Sunday that drones hit a substation.", "en", date(2025, 3, 16)),
        ("Die Delegationen sollen am Donnerstag beraten.", "de", date(2025, 3, 20)),
        ("Der Kreml hatte am Montag reagiert.", "de", date(2025, 3, 17)),
        ("Russland und die Ukraine werden am morgigen Mittwoch Gefangene austauschen.", "de", date(2025, 3, 19)),
        ("The exchange happened on Tuesday.", "en", date(2025, 3, 18)),
        ("Moscow will hand over the bodies tomorrow.", "en", date(2025, 3, 19)),
        ("Moskau will die Soldaten morgen übergeben.", "de", date(2025, 3, 19)),
        ("Talks should begin immediately.", "en", date(2025, 3, 18)),
        ("Die Angriffe sollen ab sofort ruhen.", "de", date(2025, 3, 18)),
        ("Verhandlungen sollen unverzüglich beginnen.", "de", date(2025, 3, 18)),
        ("The halt has been in force since March 11.", "en", date(2025, 3, 11)),
        ("Die Feuerpause gilt seit dem 11. März.", "de", date(2025, 3, 11)),
        ("Drones struck the grid overnight, officials said.", "en", date(2025, 3, 18)),
        ("Drohnen griffen in der Nacht zum Montag an, hieß es.", "de", date(2025, 3, 17)),
        ("The summit is scheduled for 2025-04-02.", "en", date(2025, 4, 2)),
        ("Das Treffen ist für den 02.04.2025 geplant.", "de", date(2025, 4, 2)),
        # "from"/"ab" after a pluperfect looks back; "until" still may look ahead
        ("The units had held their fire from Sunday on, the ministry said.", "en", date(2025, 3, 16)),
        ("Die Einheiten hätten die Waffenruhe ab Sonntag eingehalten.", "de", date(2025, 3, 16)),
        ("The truce had been extended until Friday.", "en", date(2025, 3, 21)),
        ("The truce will hold from Sunday.", "en", date(2025, 3, 23)),
        # a clause whose verbs are all past looks back past "from"; speech alone does not
        ("The ministry declared the pullout from the east complete on Sunday.", "en", date(2025, 3, 16)),
        ("Moscow said the truce runs from Sunday.", "en", date(2025, 3, 23)),
        # a date beside the weekday says which week it is
        ("The truce ends on Saturday, 8 March.", "en", date(2025, 3, 8)),
        ("The talks open on Monday, April 7.", "en", date(2025, 4, 7)),
        ("Die Waffenruhe endet am Samstag, dem 8. März.", "de", date(2025, 3, 8)),
        # a past verb after a fronted weekday, past a comma, looks back
        ("On Sunday, Putin ordered a truce.", "en", date(2025, 3, 16)),
        ("Am Sonntag ordnete Putin eine Waffenruhe an.", "de", date(2025, 3, 16)),
        # but a day before "…, the Kremlin announced" keeps the tense of its own clause
        ("The truce begins on Friday, the Kremlin announced.", "en", date(2025, 3, 21)),
        # the span's own participle right before its day looks ahead, however the agreement is told
        ("The two sides agreed to a 30-day ceasefire starting on Wednesday.", "en", date(2025, 3, 19)),
        ("Beide Seiten vereinbarten eine Waffenruhe, beginnend am Donnerstag.", "de", date(2025, 3, 20)),
    ],
)
def test_days_are_anchored_on_the_publication_date(text: str, lang: str, expected: date) -> None:
    found = moments(text, lang)
    assert found, f"no time found in {text!r}"
    assert found[0][1] == expected, f"{text!r}: {found}"


def test_weekday_direction_follows_tense_within_one_sentence() -> None:
    published = datetime(2023, 11, 27, 21, 2)  # a Monday, naive like its date line
    text = "The pause, which began on Friday and was due to end on Tuesday at 7 am, was extended, Qatar said on Monday."
    assert moments(text, published=published) == [
        ("start", date(2023, 11, 24)),
        ("end", datetime(2023, 11, 28, 7, 0)),
        ("said", date(2023, 11, 27)),
    ]


def test_range_with_zone_named_once_and_24_uhr_rolls_over() -> None:
    published = datetime(2023, 1, 5, 17, 32, tzinfo=timezone(timedelta(hours=1)))  # a Thursday
    text = "Die Feuerpause soll von Freitag 12 Uhr bis Samstag 24 Uhr Moskauer Zeit gelten."
    assert moments(text, "de", published) == [
        ("start", datetime(2023, 1, 6, 12, 0, tzinfo=MOSCOW)),
        ("end", datetime(2023, 1, 8, 0, 0, tzinfo=MOSCOW)),
    ]


def test_english_clock_times_with_moscow_time() -> None:
    published = datetime(2025, 4, 19, 17, 40)  # a Saturday
    text = "a truce from 6 pm Moscow time on Saturday until midnight on the night from Sunday to Monday"
    assert moments(text, published=published) == [
        ("start", datetime(2025, 4, 19, 18, 0, tzinfo=MOSCOW)),
        ("end", datetime(2025, 4, 21, 0, 0, tzinfo=MOSCOW)),
    ]


def test_midnight_on_one_weekday_into_the_next_is_the_next_even_after_a_past_order() -> None:
    published = datetime(2025, 5, 6, 15, 12, tzinfo=UTC)
    text = (
        "Putin has ordered his forces to stop fighting from midnight on Wednesday into Thursday until midnight between "
        "May 10 and May 11, Moscow time."
    )
    assert moments(text, "en", published) == [
        ("start", date(2025, 5, 8)),
        ("end", datetime(2025, 5, 11, 0, 0, tzinfo=MOSCOW)),
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Putin hatte eine dreitägige Waffenruhe vom 8. bis zum 10. Mai ausgerufen.", "de"),
        ("Putin had declared a truce from 8 to 10 May.", "en"),
    ],
)
def test_the_first_day_of_a_span_takes_the_month_named_after_it(text: str, lang: str) -> None:
    assert moments(text, lang, date(2025, 5, 11)) == [("start", date(2025, 5, 8)), ("end", date(2025, 5, 10))]


def test_a_night_named_by_its_two_days_is_the_morning_it_ends() -> None:
    published = datetime(2025, 4, 29, 11, 38)
    text = "Posts came under fire during the night of April 28-29, the Army said."
    assert moments(text, "en", published) == [("point", date(2025, 4, 29))]
    assert moments("Talks were held on April 28-29.", "en", published)[0] == ("point", date(2025, 4, 28))


def test_midnight_in_the_night_to_monday_is_monday_at_zero() -> None:
    published = datetime(2025, 4, 19, 18, 20, tzinfo=timezone(timedelta(hours=2)))
    text = "Die Waffenruhe gilt ab 18 Uhr Moskauer Zeit bis Mitternacht in der Nacht zu Montag."
    assert moments(text, "de", published)[-1] == ("end", datetime(2025, 4, 21, 0, 0, tzinfo=MOSCOW))


@pytest.mark.parametrize(
    ("text", "lang", "offset"),
    [
        ("The ceasefire takes effect at 4 a.m. local time on Wednesday in Lebanon.", "en", 2),
        ("Die Waffenruhe soll um 4 Uhr Ortszeit im Gazastreifen beginnen, sagte Israel.", "de", 2),
        ("The truce begins at 21:45 Khartoum time on Monday.", "en", 2),
        ("Die Feuerpause beginnt um 18 Uhr Kiewer Zeit.", "de", 2),
        ("The halt begins at 10:00 GMT on Friday.", "en", 0),
    ],
)
def test_zones_give_the_offset_of_that_day(text: str, lang: str, offset: int) -> None:
    moment = moments(text, lang)[0][1]
    assert isinstance(moment, datetime)
    assert moment.utcoffset() == timedelta(hours=offset), f"{text!r}: {moment}"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The ceasefire took effect at 0800 GMT on Monday.", "en"),
        ("Die Waffenruhe begann um 0800 GMT am Montag.", "de"),
    ],
)
def test_a_wires_four_digit_clock_before_gmt_is_the_time(text: str, lang: str) -> None:
    assert moments(text, lang) == [("start", datetime(2025, 3, 17, 8, 0, tzinfo=UTC))]


def test_clock_in_an_unknown_zone_gets_no_offset() -> None:
    """The page's own offset says where the newsroom is, not where the truce is: leave the zone open."""
    assert moments("Die Feuerpause gilt ab 18 Uhr.", "de")[0] == ("start", datetime(2025, 3, 18, 18, 0))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Held by the Rangers since 23 February, the constable was handed over at about 10:30 hrs.", "en"),
        ("Der seit dem 23. Februar festgehaltene Polizist wurde um 10.30 Uhr übergeben.", "de"),
    ],
)
def test_a_start_weeks_ago_lends_its_day_to_no_bare_clock_time(text: str, lang: str) -> None:
    assert [m for _, m in moments(text, lang)][-1] == datetime(2025, 3, 18, 10, 30)


def test_start_cue_after_the_time_in_german() -> None:
    assert moments("Die Feuerpause soll morgen um 4 Uhr Ortszeit in Kraft treten.", "de")[0][0] == "start"


def test_in_the_coming_days_names_no_day() -> None:
    assert moments("The sides will swap 1000 prisoners in the coming days.") == []
    assert moments("Die USA und Russland wollen in den kommenden Tagen beraten.", "de") == []


def test_day_number_waits_for_the_commitment_start() -> None:
    found = find_times("talks are to begin no later than the 16th day of the truce", PUBLISHED)
    assert [(t.role, t.moment, t.day_number) for t in found] == [("end", None, 16)]
    assert find_times("Es wird spätestens am 16. Tag verhandelt.", PUBLISHED, language="de")[0].day_number == 16


def test_reference_to_an_earlier_order_is_marked_ref() -> None:
    assert moments("Kyiv accused Moscow of breaching the moratorium Putin ordered on Tuesday.")[0][0] == "ref"
    assert moments("das Moratorium, das Putin am Dienstag angeordnet hatte", "de")[0][0] == "ref"


def test_german_am_is_not_a_meridiem() -> None:
    assert moments("Die Waffenruhe soll bis 8 am Mittwoch gelten.", "de")[0][1] == date(2025, 3, 19)


def test_midnight_that_already_passed_is_the_start_of_the_day() -> None:
    text = "The truce came into force at midnight on Thursday, the army said."
    found = find_times(text, date(2023, 8, 3), language="en", default="past")
    assert [t.moment for t in found] == [datetime(2023, 8, 3, 0, 0)]


def test_came_into_force_is_past_and_takes_last_years_day() -> None:
    text = "The truce first came into force at 7pm on April 2, at the start of Ramadan."
    found = find_times(text, date(2022, 6, 2), language="en", default="future")
    assert [t.moment for t in found] == [datetime(2022, 4, 2, 19, 0)]


def test_a_clock_time_alone_is_on_the_day_the_sentence_named() -> None:
    text = "Die Chefs hatten sich am Freitagabend auf eine Waffenruhe verständigt, die ab 20 Uhr gelten sollte."
    found = find_times(text, date(2022, 9, 17), language="de", default="past")
    assert found[-1].moment == datetime(2022, 9, 16, 20, 0)  # no zone named: left open


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The truce takes effect at 7 p.m. (1600 GMT) on Saturday.", "en", datetime(2022, 4, 2, 19, tzinfo=_hours(3))),
        ("It begins at 13:00 local time (09:00 GMT) on Saturday.", "en", datetime(2022, 4, 2, 13, tzinfo=_hours(4))),
        ("The pause starts at 8 p.m. (0000 GMT) on Saturday.", "en", datetime(2022, 4, 2, 20, tzinfo=_hours(-4))),
        (
            "Die Waffenruhe beginnt um 18 Uhr (15.00 Uhr GMT) am Samstag.",
            "de",
            datetime(2022, 4, 2, 18, tzinfo=_hours(3)),
        ),
        # the time in brackets in another named zone: German summer time, not universal time
        (
            "Sie ist am Samstag um 3.30 Uhr Ortszeit (2.30 Uhr MESZ) in Kraft getreten.",
            "de",
            datetime(2022, 4, 2, 3, 30, tzinfo=_hours(3)),
        ),
        ("The truce took effect at 9 a.m. (0800 CET) on Saturday.", "en", datetime(2022, 3, 26, 9, tzinfo=_hours(2))),
    ],
)
def test_universal_time_in_brackets_fixes_the_local_offset(text: str, lang: str, expected: datetime) -> None:
    [mention] = find_times(text, date(2022, 4, 1), language=lang)
    assert mention.moment == expected
    assert mention.moment.isoformat() == expected.isoformat()


def test_a_span_starts_before_it_ends() -> None:
    published = date(2025, 4, 20)  # a Sunday
    text = "Russia declared a truce from 18:00 on Saturday until midnight on Sunday."
    assert moments(text, published=published) == [
        ("start", datetime(2025, 4, 19, 18, 0)),
        ("end", datetime(2025, 4, 21, 0, 0)),
    ]
    # a weekday whose week a word fixes does not move
    assert moments("The truce runs from next Saturday until Sunday.", published=published)[0][1] == date(2025, 4, 26)


@pytest.mark.parametrize(
    ("text", "lang", "published", "expected"),
    [
        # "from" alone does not say the date lies ahead: the nearest year
        ("The group declared a ceasefire with effect from March 1.", "en", date(2025, 7, 11), date(2025, 3, 1)),
        ("The truce runs from January 5.", "en", date(2025, 12, 20), date(2026, 1, 5)),
        ("Die Waffenruhe gilt ab dem 1. März.", "de", date(2025, 7, 11), date(2025, 3, 1)),
        # a strong cue still decides
        ("The truce will begin on March 1.", "en", date(2025, 7, 11), date(2026, 3, 1)),
    ],
)
def test_a_date_after_from_is_the_nearest(text: str, lang: str, published: date, expected: date) -> None:
    assert moments(text, lang, published=published)[0][1] == expected


def test_a_day_after_agreed_is_a_reference_unless_the_verb_goes_on() -> None:
    assert moments("The truce agreed on Thursday will end on Sunday.") == [
        ("ref", date(2025, 3, 13)),
        ("end", date(2025, 3, 23)),
    ]
    # "agreed on Thursday to ...": the day of the agreement, not the day the act is due
    assert moments("The two sides agreed on Thursday to continue the truce.") == [("said", date(2025, 3, 13))]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The ceasefire takes effect from the midnight of March 24 and 25.", "en"),
        ("Die Waffenruhe gilt ab Mitternacht vom 24. und 25. März.", "de"),
        ("The ceasefire takes effect from midnight between March 24 and March 25.", "en"),
    ],
)
def test_midnight_between_two_days_joined_by_and_is_the_second(text: str, lang: str) -> None:
    moment = moments(text, lang)[0][1]
    assert isinstance(moment, datetime)
    assert moment.replace(tzinfo=None) == datetime(2025, 3, 25, 0, 0)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "The council said on Thursday it would open the crossing for three months, with effect from the same day.",
            "en",
        ),
        (
            "Der Rat teilte am Donnerstag mit, der Übergang sei für drei Monate offen, mit Wirkung vom selben Tag.",
            "de",
        ),
    ],
)
def test_the_same_day_is_the_day_the_sentence_named(text: str, lang: str) -> None:
    assert [moment for _, moment in moments(text, lang)] == [date(2025, 3, 13), date(2025, 3, 13)]


def test_a_midnight_to_come_without_a_day_is_the_next_one() -> None:
    evening = datetime(2023, 4, 24, 23, 12, tzinfo=timezone(timedelta(hours=2)))
    assert moments("Die Waffenruhe soll um Mitternacht beginnen.", "de", evening)[0][1] == datetime(2023, 4, 25, 0, 0)
    assert moments("The truce will take effect at midnight.", "en", evening)[0][1] == datetime(2023, 4, 25, 0, 0)
    # a midnight that passed began the day
    assert moments("The truce took effect at midnight.", "en", evening)[0][1] == datetime(2023, 4, 24, 0, 0)


def test_a_day_the_truce_was_agreed_on_lies_behind() -> None:
    text = "Sie sollte die Ende Juli vereinbarte Waffenruhe festigen."
    assert moments(text, "de", date(2025, 11, 12)) == [("ref", date(2025, 7, 31))]


@pytest.mark.parametrize(
    ("text", "lang", "hours"),
    [
        ("It took effect at 20:00 Bishkek time on Thursday.", "en", 6),
        ("Die Feuerpause galt ab 20 Uhr kirgisischer Zeit am Donnerstag.", "de", 6),
        ("The truce began at 18:00 Cairo time on Thursday.", "en", 2),
    ],
)
def test_a_citys_time_names_the_zone_and_joins_the_day(text: str, lang: str, hours: int) -> None:
    moment = moments(text, lang)[0][1]
    assert isinstance(moment, datetime)
    assert (moment.date(), moment.utcoffset()) == (date(2025, 3, 13), timedelta(hours=hours))


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The troops are to leave the country by the end of the year.", "en", date(2025, 12, 31)),
        ("The base will close at year-end.", "en", date(2025, 12, 31)),
        ("The mission's mandate runs until the end of 2026.", "en", date(2026, 12, 31)),
        ("Der Abzug soll bis Ende des Jahres abgeschlossen sein.", "de", date(2025, 12, 31)),
        ("Die Soldaten sollen bis zum Jahresende abziehen.", "de", date(2025, 12, 31)),
        ("Das Mandat läuft Ende 2026 aus.", "de", date(2026, 12, 31)),
    ],
)
def test_the_end_of_a_year_is_its_last_day(text: str, lang: str, expected: date) -> None:
    assert [moment for _, moment in moments(text, lang)] == [expected]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # said on Sunday 16 March that it would begin on Monday: the Monday after, read on Tuesday the 18th
        ("The group said late on Sunday that it would observe a ceasefire from Monday.", "en", date(2025, 3, 17)),
        (
            "Die Rebellen erklärten am Sonntag, sie würden ab Montag die Waffen schweigen lassen.",
            "de",
            date(2025, 3, 17),
        ),
        # what is still ahead of the day it was said and of the paper stays ahead
        ("The army said on Sunday the talks would resume on Friday.", "en", date(2025, 3, 21)),
    ],
)
def test_a_weekday_to_come_in_reported_speech_counts_from_the_day_it_was_said(
    text: str, lang: str, expected: date
) -> None:
    assert moments(text, lang)[-1][1] == expected


def test_a_day_after_an_infinitive_of_travel_lies_ahead_though_the_order_was_given() -> None:
    text = "Netanyahu has instructed a negotiating team to travel to Doha on Thursday, his office said."
    assert moments(text)[0] == ("point", date(2025, 3, 20))


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The border service said on Sunday that the other side had kept shelling villages overnight.", "en", 16),
        ("The ministry said on Sunday the talks would start tomorrow.", "en", 17),
        ("Das Ministerium teilte am Sonntag mit, die Gespräche begännen morgen.", "de", 17),
    ],
)
def test_a_relative_day_in_reported_speech_counts_from_the_day_it_was_said(text: str, lang: str, expected: int) -> None:
    assert moments(text, lang)[-1][1] == date(2025, 3, expected)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The mission will be wound up by the end of September next year.", "en", date(2026, 9, 30)),
        ("Die Mission soll bis Ende September nächsten Jahres beendet werden.", "de", date(2026, 9, 30)),
        ("The truce began in early March last year.", "en", date(2024, 3, 5)),
    ],
)
def test_a_part_of_a_month_next_or_last_year_lies_in_that_year(text: str, lang: str, expected: date) -> None:
    assert [t.moment for t in find_times(text, PUBLISHED, language=lang)] == [expected]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # a time that opens the sentence, then the speaker and a verb of speech: when it was said
        ("On Sunday, Hamas said it would free three hostages.", "en", "said"),
        ("Late on Sunday the militants, who hold the train, said they would swap the hostages.", "en", "said"),
        ("Am Sonntag sagte die Hamas, sie werde drei Geiseln freilassen.", "de", "said"),
        # the speaker tagged on at the end leaves the opening day to the act
        ("On Saturday, Hamas will free three hostages, officials said.", "en", "point"),
        ("The truce has held since Sunday, the army said.", "en", "start"),
    ],
)
def test_an_opening_day_before_a_speaker_is_when_it_was_said(text: str, lang: str, expected: str) -> None:
    assert moments(text, lang)[0][0] == expected
