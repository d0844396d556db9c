"""Who fights whom: the known conflicts (``resources/conflicts.yaml``) as sides of canonical party names, and what a
story's parties make of them — the conflict a story is about, a side's opponent, the parties a halt binds."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from articles.model import Language
from articles.page.sentences import split_paragraph
from articles.rules import common, rules

if TYPE_CHECKING:
    from articles.entities import Mention

__all__ = ["belligerents", "conflict_of", "fighters", "in_passing", "is_armed", "opponent"]

_HISTORY_YEARS = 50  # a year this long before the publication, on a page of no war of our time, makes it history
_YEAR_RE = re.compile(r"\b(?:1[89]|20)\d\d\b")
_ARMED_WORDS = 2  # signs of war (warring parties, words of war) a story needs without two sides of a conflict
_ARMED_WORDS_ALONE = 4  # words of war a story needs when it names no warring party at all
# a sentence with one of these promises something: the warring states it names are parties to it, not a list
_PROMISE_CUES = ("ceasefire_word", "halt_word", "talks", "release", "swap", "withdraw")
_SCARE = 24  # characters of a quoted truce word that the page itself marks as a figure of speech ('ceasefire')
# what someone is quoted saying, and a word set in scare quotes: "For a first day, it's a truce", a 'ceasefire'
_QUOTED = re.compile(r"[\"“„»«][^\"“”„»«\n]{0,400}[\"”“«»]|(?<!\w)['‘’‚][^'‘’‚\n]{1,40}['‘’](?!\w)")


@cache
def _conflicts() -> tuple[tuple[frozenset[str], ...], ...]:
    """Each conflict as its sides, each side a set of canonical names."""
    raw = common("conflicts")
    items = raw if isinstance(raw, list) else raw.get("conflicts", [])
    return tuple(tuple(frozenset(side) for side in item["sides"]) for item in items)


@cache
def _conflict_index() -> dict[str, tuple[int, ...]]:
    """Each party -> the positions of the conflicts it fights in."""
    index: dict[str, list[int]] = {}
    for at, sides in enumerate(_conflicts()):
        for name in sorted({n for side in sides for n in side}):
            index.setdefault(name, []).append(at)
    return {name: tuple(at) for name, at in index.items()}


def _conflicts_of(names: Iterable[str]) -> list[tuple[frozenset[str], ...]]:
    """The conflicts any of ``names`` fights in, in the lists' order (a story names few of the many)."""
    index, conflicts = _conflict_index(), _conflicts()
    return [conflicts[at] for at in sorted({at for name in names for at in index.get(name, ())})]


@cache
def fighters() -> frozenset[str]:
    """Every party that is a side in some known conflict."""
    return frozenset(name for sides in _conflicts() for side in sides for name in side)


def opponent(name: str, context: tuple[frozenset[str], ...] | None) -> str | None:
    """The other side of the story's conflict, named by its first party ("the enemy" of a claimant)."""
    if context is None or len(context) != 2:
        return None
    mine = next((i for i, side in enumerate(context) if name in side), None)
    if mine is None:
        return None
    other = sorted(context[1 - mine])
    return other[0] if len(other) == 1 else None


def conflict_of(names: Iterable[str]) -> tuple[frozenset[str], ...] | None:
    """The conflict the most-mentioned parties fight in: the one whose less-mentioned side is mentioned most (a
    story of Iraqi militias against US troops names Iraq often, but the Islamic State once), then the most
    mentions on both its sides."""
    counts = Counter(names)
    best: tuple[tuple[int, int], tuple[frozenset[str], ...]] | None = None
    for sides in _conflicts_of(counts):
        per_side = [sum(counts[n] for n in side) for side in sides]
        if sum(1 for s in per_side if s) < 2:
            continue
        score = (min(per_side), sum(per_side))
        if best is None or score > best[0]:
            best = (score, sides)
    return best[1] if best else None


def belligerents(actors: Sequence[str], context: tuple[frozenset[str], ...] | None) -> tuple[str, ...]:
    """The parties bound by a halt: those who fight each other, not the mediators named beside them.

    Parties on two sides of one conflict keep exactly those; otherwise the sides of the story's conflict
    (``context``) decide, and a party the lists do not know, or one that fights a party of that conflict elsewhere,
    is kept. When the story's conflict is known and every named party is a known outsider (a mediator announcing
    the deal), nobody named here is bound.
    """
    for sides in _conflicts_of(actors):
        present = [[a for a in actors if a in side] for side in sides]
        if sum(1 for p in present if p) >= 2:
            keep = {a for p in present for a in p}
            return tuple(a for a in actors if a in keep)
    if context is None:
        return tuple(actors)
    fighters = frozenset().union(*context)
    known = frozenset(common("parties"))
    return tuple(a for a in actors if a in fighters or a not in known or _fights_one_of(a, fighters))


def _fights_one_of(name: str, fighters: frozenset[str]) -> bool:
    """The party is a side against one of the story's fighters in another known conflict: the Myanmar shadow
    government's pause in a story of the junta and the ethnic armies binds the shadow government."""
    if (common("parties").get(name) or {}).get("type") == "state":
        return False  # a state named beside a truce of others is most often who announced or brokered it
    for sides in _conflicts_of((name,)):
        mine = [side for side in sides if name in side]
        if any(fighters & side for side in sides if side not in mine):
            return True
    return False


def is_armed(body: str, language: str, names: Sequence[str], published: date | None) -> bool:
    """Whether a page whose parties fight no war with each other is about an armed conflict at all: words of war or
    warring parties enough, not a trade "truce", a money story that names a party at war, or a history."""
    cues = rules(language)
    warring = sum(1 for name in names if name in fighters())
    sides = len({name for name in names if name in fighters()})
    hits = cues.cue("armed_conflict").finditer(body)
    words = sum(1 for _, _ in zip(hits, range(_ARMED_WORDS_ALONE), strict=False))
    if sides == 1 and not cues.cue("captives").search(body):
        # one party at war named again and again, and no word of war or truce but in quotes ("For a first day, it's
        # a truce", a 'ceasefire' of balloon pilots): a money story about Nigeria, a row in Kenya's Maasai Mara
        truce = cues.cue("ceasefire_word")
        if words == 0 and not truce.search(body):
            return False
        said = _QUOTED.sub(" ", body)
        scare = any(truce.search(m.group(0)) and len(m.group(0)) <= _SCARE for m in _QUOTED.finditer(body))
        if not cues.cue("armed_conflict").search(said) and (scare or not truce.search(said)):
            return False
    if words == 0 and sides >= 2:
        return False  # two belligerents that fight no war with each other, and no word of war: a trade "truce"
    # no warring party named at all: a few words of war are a metaphor ("its battlefield is a semi")
    if not (warring + words >= _ARMED_WORDS if warring else words >= _ARMED_WORDS_ALONE):
        return False
    # no war of our time between the parties, and a year long past: a story of history ("the Christmas truce of 1914",
    # a match to remember it)
    return published is None or not any(int(y) <= published.year - _HISTORY_YEARS for y in _YEAR_RE.findall(body))


def in_passing(body: str, language: Language, mentions: Sequence[Mention], context: tuple[frozenset[str], ...]) -> bool:
    """Two sides of a war each named once, in sentences that promise nothing, and no word of war or of captives
    outside quotes: countries in a list ("transfers to India, Pakistan and the Philippines", "compete with Pakistan
    and China again"), not a story of their war."""
    sides = frozenset().union(*context)
    named = [m for m in mentions if m.name in sides]
    if max(Counter(m.name for m in named).values(), default=0) > 1:
        return False
    cues = rules(language)
    promise = [cues.cue(name) for name in _PROMISE_CUES]
    surfaces = {body[m.start : m.end] for m in named}
    for paragraph in body.split("\n"):
        for sentence in split_paragraph(paragraph, language):
            if any(s in sentence for s in surfaces) and any(cue.search(sentence) for cue in promise):
                return False  # "Colombia said the bilateral ceasefire with the EMC will last until 30 June"
    said = _QUOTED.sub(" ", body)  # "They are holding our salaries hostage": a figure of speech in a quote
    return cues.cue("armed_conflict").search(said) is None and cues.cue("captives").search(said) is None
