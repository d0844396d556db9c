"""What one (normalised) sentence states: commitment kinds, a status cue, a report kind, conditions and scope.

The cues come from ``resources/<lang>/frames.yaml``; the order of the checks here encodes which reading wins
where two could (a maritime halt before a targeted halt before a general ceasefire; talks before what they are
about). Everything is a pure function of the sentence and its language.
"""

from __future__ import annotations

import re
from typing import Literal

from articles.drafts import HALTS
from articles.model import CommitmentKind, CommitmentStatus, ReportKind
from articles.roles import clause_end
from articles.rules import RuleSet, rules

__all__ = [
    "StatusCue",
    "anchored",
    "before_record",
    "commitment_kinds",
    "conditions",
    "describes_attack",
    "mentioned_kind",
    "names_condition",
    "report_kind",
    "scope",
    "split_conditions",
    "status",
    "talked_about",
]

# "modal" (will, soll) and "valid" (gilt) are not statuses of their own: the caller resolves them from context.
StatusCue = CommitmentStatus | Literal["modal", "valid"]


def _has(language: str, cue: str, text: str) -> bool:
    return rules(language).cue(cue).search(text) is not None


_BREACH_REACH = 40  # characters around a breach word where what was breached is named
_FEAR_REACH = 100  # characters between "fears that" and the verb of what it fears
_RELEASE_REACH = 150  # characters between a handover word and the people handed over
_CLOSING_MARKS = ".!?\"'”“»« )"  # what may follow a sentence's last word


def _near(language: str, cue: str, other: str, text: str, reach: int = _RELEASE_REACH) -> bool:
    """Two cues close together: "free 33 hostages", not "keep the town free of troops ... people"."""
    cues = rules(language)
    near = cues.cue(other)
    return any(
        near.search(text, max(0, m.start() - reach), m.end() + reach) is not None for m in cues.cue(cue).finditer(text)
    )


def anchored(text: str, language: str) -> bool:
    """ "Within 60 days of the truce taking effect": the period counts from the ceasefire's start."""
    return _has(language, "anchor", text)


_TARGET_REACH = 120  # characters between a halt word and the targets it spares


_TOPIC_REACH = 30  # characters between "talks on" and the act they are about


def talked_about(language: str, cue: str, text: str) -> bool:
    """The act is only what talks are about: "negotiations on a new exchange"."""
    cues = rules(language)
    about, act = cues.cue("talks_about").search(text), cues.cue(cue).search(text)
    return about is not None and act is not None and 0 <= act.start() - about.end() <= _TOPIC_REACH


def _family(text: str, language: str) -> CommitmentKind | None:
    """The ceasefire family: maritime before targeted halts before general ceasefires."""
    cues = rules(language)
    match = cues.cue("ceasefire_word").search(text)
    halt_match = cues.cue("halt_word").search(text)
    halt = halt_match is not None
    if match is None and halt_match is None:
        return None
    about = cues.cue("talks_about").search(text)
    if match and about and about.start() < match.start():
        return None  # "negotiations on a maritime ceasefire" are talks, not a ceasefire
    if match and cues.cue("toward").search(text, max(0, match.start() - 60), match.start()):
        return None  # "a rapid move toward a full ceasefire" is a goal, not a ceasefire
    if cues.cue("anchor").search(text):
        return None  # "after the truce takes effect" refers to the ceasefire, it does not restate it
    # a halt word without "ceasefire" is a halt on strikes only when the sentence speaks of strikes
    halt = halt and (match is not None or cues.cue("attack").search(text) is not None)
    everywhere = cues.cue("all_domains").search(text) is not None  # "on land, in the air and at sea"
    if cues.cue("maritime").search(text) and (match or halt) and not everywhere:
        return "maritime_ceasefire"
    word = match or halt_match
    assert word is not None
    # the targets a halt spares stand beside it ("strikes on energy facilities halted"), not anywhere in the sentence
    targeted = cues.cue("target").search(text, max(0, word.start() - _TARGET_REACH), word.end() + _TARGET_REACH)
    if (targeted and (halt or match)) or (match is None and cues.cue("moratorium").search(text)):
        return "strike_halt"  # a moratorium is a halt on strikes against a class of targets
    return "ceasefire" if match else None


_ONGOING_REACH = 30  # "wird derzeit beraten", "while talks … continue": the words stand right beside the talks


def talks_planned(text: str, language: str) -> bool:
    """Talks that are to take place: a talks word with a future cue near it, not after "after" or "days of"."""
    cues = rules(language)
    past, future = cues.cue("talks_past"), cues.cue("talks_future")
    excluded, clause_end = cues.cue("talks_excluded"), cues.cue("clause_break")
    reach = int(cues.data["talks_future_reach"])
    for match in cues.cue("talks").finditer(text):
        if past.search(text, max(0, match.start() - 60), match.start()) or cues.cue("talks_past_after").match(
            text, match.end()
        ):
            continue  # "after three days of talks", "at their Luanda summit last August"
        if excluded.search(text, max(0, match.start() - 40), match.start()):
            continue  # "were not part of the talks": who sat at the table, not talks to come
        right = min(len(text), match.end() + 150)
        cut = clause_end.search(text, match.end(), right)  # a future in the next clause is about something else
        near = (max(0, match.start() - reach), cut.start() if cut else right)
        if cues.cue("talks_ongoing").search(text, max(0, match.start() - _ONGOING_REACH), match.end() + _ONGOING_REACH):
            continue  # "über eine Verlängerung wird derzeit beraten": talks under way, none to come
        if future.search(text, *near):
            return True
        if cues.cue("agreed_to_talk").search(text, max(0, match.start() - 80), min(len(text), match.end() + 40)):
            return True  # "agreed to hold talks", "vereinbarten, sich erneut zu treffen"
    return False


def before_record(text: str, language: str) -> str:
    """The sentence up to a record it measures against an earlier act ("It was the first swap since late June, when
    90 went home"): what follows tells of that earlier act."""
    record = rules(language).cue("record_since").search(text)
    return text if record is None else text[: record.start()]


def commitment_kinds(text: str, language: str) -> list[CommitmentKind]:
    """Every kind of promise a sentence mentions, most specific first; one per family.

    Talks *about* something ("negotiations on a maritime ceasefire") promise only the talks; talks beside other
    terms ("troops withdraw, and commanders will meet within five days") promise both.
    """
    found: list[CommitmentKind] = []
    text = before_record(text, language)
    text = _blanked(text, language, "past_aside", "talks_off_topic")  # a party named by its past; cricket talks
    planned = talks_planned(text, language)
    if _has(language, "no_deal", text) and not _has(language, "proposal", text):
        # "unable to agree on a ceasefire" promises no ceasefire; "did not accept the truce Washington proposed"
        # still tells of the proposal
        return ["negotiations"] if planned else []
    if planned or _has(language, "topic_of_talks", text):
        if _has(language, "talks_about", text) or _has(language, "topic_of_talks", text):
            return ["negotiations"] if planned else []
        found.append("negotiations")
    family = _family(text, language)
    if family:
        found.append(family)
    # "so that civilians who fled can return": people going home by themselves are handed over by nobody
    # ... and sweets or greetings exchanged ("Soldaten wollen Süssigkeiten austauschen") are no prisoners swapped,
    # nor does leaving politics withdraw troops, nor is freeing all "until" which a demand holds a promise
    text = _blanked(text, language, "displaced_return", "things_swapped", "politics_left", "until_clause")
    persons = _has(language, "persons", text)
    if (handover := _handover(text, language, persons=persons)) is not None:
        found.append(handover)
    if (prison := _has(language, "from_prison", text)) and not persons:
        found.append("release")  # "Kohler and Paris have left Evin prison": people set free, though not named so
    items = scope_items(text, language)
    ungated = set(rules(language).data["ungated_scopes"])
    # not aid a truce is declared for ("a truce to facilitate aid deliveries"); looked up only beside an item
    purpose = bool(items) and family in HALTS and _has(language, "truce_purpose", text)
    if items and not purpose and (_has(language, "other_gate", text) or ungated.intersection(items)):
        found.append("other")
    elif _has(language, "withdraw", text) and not prison:
        found.append("withdrawal")  # not who left a prison
    return found


def _blanked(text: str, language: str, *cues: str) -> str:
    """The text with what the cues match set to spaces: offsets stay as they were for the cues read after."""
    for cue in cues:
        text = rules(language).cue(cue).sub(lambda m: " " * len(m.group(0)), text)
    return text


def _handover(text: str, language: str, *, persons: bool) -> CommitmentKind | None:
    """The swap or release a sentence promises, if any; ``persons``: whether it names people held."""
    if talked_about(language, "swap", text):
        return None  # "UN-led talks between the two sides on a new exchange": the talks' topic, no swap promised
    if persons:
        if _has(language, "swap", text) or (_has(language, "release", text) and _has(language, "each_side", text)):
            return "prisoner_exchange"  # "hand over at least 1,200 prisoners each": both sides, a swap
        if (
            _near(language, "release", "persons", text)
            or (_has(language, "in_return", text) and _has(language, "head_count", text))
            or _has(language, "freed_state", text)
        ):
            # "in return for 90 prisoners" names what one side gets for what it hands over; "are free again", by
            # someone unnamed
            return "release"
        return None
    if _has(language, "release", text) and _has(language, "in_return", text):
        return "prisoner_exchange"  # "Vinnik will be freed in exchange for Fogel": people, though not named so
    if _has(language, "handed_to_red_cross", text):
        return "release"  # "Hamas has handed Edan Alexander to the Red Cross": a person, though unnamed as one
    return None


def mentioned_kind(text: str, language: str) -> CommitmentKind | None:
    """What a report is about when the sentence names it: the Black Sea makes it maritime, targets a halt."""
    cues = rules(language)
    ceasefire = cues.cue("ceasefire_word").search(text)
    if cues.cue("black_sea").search(text) or (cues.cue("maritime").search(text) and ceasefire):
        return "maritime_ceasefire"
    if cues.cue("target").search(text) and not ceasefire:
        return "strike_halt"
    found = [k for k in commitment_kinds(text, language) if k != "negotiations"] if not ceasefire else ["ceasefire"]
    if not found and cues.cue("peace_deal").search(text):
        return "other"  # "terminated the 2015 peace agreement": a peace deal is a promise of its own
    if not found and cues.cue("talks").search(text):
        return "negotiations"
    return found[0] if found else None  # type: ignore[return-value]


def denied_kind(text: str, language: str) -> CommitmentKind | None:
    """What a denial is about: the kind named after its verb ("The member who confirmed the truce denied that any
    withdrawal had been agreed" denies the withdrawal), else the kind the sentence names."""
    match = rules(language).labelled("report_kinds", "denial").pattern.search(text)
    after = mentioned_kind(text[match.end() :], language) if match is not None else None
    return after or mentioned_kind(text, language)


def status(text: str, language: str, *, besides: str | None = None) -> StatusCue | None:
    """The strongest status cue in the sentence (other than ``besides``), or None when it states no commitment."""
    cues = rules(language)
    hit = next(
        ((rule, m) for rule in cues.ranked("status") if rule.label != besides and (m := rule.pattern.search(text))),
        None,
    )
    if hit is None or cues.cue("attempt").search(text, max(0, hit[1].start() - 60), hit[1].start()):
        return None  # "mediators are trying to broker a deal": an attempt commits nobody
    if cues.cue("attempt_after").match(text, hit[1].end()):
        return None  # "Qatar will try to secure their release": the same, told after the verb
    if cues.cue("fear").search(text, max(0, hit[1].start() - _FEAR_REACH), hit[1].start()):
        return None  # "Ukraine fears that clearing the mines would leave Odesa open": a fear commits nobody
    if cues.cue("counterfactual").search(text):
        return None  # "Israel hätte 600 Häftlinge freilassen sollen": what was to happen and did not
    return hit[0].label  # type: ignore[return-value]


def _breaches_a_law(text: str, match: re.Match[str], cues: RuleSet) -> bool:
    """The breach named is of a law or of rights, and no truce is named beside it ("a violation of the ceasefire
    and of human rights" still breaks the truce)."""
    start, end = max(0, match.start() - _BREACH_REACH), match.end() + _BREACH_REACH
    return bool(cues.cue("other_breach").search(text, start, end)) and not cues.cue("ceasefire_word").search(
        text, start, end
    )


def report_kind(text: str, language: str) -> ReportKind | None:
    """The one kind of later claim the sentence makes, by priority; fulfilment needs a past, counted act."""
    cues = rules(language)
    support = cues.cue("support_charge").search(text)
    for rule in cues.ranked("report_kinds"):
        match = rule.pattern.search(text)
        if not match:
            continue
        if support is not None and support.start() <= match.start() < support.end():
            continue  # "Kigali, which Kinshasa accuses of backing the M23": a charge of support, no claim of a breach
        if rule.label == "fulfilment" and (
            not _fulfilled(text, match, language) or cues.cue("politics_left").search(text)
        ):
            continue  # not done, or done to a candidacy ("ihre Bewerbung zurückgezogen")
        if rule.label == "extension" and cues.cue("negated_extension").search(text):
            continue
        if rule.label in {"extension", "expiry"} and cues.cue("mandate").search(text):
            continue  # "the Council extended the mission's mandate": a body's licence, no promise of the sides
        if rule.label == "violation" and _breaches_a_law(text, match, cues):
            continue  # "jailed for violating US sanctions": a breach of a law, not of a promise
        if rule.label in _FACTUAL and _hedged(text, match, language, rule.label):
            continue  # "was supposed to expire", "could be extended": what did not happen is no report
        if rule.label == "expiry" and (
            (
                match.group(0).lower().startswith("ende")
                and cues.cue("talks_ended").search(text, max(0, match.start() - 60), match.start())
            )
            or _meeting_ended(text, match, language)
            or cues.cue("sanction_deadline").search(text)
        ):
            # "two days of meetings near Kuala Lumpur ended on Friday", "Die erste Konferenz … ist mit einem
            # Communiqué zu Ende gegangen": a meeting ended, no promise lapsed; nor did an ultimatum of sanctions
            continue
        if rule.label == "denial" and cues.cue("neither_nor").search(text, max(0, match.start() - 60), match.start()):
            continue  # "could neither confirm nor deny": no denial
        if rule.label in {"reaction", "denial"} and _in_relative_clause(text, match.start(), language):
            # "prisoners, many of whom were condemned ...", "Rwanda, which denies backing the M23, said …": a word
            # about a noun, not an answer
            continue
        return rule.label  # type: ignore[return-value]
    if cues.cue("weak_reaction").search(text) and (
        mentioned_kind(text, language) or cues.cue("refers_to_deal").search(text)
    ):
        return "reaction"
    return None


_FACTUAL = frozenset({"expiry", "extension", "compliance", "violation", "fulfilment"})


def _meeting_ended(text: str, match: re.Match[str], language: str) -> bool:
    """A meeting is the subject of the clause that ends ("The meeting, which lasted several hours, ended without an
    agreement"): a relative clause after the subject does not end that clause."""
    cues = rules(language)
    subject = cues.cue("meeting_subject").match(text)
    if subject is None:
        return False
    end = clause_end(text, 0)
    if text[end : end + 1] == "," and cues.cue("relative_clause").match(text, end + 1):
        end = clause_end(text, clause_end(text, end + 1) + 1)  # past ", which lasted several hours,"
    return end >= match.end()


def _clause_start(text: str, end: int, language: str) -> int:
    """Where the clause that ends at ``end`` begins: after the last comma, semicolon or coordinating word."""
    starts = [m.end() for m in rules(language).cue("clause_start").finditer(text, 0, end)]
    return starts[-1] if starts else 0


def _in_relative_clause(text: str, at: int, language: str) -> bool:
    start = _clause_start(text, at, language)
    return text[start - 1 : start] == "," and bool(rules(language).cue("relative_clause").match(text, start))


_GENERIC_REACH = 12  # "any " / "jeder " stands right before the cue


def _hedged(text: str, match: re.Match[str], language: str, label: str) -> bool:
    """A modal, a counterfactual, a qualifier or a quantifier ("any violation") before the cue; a violation or a
    handover told in the mood of reported speech, with its speaker named, is a claim all the same ("Beide Seiten
    hätten 185 Gefangene übergeben, teilte das Ministerium mit")."""
    cues = rules(language)
    clause_start = _clause_start(text, match.start(), language)
    hedge = cues.cue("hedge").search(text, max(0, match.start() - 60), match.start())
    if (
        hedge is not None
        and label in {"violation", "fulfilment"}
        and cues.cue("reported_mood").match(hedge.group(0))
        and (cues.cue("speech").search(text) or ":" in text[: hedge.start()])
    ):
        hedge = None
    modal = cues.cue("modal_future").search(text, clause_start, match.start())
    if modal is not None and label == "extension" and cues.cue("present_passive").fullmatch(modal.group(0)):
        # "Die Feuerpause wird um 15 Tage verlängert": decided now, not "wird verlängert werden"
        modal = None if cues.cue("passive_future_after").match(text, match.end()) is None else modal
    return bool(
        modal
        or hedge
        or cues.cue("generic").search(text, max(0, match.start() - _GENERIC_REACH), match.start())
        or cues.cue("generic_who").search(text, max(0, match.start() - 60), match.start())
        or cues.cue("hedge_after").match(text, match.end())
        or cues.cue("doubt").search(text, 0, match.start())
        or cues.cue("condition_after").match(text, match.end())
    )


def has_withdrawal(text: str, language: str) -> bool:
    """The sentence speaks of troops leaving ("the deadline for the withdrawal of foreign fighters")."""
    return _has(language, "withdraw", text)


def describes_attack(text: str, language: str) -> bool:
    """Strikes, shelling, drones: a violation claim once the reader knows which halt the sentence is about; the war's
    own start ("since the fighting began") is none."""
    return _has(language, "attack", rules(language).cue("war_start").sub(" ", text))


def _fulfilled(text: str, match: re.Match[str], language: str) -> bool:
    """A past act in a clause without a future modal, with a head count or people on a day named (talks and
    withdrawals need neither)."""
    cues = rules(language)
    clause_start = max(text.rfind(",", 0, match.start()), text.rfind(";", 0, match.start())) + 1
    if cues.cue("modal_future").search(text, clause_start, match.start()):
        return False
    first_clause = clause_end(text, 0)
    closes = text[match.end() :].lstrip(_CLOSING_MARKS)[:1] in {"", ","}  # the verb ends its clause
    if closes and cues.cue("bracket_future").search(text, 0, first_clause):
        return False  # "Die Hamas werde sie, die Soldatin und eine Geisel übergeben": the verb closes the future
    if cues.cue("infinitive_before").search(text, max(0, match.start() - 4), match.start()):
        return False  # "verständigten sich, die Häftlinge zu übergeben": to be done, not done
    if cues.cue("not_people_before").search(text, max(0, match.start() - 30), match.start()):
        return False  # "figures released by the ministry": what was released is no people
    if cues.cue("took_place").fullmatch(match.group(0)):
        # "the swap took place" fulfils; "the signing took place at the summit" does not
        before = text[max(0, match.start() - 60) : match.start()]
        return bool(cues.cue("swap").search(before) or cues.cue("talks").search(before))
    return bool(
        cues.cue("head_count").search(text)
        or cues.cue("talks").search(text)
        or cues.cue("withdraw").search(text)
        or cues.cue("handed_to_red_cross").search(text)
        # uncounted people on a day named: "Am Montag kamen die ersten Gefangenen frei"; one named person swapped
        # for another: "Karelina was released on Thursday in exchange for Arthur Petrov"; people out of a prison
        or (
            (
                cues.cue("persons").search(text)
                or cues.cue("in_return").search(text)
                or cues.cue("from_prison").search(text)
            )
            and cues.cue("recent_day").search(text)
        )
    )


def _clean_condition(clause: str, language: str) -> str:
    """The clause without passive auxiliaries, as the contract spells conditions."""
    return " ".join(rules(language).cue("auxiliary").sub("", " " + clause).split())


def conditions(text: str, language: str) -> tuple[str, ...]:
    """Short condition clauses, without "if"/"wenn" and auxiliaries; not those that only govern an extension."""
    cues = rules(language)
    out: list[str] = []
    for match in cues.cue("condition").finditer(text):
        if cues.cue("extend_before").search(text, max(0, match.start() - 120), match.start()):
            continue
        clause = _clean_condition(match.group("clause"), language)
        if clause:
            out.append(clause)
    return tuple(out)


def names_condition(text: str, language: str) -> bool:
    """A sentence that states a condition of an earlier promise says so ("Voraussetzung", "condition")."""
    return _has(language, "condition_noun", text)


def split_conditions(text: str, language: str) -> str:
    """The sentence without its condition clauses and what it sets aside ("Statt einer Waffenruhe bietet er
    Verhandlungen an"), so parties and cues inside them do not leak out."""
    cues = rules(language)
    return cues.cue("instead").sub(" ", cues.cue("condition").sub(" ", text))


def scope_items(text: str, language: str) -> list[str]:
    """Non-military undertakings named in the sentence (aid access, corridors, evacuations, peacekeepers)."""
    return [str(rule.label) for rule in rules(language).ranked("other_scopes") if rule.pattern.search(text)]


def withdrawal_scope(text: str, language: str) -> str | None:
    """Where troops leave: "from southern Lebanon", "aus dem Südlibanon" -> "southern Lebanon"."""
    cues = rules(language)
    match = cues.cue("withdraw_from").search(text)
    if match is None:
        return None
    place = " ".join(match.group("s").split())
    lowered = place.lower()
    for source, english in cues.data["glossary"].items():
        lowered = lowered.replace(source, english)
    return place if lowered == place.lower() else lowered


def scope(kind: CommitmentKind, text: str, language: str) -> str | None:
    """A short canonical English scope for the kinds that have one."""
    cues = rules(language)
    if kind == "strike_halt":
        if cues.cue("scope_civil").search(text):
            return "civilian infrastructure"
        if cues.cue("scope_energy").search(text):
            return "energy infrastructure"
        return "infrastructure" if cues.cue("target").search(text) else None
    if kind == "maritime_ceasefire":
        return "Black Sea" if cues.cue("black_sea").search(text) else None
    if kind == "withdrawal":
        return withdrawal_scope(text, language)
    if kind == "other":
        items = scope_items(text, language)
        return "; ".join(items) if items else None
    if kind == "prisoner_exchange":
        swap = cues.cue("per_day_swap").search(text)
        if swap:
            hostages = {w.lower() for w in cues.data["hostage_words"]}
            noun_a = "hostages" if swap.group("na").lower() in hostages else "prisoners"
            noun_b = "hostages" if swap.group("nb").lower() in hostages else "prisoners"
            return f"{swap.group('a')} {noun_a} per day for {swap.group('b')} {noun_b}"
    return None
