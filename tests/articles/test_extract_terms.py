"""Terms as a deal states them, and what only looks like one: obligations ("must"), the length of the war beside
the length of the truce, who sat at the talks, and two powers' trade "truce"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from tests.articles.test_extract_text import article, only


def test_an_obligation_under_the_deal_is_a_commitment() -> None:
    found = article(
        "Published 10 October 2025, 14:00 GMT",
        "The ceasefire between Israel and Hamas took effect in Gaza at noon, the Israeli military said.",
        "Under the first phase, Hamas must release 20 hostages within 72 hours, the mediators said.",
    )
    release = [(c.actors, c.quantity) for c in found.commitments if c.kind == "release"]
    assert release == [(("Hamas",), 20)]


def test_a_demand_that_must_not_happen_is_no_commitment() -> None:
    found = article(
        "Published 18 March 2025, 19:40 GMT",
        "Putin said Kyiv must not be allowed to use a pause in the fighting to rearm.",
    )
    assert found.commitments == ()


def test_the_length_of_the_war_is_not_the_length_of_the_truce() -> None:
    found = article(
        "Published 10 October 2025, 14:00 GMT",
        "A ceasefire between Israel and Hamas took effect on Friday under a plan to end the two-year war.",
    )
    truce = only(found)
    assert (truce.kind, truce.start, truce.duration_days, truce.end) == ("ceasefire", date(2025, 10, 10), None, None)


def test_a_party_left_out_of_the_talks_is_not_bound_to_talk() -> None:
    found = article(
        "Published 2 November 2022, 18:00 GMT",
        "Ethiopia and the TPLF agreed on Wednesday to a permanent cessation of hostilities.",
        "Eritrean troops were not part of the talks, and it was not clear how the agreement would affect them.",
    )
    assert [c.kind for c in found.commitments] == ["ceasefire"]


def test_a_trade_truce_between_two_powers_gives_nothing() -> None:
    found = article(
        "Published 12 May 2025, 10:00 GMT",
        "The United States and China agreed a 90-day truce in their tariff dispute, the White House said.",
        "Washington will cut its duties on Chinese goods to 30 percent from Wednesday, and Beijing will lower its "
        "levies to 10 percent. Delegations of the United States and China will keep negotiating within the 90 days.",
        "Shares in Shanghai and New York rose after the announcement; China's commerce ministry welcomed the deal.",
        title="Tariff truce lifts markets",
    )
    assert (found.commitments, found.reports) == ((), ())


def test_a_story_of_a_truce_long_past_gives_nothing() -> None:
    found = article(
        "Tue 24 Dec 2024 14.05 GMT",
        "A village will mark 110 years since the Christmas truce of 1914 with a football match on Boxing Day.",
        "At first light the next day, British and German soldiers climbed out of their trenches, exchanged "
        "cigarettes and agreed a ceasefire to bury their dead, before the fighting and the artillery shelling of "
        "the war resumed.",
        "Orders went out that any further truce with the enemy troops would be treated as a court-martial offence.",
        title="Village marks Christmas truce with match",
    )
    assert (found.commitments, found.reports) == ((), ())


def test_a_completed_pullback_fulfils_the_withdrawal() -> None:
    found = article(
        "Published 10 October 2025, 14:00 GMT",
        "A ceasefire between Israel and Hamas took effect in Gaza at noon, the Israeli military said.",
        "Israeli troops are to withdraw to the agreed line within 24 hours, the mediators said.",
        "The military said its troops had completed their pullback to the agreed line by the evening.",
    )
    assert [(r.kind, r.about) for r in found.reports] == [("fulfilment", "withdrawal")]


def test_a_finished_time_in_another_clause_does_not_make_the_agreement_history() -> None:
    found = article(
        "Published 20 September 2022, 11:46 CEST",
        "Armenia and Azerbaijan have agreed to keep to the ceasefire and to pull back the troops they moved to the "
        "border last week, after the heaviest fighting in two years.",
    )
    assert sorted(c.kind for c in found.commitments) == ["ceasefire", "withdrawal"]


def test_a_clock_time_without_a_day_is_on_the_day_the_sentence_named() -> None:
    found = article(
        "Published 20 September 2022, 11:46 GMT",
        "The two defence ministers agreed on Friday that the guns would fall silent from 4 p.m. GMT, "
        "Armenia and Azerbaijan said.",
    )
    truce = only(found)
    assert (truce.kind, truce.start) == ("ceasefire", datetime(2022, 9, 16, 16, 0, tzinfo=UTC))


def test_violations_to_be_investigated_are_no_violation_claim() -> None:
    found = article(
        "Published 7 November 2025, 10:00 GMT",
        "The RSF said it accepted a humanitarian truce with the army; its commander said violations would be "
        "investigated after the fall of El Fasher.",
    )
    assert [r.kind for r in found.reports if r.kind == "violation"] == []


def test_talks_after_a_sentence_of_mediators_are_between_the_sides() -> None:
    found = article(
        "Published 15 November 2025, 20:00 GMT",
        "Congo and the M23 rebels signed a framework in Doha on Saturday and reaffirmed their ceasefire; the army "
        "and the M23 have fought for years in the east.",
        "Envoys of Qatar and the United States attended the ceremony.",
        "The remaining six protocols are to be negotiated in the coming weeks, diplomats said.",
    )
    talks = [c.actors for c in found.commitments if c.kind == "negotiations"]
    assert talks == [("Democratic Republic of the Congo", "M23")]


def test_a_denial_of_something_no_commitment_is_about_is_no_report() -> None:
    found = article(
        "Published 15 November 2025, 20:00 GMT",
        "Congo and the M23 rebels reaffirmed their ceasefire in Doha on Saturday; fighting went on in South Kivu.",
        "Rwanda denies backing the rebels with its own troops.",
        "The M23 accused the army of shelling its positions on Friday. The army denied the claims.",
    )
    assert sorted(r.kind for r in found.reports) == ["denial", "violation"]


def test_a_denial_of_this_answers_the_sentence_before_it() -> None:
    truce = "Congo and the M23 rebels reaffirmed their ceasefire in Doha on Saturday."
    arming = "Kinshasa accuses Rwanda of arming the M23 and sending its own troops. Kigali denies this."
    shelling = "The M23 accused the army of shelling its positions on Friday. The army denied this."
    page = ("Published 15 November 2025, 20:00 GMT", truce)
    assert [r.kind for r in article(*page, arming).reports if r.kind == "denial"] == []
    assert [(r.kind, r.claimed_by) for r in article(*page, shelling).reports if r.kind == "denial"] == [
        ("denial", "Democratic Republic of the Congo")
    ]


def test_wanting_to_prolong_a_truce_is_no_extension() -> None:
    found = article(
        "Published 1 March 2025, 12:00 GMT",
        "The first phase of the ceasefire between Israel and Hamas took effect on January 19 and ends today.",
        "Israel wants to prolong the first phase by up to 42 days, two officials said.",
    )
    assert [r.kind for r in found.reports if r.kind == "extension"] == []


def test_who_calls_an_attack_a_breach_accuses_the_other_side() -> None:
    found = article(
        "Published 1 March 2025, 12:00 GMT",
        "The ceasefire between Israel and Hamas took effect on January 19.",
        "Two men were killed by Israeli fire east of Rafah on Saturday morning, medics said.",
        "Hamas called the shooting another breach of the ceasefire.",
    )
    claims = {(r.claimed_by, r.accused) for r in found.reports if r.kind == "violation"}
    assert ("Hamas", ("Israel",)) in claims


def test_a_claim_in_the_mood_of_reported_speech_is_a_claim() -> None:
    """German reports a claim in Konjunktiv II when Konjunktiv I would look like the indicative ("hätten")."""
    found = article(
        "Stand: 28.11.2023 10:00 Uhr",
        "Im Gazastreifen gilt seit Freitag eine Feuerpause zwischen Israel und der Hamas.",
        "Die Hamas stellte die Lage anders dar: Israelische Truppen hätten gegen die Abmachung verstoßen.",
    )
    assert [(r.kind, r.accused, r.claimed_by) for r in found.reports] == [("violation", ("Israel",), "Hamas")]


def test_without_a_speaker_the_subjunctive_stays_a_hedge() -> None:
    found = article(
        "Stand: 28.11.2023 10:00 Uhr",
        "Im Gazastreifen gilt seit Freitag eine Feuerpause zwischen Israel und der Hamas.",
        "Ohne die Einigung hätten beide Seiten gegen die Abmachung verstoßen.",
    )
    assert [r.kind for r in found.reports] == []


def test_a_swap_that_came_to_an_end_was_carried_out_not_lapsed() -> None:
    found = article(
        "Stand: 16.04.2023 18:00 Uhr",
        "Die Huthi und die Regierung haben am Freitag mit dem Austausch von knapp 900 Gefangenen begonnen.",
        "Mit den letzten Flügen zwischen Marib und Sanaa ist der Austausch am Sonntag zu Ende gegangen.",
    )
    assert "expiry" not in [r.kind for r in found.reports]


def test_a_truce_that_came_to_an_end_lapsed() -> None:
    found = article(
        "Stand: 01.12.2023 09:00 Uhr",
        "Die Feuerpause zwischen Israel und der Hamas ist am Freitag um 7 Uhr Ortszeit zu Ende gegangen.",
    )
    assert [(r.kind, r.about, r.date) for r in found.reports] == [("expiry", "ceasefire", date(2023, 12, 1))]


def test_a_lapse_that_restates_the_length_states_the_terms() -> None:
    found = article(
        "Published 1 March 2025",
        "The 42-day first stage of the truce between Israel and Hamas that began on January 19 runs out today.",
    )
    truce = only(found)
    assert (truce.kind, truce.start, truce.duration_days, truce.end) == (
        "ceasefire",
        date(2025, 1, 19),
        42,
        date(2025, 3, 2),
    )
    assert [(r.kind, r.date) for r in found.reports] == [("expiry", date(2025, 3, 1))]


def test_a_truce_held_since_a_day_told_before_the_truce_began_that_day() -> None:
    found = article(
        "Published 25 June 2025",
        "The truce between Israel and Iran has largely held since Tuesday.",
        "Trump announced the ceasefire between Israel and Iran on Monday night.",
    )
    assert [(c.kind, c.start) for c in found.commitments] == [("ceasefire", date(2025, 6, 24))]


def test_an_extension_told_by_the_mediator_and_by_a_side_is_one_report() -> None:
    found = article(
        "Published 27 November 2023, 20:00 GMT",
        "Israel and Hamas have agreed to prolong the four-day truce in Gaza by two more days, mediator Qatar said.",
        "Hamas said in a statement that it had agreed with Qatar and Egypt to extend the truce on the same terms.",
    )
    assert [(r.kind, r.claimed_by) for r in found.reports] == [("extension", "Qatar")]


def test_a_threat_against_any_violation_claims_none() -> None:
    found = article(
        "Stand: 27.11.2024 12:00 Uhr",
        "Die Waffenruhe zwischen Israel und der Hisbollah ist seit 4 Uhr Ortszeit in Kraft.",
        "Jeder Verstoß werde mit Gewalt beantwortet, sagte der israelische Verteidigungsminister.",
        "Any violation will be met with force, the Israeli army said.",
    )
    assert [r.kind for r in found.reports] == []


def test_committing_to_observe_a_truce_is_a_promise_and_acting_to_carry_out_an_order_is_compliance() -> None:
    pledge = article(
        "Stand: 25.04.2025 23:48 Uhr",
        "Erst am Mittwoch hatten sich die kongolesische Regierung und die M23 in einer gemeinsamen Erklärung "
        "verpflichtet, eine Waffenruhe während der gesamten Gespräche einzuhalten.",
    )
    congo = ("Democratic Republic of the Congo", "M23")
    assert [(c.kind, c.actors) for c in pledge.commitments] == [("ceasefire", congo)]
    assert pledge.reports == ()
    order = article(
        "Stand: 20.03.2025 09:10 Uhr",
        "Putin hatte am Dienstag einen Stopp der Angriffe auf Energieanlagen für 30 Tage angeordnet.",
        "Das russische Militär schoss am Dienstag eigene Drohnen ab, um den Befehl Putins umzusetzen.",
    )
    assert [(r.kind, r.claimed_by) for r in order.reports] == [("compliance", "Russia")]


def test_calm_returning_is_compliance_and_people_returning_home_no_handover() -> None:
    found = article(
        "Published 27 November 2024, 12:00 GMT",
        "A ceasefire between Israel and Hezbollah took effect at 4 a.m. local time on Wednesday.",
        "Lebanon's army said calm has returned to the south after more than 3,000 people were killed.",
        "The Israeli army urged people to hold off returning to their villages near the border.",
    )
    assert [c.kind for c in found.commitments] == ["ceasefire"]
    assert [r.kind for r in found.reports] == ["compliance"]


def test_the_next_exchange_in_a_story_of_swaps_is_an_exchange_to_come() -> None:
    found = article(
        "Stand: 15.02.2025 17:52 Uhr",
        "Die Hamas hat heute drei Geiseln freigelassen, Israel ließ im Gegenzug 369 Häftlinge frei.",
        "Der nächste Austausch soll am 22. Februar stattfinden.",
    )
    assert [(c.kind, c.due) for c in found.commitments] == [("prisoner_exchange", date(2025, 2, 22))]


def test_an_exchange_of_fire_is_no_swap() -> None:
    found = article(
        "Published 15 February 2025, 17:52 GMT",
        "Hamas freed three Israeli hostages today, and Israel released 369 Palestinian prisoners in return.",
        "An exchange of fire will be investigated by the mediators on Monday.",
    )
    assert "prisoner_exchange" not in [c.kind for c in found.commitments]


def test_a_clock_time_without_its_zone_is_the_same_start_as_with_it() -> None:
    found = article(
        "Published 19 January 2025, 17:50 GMT",
        "The ceasefire between Israel and Hamas took effect in Gaza at 11:15 local time on Sunday.",
        "Netanyahu's office says the ceasefire began at 11:15 after Israel received the list of names.",
    )
    truce = only(found)
    assert truce.start == datetime(2025, 1, 19, 11, 15, tzinfo=timezone(timedelta(hours=2)))


def test_a_pullout_that_begins_on_a_day_is_completed_within_its_period_from_that_day() -> None:
    found = article(
        "28 August 2025",
        "The Council decided that Israel should begin the withdrawal of its troops from southern Lebanon on "
        "31 December 2026, to be completed within one year.",
    )
    assert [(c.kind, c.start, c.end) for c in found.commitments] == [
        ("withdrawal", date(2026, 12, 31), date(2027, 12, 31))
    ]


def test_the_deadline_of_the_talks_is_the_one_beside_them() -> None:
    found = article(
        "Published 2 November 2022, 18:00 GMT",
        "Under the deal, Tigrayan forces are to be disarmed within 30 days of the signing, and senior commanders of "
        "Ethiopia and the TPLF are to meet within five days to work out the details.",
    )
    assert [c.due for c in found.commitments if c.kind == "negotiations"] == [date(2022, 11, 7)]


def test_talks_to_be_concluded_within_months_last_that_long_and_the_facilitator_is_no_party() -> None:
    found = article(
        "Issued on: 12/12/2024 - 09:14",
        "Somalia and Ethiopia have agreed to end their bitter dispute over Ethiopian access to the sea.",
        "Under a joint text released by the Turkish presidency, the two neighbours will start technical "
        "negotiations before the end of February 2025, with Turkey acting as facilitator.",
        "The talks are to be concluded, and the outcome signed, within four months.",
    )
    talks = [c for c in found.commitments if c.kind == "negotiations"]
    assert [(set(c.actors), c.due, c.duration_days) for c in talks] == [
        ({"Somalia", "Ethiopia"}, date(2025, 2, 28), 120)
    ]
    assert [r.kind for r in found.reports] == []  # a text "released" by a presidency frees nobody


def test_a_truce_with_only_a_length_begins_on_the_day_it_was_agreed() -> None:
    found = article(
        "Stand: 31.10.2025 08:45 Uhr",
        "Pakistan und Afghanistan hatten nach tagelangen Gefechten an der Grenze mit Dutzenden toten Soldaten "
        "Gespräche aufgenommen.",
        "Am 15. Oktober einigten sich beide Seiten zunächst auf eine 48-stündige Feuerpause.",
    )
    assert [(c.kind, c.start, c.end) for c in found.commitments] == [
        ("ceasefire", date(2025, 10, 15), date(2025, 10, 17))
    ]


def test_a_relative_clause_that_dates_a_place_does_not_make_the_promise_history() -> None:
    found = article(
        "Published 17 December 2025, 16:58 GMT",
        "Fighting between the army and the M23 rebels has killed hundreds, and troops shelled the town overnight.",
        "The M23 rebel alliance has said it will withdraw its forces from Uvira, the city on Lake Tanganyika that "
        "it seized last week.",
    )
    assert [(c.kind, c.actors) for c in found.commitments] == [("withdrawal", ("M23",))]


def test_pulling_troops_out_is_a_withdrawal_and_a_year_naming_a_thing_dates_nothing() -> None:
    found = article(
        "Published 17 December 2025, 16:58 GMT",
        "Fighting between the army and the M23 rebels has killed hundreds, and troops shelled the town overnight.",
        "The deal commits Rwanda to pull its troops out of eastern Congo, a demand heard there since the 1994 "
        "genocide.",
    )
    assert [(c.kind, c.actors, c.scope) for c in found.commitments] == [("withdrawal", ("Rwanda",), "eastern Congo")]


def test_agreeing_to_stop_violence_is_a_truce_and_talks_that_ended_lapse_nothing() -> None:
    found = article(
        "PUBLISHED : 2 Apr 2022 at 06:12",
        "The government and the Barisan Revolusi Nasional (BRN), the insurgent group in the far South, have agreed "
        "to stop violence during Ramadan.",
        "The accord was announced after two days of meetings near Kuala Lumpur ended on Friday, the facilitator said.",
    )
    assert [(c.kind, "Barisan Revolusi Nasional" in c.actors) for c in found.commitments] == [("ceasefire", True)]
    assert [r.kind for r in found.reports] == []


def test_an_attempt_to_broker_a_deal_commits_nobody() -> None:
    found = article(
        "Published 9 August 2024, 10:41 CEST",
        "Israeli strikes killed dozens in Gaza overnight, health officials said.",
        "Mediators from Egypt and Qatar have spent months trying to broker a deal to free the hostages held by Hamas.",
    )
    assert found.commitments == ()


def test_a_truce_told_again_in_reported_speech_gets_its_terms() -> None:
    found = article(
        "16.05.2022",
        "Die Guerillaorganisation ELN will die Waffen rund um die Präsidentenwahl Ende Mai ruhen lassen.",
        "Die Feuerpause beginne am 25. Mai um 0 Uhr Ortszeit und ende am 3. Juni um 24 Uhr, erklärte das "
        "Zentralkommando der ELN im Internet.",
    )
    truce = only(found)
    bogota = timezone(timedelta(hours=-5))
    assert (truce.kind, truce.start, truce.end) == (
        "ceasefire",
        datetime(2022, 5, 25, 0, 0, tzinfo=bogota),
        datetime(2022, 6, 4, 0, 0, tzinfo=bogota),
    )


def test_a_pullback_under_way_is_a_withdrawal_in_force() -> None:
    found = article(
        "Stand: 09.09.2022 17:24 Uhr",
        "Seit zwei Jahren stehen sich indische und chinesische Soldaten mit Artillerie gegenüber; bei Gefechten "
        "wurden Soldaten getötet.",
        "Indien und China haben mit dem Abzug ihrer Truppen aus einem umstrittenen Grenzgebiet begonnen.",
        "Bis Montag sollen die Stellungen vollständig geräumt sein, sagte ein Sprecher in Neu-Delhi.",
    )
    assert [(c.kind, set(c.actors), c.status) for c in found.commitments] == [
        ("withdrawal", {"India", "China"}, "in_force")
    ]


def test_an_outsider_that_pulls_out_is_the_one_bound_and_the_state_it_sits_in_a_place() -> None:
    found = article(
        "31/10/2023 - 18:47",
        "Fighting between Mali's army and Tuareg-led rebels of the CSP has intensified, with drone strikes and "
        "artillery around Kidal.",
        "The UN mission in Mali on Tuesday pulled its last troops out of its camp in Kidal, weeks ahead of schedule.",
    )
    assert [(c.kind, c.actors) for c in found.commitments if c.kind == "withdrawal"] == [
        ("withdrawal", ("United Nations",))
    ]


def test_a_phase_told_again_gives_the_truce_its_terms() -> None:
    found = article(
        "Published 4 February 2025, 19:30 GMT",
        "Israel and Hamas agreed a ceasefire in January after more than a year of war and shelling in Gaza.",
        "Israeli forces are to complete their withdrawal from the Netzarim corridor by Sunday.",
        "The six-week first phase took effect on 19 January.",
    )
    truce = next(c for c in found.commitments if c.kind == "ceasefire")
    assert (truce.start, truce.duration_days, truce.end) == (date(2025, 1, 19), 42, date(2025, 3, 2))


def test_leaving_a_project_or_discussing_an_extension_commits_nobody() -> None:
    found = article(
        "Published 16 July 2025, 18:00 BST",
        "Russia's space agency chief met his NASA counterpart in Houston, despite the war and the invasion of "
        "Ukraine that occupied much of the talks on the sidelines.",
        "In 2022, the agency's head announced that Russia would withdraw from the project after 2024.",
        "Roscosmos said afterwards that the two sides had discussed extending the seat swap beyond 2027.",
    )
    assert (found.commitments, found.reports) == ((), ())
