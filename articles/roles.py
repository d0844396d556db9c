"""Who does what in one sentence: committers, speakers, accusers and the accused.

A party that only *says* something, mediates, receives a handover or owns the targets of a strike is not the party
that commits; :func:`roles` sorts the mentions of one sentence by the grammar around them (speech verbs and their
inverted forms, "according to", prepositions, titles). The words live in the cues of ``resources/<lang>/
entities.yaml``; this module only knows clause marks and distances.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from articles.entities import Mention, find_parties, placed
from articles.rules import rules

__all__ = ["Roles", "clause_cut", "clause_end", "inverted_subject", "roles"]

_INVERTED_REACH = 30  # characters between a fronted verb and the subject after it ("warf die israelische Armee")
_LATE_SPEAKER = 100  # how far into its clause an inverted speech verb may name its speaker


@dataclass(frozen=True, slots=True)
class Roles:
    """Who does what in one sentence: committers, speakers, and accusers/accused for claims."""

    actors: tuple[str, ...]
    speakers: tuple[str, ...]
    accusers: tuple[str, ...]
    accused: tuple[str, ...]
    between: tuple[str, ...]
    counterparts: tuple[str, ...] = ()  # named after a truce or talks "with": the other side of them


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _subject_before_relative(text: str, cut: int, mentions: Sequence[Mention], language: str) -> list[str]:
    """The subject a relative clause stood after: "Die Regierung Angolas, die zwischen Kongo und Ruanda vermittelt,
    bezeichnete …" accuses as Angola, not as the parties it mediates between."""
    inner = clause_cut(text, cut - 1)
    if inner <= 0 or text[inner - 1 : inner] != "," or not rules(language).cue("relative_clause").match(text, inner):
        return []
    outer = clause_cut(text, inner - 1)
    return [m.name for m in mentions if outer <= m.start < inner - 1]


_CLAUSE_MARKS = ",;:–—"  # what ends a clause: a comma, semicolon, colon or dash
_CLAUSE_END = re.compile(f"[{_CLAUSE_MARKS}]")


def clause_cut(text: str, end: int) -> int:
    """Start of the clause that ends at ``end``: after the last comma, semicolon, colon or dash."""
    return max((text.rfind(c, 0, end) for c in _CLAUSE_MARKS), default=-1) + 1


def clause_end(text: str, start: int) -> int:
    """End of the clause that goes on from ``start``: the next comma, semicolon, colon or dash, else the text's end."""
    mark = _CLAUSE_END.search(text, start)
    return mark.start() if mark else len(text)


def _speaker_spans(text: str, language: str, mentions: Sequence[Mention] = ()) -> list[tuple[int, int]]:
    """Spans of speakers: "X said" (clause before the verb) or ", said X" / "according to X" (words after).

    After "according to" / "laut" the speaker is the first party named (with its title), not the whole clause:
    "Laut dem Weißen Haus haben sich Trump und Putin geeinigt" has one speaker and two who agreed.
    """
    cues = rules(language)
    after_first = cues.cue("speech_after")
    place_prep, institution = cues.cue("place_prep"), cues.cue("institution_before")
    spans: list[tuple[int, int]] = []
    for name in ("speech", "late_speech"):
        for match in cues.cue(name).finditer(text):
            cut = clause_cut(text, match.start())
            if name == "late_speech" and not cut:
                continue  # "Putin announced a truce": the announcer is the one who commits
            nxt = min((i for i in (text.find(c, match.end()) for c in ",;:–—") if i >= 0), default=len(text))
            stop = min(nxt, match.end() + 45)
            word = match.group(0)
            # "…, teilte X mit" or "Wenige Stunden später meldete sich X zu Wort": the speaker follows the verb
            before = text[cut : match.start()]
            inverted = not before.strip() or cues.cue("fronted_adverbial").search(before) is not None
            if any(match.start() <= m.start < match.end() for m in mentions):
                spans.append(match.span())  # "nach chinesischen Angaben": the source is named inside the phrase
            elif word.lower() == "zufolge":
                spans.append((cut, match.start()))
            elif after_first.match(word):
                first = next(
                    (
                        m
                        for m in mentions
                        if match.end() <= m.start < stop and not placed(text, m.start, place_prep, institution)
                    ),
                    None,
                )
                spans.append((match.start(), first.end if first else stop))
            elif inverted:
                # ", hieß es in einer auf Telegram verbreiteten Mitteilung des russischen Verteidigungsministeriums":
                # with no party in the first words, the first one named further on in the clause speaks
                if not any(match.end() <= m.start < stop for m in mentions):
                    late = next(
                        (
                            m
                            for m in mentions
                            if stop <= m.start < min(nxt, match.end() + _LATE_SPEAKER)
                            and not placed(text, m.start, place_prep, institution)
                        ),
                        None,
                    )
                    stop = late.end if late is not None else stop
                spans.append((match.start(), stop))
            else:
                spans.append((cut, match.start()))
    spans.extend(m.span() for m in cues.cue("mediator").finditer(text))
    return spans


def _oblique(text: str, mention: Mention, language: str) -> bool:
    """True when grammar makes the mention an addressee, owner, recipient or target rather than a subject."""
    cues = rules(language)
    lo = max(0, mention.start - 40)
    if cues.cue("topic_after").match(text, mention.end):
        return True  # "im Ukraine-Krieg", "the Gaza war": a topic, not a party
    if cues.cue("backer_after").match(text, mention.end):
        return True  # "Rwanda-backed M23 rebels": the backer, not the one who acts
    if cues.cue("attacker_after").match(text, mention.end):
        return False  # "Moratorium für russische Angriffe": whose attacks stop is who commits
    if cues.cue("target_before").search(text, lo, mention.start) or cues.cue("left_after").match(text, mention.end):
        return True  # ... or the country left ("müssten Syrien verlassen")
    if cues.cue("oblique").search(text, lo, mention.start):
        # not "Die Militärführung in Myanmar", "the ministry in Moscow": the state that institution belongs to
        return cues.cue("institution_before").search(text, max(0, mention.start - 60), mention.start) is None
    return cues.cue("person_after").match(text, mention.end) is not None


def _counterpart(text: str, mention: Mention, language: str) -> bool:
    """ "the ceasefire with the EMC"; not "talks with Lloyd Austin": a person met is no side."""
    return not mention.person and bool(
        rules(language).cue("counterpart").search(text, max(0, mention.start - 40), mention.start)
    )


def _same_name_group(text: str, first: Mention, second: Mention, language: str) -> bool:
    """Two mentions of one party a title apart ("Kremlchef Wladimir Putin") are one noun phrase."""
    gap = text[first.end : second.start]
    return first.name == second.name and len(gap) <= 20 and not rules(language).cue("gap_break").search(gap)


def inverted_subject(text: str, cut: int, verb: re.Match[str], mentions: Sequence[Mention], language: str) -> list[str]:
    """ "Am Dienstag warf Israel dem Iran vor", "Gegen 10.30 Uhr übergaben pakistanische Ranger …": with only an
    adverbial before the verb (from ``cut``, the clause's start), the subject follows it."""
    cues = rules(language)
    if not cues.cue("fronted_adverbial").search(text[cut : verb.start()]):
        return []
    after = next((m for m in mentions if m.start >= verb.end()), None)
    if after is None or after.start - verb.end() > _INVERTED_REACH:
        return []
    if cues.cue("not_subject").search(text, verb.end(), after.start):
        return []  # "warf er der Ukraine vor", "warf dem Iran vor": a pronoun is the subject, a dative the accused
    return [after.name]


def roles(text: str, mentions: Sequence[Mention] | None = None, language: str = "en") -> Roles:
    """Split the parties of one sentence into committers, speakers, accusers and accused."""
    cues = rules(language)
    addressee, place_prep, institution = cues.cue("addressee"), cues.cue("place_prep"), cues.cue("institution_before")
    backer, told = cues.cue("backer_after"), cues.cue("told_after")
    mentions = find_parties(text, language) if mentions is None else mentions
    spans = _speaker_spans(text, language, mentions)
    # "nach chinesischen Angaben": a party named inside the words that attribute speech is their source
    sources = [m.span() for m in cues.cue("speech").finditer(text)] if spans else []
    speakers: list[str] = []
    plain: list[str] = []
    between: list[str] = []
    counterparts: list[str] = []
    previous: Mention | None = None
    for mention in mentions:
        if previous is not None and _same_name_group(text, previous, mention, language):
            continue  # "US-Präsident Donald Trump": the title decided the role already
        previous = mention
        if any(a <= mention.start < b for a, b in spans):
            if any(a <= mention.start and mention.end <= b for a, b in sources) or (
                not addressee.search(text, max(0, mention.start - 30), mention.start)
                and not placed(text, mention.start, place_prep, institution)
                and not backer.match(text, mention.end)
            ):
                speakers.append(mention.name)
            continue
        if cues.cue("between").search(text, max(0, mention.start - 50), mention.start):
            between.append(mention.name)
            plain.append(mention.name)
        elif cues.cue("passive_agent").search(text, max(0, mention.start - 80), mention.start):
            plain.append(mention.name)  # "were freed by the authorities in Tehran": who frees, though after "by"
        elif (
            not _oblique(text, mention, language)
            and not told.match(text, mention.end)
            and not placed(text, mention.start, place_prep, institution)
        ):
            plain.append(mention.name)  # not "Israel has been told that 20 hostages will be freed": who hears it
        elif _counterpart(text, mention, language):
            counterparts.append(mention.name)  # "the ceasefire with the EMC": bound where agreed or no subject is named
    accuse = cues.cue("accuse").search(text)
    accusers: list[str] = []
    accused: list[str] = []
    # the subject right before "accused" / "warf ... vor"; a speaker named before it speaks for it ("Zelensky said
    # ... but accused Moscow"), one named after it belongs to another clause ("..., while Kinshasa says ...")
    if accuse and not any(m.name in speakers and m.start < accuse.start() for m in mentions):
        cut = clause_cut(text, accuse.start())
        subjects = [m.name for m in mentions if cut <= m.start < accuse.start()]
        if not subjects and not text[cut : accuse.start()].strip():
            subjects = _subject_before_relative(text, cut, mentions, language)
            if not subjects and cues.cue("accuse_participle_clause").match(accuse.group(0)):
                # "The M23 …, gave a very different account, accusing the army of …": the main clause's subject
                subjects = [m.name for m in mentions if m.start < clause_end(text, 0)]
        accusers = subjects[-1:] or inverted_subject(text, cut, accuse, mentions, language)
        aux = cues.cue("perfect_auxiliary").search(text, cut, accuse.start())
        if aux is not None and len(subjects) >= 2 and cues.cue("accuse_participle").fullmatch(accuse.group(0)):
            # "Die Regierung in Afghanistan hat Pakistan vorgeworfen, …": the subject before the auxiliary accuses,
            # the object between it and the participle is accused
            before = [m.name for m in mentions if cut <= m.start < aux.start()]
            if before:
                accusers = before[:1]
                accused = [m.name for m in mentions if aux.end() <= m.start < accuse.start() and m.name != before[0]]
    accusers = accusers or speakers
    topic = cues.cue("topic_after")
    for mention in mentions:
        taken = mention.name in accusers or mention.name in speakers or mention.name in accused
        # after the verb, or inside "called the capture by the M23 a violation": whose act it was
        if not taken and (accuse is None or mention.start > accuse.start()) and not topic.match(text, mention.end):
            accused.append(mention.name)  # not "near the Venezuelan border": a place, not who is accused
    actors = _unique(between) if len(set(between)) >= 2 else _unique(plain)
    return Roles(
        actors, _unique(speakers), _unique(accusers), _unique(accused), _unique(between), _unique(counterparts)
    )
