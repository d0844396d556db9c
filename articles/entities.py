"""Conflict parties: every name a story uses (capitals, leaders, adjectives, German forms) -> one English name.

Who among the names commits, speaks or accuses is :mod:`articles.roles`' business.
Names come from ``resources/parties.yaml`` (facts: people, capitals, abbreviations), ``resources/<lang>/
parties.yaml`` (names in that language) and ``resources/conflicts.yaml`` (who fights whom). A capitalised name
with an armed group's head noun ("Kachin Independence Army") is kept even when the lists do not know it.
Names are looked up word by word in a dictionary, not by one huge regex, which keeps extraction fast.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from articles.conflicts import conflict_of
from articles.lexicon import Lexicon
from articles.rules import common, data, rules

__all__ = [
    "Gazetteer",
    "Mention",
    "display_name",
    "find_parties",
    "gazetteer",
    "head_index",
    "introduced",
    "leaders_in",
    "local_zone",
    "named_parties",
    "placed",
    "resolve_heads",
    "resolve_introduced",
    "zone_of",
]

# Words, keeping "U.S." and "Sudan's" whole; hyphens split ("US-Präsident", "Saudi-Arabien", "Hamas-led").
_WORD_RE = re.compile(r"[^\W\d_](?:[^\W_]|[.'’](?=[^\W\d_]))*\.?")
_INITIALS_RE = re.compile(r"(?:[A-Z]\.)+")
_LETTERS_RE = re.compile(r"[^\W_]+")
_MAX_ALIAS_WORDS = 4
_PLACE_REACH = 30  # characters before a name where "in" ("im Gebiet", "in the district of") makes it a place
_MEMO_WORDS = 50_000

_Alias = tuple[tuple[str, ...], str, bool]  # words, canonical name, names a person


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """The party names of one language, indexed by first word."""

    exact: dict[str, list[_Alias]]
    stems: dict[str, list[_Alias]]
    keys: frozenset[str]
    cities: frozenset[str]
    opens: dict[str, bool] = field(default_factory=dict)  # word -> may start a name (a page repeats its words)

    def may_open(self, word: str) -> bool:
        """The cheap test before any alias is tried: most words start no name."""
        known = self.opens.get(word)
        if known is None:
            low = word.lower()
            bare = low.rstrip(".")
            if bare.endswith(("'s", "’s")):
                bare = bare[:-2]
            exact = self.exact
            known = bare in exact or low in exact or word in exact or word.rstrip(".") in exact
            if not known:  # a stem shares its first three letters with common words ("and" / "Andorra*")
                stems = self.stems.get(_bare(word).lower()[:3], ())
                known = any(low.startswith(words[0][:-1].lower()) for words, _, _ in stems)
            if len(self.opens) > _MEMO_WORDS:
                self.opens.clear()
            self.opens[word] = known
        return known


def _entry(canonical: str, facts: dict[str, Any] | None) -> dict[str, Any]:
    return facts or {}


@cache
def gazetteer(language: str) -> Gazetteer:
    """Build the word index of one language from the data files."""
    facts: dict[str, Any] = common("parties")
    names: dict[str, Any] = data(language, "parties")
    exact: dict[str, list[_Alias]] = {}
    stems: dict[str, list[_Alias]] = {}
    cities: set[str] = set()

    def add(alias: str, canonical: str, *, person: bool = False, cased: bool = False) -> None:
        text = alias.strip()
        if not text:
            return
        words = tuple(text.split()) if cased else tuple(text.lower().split())
        if words[0].endswith("*"):
            stems.setdefault(words[0][:3].lower(), []).append((words, canonical, person))
        else:
            exact.setdefault(words[0], []).append((words, canonical, person))

    for canonical, entry in facts.items():
        entry = _entry(canonical, entry)
        for person in entry.get("people") or ():
            add(str(person), canonical, person=True)
        for city in entry.get("cities") or ():
            add(str(city), canonical)
            cities.add(str(city).lower().rstrip("*"))
        for abbreviation in entry.get("abbreviations") or ():
            add(str(abbreviation), canonical, cased=True)
    for canonical, entry in names.items():
        entry = _entry(canonical, entry)
        for alias in entry.get("aliases") or ():
            add(str(alias), canonical)
    keys = frozenset({k.rstrip(".")[:3].lower() for k in exact} | set(stems))
    return Gazetteer(exact, stems, keys, frozenset(cities))


def display_name(canonical: str, language: str) -> str:
    """How a message in ``language`` names a party (the canonical English name when the lists do not know it)."""
    entry = data(language, "parties").get(canonical) or {}
    return str(entry.get("name") or canonical)


def zone_of(canonical: str) -> str | None:
    """The IANA zone of a party's territory, for "local time"."""
    entry = common("parties").get(canonical) or {}
    zone = entry.get("zone")
    return str(zone) if zone else None


@dataclass(frozen=True, slots=True)
class Mention:
    """One party name in a sentence, with its character span."""

    name: str
    start: int
    end: int
    alias: str
    person: bool = False


def _bare(word: str) -> str:
    """A word as aliases spell it: no sentence-final full stop, no possessive "'s" (but "Sudan's army")."""
    if not _INITIALS_RE.fullmatch(word):
        word = word.rstrip(".")
    lowered = word.lower()
    if lowered.endswith(("'s", "’s")):
        return word[:-2]
    return word


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.lower().startswith(pattern[:-1].lower())
    if pattern.islower():
        return word.lower() == pattern or _bare(word).lower() == pattern
    return word == pattern or _bare(word) == pattern


def _match_at(gaz: Gazetteer, words: list[tuple[str, int]], index: int) -> tuple[int, str, bool] | None:
    """The longest alias starting at word ``index``: (number of words, canonical name, is a person)."""
    raw = words[index][0]
    first = _bare(raw)
    lowered = first.lower()
    candidates = gaz.exact.get(lowered, [])
    if first != lowered:
        candidates = candidates + gaz.exact.get(first, []) + gaz.exact.get(raw.rstrip("."), [])
    stems = gaz.stems.get(lowered[:3])
    if stems:
        candidates = candidates + stems
    if not candidates:
        return None
    best: tuple[int, str, bool] | None = None
    available = len(words) - index
    for alias_words, canonical, person in candidates:
        size = len(alias_words)
        if size > available or (best is not None and size <= best[0]):
            continue
        if all(_word_matches(p, words[index + n][0]) for n, p in enumerate(alias_words)):
            best = (size, canonical, person)
    return best


@cache
def _name_shapes(language: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The article before an unknown name, and a one-word name built on an armed group's noun."""
    frag = rules(language).fragments
    lead = re.compile(rf"^(?:{frag['lead_article']})\s+", re.IGNORECASE)
    return lead, re.compile(rf"[a-zäöü][A-ZÄÖÜa-zäöü]*(?:{frag['head_compound']})")


def _named_parties(text: str, language: str) -> list[Mention]:
    """Capitalised names with an armed group's head noun that the lists do not know."""
    out: list[Mention] = []
    lead, compound = _name_shapes(language)
    for match in rules(language).cue("named_party").finditer(text):
        name = lead.sub("", match.group(0)).strip()
        if len(name.split()) >= 2 or compound.search(name):
            start = match.end() - len(name)
            out.append(Mention(name, start, match.end(), name.lower()))
    # two names sharing one head noun ("the Kusasi and Mamprusi factions", "die Banden «Shottas» und «Espartanos»")
    # ... or quoted, each after its article ('der "Los Costeños" und der "Los Pepes"')
    for cue in ("paired_parties", "pair_after_head", "quoted_pair"):
        for match in rules(language).cue(cue).finditer(text):
            out.extend(
                Mention(match.group(g), match.start(g), match.end(g), match.group(g).lower()) for g in ("a", "b")
            )
    return out


def find_parties(text: str, language: str = "en") -> list[Mention]:
    """Every party mention in text order, skipping capitals used as places ("talks in Moscow")."""
    gaz = gazetteer(language)
    place_prep = rules(language).cue("place_prep")
    institution = rules(language).cue("institution_before")
    former = rules(language).cue("former_before")
    stationed = rules(language).cue("stationed_in")
    words = [(m.group(0), m.start()) for m in _WORD_RE.finditer(text)]
    may_open, opens = gaz.may_open, gaz.opens
    found: list[Mention] = []
    index = 0
    while index < len(words):
        known = opens.get(words[index][0])  # may_open's memo, read here: this loop meets every word of the page
        if not (may_open(words[index][0]) if known is None else known):
            index += 1
            continue
        hit = _match_at(gaz, words, index)
        if hit is None:
            index += 1
            continue
        size, canonical, person = hit
        start = words[index][1]
        last_word, last_start = words[index + size - 1]
        end = last_start + len(_bare(last_word))
        index += size
        alias = text[start:end].lower()
        if (alias in gaz.cities or person) and placed(text, start, place_prep, institution):
            continue  # "talks in Moscow", "positions in Masisi": a place (that shares a leader's name), not the party
        if former.search(text, max(0, start - 16), start):
            continue  # a past office names a person ("former Nigerian President Obasanjo"), not the state
        if stationed.search(text, max(0, start - 30), start):
            continue  # "the UN mission in Mali": where the mission is, not a party
        found.append(Mention(canonical, start, end, alias, person))
    # The gazetteer's mentions are in text order and do not overlap, so their ends are sorted too: one bisection
    # finds the only one that can overlap a named party (a page of datelines names thousands of both).
    ends = [m.end for m in found]
    starts = [m.start for m in found]
    for mention in _named_parties(text, language):
        first = bisect.bisect_right(ends, mention.start)
        if first == len(ends) or starts[first] >= mention.end:
            found.append(mention)
    found.sort(key=lambda m: m.start)
    return _described(text, found, language)


def _described(text: str, found: list[Mention], language: str) -> list[Mention]:
    """Without a state's adjective that only describes what is named right after it: in "the Colombian guerrilla
    group ELN freed six soldiers" the ELN acts, not Colombia; "the Sudanese city of El Fasher" is a place."""
    cues = rules(language)
    group, adjective, place = (
        cues.cue("described_group"),
        cues.cue("state_adjective"),
        cues.cue("place_after_adjective"),
    )
    kept = []
    for at, mention in enumerate(found):
        after = found[at + 1] if at + 1 < len(found) else None
        if (
            after is not None
            and after.name != mention.name
            and not mention.person
            and not after.person
            and group.fullmatch(text[mention.end : after.start]) is not None
        ):
            continue
        if not mention.person and adjective.search(mention.alias) and place.match(text, mention.end):
            continue
        kept.append(mention)
    return kept


_NEXT_WORD_RE = re.compile(r"(?:\s+|-)([^\W\d_]+)")  # "the Houthi rebels", "die Huthi-Rebellen"
_ENDING_RE = re.compile(r"(?:en|n|s)$")


def _head_stem(word: str) -> str:
    """A head noun without its plural or case ending: "Militärs" and "Militär", "militias" and "militia" agree."""
    return _ENDING_RE.sub("", word.lower())


def head_index(text: str, mentions: Sequence[Mention], language: str) -> dict[str, set[str]]:
    """Which party a page names with each noun ("die sudanesische Armee", "the Israeli military"): a noun that
    names one party only can stand for it bare later ("teilte die Armee mit"); one that names two says nothing
    (:func:`resolve_heads`).
    After a state's name only a state's own organs count: "the Lebanese militia" is not Lebanon."""
    state_head = rules(language).cue("state_head")
    parties = common("parties")
    heads: dict[str, set[str]] = {}
    for mention in mentions:
        candidates = [(mention.alias.split()[-1], text[mention.start : mention.end])]
        after = _NEXT_WORD_RE.match(text, mention.end)
        state = (parties.get(mention.name) or {}).get("type") == "state"
        if after and (not state or state_head.match(after.group(1))):
            candidates.append((after.group(1), text[mention.start : after.end()]))
        for word, phrase in candidates:
            if state_head.match(word) and not _common_head(phrase):
                continue  # "the Arakan Army" is a rebel group's name: "the army" does not stand for it
            heads.setdefault(_head_stem(word), set()).add(mention.name)
    return heads


def _common_head(name: str) -> bool:
    """ "the Sudanese army", "die sudanesische Armee" end in a common noun; "the Arakan Army", "Myanmar National
    Democratic Alliance Army" in a proper name that "the army" does not stand for."""
    words = name.split()
    return len(words) < 2 or words[-1][:1].islower() or words[-2][:1].islower()


def _named_by_head(index: dict[str, set[str]], head: str, language: str) -> str | None:
    """The one party named with this noun, alone or as the tail of a compound ("Atomenergiebehörde"); for a noun no
    party was named with, the one party of its class on the page ("the guerrilla group": its only armed group)."""
    stem = _head_stem(head)
    kinds, class_only = _class_heads(language)
    names = (
        set()
        if stem in class_only
        else {n for w, found in index.items() if w == stem or w.endswith(stem) for n in found}
    )
    if names:
        return next(iter(names)) if len(names) == 1 else None
    if stem in _army_heads(language):
        return _state_army(index)
    kind = kinds.get(stem)
    if kind is None:
        return None
    parties = common("parties")
    of_kind = {n for found in index.values() for n in found if (parties.get(n) or {}).get("type") == kind}
    return next(iter(of_kind)) if len(of_kind) == 1 else None


@cache
def _army_heads(language: str) -> frozenset[str]:
    return frozenset(_head_stem(word) for word in rules(language).data.get("army_heads", ()))


_STATE_TYPES = frozenset({"state", "government"})


def _state_army(index: dict[str, set[str]]) -> str | None:
    """The army of the story's conflict when one side only is a state: its armed forces when the lists name them
    ("Sudanese Armed Forces", "Myanmar military"), else the state; nobody where states fight states or a side holds
    several states (an allied army could be meant)."""
    sides = conflict_of({name for found in index.values() for name in found})
    if sides is None:
        return None
    parties = common("parties")
    kind = {name: (parties.get(name) or {}).get("type") for side in sides for name in side}
    state_sides = [side for side in sides if any(kind[name] in _STATE_TYPES for name in side)]
    if len(state_sides) != 1:
        return None
    states = [name for name in state_sides[0] if kind[name] in _STATE_TYPES]
    forces = [name for name in state_sides[0] if kind[name] not in _STATE_TYPES]
    if len(states) != 1 or len(forces) > 1:
        return None
    return forces[0] if forces else states[0]


@cache
def _class_heads(language: str) -> tuple[dict[str, str], frozenset[str]]:
    data = rules(language).data
    kinds = {_head_stem(word): kind for word, kind in data["class_heads"].items()}
    return kinds, frozenset(_head_stem(word) for word in data["class_only"])


def resolve_heads(text: str, mentions: list[Mention], index: dict[str, set[str]], language: str) -> list[Mention]:
    """The mentions of a sentence with each bare "the army" the page has already named added, in text order."""
    added: list[Mention] = []
    for match in rules(language).cue("generic_head").finditer(text):
        name = _named_by_head(index, match.group("h"), language)
        start, end = match.span("h")
        if name is not None and _free(start, end, mentions):
            added.append(Mention(name, start, end, match.group("h").lower()))
    return _joined(mentions, added)


def _free(start: int, end: int, mentions: Sequence[Mention]) -> bool:
    """No mention covers any of the span: a name found again may be added there."""
    return not any(m.start < end and start < m.end for m in mentions)


def _joined(mentions: list[Mention], added: list[Mention]) -> list[Mention]:
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


def introduced(mentions: Sequence[Mention]) -> frozenset[str]:
    """Parties the lists do not know that the page introduced ('die verfeindeten Gruppen «Shottas» und
    «Espartanos»', 'the Kusasi and Mamprusi factions'): named bare later ('hätten sich Shottas und Espartanos …
    verständigt'), they are the same parties."""
    known = common("parties")
    return frozenset(m.name for m in mentions if m.name not in known and not m.person)


def resolve_introduced(text: str, mentions: list[Mention], names: frozenset[str]) -> list[Mention]:
    """The mentions of a sentence with each bare name the page introduced added, in text order."""
    added: list[Mention] = []
    for name in names:
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if _free(match.start(), match.end(), (*mentions, *added)):
                added.append(Mention(name, match.start(), match.end(), name.lower()))
    return _joined(mentions, added)


def named_parties(text: str, language: str = "en", mentions: Sequence[Mention] | None = None) -> tuple[str, ...]:
    """The parties a sentence names as actors or speakers, in order: not the topics ("the Ukraine war")."""
    topic = rules(language).cue("topic_after")
    found = find_parties(text, language) if mentions is None else mentions
    return tuple(dict.fromkeys(m.name for m in found if not topic.match(text, m.end)))


def leaders_in(text: str, language: str = "en", mentions: Sequence[Mention] | None = None) -> list[str]:
    """Parties whose leader is named, in order: resolves "the two leaders" / "beide Präsidenten"."""
    out: list[str] = []
    for mention in find_parties(text, language) if mentions is None else mentions:
        if mention.person and mention.name not in out:
            out.append(mention.name)
    return out


def placed(text: str, start: int, place_prep: Lexicon, institution: Lexicon) -> bool:
    """A name after "in" ("der in Großbritannien ansässigen Beobachtungsstelle") is a place, not a party; but
    "officials in Kyiv", "the ministry in Moscow" are that government."""
    return place_prep.search(text, max(0, start - _PLACE_REACH), start) is not None and not institution.search(
        text, max(0, start - 60), start
    )


def local_zone(
    text: str,
    language: str,
    context: tuple[frozenset[str], ...] | None = None,
    mentions: Sequence[Mention] | None = None,
) -> tzinfo | None:
    """What "local time" / "Ortszeit" means: the first place the text names, else a side of the story's
    conflict, else the first party with a territory (a mediator named first does not move the clock)."""
    lowered = text.lower()
    best: tuple[int, str] | None = None
    for word, zone in data(language, "calendar")["places"].items():
        at = lowered.find(word)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, zone)
    if best is not None:
        return ZoneInfo(best[1])
    sides = frozenset().union(*context) if context else frozenset()
    first: str | None = None
    for mention in find_parties(text, language) if mentions is None else mentions:
        zone = zone_of(mention.name)
        if zone is None:
            continue
        if mention.name in sides:
            return ZoneInfo(zone)
        first = first or zone
    return ZoneInfo(first) if first and not sides else None
